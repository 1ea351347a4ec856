"""The query service of another process that owns the store, over its local HTTP API."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from ..core.errors import BacktrailError, QueryError


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


class RemoteQueryService:
    def __init__(self, url: str, token: str):
        self.url, self.token = url.rstrip("/"), token

    def search(self, query: str, since=None, until=None, limit: int = 100) -> list[dict[str, Any]]:
        events = self._call("GET", "/api/search", q=query, since=_iso(since), until=_iso(until), limit=limit)["events"]
        return [{k: v for k, v in e.items() if k != "key"} for e in events]  # the columns `search` gives locally

    def count(self, query: str, since=None, until=None) -> int:
        return self._call("GET", "/api/count", q=query, since=_iso(since), until=_iso(until))["count"]

    def sql(self, sql: str) -> list[dict[str, Any]]:
        return self._call("POST", "/api/sql", body={"sql": sql})["rows"]

    def hunt(self, indicators: list[str], since=None, until=None, limit: int = 200) -> dict[str, Any]:
        return self._call("POST", "/api/hunt", body={"indicators": indicators, "since": _iso(since),
                                                      "until": _iso(until), "limit": limit})

    def detect(self, rule_dirs=None, since=None, until=None) -> dict[str, Any]:
        return self._call("POST", "/api/detect", body={"rules": [os.path.abspath(d) for d in rule_dirs or []],
                                                        "since": _iso(since), "until": _iso(until)})

    def alerts(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._call("GET", "/api/alerts", limit=limit)["alerts"]

    def rules(self, rule_dirs=None, check_fields: bool = False) -> list[dict[str, Any]]:
        return self._call("POST", "/api/rules", body={"rules": [os.path.abspath(d) for d in rule_dirs or []],
                                                       "check_fields": check_fields})["rules"]

    def status(self) -> dict[str, Any]:
        return self._call("GET", "/api/status")

    def backfills(self) -> list[dict[str, Any]]:
        return self._call("GET", "/api/backfills")["backfills"]

    def backfill(self, job_id: str) -> dict[str, Any]:
        return self._call("GET", f"/api/backfills/{quote(job_id, safe='')}")

    def create_backfill(self, url: str, since=None, until=None, **options) -> dict[str, Any]:
        return self._call("POST", "/api/backfills", body={"url": url, "since": _iso(since), "until": _iso(until),
                                                          **options})

    def control_backfill(self, job_id: str, action: str) -> dict[str, Any]:
        return self._call("POST", f"/api/backfills/{quote(job_id, safe='')}/{action}", body={})

    def coverage(self) -> list[dict[str, Any]]:
        return self._call("GET", "/api/coverage")["sources"]

    def _call(self, method: str, path: str, body: dict | None = None, **params) -> dict:
        query = urlencode({k: v for k, v in params.items() if v is not None})
        request = urllib.request.Request(
            f"{self.url}{path}?{query}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as exc:
            try:
                message = json.load(exc)["error"]["message"]
            except Exception:
                message = f"HTTP {exc.code}"
            raise (QueryError if exc.code == 400 else BacktrailError)(message) from None
        except OSError as exc:
            raise BacktrailError(f"the backtrail process serving this data directory is not answering: {exc}") from None


def owner_of(server_file: str) -> RemoteQueryService | None:
    """The live process that owns the data directory, if one wrote `server.json` and answers."""
    try:
        with open(server_file) as f:
            info = json.load(f)
        os.kill(info["pid"], 0)
    except (OSError, ValueError, KeyError):
        return None
    remote = RemoteQueryService(info["url"], info["token"])
    try:
        remote._call("GET", "/api/health")
    except BacktrailError:
        return None
    return remote
