"""One query API over the store, for the CLI and the HTTP API alike."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..core.ports import Store
from ..core.schema import EVENT_COLUMNS
from ..detect import alerts
from ..detect.sigma import compile_rule
from .hunt import hunt_sql, parse_indicators
from .search import compile_search
from .sql_guard import check_select

MAX_LIMIT = 10_000


class QueryService:
    def __init__(self, store: Store, notify_alerts: Callable[[list[dict[str, Any]]], None] | None = None):
        self.store, self.notify_alerts = store, notify_alerts

    def search(self, query: str, since: datetime | None = None, until: datetime | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
        """Matching events, newest first, with the common columns and per-type fields."""
        where, params = self._where(query, since, until)
        params["limit"] = max(1, min(int(limit), MAX_LIMIT))
        return self.store.query(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {where}"
            " ORDER BY ts DESC, event_id LIMIT {limit:UInt32}", params)

    def count(self, query: str, since: datetime | None = None, until: datetime | None = None) -> int:
        where, params = self._where(query, since, until)
        return int(self.store.query(f"SELECT count() AS n FROM events WHERE {where}", params)[0]["n"])

    def hunt(self, indicators: list[str], since: datetime | None = None, until: datetime | None = None,
             limit: int = 200) -> dict[str, Any]:
        """Per indicator: its kind, events, first and last seen, sources; and one merged timeline."""
        typed = parse_indicators(indicators)
        where, params = self._where("", since, until)
        summary, timeline, hunt_params = hunt_sql(typed, where, "limit")
        params.update(hunt_params, limit=max(1, min(int(limit), MAX_LIMIT)))
        found = {int(r["n"]): r for r in self.store.query(summary, params)}
        return {"indicators": [{"indicator": ind.value, "kind": ind.kind, "search": ind.search(),
                                "events": int(found.get(n, {}).get("events", 0)),
                                "first_seen": found.get(n, {}).get("first_seen"),
                                "last_seen": found.get(n, {}).get("last_seen"),
                                "sources": found.get(n, {}).get("sources", [])}
                               for n, ind in enumerate(typed, 1)],
                "timeline": [{**r, "matched": [typed[n - 1].value for n in r["matched"]]}
                             for r in self.store.query(timeline, params)]}

    def detect(self, rule_dirs: list[str] | None = None, since: datetime | None = None,
               until: datetime | None = None) -> dict[str, Any]:
        """Run every rule over the events of the range; the new alerts per rule."""
        window, params = self._where("", since, until)
        return {"new_alerts": alerts.run(self.store, alerts.rules(rule_dirs), window, params, self.notify_alerts)}

    def alerts(self, limit: int = 100) -> list[dict[str, Any]]:
        return alerts.listed(self.store, max(1, min(int(limit), MAX_LIMIT)))

    def rules(self, rule_dirs: list[str] | None = None, check_fields: bool = False) -> list[dict[str, Any]]:
        """Every loaded rule; with `check_fields`, the fields it reads that no stored event of its type has."""
        found = []
        for rule in alerts.rules(rule_dirs):
            stored = int(self.store.query("SELECT count() AS n FROM events WHERE source_type = {t:String}",
                                          {"t": rule.source_type})[0]["n"]) if check_fields else 0
            unseen = [f for f in rule.fields if stored and not self._seen(rule, f)]
            found.append({"id": rule.id, "title": rule.title, "level": rule.level, "source_type": rule.source_type,
                          "fields": list(rule.fields), "path": rule.path, "events_of_type": stored,
                          "fields_never_seen": unseen})
        return found

    def _seen(self, rule, name: str) -> bool:
        probe = compile_rule({"id": "probe", "title": "probe", "logsource": {"service": rule.source_type},
                              "detection": {"s": {f"{name}|exists": True}, "condition": "s"}})
        return bool(self.store.query(f"SELECT 1 AS x FROM events WHERE {probe.where} LIMIT 1", probe.params))

    def sql(self, sql: str, max_rows: int = MAX_LIMIT, timeout_s: int = 30) -> list[dict[str, Any]]:
        """Read-only SQL over the event tables."""
        check_select(self.store, sql)
        return self.store.query(sql, read_only=True, max_rows=max_rows, timeout_s=timeout_s)

    def status(self) -> dict[str, Any]:
        """Objects per ledger state, events and bytes, the last errors, and the read rate (bytes of
        objects per second) of the latest backfill, from the ledger."""
        rows = self.store.query(
            "SELECT state, count() AS objects, sum(events) AS events, sum(size) AS bytes,"
            " sum(errors) AS bad_records FROM (SELECT identity, argMax(state, updated_at) AS state,"
            " argMax(events, updated_at) AS events, argMax(size, updated_at) AS size,"
            " argMax(errors, updated_at) AS errors FROM objects GROUP BY identity) GROUP BY state")
        errors = self.store.query(
            "SELECT bucket, key, argMax(reason, updated_at) AS reason, argMax(state, updated_at) AS state"
            " FROM objects GROUP BY bucket, key HAVING reason != '' AND state IN ('failed', 'empty', 'done')"
            " ORDER BY max(updated_at) DESC LIMIT 10")
        total = int(self.store.query("SELECT count() AS n FROM events")[0]["n"])
        latest = self.store.query(
            "SELECT backfill_id, sumIf(size, state = 'done') AS bytes, greatest(1, dateDiff('millisecond',"
            " min(updated_at), maxIf(updated_at, state = 'done')) / 1000) AS seconds FROM objects"
            " WHERE backfill_id != '' GROUP BY backfill_id HAVING bytes > 0 ORDER BY max(updated_at) DESC LIMIT 1")
        return {"states": {r["state"]: {k: int(v) for k, v in r.items() if k != "state"} for r in rows},
                "events_in_store": total,
                "throughput": {"backfill_id": latest[0]["backfill_id"],
                               "bytes_per_s": round(int(latest[0]["bytes"]) / float(latest[0]["seconds"]))}
                if latest else None,
                "last_errors": [f"{e['bucket']}/{e['key']}: {e['reason']}" for e in errors]}

    def _where(self, query: str, since: datetime | None, until: datetime | None):
        compiled = compile_search(query)
        where, params = [compiled.where], dict(compiled.params)
        if since:
            where.append("ts >= {since:DateTime64(3, 'UTC')}")
            params["since"] = since.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        if until:
            where.append("ts <= {until:DateTime64(3, 'UTC')}")
            params["until"] = until.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        return " AND ".join(where), params
