"""Autoscaling decisions: how many workers a source's backlog needs, how many fetches one worker runs.

Pure: samples in, numbers and reasons out; no I/O and no clock (callers pass the time `t`).

The model. A source's backlog is the objects waiting or in flight on its queues (a live message
names one object, a backfill message up to `OBJECTS_PER_BACKFILL_MESSAGE`). It should clear within
`drain_within_s` of its oldest message's arrival: with the oldest message `age` seconds old, what is
left of that window (never less than a quarter of it) is the time to clear it in. A backlog that
grows is projected `LOOKAHEAD_S` ahead at its trend (least squares over the recent samples), so a
rising backfill is met before it arrives, not by the whole of a planner's burst. One worker clears
`objects_per_worker_s` (configured, or measured by the worker while it had a backlog), so

    need = projected objects / (objects_per_worker_s × time to clear)   (fractional workers)

`Hysteresis` turns needs into a worker count: up at once (when the need exceeds the current count by
more than `tolerance`), down only to the highest need of the last `scale_down_after_s`, so only
after every need of that long was lower: a noisy curve never flaps. Bounds: `min_workers` to
`max_workers`, and at least one worker while anything is queued. This is KEDA's
`ceil(messages / queueLength)` with a deadline and a trend: `Policy.queue_length` is the
queueLength that matches it on a backfill queue.
"""
from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..core.config import ScalingConfig

OBJECTS_PER_BACKFILL_MESSAGE = 50  # notifications.fabricate_batches(max_records=50): at most, mostly exactly
LOOKAHEAD_S = 60.0  # a growing backlog is met where its trend puts it this much later
TREND_WINDOW_S = 300.0  # the samples the trend is fitted over
MIN_WINDOW_SHARE = 0.25  # an overdue backlog is cleared within a quarter of drain_within_s, not less


@dataclass(frozen=True)
class Policy:
    min_workers: int = 1
    max_workers: int = 10
    objects_per_worker_s: float = 50.0  # one worker's throughput, until measured
    drain_within_s: float = 900.0  # a backlog should clear within this of its oldest message's arrival
    scale_down_after_s: float = 300.0  # a lower count must hold this long before scaling down
    tolerance: float = 0.1  # needs within 10% above the current count keep it

    @classmethod
    def of(cls, config: ScalingConfig) -> Policy:
        """The policy of a sources file's [scaling] table."""
        return cls(config.min_workers, config.max_workers, float(config.objects_per_worker_s),
                   float(config.drain_within), float(config.scale_down_after))

    @property
    def queue_length(self) -> int:
        """KEDA's aws-sqs-queue `queueLength` for a backfill queue: messages one worker clears in time."""
        return max(1, round(self.objects_per_worker_s * self.drain_within_s / OBJECTS_PER_BACKFILL_MESSAGE))


@dataclass(frozen=True)
class Sample:
    """A source's queues at time `t`: objects waiting or in flight; oldest message age (None: unknown)."""

    t: float
    objects: float
    oldest_age_s: float | None = None


def backlog_objects(live_messages: int, backfill_messages: int) -> int:
    """Objects named by messages: one per live notification, up to 50 per fabricated backfill one."""
    return live_messages + backfill_messages * OBJECTS_PER_BACKFILL_MESSAGE


def trend(samples: Sequence[Sample]) -> float | None:
    """Least-squares slope of the backlog in objects/s; None below two samples apart in time."""
    if len(samples) < 2 or samples[-1].t <= samples[0].t:
        return None
    mt = sum(s.t for s in samples) / len(samples)
    mo = sum(s.objects for s in samples) / len(samples)
    var = sum((s.t - mt) ** 2 for s in samples)
    return sum((s.t - mt) * (s.objects - mo) for s in samples) / var


@dataclass(frozen=True)
class Need:
    workers: float  # fractional workers the backlog needs
    objects: float  # the latest backlog
    rate: float  # objects/s per worker used
    growth: float | None  # objects/s, None without a trend
    oldest_age_s: float | None
    why: str


def need(samples: Sequence[Sample], policy: Policy, rate: float | None = None) -> Need:
    """What the latest sample needs (see the module's model); `rate` overrides the policy's."""
    last, rate = samples[-1], rate or policy.objects_per_worker_s
    growth = trend(samples)
    if last.objects <= 0:
        return Need(0.0, 0.0, rate, growth, last.oldest_age_s, "queues empty")
    window, age = policy.drain_within_s, ""
    if last.oldest_age_s is not None and last.oldest_age_s > 0:
        window = max(policy.drain_within_s - last.oldest_age_s, policy.drain_within_s * MIN_WINDOW_SHARE)
        age = f" (oldest message {last.oldest_age_s:,.0f} s old)"
    projected = last.objects + max(0.0, growth or 0.0) * LOOKAHEAD_S
    grows = f", {projected:,.0f} in {LOOKAHEAD_S:.0f} s at +{growth:,.1f}/s" if projected > last.objects else ""
    return Need(projected / (rate * window), last.objects, rate, growth, last.oldest_age_s,
                f"{last.objects:,.0f} objects{grows} to clear within {window:,.0f} s{age}"
                f" at {rate:,.4g} objects/s per worker")


@dataclass(frozen=True)
class Decision:
    desired: int
    need: Need
    reason: str


