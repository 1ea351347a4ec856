"""The local HTTP API: JSON over the query service, one error shape, a bearer token always.

Started by whichever process owns the store (a running backfill, a worker, `serve`), so other CLI
invocations can search while it loads. Listens on 127.0.0.1 unless told otherwise. Every failure
answers `{"error": {"code", "message"}}`: 400 bad_request, 401 unauthorized, 404 not_found,
500 failed. Times (`since`, `until`) are ISO-8601, ages (`7d`) or epoch milliseconds (Grafana's
`${__from}`). `GET /api/openapi.json` documents every route.
"""
from __future__ import annotations

import hmac
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

import orjson

from ..backfill.timerange import parse_time
from ..core.errors import BacktrailError, ConfigError, NotFound, QueryError
from . import grafana, openapi
from .service import QueryService
from .ui import CSP, ui_asset


class ApiServer:
    def __init__(self, service: QueryService, token: str, host: str = "127.0.0.1", port: int = 0):
        handler = type("Handler", (_Handler,), {"service": service, "token": token})
        try:
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "ApiServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    service: QueryService
    token: str

    def log_message(self, *args) -> None:  # quiet: the owner prints its own progress
        pass

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length) if length else b"")

    def _serve(self, raw: bytes) -> None:
        url = urlparse(self.path)
        if self.command == "GET" and (page := ui_asset(url.path)):  # the UI's files hold no data
            return self._send_bytes(200, *page)
        if not hmac.compare_digest(self.headers.get("Authorization", ""), f"Bearer {self.token}"):
            return self._send(401, _error("unauthorized", "missing or wrong bearer token"))
        route, path_params = _route(self.command, url.path)
        if route is None:
            return self._send(404, _error("not_found", f"no route {self.command} {url.path}"))
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            body = orjson.loads(raw) if raw else {}
            answer = route(self.service, {**params, **body, **path_params})
        except NotFound as exc:
            return self._send(404, _error("not_found", str(exc)))
        except (QueryError, ConfigError, orjson.JSONDecodeError) as exc:
            return self._send(400, _error("bad_request", str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug still answers in the error shape
            return self._send(500, _error("failed", str(exc) if isinstance(exc, BacktrailError) else repr(exc)))
        if isinstance(answer, tuple):  # (content type, bytes): /metrics
            return self._send_bytes(200, *answer)
        self._send(200, answer)

    def _send(self, status: int, payload) -> None:
        self._send_bytes(status, "application/json", orjson.dumps(payload, default=str))

    def _send_bytes(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write(data)


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _route(method: str, path: str):
    """The handler of a request and the values of its path's `{name}` segments."""
    if route := _ROUTES.get((method, path)):
        return route, {}
    parts = path.split("/")
    for (m, pattern), route in _ROUTES.items():
        names = pattern.split("/")
        if m == method and "{" in pattern and len(names) == len(parts) and all(
                n == p or (n.startswith("{") and p) for n, p in zip(names, parts)):
            return route, {n[1:-1]: unquote(p) for n, p in zip(names, parts) if n.startswith("{")}
    return None, {}


def _times(p: dict):
    return _time(p.get("since")), _time(p.get("until"))


def _time(value) -> datetime | None:
    """ISO-8601, an age (`7d`), `now`, or epoch milliseconds (Grafana's `${__from}`)."""
    if value is None or value == "":
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) > 8):
        return datetime.fromtimestamp(int(value) / 1000, timezone.utc)
    return parse_time(str(value))


def _int(p: dict, name: str, default: int) -> int:
    try:
        return int(p.get(name, default))
    except (TypeError, ValueError):
        raise QueryError(f"{name} must be a whole number, not {p.get(name)!r}") from None


def _search(s: QueryService, p: dict) -> dict:
    page = s.page(p.get("q", ""), *_times(p), limit=_int(p, "limit", 100), cursor=p.get("cursor") or None)
    if p.get("format", "json") not in ("json", "logs"):
        raise QueryError(f"format must be json or logs, not {p['format']!r}")
    return grafana.logs(page) if p.get("format") == "logs" else page


_ROUTES = {
    ("GET", "/api/health"): lambda s, p: {"ok": True},
    ("GET", "/api/search"): _search,
    ("GET", "/api/histogram"): lambda s, p: s.histogram(p.get("q", ""), *_times(p), buckets=_int(p, "buckets", 60)),
    ("GET", "/api/facets"): lambda s, p: s.facets(p.get("q", ""), *_times(p), field=p.get("field", "src_ip"),
                                                  limit=_int(p, "limit", 10)),
    ("GET", "/api/events/{key}"): lambda s, p: {"event": s.event(p["key"])},
    ("GET", "/api/sources"): lambda s, p: {"sources": s.sources()},
    ("GET", "/metrics"): lambda s, p: ("text/plain; version=0.0.4; charset=utf-8", s.metrics().encode()),
    ("GET", "/api/openapi.json"): lambda s, p: openapi.document(_ROUTES),
    ("GET", "/api/count"): lambda s, p: {"count": s.count(p.get("q", ""), *_times(p))},
    ("POST", "/api/sql"): lambda s, p: {"rows": s.sql(str(p.get("sql", "")))},
    ("POST", "/api/detect"): lambda s, p: s.detect(p.get("rules") or [], *_times(p)),
    ("GET", "/api/alerts"): lambda s, p: {"alerts": s.alerts(int(p.get("limit", 100)))},
    ("POST", "/api/rules"): lambda s, p: {"rules": s.rules(p.get("rules") or [], bool(p.get("check_fields")))},
    ("POST", "/api/hunt"): lambda s, p: s.hunt([str(i) for i in p.get("indicators") or []], *_times(p),
                                               limit=int(p.get("limit", 200))),
    ("GET", "/api/status"): lambda s, p: grafana.status_table(s.status()) if p.get("format") == "table" else s.status(),
    ("GET", "/api/backfills"): lambda s, p: {"backfills": s.backfills()},
    ("GET", "/api/backfills/{id}"): lambda s, p: s.backfill(p["id"]),
    ("POST", "/api/backfills"): lambda s, p: s.create_backfill(
        p.get("url"), *_times(p), **{k: p[k] for k in ("type", "newest_first", "include", "exclude", "prefixes",
                                                       "notify", "config", "source") if p.get(k) is not None}),
    ("POST", "/api/backfills/{id}/cancel"): lambda s, p: s.control_backfill(p["id"], "cancel"),
    ("POST", "/api/backfills/{id}/pause"): lambda s, p: s.control_backfill(p["id"], "pause"),
    ("POST", "/api/backfills/{id}/resume"): lambda s, p: s.control_backfill(p["id"], "resume"),
    ("GET", "/api/coverage"): lambda s, p: {"sources": s.coverage()},
}
