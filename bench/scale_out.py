"""Scale-out: throughput of 1, 2 and 3 `backtrail worker` processes sharing one queue and one
ClickHouse store, as a ratio to one worker measured in the same run.

    make bench-scale      # or: .venv/bin/python bench/scale_out.py [--objects 300] [--events 1000]

Objects are `file://` CloudTrail (synthetic, gzipped); the queue is the embedded SQLite queue in
one file that every worker opens (SQS on moto is far too slow to measure throughput); the store
is ClickHouse's HTTP interface over chDB (tests/clickhouse_http.py: no ClickHouse server can be
installed here), which runs one query at a time on the same cores as the workers. Each run:
a fresh database, `backtrail backfill --enqueue-only` (not timed), then N `worker --once`
processes started together; timed until the last exits. Prints events/s, the ratio to one
worker, and events/s per worker (the figure to multiply for a fleet on a real server).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from clickhouse_http import ClickHouseHttp  # noqa: E402

from backtrail.demo_data import write_synthetic_bucket  # noqa: E402

CLI = [sys.executable, "-m", "backtrail.cli"]


def sources(work: Path, bucket: Path, n: int) -> Path:
    config = work / f"sources-{n}.toml"
    config.write_text(f"""
[worker]
threads = 2
[[sources]]
name = "trail"
type = "cloudtrail"
objects = "file://{bucket}/AWSLogs/"
queues = [ {{ url = "sqlite:///{work}/queue-{n}.db?name=live", role = "live" }},
           {{ url = "sqlite:///{work}/queue-{n}.db?name=backfill", role = "backfill" }} ]
""")
    return config


def run_workers(work: Path, bucket: Path, store: str, n: int) -> tuple[float, int]:
    config = sources(work, bucket, n)
    subprocess.run(CLI + ["backfill", "--config", str(config), "--store", store, "--enqueue-only",
                          "--data-dir", str(work / f"cli-{n}")], check=True, capture_output=True)
    t = time.perf_counter()
    workers = [subprocess.Popen(CLI + ["worker", "--config", str(config), "--once", "--store", store,
                                       "--data-dir", str(work / f"w{n}-{i}")], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for i in range(n)]
    for w in workers:
        out, err = w.communicate()
        if w.returncode:
            raise SystemExit(f"worker failed: {out}\n{err[-2000:]}")
    elapsed = time.perf_counter() - t
    rows = subprocess.run(CLI + ["sql", "--store", store, "--format", "json", "SELECT count() AS n FROM events",
                                 "--data-dir", str(work / f"cli-{n}")], check=True, capture_output=True, text=True)
    return elapsed, int(json.loads(rows.stdout)["n"])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--objects", type=int, default=300)
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--workers", default="1,2,3")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        bucket = work / "bucket"
        total = write_synthetic_bucket(bucket, args.objects, args.events)
        print(f"{args.objects} objects x {args.events} events = {total:,} events; store: ClickHouse HTTP over chDB")
        with ClickHouseHttp(str(work / "clickhouse")) as server:
            base = None
            for n in (int(x) for x in args.workers.split(",")):
                elapsed, stored = run_workers(work, bucket, f"{server.url}/bench_{n}", n)
                if stored != total:
                    raise SystemExit(f"{n} workers stored {stored:,} events of {total:,}")
                rate = total / elapsed
                base = base or rate
                print(f"{n} worker(s): {elapsed:6.2f} s  {rate:>9,.0f} events/s  ratio {rate / base:4.2f}"
                      f"  per worker {rate / n:>9,.0f} events/s", flush=True)


if __name__ == "__main__":
    main()
