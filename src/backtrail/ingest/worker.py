"""The worker: receive → decode → fetch → write → ack, live queues before backfill queues.

Ack happens only after the store holds the object's rows and its ledger row. A message whose
objects hit a transient failure comes back after 2, 4, 8 … 60 s, until the queue dead-letters it.
"""
from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..core.errors import BadMessage, PermanentError, TransientError
from ..core.ports import ObjectStore, Queue, Store
from ..core.priority import background, in_background
from ..core.records import Message, ObjectRef
from ..logtypes import notifications, registry
from ..logtypes.base import LogType, RecordError
from .autoscale import WorkerScaling
from .budget import ByteBudget, Slots
from .fetch import Fetched, fetch
from .heartbeat import Heartbeat
from .ledger import CANCELLED, DONE, EMPTY, FAILED, SKIPPED, SUPERSEDED, Ledger, Outcome
from .metrics import Metrics
from .scaling import Policy
from .writer import EventWriter

log = logging.getLogger(__name__)

POISON_RECEIVES = 20
"""A bad message received this often is deleted (it is kept in `errors`): its queue has no
dead-letter queue, or one with a larger maximum than any sane redrive policy."""
LIVE_RECENT_S = 10
"""While the live lane has handled a message this recently, backfill INSERTs are a quarter of
`chunk_bytes`: a live object waits at most for one running (the store runs few at a time)."""
CHUNK_S = 2.0
"""With no live object lately, a backfill INSERT holds at least `chunk_bytes` of objects, more of
a log type whose recent INSERTs wrote more than that in this many seconds (plain-text S3 access
logs: 16 MB took ~0.5 s): fewer, larger INSERTs cost fewer ledger rows, detection checks and
merges of small parts. A search waits for at most one INSERT."""
BACKFILL_TURN = 5
"""Every fifth batch looks at backfill queues first: live lag stays low, backfills still move."""
PAUSED = "paused"
PAUSED_RECHECK_S = 10
"""A message of a paused backfill is sent again, hidden this long, and its delivery acked: it waits
in the queue without using up its receives."""
JobState = Callable[[str], str]
"""The state of a backfill job by id (`paused`, `cancelled`, anything else: load it); called per
message, so it must answer from a cache."""


@dataclass
class Source:
    """Where notifications come from and how to read what they name. `log_type` None: by key."""

    name: str
    log_type: str | None
    live: list[Queue] = field(default_factory=list)
    backfill: list[Queue] = field(default_factory=list)


@dataclass
class Progress:
    objects: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    events: int = 0
    bytes: int = 0
    bad_records: int = 0
    bad_messages: int = 0
    ignored: int = 0
    last_error: str = ""

    def add(self, outcomes: list[Outcome], nbytes: int) -> None:
        self.bytes += nbytes
        for o in outcomes:
            self.objects += 1
            self.events += o.events
            self.bad_records += o.errors
            self.failed += o.state == FAILED
            self.skipped += o.state in (SKIPPED, EMPTY)
            if o.state == FAILED:
                self.last_error = f"{o.ref.info.name}: {o.reason}"


