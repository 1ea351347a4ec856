"""Delimited log types end to end: lines/s of `backtrail backfill`, against the engine reading the same lines.

    make bench-types      # or: .venv/bin/python bench/delimited.py [--lines 1000000 --objects 100]

For each type, a bucket of objects as AWS delivers them (key layout, header lines, gzipped when the key says so,
each object the next stretch of time: a line per second) is backfilled into a fresh store by one
`backtrail backfill file://…` process (process start included); its CPU time per line is printed too, the figure least disturbed by a busy machine. The baseline, measured in the same run over the same files: the engine merely
decompressing and counting their lines (`LineAsString`), the floor of any parse. Then the parse alone: one
`INSERT … SELECT` of the same objects, framed into one batch, into a fresh store (no queue, ledger or detection).
And the write alone: those rows, parsed already (read from a file in the engine's Native format), inserted into a table like `events` (its
indexes, codecs and sort): the floor of any parser, however fast.
"""
from __future__ import annotations

import argparse
import gzip
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

CLI = [sys.executable, "-m", "backtrail.cli"]
ACCOUNT = "123456789012"
START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def at(i: int) -> datetime:
    """Line i's time: one second after line i - 1, so an object covers a stretch of time as AWS's do."""
    return START + timedelta(seconds=i)


def alb_line(r: random.Random, i: int) -> str:
    ip = f"198.51.{r.randrange(256)}.{r.randrange(256)}"
    status = r.choice((200, 200, 200, 301, 404, 502))
    return (f"https {at(i):%Y-%m-%dT%H:%M:%S}.{i % 1000000:06d}Z"
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
    start = int(at(i).timestamp())
    if i % 50 == 0:
        return f"2 {ACCOUNT} eni-0{i % 64:016x} - - - - - - - {start} {start + 60} - NODATA"
    src, dst = f"10.0.{i % 8}.{i % 200}", f"198.51.{r.randrange(256)}.{r.randrange(256)}"
    if i % 2:
        src, dst = dst, src
    return (f"2 {ACCOUNT} eni-0{i % 64:016x} {src} {dst} {r.randrange(1024, 65535)} {r.choice((443, 80, 22, 5432))}"
            f" {r.choice((6, 6, 17, 1))} {r.randrange(1, 200)} {r.randrange(40, 900000)} {start} {start + 60}"
            f" {r.choice(('ACCEPT', 'ACCEPT', 'ACCEPT', 'REJECT'))} OK")


S3_OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
S3_REQUESTERS = (f"arn:aws:iam::{ACCOUNT}:user/deploy", f"arn:aws:sts::{ACCOUNT}:assumed-role/DataReader/i-0abc",
                 S3_OWNER, "-")


def s3access_line(r: random.Random, i: int) -> str:
    time = f"[{at(i):%d/%b/%Y:%H:%M:%S} +0000]"
    head = f"{S3_OWNER} shop-assets {time}"
    if i % 50 == 0:  # a lifecycle action: no remote IP, request, status
        return (f"{head} - AmazonS3 {i:016X} S3.EXPIRE.OBJECT tmp/{i}.txt \"-\" - - - {r.randrange(100, 90000)}"
                " - - \"-\" \"-\" - - - - - - - - - -")
    ip, key = f"198.51.{r.randrange(256)}.{r.randrange(256)}", f"images/{i % 5000}/photo-{i}.jpg"
    op, status, error = r.choice((("REST.GET.OBJECT", 200, "-"), ("REST.GET.OBJECT", 200, "-"),
                                  ("REST.PUT.OBJECT", 200, "-"), ("REST.HEAD.OBJECT", 404, "NoSuchKey"),
                                  ("REST.GET.OBJECT", 403, "AccessDenied")))
    method = op.split(".")[1]
    size = r.randrange(200, 900000)
    return (f"{head} {ip} {r.choice(S3_REQUESTERS)} {i:016X} {op} {key}"
            f' "{method} /shop-assets/{key}?versionId={i % 7} HTTP/1.1" {status} {error}'
            f" {size if status == 200 else r.randrange(200, 400)} {size} {r.randrange(1, 900)} {r.randrange(1, 90)}"
            f' "https://shop.example.com/p/{i % 100}" "aws-sdk-java/1.12.{i % 600} Linux/6.1 OpenJDK_64-Bit_Server_VM/17"'
            f" - hK{i:x}+Q3bYvJ6T9Lr2cW8dXeKpN4sA1zM7uF0gH5iO= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader"
            f" shop-assets.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1")


CLOUDFRONT_HEADER = (
    "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status"
    " cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header"
    " cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type"
    " cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type"
    " sc-content-type sc-content-len sc-range-start sc-range-end")


def cloudfront_line(r: random.Random, i: int) -> str:
    status, result = r.choice(((200, "Hit"), (200, "Hit"), (200, "Miss"), (304, "RefreshHit"), (404, "Error"),
                               (502, "Error")))
    taken = f"0.{r.randrange(999):03d}"
    return "\t".join((
        f"{at(i):%Y-%m-%d}", f"{at(i):%H:%M:%S}", f"IAD89-C{i % 4}",
        str(r.randrange(200, 90000)), f"198.51.{r.randrange(256)}.{r.randrange(256)}", "GET",
        "d111111abcdef8.cloudfront.net", f"/assets/{i % 5000}/app%2520{i}.js", str(status),
        f"https://shop.example.com/p/{i % 100}",
        f"Mozilla/5.0%20(X11;%20Linux%20x86_64)%20Chrome/{100 + i % 30}.0%20Safari/537.36",
        f"v={i % 10}" if i % 3 else "-", "-", result, f"{i:x}SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrj==",
        "shop.example.com", "https", str(r.randrange(20, 900)), taken,
        f"203.0.113.{i % 250}" if i % 10 == 0 else "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result, "HTTP/2.0",
        "-", "-", str(r.randrange(1024, 65535)), taken, result, "application/javascript", str(r.randrange(100, 90000)),
        "-", "-"))


TYPES = {
    "alb": (lambda n: f"AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/2026/11/01/"
                      f"{ACCOUNT}_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20261101T0000Z_10.0.0.1_{n}.log.gz",
            "", alb_line),
    "vpcflow": (lambda n: f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/2026/11/30/"
                          f"{ACCOUNT}_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20261130T0000Z_{n:08x}.log.gz",
                VPCFLOW_HEADER, vpcflow_line),
    # S3 delivers server access logs as plain text.
    "s3access": (lambda n: f"s3-access-logs/{ACCOUNT}/us-east-1/shop-assets/2026/11/01/"
                           f"2026-11-01-{n // 3600 % 24:02d}-{n // 60 % 60:02d}-{n % 60:02d}-{n:016X}",
                 "", s3access_line),
    "cloudfront": (lambda n: f"cf-logs/E2EXAMPLE12345.2026-11-01-{n % 24:02d}.{n:08x}.gz",
                   CLOUDFRONT_HEADER, cloudfront_line),
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
        data = ("\n".join(body) + "\n").encode()
        path.write_bytes(gzip.compress(data, compresslevel=6) if path.name.endswith(".gz") else data)
    return total


BASELINE = r"""
import sys, time, chdb
c = chdb.connect(sys.argv[2])
t = time.perf_counter()
n = c.query(f"SELECT count() FROM file('{sys.argv[1]}/**', 'LineAsString')", "CSV").bytes().decode().strip()
print(time.perf_counter() - t, n)
"""


INSERT_ONLY = r"""
import os, resource, sys, time
from backtrail.adapters.chdb_store import ChdbStore
from backtrail.core.schema import EVENT_COLUMNS, create_tables
from backtrail.logtypes import engine, registry
log_type, root, work = registry.get(sys.argv[1]), sys.argv[2], sys.argv[3]
files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names)
store = ChdbStore(os.path.join(work, "insert-only"))
create_tables(store)
batch = engine.write_batch(log_type, [(f, "gzip" if f.endswith(".gz") else "none", f[len(root) + 1:], "b") for f in files], work)
select = ", ".join("now64(6) AS ingested_at" if c == "ingested_at" else c for c in EVENT_COLUMNS)


def timed(sql, params=None):
    u, t = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    store.command(sql, params)
    v = resource.getrusage(resource.RUSAGE_SELF)
    print(time.perf_counter() - t, v.ru_utime + v.ru_stime - u.ru_utime - u.ru_stime)


timed(f"INSERT INTO incoming ({', '.join(EVENT_COLUMNS)}, problem, position) SELECT {select}, problem, position"
      f" FROM ({batch.rows_sql()}) {batch.settings()}", batch.params)
# The write alone: the same rows, parsed already (read from a file in the engine's own format), into a table like `events`.
parsed = os.path.join(work, "parsed.native")
store.command(f"INSERT INTO FUNCTION file('{parsed}', Native) SELECT * FROM events SETTINGS max_block_size = 65536")
store.command("CREATE TABLE written AS events")
store.command("SYSTEM STOP MERGES")  # the parts of the INSERT above would merge meanwhile, on this process's CPU
timed(f"INSERT INTO written SELECT * FROM file('{parsed}', Native) SETTINGS max_insert_threads = 2")
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
            t, cpu = time.perf_counter(), _children_cpu()
            subprocess.run(CLI + ["backfill", f"file://{work / 'bucket'}", "--data-dir", str(work / "data")],
                           check=True, capture_output=True)
            e2e_s, e2e_cpu = time.perf_counter() - t, _children_cpu() - cpu
            loaded = int(subprocess.run(CLI + ["search", "--count", f"source_type:{type_name}", "--data-dir",
                                               str(work / "data")], check=True, capture_output=True, text=True).stdout)
            assert loaded == total, (type_name, loaded, total)
            print(f"{type_name:<12} {total:,} lines in {args.objects} objects: end to end {total / e2e_s:>9,.0f} lines/s"
                  f"  (engine reading the lines {total / base_s:>11,.0f} lines/s, ratio {base_s / e2e_s:.2f});"
                  f" {e2e_cpu / total * 1e6:.1f} CPU-µs per line")
            out = subprocess.run([sys.executable, "-c", INSERT_ONLY, type_name, str(work / "bucket"), str(work)],
                                 check=True, capture_output=True, text=True).stdout.split()
            print(f"{'':12} the INSERT alone {total / float(out[0]):>9,.0f} lines/s, {float(out[1]) / total * 1e6:.1f} CPU-µs per line;"
                  f" the write alone (rows parsed already) {total / float(out[2]):>9,.0f} lines/s,"
                  f" {float(out[3]) / total * 1e6:.1f} CPU-µs per line")


if __name__ == "__main__":
    main()
