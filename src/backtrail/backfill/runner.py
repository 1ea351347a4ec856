"""Runs backfill jobs in the process that owns the store.

Each job's listing is streamed a page at a time into its source's backfill queue and
checkpointed per prefix after every page, so a planner killed half-way resumes after the last
key it enqueued; a page sent again after a crash (same page size, kept with the job, same
objects) carries the same dedup ids, which the embedded queue drops. Jobs take turns page by page, so jobs sharing a queue interleave there and the
worker serves them alike. The runner also settles jobs whose every object has an outcome:
state, summary, webhook.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..core.errors import BacktrailError, ConfigError
from ..core.ports import ObjectStore, Queue
from ..core.priority import background
from ..core.records import ObjectInfo
from ..logtypes import notifications, registry
from . import planner
from .jobs import CANCELLED, DONE, FAILED, FINAL, PAUSED, PLANNING, RUNNING, Job, Jobs, describe, now
from .report import queued, reports, summary
from .survey import ACCOUNT_REGION

log = logging.getLogger(__name__)
CLOSING = "the backtrail process that owns this data directory is finishing"
PAGE = 5000
"""Objects per page: one send, one job-ledger insert and one checkpoint each (a chDB insert costs
~35 ms: smaller pages halve planning's rate at 1,000 objects)."""


def plan_pages(job: Job, objects: ObjectStore, queue: Queue, jobs: Jobs, totals: planner.PlanTotals,
               page: int = PAGE) -> Iterator[None]:
    """List and enqueue the job from its checkpoints, yielding after every page sent."""
    keys = planner.Keys(job.options.get("include") or (), job.options.get("exclude") or ())
    forced, page = job.options.get("type"), int(job.options.get("page") or page)  # the job's own: pages resend alike
    marks = jobs.checkpoints(job.id)
    for prefix in planner.prefixes(objects, job.since, job.until, bool(job.options.get("newest_first")), job.prefixes):
        after, finished = marks.get(prefix.path, ("", False))
        if finished:
            continue
        totals.prefixes += 1
        batch: list[ObjectInfo] = []
        for info in objects.list(prefix.path, after):
            if prefix.wants(info.key) and keys.wants(info.key):
                batch.append(info)
                if len(batch) >= page:
                    _send(job, batch, queue, jobs, totals, forced)
                    jobs.checkpoint(job.id, prefix.path, info.key, False)
                    batch = []
                    yield
        _send(job, batch, queue, jobs, totals, forced)
        jobs.checkpoint(job.id, prefix.path, batch[-1].key if batch else after, True)
        yield


def _send(job: Job, batch: list[ObjectInfo], queue: Queue, jobs: Jobs, totals: planner.PlanTotals,
          forced: str | None) -> None:
    if not batch:
        return
    bodies = list(notifications.fabricate_batches(batch, job.id))
    queue.send(bodies, dedup_ids=[f"{job.id}:{hashlib.sha1(b.encode()).hexdigest()}" for b in bodies])
    rows = []
    for info in batch:
        kind = forced or getattr(registry.recognise(info.key), "name", "")
        m = ACCOUNT_REGION.search(info.key)
        rows.append(describe(info, kind, planner.key_date(info.key), m[1] if m else "", (m and m[2]) or ""))
    jobs.listed(job.id, rows)
    totals.objects += len(batch)
    totals.bytes += sum(i.size for i in batch)
    totals.messages += len(bodies)


@dataclass
class _Planning:
    job: Job
    pages: Iterator[None]
    totals: planner.PlanTotals = field(default_factory=planner.PlanTotals)


class Runner:
    """Plans the jobs started here, a page of each in turn, and settles finished jobs.

    `objects_for(job)` opens the job's bucket; `queue_for(job)` is its backfill queue (the
    caller makes sure a worker serves it); `on_end(report)` hears of every job settled here;
    `post(url, body)` sends a job's summary to its --notify webhook; `redrive(job)` gives the
    job's queued and dead-lettered messages their deliveries back and says how many (`resume`);
    `end_grace_s`: with a store other processes share, how long a claim to end a job waits for a
    rival claim to show (`Jobs.claim_end`): longer than a small INSERT takes; `stranded(job)`: the
    job's queue holds none of its messages any more, waiting or in flight, and has dead letters (an
    exact count only: the embedded queue), so its objects still queued will never load.
    """

    def __init__(self, jobs: Jobs, objects_for: Callable[[Job], ObjectStore], queue_for: Callable[[Job], Queue],
                 on_end: Callable[[dict], None] = lambda r: None, page: int = PAGE,
                 post: Callable[[str, dict], object] = lambda url, body: None,
                 redrive: Callable[[Job], int] = lambda job: 0, end_grace_s: float = 0.0,
                 stranded: Callable[[Job], bool] = lambda job: False):
        self.jobs, self.objects_for, self.queue_for, self.on_end, self.page = jobs, objects_for, queue_for, on_end, page
        self.post, self.redrive, self.end_grace_s, self.stranded = post, redrive, end_grace_s, stranded
        self.errors: dict[str, BacktrailError] = {}
        self.started: list[str] = []
        self._planning: dict[str, _Planning] = {}
        self._totals: dict[str, planner.PlanTotals] = {}
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._thread: threading.Thread | None = None
        self.closed = False

    def create(self, job: Job) -> Job:
        """Save and start a new job; an unreadable bucket or a bad source refuses it first."""
        self.objects_for(job)
        self.queue_for(job)
        job.options.setdefault("page", self.page)
        self.jobs.save(job)
        return self.start(job)

    def start(self, job: Job) -> Job:
        """Plan `job` in this process, from its checkpoints (a job already listed only runs)."""
        with self._lock:
            if self.closed:
                raise ConfigError(f"{CLOSING}: start the backfill again in a moment")
            if job.id in self._planning:
                return job
        objects, queue = self.objects_for(job), self.queue_for(job)
        state = RUNNING if job.planned_at else PLANNING
        job = self.jobs.update(job.id, state=state, started_at=job.started_at or now(), finished_at=None)
        with self._lock:
            self.started.append(job.id)
            if not job.planned_at:
                totals = self._totals[job.id] = planner.PlanTotals()
                self._planning[job.id] = _Planning(job, plan_pages(job, objects, queue, self.jobs, totals, self.page),
                                                   totals)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="backfill-planner", daemon=True)
                self._thread.start()
        return job

    def resume(self, job: Job) -> Job:
        """`start` a job a user resumed, after giving the messages of its queue (not in flight)
        their deliveries back, dead letters included: a process killed while it held a message
        used up one of the message's deliveries, as on SQS, so a message in flight at more kills
        than the queue allows was dead-lettered. Only a user's resume does this; a process adopting
        the jobs a crash left does not, so a message that crashes every process reading it still
        ends in the dead letters."""
        if sent := self.redrive(job):
            log.info("backfill %s: %d messages delivered before (dead letters included) get their"
                     " deliveries back", job.id, sent)
        self.errors.pop(job.id, None)
        return self.start(job)

    def planning(self) -> bool:
        """Some job started here is still being listed (paused ones included)."""
        return bool(self._planning)

    def close_when_idle(self) -> bool:
        """Take no more jobs, if none is being listed (else False: load it first)."""
        with self._lock:
            self.closed = not self._planning
            return self.closed

    def totals(self, job_id: str) -> planner.PlanTotals:
        """What this process listed of the job so far."""
        return self._totals.get(job_id) or planner.PlanTotals()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _loop(self) -> None:
        with background():  # listing is never urgent: live objects and searches go first
            self._plan_all()

    def _plan_all(self) -> None:
        checked = 0.0
        while not self._stop.is_set():
            states = self.jobs.states() if self._planning else {}
            moved = False
            for job_id, p in list(self._planning.items()):
                state = states.get(job_id, PLANNING)
                if state == PAUSED:
                    continue
                if state in FINAL:
                    self._planning.pop(job_id)
                    continue
                try:
                    next(p.pages)
                    moved = True
                except StopIteration:
                    self._planning.pop(job_id)
                    self.jobs.listing_done(job_id)
                except BacktrailError as exc:
                    self._planning.pop(job_id)
                    self.errors[job_id] = exc
                    log.warning("backfill %s: listing failed: %s", job_id, exc)
                    try:  # the store itself may be what failed (a full disk): the job stays resumable
                        self.jobs.update(job_id, state=FAILED, finished_at=now(), summary={"error": str(exc)})
                    except BacktrailError as also:
                        log.warning("backfill %s: cannot record the failure: %s", job_id, also)
            if time.monotonic() - checked > 1.0:
                checked = time.monotonic()
                try:
                    self.settle()
                except BacktrailError as exc:  # e.g. a full disk: settled on a later pass, or when drained
                    log.warning("backfill jobs: cannot settle now: %s", exc)
            if not moved:
                self._stop.wait(0.2)

    def settle(self, job_ids: list[str] | None = None, drained: bool = False) -> list[dict]:
        """End the jobs whose listed objects all have an outcome (or whose queue is empty: `drained`
        for all, `stranded` for one; the rest counted as failed): state done, failed or cancelled,
        summary, webhook. A failed job may be resumed, dead letters included (`resume`)."""
        ended = []
        candidates = [j for j in self.jobs.list() if (job_ids is None or j.id in job_ids)
                      and j.id not in self._planning and (j.planned_at or j.state == CANCELLED or j.id in self.errors)
                      and not j.summary.get("state")]
        stranded = set()
        if candidates and not drained:  # while objects are queued, the progress alone says so (one query)
            progress = self.jobs.progress([j.id for j in candidates])
            stranded = {j.id for j in candidates if queued(progress.get(j.id, {})) and self.stranded(j)}
            candidates = [j for j in candidates if not queued(progress.get(j.id, {})) or j.id in stranded]
        for report in reports(self.jobs, [j.id for j in candidates]) if candidates else []:
            if report["state"] == PAUSED or (report["objects_queued"] and not drained and report["id"] not in stranded):
                continue
            if not self._claim_end(report["id"]):
                continue
            state = report["state"] if report["state"] in (CANCELLED, FAILED) else (
                FAILED if report["objects_failed"] or report["objects_queued"] else DONE)
            job = self.jobs.update(report["id"], state=state, finished_at=self.jobs.get(report["id"]).finished_at or now())
            report = reports(self.jobs, [job.id])[0]
            if report["objects_queued"] and state != CANCELLED:
                report["last_errors"].insert(0, f"{report['objects_queued']} objects listed but never processed"
                                                " (dead-lettered?)")
            self.jobs.update(job.id, summary={**summary(report), "last_errors": report["last_errors"][:5]})
            if job.notify:
                self.post(job.notify, summary(report))
            self.on_end(report)
            ended.append(report)
        return ended

    def _claim_end(self, job_id: str) -> bool:
        """Whether this process ends the job: workers sharing a store settle the same jobs."""
        token = uuid.uuid4().hex
        if not self.jobs.claim_end(job_id, token):
            return False
        if self.end_grace_s:
            time.sleep(self.end_grace_s)
            return self.jobs.claimed(job_id, token)
        return True
