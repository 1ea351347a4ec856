"""The detection pack over stored events: seconds for every rule, against one scan of the records.

    make bench-detect     # or: .venv/bin/python bench/detect.py [--events 10000000]

A synthetic CloudTrail bucket (`write_synthetic_bucket`) is backfilled into a fresh store
(without timing); then `backtrail detect run` runs the whole pack over all of it (alerts
written), timed; the baseline, same store, same run: one query that parses every record's JSON
once (`JSONExtractString(raw, 'eventName')`).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backtrail.demo_data import write_synthetic_bucket

CLI = [sys.executable, "-m", "backtrail.cli"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="backtrail-bench-detect-") as tmp:
        work = Path(tmp)
        objects = max(1, args.events // 1000)
        total = write_synthetic_bucket(work / "bucket", objects, args.events // objects)
        data = str(work / "data")
        subprocess.run(CLI + ["backfill", f"file://{work / 'bucket'}", "--data-dir", data], check=True,
                       capture_output=True)
        t = time.perf_counter()
        subprocess.run(CLI + ["sql", "SELECT count() AS n FROM events WHERE JSONExtractString(raw, 'eventName') != ''",
                              "--data-dir", data], check=True, capture_output=True)
        base = time.perf_counter() - t
        t = time.perf_counter()
        out = subprocess.run(CLI + ["detect", "run", "--data-dir", data], check=True, capture_output=True, text=True)
        pack = time.perf_counter() - t
        rules = subprocess.run(CLI + ["detect", "list", "--json", "--data-dir", data], check=True,
                               capture_output=True, text=True).stdout.count('"id"')
        print(f"detection pack: {rules} rules over {total:,} events in {pack:.1f} s"
              f" (one JSON scan of every record: {base:.1f} s; ratio {pack / base:.2f})")
        print("  " + out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
