"""Scale-out: throughput of 1, 2 and 3 `backtrail worker` processes sharing one queue and one
ClickHouse store, as a ratio to one worker measured in the same round.

    make bench-scale   # = .venv/bin/python bench/scale_out.py
    .venv/bin/python bench/scale_out.py [--objects 1200] [--events 250] [--repeat 1] [--statements]

Objects are `file://` CloudTrail (synthetic, gzipped; 1,200 objects make 24 backfill messages,
work for 3 workers x 2 threads); the queue is the embedded SQLite queue in one file that every
worker opens (SQS on moto is far too slow to measure throughput); the store is ClickHouse's HTTP
interface over chDB (tests/clickhouse_http.py: no ClickHouse server can be installed here), on
the same cores as the workers. Each run: a fresh database, `backtrail backfill --enqueue-only`
(not timed), then N `worker --once` processes started together; timed until the last exits, and
every event must be stored once. Per number of workers: events/s until all events were stored
(the store's last INSERT of rows ended) and until all workers exited (each checks what it wrote
with the detection pack first), each with its ratio to one worker; events/s stored per worker;
the CPU seconds of the workers and of the store (merges of the run's parts included while it
runs; its database is dropped after it); events per CPU second of each (what a core of
each does while the other keeps up: the figures to size a fleet); the share of the time the
store ran at least one statement. `--repeat K`: K rounds, then the fastest run of each count (a
shared machine's other load only ever slows a run down). `--statements`: per kind of statement,
how many, their seconds (overlapping) and the data sent with them.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from clickhouse_http import ClickHouseHttp  # noqa: E402
from sources_file import source, write_sources  # noqa: E402

from backtrail.demo_data import write_synthetic_bucket  # noqa: E402

CLI = [sys.executable, "-m", "backtrail.cli"]


@dataclass
class Run:
    workers: int
    wall_s: float  # until the last worker exited
    stored_s: float  # until the store's last INSERT of rows ended
    stored: int  # events in the store
    workers_cpu_s: float
    store_cpu_s: float
    statements: list[dict]  # the store's log lines of the run (tests/clickhouse_http.py)


def sources(work: Path, bucket: Path, name: str) -> Path:
    queue = f"sqlite:///{work}/queue-{name}.db"
    return write_sources(work / f"sources-{name}.toml", source(
        "trail", "cloudtrail", f"file://{bucket}/AWSLogs/", live=f"{queue}?name=live", backfill=f"{queue}?name=backfill"),
        worker={"threads": 2})


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_workers(work: Path, bucket: Path, server: ClickHouseHttp, log: Path, n: int, name: str) -> Run:
    """N workers on a fresh database and queue `name`, after the backfill is enqueued."""
    store, config = f"{server.url}/bench_{name}", sources(work, bucket, name)
    subprocess.run(CLI + ["backfill", "--config", str(config), "--store", store, "--enqueue-only",
                          "--data-dir", str(work / f"cli-{name}")], check=True, capture_output=True)
    workers_cpu, store_cpu, started, t = children_cpu_s(), cpu_s(server.pid), time.time(), time.perf_counter()
    workers = [subprocess.Popen(CLI + ["worker", "--config", str(config), "--once", "--store", store,
                                       "--data-dir", str(work / f"w{name}-{i}")], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for i in range(n)]
    for w in workers:
        out, err = w.communicate()
        if w.returncode:
            raise SystemExit(f"worker failed: {out}\n{err[-2000:]}")
    wall_s = time.perf_counter() - t
    workers_cpu, store_cpu = children_cpu_s() - workers_cpu, cpu_s(server.pid) - store_cpu
    stmts = [q for q in map(json.loads, log.read_text().splitlines()) if started <= q["at"] <= time.time()]
    stored_s = max(q["at"] for q in stmts if kind(q["query"]) == "INSERT INTO incoming") - started
    rows = subprocess.run(CLI + ["sql", "--store", store, "--format", "json", "SELECT count() AS n FROM events",
                                 "--data-dir", str(work / f"cli-{name}")], check=True, capture_output=True, text=True)
    # gone, so the next run never pays for merging its parts
    urllib.request.urlopen(server.http_url, f"DROP DATABASE bench_{name} SYNC".encode()).read()
    return Run(n, wall_s, stored_s, int(json.loads(rows.stdout)["n"]), workers_cpu, store_cpu, stmts)


def busy_s(stmts: list[dict]) -> float:
    """Seconds during which at least one of the statements was running."""
    total, end = 0.0, 0.0
    for start, stop in sorted((q["at"] - q["run_s"], q["at"]) for q in stmts):
        total += max(0.0, stop - max(start, end))
        end = max(end, stop)
    return total


def kind(query: str) -> str:
    words = re.sub(r"\s+", " ", query).split(" ")
    if words[0].upper() in ("INSERT", "DELETE"):
        return " ".join(words[:3])
    tables = dict.fromkeys(re.findall(r"FROM (\w+)", query))
    return f"{words[0]} {','.join(tables)}"


def by_kind(stmts: list[dict]) -> None:
    """Per kind of statement: how many, their seconds (overlapping: the store runs them concurrently), data sent."""
    kinds: dict[str, list[float]] = {}
    for q in stmts:
        k = kinds.setdefault(kind(q["query"]), [0, 0.0, 0.0])
        for i, value in enumerate((1, q["run_s"], q["bytes"])):
            k[i] += value
    for name, (count, run_s, nbytes) in sorted(kinds.items(), key=lambda kv: -kv[1][1])[:8]:
        print(f"    {count:5d} x {name[:40]:40s} ran {run_s:6.2f} s  {nbytes / 1e6:7.1f} MB of data")


HEADER = ("workers | all exited: s  events/s ratio | all stored: s  events/s ratio  per worker |"
          " CPU s: workers store | events per CPU s: workers   store | store busy")


def line(run: Run, base: Run, total: int) -> str:
    exited, stored = total / run.wall_s, total / run.stored_s
    return (f"{run.workers:7d} | {run.wall_s:13.1f} {exited:9,.0f} {base.wall_s / run.wall_s:5.2f} |"
            f" {run.stored_s:13.1f} {stored:9,.0f} {base.stored_s / run.stored_s:5.2f} {stored / run.workers:11,.0f} |"
            f" {run.workers_cpu_s:14.1f} {run.store_cpu_s:5.1f} | {total / run.workers_cpu_s:26,.0f}"
            f" {total / run.store_cpu_s:7,.0f} | {busy_s(run.statements) / run.wall_s:10.0%}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--objects", type=int, default=1200)
    p.add_argument("--events", type=int, default=250)
    p.add_argument("--workers", default="1,2,3")
    p.add_argument("--repeat", type=int, default=1, help="rounds of every worker count; then the fastest of each")
    p.add_argument("--statements", action="store_true", help="per kind of statement: count, seconds, data")
    args = p.parse_args()
    counts = [int(x) for x in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        bucket = work / "bucket"
        total = write_synthetic_bucket(bucket, args.objects, args.events)
        print(f"{args.objects} objects x {args.events} events = {total:,} events; store: ClickHouse HTTP over chDB")
        log = work / "statements.jsonl"
        runs: dict[int, list[Run]] = {n: [] for n in counts}
        with ClickHouseHttp(str(work / "clickhouse"), str(log)) as server:
            for k in range(args.repeat):
                print(f"round {k + 1}, load average before: {os.getloadavg()[0]:.1f}\n{HEADER}")
                for n in counts:
                    run = run_workers(work, bucket, server, log, n, f"{n}_{k}")
                    if run.stored != total:
                        raise SystemExit(f"{n} workers stored {run.stored:,} events of {total:,}")
                    runs[n].append(run)
                    print(line(run, runs[counts[0]][k], total), flush=True)
                    if args.statements:
                        by_kind(run.statements)
        if args.repeat > 1:
            best = {n: min(rs, key=lambda r: r.stored_s) for n, rs in runs.items()}
            print(f"fastest of {args.repeat} (until all stored)\n{HEADER}")
            for n in counts:
                print(line(best[n], best[counts[0]], total))


if __name__ == "__main__":
    main()
