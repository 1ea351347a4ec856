"""Run detection rules over stored events (on event time) and keep each hit once, in `alerts`.

An event is known by its id, or (records without one: ALB, VPC Flow…) by a hash of its object
and raw text, so re-running a rule, re-loading a backfill or overlapping two runs raises
nothing twice.
"""
from __future__ import annotations

import os
import re
from typing import Any

from ..core.ports import Store
from ..core.schema import EVENT_KEY
from .sigma import Rule, load_rules

DEFAULT_RULES = os.path.join(os.path.dirname(__file__), "rules")
_PARAM = re.compile(r"\{(r\d+):")


def rules(extra_dirs: list[str] | None = None) -> list[Rule]:
    """The project's pack and the user's rule directories."""
    return load_rules([DEFAULT_RULES, *(extra_dirs or [])])


def run(store: Store, pack: list[Rule], window: str = "1", window_params: dict | None = None) -> dict[str, int]:
    """New alerts per rule id, for the events `window` (SQL over `events`) keeps: one scan for the pack."""
    params = dict(window_params or {})
    if not pack:
        return {}
    conditions = []
    for i, rule in enumerate(pack):  # each rule's parameters renamed apart: r0 of rule 3 is q3_r0
        conditions.append(_PARAM.sub(lambda m: f"{{q{i}_{m[1]}:", rule.where))
        params.update({f"q{i}_{k}": v for k, v in rule.params.items()})
    params.update(ids=[r.id for r in pack], titles=[r.title for r in pack], levels=[r.level for r in pack])
    hits = "[" + ", ".join(f"if({c}, {i + 1}, 0)" for i, c in enumerate(conditions)) + "]"
    before = _counts(store)
    store.command(
        "INSERT INTO alerts (rule_id, title, level, ts, source_type, event_id, event_key, object, src_ip, actor,"
        " action, backfill_id) SELECT {ids:Array(String)}[n] AS rule, {titles:Array(String)}[n],"
        " {levels:Array(String)}[n], ts, source_type, event_id, key, object, src_ip, actor, action, backfill_id"
        f" FROM (SELECT *, {EVENT_KEY} AS key, arrayFilter(x -> x > 0, {hits}) AS matched FROM events"
        f" WHERE {window} AND ({' OR '.join(conditions)})) ARRAY JOIN matched AS n"
        " WHERE (rule, key) NOT IN (SELECT rule_id, event_key FROM alerts)", params)
    after = _counts(store)
    return {r.id: after.get(r.id, 0) - before.get(r.id, 0) for r in pack}


def retro_hunt(store: Store, backfill_id: str) -> int:
    """The pack over the event-time window a backfill covered: the new alerts."""
    covered = ("ts BETWEEN (SELECT min(ts) FROM events WHERE backfill_id = {bf:String})"
               " AND (SELECT max(ts) FROM events WHERE backfill_id = {bf:String})")
    return sum(run(store, rules(), covered, {"bf": backfill_id}).values())


def _counts(store: Store) -> dict[str, int]:
    return {r["rule_id"]: int(r["n"]) for r in store.query("SELECT rule_id, count() AS n FROM alerts GROUP BY rule_id")}


def listed(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    return store.query(
        "SELECT ts, level, rule_id, title, source_type, action, src_ip, actor, event_id, object, raised_at"
        " FROM alerts ORDER BY ts DESC, rule_id LIMIT {limit:UInt32}", {"limit": limit})
