"""Plan a backfill: time range → prefixes → listed objects → fabricated notifications on a queue.

Listing is streamed page by page and enqueued in batches: the whole listing is never in memory.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ..core.ports import ObjectStore, Queue
from ..core.records import ObjectInfo
from ..logtypes import notifications
from .timerange import days

_REGION_DIR = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/CloudTrail/[a-z0-9-]+/$")
_DATE_DIR = re.compile(r"/\d{4}/$")
_MAX_DEPTH = 8


@dataclass
class PlanTotals:
    objects: int = 0
    bytes: int = 0
    prefixes: int = 0
    messages: int = 0


def prefixes(objects: ObjectStore, since: datetime | None, until: datetime | None) -> Iterator[str]:
    """The prefixes to list: the start prefix, or with a time range one per region and day."""
    start = objects.prefix
    if since is None or until is None:
        yield start
        return
    wanted = days(since, until)
    for region_dir in _region_dirs(objects, start):
        for day in wanted:
            p = f"{region_dir}{day:%Y/%m/%d}/"
            if p.startswith(start) or start.startswith(p):
                yield max(p, start, key=len)


def _region_dirs(objects: ObjectStore, start: str) -> Iterator[str]:
    """`AWSLogs/<account>/CloudTrail/<region>/` directories at or below `start` (or above it)."""
    whole = f"{objects.bucket}/{start}"
    if m := re.search(r"^.*?AWSLogs/(o-[a-z0-9]+/)?\d{12}/CloudTrail/[a-z0-9-]+/", whole):
        yield m[0][len(objects.bucket) + 1:]
        return
    level = [start.rpartition("/")[0] + "/" if start and "/" in start else ""]
    for _ in range(_MAX_DEPTH):
        below = []
        for p in level:
            for child in objects.common_prefixes(p):
                if _REGION_DIR.search(f"{objects.bucket}/{child}"):
                    yield child
                elif not _DATE_DIR.search(child) and "CloudTrail-Digest" not in child:
                    below.append(child)
        if not (level := below):
            return


def listed(objects: ObjectStore, since: datetime | None, until: datetime | None,
           totals: PlanTotals) -> Iterator[ObjectInfo]:
    for prefix in prefixes(objects, since, until):
        totals.prefixes += 1
        for info in objects.list(prefix):
            totals.objects += 1
            totals.bytes += info.size
            yield info


def enqueue(objects: ObjectStore, queue: Queue, backfill_id: str, since: datetime | None = None,
            until: datetime | None = None, on_page: Callable[[PlanTotals], None] = lambda t: None,
            page: int = 500) -> PlanTotals:
    """List and enqueue one fabricated notification per batch of objects; returns the totals."""
    totals, bodies = PlanTotals(), []
    for body in notifications.fabricate_batches(listed(objects, since, until, totals), backfill_id):
        bodies.append(body)
        if len(bodies) * 50 >= page:
            queue.send(bodies)
            totals.messages += len(bodies)
            bodies = []
            on_page(totals)
    if bodies:
        queue.send(bodies)
        totals.messages += len(bodies)
    on_page(totals)
    return totals


