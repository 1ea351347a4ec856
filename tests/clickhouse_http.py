"""ClickHouse's HTTP interface, served over chDB (the real engine) on 127.0.0.1, for tests.

No ClickHouse server can be installed here, so the store contract suite and the multi-worker
tests talk to this: a small HTTP server speaking what clickhouse-connect uses of ClickHouse's
HTTP protocol, every query run by chDB itself. `python tests/clickhouse_http.py DATA_DIR PORT`
serves until SIGTERM; `ClickHouseHttp` starts that process for a test.

What it does, as ClickHouse does: `/ping`; GET/POST `/` with the query in the URL (`query`,
then the body is the INSERT's data), in the body, or in a multipart form; `database`;
`X-ClickHouse-Format` or `default_format` for the output; `param_<name>` bound by the engine (chDB's query parameters, parsed as the server parses them);
other URL settings applied with SET in a session of their own, `readonly` last so the engine
enforces it; errors as HTTP 500 with the engine's `Code: N. DB::Exception: …`
and `X-ClickHouse-Exception-Code`. INSERT data in a binary format (Native, RowBinary) is written
to a file and inserted with `INSERT … SELECT * FROM file()`, since chDB takes query text only.
What it does not: authentication (any user), compression (answers are plain, which the HTTP
protocol allows), sessions, progress headers, concurrent queries (one at a time).
"""
from __future__ import annotations

import email.parser
import email.policy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
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


class Engine:
    """chDB on one data dir; each request runs in a session (connection) of its own."""

    def __init__(self, data_dir: str):
        import chdb

        self.chdb, self.data_dir, self.lock = chdb, data_dir, threading.Lock()
        self._keep = chdb.connect(data_dir)  # holds the engine open between requests
        self.tmp = tempfile.mkdtemp(prefix="ch-http-")

    def run(self, query: str, data: bytes, params: dict[str, str]) -> tuple[bytes, str]:
        """(output, format) of one request's query; raises the engine's exception."""
        settings = {k: v for k, v in params.items() if k not in TRANSPORT and not k.startswith("param_")}
        binds = {k[len("param_"):]: v for k, v in params.items() if k.startswith("param_")}
        body_file = None
        if data:  # the query came in the URL: the body is the INSERT's data
            m = _INSERT_FORMAT.match(query)
            if m and _BINARY.match(m[2]):
                fd, body_file = tempfile.mkstemp(dir=self.tmp, suffix="." + m[2].lower())
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                query = f"{m[1]} SELECT * FROM file('{body_file}', '{m[2]}')"
            else:
                query = query + "\n" + data.decode()
        m = None if _INSERT_FORMAT.match(query) else _FORMAT.search(query)
        fmt = m[1] if m else params.get("default_format", "TabSeparated")  # the query's own FORMAT wins
        try:
            with self.lock:
                conn = self.chdb.connect(self.data_dir)
                try:
                    if db := params.get("database"):
                        conn.query(f"USE `{db}`")
                    for name, value in sorted(settings.items(), key=lambda kv: kv[0] == "readonly"):
                        conn.query(f"SET {name} = '{_quote(value)}'")
                    return conn.query(query, fmt, params=binds).bytes(), fmt
                finally:
                    conn.close()
        finally:
            if body_file:
                os.unlink(body_file)

    def close(self) -> None:
        self._keep.close()


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
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else self._chunked()
        self._query(body)

    def _chunked(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return b""
        out = bytearray()
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            out += self.rfile.read(size)
            self.rfile.readline()
        self.rfile.readline()
        return bytes(out)

    def _query(self, body: bytes) -> None:
        params = dict(parse_qsl(urlparse(self.path).query, keep_blank_values=True))
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
            out, fmt = self.engine.run(query, data, params)
        except Exception as exc:  # the engine's own error, as the server reports it
            text = str(exc).strip()
            code = m[1] if (m := _CODE.search(text)) else "1002"
            return self._send(500, (text + "\n").encode(), {"X-ClickHouse-Exception-Code": code,
                                                            "Content-Type": "text/plain; charset=UTF-8"})
        self._send(200, out, {"X-ClickHouse-Format": fmt, "Content-Type": "text/plain; charset=UTF-8"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {**headers, "X-ClickHouse-Server-Display-Name": "chdb-http", "X-ClickHouse-Timezone": "UTC",
                            "X-ClickHouse-Query-Id": "", "Content-Length": str(len(body)),
                            "X-ClickHouse-Summary": json.dumps({"read_rows": "0", "written_rows": "0"})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def serve(data_dir: str, port: int) -> None:
    Handler.engine = Engine(data_dir)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
    Handler.engine.close()


class ClickHouseHttp:
    """This module as a child process on a free port; `url` is `clickhouse://127.0.0.1:PORT`."""

    def __init__(self, data_dir: str):
        self.data_dir, self._proc = data_dir, None

    def __enter__(self) -> "ClickHouseHttp":
        self._proc = subprocess.Popen([sys.executable, __file__, self.data_dir, "0"], stdout=subprocess.PIPE,
                                      stdin=subprocess.DEVNULL)
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

    def __exit__(self, *exc) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
