"""A fault-injecting HTTP proxy for the reliability tests: 127.0.0.1 in front of the moto server.

Every request is forwarded to `upstream` unless a rule picks a fault for it:

- `500`: HTTP 500 with an AWS error body (S3: XML `InternalError`; SQS: JSON `InternalError`);
- `503`: HTTP 503 (S3: XML `SlowDown`; SQS: JSON `ServiceUnavailable`);
- `403`: HTTP 403 `AccessDenied` (a refusal: not retried);
- `delay`: wait `delay_s` before forwarding (past a client's read timeout, the client gives up);
- `reset`: the connection is reset (RST) before any answer;
- `cut`: the answer's headers and half its body, then a reset (a stream broken mid-body).

Rules: `fail_next(n, kind, match)` for the next `n` matching requests, `fail_fraction(p, kinds,
match)` for a seeded random fraction of them. `match(method, path, headers)` narrows a rule (see
`is_sqs`, `is_s3_get`). `injected` counts faults by kind, `forwarded` the requests passed on.
"""
from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

KINDS = ("500", "503", "403", "delay", "reset", "cut")
Match = Callable[[str, str, dict], bool]
_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
        "transfer-encoding", "upgrade", "content-length"}


def is_sqs(method: str, path: str, headers: dict) -> bool:
    return "x-amz-target" in headers or "Action=" in path or headers.get("content-type", "").startswith(
        "application/x-amz-json")


def is_s3(method: str, path: str, headers: dict) -> bool:
    return not is_sqs(method, path, headers)


def is_s3_get(method: str, path: str, headers: dict) -> bool:
    """A GetObject: GET of a key (bucket/key, not a listing)."""
    return method == "GET" and is_s3(method, path, headers) and "/" in path.split("?")[0].lstrip("/") \
        and "list-type" not in path


@dataclass
class _Rule:
    kinds: tuple[str, ...]
    match: Match | None
    left: int = -1  # fail_next: how many more; -1: a fraction rule
    fraction: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a reset connection is the point
        pass


class FaultProxy:
    def __init__(self, upstream: str, seed: int = 0, delay_s: float = 3.0):
        u = urlparse(upstream)
        self.upstream_host, self.upstream_port = u.hostname, u.port or 80
        self.rng, self.delay_s = random.Random(seed), delay_s
        self.rules: list[_Rule] = []
        self.injected: Counter[str] = Counter()
        self.forwarded = 0
        self.seen: Counter[str] = Counter()  # requests by kind: "s3 get", "s3", "sqs"
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_next(self, n: int, kind: str, match: Match | None = None) -> None:
        assert kind in KINDS
        with self._lock:
            self.rules.append(_Rule((kind,), match, left=n))

    def fail_fraction(self, fraction: float, kinds=KINDS, match: Match | None = None) -> None:
        assert all(k in KINDS for k in kinds)
        with self._lock:
            self.rules.append(_Rule(tuple(kinds), match, fraction=fraction))

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def total_injected(self) -> int:
        return sum(self.injected.values())

    def _pick(self, method: str, path: str, headers: dict) -> str | None:
        with self._lock:
            self.seen["sqs" if is_sqs(method, path, headers) else "s3 get" if is_s3_get(method, path, headers)
                      else "s3"] += 1
            for rule in self.rules:
                if rule.match and not rule.match(method, path, headers):
                    continue
                if rule.left > 0:
                    rule.left -= 1
                    kind = rule.kinds[0]
                elif rule.left < 0 and self.rng.random() < rule.fraction:
                    kind = self.rng.choice(rule.kinds)
                else:
                    continue
                self.injected[kind] += 1
                return kind
            self.forwarded += 1
            return None

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    out = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if not size:
                            while self.rfile.readline().strip():
                                pass
                            return b"".join(out)
                        out.append(self.rfile.read(size))
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _reset(self) -> None:
                """RST: linger 0, then drop every reference to the socket so its descriptor closes."""
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                for f in (self.rfile, self.wfile):
                    try:
                        f.close()
                    except OSError:
                        pass
                self.connection.close()

            def _error(self, status: int, sqs: bool, code: str, message: str) -> None:
                if sqs:
                    body = ('{"__type": "com.amazonaws.sqs#%s", "message": "%s"}' % (code, message)).encode()
                    ctype = "application/x-amz-json-1.0"
                else:
                    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                            f"<Message>{message}</Message><RequestId>FAULT</RequestId></Error>").encode()
                    ctype = "application/xml"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("x-amzn-query-error", f"{code};Receiver")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _any(self) -> None:
                body = self._body()
                headers = {k.lower(): v for k, v in self.headers.items()}
                kind = proxy._pick(self.command, self.path, headers)
                sqs = is_sqs(self.command, self.path, headers)
                if kind == "reset":
                    return self._reset()
                if kind == "500":
                    return self._error(500, sqs, "InternalError", "We encountered an internal error. Please try again.")
                if kind == "503":
                    return self._error(503, sqs, "ServiceUnavailable" if sqs else "SlowDown",
                                       "Please reduce your request rate.")
                if kind == "403":
                    return self._error(403, sqs, "AccessDenied", "Access Denied")
                if kind == "delay":
                    time.sleep(proxy.delay_s)
                try:
                    status, reason, out_headers, data = self._forward(body)
                except OSError:
                    return self._reset()
                try:
                    self.send_response(status, reason)
                    for k, v in out_headers:
                        if k.lower() not in _HOP:
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        if kind == "cut" and len(data) > 1:
                            self.wfile.write(data[: len(data) // 2])
                            self.wfile.flush()
                            return self._reset()
                        self.wfile.write(data)
                except OSError:  # the client gave up (a delay past its timeout)
                    self.close_connection = True

            def _forward(self, body: bytes):
                conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=120)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                    headers["Content-Length"] = str(len(body))
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    return resp.status, resp.reason, resp.getheaders(), resp.read()
                finally:
                    conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        return Handler
