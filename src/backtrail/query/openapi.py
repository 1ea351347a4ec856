"""The OpenAPI 3.1 document of the HTTP API (`GET /api/openapi.json`).

`OPERATIONS` holds one entry per route of `http._ROUTES`, keyed alike; a test keeps the two equal,
so a route added without its documentation fails the suite.
"""
from __future__ import annotations

from importlib.metadata import version
from typing import Any

_ANY = {"type": "object", "additionalProperties": True}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_EVENT = {"type": "object", "description": "the common columns, `fields` (per-type fields) and `key`",
          "properties": {"ts": {"type": "string"}, "source_type": {"type": "string"}, "key": {"type": "string"},
                         "raw": {"type": "string"}}, "additionalProperties": True}


def _q(name: str, description: str, schema: dict | None = None, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": where == "path", "description": description,
            "schema": schema or {"type": "string"}}


def _obj(**properties) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


_TIME = {"type": "string", "description": "ISO-8601, an age such as 7d, or epoch milliseconds"}
_RANGE = [_q("q", 'search: `eventName:AssumeRole src_ip:10.0.* "AKIA…"` (empty: every event)'),
          _q("since", "start of the time range (inclusive)", _TIME), _q("until", "end of the range (inclusive)", _TIME)]
_INT = {"type": "integer", "minimum": 1}
_NUM = {"type": ["number", "null"]}
_BACKFILL = {"type": "object", "additionalProperties": True, "required": [
    "id", "state", "objects_listed", "objects_done", "objects_failed", "objects_skipped", "events", "bytes", "rate",
    "eta_s", "started_at", "finished_at", "since", "until", "last_errors"], "properties": {
    "id": {"type": "string"}, "state": {"enum": ["planning", "running", "paused", "cancelled", "done", "failed"]},
    **{k: {"type": "integer"} for k in ("objects_listed", "objects_done", "objects_failed", "objects_skipped",
                                        "events", "bytes")},
    "rate": {"type": "number", "description": "events per second"}, "eta_s": _NUM,
    **{k: {"type": ["string", "null"]} for k in ("started_at", "finished_at", "since", "until")},
    "last_errors": _STRINGS}}
_JOB_ID = _q("id", "the job's id (bf-…)", where="path")


