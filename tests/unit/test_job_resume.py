"""A user's `backfill resume ID` gives the job's messages their deliveries back (dead letters
included); a process adopting the jobs a crash left does not, so a message that crashes every
process reading it still ends in the dead letters, and the job, its queue empty but for them,
ends failed."""
from __future__ import annotations

import time
import uuid

import pytest

from backtrail import wiring
from backtrail.adapters.chdb_store import ChdbStore
from backtrail.adapters.file_objects import FileObjects
from backtrail.backfill import planner
from backtrail.backfill.jobs import DONE, FAILED, RUNNING, Jobs, new_job
from backtrail.backfill.runner import plan_pages
from backtrail.core.errors import ConfigError
from backtrail.core.schema import create_tables
from backtrail.core.settings import Settings

RECEIVES = 5  # the embedded queue's deliveries before a message is dead-lettered


@pytest.fixture
def own_store(store):
    """A database of its own in the session's chDB data dir: `adopt_jobs` sees only this test's jobs."""
    mine = ChdbStore(store.data_dir, database=f"resume_{uuid.uuid4().hex[:8]}")
    create_tables(mine)
    yield mine
    mine.close()


def _kills(n: int, queue, settings, job) -> list[int]:
    """n times: a worker takes the job's messages and its process dies; the next process reclaims
    them (what `serve` adopting the job and `backfill resume` both do first)."""
    taken = []
    for _ in range(n):
        taken.append(len(queue.receive(10, visibility_s=600)))
        wiring.reclaim(settings, job)
    return taken


def test_resume_gives_messages_their_deliveries_back_a_restart_does_not(own_store, tmp_path):
    root = tmp_path / "b" / "AWSLogs/1/CloudTrail/us-east-1/2026/11/01"
    root.mkdir(parents=True)
    for i in range(3):
        (root / f"k{i}.json.gz").write_bytes(b"x")
    settings, jobs = Settings.load(str(tmp_path / "data")), Jobs(own_store)
    job = jobs.save(new_job(f"file://{tmp_path / 'b'}"))
    queue = wiring.job_source(settings, job).backfill[0]  # the job's own embedded queue
    for _ in plan_pages(job, FileObjects(str(tmp_path / "b")), queue, jobs, planner.PlanTotals()):
        pass
    job = jobs.listing_done(job.id)
    n = queue.stats().visible
    runner = wiring.backfill_runner(settings, own_store, None)
    try:
        assert _kills(RECEIVES + 1, queue, settings, job) == [n] * RECEIVES + [0]
        assert (queue.stats().visible, queue.stats().dead) == (0, n)  # every kill used up a delivery
        assert wiring.adopt_jobs(settings, runner) == [job.id]  # a restarting `serve` adopts the job...
        assert (queue.stats().visible, queue.stats().dead) == (0, n)  # ...and leaves its dead letters

        # its queue holds only dead letters: the runner ends it failed, saying so, as a foreground run does
        deadline = time.monotonic() + 60  # a bound against hanging: the runner settles every second
        while (failed := jobs.get(job.id)).state != FAILED and time.monotonic() < deadline:
            runner.settle([job.id])
            time.sleep(0.2)
        assert failed.state == FAILED, failed
        assert failed.summary["last_errors"][0] == "3 objects listed but never processed (dead-lettered?)"
        resumed = jobs.control(job.id, "resume")  # a failed job may be resumed
        assert (resumed.state, resumed.summary, resumed.finished_at) == (RUNNING, {}, None)
        runner.resume(resumed)
        assert (queue.stats().visible, queue.stats().dead) == (n, 0)

        assert _kills(RECEIVES, queue, settings, job) == [n] * RECEIVES  # at its last delivery, not dead yet
        runner.resume(jobs.control(job.id, "resume"))
        assert {m.receive_count for m in queue.receive(10, visibility_s=600)} == {1}  # all five back
        wiring.reclaim(settings, job)

        # a message that crashes every process reading it, restarted without a resume: dead-lettered
        assert _kills(RECEIVES, queue, settings, job) == [n] * (RECEIVES - 1) + [0]
        assert queue.stats().dead == n
    finally:
        runner.stop()
        queue.close()

    jobs.update(job.id, state=DONE)
    with pytest.raises(ConfigError, match="has ended"):
        jobs.control(job.id, "resume")  # a job done (or cancelled) stays so
