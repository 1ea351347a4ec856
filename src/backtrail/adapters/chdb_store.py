"""The embedded store: chDB (ClickHouse in-process) in a data directory.

One process holds one chDB data directory at a time; every thread of it shares this connection.
"""
from __future__ import annotations

import os
from typing import Any

import chdb
import orjson

from ..core.errors import QueryError

READ_ONLY = " SETTINGS readonly = 1, max_execution_time = {timeout}, max_result_rows = {rows}, result_overflow_mode = 'throw'"


class ChdbStore:
    def __init__(self, data_dir: str):
        os.makedirs(data_dir, exist_ok=True)
        self.data_dir = os.path.abspath(data_dir)
        try:
            self._conn = chdb.connect(self.data_dir)
        except Exception as exc:  # chDB raises plain RuntimeError
            raise QueryError(f"cannot open the store in {self.data_dir}: {exc}") from exc

    def query(self, sql: str, params: dict[str, Any] | None = None, read_only: bool = False,
              timeout_s: int = 30, max_rows: int = 100_000) -> list[dict[str, Any]]:
        if read_only:
            sql = sql.rstrip().rstrip(";") + READ_ONLY.format(timeout=timeout_s, rows=max_rows)
        out = self._run(sql, params, "JSONEachRow")
        return [orjson.loads(line) for line in out.splitlines() if line]

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._run(sql, params, "CSV")

    def _run(self, sql: str, params: dict[str, Any] | None, fmt: str) -> bytes:
        try:
            return self._conn.query(sql, fmt, params=_encode(params)).bytes()
        except Exception as exc:
            raise QueryError(_first_line(str(exc))) from exc

    def close(self) -> None:
        self._conn.close()


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "query failed"
    return line if len(line) <= 500 else line[:500] + "…"


def _encode(params: dict[str, Any] | None) -> dict[str, Any]:
    """chDB takes arrays as ClickHouse literals: ['a', 'b']."""
    return {k: "[" + ", ".join(_quote(x) for x in v) + "]" if isinstance(v, (list, tuple)) else v
            for k, v in (params or {}).items()}


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(value)
