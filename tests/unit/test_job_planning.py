"""Job planning in-process: checkpoints resume a listing exactly, filters, newest first, job states."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone

from backtrail.adapters.file_objects import FileObjects
from backtrail.adapters.sqlite_queue import SqliteQueue
from backtrail.backfill import planner
from backtrail.backfill.jobs import CANCELLED, PAUSED, RUNNING, Jobs, StateCache, new_job
from backtrail.backfill.runner import plan_pages


def _bucket(tmp_path, days=("01", "02", "03"), per_day=7):
    for day in days:
        for i in range(per_day):
            path = tmp_path / "b" / f"AWSLogs/1/CloudTrail/us-east-1/2026/11/{day}/k{i}.json.gz"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x")
    return tmp_path / "b"


def _queued(queue: SqliteQueue) -> list[str]:
    return [r["s3"]["object"]["key"] for m in queue.receive(1000) for r in json.loads(m.body)["Records"]]


def test_a_listing_stopped_mid_page_resumes_without_repeats_or_gaps(store, tmp_path):
    root, jobs = _bucket(tmp_path), Jobs(store)
    queue = SqliteQueue(str(tmp_path / "q.db"), "bf")
    job = jobs.save(new_job(f"file://{root}"))
    job.options["page"] = 4
    pages = plan_pages(job, FileObjects(str(root)), queue, jobs, planner.PlanTotals(), 4)
    next(pages), next(pages)  # two pages, then the planner "dies"
    jobs.checkpoint(job.id, "", "", False)  # even a checkpoint lost with it: the resent pages are dropped
    rest = plan_pages(job, FileObjects(str(root)), queue, jobs, planner.PlanTotals(), 4)
    for _ in rest:
        pass
    keys = Counter(_queued(queue))
    assert len(keys) == 21 and set(keys.values()) == {1}
    progress = jobs.progress([job.id])[job.id].values()
    assert sum(t["listed"] for t in progress) == 21 and sum(t["done"] for t in progress) == 0


def test_include_exclude_and_newest_first():
    keys = planner.Keys(["*/CloudTrail/*", "*.log"], ["*eu-west-1*"])
    assert keys.wants("AWSLogs/1/CloudTrail/us-east-1/x.gz") and keys.wants("a/b.log")
    assert not keys.wants("AWSLogs/1/CloudTrail/eu-west-1/x.gz") and not keys.wants("AWSLogs/1/vpcflowlogs/x")
    assert planner.Keys().wants("anything")


def test_newest_first_orders_day_prefixes(tmp_path):
    root = _bucket(tmp_path, per_day=1)
    t0, t1 = datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 11, 3, tzinfo=timezone.utc)
    got = [p.day.day for p in planner.prefixes(FileObjects(str(root)), t0, t1, newest_first=True)]
    assert got == [3, 2, 1]


def test_job_states_are_cached_and_controlled(store):
    jobs = Jobs(store)
    job = jobs.save(new_job("file:///nowhere"))
    cache = StateCache(jobs, ttl_s=3600, miss_s=0)
    assert cache(job.id) == "planning"
    jobs.control(job.id, "pause")
    assert cache(job.id) == "planning"  # cached
    assert StateCache(jobs)(job.id) == PAUSED
    assert jobs.control(job.id, "resume").state == "planning"
    jobs.listing_done(job.id)
    assert jobs.get(job.id).state == RUNNING
    assert jobs.control(job.id, "cancel").state == CANCELLED and jobs.get(job.id).finished_at
    assert cache("bf-unknown") == RUNNING
