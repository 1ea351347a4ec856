"""One query API over the store, for the CLI and the HTTP API alike."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..backfill import report
from ..backfill.jobs import Jobs, new_job
from ..core.errors import ConfigError
from ..core.ports import Store
from ..core.schema import EVENT_COLUMNS
from ..detect import alerts
from ..detect.sigma import compile_rule
from . import explore, prometheus
from .hunt import hunt_sql, parse_indicators
from .search import compile_search
from .sql_guard import check_select

MAX_LIMIT = 10_000


class QueryService:
    def __init__(self, store: Store, notify_alerts: Callable[[list[dict[str, Any]]], None] | None = None):
        self.store, self.notify_alerts = store, notify_alerts
        self.runtime_metrics: Callable[[], str] = lambda: ""
        """Prometheus text of the worker running beside this service (queue depth…), when one does."""
        self.backfill_runner = None
        """The `backfill.runner.Runner` of this process, when it runs a worker: jobs start here."""

    def page(self, query: str, since: datetime | None = None, until: datetime | None = None,
             limit: int = 100, cursor: str | None = None) -> dict[str, Any]:
        """`{"events", "next_cursor"}`: one page of `search`'s events, each with its `key`."""
        where, params = self._where(query, since, until)
        return explore.page(self.store, where, params, max(1, min(int(limit), MAX_LIMIT)), cursor)

    def histogram(self, query: str, since: datetime | None = None, until: datetime | None = None,
                  buckets: int = 60) -> dict[str, Any]:
        """`{"interval_s", "buckets": [{"t", "source_type", "count"}]}`, about `buckets` intervals."""
        where, params = self._where(query, since, until)
        return explore.histogram(self.store, where, params, since, until, max(1, min(int(buckets), 1000)))

    def facets(self, query: str, since: datetime | None = None, until: datetime | None = None,
               field: str = "src_ip", limit: int = 10) -> dict[str, Any]:
        """`{"field", "values": [{"value", "count"}]}`: the field's top values among the matches."""
        where, params = self._where(query, since, until)
        return explore.facets(self.store, where, params, field, max(1, min(int(limit), 1000)))

    def event(self, key: str) -> dict[str, Any]:
        """One event by its key; NotFound when there is none."""
        return explore.event(self.store, key)

    def sources(self) -> list[dict[str, Any]]:
        return explore.sources(self.store)

    def metrics(self) -> str:
        """Prometheus text: what the store holds, then the running worker's own metrics."""
        return prometheus.render(self.store) + self.runtime_metrics()

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
                "last_errors": [f"{e['bucket']}/{e['key']}: {e['reason']}" for e in errors],
                "backfills": report.reports(Jobs(self.store))[:5]}

    def backfills(self) -> list[dict[str, Any]]:
        """Every backfill job, newest first: state, objects listed/done/failed/skipped, events,
        bytes, rate (events/s), ETA, times, range, last errors."""
        return report.reports(Jobs(self.store))

    def backfill(self, job_id: str) -> dict[str, Any]:
        Jobs(self.store).get(job_id)  # NotFound
        return report.reports(Jobs(self.store), [job_id])[0]

    def create_backfill(self, url: str, since: datetime | None = None, until: datetime | None = None,
                        **options) -> dict[str, Any]:
        """Start a backfill job in this process (options: type, newest_first, include, exclude,
        prefixes, notify)."""
        if self.backfill_runner is None:
            raise ConfigError("this process runs no worker: start backfills with `backtrail backfill`")
        job = self.backfill_runner.create(new_job(url, since, until, **options))
        return self.backfill(job.id)

    def control_backfill(self, job_id: str, action: str) -> dict[str, Any]:
        """cancel, pause or resume; a resumed job whose planner is gone is planned again here, and
        its dead-lettered objects are sent again (`Runner.resume`)."""
        job = Jobs(self.store).control(job_id, action)
        if action == "resume" and self.backfill_runner is not None:
            self.backfill_runner.resume(job)
        return self.backfill(job_id)

    def coverage(self) -> list[dict[str, Any]]:
        """Per source (type, account, region): the days loaded, partly loaded and missing."""
        return report.coverage(Jobs(self.store).coverage_days())

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
