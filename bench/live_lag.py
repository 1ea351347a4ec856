"""Live lag next to a backfill: object written → searchable, with and without a backfill running.

    .venv/bin/python bench/live_lag.py [--samples 15] [--objects 600]

A `backtrail worker` serves a live and a backfill queue (embedded SQLite queues, `file://`
objects). Each sample writes a small CloudTrail object, sends its S3 event notification to the
live queue, and polls the worker's API until the object's events are searchable. The baseline is
the same measure with no backfill running; then a backfill of `--objects` x 1,000 events is
handed to the worker and the samples are taken again while it loads.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from sources_file import source, write_sources  # noqa: E402

from backtrail.adapters.sqlite_queue import SqliteQueue  # noqa: E402
from backtrail.core.records import ObjectInfo  # noqa: E402
from backtrail.demo_data import write_synthetic_bucket  # noqa: E402
from backtrail.logtypes.notifications import fabricate  # noqa: E402

CLI = [sys.executable, "-m", "backtrail.cli"]


def api(data: Path, path: str, **params) -> dict:
    info = json.loads((data / "server.json").read_text())
    req = urllib.request.Request(f"{info['url']}{path}?{urllib.parse.urlencode(params)}",
                                 headers={"Authorization": f"Bearer {info['token']}"})
    return json.load(urllib.request.urlopen(req, timeout=30))


def live_sample(bucket: Path, live: SqliteQueue, data: Path, n: int) -> float:
    key = f"AWSLogs/222233334444/CloudTrail/us-east-1/2026/11/05/live-{n}-{time.time_ns()}.json.gz"
    path = bucket / key
    path.parent.mkdir(parents=True, exist_ok=True)
    event_id = f"live-{n}-{time.time_ns()}"
    records = [{"eventTime": "2026-11-05T00:00:00Z", "eventID": f"{event_id}-{i}", "eventName": "PutObject"}
               for i in range(10)]
    t0 = time.perf_counter()
    path.write_bytes(gzip.compress(json.dumps({"Records": records}).encode()))
    info = ObjectInfo(str(bucket), key, path.stat().st_size, f"{path.stat().st_mtime_ns:x}",
                      last_modified=datetime.now(timezone.utc))
    live.send([fabricate([info], backfill_id="")])
    while api(data, "/api/count", q=f'event_id:"{event_id}-0"')["count"] == 0:
        time.sleep(0.02)
    return time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    return sorted(values)[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--objects", type=int, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="backtrail-lag-") as tmp:
        work = Path(tmp)
        bucket, data, qdb = work / "bucket", work / "data", work / "q.db"
        write_synthetic_bucket(bucket / "big", args.objects, 1000)
        config = write_sources(work / "sources.toml", source(
            "trail", "cloudtrail", f"file://{bucket}/big", live=f"sqlite://{qdb}?name=live",
            backfill=f"sqlite://{qdb}?name=backfill"))
        worker = subprocess.Popen(CLI + ["worker", "--config", str(config), "--data-dir", str(data)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not (data / "server.json").exists():
                time.sleep(0.05)
            live = SqliteQueue(str(qdb), "live")
            quiet = [live_sample(bucket, live, data, i) for i in range(args.samples)]
            subprocess.run(CLI + ["backfill", "--config", str(config), "--data-dir", str(data)], check=True,
                           capture_output=True)
            before = api(data, "/api/count", q="")["count"]
            busy = [live_sample(bucket, live, data, 1000 + i) for i in range(args.samples)]
            during = api(data, "/api/count", q="")["count"] - before
        finally:
            worker.terminate()
            worker.wait(timeout=120)
    print(f"live lag, no backfill:     p50 {statistics.median(quiet):.2f} s  p99 {pct(quiet, 99):.2f} s")
    print(f"live lag, during backfill: p50 {statistics.median(busy):.2f} s  p99 {pct(busy, 99):.2f} s"
          f"  (ratio p50 {statistics.median(busy) / statistics.median(quiet):.2f},"
          f" p99 {pct(busy, 99) / pct(quiet, 99):.2f})")
    print(f"backfill progress while sampling: {during:,} events loaded")


if __name__ == "__main__":
    main()
