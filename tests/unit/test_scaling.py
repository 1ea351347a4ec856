"""The scaling decision over recorded backlog curves: up promptly, down after a cool-down, never flapping."""
from __future__ import annotations

import math
import random

import pytest

from backtrail.core.config import ScalingConfig
from backtrail.ingest.scaling import (OBJECTS_PER_BACKFILL_MESSAGE, Hysteresis, Policy, Recommender, Sample,
                                      Throughput, backlog_objects, fetch_limit, need, trend)

POLICY = Policy(min_workers=1, max_workers=20, objects_per_worker_s=50, drain_within_s=900, scale_down_after_s=300)
STEP = 15.0  # seconds between samples, as `backtrail scale --watch` takes them


def replay(curve: list[tuple[float, float | None]], policy: Policy = POLICY) -> list[tuple[int, str]]:
    """(objects, oldest age) every STEP seconds → the (desired, reason) of each sample."""
    rec = Recommender(policy)
    out = []
    for i, (objects, age) in enumerate(curve):
        decisions, _ = rec.observe(i * STEP, {"s": Sample(i * STEP, objects, age)})
        out.append((decisions["s"].desired, decisions["s"].reason))
    return out


def changes(desired: list[int]) -> int:
    return sum(a != b for a, b in zip(desired, desired[1:]))


def test_rising_backfill_scales_up_at_every_sample_without_lag() -> None:
    # a planner listing 1,500 objects/s for 3 minutes, the oldest message as old as the listing
    curve = [(1500 * STEP * i, STEP * i or None) for i in range(13)]
    desired = [d for d, _ in replay(curve)]
    assert desired == sorted(desired), desired  # never down while rising
    for i, (objects, age) in enumerate(curve[1:], 1):
        projected = objects + 1500 * 60  # the trend of an exactly linear curve is its slope
        workers = projected / (50 * max(900 - age, 225))
        assert workers / 1.1 <= desired[i] <= math.ceil(workers), (i, workers, desired)  # within 10%, at once
    assert desired[-1] == 10  # 270,000 + 90,000 objects within 720 s at 50/s


def test_draining_backfill_holds_while_on_time_then_trails_the_falling_need_down() -> None:
    # 450,000 objects enqueued at once, drained by 10 workers at 50/s: the deadline rule keeps 10
    curve = [(max(0.0, 450_000 - 500 * STEP * i), STEP * i if 450_000 - 500 * STEP * i > 0 else None)
             for i in range(100)]
    decided = replay(curve)
    desired = [d for d, _ in decided]
    assert desired[0] == 10
    assert all(a >= b for a, b in zip(desired, desired[1:])), desired  # only ever down
    raw = [math.ceil(need([Sample(0, o, a)], POLICY).workers) or 1 for o, a in curve]
    fell = raw.index(9)  # the need drops once the quarter-window floor applies
    first_down = next(i for i, d in enumerate(desired) if d < 10)
    assert (first_down - fell) * STEP == 300  # exactly the cool-down later
    assert "down from 10" in decided[first_down][1]
    assert desired[-1] == 1


def test_noisy_steady_backlog_crossing_a_boundary_does_not_flap() -> None:
    rng = random.Random(7)
    curve = [(90_000 * (1 + rng.uniform(-0.08, 0.08)), None) for _ in range(240)]  # an hour, SQS: no age
    raw = [math.ceil(need([Sample(0, o)], POLICY).workers) for o, _ in curve]
    assert changes(raw) > 20  # the curve really crosses 2 workers back and forth
    desired = [d for d, _ in replay(curve)]
    assert changes(desired) <= 2 and set(desired) <= {2, 3}, desired


def test_empty_queue_goes_to_the_minimum() -> None:
    for floor in (0, 1, 3):
        decided = replay([(0, None)] * 3, Policy(min_workers=floor, max_workers=5))
        assert [d for d, _ in decided] == [floor] * 3
        assert decided[0][1] == f"queues empty: min {floor}"


def test_anything_queued_keeps_one_worker_even_with_a_floor_of_zero() -> None:
    assert [d for d, _ in replay([(3, None)], Policy(min_workers=0, max_workers=5))] == [1]


def test_stuck_queue_with_old_messages_scales_up() -> None:
    # 30,000 objects nobody clears: fine at first (1 worker), overdue as the oldest message ages
    curve = [(30_000, 60.0 * i) for i in range(21)]
    decided = replay(curve)
    desired = [d for d, _ in decided]
    assert desired[0] == 1 and desired[-1] == 3  # 30,000 / (50 × 225 s, a quarter of the window)
    assert desired == sorted(desired)
    assert "oldest message 1,200 s old" in decided[-1][1]
    # the same curve where the age is unknown (SQS without CloudWatch): backlog alone, no change
    assert {d for d, _ in replay([(o, None) for o, _ in curve])} == {1}


