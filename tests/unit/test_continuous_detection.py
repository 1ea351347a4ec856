"""Continuous detection: batches handed over are checked once; a failed run keeps them."""
from __future__ import annotations

from datetime import datetime, timezone

from backtrail.core.priority import PriorityStore, background
from backtrail.detect.continuous import ContinuousDetection
from backtrail.detect.sigma import Rule

GOOD = Rule("t-root", "root", "high", "cloudtrail", "actor_type = {r0:String}", {"r0": "Root"})
BROKEN = Rule("t-broken", "broken", "high", "cloudtrail", "no_such_column = 1", {})


def _write(store, obj: str, actor_type: str) -> datetime:
    began = datetime.now(timezone.utc)
    store.command("INSERT INTO events (ts, ingested_at, source_type, event_id, actor_type, object, raw)"
                  " VALUES (now64(3), now64(6), 'cloudtrail', {id:String}, {t:String}, {o:String}, '{}')",
                  {"id": f"{obj}-1", "t": actor_type, "o": obj})
    return began


def _alerts(store, obj: str) -> int:
    return int(store.query("SELECT count() AS n FROM alerts WHERE object = {o:String}", {"o": obj})[0]["n"])


def test_checks_each_batch_once_and_keeps_them_through_a_failed_run(store):
    seen: list[list[dict]] = []
    detection = ContinuousDetection(store, [BROKEN], notify=seen.append, every_s=3600)
    with background():  # a backfill's thread: the check runs in it
        detection.written([("cd/a", 1)], _write(store, "cd/a", "Root"))  # due at once: runs, fails, keeps the batch
        detection.written([("cd/b", 1)], _write(store, "cd/b", "IAMUser"))  # not due: waits
    assert detection.run() == 0  # fails again, and stops
    _write(store, "cd/c", "Root")  # written, but never handed over: not this detector's batch
    assert detection.raised == 0 and not seen
    detection.pack = [GOOD]
    assert detection.run() == 1 and detection.raised == 1
    assert (_alerts(store, "cd/a"), _alerts(store, "cd/b"), _alerts(store, "cd/c")) == (1, 0, 0)
    assert [[a["object"] for a in rows] for rows in seen] == [["cd/a"]]
    assert detection.run() == 0  # nothing left to check


def test_checks_in_steps_of_about_step_events(store):
    detection = ContinuousDetection(store, [GOOD], every_s=3600, step_events=2)
    with background():
        for name in ("st/a", "st/b", "st/c"):
            detection.written([(name, 1)], _write(store, name, "Root"))  # the first is due: checked alone
    assert detection.raised == 1 and _alerts(store, "st/a") == 1
    assert detection.run(wait=False) == 2  # one step: b and c (2 events)
    detection.written([("st/d", 1)], _write(store, "st/d", "Root"))
    assert detection.run() == 1 and detection.raised == 4


def test_a_live_objects_thread_hands_the_check_to_a_thread_beside_it(store):
    """The store's turn is held by this test while the live object is handed over: were the check
    run in this thread, `written` would never return."""
    gated = PriorityStore(store)
    detection = ContinuousDetection(gated, [GOOD], every_s=3600)
    began = _write(store, "lv/a", "Root")
    with gated._slot():
        detection.written([("lv/a", 1)], began)
        assert detection.raised == 0
    assert detection.run() == 0 and detection.raised == 1  # waited for the check beside it
    assert _alerts(store, "lv/a") == 1
