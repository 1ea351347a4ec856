"""Workers sharing a store all settle the jobs they see finish; each job is ended by one of them:
its summary, webhook and retro hunt happen once. Two connections stand for two processes."""
from __future__ import annotations

import threading
import time
from dataclasses import replace

from backtrail.backfill.jobs import CLAIM_S, DONE, Jobs, new_job
from backtrail.backfill.runner import Runner
from backtrail.core.schema import create_tables


def _two(open_store) -> tuple[Jobs, Jobs]:
    one = open_store()
    create_tables(one)
    return Jobs(one), Jobs(open_store())


def _finished_job(jobs: Jobs):
    """A job whose listing is done and whose objects (none) all have an outcome: ready to end."""
    job = jobs.save(new_job("file:///nowhere", notify="http://127.0.0.1:9/hook"))
    return jobs.listing_done(job.id)


def test_a_claim_stands_against_a_later_one_and_the_latest_of_two_racing_claims_wins(open_store):
    a, b = _two(open_store)
    job = _finished_job(a)
    assert a.claim_end(job.id, "a") and not b.claim_end(job.id, "b")
    assert a.claimed(job.id, "a") and not b.claimed(job.id, "b")

    # both looked before either wrote: b's claim lands after a's and is the one that stands
    b.save(replace(b.get(job.id), summary={"closing": "b", "closing_at": time.time()}))
    assert not a.claimed(job.id, "a") and b.claimed(job.id, "b")


def test_a_claim_left_by_a_dead_process_lapses_and_an_ended_job_is_not_claimed(open_store):
    a, b = _two(open_store)
    job = _finished_job(a)
    a.save(replace(job, summary={"closing": "dead", "closing_at": time.time() - CLAIM_S - 1}))
    assert b.claim_end(job.id, "b") and b.claimed(job.id, "b")
    b.update(job.id, state=DONE, summary={"state": DONE})
    assert not a.claim_end(job.id, "a")


def test_runners_settling_the_same_jobs_at_once_end_each_once(open_store):
    a, b = _two(open_store)
    jobs = [_finished_job(a) for _ in range(3)]
    ended, posted = [], []
    runners = [Runner(j, lambda job: None, lambda job: None, on_end=lambda r: ended.append(r["id"]),
                      post=lambda url, body: posted.append(body["id"]), end_grace_s=0.3) for j in (a, b)]
    start = threading.Barrier(2)

    def settle(runner: Runner) -> None:
        start.wait()
        runner.settle([j.id for j in jobs])
    threads = [threading.Thread(target=settle, args=(r,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = sorted(j.id for j in jobs)
    assert sorted(ended) == ids and sorted(posted) == ids
    assert {a.get(i).state for i in ids} == {DONE}
    assert all(a.get(i).summary.get("state") == DONE for i in ids)
