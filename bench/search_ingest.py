"""What the search indexes cost ingest: `backtrail backfill` end to end into a store without them and
into one with them (bench/search.py's tuned table: ~1 MB granules, `core.schema.SEARCH_INDEXES`),
alternating, same files, same run.

    .venv/bin/python bench/search_ingest.py [--objects 1000 --events 1000 --rounds 2] [--only raw_words]

The synthetic bucket's records come from small pools (only eventTime/eventID vary), so the text
index sees fewer distinct words than real logs give it; bench/search.py's copy of 10M engine-made
records (request ids, hashes, base64 per record) is the harsher measure of the same cost.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backtrail.adapters.chdb_store import ChdbStore
from backtrail.core.schema import TABLES, create_tables
from backtrail.demo_data import write_synthetic_bucket
from backtrail.core.schema import SEARCH_INDEXES as INDEXES

sys.path.insert(0, str(Path(__file__).parent))
from search import GRANULE_BYTES  # noqa: E402

CLI = [sys.executable, "-m", "backtrail.cli"]


def prepare(data: Path, indexes: tuple[str, ...]) -> None:
    """A store whose `events` has ~1 MB granules and `indexes`, before the backfill opens it."""
    store = ChdbStore(str(data))
    store.command(next(t for t in TABLES if "TABLE IF NOT EXISTS events" in t)
                  + f", index_granularity_bytes = {GRANULE_BYTES}")
    create_tables(store)
    for ddl in indexes:
        store.command(ddl)
    store.close()


def backfill(bucket: Path, data: Path) -> float:
    t = time.perf_counter()
    subprocess.run(CLI + ["backfill", f"file://{bucket}", "--data-dir", str(data)], check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1000)
    ap.add_argument("--events", type=int, default=1000, help="events per object")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", help="comma-separated names of the indexes to build (default: all)")
    args = ap.parse_args()
    indexes = tuple(i for i in INDEXES if not args.only or i.split()[8] in args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="backtrail-bench-ingest-") as tmp:
        work = Path(tmp)
        total = write_synthetic_bucket(work / "bucket", args.objects, args.events)
        seconds: dict[str, list[float]] = {"plain": [], "indexed": []}
        for r in range(args.rounds):
            for variant in ("plain", "indexed"):
                data = work / f"{variant}{r}"
                if variant == "indexed":
                    prepare(data, indexes)
                seconds[variant].append(backfill(work / "bucket", data))
                print(f"round {r + 1} {variant:<8} {total / seconds[variant][-1]:>9,.0f} events/s"
                      f"  (load {os.getloadavg()[0]:.1f})", flush=True)
        best = {k: min(v) for k, v in seconds.items()}
        print(f"{total:,} events, best of {args.rounds}: plain {total / best['plain']:,.0f} events/s,"
              f" indexed {total / best['indexed']:,.0f} events/s (x{best['plain'] / best['indexed']:.2f} of plain)")


if __name__ == "__main__":
    main()
