"""ClickHouse's HTTP interface, served over chDB (the real engine) on 127.0.0.1, for tests.

No ClickHouse server can be installed here, so the store contract suite and the multi-worker
tests talk to this: a small HTTP server speaking what clickhouse-connect uses of ClickHouse's
HTTP protocol, every query run by chDB itself. `python tests/clickhouse_http.py DATA_DIR PORT`
serves until SIGTERM; `ClickHouseHttp` starts that process for a test.

What it does, as ClickHouse does: `/ping`; GET/POST `/` with the query in the URL (`query`,
then the body is the INSERT's data), in the body, or in a multipart form; `database`;
`X-ClickHouse-Format` or `default_format` for the output; every request in a chDB session of its
own, all of them concurrently; URL settings applied there with SET, `readonly` last so the engine
enforces it, `param_<name>` too (the session's query parameters, parsed by the engine as the
server parses them); errors as HTTP 500 with the engine's `Code: N. DB::Exception: …` and
`X-ClickHouse-Exception-Code`. INSERT data in a binary format (Native, RowBinary), plain or with
`Content-Encoding` lz4, zstd or gzip, is streamed to a file and inserted with
`INSERT … SELECT * FROM file()`, since chDB takes query text only.
What it does not: authentication (any user), compressed answers (plain, which the HTTP protocol
allows) or other compressed bodies, sessions across requests, progress headers.
With a LOG file (`python tests/clickhouse_http.py DATA_DIR PORT LOG`, `ClickHouseHttp(dir, log)`),
one JSON line per statement: its end `at`, `run_s`, the process's `cpu_s` meanwhile, `bytes` of
data and `query` (bench/scale_out.py reads them).
"""
from __future__ import annotations

import email.parser
import email.policy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

TRANSPORT = {"query", "database", "default_format", "query_id", "session_id", "session_timeout", "session_check",
             "wait_end_of_query", "send_progress_in_http_headers", "http_headers_progress_interval_ms",
             "enable_http_compression", "cancel_http_readonly_queries_on_client_close", "client_protocol_version",
             "user", "password", "quota_key", "compress", "decompress", "buffer_size", "role"}
"""URL parameters about the HTTP exchange itself, not the query: nothing for the engine to apply."""
_FORMAT = re.compile(r"\bFORMAT\s+(\w+)\s*;?\s*$", re.I)
_INSERT_FORMAT = re.compile(r"^(\s*INSERT\s+INTO\s+.+?)\s+FORMAT\s+(\w+)\s*$", re.I | re.S)
_BINARY = re.compile(r"^(Native|RowBinary\w*|Parquet|Arrow\w*|ORC|Avro)$", re.I)
_CODE = re.compile(r"Code: (\d+)\.")
_ENCODED = {"identity": "", "lz4": ".lz4", "zstd": ".zst", "gzip": ".gz"}
"""Content-Encoding of INSERT data -> the file suffix by which the engine decompresses it."""