class Worker:
    def __init__(self, store: Store, sources: list[Source], objects_for: Callable[[str], ObjectStore],
                 batch_messages: int = 8, fetch_threads: int = 8, visibility_s: int = 300,
                 max_bytes_in_flight: int = 256 << 20, chunk_bytes: int = 16 << 20,
                 on_progress: Callable[[Progress], None] | None = None, job_state: JobState = lambda job_id: "",
                 after_write: Callable[[list[tuple[str, int]], datetime, set[str]], None] | None = None,
                 scaling: Policy = Policy()):
        self.sources, self.objects_for, self.job_state = sources, objects_for, job_state
        self.ledger = Ledger(store)
        self.workdir = tempfile.mkdtemp(prefix="backtrail-")
        self.writer = EventWriter(store, self.ledger, self.workdir)
        self.batch_messages, self.max_batch_messages = 1, batch_messages  # grows: first rows land fast
        self.pool = ThreadPoolExecutor(fetch_threads)
        self.live_pool = ThreadPoolExecutor(2)  # live fetches never queue behind a backfill's
        self.progress = Progress()
        self.on_progress = on_progress or (lambda p: None)
        self.after_write = after_write  # ((object, events) written, when their write began, their log types): durable
        self._lock, self._claims, self._claimed = threading.Lock(), threading.Condition(), set()
        self.stopping, self._turn = threading.Event(), 0
        self.visibility_s, self.budget, self.metrics = visibility_s, ByteBudget(max_bytes_in_flight), Metrics()
        self.chunk_bytes = chunk_bytes  # one INSERT's worth: a live insert waits for it at most
        self.fetch_slots = Slots(fetch_threads)  # concurrent fetches: grow with the backlog, shrink when idle
        self.scaling = WorkerScaling(scaling, self.metrics, self.fetch_slots)
        self._live_at = -LIVE_RECENT_S  # when the live lane last handled a message (monotonic)

    def run(self, until: Callable[[], bool], threads: int = 2, idle_s: float = 0.01) -> Progress:
        """Serve every queue from `threads` threads until `until()` holds and the queues are
        empty, or until `stop()`: then each thread finishes its batch (rows written, messages
        acked) and returns. Two threads keep both cores busy: one frames while the engine writes.
        """
        failures: list[BaseException] = []

        def serve():
            try:
                with background():  # live objects (the lane below) and searches go first
                    serve_queues()
            except BaseException as exc:  # the other threads stop too; unacked messages come back
                failures.append(exc)

        def serve_queues():
            while not failures and not self.stopping.is_set():
                finished = until()
                if not self.step():
                    if finished and self.drained():
                        return
                    self.stopping.wait(idle_s if not finished else max(idle_s, 0.05))

        pool = [threading.Thread(target=serve, daemon=True) for _ in range(threads)]
        done = threading.Event()
        lane = threading.Thread(target=self._serve_live, args=(failures, done), daemon=True)
        for t in pool:
            t.start()
        if any(s.live for s in self.sources):
            lane.start()
        for t in pool:
            t.join()
        done.set()  # the live lane stops with the others
        if lane.ident:
            lane.join()
        if failures:
            raise failures[0]
        return self.progress

    def sample_queues(self) -> None:
        """Queue depth and oldest-message age gauges, per source and queue; desired workers."""
        by_source: dict[str, tuple[list, list]] = {}  # a backfill job's queue joins its source's name
        for source in self.sources:
            live, backfill = [q.stats() for q in source.live], [q.stats() for q in source.backfill]
            for mine, more in zip(by_source.setdefault(source.name, ([], [])), (live, backfill)):
                mine += more
            for queue, st in zip((*source.live, *source.backfill), (*live, *backfill)):
                for state, value in (("visible", st.visible), ("in_flight", st.in_flight), ("dead", st.dead)):
                    self.metrics.gauge("backtrail_queue_depth", "messages by state", source=source.name,
                                       queue=queue.url, state=state).set(value)
                self.metrics.gauge("backtrail_queue_oldest_age_seconds", "age of the oldest message",
                                   source=source.name, queue=queue.url).set(st.oldest_age_s)
        self.scaling.observe(time.monotonic(), by_source, self.progress.objects + self.progress.duplicates)

    def serve(self, source: Source) -> None:
        """Serve one more source (a backfill job's queue) from the next step on."""
        if not any(s.name == source.name and [q.url for q in s.backfill] == [q.url for q in source.backfill]
                   for s in self.sources):
            self.sources = [*self.sources, source]

    def stop(self) -> None:
        """Receive nothing more; batches in hand are finished."""
        self.stopping.set()

    def drained(self) -> bool:
        """No message is waiting or in flight on any queue (dead letters aside)."""
        stats = [q.stats() for s in self.sources for q in (*s.live, *s.backfill)]
        return all(st.visible + st.in_flight == 0 for st in stats)

    def step(self) -> int:
        """One batch: live queues first, except every `BACKFILL_TURN`-th step, so a busy live
        feed never starves a backfill; sources take turns within a role."""
        with self._lock:
            self._turn += 1
            turn = self._turn
        if self.scaling.due(time.monotonic()):  # backlog gauges, desired workers, concurrent fetches
            try:
                self.sample_queues()
            except (TransientError, PermanentError) as exc:  # `receive` reports a queue that does not answer
                log.warning("sampling the queues: %s", exc)
        roles = ("backfill", "live") if turn % BACKFILL_TURN == 0 else ("live", "backfill")
        shift = turn % max(1, len(self.sources))
        for role in roles:
            for source in self.sources[shift:] + self.sources[:shift]:
                for queue in getattr(source, role):
                    if self.stopping.is_set():
                        return 0
                    messages = self._receive(queue)
                    if messages:
                        self._handle(source, queue, messages)
                        return len(messages)
        return 0

    def _receive(self, queue: Queue) -> list[Message]:
        messages: list[Message] = []
        while len(messages) < self.batch_messages:
            want = min(10, self.batch_messages - len(messages))
            got = queue.receive(want, visibility_s=self.visibility_s)
            messages += got
            if len(got) < want:
                break
        if messages:
            self.batch_messages = min(self.batch_messages * 2, self.max_batch_messages)
        return messages

    def _handle(self, source: Source, queue: Queue, messages: list[Message]) -> None:
        """Decode, ingest, then ack; the heartbeat keeps the messages hidden meanwhile."""
        count = self._metric_counter(source, queue)
        count("backtrail_messages_received_total", len(messages))
        with Heartbeat(queue, self.visibility_s) as heartbeat:
            heartbeat.track(m.receipt for m in messages)
            refs_of: dict[str, list[ObjectRef]] = {}
            for m in messages:
                try:
                    decoded = notifications.decode(m.body)
                except BadMessage as exc:
                    heartbeat.release([m.receipt])
                    self._bad_message(queue, m, str(exc))
                    continue
                refs_of[m.receipt] = decoded.refs
                with self._lock:
                    self.progress.ignored += len(decoded.ignored)
            held = self._hold_or_drop(queue, refs_of, {m.receipt: m.body for m in messages})
            outcomes, transient = self.ingest(source, [r for receipt, refs in refs_of.items() if receipt not in held
                                                       for r in refs])
            heartbeat.release(refs_of)
        retry = {receipt for receipt, refs in refs_of.items() if any(r.info.identity in transient for r in refs)}
        queue.delete([receipt for receipt in refs_of if receipt not in retry])
        count("backtrail_messages_deleted_total", len(refs_of) - len(retry))
        count("backtrail_messages_returned_total", len(retry))
        by_receipt = {m.receipt: m for m in messages}
        for receipt in retry:  # back off: 2, 4, 8 … 60 s, until the queue dead-letters it
            queue.extend(receipt, min(60, 2 ** by_receipt[receipt].receive_count))
        self._observe(source, outcomes)
        with self._lock:
            self.progress.add(outcomes, sum(o.ref.info.size for o in outcomes))
            self.on_progress(self.progress)

    def _hold_or_drop(self, queue: Queue, refs_of: dict[str, list[ObjectRef]], bodies: dict[str, str]) -> set[str]:
        """Messages of cancelled backfills: their objects are recorded as cancelled, unread; of
        paused ones: sent again to wait in the queue. Both are acked with the rest; returns them."""
        cancelled, paused = [], []
        for receipt, refs in refs_of.items():
            states = {self.job_state(r.backfill_id) for r in refs if r.backfill_id}
            if CANCELLED in states:
                cancelled.append(receipt)
            elif PAUSED in states:
                paused.append(receipt)
        if paused:
            queue.send([bodies[r] for r in paused], delay_s=PAUSED_RECHECK_S)
        self.ledger.job_outcomes([Outcome(ref, "", CANCELLED, reason="backfill cancelled")
                                  for r in cancelled for ref in refs_of[r]])
        return {*cancelled, *paused}

    def _metric_counter(self, source: Source, queue: Queue):
        return lambda name, n: self.metrics.counter(name, name.replace("_", " "), source=source.name,
                                                    queue=queue.url).inc(n)

    def _observe(self, source: Source, outcomes: list[Outcome]) -> None:
        """Objects by outcome, events, bytes, and the lag from the S3 event time to searchable."""
        now = datetime.now(timezone.utc)
        m = self.metrics
        for o in outcomes:
            m.counter("backtrail_objects_total", "objects by outcome", source=source.name, outcome=o.state).inc()
            m.counter("backtrail_events_total", "events written", source=source.name).inc(o.events)
            m.counter("backtrail_bytes_total", "object bytes read", source=source.name).inc(o.ref.info.size)
            if o.state == FAILED:
                m.counter("backtrail_errors_total", "failed objects", source=source.name,
                          reason=o.reason.split(":")[0][:40]).inc()
            if o.state == DONE and o.ref.info.last_modified and not o.ref.backfill_id:
                m.histogram("backtrail_lag_seconds", "S3 event time to searchable", source=source.name).observe(
                    max(0.0, (now - o.ref.info.last_modified).total_seconds()))

    def ingest(self, source: Source, refs: list[ObjectRef]) -> tuple[list[Outcome], set[str]]:
        """Ingest the objects; returns their outcomes and the identities to retry later."""
        refs = list({r.info.name: r for r in refs}.values())  # one version per key: the last named
        ids = {r.info.name for r in refs}
        with self._claims:  # another thread holding one of these objects finishes it first
            self._claims.wait_for(lambda: not ids & self._claimed)
            self._claimed |= ids
        try:
            return self._ingest_claimed(source, refs)
        finally:
            with self._claims:
                self._claimed -= ids
                self._claims.notify_all()

    def _ingest_claimed(self, source: Source, refs: list[ObjectRef]) -> tuple[list[Outcome], set[str]]:
        versions = self.ledger.versions(refs)
        outcomes, todo, duplicates = [], [], []
        for ref in refs:
            if versions.get(ref.info.name, {}).get(ref.info.identity) in (DONE, SKIPPED, EMPTY):
                duplicates.append(Outcome(ref, "", SKIPPED, reason="already loaded"))
                continue
            log_type = self._log_type(source, ref)
            if log_type is None:
                outcomes.append(Outcome(ref, "", FAILED, reason="no log type recognises this key (set --type)"))
            elif reason := log_type.skip_reason(ref.info.key):
                outcomes.append(Outcome(ref, log_type.name, SKIPPED, reason=reason))
            else:
                todo.append((ref, log_type))
        self.ledger.record(outcomes)
        self.ledger.job_outcomes([o for o in duplicates if o.ref.backfill_id])
        with self._lock:
            self.progress.duplicates += len(duplicates)
        transient: set[str] = set()

        def most_bytes(log_type: LogType) -> int:  # asked per chunk: a live object shrinks the next one
            if time.monotonic() - self._live_at <= LIVE_RECENT_S:
                return min(self.budget.limit, self.chunk_bytes // 4)
            return min(self.budget.limit, max(self.chunk_bytes, int(self.writer.pace.get(log_type.name, 0) * CHUNK_S)))
        for chunk in _by_bytes(todo, most_bytes):
            with self.budget.holding(sum(ref.info.size for ref, _ in chunk)):
                written, retry = self._write_chunk(chunk, versions)
            outcomes += written
            transient |= retry
        for o in outcomes:
            if o.state in (FAILED, EMPTY):
                log.warning("%s: %s", o.ref.info.name, o.reason)
        return outcomes, transient

    def _serve_live(self, failures: list[BaseException], done: threading.Event) -> None:
        """The live lane: one thread that only ever waits on live queues (long polls), so a live
        object never queues behind a backfill batch; it shares the cores, not the turn."""
        live = [(source, queue) for source in self.sources for queue in source.live]
        # long polls save requests on a remote queue; the embedded queue is polled every 50 ms
        wait = 1.0 if len(live) == 1 and not live[0][1].url.startswith("sqlite:") else 0.0
        try:
            while not failures and not self.stopping.is_set() and not done.is_set():
                busy = False
                for source, queue in live:
                    if messages := queue.receive(10, wait_s=wait, visibility_s=self.visibility_s):
                        self._live_at = time.monotonic()
                        self._handle(source, queue, messages)
                        busy = True
                if not busy and not wait:
                    done.wait(0.05)
        except BaseException as exc:
            failures.append(exc)

    def _write_chunk(self, chunk, versions: dict[str, dict[str, str]]) -> tuple[list[Outcome], set[str]]:
        """Fetch, write and record one chunk of objects; older versions of their keys are superseded."""
        outcomes: list[Outcome] = []
        fetched, transient = self._fetch_all(chunk, outcomes)
        outcomes += [Outcome(f.ref, f.log_type.name, EMPTY, reason="empty object") for f in fetched if not f.size]
        nonempty = [f for f in fetched if f.size]
        began = datetime.now(timezone.utc)
        try:
            if nonempty:  # a crashed attempt, or an older version of the same key, may have left rows
                outcomes += self.writer.write(nonempty)
        finally:
            for f in fetched:
                f.release()
        self.ledger.written(outcomes)  # settled before it is done: a crash in between writes it again
        if lost := self.writer.settle(outcomes, set(versions)):  # one copy per object, however many wrote it
            outcomes, transient = [o for o in outcomes if o.ref.info.identity not in lost], transient | lost
        self.ledger.record(outcomes)
        if self.after_write and (done := [o for o in outcomes if o.state == DONE and o.events]):
            self.after_write([(o.ref.info.name, o.events) for o in done], began, {o.source_type for o in done})
        self.ledger.supersede([identity for f in nonempty
                               for identity, state in versions.get(f.ref.info.name, {}).items()
                               if identity != f.ref.info.identity and state != SUPERSEDED])
        return outcomes, transient

    def _log_type(self, source: Source, ref: ObjectRef) -> LogType | None:
        if source.log_type:
            return registry.get(source.log_type)
        return registry.recognise(ref.info.key)

    def _fetch_all(self, todo, outcomes: list[Outcome]) -> tuple[list[Fetched], set[str]]:
        live = not in_background()
        futures = [(ref, lt, (self.live_pool if live else self.pool).submit(
            self._fetch, ref, lt, self.objects_for(ref.info.bucket), live)) for ref, lt in todo]
        fetched, transient = [], set()
        for ref, lt, fut in futures:
            try:
                fetched.append(fut.result())
            except PermanentError as exc:
                outcomes.append(Outcome(ref, lt.name, FAILED, reason=str(exc)))
            except (TransientError, OSError) as exc:
                log.warning("%s: will retry: %s", ref.info.name, exc)
                transient.add(ref.info.identity)
        return fetched, transient

    def _fetch(self, ref: ObjectRef, log_type: LogType, objects: ObjectStore, live: bool) -> Fetched:
        if live:  # a live object never waits for a backfill's fetch slot
            return fetch(ref, log_type, objects, self.workdir)
        with self.fetch_slots.holding():
            return fetch(ref, log_type, objects, self.workdir)

    def _bad_message(self, queue: Queue, message: Message, error: str) -> None:
        """Kept in `errors` with its body, and handed straight back: after the queue's maximum
        receives it moves to the dead-letter queue, where `backtrail dlq` shows and replays it."""
        log.warning("bad message on %s (receive %d): %s", queue.url, message.receive_count, error)
        if message.receive_count == 1:
            self.ledger.errors(f"queue:{queue.url}", "", [RecordError(0, error, message.body[:10_000])])
        if message.receive_count >= POISON_RECEIVES:  # a queue without a dead-letter queue
            queue.delete([message.receipt])
        else:
            queue.extend(message.receipt, 0)
        with self._lock:
            self.progress.bad_messages += message.receive_count == 1


def _by_bytes(todo: list, limit: Callable[[LogType], int]):
    """Consecutive chunks of (ref, log type) whose sizes add up to at most `limit(log type)` (or one
    object); the limit is asked again for every object, after the chunks before it were written."""
    chunk, size = [], 0
    for item in todo:
        if chunk and size + item[0].info.size > limit(item[1]):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += item[0].info.size
    if chunk:
        yield chunk
