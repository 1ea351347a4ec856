"""The investigation queries behind the API: a page of events, a histogram, facets, one event, sources.

Each takes the WHERE clause and parameters a search compiles to (`QueryService._where`), so every
view of a search counts the same events. Times come back as ISO-8601 UTC, except the events'
own columns, which keep the store's `YYYY-MM-DD hh:mm:ss.fff` (UTC) as every other answer does.
"""
from __future__ import annotations

import base64
import math
import re
from datetime import datetime, timezone
from typing import Any

import orjson

from ..core.errors import NotFound, QueryError
from ..core.ports import Store
from ..core.schema import COMMON_COLUMNS, EVENT_COLUMNS, EVENT_KEY

EVENT_SELECT = f"{', '.join(EVENT_COLUMNS)}, {EVENT_KEY} AS key"
"""Every column of an event, and its key (the id `GET /api/events/{key}` takes)."""
ARRAY_FIELDS = ("ips", "principals")
NICE_INTERVALS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
_FIELD = re.compile(r"^[A-Za-z_][\w-]*$")
_TS = "%Y-%m-%d %H:%M:%S.%f"
_PART = re.compile(r"^[\w-]+$")


def page(store: Store, where: str, params: dict, limit: int, cursor: str | None = None) -> dict[str, Any]:
    """Events newest first (ties by key, descending); `next_cursor` continues after the last one,
    None when there is no more. Keyset paging: a page never repeats or skips an event, even
    while new events arrive."""
    after = _decode(cursor) if cursor else None
    for _ in range(3):  # again when a merge replaced a part between the two steps
        rows = _page_rows(store, where, params, limit, after)
        if rows is not None:
            break
    else:
        raise QueryError("the store kept merging its parts under this search: try again")
    more = len(rows) > limit
    rows = rows[:limit]
    return {"events": rows, "next_cursor": _encode(rows[-1]["ts"], rows[-1]["key"]) if more else None}


def _page_rows(store: Store, where: str, params: dict, limit: int, after: tuple[str, str] | None):
    """Up to limit + 1 events after `after`, in page order; None when the parts read changed.
    Two steps, so that whole events (`raw` above all) are read for the page's rows alone: where
    the candidates are (part, offset), from `ts` and the columns the search reads — the newest
    limit + 1 (with ties) older than the cursor, and every one at the cursor's time — then those
    rows. The key orders ties and needs `raw`, so it is compared on the candidates only."""
    params = dict(params, n=limit + 1)
    if after:
        params["cts"] = after[0]
        where += " AND ts <= {cts:DateTime64(3, 'UTC')}"
    while True:
        found = store.query(f"SELECT shardNum() AS s, _part AS p, _part_offset AS o, ts FROM events WHERE {where}"
                            " ORDER BY ts DESC LIMIT {n:UInt32} WITH TIES", params)
        older = sum(1 for r in found if not after or r["ts"] < after[0])
        if older > limit or len(found) < params["n"]:
            break
        params["n"] += limit + 1  # the limit went to events at the cursor's very time: reach past them
    spots = {(int(r["s"]), r["p"], int(r["o"])) for r in found}
    if not spots:
        return []
    if not all(_PART.match(p) for _, p, _ in spots):
        raise QueryError("unexpected part name in the store")
    rows = [r for r in store.query(  # names and offsets come from the engine, checked: no parameters needed
        f"SELECT {EVENT_SELECT}, shardNum() AS _s, _part AS _p, _part_offset AS _o FROM events"
        f" WHERE _part IN ({', '.join(sorted({repr(p) for _, p, _ in spots}))})"
        f" AND _part_offset IN ({', '.join(sorted({str(o) for _, _, o in spots}))})")
        if (int(r.pop("_s")), r.pop("_p"), int(r.pop("_o"))) in spots]
    if len(rows) != len(spots):
        return None
    rows = [r for r in rows if not after or (r["ts"], r["key"]) < after]
    rows.sort(key=lambda r: (r["ts"], r["key"]), reverse=True)  # str order is UTF-8 byte order, as the engine's
    return rows[:limit + 1]


def _encode(ts: str, key: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([ts, key])).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, str]:
    try:
        ts, key = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        datetime.strptime(ts, _TS)
        if not isinstance(key, str):
            raise ValueError(key)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise QueryError("bad cursor: pass back the next_cursor of the previous page unchanged") from None
    return ts, key


