"""What a backfill would read, without enqueueing anything: `backtrail backfill --dry-run`.

The listing is the planner's own (same prefixes, same objects), streamed; only counts are kept.
Request prices are S3 Standard's public ones in us-east-1 (other regions differ by a few
percent); data read inside the bucket's region is not charged for transfer.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..core.ports import ObjectStore
from ..logtypes import registry
from . import planner

LIST_PRICE_PER_1000 = 0.005
GET_PRICE_PER_1000 = 0.0004
PAGE = 1000  # keys per LIST page
DEFAULT_BYTES_PER_S = 9_600_000
"""Gzipped CloudTrail read per second by `make bench` (70,000 events/s, 2 cores): the ETA's rate
until this store has measured a backfill of its own."""
ACCOUNT_REGION = re.compile(r"AWSLogs/(?:o-[a-z0-9]+/)?(\d{12})/(?:[^/]+/([a-z]{2}(?:-gov)?-[a-z]+-\d)/)?")


@dataclass
class Survey:
    objects: int = 0
    bytes: int = 0
    prefixes: int = 0
    list_requests: int = 0
    types: Counter = field(default_factory=Counter)
    accounts: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)

    @property
    def get_requests(self) -> int:
        return self.objects

    @property
    def cost_usd(self) -> float:
        return self.list_requests / 1000 * LIST_PRICE_PER_1000 + self.get_requests / 1000 * GET_PRICE_PER_1000

    def as_dict(self, bytes_per_s: float) -> dict:
        days = sorted(self.days)
        return {"objects": self.objects, "bytes": self.bytes, "prefixes": self.prefixes,
                "types": dict(self.types.most_common()), "accounts": sorted(self.accounts),
                "regions": sorted(self.regions), "days": len(days), "first_day": days[0] if days else None,
                "last_day": days[-1] if days else None, "list_requests": self.list_requests,
                "get_requests": self.get_requests, "cost_usd": round(self.cost_usd, 6),
                "eta_s": round(self.bytes / bytes_per_s, 1) if bytes_per_s > 0 else None}


class _CountingLists:
    """The object store, counting the LIST requests the planner makes."""

    def __init__(self, objects: ObjectStore, survey: Survey):
        self._objects, self._survey = objects, survey
        self.bucket, self.prefix = objects.bucket, objects.prefix

    def common_prefixes(self, prefix: str):
        self._survey.list_requests += 1
        return self._objects.common_prefixes(prefix)

    def list(self, prefix: str, start_after: str = ""):
        self._survey.prefixes += 1
        seen = 0
        for seen, info in enumerate(self._objects.list(prefix, start_after), 1):
            yield info
        self._survey.list_requests += max(1, math.ceil(seen / PAGE))


def survey(objects: ObjectStore, since: datetime | None, until: datetime | None, log_type: str | None,
           keys: planner.Keys = planner.Keys(), raw: Sequence[str] = ()) -> Survey:
    found = Survey()
    forced = registry.get(log_type) if log_type else None
    for info in planner.listed(_CountingLists(objects, found), since, until, planner.PlanTotals(), keys, raw=raw):
        found.objects += 1
        found.bytes += info.size
        kind = forced or registry.recognise(info.key)
        found.types["unrecognised" if kind is None else "skipped" if kind.skip_reason(info.key) else kind.name] += 1
        if m := ACCOUNT_REGION.search(info.key):
            found.accounts.add(m[1])
            if m[2]:
                found.regions.add(m[2])
        if day := planner.key_date(info.key):
            found.days.add(day.isoformat())
    return found
