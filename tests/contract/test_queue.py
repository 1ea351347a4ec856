"""Contract of `ports.Queue`, run against the embedded SQLite queue and SQS (a moto server).

SQS promises neither order nor that a superseded receipt stops working, so those checks are
SQLite-only, as are its extras: dead_letters, reopening the file, several processes at once.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from backtrail.adapters.sqlite_queue import SqliteQueue
from backtrail.adapters.sqs_queue import BATCH_BYTES, SqsQueue, _batches
from backtrail.core.errors import PermanentError, TransientError
from backtrail.core.ports import Queue
from backtrail.core.records import Message

MAX_RECEIVES = 2


@pytest.fixture(params=["sqlite", "sqs"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Queue]:
    """A fresh, empty queue: visibility 30 s, dead-lettered after MAX_RECEIVES deliveries."""
    if request.param == "sqlite":
        q = SqliteQueue(str(tmp_path / "queue.db"), "q", visibility_s=30,
                        max_receives=MAX_RECEIVES)
        yield q
        q.close()
        return
    endpoint = request.getfixturevalue("moto_url")
    client = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
    name = f"t-{uuid.uuid4().hex[:12]}"
    dlq = client.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = client.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    redrive = {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
               "maxReceiveCount": MAX_RECEIVES}
    url = client.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": "30", "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    yield SqsQueue(url, endpoint_url=endpoint)
    for u in (url, dlq):
        client.delete_queue(QueueUrl=u)


@pytest.fixture
def sqlite_queue(tmp_path: Path) -> Iterator[SqliteQueue]:
    q = SqliteQueue(str(tmp_path / "queue.db"), "q", visibility_s=30, max_receives=MAX_RECEIVES)
    yield q
    q.close()


def receive_n(q: Queue, n: int, timeout_s: float = 10.0, **kwargs: Any) -> list[Message]:
    """Receive until `n` messages arrived (more is a failure) or `timeout_s` passed."""
    got: list[Message] = []
    deadline = time.monotonic() + timeout_s
    while len(got) < n and time.monotonic() < deadline:
        got += q.receive(max_messages=10, wait_s=1, **kwargs)
    assert len(got) == n, [m.body for m in got]
    return got


def test_send_receive_delete_round_trip(queue: Queue) -> None:
    queue.send(["hello"])
    [m] = receive_n(queue, 1)
    assert (m.body, m.receive_count) == ("hello", 1) and m.id and m.receipt
    assert queue.receive(wait_s=0) == []  # hidden while in flight
    queue.delete([m.receipt])
    stats = queue.stats()
    assert (stats.visible, stats.in_flight, stats.dead) == (0, 0, 0)


def test_batch_of_25_and_the_byte_limit(queue: Queue) -> None:
    bodies = [f"m{i}" for i in range(25)] + ["x" * 100_000] * 4  # 400 kB: needs 2+ batches
    queue.send(bodies)
    got = receive_n(queue, len(bodies))
    assert sorted(m.body for m in got) == sorted(bodies)
    assert len({m.id for m in got}) == len(bodies)
    if isinstance(queue, SqliteQueue):  # SQS standard queues do not promise order
        assert [m.body for m in got] == bodies
    queue.delete([m.receipt for m in got])
    assert queue.stats().visible == queue.stats().in_flight == 0


def test_visibility_timeout_and_extend(queue: Queue) -> None:
    queue.send(["expires", "extended"])
    first = {m.body: m for m in receive_n(queue, 2, visibility_s=1)}
    queue.extend(first["extended"].receipt, 30)
    assert queue.receive(wait_s=0) == []
    time.sleep(1.5)
    [again] = receive_n(queue, 1)
    assert (again.body, again.id, again.receive_count) == ("expires", first["expires"].id, 2)
    assert again.receipt != first["expires"].receipt
    assert queue.receive(wait_s=0) == []  # "extended" is still hidden


def test_stale_receipts_are_ignored(queue: Queue) -> None:
    queue.send(["a", "b"])
    got = receive_n(queue, 2)
    gone = got[0]
    queue.delete([gone.receipt])
    queue.delete([gone.receipt])  # twice: no error
    queue.extend(gone.receipt, 30)  # deleted: no error, no effect
    queue.delete([f"{gone.receipt}x", "not-a-receipt"])
    stats = queue.stats()
    assert (stats.visible, stats.in_flight) == (0, 1)  # the other message is untouched


def test_long_poll_returns_a_message_sent_meanwhile(queue: Queue) -> None:
    timer = threading.Timer(0.5, queue.send, args=(["late"],))
    started = time.monotonic()
    timer.start()
    try:
        got = queue.receive(wait_s=5)
    finally:
        timer.join()
    assert [m.body for m in got] == ["late"]
    assert time.monotonic() - started < 5


def test_stats_count_visible_and_in_flight(queue: Queue) -> None:
    queue.send(["a", "b", "c"])
    [m] = queue.receive(max_messages=1, wait_s=1)
    stats = queue.stats()
    assert (stats.visible, stats.in_flight, stats.dead) == (2, 1, 0)
    assert stats.oldest_age_s >= 0
    queue.delete([m.receipt])
    assert queue.stats().in_flight == 0


def test_dead_letter_after_max_receives(queue: Queue) -> None:
    queue.send(["poison"])
    for n in range(1, MAX_RECEIVES + 1):
        [m] = receive_n(queue, 1, visibility_s=0)
        assert m.receive_count == n
    assert queue.receive(wait_s=0.5) == []  # the next delivery dead-letters it instead
    stats = queue.stats()
    assert (stats.visible, stats.in_flight, stats.dead) == (0, 0, 1)
    if isinstance(queue, SqliteQueue):
        [dead] = queue.dead_letters(10)
        assert (dead.id, dead.body, dead.receive_count) == (m.id, "poison", MAX_RECEIVES)


# --- SQLite only -------------------------------------------------------------------------------


def test_sqlite_superseded_receipt_is_a_no_op(sqlite_queue: SqliteQueue) -> None:
    sqlite_queue.send(["a"])
    [old] = sqlite_queue.receive(visibility_s=0)
    [new] = sqlite_queue.receive(visibility_s=30)
    sqlite_queue.delete([old.receipt])
    sqlite_queue.extend(old.receipt, 0)
    assert sqlite_queue.stats().in_flight == 1
    sqlite_queue.delete([new.receipt])
    assert sqlite_queue.stats().in_flight == 0


def test_sqlite_durable_across_reopen_and_queues_share_a_file(tmp_path: Path) -> None:
    path = str(tmp_path / "queue.db")
    q = SqliteQueue(path, "q")
    assert q.url == f"sqlite://{Path(path).resolve()}?name=q"
    q.send(["1", "2", "3"])
    [m] = q.receive(max_messages=1)
    SqliteQueue(path, "other").send(["elsewhere"])
    q.close()
    reopened = SqliteQueue(path, "q")
    stats = reopened.stats()
    assert (stats.visible, stats.in_flight) == (2, 1)
    assert [x.body for x in reopened.receive()] == ["2", "3"]
    reopened.delete([m.receipt])  # a receipt from before the reopen still acks
    assert reopened.stats().in_flight == 2
    reopened.purge()
    assert reopened.stats() == type(stats)()
    assert SqliteQueue(path, "other").stats().visible == 1


def _drain(path: str, start: Any, results: Any) -> None:
    """Worker process: receive and delete until the queue is empty, report the ids it got.

    (SQLite's busy handler is not fair: a process looping on receive without pausing can starve
    the other one, which is harmless but would make this test check nothing.)
    """
    q = SqliteQueue(path, "q")
    start.wait()
    ids: list[str] = []
    while got := q.receive(max_messages=5):
        ids += [m.id for m in got]
        time.sleep(0.005)  # some work, so the other process gets the write lock in between
        q.delete([m.receipt for m in got])
    results.put(ids)


def test_sqlite_two_processes_never_get_the_same_message(sqlite_queue: SqliteQueue) -> None:
    sqlite_queue.send([f"m{i}" for i in range(200)])
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_drain, args=(sqlite_queue.path, start, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    got = [results.get(timeout=30) for _ in procs]
    for p in procs:
        p.join(timeout=10)
    ids = got[0] + got[1]
    assert len(ids) == len(set(ids)) == 200
    assert all(got), "both processes should have received some messages"
    assert sqlite_queue.stats() == type(sqlite_queue.stats())()


# --- SQS only ----------------------------------------------------------------------------------


def test_sqs_missing_queue_is_permanent_and_named(moto_url: str) -> None:
    url = f"{moto_url}/123456789012/no-such-queue"
    with pytest.raises(PermanentError, match="no-such-queue"):
        SqsQueue(url, endpoint_url=moto_url).stats()


def test_sqs_connection_refused_is_transient() -> None:
    from moto_server import free_port

    endpoint = f"http://127.0.0.1:{free_port()}"
    client = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing",
                          config=Config(retries={"max_attempts": 1}, connect_timeout=1))
    with pytest.raises(TransientError):
        SqsQueue(f"{endpoint}/123456789012/q", client).send(["x"])


def test_sqs_send_batches_respect_count_and_byte_limits() -> None:
    # moto accepts oversized batches, so the split is checked directly
    bodies = ["s"] * 12 + ["x" * 100_000] * 4 + ["é" * 200_000]
    batches = list(_batches(bodies))
    assert [len(b) for b in batches] == [10, 4, 2, 1]
    assert sum(batches, []) == bodies
    assert all(sum(len(s.encode()) for s in b) <= BATCH_BYTES for b in batches[:-1])