def test_bounds_cap_a_huge_backlog_and_say_so() -> None:
    decided = replay([(10_000_000, None)])
    assert decided[0][0] == 20 and "capped at max 20" in decided[0][1]


def test_a_spike_is_held_for_the_cool_down_then_the_highest_lower_need_wins() -> None:
    h = Hysteresis(POLICY)
    assert h.decide(0, need([Sample(0, 400_000)], POLICY)).desired == 9  # 8.9
    lows = [need([Sample(0, objects)], POLICY) for objects in (100_000, 180_000, 120_000, 100_000)]  # 3 4 3 3
    desired = [h.decide(t, n).desired for t, n in zip((100, 250, 299), lows)]
    assert desired == [9, 9, 9]  # the 9 of t=0 is within the last 300 s
    last = h.decide(301, lows[3])
    assert last.desired == 4 and "down from 9" in last.reason  # the highest need of the cool-down
    again = h.decide(315, need([Sample(0, 220_000)], POLICY))  # 4.9 → 5: up at once
    assert again.desired == 5 and again.reason.startswith("up from 4")


def test_a_need_just_above_the_count_stays_within_the_tolerance() -> None:
    h = Hysteresis(POLICY)
    h.decide(0, need([Sample(0, 180_000)], POLICY))  # exactly 4
    assert h.decide(15, need([Sample(15, 190_000)], POLICY)).desired == 4  # 4.2: within 10%
    assert h.decide(30, need([Sample(30, 200_000)], POLICY)).desired == 5  # 4.4: up


def test_trend_is_the_least_squares_slope() -> None:
    assert trend([Sample(0, 10)]) is None
    assert trend([Sample(0, 10), Sample(10, 30), Sample(20, 50)]) == pytest.approx(2.0)
    assert trend([Sample(0, 100), Sample(10, 60), Sample(20, 40)]) == pytest.approx(-3.0)


def test_backlog_counts_a_backfill_message_as_its_batch_of_objects() -> None:
    assert backlog_objects(7, 2) == 7 + 2 * OBJECTS_PER_BACKFILL_MESSAGE
    assert POLICY.queue_length == 900  # 50 objects/s × 900 s / 50 objects per message


def test_policy_of_a_sources_file() -> None:
    p = Policy.of(ScalingConfig(min_workers=2, max_workers=30, objects_per_worker_s=80, drain_within=600,
                                scale_down_after=120))
    assert (p.min_workers, p.max_workers, p.objects_per_worker_s, p.drain_within_s, p.scale_down_after_s) == (
        2, 30, 80.0, 600.0, 120.0)
    assert Policy.of(ScalingConfig()) == Policy()  # the defaults agree


def test_overall_need_is_the_sum_of_the_sources() -> None:
    rec = Recommender(POLICY)
    decisions, overall = rec.observe(0, {"a": Sample(0, 90_000), "b": Sample(0, 67_500), "c": Sample(0, 0)})
    assert [decisions[s].desired for s in "abc"] == [2, 2, 1]
    assert overall.desired == 4 and overall.need.workers == pytest.approx(3.5)


def test_measured_throughput_counts_only_busy_intervals() -> None:
    tp = Throughput(window_s=900, min_busy_s=60, min_objects=20)
    done = 0
    for t in range(0, 121, 15):  # busy: 40 objects/s
        tp.observe(t, done, True)
        done += 600
    assert tp.rate() == pytest.approx(40.0)
    for t in range(135, 301, 15):  # idle: a trickle that says nothing of capacity
        done += 5
        tp.observe(t, done, False)
    assert tp.rate() == pytest.approx(40.0)
    short = Throughput(min_busy_s=60)
    short.observe(0, 0, True)
    short.observe(30, 1500, True)
    assert short.rate() is None  # 30 s busy: not enough to trust


def test_measured_rate_replaces_the_configured_one() -> None:
    rec = Recommender(POLICY)
    decisions, _ = rec.observe(0, {"s": Sample(0, 90_000)}, rate=25.0)
    assert decisions["s"].desired == 4 and "at 25 objects/s per worker" in decisions["s"].reason


def test_fetch_limit_doubles_toward_the_backlog_and_gives_back_one_at_a_time() -> None:
    limits, current = [], 2
    for backlog in (500, 500, 500, 0, 0, 0, 0, 0, 0, 0, 3):
        current = fetch_limit(current, backlog, lo=2, hi=8)
        limits.append(current)
    assert limits == [4, 8, 8, 7, 6, 5, 4, 3, 2, 2, 3]
    assert fetch_limit(1, 0, lo=2, hi=8) == 2  # below the floor: up to it