class Hysteresis:
    """Needs over time → a worker count that goes up promptly and down only after a cool-down: the
    count is the highest recommendation of the last `scale_down_after_s` (a sliding window, as
    Kubernetes' HPA stabilises a scale-down), so it trails a falling need and ignores dips."""

    def __init__(self, policy: Policy) -> None:
        self.policy, self.current = policy, None
        self._recent: deque[tuple[float, int]] = deque()  # (t, count recommended) over the cool-down

    def bounded(self, n: Need) -> int:
        p = self.policy
        raw = max(p.min_workers, min(p.max_workers, math.ceil(n.workers - 1e-9)))
        return max(raw, 1) if n.objects > 0 else raw

    def decide(self, t: float, n: Need) -> Decision:
        p, raw, cur = self.policy, self.bounded(n), self.current
        capped = f" (capped at max {p.max_workers}: need {n.workers:,.1f})" if n.workers > p.max_workers else ""
        if cur is None or raw > cur and n.workers > cur * (1 + p.tolerance):
            self._recent = deque([(t, raw)])
            start = "" if cur is None else f"up from {cur}: "
            return self._set(raw, n, f"{start}{n.why}{capped}" if n.objects else f"queues empty: min {raw}")
        keep = raw >= cur or n.objects > 0 and n.workers >= cur * (1 - p.tolerance)
        self._recent.append((t, cur if keep else raw))
        while self._recent[0][0] < t - p.scale_down_after_s:
            self._recent.popleft()
        if keep:
            close = "" if raw == cur else f"need {n.workers:,.2f} within {p.tolerance:.0%} of {cur}; "
            return self._set(cur, n, f"holding {cur}: {close}{n.why}{capped}")
        down = max(r for _, r in self._recent)
        if down >= cur:
            held = t - max(when for when, r in self._recent if r >= cur)
            return self._set(cur, n, f"holding {cur} until a lower need ({raw}) has held"
                                     f" {p.scale_down_after_s:,.0f} s (held {held:,.0f} s): {n.why}")
        return self._set(down, n, f"down from {cur} (the highest need of the last {p.scale_down_after_s:,.0f} s):"
                                  f" {n.why}")

    def _set(self, desired: int, n: Need, reason: str) -> Decision:
        self.current = desired
        return Decision(desired, n, reason)


class Throughput:
    """Objects/s this worker finished while it had a backlog (so it was not waiting for work).

    `observe(t, done, busy)` takes the running total of objects finished and whether a backlog was
    queued; `rate()` is the busy intervals' objects over their seconds within `window_s`, once at
    least `min_busy_s` and `min_objects` were seen, else None (then the configured rate applies).
    """

    def __init__(self, window_s: float = 900.0, min_busy_s: float = 60.0, min_objects: int = 20) -> None:
        self.window_s, self.min_busy_s, self.min_objects = window_s, min_busy_s, min_objects
        self._points: deque[tuple[float, float, bool]] = deque()

    def observe(self, t: float, done: float, busy: bool) -> None:
        self._points.append((t, done, busy))
        while self._points and self._points[0][0] < t - self.window_s:
            self._points.popleft()

    def rate(self) -> float | None:
        pairs = [(a, b) for a, b in zip(self._points, list(self._points)[1:]) if a[2] and b[2]]
        seconds = sum(b[0] - a[0] for a, b in pairs)
        objects = sum(max(0.0, b[1] - a[1]) for a, b in pairs)
        if seconds < self.min_busy_s or objects < self.min_objects:
            return None
        return objects / seconds


class Recommender:
    """Per source: recent samples, a `Hysteresis`; overall: the sum of the sources' needs."""

    def __init__(self, policy: Policy, trend_window_s: float = TREND_WINDOW_S) -> None:
        self.policy, self.trend_window_s = policy, trend_window_s
        self._samples: dict[str, deque[Sample]] = {}
        self._sources: dict[str, Hysteresis] = {}
        self._overall = Hysteresis(policy)

    def observe(self, t: float, samples: Mapping[str, Sample],
                rate: float | None = None) -> tuple[dict[str, Decision], Decision]:
        decisions: dict[str, Decision] = {}
        for name, sample in samples.items():
            recent = self._samples.setdefault(name, deque())
            recent.append(sample)
            while recent[0].t < t - self.trend_window_s:
                recent.popleft()
            decisions[name] = self._sources.setdefault(name, Hysteresis(self.policy)).decide(
                t, need(recent, self.policy, rate))
        needs = [d.need for d in decisions.values()]
        total = Need(sum(n.workers for n in needs), sum(n.objects for n in needs),
                     rate or self.policy.objects_per_worker_s, None,
                     max((n.oldest_age_s for n in needs if n.oldest_age_s is not None), default=None),
                     f"the sum of {len(needs)} source(s)' needs ({sum(n.workers for n in needs):,.2f})")
        return decisions, self._overall.decide(t, total)


def fetch_limit(current: int, backlog: float, lo: int, hi: int) -> int:
    """Concurrent fetches for one worker: one per object waiting, within lo..hi; doubles toward
    a larger backlog at once, gives back one slot per call when the backlog shrinks."""
    target = max(lo, min(hi, math.ceil(backlog)))
    if target > current:
        return min(target, max(current * 2, lo))
    return max(target, current - 1) if target < current else current