def _op(summary: str, response: dict | None = None, params: list | None = None, body: dict | None = None,
        content: str = "application/json", errors: tuple[int, ...] = (400,)) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "parameters": params or [], "responses": {
        "200": {"description": "OK", "content": {content: {"schema": response or _ANY}}},
        "401": {"$ref": "#/components/responses/Error"},
        **{str(code): {"$ref": "#/components/responses/Error"} for code in (*errors, 500)}}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/health"): _op("the server answers", _obj(ok={"type": "boolean"}), errors=()),
    ("GET", "/api/search"): _op(
        "matching events, newest first, one page at a time (keyset paging on ts, key)",
        _obj(events=_list(_EVENT), next_cursor={"type": ["string", "null"]}),
        _RANGE + [_q("limit", "events per page (at most 10,000)", {**_INT, "default": 100}),
                  _q("cursor", "the next_cursor of the previous page"),
                  _q("format", "logs: rows timestamp, body, level, source_type, src_ip, actor, action, outcome, key"
                               " (Grafana logs panels)", {"enum": ["json", "logs"], "default": "json"})]),
    ("GET", "/api/count"): _op("the number of matching events", _obj(count={"type": "integer"}), _RANGE),
    ("GET", "/api/histogram"): _op(
        "matching events per interval and source type; the interval gives about `buckets` buckets over"
        " the range (without one, over the matching events' own)",
        _obj(interval_s={"type": "integer"}, buckets=_list(_obj(t={"type": "string", "format": "date-time"},
                                                                source_type={"type": "string"}, count={"type": "integer"}))),
        _RANGE + [_q("buckets", "about how many intervals", {**_INT, "default": 60})]),
    ("GET", "/api/facets"): _op(
        "the most frequent values of a field among the matching events",
        _obj(field={"type": "string"}, values=_list(_obj(value={"type": "string"}, count={"type": "integer"}))),
        _RANGE + [_q("field", "a common column, ips or principals (each element counts), or a per-type field"
                              " such as elb_status_code", {"type": "string", "default": "src_ip"}),
                  _q("limit", "how many values", {**_INT, "default": 10})]),
    ("GET", "/api/events/{key}"): _op("one event by its key", _obj(event=_EVENT),
                                      [_q("key", "the event's `key`", where="path")], errors=(404,)),
    ("GET", "/api/sources"): _op(
        "per source type: events, first and last event, ingest rate over the last 60 s, live lag",
        _obj(sources=_list(_obj(source_type={"type": "string"}, events={"type": "integer"},
                                first_event={"type": "string"}, last_event={"type": "string"},
                                events_per_s={"type": "number"}, live_lag_s={"type": "number"}))), errors=()),
    ("GET", "/api/status"): _op("objects per ledger state, events, last errors, the last backfill's read rate",
                                params=[_q("format", "table: `states` as rows (Grafana tables)",
                                           {"enum": ["json", "table"], "default": "json"})], errors=()),
    ("POST", "/api/sql"): _op("read-only SQL over the event tables (time limit, row cap)",
                              _obj(rows=_list(_ANY)), body=_obj(sql={"type": "string"})),
    ("POST", "/api/hunt"): _op("indicators (IPs, keys, ARNs, domains…) across every source, one timeline",
                               body={"type": "object", "required": ["indicators"], "properties": {
                                   "indicators": _STRINGS, "since": _TIME, "until": _TIME, "limit": _INT}}),
    ("POST", "/api/detect"): _op("run the detection rules over the range; new alerts per rule",
                                 body={"type": "object", "properties": {"rules": _STRINGS, "since": _TIME,
                                                                        "until": _TIME}}),
    ("GET", "/api/alerts"): _op("detection hits, newest first", _obj(alerts=_list(_ANY)),
                                [_q("limit", "how many", {**_INT, "default": 100})]),
    ("POST", "/api/rules"): _op("the loaded rules; with check_fields, the fields no stored event has",
                                _obj(rules=_list(_ANY)), body={"type": "object", "properties": {
                                    "rules": _STRINGS, "check_fields": {"type": "boolean"}}}),
    ("GET", "/metrics"): _op("Prometheus metrics: events per source, objects per ledger state, queue depth, lag",
                             {"type": "string"}, content="text/plain", errors=()),
    ("GET", "/api/openapi.json"): _op("this document", errors=()),
    ("GET", "/api/backfills"): _op("every backfill job, newest first, with its progress from the job ledger",
                                   _obj(backfills=_list(_BACKFILL)), errors=()),
    ("GET", "/api/backfills/{id}"): _op("one backfill job", _BACKFILL, [_JOB_ID], errors=(404,)),
    ("POST", "/api/backfills"): _op(
        "start a backfill job in this process (its worker loads it)", _BACKFILL, body={
            "type": "object", "required": ["url"], "properties": {
                "url": {"type": "string", "description": "file:///dir[/prefix] or s3://bucket/prefix"},
                "since": _TIME, "until": _TIME, "type": {"type": "string", "description": "force a log type"},
                "newest_first": {"type": "boolean"}, "include": _STRINGS, "exclude": _STRINGS,
                "prefixes": _STRINGS, "notify": {"type": "string", "description": "webhook URL"}}}),
    ("POST", "/api/backfills/{id}/cancel"): _op("stop enqueueing; queued objects are dropped unread", _BACKFILL,
                                                [_JOB_ID], errors=(400, 404)),
    ("POST", "/api/backfills/{id}/pause"): _op("stop enqueueing and loading until resumed", _BACKFILL,
                                               [_JOB_ID], errors=(400, 404)),
    ("POST", "/api/backfills/{id}/resume"): _op("go on listing (from the checkpoints) and loading", _BACKFILL,
                                                [_JOB_ID], errors=(400, 404)),
    ("GET", "/api/coverage"): _op(
        "per source (type, account, region): the days loaded, partly loaded (failed or queued objects) or missing",
        _obj(sources=_list(_obj(source_type={"type": "string"}, account_id={"type": "string"},
                                region={"type": "string"}, first_day={"type": "string"}, last_day={"type": "string"},
                                loaded=_STRINGS, partial=_STRINGS, missing=_STRINGS, days=_list(_ANY)))), errors=()),
}


def document(routes) -> dict[str, Any]:
    """The OpenAPI document of `routes` (keys `(method, path)`); a route without an entry in
    `OPERATIONS` still appears, marked undocumented."""
    paths: dict[str, dict] = {}
    for method, path in routes:
        paths.setdefault(path, {})[method.lower()] = OPERATIONS.get((method, path), {"summary": "(undocumented)"})
    return {"openapi": "3.1.0",
            "info": {"title": "backtrail", "version": version("backtrail"),
                     "description": "Search AWS logs straight from their bucket. Every request carries"
                                    " `Authorization: Bearer TOKEN`."},
            "security": [{"bearer": []}],
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "responses": {"Error": {"description": "every failure", "content": {"application/json": {
                    "schema": _obj(error=_obj(code={"type": "string"}, message={"type": "string"}))}}}}},
            "paths": paths}
