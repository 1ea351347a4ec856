"""Shapes Grafana's Infinity datasource reads as frames: flat rows, one time column.

- `GET /api/search?format=logs`: `events` rows of a logs panel: `timestamp` (ISO-8601 UTC),
  `body` (the raw record), `level` (`error` for a failed outcome, else `info`), and the columns a
  responder pivots on.
- `GET /api/histogram`: `buckets` rows `t, source_type, count` are already a long time series
  (Grafana's "partition by values" on `source_type` gives one series per source).
- `GET /api/status?format=table`: `states` rows `state, objects, events, bytes, bad_records`.
"""
from __future__ import annotations

from typing import Any

from .explore import iso

LOG_COLUMNS = ("timestamp", "body", "level", "source_type", "src_ip", "actor", "action", "outcome", "key")


def logs(page: dict[str, Any]) -> dict[str, Any]:
    return {**page, "events": [{"timestamp": iso(e["ts"]), "body": e["raw"],
                                "level": "error" if e["outcome"] == "failure" else "info",
                                **{c: e[c] for c in LOG_COLUMNS[3:]}} for e in page["events"]]}


def status_table(status: dict[str, Any]) -> dict[str, Any]:
    return {**status, "states": [{"state": state, **counts} for state, counts in sorted(status["states"].items())]}
