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

from ..core.errors import BadMessage, PermanentError, TransientError
from ..core.ports import ObjectStore, Queue, Store
from ..core.records import Message, ObjectRef
from ..logtypes import notifications, registry
from ..logtypes.base import LogType, RecordError
from .fetch import Fetched, fetch
from .ledger import DONE, EMPTY, FAILED, SKIPPED, SUPERSEDED, Ledger, Outcome
from .writer import EventWriter

log = logging.getLogger(__name__)


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
                 batch_messages: int = 8, fetch_threads: int = 8,
                 on_progress: Callable[[Progress], None] | None = None):
        self.sources, self.objects_for = sources, objects_for
        self.ledger = Ledger(store)
        self.workdir = tempfile.mkdtemp(prefix="backtrail-")
        self.writer = EventWriter(store, self.ledger, self.workdir)
        self.batch_messages, self.max_batch_messages = 1, batch_messages  # grows: first rows land fast
        self.pool = ThreadPoolExecutor(fetch_threads)
        self.progress = Progress()
        self.on_progress = on_progress or (lambda p: None)
        self._lock, self._claims, self._claimed = threading.Lock(), threading.Condition(), set()

    def run(self, until: Callable[[], bool], threads: int = 2) -> Progress:
        """Serve every queue from `threads` threads until `until()` holds and the queues are empty.

        Two threads keep both cores busy: one prepares a batch while the engine writes another.
        """
        failures: list[BaseException] = []

        def serve():
            try:
                while not failures:
                    finished = until()
                    if not self.step() and finished and self.drained():
                        return
                    time.sleep(0.01 if not finished else 0.05)
            except BaseException as exc:  # the other threads stop too; unacked messages come back
                failures.append(exc)

        pool = [threading.Thread(target=serve, daemon=True) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        if failures:
            raise failures[0]
        return self.progress

    def drained(self) -> bool:
        """No message is waiting or in flight on any queue (dead letters aside)."""
        stats = [q.stats() for s in self.sources for q in (*s.live, *s.backfill)]
        return all(st.visible + st.in_flight == 0 for st in stats)

    def step(self) -> int:
        """One batch from the first source queue that has messages, live queues first."""
        for role in ("live", "backfill"):
            for source in self.sources:
                for queue in getattr(source, role):
                    messages = self._receive(queue)
                    if messages:
                        self._handle(source, queue, messages)
                        return len(messages)
        return 0

    def _receive(self, queue: Queue) -> list[Message]:
        messages: list[Message] = []
        while len(messages) < self.batch_messages:
            want = min(10, self.batch_messages - len(messages))
            got = queue.receive(want)
            messages += got
            if len(got) < want:
                break
        if messages:
            self.batch_messages = min(self.batch_messages * 2, self.max_batch_messages)
        return messages

    def _handle(self, source: Source, queue: Queue, messages: list[Message]) -> None:
        refs_of: dict[str, list[ObjectRef]] = {}
        by_receipt = {m.receipt: m for m in messages}
        for m in messages:
            try:
                decoded = notifications.decode(m.body)
            except BadMessage as exc:
                self._bad_message(queue, m, str(exc))
                continue
            refs_of[m.receipt] = decoded.refs
            with self._lock:
                self.progress.ignored += len(decoded.ignored)
        outcomes, transient = self.ingest(source, [r for refs in refs_of.values() for r in refs])
        retry = {receipt for receipt, refs in refs_of.items() if any(r.info.identity in transient for r in refs)}
        queue.delete([receipt for receipt in refs_of if receipt not in retry])
        for receipt in retry:  # back off: 2, 4, 8 … 60 s, until the queue dead-letters it
            queue.extend(receipt, min(60, 2 ** by_receipt[receipt].receive_count))
        with self._lock:
            self.progress.add(outcomes, sum(o.ref.info.size for o in outcomes))
            self.on_progress(self.progress)

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
        outcomes, todo = [], []
        for ref in refs:
            if versions.get(ref.info.name, {}).get(ref.info.identity) in (DONE, SKIPPED, EMPTY):
                with self._lock:
                    self.progress.duplicates += 1
                continue
            log_type = self._log_type(source, ref)
            if log_type is None:
                outcomes.append(Outcome(ref, "", FAILED, reason="no log type recognises this key (set --type)"))
            elif reason := log_type.skip_reason(ref.info.key):
                outcomes.append(Outcome(ref, log_type.name, SKIPPED, reason=reason))
            else:
                todo.append((ref, log_type))
        fetched, transient = self._fetch_all(todo, outcomes)
        empty = [f for f in fetched if f.size == 0]
        outcomes += [Outcome(f.ref, f.log_type.name, EMPTY, reason="empty object") for f in empty]
        nonempty = [f for f in fetched if f.size]
        try:
            if nonempty:  # a crashed attempt, or an older version of the same key, may have left rows
                outcomes += self.writer.write(nonempty, dirty={n for n in versions if versions[n]})
        finally:
            for f in fetched:
                f.release()
        self.ledger.record(outcomes)
        self.ledger.supersede([identity for f in nonempty
                               for identity, state in versions.get(f.ref.info.name, {}).items()
                               if identity != f.ref.info.identity and state != SUPERSEDED])
        for o in outcomes:
            if o.state in (FAILED, EMPTY):
                log.warning("%s: %s", o.ref.info.name, o.reason)
        return outcomes, transient

    def _log_type(self, source: Source, ref: ObjectRef) -> LogType | None:
        if source.log_type:
            return registry.get(source.log_type)
        return registry.recognise(ref.info.key)

    def _fetch_all(self, todo, outcomes: list[Outcome]) -> tuple[list[Fetched], set[str]]:
        futures = [(ref, lt, self.pool.submit(fetch, ref, lt, self.objects_for(ref.info.bucket), self.workdir))
                   for ref, lt in todo]
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

    def _bad_message(self, queue: Queue, message: Message, error: str) -> None:
        """Kept in `errors` with the whole body, then acked: it can never become readable."""
        log.warning("bad message on %s: %s", queue.url, error)
        self.ledger.errors(f"queue:{queue.url}", "", [RecordError(0, error, message.body[:10_000])])
        queue.delete([message.receipt])
        with self._lock:
            self.progress.bad_messages += 1
