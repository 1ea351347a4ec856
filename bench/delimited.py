"""Delimited log types end to end: lines/s of `backtrail backfill`, against the engine reading the same lines.

    make bench-types      # or: .venv/bin/python bench/delimited.py [--lines 1000000 --objects 100]

For each type, a bucket of gzipped objects as AWS delivers them (key layout, header lines) is
backfilled into a fresh store by one `backtrail backfill file://…` process (process start
included). The baseline, measured in the same run over the same files: the engine merely
decompressing and counting their lines (`LineAsString`), the floor of any parse.
"""
from __future__ import annotations

import argparse
import gzip
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "backtrail.cli"]
ACCOUNT = "123456789012"


def alb_line(r: random.Random, i: int) -> str:
    ip = f"198.51.{r.randrange(256)}.{r.randrange(256)}"
    status = r.choice((200, 200, 200, 301, 404, 502))
    return (f"https 2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}.{i % 1000000:06d}Z"
            f" app/web/50dc6c495c0c9188 {ip}:{r.randrange(1024, 65535)} 10.0.{i % 8}.{i % 200}:8080"
            f" 0.000 0.{r.randrange(999):03d} 0.000 {status} {status} {r.randrange(100, 900)} {r.randrange(200, 90000)}"
            f' "GET https://shop.example.com:443/api/items/{i}?page={i % 10} HTTP/1.1"'
            f' "Mozilla/5.0 (X11; Linux x86_64) Chrome/{100 + i % 30}.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2'
            f" arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/web/73e2d6bc24d8a067"
            f' "Root=1-58337364-{i:024x}" "shop.example.com" "arn:aws:acm:us-east-1:{ACCOUNT}:certificate/abc"'
            f' 1 2026-11-01T00:00:00.000000Z "forward" "-" "-" "10.0.{i % 8}.{i % 200}:8080" "{status}" "-" "-"'
            f" TID_{i:x}")


VPCFLOW_HEADER = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                  " start end action log-status")


def vpcflow_line(r: random.Random, i: int) -> str:
    start = 1795996800 + i % 86400
    if i % 50 == 0:
        return f"2 {ACCOUNT} eni-0{i % 64:016x} - - - - - - - {start} {start + 60} - NODATA"
    src, dst = f"10.0.{i % 8}.{i % 200}", f"198.51.{r.randrange(256)}.{r.randrange(256)}"
    if i % 2:
        src, dst = dst, src
    return (f"2 {ACCOUNT} eni-0{i % 64:016x} {src} {dst} {r.randrange(1024, 65535)} {r.choice((443, 80, 22, 5432))}"
            f" {r.choice((6, 6, 17, 1))} {r.randrange(1, 200)} {r.randrange(40, 900000)} {start} {start + 60}"
            f" {r.choice(('ACCEPT', 'ACCEPT', 'ACCEPT', 'REJECT'))} OK")


TYPES = {
    "alb": (lambda n: f"AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/2026/11/01/"
                      f"{ACCOUNT}_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20261101T0000Z_10.0.0.1_{n}.log.gz",
            "", alb_line),
    "vpcflow": (lambda n: f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/2026/11/30/"
                          f"{ACCOUNT}_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20261130T0000Z_{n:08x}.log.gz",
                VPCFLOW_HEADER, vpcflow_line),
}


def write_bucket(root: Path, type_name: str, objects: int, lines: int) -> int:
    key_of, header, line_of = TYPES[type_name]
    r, total = random.Random(7), 0
    for n in range(objects):
        path = root / key_of(n)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = [header] if header else []
        body += [line_of(r, total + i) for i in range(lines)]
        total += lines
        path.write_bytes(gzip.compress(("\n".join(body) + "\n").encode(), compresslevel=6))
    return total


BASELINE = r"""
import sys, time, chdb
c = chdb.connect(sys.argv[2])
t = time.perf_counter()
n = c.query(f"SELECT count() FROM file('{sys.argv[1]}/**/*.gz', 'LineAsString')", "CSV").bytes().decode().strip()
print(time.perf_counter() - t, n)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--objects", type=int, default=100)
    ap.add_argument("--types", default=",".join(TYPES))
    args = ap.parse_args()
    for type_name in args.types.split(","):
        with tempfile.TemporaryDirectory(prefix=f"backtrail-bench-{type_name}-") as tmp:
            work = Path(tmp)
            total = write_bucket(work / "bucket", type_name, args.objects, args.lines // args.objects)
            out = subprocess.run([sys.executable, "-c", BASELINE, str(work / "bucket"), str(work / "base")],
                                 check=True, capture_output=True, text=True).stdout.split()
            base_s = float(out[0])
            t = time.perf_counter()
            subprocess.run(CLI + ["backfill", f"file://{work / 'bucket'}", "--data-dir", str(work / "data")],
                           check=True, capture_output=True)
            e2e_s = time.perf_counter() - t
            loaded = int(subprocess.run(CLI + ["search", "--count", f"source_type:{type_name}", "--data-dir",
                                               str(work / "data")], check=True, capture_output=True, text=True).stdout)
            assert loaded == total, (type_name, loaded, total)
            print(f"{type_name:<12} {total:,} lines in {args.objects} objects: end to end {total / e2e_s:>9,.0f} lines/s"
                  f"  (engine reading the lines {total / base_s:>11,.0f} lines/s, ratio {base_s / e2e_s:.2f})")


if __name__ == "__main__":
    main()
