"""Helpers for end-to-end tests: the CLI always runs as a subprocess, each with its own data dir.

One process can open only one chDB data directory in its lifetime, so the pytest process never
imports the store: every `backtrail` invocation is `python -m backtrail.cli` in a child process.
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest

from backtrail.demo_data import DemoStory, write_demo_bucket

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("BACKTRAIL_DATA_DIR", None)
    env.setdefault("NO_PROXY", "127.0.0.1")
    return env


def run(*args: str, data_dir: Path | str | None = None, timeout: float = 180,
        check: bool = False) -> subprocess.CompletedProcess[str]:
    """`backtrail ARGS --data-dir DATA_DIR` in a child process; text stdout/stderr captured."""
    cmd = [sys.executable, "-m", "backtrail.cli", *_with_data_dir(args, data_dir)]
    cwd = Path(data_dir).parent if data_dir is not None else None  # never a stray ./.backtrail
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_env(), cwd=cwd)
    if check and proc.returncode != 0:
        raise AssertionError(describe(proc))
    return proc


def _with_data_dir(args, data_dir) -> list[str]:
    """COMMAND --data-dir DIR ARGS...: before the args, so a `--` among them does not swallow it."""
    args = [str(a) for a in args]
    return args if data_dir is None else [args[0], "--data-dir", str(data_dir), *args[1:]]


def popen(*args: str, data_dir: Path | str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "backtrail.cli", *_with_data_dir(args, data_dir)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                            cwd=Path(data_dir).parent)


def describe(proc: subprocess.CompletedProcess[str]) -> str:
    return (f"$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}")


def count(query: str, data_dir: Path | str, *extra: str) -> int:
    """`backtrail search --count QUERY`: the number it prints."""
    proc = run("search", "--count", *extra, "--", query, data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return int(proc.stdout.strip())


def search_json(query: str, data_dir: Path | str, *extra: str) -> list[dict]:
    proc = run("search", "--format", "json", *extra, "--", query, data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return [orjson.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def status(data_dir: Path | str) -> dict:
    proc = run("status", "--json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return orjson.loads(proc.stdout)


def backfill(url: str, data_dir: Path | str, *extra: str, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
    proc = run("backfill", url, *extra, data_dir=data_dir)
    if expect is not None:
        assert proc.returncode == expect, describe(proc)
    return proc


def event_files(root: Path) -> Iterator[Path]:
    """The CloudTrail event files of a bucket directory (digest files and other log types left out)."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and "/CloudTrail/" in f"/{path.relative_to(root).as_posix()}":
            yield path


def read_records(root: Path, day: str | None = None) -> list[dict]:
    """Every record of the bucket's event files (optionally only those under one day's prefix)."""
    records = []
    for path in event_files(root):
        rel = path.relative_to(root).as_posix()
        if day and f"/{day.replace('-', '/')}/" not in f"/{rel}":
            continue
        records += orjson.loads(gzip.decompress(path.read_bytes()))["Records"]
    return records


def gunzip_prefix(data: bytes) -> bytes:
    """What a truncated gzip stream decodes to."""
    return zlib.decompressobj(wbits=31).decompress(data)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> DemoStory:
    """The demo bucket, written once per session (pure Python, no store)."""
    return write_demo_bucket(tmp_path_factory.mktemp("demo") / "bucket")


@pytest.fixture(scope="session")
def demo_records(demo) -> list[dict]:
    return read_records(demo.root)


@pytest.fixture(scope="session")
def loaded(demo, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A data dir with the whole demo bucket loaded once by `backtrail demo --dir`, shared by the
    read-only tests. `demo` rewrites the same bytes (same seed) into the bucket the `demo` fixture wrote."""
    data_dir = tmp_path_factory.mktemp("loaded") / "data"
    proc = run("demo", "--dir", demo.root, data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return data_dir, proc


@pytest.fixture
def webhook():
    """A local endpoint that keeps every JSON body POSTed to it: (its url, the bodies)."""
    bodies: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", bodies
    server.shutdown()
    server.server_close()
