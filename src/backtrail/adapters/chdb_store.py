"""The embedded store: chDB (ClickHouse in-process) in a data directory.

One process holds one chDB data directory at a time; every thread of it shares a connection,
which runs one query at a time (another connection to the same directory runs beside it).
chDB's own query parameters are process-wide state (concurrent queries read each other's), so
`{name:Type}` parameters are bound here, as typed literals, before the query is sent.
`database` keeps a store's tables in a database of their own (tests share one data dir so).
`local_engine` lends another session of the same engine, for SELECTs over local files.
"""
from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

import chdb
import orjson

from ..core.errors import QueryError

READ_ONLY = (" SETTINGS readonly = 1, max_execution_time = {timeout}, max_result_rows = {rows},"
             " result_overflow_mode = 'throw'")
_PARAM = re.compile(r"\{(\w+):([^{}]+)\}")


_OPEN: Counter = Counter()  # paths this process has open: chDB holds one at a time
_OPEN_LOCK = threading.Lock()


def _connect(path: str):
    with _OPEN_LOCK:
        conn = chdb.connect(path)
        _OPEN[path] += 1
    conn.query("SET max_query_size = 67108864")  # batches name their objects inline
    return conn


def _disconnect(path: str, conn) -> None:
    with _OPEN_LOCK:
        conn.close()
        _OPEN[path] -= 1
        if not _OPEN[path]:
            del _OPEN[path]


class LocalEngine:
    """A session of chDB for queries over local files: on the data dir this process already
    holds (the engine allows one path per process), else in memory. Thread-safe."""

    def __init__(self):
        with _OPEN_LOCK:
            self.path = next(iter(_OPEN), ":memory:")
        try:
            self._conn = _connect(self.path)
            self._conn.query("SET engine_file_truncate_on_insert = 1")
        except Exception as exc:
            raise QueryError(f"cannot start the local engine: {_first_line(str(exc))}") from exc

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        try:
            self._conn.query(bind(sql, params) if params else sql, "CSV")
        except Exception as exc:
            raise QueryError(_first_line(str(exc))) from exc

    def close(self) -> None:
        _disconnect(self.path, self._conn)


class ChdbStore:
    def __init__(self, data_dir: str, database: str = "default"):
        os.makedirs(data_dir, exist_ok=True)
        self.data_dir = os.path.abspath(data_dir)
        try:
            self._conn = _connect(self.data_dir)
            # log lines may hold invalid UTF-8 (attackers write them): JSON output replaces it, stays JSON
            self._conn.query("SET output_format_json_validate_utf8 = 1")
            if database != "default":
                self._conn.query(f"CREATE DATABASE IF NOT EXISTS `{database}`")
                self._conn.query(f"USE `{database}`")
        except Exception as exc:  # chDB raises plain RuntimeError
            raise QueryError(f"cannot open the store in {self.data_dir}: {_first_line(str(exc))}") from exc

    def query(self, sql: str, params: dict[str, Any] | None = None, read_only: bool = False,
              timeout_s: int = 30, max_rows: int = 100_000) -> list[dict[str, Any]]:
        return json_rows(self._run(read_only_sql(sql, timeout_s, max_rows) if read_only else sql, params, "JSONEachRow"))

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._run(sql, params, "CSV")

    def _run(self, sql: str, params: dict[str, Any] | None, fmt: str) -> bytes:
        if params:
            sql = bind(sql, params)
        try:
            return self._conn.query(sql, fmt).bytes()
        except Exception as exc:
            raise QueryError(_first_line(str(exc))) from exc

    def insert_rows(self, table: str, columns: Sequence[str], select_sql: str,
                    params: dict[str, Any] | None = None) -> None:
        self.command(f"INSERT INTO {table} ({', '.join(columns)}) {select_sql}", params)

    def close(self) -> None:
        _disconnect(self.data_dir, self._conn)


def read_only_sql(sql: str, timeout_s: int, max_rows: int) -> str:
    """The statement with the settings that refuse writes, files and settings changes, and bound it.
    On a line of its own: a `--` comment ending the query must not swallow them."""
    return sql.rstrip().rstrip(";") + "\n" + READ_ONLY.format(timeout=timeout_s, rows=max_rows)


def json_rows(out: bytes) -> list[dict[str, Any]]:
    """Rows of a JSONEachRow answer."""
    return [orjson.loads(line) for line in out.splitlines() if line]


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
