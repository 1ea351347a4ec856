"""The embedded store: chDB (ClickHouse in-process) in a data directory.

One process holds one chDB data directory at a time; every thread of it shares this connection.
chDB's own query parameters are process-wide state (concurrent queries read each other's), so
`{name:Type}` parameters are bound here, as typed literals, before the query is sent.
"""
from __future__ import annotations

import os
import re
from typing import Any

import chdb
import orjson

from ..core.errors import QueryError

READ_ONLY = (" SETTINGS readonly = 1, max_execution_time = {timeout}, max_result_rows = {rows},"
             " result_overflow_mode = 'throw'")
_PARAM = re.compile(r"\{(\w+):([^{}]+)\}")


class ChdbStore:
    def __init__(self, data_dir: str):
        os.makedirs(data_dir, exist_ok=True)
        self.data_dir = os.path.abspath(data_dir)
        try:
            self._conn = chdb.connect(self.data_dir)
            self._conn.query("SET max_query_size = 67108864")  # batches name their objects inline
            # log lines may hold invalid UTF-8 (attackers write them): JSON output replaces it, stays JSON
            self._conn.query("SET output_format_json_validate_utf8 = 1")
        except Exception as exc:  # chDB raises plain RuntimeError
            raise QueryError(f"cannot open the store in {self.data_dir}: {exc}") from exc

    def query(self, sql: str, params: dict[str, Any] | None = None, read_only: bool = False,
              timeout_s: int = 30, max_rows: int = 100_000) -> list[dict[str, Any]]:
        if read_only:
            # on a line of its own: a `--` comment ending the query must not swallow the settings
            sql = sql.rstrip().rstrip(";") + "\n" + READ_ONLY.format(timeout=timeout_s, rows=max_rows)
        out = self._run(sql, params, "JSONEachRow")
        return [orjson.loads(line) for line in out.splitlines() if line]

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._run(sql, params, "CSV")

    def _run(self, sql: str, params: dict[str, Any] | None, fmt: str) -> bytes:
        if params:
            sql = bind(sql, params)
        try:
            return self._conn.query(sql, fmt).bytes()
        except Exception as exc:
            raise QueryError(_first_line(str(exc))) from exc

    def close(self) -> None:
        self._conn.close()


def bind(sql: str, params: dict[str, Any]) -> str:
    """Replace each `{name:Type}` with `CAST(literal AS Type)`, in one pass over the template."""
    def literal(m: re.Match) -> str:
        if m[1] not in params:
            raise QueryError(f"query parameter {m[1]!r} is not set")
        return f"CAST({_literal(params[m[1]])} AS {m[2]})"
    return _PARAM.sub(literal, sql)


def _literal(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if value is None:
        return "NULL"
    text = value if isinstance(value, str) else str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "query failed"
    return line if len(line) <= 500 else line[:500] + "…"
