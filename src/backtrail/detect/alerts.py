"""Run detection rules over stored events (on event time) and keep each hit once, in `alerts`.

An event is known by its id, or (records without one: ALB, VPC Flow…) by a hash of its object
and raw text, so re-running a rule, re-loading a backfill or overlapping two runs raises
nothing twice.
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from ..core.ports import Store
from ..core.schema import EVENT_KEY
from .sigma import Rule, load_rules

DEFAULT_RULES = os.path.join(os.path.dirname(__file__), "rules")
_PARAM = re.compile(r"\{(r\d+):")
_LISTED = "ts, level, rule_id, title, source_type, action, src_ip, actor, event_id, object, backfill_id, raised_at"
NOTIFY_MAX = 1000
_clock, _last_raised = threading.Lock(), [0]


def rules(extra_dirs: list[str] | None = None) -> list[Rule]:
    """The project's pack and the user's rule directories."""
    return load_rules([DEFAULT_RULES, *(extra_dirs or [])])


def run(store: Store, pack: list[Rule], window: str = "1", window_params: dict | None = None,
        notify: Callable[[list[dict[str, Any]]], None] | None = None,
        source_types: Iterable[str] | None = None) -> dict[str, int]:
    """New alerts per rule id, for the events `window` (SQL over `events`) keeps. The rules of each
    log type in the window (`source_types`, else those the store finds there) run in one scan of
    that type's events (the sort key keeps the types apart): one type's rules never read another's
    rows. `notify` receives the new alerts (at most NOTIFY_MAX of them), if any."""
    if not pack:
        return {}
    params, raised = dict(window_params or {}), _raised_at()
    by_type: dict[str, list[Rule]] = {}
    for rule in pack:
        by_type.setdefault(rule.source_type, []).append(rule)
    present = set(source_types) if source_types is not None else {r["source_type"] for r in store.query(
        f"SELECT DISTINCT source_type FROM events WHERE source_type IN {{types:Array(String)}} AND ({window})",
        {**params, "types": list(by_type)})}
    checked = [t for t in by_type if t in present or not t]
    for source_type in checked:
        _raise(store, by_type[source_type], source_type, window, params, raised)
    new = {} if not checked else {r["rule_id"]: int(r["n"]) for r in store.query(
        "SELECT rule_id, count() AS n FROM alerts WHERE raised_at = {raised:DateTime64(3, 'UTC')} GROUP BY rule_id",
        {"raised": raised})}
    if notify and new:
        notify(store.query(f"SELECT {_LISTED} FROM alerts WHERE raised_at = {{raised:DateTime64(3, 'UTC')}}"
                           " ORDER BY ts LIMIT {n:UInt32}", {"raised": raised, "n": NOTIFY_MAX}))
    return {r.id: new.get(r.id, 0) for r in pack}


def _raise(store: Store, rules: list[Rule], source_type: str, window: str, window_params: dict, raised: str) -> None:
    """The alerts of `rules` (all of `source_type`, '' for any) over the window, each hit kept once:
    an event's alerts have its time, so only the alerts in the window's span of time are read
    to know which are new (not every alert of the rules, which grow with every backfill)."""
    params, conditions = dict(window_params), []
    for i, rule in enumerate(rules):  # each rule's parameters renamed apart: r0 of rule 3 is q3_r0
        conditions.append(_PARAM.sub(lambda m: f"{{q{i}_{m[1]}:", rule.where))
        params.update({f"q{i}_{k}": v for k, v in rule.params.items()})
    params.update(ids=[r.id for r in rules], titles=[r.title for r in rules], levels=[r.level for r in rules],
                  raised=raised, source_type=source_type)
    of_type = "source_type = {source_type:String} AND " if source_type else ""
    hits = "[" + ", ".join(f"if({c}, {i + 1}, 0)" for i, c in enumerate(conditions)) + "]"
    store.command(
        "INSERT INTO alerts (rule_id, title, level, ts, raised_at, source_type, event_id, event_key, object, src_ip,"
        " actor, action, backfill_id) SELECT {ids:Array(String)}[n] AS rule, {titles:Array(String)}[n],"
        " {levels:Array(String)}[n], ts, {raised:DateTime64(3, 'UTC')}, source_type, event_id, key, object, src_ip,"
        f" actor, action, backfill_id FROM (SELECT *, {EVENT_KEY} AS key, arrayFilter(x -> x > 0, {hits}) AS matched"
        f" FROM events WHERE {of_type}({window}) AND ({' OR '.join(conditions)})) ARRAY JOIN matched AS n"
        f" WHERE (rule, key) NOT IN (WITH (SELECT (min(ts), max(ts)) FROM events WHERE {of_type}({window})) AS span"
        " SELECT rule_id, event_key FROM alerts WHERE rule_id IN {ids:Array(String)} AND ts BETWEEN span.1 AND span.2)",
        params)


def retro_hunt(store: Store, backfill_id: str, pack: list[Rule], notify: Callable[[list[dict[str, Any]]], None] | None = None,
               checked: bool = False) -> int:
    """The pack over the event-time window a backfill covered: the new alerts. `checked`: its own
    events were checked as they were written (see `continuous`), so only the others are read."""
    covered = ("ts BETWEEN (SELECT min(ts) FROM events WHERE backfill_id = {bf:String})"
               " AND (SELECT max(ts) FROM events WHERE backfill_id = {bf:String})")
    if checked:
        covered += " AND backfill_id != {bf:String}"
    return sum(run(store, pack, covered, {"bf": backfill_id}, notify).values())


def _raised_at() -> str:
    """A millisecond never used twice by this process: the alerts of one run are known by it."""
    with _clock:
        _last_raised[0] = max(_last_raised[0] + 1, int(time.time() * 1000))
        at = _last_raised[0]
    return datetime.fromtimestamp(at / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def listed(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    return store.query(f"SELECT {_LISTED} FROM alerts ORDER BY ts DESC, rule_id LIMIT {{limit:UInt32}}",
                       {"limit": limit})
