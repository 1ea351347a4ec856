"""Plan a backfill: time range → prefixes → listed objects → fabricated notifications on a queue.

Listing is streamed page by page and enqueued in batches: the whole listing is never in memory.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatchcase

from ..core.ports import ObjectStore, Queue
from ..core.records import ObjectInfo
from ..logtypes import notifications
from .timerange import days

_YEAR = re.compile(r"^(.*?/)?\d{4}/")          # the first `YYYY/` folder of a key or prefix
# A date in a file name: `2026-11-02-14-05-33-…` (S3 access, CloudFront, Firehose) or AWS's `_20261102T0105Z_`.
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{4})(\d{2})(\d{2})T\d{4,6}Z")
_FOLDER_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")
_SKIPPED_DIRS = ("CloudTrail-Digest/",)
_MAX_DEPTH = 8


@dataclass
class PlanTotals:
    objects: int = 0
    bytes: int = 0
    prefixes: int = 0
    messages: int = 0


@dataclass(frozen=True)
class Keys:
    """Key patterns (`*` and `?` match `/` too): a key is kept when it matches an `include`
    pattern (or there are none) and no `exclude` pattern."""
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()

    def wants(self, key: str) -> bool:
        return ((not self.include or any(fnmatchcase(key, p) for p in self.include))
                and not any(fnmatchcase(key, p) for p in self.exclude))


@dataclass(frozen=True)
class Prefix:
    """A prefix to list; `days` set: keep only the objects whose file name holds one of these days.
    `day`: the day a dated prefix holds (the order of `--newest-first`)."""
    path: str
    days: frozenset[date] | None = None
    day: date | None = None

    def wants(self, key: str) -> bool:
        day = name_date(key) if self.days is not None else None
        return day is None or day in self.days  # no date to judge by: loaded rather than lost


def name_date(key: str) -> date | None:
    """The date in an object's file name, None when it has none."""
    return _date(_NAME_DATE.search(key.rpartition("/")[2]))


def key_date(key: str) -> date | None:
    """The day of an object: its `YYYY/MM/DD/` folder, else the date in its file name."""
    return _date(_FOLDER_DATE.search(f"/{key}")) or name_date(key)


def _date(m: re.Match | None) -> date | None:
    try:
        return date(*(int(g) for g in m.groups() if g is not None)) if m else None
    except ValueError:
        return None


def prefixes(objects: ObjectStore, since: datetime | None, until: datetime | None,
             newest_first: bool = False, raw: Sequence[str] = ()) -> list[Prefix]:
    """The prefixes to list, in listing order; `raw` prefixes (relative to the bucket) replace
    the planned ones, their objects kept by the date in their name when a range is given.
    `newest_first`: the most recent days first, folders without dated sub-folders last."""
    if raw:
        wanted = frozenset(days(since, until)) if since and until else None
        return [Prefix(p, wanted) for p in dict.fromkeys(raw)]
    found = list(_planned(objects, since, until))
    if newest_first:
        found.sort(key=lambda p: (p.day is not None, p.day or date.min), reverse=True)
    return found


def _planned(objects: ObjectStore, since: datetime | None, until: datetime | None) -> Iterator[Prefix]:
    """The start prefix, or with a time range: a prefix per day of every `…/YYYY/MM/DD/` tree below
    it (CloudTrail, ELB, VPC Flow, Resolver, GuardDuty, WAF, Firehose, partitioned S3 access
    logs), and each folder without one, its objects kept by the date in their name."""
    start = objects.prefix
    if since is None or until is None:
        yield Prefix(start)
        return
    wanted = days(since, until)
    for root, dated in _date_roots(objects, start):
        if not dated:
            yield Prefix(max(root, start, key=len), frozenset(wanted))
            continue
        for day in wanted:
            p = f"{root}{day:%Y/%m/%d}/"
            if p.startswith(start) or start.startswith(p):
                yield Prefix(max(p, start, key=len), day=day)


def _date_roots(objects: ObjectStore, start: str) -> Iterator[tuple[str, bool]]:
    """Folders at or below `start` holding `YYYY/` folders (True), and folders holding none (False).

    (Objects lying beside sub-folders, outside any dated tree, are only loaded without a range.)"""
    if m := _YEAR.match(start):  # the start is inside a dated tree already
        yield m[1] or "", True
        return
    level = [start.rpartition("/")[0] + "/" if "/" in start else ""]
    for _ in range(_MAX_DEPTH):
        below = []
        for p in level:
            children = [c for c in objects.common_prefixes(p)
                        if not c.endswith(_SKIPPED_DIRS) and (c.startswith(start) or start.startswith(c))]
            if any(_YEAR.fullmatch(c[len(p):]) for c in children):
                yield p, True
            elif not children:
                yield p, False
            below += [c for c in children if not _YEAR.fullmatch(c[len(p):])]
        if not (level := below):
            return


def listed(objects: ObjectStore, since: datetime | None, until: datetime | None,
           totals: PlanTotals, keys: Keys = Keys(), newest_first: bool = False,
           raw: Sequence[str] = ()) -> Iterator[ObjectInfo]:
    for prefix in prefixes(objects, since, until, newest_first, raw):
        totals.prefixes += 1
        for info in objects.list(prefix.path):
            if prefix.wants(info.key) and keys.wants(info.key):
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


