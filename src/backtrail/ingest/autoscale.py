"""What a worker's queue samples say about scaling: desired workers per source (Prometheus gauges)
and how many objects it fetches at once. The decisions are `scaling`'s; this keeps their state."""
from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from ..core.records import QueueStats
from .budget import Slots
from .metrics import Metrics
from .scaling import Policy, Recommender, Sample, Throughput, backlog_objects, fetch_limit

MIN_FETCHES = 2  # concurrent fetches of a worker whose queues are empty
SAMPLE_S = 5.0  # the worker samples its queues this often (and on every /metrics scrape)

RoleStats = tuple[Sequence[QueueStats], Sequence[QueueStats]]  # (live queues, backfill queues)


def sample(t: float, live: Sequence[QueueStats], backfill: Sequence[QueueStats]) -> Sample:
    """One source's queues as a scaling sample; an age of 0 is "unknown" (SQS has no such attribute)."""
    ages = [st.oldest_age_s for st in (*live, *backfill) if st.oldest_age_s > 0]
    return Sample(t, backlog_objects(sum(st.visible + st.in_flight for st in live),
                                     sum(st.visible + st.in_flight for st in backfill)), max(ages, default=None))


class WorkerScaling:
    def __init__(self, policy: Policy, metrics: Metrics, slots: Slots) -> None:
        self.policy, self.metrics, self.slots, self.max_fetches = policy, metrics, slots, slots.limit
        self.recommender, self.throughput = Recommender(policy), Throughput()
        self._lock, self._sampled_at = threading.Lock(), float("-inf")

    def due(self, t: float) -> bool:
        """True at most once every `SAMPLE_S` (for one caller among the worker's threads)."""
        with self._lock:
            if t - self._sampled_at < SAMPLE_S:
                return False
            self._sampled_at = t
            return True

    def observe(self, t: float, stats: Mapping[str, RoleStats], done: float) -> None:
        """`stats`: per source, its queues' stats; `done`: objects this worker finished so far."""
        samples = {name: sample(t, live, backfill) for name, (live, backfill) in stats.items()}
        backlog = sum(s.objects for s in samples.values())
        with self._lock:
            self.throughput.observe(t, done, backlog > 0)
            rate = self.throughput.rate()
            decisions, overall = self.recommender.observe(t, samples, rate)
            self.slots.resize(fetch_limit(self.slots.limit, backlog, min(MIN_FETCHES, self.max_fetches),
                                          self.max_fetches))
        m = self.metrics
        for name, d in decisions.items():
            m.gauge("backtrail_desired_workers", "workers this source's backlog needs", source=name).set(d.desired)
            m.gauge("backtrail_backlog_objects", "objects waiting or in flight (estimated from messages)",
                    source=name).set(d.need.objects)
        m.gauge("backtrail_desired_workers_overall", "workers every source's backlog needs together").set(
            overall.desired)
        m.gauge("backtrail_worker_objects_per_second", "one worker's throughput used for scaling"
                " (measured while busy, else configured)").set(rate or self.policy.objects_per_worker_s)
        m.gauge("backtrail_fetch_concurrency", "objects this worker fetches at once").set(self.slots.limit)
