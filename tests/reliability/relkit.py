"""Helpers of the reliability suite: the CLI as a subprocess, kills, peak RSS, store checks, figures.

`BACKTRAIL_SOAK=1` (what `make soak` sets) runs the same tests longer: `scale(quick, soak)`.
Every test adds what it did to `FIGURES` (runs, kills, faults injected, bad inputs, events lost
and doubled); the session prints them, and writes them as JSON to `BACKTRAIL_FIGURES` if set.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
SOAK = os.environ.get("BACKTRAIL_SOAK", "") not in ("", "0")
SEED = int(os.environ.get("BACKTRAIL_SEED") or 8)
FIGURES: dict[str, dict] = defaultdict(dict)


def scale(quick, soak):
    return soak if SOAK else quick


def record(guarantee: str, **figures) -> None:
    """Add figures of one guarantee: numbers (and dicts of numbers) add up across tests."""
    mine = FIGURES[guarantee]
    for k, v in figures.items():
        old = mine.get(k)
        if isinstance(v, dict):
            merged = dict(old) if isinstance(old, dict) else {}
            for kk, vv in v.items():
                prev = merged.get(kk)
                merged[kk] = prev + vv if isinstance(vv, (int, float)) and isinstance(prev, (int, float)) else vv
            mine[k] = merged
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and isinstance(old, (int, float)):
            mine[k] = old + v
        else:
            mine[k] = v


def env(**extra: str | None) -> dict[str, str]:
    e = dict(os.environ)
    e.pop("BACKTRAIL_DATA_DIR", None)
    e["NO_PROXY"] = "127.0.0.1"
    for k, v in extra.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


def _cmd(args, data_dir) -> list[str]:
    args = [str(a) for a in args]
    tail = ["--data-dir", str(data_dir)] if data_dir is not None and args[0] not in ("queues",) else []
    if args[0] == "queues":
        return [sys.executable, "-m", "backtrail.cli", *args]
    return [sys.executable, "-m", "backtrail.cli", args[0], *tail, *args[1:]]


def cli(*args, data_dir=None, timeout: float = 300, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`backtrail ARGS` in a child process (text output captured)."""
    cwd = Path(data_dir).parent if data_dir is not None else None
    return subprocess.run(_cmd(args, data_dir), capture_output=True, text=True, timeout=timeout,
                          env=env(**(extra_env or {})), cwd=cwd)


class Child:
    """`backtrail ARGS` started in the background, output to files (a kill never blocks on a pipe)."""

    def __init__(self, *args, data_dir, logs: Path, extra_env: dict | None = None):
        logs.mkdir(parents=True, exist_ok=True)
        n = len(list(logs.glob("*.out")))
        self.out_path, self.err_path = logs / f"{n:03d}.out", logs / f"{n:03d}.err"
        self._out, self._err = open(self.out_path, "w"), open(self.err_path, "w")
        self.proc = subprocess.Popen(_cmd(args, data_dir), stdout=self._out, stderr=self._err, text=True,
                                     env=env(**(extra_env or {})), cwd=Path(data_dir).parent,
                                     stdin=subprocess.DEVNULL)
        self.started = time.monotonic()
        self.maxrss_kb = 0
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int | None:
        """Exit code, or None if still running after `timeout`; the child's peak RSS via wait4."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
                self.proc.returncode = self.returncode
                self.maxrss_kb = usage.ru_maxrss
                self._out.close()
                self._err.close()
                break
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.02)
        return self.returncode

    def kill(self) -> int:
        if self.returncode is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return self.wait()

    @property
    def stdout(self) -> str:
        return self.out_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(errors="replace")

    def describe(self) -> str:
        return (f"$ {' '.join(map(str, self.proc.args))}\nexit {self.returncode}\n--- stdout\n{self.stdout[-3000:]}"
                f"\n--- stderr\n{self.stderr[-3000:]}")


def describe(proc) -> str:
    return (f"$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}")


def sql(data_dir, query: str) -> list[dict]:
    """Rows of `backtrail sql QUERY --format json` (user SQL: the event tables only)."""
    proc = cli("sql", query, "--format", "json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return [orjson.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def inspect(data_dir) -> dict:
    """What a stopped process left in DATA_DIR: ledger, jobs, queue (see inspect_store.py)."""
    proc = subprocess.run([sys.executable, str(HERE / "inspect_store.py"), str(data_dir)], capture_output=True,
                          text=True, timeout=120, env=env())
    assert proc.returncode == 0, describe(proc)
    return orjson.loads(proc.stdout.strip().splitlines()[-1])


def exactly_once(data_dir, expected_ids: set[str]) -> dict:
    """Compare the stored event ids with the corpus's: lost, doubled, unknown. Returns the figures."""
    rows = sql(data_dir, "SELECT event_id, count() AS c FROM events GROUP BY event_id HAVING c > 1")
    doubled = sum(int(r["c"]) - 1 for r in rows)
    ids = sql(data_dir, "SELECT arraySort(groupArray(event_id)) AS ids, count() AS n FROM events")[0]
    stored = set(ids["ids"])
    return {"events_expected": len(expected_ids), "events_stored": int(ids["n"]),
            "events_lost": len(expected_ids - stored), "events_doubled": doubled,
            "events_unknown": len(stored - expected_ids)}


def corpus_ids(root: Path) -> set[str]:
    """Every eventID of the CloudTrail objects under `root` (gzip JSON documents)."""
    import gzip
    ids: set[str] = set()
    for path in sorted(root.rglob("*.json.gz")):
        ids |= {r["eventID"] for r in orjson.loads(gzip.decompress(path.read_bytes()))["Records"]}
    return ids


def status(data_dir) -> dict:
    proc = cli("status", "--json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return orjson.loads(proc.stdout)
