"""Benchmarks for the core path, each a ratio against a baseline measured in the same run.

    make bench            # or: .venv/bin/python bench/run.py [--objects 1000 --events 200]

1. Throughput: `backtrail backfill file://…` end to end (planner, SQLite queue, worker, ledger,
   chDB) against the engine ceiling: the same parse and columns in ONE chDB INSERT over the
   same files, no queue, no ledger.
2. First searchable: seconds from starting a backfill of 1,000 objects to the first non-zero
   count answered by that process's local API (the baseline: the whole backfill's duration).
3. Memory: peak RSS of a backfill of 10x more objects against 1x (same events per object).
4. Small objects: the same ratio as 1. for objects of 10 events (quiet accounts and regions).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from backtrail.demo_data import write_synthetic_bucket

CLI = [sys.executable, "-m", "backtrail.cli"]

CEILING = r"""
import sys, time, chdb
from backtrail.core.schema import EVENT_COLUMNS_DDL, COMMON_COLUMNS
from backtrail.logtypes.cloudtrail import CloudTrail
bucket, data = sys.argv[1], sys.argv[2]
c = chdb.connect(data)
c.query(f"CREATE TABLE e ({EVENT_COLUMNS_DDL}) ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (source_type, ts)")
ct = CloudTrail()
files = repr(bucket + "/AWSLogs/*/CloudTrail/*/*/*/*/*")
records = ("SELECT arrayJoin(JSONExtractArrayRaw(doc, 'Records')) AS raw, 0 AS position, _path AS object, '' AS backfill_id"
           f" FROM file({files}, 'JSONAsString', 'doc String', 'gzip')")
cols = ", ".join(c for c in COMMON_COLUMNS if c != "ingested_at")
t = time.perf_counter()
c.query(f"INSERT INTO e ({cols}) SELECT {cols} FROM ({ct.engine_rows(records)})")
print(time.perf_counter() - t, c.query("SELECT count() FROM e", "CSV").bytes().decode().strip())
"""


def ceiling(bucket: Path, work: Path) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", CEILING, str(bucket), str(work / f"ceiling-{bucket.name}")],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def backfill(bucket: Path, data: Path) -> float:
    """Wall time of one `backtrail backfill` process."""
    t = time.perf_counter()
    subprocess.run(CLI + ["backfill", f"file://{bucket}", "--data-dir", str(data)], check=True,
                   capture_output=True)
    return time.perf_counter() - t


def count(data: Path) -> int:
    out = subprocess.run(CLI + ["search", "--count", "", "--data-dir", str(data)], check=True,
                         capture_output=True, text=True).stdout
    return int(out)


def first_searchable(bucket: Path, data: Path) -> tuple[float, float]:
    t = time.perf_counter()
    proc = subprocess.Popen(CLI + ["backfill", f"file://{bucket}", "--data-dir", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    while proc.poll() is None and first is None:
        try:
            info = json.loads((data / "server.json").read_text())
            req = urllib.request.Request(f"{info['url']}/api/count?q=",
                                         headers={"Authorization": f"Bearer {info['token']}"})
            if json.load(urllib.request.urlopen(req, timeout=5))["count"] > 0:
                first = time.perf_counter() - t
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.02)
    proc.wait()
    return first if first is not None else float("nan"), time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1000)
    ap.add_argument("--events", type=int, default=1000, help="events per object")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="backtrail-bench-") as tmp:
        work = Path(tmp)
        bucket = work / "bucket"
        total = write_synthetic_bucket(bucket, args.objects, args.events)

        base_s, base_n = ceiling(bucket, work)
        e2e_s = backfill(bucket, work / "e2e")
        loaded = count(work / "e2e")
        assert loaded == total == base_n, (loaded, total, base_n)
        print(f"throughput: {total:,} CloudTrail events in {args.objects:,} objects")
        print(f"  engine ceiling (one INSERT)   {total / base_s:>10,.0f} events/s")
        print(f"  backtrail backfill end to end {total / e2e_s:>10,.0f} events/s  (process start included)")
        print(f"  ratio e2e / ceiling           {base_s / e2e_s:>10.2f}")

        small = work / "small"
        write_synthetic_bucket(small, 1000, 100, seed=2)
        first, whole = first_searchable(small, work / "first")
        print(f"first searchable: {first:.2f} s after starting a backfill of 1,000 objects"
              f" (whole backfill {whole:.2f} s, ratio {first / whole:.2f})")

        peaks, seconds = {}, {}
        for n in (1000, 10000):
            b = work / f"mem{n}"
            write_synthetic_bucket(b, n, 10, seed=3)
            seconds[n], peaks[n] = backfill_rss(b, work / f"mem-data{n}")
        print(f"peak RSS: 1,000 objects {peaks[1000] / 1024:,.0f} MiB, 10,000 objects {peaks[10000] / 1024:,.0f} MiB"
              f" (ratio {peaks[10000] / peaks[1000]:.2f})")
        small_s, small_n = ceiling(work / "mem10000", work)
        print(f"small objects (10,000 x 10 events): ceiling {small_n / small_s:,.0f} events/s,"
              f" end to end {small_n / seconds[10000]:,.0f} events/s (ratio {small_s / seconds[10000]:.2f})")


def backfill_rss(bucket: Path, data: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one backfill process, read by a wrapper process."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter();"
            " subprocess.run(sys.argv[1:], check=True, capture_output=True);"
            " print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *CLI, "backfill", f"file://{bucket}", "--data-dir", str(data)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


if __name__ == "__main__":
    main()