def event(store: Store, key: str) -> dict[str, Any]:
    rows = store.query(f"SELECT {EVENT_SELECT} FROM events WHERE {EVENT_KEY} = {{key:String}} LIMIT 1", {"key": key})
    if not rows:
        raise NotFound(f"no event with key {key!r}")
    return rows[0]


def interval(since: datetime, until: datetime, buckets: int) -> int:
    """The round interval (seconds) giving about `buckets` buckets over the range, never more."""
    want = max(1.0, (until - since).total_seconds() / max(1, buckets))
    return next((n for n in NICE_INTERVALS if n >= want), 86400 * math.ceil(want / 86400))


def histogram(store: Store, where: str, params: dict, since: datetime | None, until: datetime | None,
              buckets: int) -> dict[str, Any]:
    """Events per interval and source type; without a time range, the matching events' own."""
    if since is None or until is None:
        span = store.query(f"SELECT count() AS n, min(ts) AS lo, max(ts) AS hi FROM events WHERE {where}", params)[0]
        if not int(span["n"]):
            return {"interval_s": interval(since or until or _now(), until or since or _now(), buckets), "buckets": []}
        since, until = since or _parse(span["lo"]), until or _parse(span["hi"])
    step = interval(since, until, buckets)
    rows = store.query(
        "SELECT toStartOfInterval(ts, toIntervalSecond({step:UInt32})) AS b, source_type, count() AS count"
        f" FROM events WHERE {where} GROUP BY b, source_type ORDER BY b, source_type", dict(params, step=step))
    return {"interval_s": step, "buckets": [{"t": iso(r["b"]), "source_type": r["source_type"],
                                             "count": int(r["count"])} for r in rows]}


def facet_expression(store: Store, field: str) -> tuple[str, str, dict]:
    """(value expression, extra condition, parameters) of a field facets may count, else QueryError."""
    if field in ARRAY_FIELDS:
        return f"arrayJoin({field})", "1", {}
    if field in COMMON_COLUMNS and field != "raw":
        return (f"toString({field})" if field in ("ts", "ingested_at") else field), "1", {}
    if _FIELD.match(field) and store.query("SELECT 1 AS x FROM events WHERE mapContains(fields, {f:String}) LIMIT 1",
                                           {"f": field}):
        return "fields[{f:String}]", "mapContains(fields, {f:String})", {"f": field}
    raise QueryError(f"cannot count values of {field!r}: facets take a common column ({', '.join(COMMON_COLUMNS[:-1])})"
                     " or a per-type field some stored event has (elb_status_code, dstport, …)")


def facets(store: Store, where: str, params: dict, field: str, limit: int) -> dict[str, Any]:
    """The most frequent non-empty values of `field` among the matching events."""
    value, present, extra = facet_expression(store, field)
    rows = store.query(
        f"SELECT value, count() AS count FROM (SELECT {value} AS value FROM events WHERE {where} AND {present})"
        " WHERE value != '' GROUP BY value ORDER BY count DESC, value LIMIT {limit:UInt32}",
        dict(params, **extra, limit=limit))
    return {"field": field, "values": [{"value": r["value"], "count": int(r["count"])} for r in rows]}


def sources(store: Store) -> list[dict[str, Any]]:
    """Per source type: events, first and last event time, events per second ingested over the last
    60 s, and the live lag (now minus the newest event's time)."""
    rows = store.query(
        "SELECT source_type, count() AS events, min(ts) AS first_event, max(ts) AS last_event,"
        " countIf(ingested_at >= now64(6) - INTERVAL 60 SECOND) / 60 AS events_per_s,"
        " dateDiff('millisecond', max(ts), now64(3)) / 1000 AS live_lag_s"
        " FROM events GROUP BY source_type ORDER BY source_type")
    return [{"source_type": r["source_type"], "events": int(r["events"]), "first_event": iso(r["first_event"]),
             "last_event": iso(r["last_event"]), "events_per_s": round(float(r["events_per_s"]), 3),
             "live_lag_s": round(float(r["live_lag_s"]), 3)} for r in rows]


def iso(stored: str) -> str:
    """`2026-11-02 14:12:51.000` (the store's UTC) as `2026-11-02T14:12:51.000Z`."""
    return stored.replace(" ", "T", 1) + "Z"


def _parse(stored: str) -> datetime:
    return datetime.strptime(stored, _TS).replace(tzinfo=timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)
