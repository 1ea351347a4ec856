"""Planning throughput and memory: a backfill job's listing of N objects (file:// bucket) onto the
embedded SQLite queue, with its per-page checkpoints and job-ledger rows in chDB.

Baseline, same run, same bucket: the bare listing (FileObjects.list, nothing kept). Memory is
read as the planner passes 25%, 50% and 100% of the objects: Python heap (tracemalloc) and RSS.

    .venv/bin/python bench/plan.py [--objects 100000]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from backtrail.adapters.chdb_store import ChdbStore
from backtrail.adapters.file_objects import FileObjects
from backtrail.adapters.sqlite_queue import SqliteQueue
from backtrail.backfill import planner
from backtrail.backfill.jobs import Jobs, new_job
from backtrail.backfill.runner import plan_pages
from backtrail.core.schema import create_tables


def write_bucket(root: Path, objects: int) -> None:
    """Tiny CloudTrail-named objects over 10 days × 2 accounts × 2 regions (AWS layout)."""
    for i in range(objects):
        acct, region, day = ("111111111111", "222222222222")[i % 2], ("us-east-1", "eu-west-1")[i // 2 % 2], i % 10 + 1
        folder = root / f"AWSLogs/{acct}/CloudTrail/{region}/2026/11/{day:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{acct}_CloudTrail_{region}_202611{day:02d}T0000Z_{i:07d}.json.gz").write_bytes(b"x" * 64)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def marks_for(n: int) -> list[int]:
    return [n // 4, n // 2, n]


def _heap() -> float:
    return tracemalloc.get_traced_memory()[0] / 1e6 if tracemalloc.is_tracing() else 0.0


def bare_listing(root: Path, n: int, traced: bool) -> tuple[float, list[tuple[int, float, float]]]:
    if traced:
        tracemalloc.start()
    marks, seen, t0 = marks_for(n), [], time.perf_counter()
    for i, _ in enumerate(planner.listed(FileObjects(str(root)), None, None, planner.PlanTotals()), 1):
        if i in marks:
            seen.append((i, _heap(), rss_mb()))
    took = time.perf_counter() - t0
    tracemalloc.stop()
    return n / took, seen


def planning(root: Path, jobs: Jobs, queue: SqliteQueue, n: int, traced: bool) -> tuple[float, list]:
    job = jobs.save(new_job(f"file://{root}"))
    totals = planner.PlanTotals()
    if traced:
        tracemalloc.start()
    marks, seen, t0 = marks_for(n), [], time.perf_counter()
    for _ in plan_pages(job, FileObjects(str(root)), queue, jobs, totals):
        while marks and totals.objects >= marks[0]:
            seen.append((marks.pop(0), _heap(), rss_mb()))
    took = time.perf_counter() - t0
    tracemalloc.stop()
    return totals.objects / took, seen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=100_000)
    n = ap.parse_args().objects
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        root, work = Path(tmp) / "bucket", Path(tmp) / "work"
        work.mkdir()
        t0 = time.perf_counter()
        write_bucket(root, n)
        print(f"bucket: {n:,} objects written in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} cores")
        store = ChdbStore(str(work / "store"))
        create_tables(store)
        jobs, queue = Jobs(store), SqliteQueue(str(work / "queue.db"), "bench-backfill")
        base_rate, base_rss = bare_listing(root, n, traced=False)
        rate, rss = planning(root, jobs, queue, n, traced=False)  # timed without tracemalloc (it slows Python)
        _, base_heap = bare_listing(root, n, traced=True)
        _, heap = planning(root, jobs, queue, n, traced=True)
        queued = queue.stats().visible
        store.close()
    print(f"bare listing (baseline): {base_rate:,.0f} objects/s")
    print(f"planning (list + enqueue + checkpoint + job ledger): {rate:,.0f} objects/s"
          f" ({rate / base_rate:.2f} of the bare listing); {queued:,} messages queued by 2 runs")
    print("objects   heap MB (baseline)   RSS MB (baseline)")
    for (i, _, r), (_, h, _), (_, _, br), (_, bh, _) in zip(rss, heap, base_rss, base_heap):
        print(f"{i:>7,}   {h:7.2f} ({bh:6.2f})   {r:7.1f} ({br:7.1f})")
    print(f"planner heap at {heap[-1][0]:,} / at {heap[0][0]:,} objects: {heap[-1][1] / heap[0][1]:.2f}"
          f" (baseline {base_heap[-1][1] / base_heap[0][1]:.2f}); RSS: {rss[-1][2] / rss[0][2]:.2f}"
          f" (baseline {base_rss[-1][2] / base_rss[0][2]:.2f})")
    print(f"target >= 5,000 objects/s: {'met' if rate >= 5000 else 'NOT met'}")


if __name__ == "__main__":
    main()
