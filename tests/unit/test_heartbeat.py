"""The visibility heartbeat against a real SQLite queue: tracked messages stay hidden."""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import boto3
import pytest

from backtrail.adapters.sqlite_queue import SqliteQueue
from backtrail.adapters.sqs_queue import SqsQueue
from backtrail.core.errors import PermanentError
from backtrail.core.records import Message
from backtrail.ingest.heartbeat import Heartbeat


class StrictQueue(SqliteQueue):
    """Like SQS: extending the receipt of a deleted message fails (SqliteQueue ignores it)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.deleted: set[str] = set()
        self.extends: list[str] = []

    def delete(self, receipts: Sequence[str]) -> None:
        super().delete(receipts)
        self.deleted |= set(receipts)

    def extend(self, receipt: str, visibility_s: int) -> None:
        self.extends.append(receipt)
        if receipt in self.deleted:
            raise PermanentError(f"ReceiptHandleIsInvalid: {receipt}")
        super().extend(receipt, visibility_s)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "queue.db")


@pytest.fixture
def queue(db: str) -> Iterator[StrictQueue]:
    q = StrictQueue(db, "q", visibility_s=2)
    yield q
    q.close()


@pytest.fixture
def other(db: str) -> Iterator[SqliteQueue]:
    """Another consumer of the same queue, as a second worker would be."""
    q = SqliteQueue(db, "q", visibility_s=2)
    yield q
    q.close()


def receive_one(queue: SqliteQueue, visibility_s: int) -> Message:
    [message] = queue.receive(1, visibility_s=visibility_s)
    return message


def stays_invisible(other: SqliteQueue, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if other.receive(10, visibility_s=30):
            return False
        time.sleep(0.25)
    return True


def test_tracked_message_stays_invisible_then_returns_after_release(queue, other) -> None:
    queue.send(["slow object"])
    message = receive_one(queue, visibility_s=2)
    with Heartbeat(queue, visibility_s=2) as hb:
        hb.track([message.receipt])
        assert stays_invisible(other, 5.0)  # > 2x the visibility timeout
        hb.release([message.receipt])
        assert hb.extended >= 2 and hb.lost == 0
        again = other.receive(1, wait_s=6.0)
    assert [m.body for m in again] == ["slow object"]
    assert again[0].receive_count == 2


def test_over_sqs_a_slow_message_stays_hidden_until_released(moto_url) -> None:
    """The same with SQS (a moto server): ChangeMessageVisibility keeps a slow object's message from
    a second worker for as long as it is processed, and no longer."""
    client = boto3.client("sqs", endpoint_url=moto_url, region_name="us-east-1")
    url = client.create_queue(QueueName=f"hb-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    queue, other = SqsQueue(url, endpoint_url=moto_url), SqsQueue(url, endpoint_url=moto_url)
    queue.send(["slow object"])
    message = receive_one(queue, visibility_s=2)
    with Heartbeat(queue, visibility_s=2) as hb:
        hb.track([message.receipt])
        assert stays_invisible(other, 5.0)
        hb.release([message.receipt])
        assert hb.extended >= 2
        again = other.receive(1, wait_s=6, visibility_s=30)
    assert [m.body for m in again] == ["slow object"]
    client.delete_queue(QueueUrl=url)


def test_deleted_message_is_dropped_and_the_others_are_kept(queue, other) -> None:
    queue.send(["done early", "still busy"])
    done, busy = queue.receive(2, visibility_s=1)
    with Heartbeat(queue, visibility_s=1) as hb:
        hb.track([done.receipt, busy.receipt])
        queue.delete([done.receipt])  # e.g. acked while another thread forgot to release it
        deadline = time.monotonic() + 5
        while hb.lost == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hb.lost == 1
        assert stays_invisible(other, 2.5)  # the thread survived and keeps `busy` hidden
        assert queue.extends.count(done.receipt) == 1
        assert queue.extends.count(busy.receipt) >= 2
        hb.release([busy.receipt])


def test_any_exception_drops_the_receipt_without_killing_the_thread(db) -> None:
    class Broken(SqliteQueue):
        def extend(self, receipt: str, visibility_s: int) -> None:
            if receipt == self.bad:
                raise RuntimeError("connection reset")
            super().extend(receipt, visibility_s)

    queue = Broken(db, "q", visibility_s=1)
    try:
        queue.send(["a", "b"])
        a, b = queue.receive(2)
        queue.bad = a.receipt
        with Heartbeat(queue, visibility_s=1) as hb:
            hb.track([a.receipt, b.receipt])
            deadline = time.monotonic() + 5
            while hb.extended < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert hb.lost == 1 and hb.extended >= 3
    finally:
        queue.close()


def test_due_only_after_a_third_of_the_timeout(queue) -> None:
    now = [100.0]
    hb = Heartbeat(queue, visibility_s=3, clock=lambda: now[0])  # not entered: no thread
    hb.track(["r1"])
    now[0] = 100.9
    hb.beat()
    assert queue.extends == []
    now[0] = 101.0
    hb.beat()
    assert queue.extends == ["r1"]
    hb.beat()
    assert queue.extends == ["r1"]  # just extended
    hb.release(["r1"])
    now[0] = 200.0
    hb.beat()
    assert queue.extends == ["r1"]


def test_release_waits_for_a_running_extension(db) -> None:
    entered, proceed = threading.Event(), threading.Event()

    class Slow(StrictQueue):
        def extend(self, receipt: str, visibility_s: int) -> None:
            entered.set()
            proceed.wait(10)
            super().extend(receipt, visibility_s)

    queue = Slow(db, "q", visibility_s=1)
    try:
        queue.send(["x"])
        message = receive_one(queue, visibility_s=1)
        with Heartbeat(queue, visibility_s=1) as hb:
            hb.track([message.receipt])
            assert entered.wait(5)
            releaser = threading.Thread(target=hb.release, args=([message.receipt],))
            releaser.start()
            releaser.join(0.3)
            assert releaser.is_alive()  # the extension in progress must finish first
            proceed.set()
            releaser.join(5)
            assert not releaser.is_alive()
            calls = len(queue.extends)
            time.sleep(1.2)
            assert len(queue.extends) == calls  # never touched again after release
    finally:
        proceed.set()
        queue.close()


def test_exit_is_prompt_even_with_a_long_period(queue) -> None:
    with Heartbeat(queue, visibility_s=600) as hb:  # beats every 200 s
        hb.track(["r"])
        time.sleep(0.1)
        started = time.monotonic()
    assert time.monotonic() - started < 1
    assert not hb._thread.is_alive()