class Engine:
    """chDB on one data dir; each request runs in a session (connection) of its own, concurrently."""

    def __init__(self, data_dir: str, log_path: str = ""):
        import chdb

        self.chdb, self.data_dir = chdb, data_dir
        self._keep = chdb.connect(data_dir)  # holds the engine open between requests
        self.tmp = tempfile.mkdtemp(prefix="ch-http-")
        self._log = open(log_path, "ab", buffering=0) if log_path else None  # one write per line: whole lines

    def spool(self, chunks: Iterator[bytes], fmt: str, encoding: str) -> str:
        """A file of an INSERT's rows, as they arrive; named so the engine decompresses it on reading."""
        fd, path = tempfile.mkstemp(dir=self.tmp, suffix=f".{fmt.lower()}{_ENCODED[encoding]}")
        try:
            with os.fdopen(fd, "wb") as f:
                for chunk in chunks:
                    f.write(chunk)
        except BaseException:
            os.unlink(path)
            raise
        return path

    def run(self, query: str, data: bytes, params: dict[str, str], rows: str = "") -> tuple[bytes, str]:
        """(output, format) of one request's query; raises the engine's exception. `data`: the text
        after the URL's query; `rows`: a file of binary rows (`spool`), removed here."""
        settings = {k: v for k, v in params.items() if k not in TRANSPORT}  # param_<name> too: see the module
        if rows:  # the engine takes query text only: it reads the rows from the file
            m = _INSERT_FORMAT.match(query)
            query = f"{m[1]} SELECT * FROM file('{rows}', '{m[2]}')"
        elif data:
            query = query + "\n" + data.decode()
        m = None if _INSERT_FORMAT.match(query) else _FORMAT.search(query)
        fmt = m[1] if m else params.get("default_format", "TabSeparated")  # the query's own FORMAT wins
        began, cpu = time.perf_counter(), time.process_time()
        try:
            conn = self.chdb.connect(self.data_dir)
            try:
                if db := params.get("database"):
                    conn.query(f"USE `{db}`")
                for group in ({k: v for k, v in settings.items() if k != "readonly"},
                              {k: v for k, v in settings.items() if k == "readonly"}):  # readonly last
                    if group:
                        conn.query("SET " + ", ".join(f"{name} = '{_quote(value)}'" for name, value in group.items()))
                return conn.query(query, fmt).bytes(), fmt
            finally:
                conn.close()
                if self._log:
                    self._log.write(json.dumps({
                        "at": time.time(), "run_s": time.perf_counter() - began, "cpu_s": time.process_time() - cpu,
                        "bytes": os.path.getsize(rows) if rows else len(data), "query": query[:300]}).encode() + b"\n")
        finally:
            if rows:
                os.unlink(rows)

    def close(self) -> None:
        self._keep.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    engine: Engine

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if urlparse(self.path).path.rstrip("/") == "/ping":
            return self._send(200, b"Ok.\n", {"Content-Type": "text/html; charset=UTF-8"})
        self._query(b"")

    def do_POST(self) -> None:
        params = self._params()
        encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
        m = _INSERT_FORMAT.match(params.get("query", ""))
        if m and _BINARY.match(m[2]) and encoding in _ENCODED:  # the body is the rows: to a file as they come
            rows = self.engine.spool(self._body(), m[2], encoding)
            return self._query(b"", params, rows)
        body = b"".join(self._body())
        if encoding != "identity":
            return self._error(f"Code: 1002. DB::Exception: this fixture decodes Content-Encoding {encoding!r}"
                               " only for INSERT data in a binary format.")
        self._query(body, params)

    def _params(self) -> dict[str, str]:
        return dict(parse_qsl(urlparse(self.path).query, keep_blank_values=True))

    def _body(self) -> Iterator[bytes]:
        """The request body in pieces: by Content-Length, or chunk by chunk."""
        if length := int(self.headers.get("Content-Length") or 0):
            while length > 0:
                piece = self.rfile.read(min(length, 1 << 20))
                if not piece:
                    return
                length -= len(piece)
                yield piece
        elif self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                yield self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()

    def _query(self, body: bytes, params: dict[str, str] | None = None, rows: str = "") -> None:
        params = self._params() if params is None else params
        if self.headers.get_content_type() == "multipart/form-data":  # query and parameters as form fields
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
            for part in message.iter_parts():
                params[part.get_param("name", header="content-disposition")] = part.get_content()
            body = b""
        query, data = (params["query"], body) if "query" in params else (body.decode(), b"")
        if header_format := self.headers.get("X-ClickHouse-Format"):
            params.setdefault("default_format", header_format)
        try:
            out, fmt = self.engine.run(query, data, params, rows)
        except Exception as exc:  # the engine's own error, as the server reports it
            return self._error(str(exc))
        self._send(200, out, {"X-ClickHouse-Format": fmt, "Content-Type": "text/plain; charset=UTF-8"})

    def _error(self, text: str) -> None:
        text = text.strip()
        code = m[1] if (m := _CODE.search(text)) else "1002"
        self._send(500, (text + "\n").encode(), {"X-ClickHouse-Exception-Code": code,
                                                 "Content-Type": "text/plain; charset=UTF-8"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {**headers, "X-ClickHouse-Server-Display-Name": "chdb-http", "X-ClickHouse-Timezone": "UTC",
                            "X-ClickHouse-Query-Id": "", "Content-Length": str(len(body)),
                            "X-ClickHouse-Summary": json.dumps({"read_rows": "0", "written_rows": "0"})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def serve(data_dir: str, port: int, log_path: str = "") -> None:
    Handler.engine = Engine(data_dir, log_path)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
    Handler.engine.close()


class ClickHouseHttp:
    """This module as a child process on a free port; `url` is `clickhouse://127.0.0.1:PORT`."""

    def __init__(self, data_dir: str, log_path: str = ""):
        self.data_dir, self.log_path, self._proc = data_dir, log_path, None

    def __enter__(self) -> "ClickHouseHttp":
        self._proc = subprocess.Popen([sys.executable, __file__, self.data_dir, "0", self.log_path],
                                      stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        line = self._proc.stdout.readline().decode().strip()
        if not line.startswith("http://"):
            self.__exit__()
            raise RuntimeError(f"the ClickHouse HTTP fixture did not start (exit {self._proc.poll()})")
        self.http_url = line
        self.url = "clickhouse://" + line[len("http://"):]
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{line}/ping", timeout=2).read()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    @property
    def pid(self) -> int:
        return self._proc.pid

    def __exit__(self, *exc) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "")
