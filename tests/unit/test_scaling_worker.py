"""Scaling inside the worker: its queue samples set the desired-workers gauges and its concurrent fetches."""
from __future__ import annotations

import threading

from backtrail.adapters.file_objects import FileObjects
from backtrail.adapters.sqlite_queue import SqliteQueue
from backtrail.demo_data import write_synthetic_bucket
from backtrail.ingest.autoscale import MIN_FETCHES
from backtrail.ingest.budget import Slots
from backtrail.ingest.scaling import Policy
from backtrail.ingest.worker import Source, Worker
from backtrail.logtypes import notifications

# one worker clears 1 object/s and a backlog should clear within 60 s: 200 objects need 4 workers
POLICY = Policy(min_workers=1, max_workers=6, objects_per_worker_s=1, drain_within_s=60, scale_down_after_s=0)


def _objects(root, n: int):
    write_synthetic_bucket(root, n, 3)
    files = FileObjects(str(root))
    return files, list(files.list(""))


def test_samples_set_desired_workers_and_fetch_slots_follow_the_backlog(store, tmp_path) -> None:
    files, infos = _objects(tmp_path / "bucket", 4)
    backfill = SqliteQueue(str(tmp_path / "q.db"), "scale-backfill")
    live = SqliteQueue(str(tmp_path / "q.db"), "scale-live")
    backfill.send([notifications.fabricate(infos, "")] * 4)  # 4 backfill messages: ~200 objects
    worker = Worker(store, [Source("scale", "cloudtrail", live=[live], backfill=[backfill])], lambda b: files,
                    fetch_threads=8, scaling=POLICY)
    worker.sample_queues()
    m = worker.metrics
    assert m.value("backtrail_backlog_objects", source="scale") == 200
    assert m.value("backtrail_desired_workers", source="scale") == 4
    assert m.value("backtrail_desired_workers_overall") == 4
    assert m.value("backtrail_worker_objects_per_second") == 1  # nothing measured yet: the configured rate
    assert worker.fetch_slots.limit == 8 and m.value("backtrail_fetch_concurrency") == 8
    rendered = m.render()
    assert 'backtrail_desired_workers{source="scale"} 4' in rendered

    backfill.purge()  # the queues empty: fetches give back one slot per sample, down to the floor
    limits = []
    for _ in range(8):
        worker.sample_queues()
        limits.append(worker.fetch_slots.limit)
    assert limits == [7, 6, 5, 4, 3, 2, 2, 2] and MIN_FETCHES == 2
    assert m.value("backtrail_desired_workers", source="scale") == 1  # min_workers, no cool-down set

    backfill.send([notifications.fabricate(infos, "")] * 2)  # work again: the fetches double at once
    worker.sample_queues()
    assert worker.fetch_slots.limit == 4
    progress = worker.run(until=lambda: True, threads=2)  # the worker still loads through its slots
    assert progress.objects + progress.duplicates == 8 and progress.failed == 0
    worker.sample_queues()
    assert m.value("backtrail_backlog_objects", source="scale") == 0


def test_two_sources_of_one_name_are_one_backlog(store, tmp_path) -> None:
    """A backfill job's queue is served as another Source with its source's name: their backlogs add up."""
    a, b = SqliteQueue(str(tmp_path / "q.db"), "a"), SqliteQueue(str(tmp_path / "q.db"), "b")
    a.send(["{}"] * 2)
    b.send(["{}"] * 3)
    worker = Worker(store, [Source("auto", None, backfill=[a]), Source("auto", None, backfill=[b])],
                    lambda bucket: None, scaling=POLICY)
    worker.sample_queues()
    assert worker.metrics.value("backtrail_backlog_objects", source="auto") == 250


def test_slots_resize_while_held() -> None:
    slots = Slots(1)
    entered, release = threading.Event(), threading.Event()

    def second() -> None:
        with slots.holding():
            entered.set()
            release.wait(10)

    with slots.holding():
        thread = threading.Thread(target=second, daemon=True)
        thread.start()
        assert slots.used == 1 and not entered.is_set()
        slots.resize(2)  # room for the waiting one, while the first still holds its slot
        assert entered.wait(10) and slots.used == 2
        slots.resize(1)  # shrinking interrupts nobody
        assert slots.used == 2
    release.set()
    thread.join(10)
    assert slots.used == 0 and slots.limit == 1
