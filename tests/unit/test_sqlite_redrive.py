"""Redrive of the embedded queue's dead letters (`SqliteQueue.redrive`)."""
from __future__ import annotations

from pathlib import Path

from backtrail.adapters.sqlite_queue import SqliteQueue


def test_redrive_revives_only_this_queues_dead_letters(tmp_path: Path) -> None:
    path = str(tmp_path / "q.db")
    q = SqliteQueue(path, "q", visibility_s=0, max_receives=1)
    other = SqliteQueue(path, "other", visibility_s=0, max_receives=1)
    try:
        q.send(["a", "b"])
        other.send(["x"])
        assert [(m.body, m.receive_count) for m in q.receive()] == [("a", 1), ("b", 1)]
        assert [m.body for m in other.receive()] == ["x"]
        assert q.receive() == [] and other.receive() == []  # delivery 2 dead-letters instead
        q.send(["in flight"])
        [busy] = q.receive(visibility_s=30)
        assert [m.body for m in q.dead_letters()] == ["a", "b"]
        assert (q.stats().dead, q.stats().in_flight) == (2, 1)

        assert q.redrive() == 2

        assert q.dead_letters() == []
        stats = q.stats()
        assert (stats.visible, stats.in_flight, stats.dead) == (2, 1, 0)
        got = q.receive(visibility_s=30)
        assert [(m.body, m.receive_count) for m in got] == [("a", 1), ("b", 1)]
        assert [m.body for m in other.dead_letters()] == ["x"]  # another queue: untouched
        q.delete([busy.receipt] + [m.receipt for m in got])  # receipts still valid
        assert q.stats().in_flight == 0
        assert q.redrive() == 0
    finally:
        q.close()
        other.close()



def test_redrive_of_delivered_messages_gives_their_receives_back(tmp_path: Path) -> None:
    """`redrive(delivered=True)`: dead letters and visible messages delivered before start from
    receive 0; a delivery in flight and a message never delivered are left as they are."""
    q = SqliteQueue(str(tmp_path / "q.db"), "q", visibility_s=0, max_receives=2)
    try:
        q.send(["dead"])
        assert [m.receive_count for m in q.receive() + q.receive()] == [1, 2]
        assert q.receive() == [] and q.stats().dead == 1
        q.send(["tried", "held"])
        tried, held = q.receive(2, visibility_s=30)
        q.extend(tried.receipt, 0)  # handed back: visible again, one receive used
        q.send(["fresh"])

        assert q.redrive(delivered=True) == 2  # "dead" and "tried"

        stats = q.stats()
        assert (stats.visible, stats.in_flight, stats.dead) == (3, 1, 0)
        got = q.receive(10, visibility_s=30)
        assert [(m.body, m.receive_count) for m in got] == [("dead", 1), ("tried", 1), ("fresh", 1)]
        q.delete([held.receipt] + [m.receipt for m in got])  # the delivery in flight kept its receipt
        assert q.stats().in_flight == 0
    finally:
        q.close()
