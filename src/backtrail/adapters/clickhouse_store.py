"""A ClickHouse server as the store, through its HTTP interface (clickhouse-connect).

`clickhouse://user:password@host:8123/database` (`clickhouses://…:8443/…` for TLS); the
database is created when missing. `?cluster=NAME`: the tables are the cluster layout of
`backtrail store ddl --cluster NAME` (DELETEs go to the shards' local tables). Queries and commands send `{name:Type}` parameters to the
server, which binds them itself (never as SQL text). Read-only queries carry the same SETTINGS
clause as on chDB, so the server's own engine refuses what chDB refuses. `insert_rows` runs its
SELECT over local files in a chDB session of this process, into an LZ4-framed Native file, then
streams that file to the server (`Content-Encoding: lz4`, as clickhouse-connect's own inserts go):
memory stays bounded, the server never reads this machine's disk, and rows cross the network
compressed.
Any thread may call at any time: requests carry no session, so they never wait on each other.
"""
from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import clickhouse_connect
from clickhouse_connect.driver.exceptions import ClickHouseError

from ..core.errors import QueryError
from .chdb_store import LocalEngine, json_rows, read_only_sql

_DELETE = re.compile(r"^\s*DELETE FROM (\w+)\s+", re.I)
_SERVER_MESSAGE = re.compile(r"(Code: \d+\. DB::Exception: .*?)(?: \(for url [^)]*\))?$", re.S)
_LZ4_FRAME = b"\x04\x22\x4d\x18"  # the magic number opening an LZ4 frame
SETTINGS = {"date_time_input_format": "basic"}  # parse times as chDB does (the client's default is best_effort)


def parse_url(url: str) -> dict[str, Any]:
    """Connection arguments of a `clickhouse://` or `clickhouses://` URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("clickhouse", "clickhouses") or not parsed.hostname:
        raise QueryError(f"not a ClickHouse URL: {url!r} (expected clickhouse://user:pass@host:8123/db)")
    secure = parsed.scheme == "clickhouses"
    database = parsed.path.strip("/") or "default"
    if not re.fullmatch(r"\w+", database):
        raise QueryError(f"database name {database!r}: letters, digits and _ only")
    cluster = parse_qs(parsed.query).get("cluster", [""])[0]
    if cluster and not re.fullmatch(r"\w+", cluster):
        raise QueryError(f"cluster name {cluster!r}: letters, digits and _ only")
    return {"host": parsed.hostname, "port": parsed.port or (8443 if secure else 8123), "secure": secure,
            "username": unquote(parsed.username or "default"), "password": unquote(parsed.password or ""),
            "database": database, "cluster": cluster}


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@", 1)
    return url


class ClickHouseStore:
    def __init__(self, url: str, workdir: str | None = None):
        self.url, self.workdir = redact(url), workdir or tempfile.gettempdir()
        args = parse_url(url)
        self.database, self.cluster = args.pop("database"), args.pop("cluster")
        # on a cluster: inserts reach their shards before they return (the writer counts them next)
        settings = {**SETTINGS, "insert_distributed_sync": 1} if self.cluster else SETTINGS
        try:
            if not self.cluster:  # a cluster's database comes with its DDL (`backtrail store ddl`)
                client = clickhouse_connect.get_client(**args, autogenerate_session_id=False)
                client.command(f"CREATE DATABASE IF NOT EXISTS `{self.database}`")
                client.close()
            self._client = clickhouse_connect.get_client(**args, database=self.database, settings=settings,
                                                         autogenerate_session_id=False)
        except Exception as exc:
            raise QueryError(f"cannot open the store {self.url}: {_message(exc)}") from exc
        self._local: LocalEngine | None = None
        self._local_lock = threading.Lock()

    def query(self, sql: str, params: dict[str, Any] | None = None, read_only: bool = False,
              timeout_s: int = 30, max_rows: int = 100_000) -> list[dict[str, Any]]:
        return json_rows(self._run(read_only_sql(sql, timeout_s, max_rows) if read_only else sql, params, "JSONEachRow"))

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._run(sql, params, None)

    def _run(self, sql: str, params: dict[str, Any] | None, fmt: str | None) -> bytes:
        if self.cluster:  # a Distributed table takes no DELETE: its shards' tables do
            sql = _DELETE.sub(lambda m: f"DELETE FROM {m[1]}_local ON CLUSTER {self.cluster} ", sql)
        try:
            # the format as a header, as chDB takes it beside the query: the query text stays as written
            return self._client.raw_query(sql, parameters=params or None,
                                          transport_settings={"X-ClickHouse-Format": fmt} if fmt else None)
        except ClickHouseError as exc:
            raise QueryError(_message(exc)) from exc

    def insert_rows(self, table: str, columns: Sequence[str], select_sql: str,
                    params: dict[str, Any] | None = None) -> None:
        fd, path = tempfile.mkstemp(dir=self.workdir, suffix=".native.lz4")  # the engine compresses by the name
        os.close(fd)
        try:
            self._engine().command(f"INSERT INTO FUNCTION file({{out:String}}, 'Native') {select_sql}",
                                   {**(params or {}), "out": path})
            with open(path, "rb") as rows:
                if rows.read(4) == _LZ4_FRAME:  # no rows: the engine writes no frame
                    rows.seek(0)
                    self._client.raw_insert(table, list(columns), rows, fmt="Native", compression="lz4")
        except ClickHouseError as exc:
            raise QueryError(_message(exc)) from exc
        finally:
            os.unlink(path)

    def _engine(self) -> LocalEngine:
        with self._local_lock:
            if self._local is None:
                self._local = LocalEngine()
            return self._local

    def close(self) -> None:
        with self._local_lock:
            if self._local is not None:
                self._local.close()
                self._local = None
        self._client.close()


def _message(exc: Exception) -> str:
    """The server's own words (`Code: N. DB::Exception: …`), on one line."""
    text = str(exc)
    m = _SERVER_MESSAGE.search(text)
    line = (m[1] if m else text).strip().splitlines()[0] if text.strip() else "query failed"
    return line if len(line) <= 500 else line[:500] + "…"
