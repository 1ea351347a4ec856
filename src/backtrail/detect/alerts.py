"""Run detection rules over stored events (on event time) and keep each hit once, in `alerts`.

An event is known by its id, or (records without one: ALB, VPC Flow…) by a hash of its object
and raw text, so re-running a rule, re-loading a backfill or overlapping two runs raises
nothing twice.
"""
from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from ..core.ports import Store
from .sigma import Rule, load_rules

DEFAULT_RULES = os.path.join(os.path.dirname(__file__), "rules")
_EVENT_KEY = "if(event_id != '', event_id, hex(cityHash64(object, raw)))"


def rules(extra_dirs: list[str] | None = None) -> list[Rule]:
    """The project's pack and the user's rule directories."""
    return load_rules([DEFAULT_RULES, *(extra_dirs or [])])


def run(store: Store, pack: list[Rule], since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """New alerts per rule id, for events whose time is in the range."""
    window, params = ["1"], {}
    if since:
        window.append("ts >= {since:DateTime64(3, 'UTC')}")
        params["since"] = since.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    if until:
        window.append("ts <= {until:DateTime64(3, 'UTC')}")
        params["until"] = until.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    new = {}
    for rule in pack:
        before = _count(store, rule.id)
        store.command(
            "INSERT INTO alerts (rule_id, title, level, ts, source_type, event_id, event_key, object, src_ip, actor,"
            " action, backfill_id) SELECT {rule_id:String}, {rule_title:String}, {rule_level:String}, ts, source_type,"
            f" event_id, key, object, src_ip, actor, action, backfill_id FROM (SELECT *, {_EVENT_KEY} AS key"
            f" FROM events WHERE {rule.where} AND {' AND '.join(window)})"
            " WHERE key NOT IN (SELECT event_key FROM alerts WHERE rule_id = {rule_id:String})",
            {**params, **rule.params, "rule_id": rule.id, "rule_title": rule.title, "rule_level": rule.level})
        new[rule.id] = _count(store, rule.id) - before
    return new


def retro_hunt(store: Store, backfill_id: str) -> int:
    """The pack over the event-time window a backfill covered: the new alerts."""
    window = store.query("SELECT toString(min(ts)) AS since, toString(max(ts)) AS until, count() AS n"
                         " FROM events WHERE backfill_id = {b:String}", {"b": backfill_id})[0]
    if not int(window["n"]):
        return 0
    since, until = (datetime.fromisoformat(window[k]) for k in ("since", "until"))
    return sum(run(store, rules(), since, until).values())


def _count(store: Store, rule_id: str) -> int:
    return int(store.query("SELECT count() AS n FROM alerts WHERE rule_id = {id:String}", {"id": rule_id})[0]["n"])


def listed(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    return store.query(
        "SELECT ts, level, rule_id, title, source_type, action, src_ip, actor, event_id, object, raised_at"
        " FROM alerts ORDER BY ts DESC, rule_id LIMIT {limit:UInt32}", {"limit": limit})
