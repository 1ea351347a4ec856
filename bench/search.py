"""Search, histogram and free text over 10 million stored events: p50/p99 against a full count.

    make bench-search     # or: .venv/bin/python bench/search.py [--events 10000000] [--runs 20]

The events are made by the engine itself (`INSERT INTO events SELECT … FROM numbers(N)`, not
timed): CloudTrail-like records of ~1 KB raw JSON over 30 days, 200 principals, 5,000 source IPs,
a needle access key in 1 event of 100,000. Then each query runs `--runs` times through the query
service (what the HTTP API calls), after one warm-up run; the baseline, same store, same run:
`SELECT count() FROM events` (and, for free text, one scan of `raw`: `sum(length(raw))`).
Targets (issue 6): field search and histogram p50 < 1 s, free text p50 < 3 s.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from backtrail.adapters.chdb_store import ChdbStore
from backtrail.core.schema import create_tables
from backtrail.query.service import QueryService

NEEDLE = "AKIABENCHNEEDLE00042"
GENERATE = """
INSERT INTO events (ts, ingested_at, source_type, event_id, account_id, region, actor, actor_type, action,
                    outcome, src_ip, user_agent, resource, ips, principals, object, backfill_id, raw)
SELECT ts, now64(6), 'cloudtrail', event_id, account, region, actor, 'IAMUser', action, outcome, ip, ua,
       resource, [ip], [actor, key], concat('bench/AWSLogs/', account, '/CloudTrail/', region, '/',
       formatDateTime(ts, '%Y/%m/%d'), '/', toString(number DIV 1000), '.json.gz'), 'bf-bench',
       concat('{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","principalId":"AIDA', upper(hex(n % 200)),
              '","arn":"', actor, '","accountId":"', account, '","accessKeyId":"', key, '","userName":"user-',
              toString(n % 200), '"}},"eventTime":"', formatDateTime(ts, '%Y-%m-%dT%H:%i:%SZ'),
              '","eventSource":"', service, '.amazonaws.com","eventName":"', action, '","awsRegion":"', region,
              '","sourceIPAddress":"', ip, '","userAgent":"', ua, '","requestParameters":{{"bucketName":"bucket-',
              toString(n % 97), '","key":"exports/', lower(hex(cityHash64(number, 1))), '.csv"}},',
              if(outcome = 'failure', '"errorCode":"AccessDenied","errorMessage":"User is not authorized",', ''),
              '"responseElements":null,"requestID":"', upper(hex(cityHash64(number, 2))),
              '","eventID":"', event_id, '","readOnly":true,"resources":[{{"ARN":"', resource,
              '","type":"AWS::S3::Object"}}],"additionalEventData":{{"x-amz-id-2":"',
              base64Encode(concat(reinterpretAsString(cityHash64(number, 5)), reinterpretAsString(cityHash64(number, 6)),
                                  reinterpretAsString(cityHash64(number, 7)))),
              '","bytesTransferredOut":', toString(n % 100000), '}},"eventType":"AwsApiCall","managementEvent":false,',
              '"recipientAccountId":"', account, '","eventCategory":"Data","tlsDetails":{{"tlsVersion":"TLSv1.3",',
              '"cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"s3.', region, '.amazonaws.com"}}}}')
FROM (SELECT number, cityHash64(number) AS n,
             toDateTime64('2026-10-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(number * 259) AS ts,
             lower(concat(hex(cityHash64(number, 3)), hex(cityHash64(number, 4)))) AS event_id,
             ['111111111111', '222222222222', '333333333333'][1 + n % 3] AS account,
             ['us-east-1', 'eu-west-1', 'ap-southeast-2'][1 + intDiv(n, 3) % 3] AS region,
             concat('arn:aws:iam::', account, ':user/user-', toString(n % 200)) AS actor,
             if(number % 100000 = 42, '{needle}', concat('AKIA', upper(hex(n % 200)))) AS key,
             ['GetObject', 'PutObject', 'ListBuckets', 'AssumeRole', 'DescribeInstances', 'ConsoleLogin'][1 + n % 6]
                 AS action,
             ['s3', 's3', 's3', 'sts', 'ec2', 'signin'][1 + n % 6] AS service,
             if(n % 50 = 0, 'failure', 'success') AS outcome,
             concat(toString(10 + intDiv(n, 7) % 5000 % 200), '.', toString(intDiv(n, 7) % 5000 DIV 200), '.',
                    toString(n % 3), '.', toString(4 + intDiv(n, 11) % 3)) AS ip,
             concat('aws-cli/2.15.', toString(n % 40), ' Python/3.11.6 Linux/6.1 exe/x86_64') AS ua,
             concat('arn:aws:s3:::bucket-', toString(n % 97), '/exports/', toString(number)) AS resource
      FROM numbers({events}))
""".replace("{needle}", NEEDLE)


def timed(queries: list, runs: int) -> list[float]:
    """Seconds of each run; run i calls queries[i % len(queries)], after one warm-up call of another
    value, so neither the engine's per-condition granule cache nor the OS cache sees a run's value twice."""
    queries[-1]()
    out = []
    for i in range(runs):
        t = time.perf_counter()
        queries[i % (len(queries) - 1)]()
        out.append(time.perf_counter() - t)
    return out


def report(name: str, times: list[float], base: float, target: float | None = None) -> None:
    p50, p99 = statistics.median(times), sorted(times)[max(0, round(0.99 * len(times)) - 1)]
    goal = f"  target p50 < {target:g} s: {'met' if p50 < target else 'MISSED'}" if target else ""
    print(f"{name:<46} p50 {p50 * 1000:7.0f} ms  p99 {p99 * 1000:7.0f} ms  x{p50 / base:5.1f}{goal}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--data-dir", help="keep the store here (reused when it already holds --events events)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="backtrail-bench-search-") as tmp:
        store = ChdbStore(args.data_dir or tmp)
        create_tables(store)
        if int(store.query("SELECT count() AS n FROM events")[0]["n"]) != args.events:
            store.command("TRUNCATE TABLE events")
            t = time.perf_counter()
            store.command(GENERATE.format(events=args.events))
            store.command("OPTIMIZE TABLE events FINAL")
            print(f"generated {args.events:,} events in {time.perf_counter() - t:.0f} s")
        size = store.query("SELECT sum(data_compressed_bytes) AS c, sum(data_uncompressed_bytes) AS u"
                           " FROM system.columns WHERE table = 'events' AND name = 'raw'")[0]
        print(f"{args.events:,} events, raw {int(size['u']) / 1e9:.1f} GB ({int(size['c']) / 1e9:.2f} GB on disk);"
              f" p50/p99 of {args.runs} runs, each value searched once; x = p50 / baseline")
        service = QueryService(store)
        picks = store.query("SELECT src_ip, upper(JSONExtractString(raw, 'requestID')) AS needle FROM events"
                            " WHERE cityHash64(event_id) % 100000 = 7 LIMIT {n:UInt32}", {"n": args.runs + 1})
        ips, needles = [p["src_ip"] for p in picks], [NEEDLE] + [p["needle"] for p in picks][:args.runs]
        base = statistics.median(timed([lambda: store.query("SELECT max(src_ip) AS m FROM events")] * 2, args.runs))
        raw = statistics.median(timed([lambda: store.query("SELECT max(raw) AS m FROM events")] * 2, 3))
        print(f"{'baseline: SELECT max(src_ip) FROM events':<46} p50 {base * 1000:7.0f} ms   (one column)")
        print(f"{'baseline: SELECT max(raw) FROM events':<46} p50 {raw * 1000:7.0f} ms   (one scan of raw)")
        hits = service.count(f"src_ip:{ips[0]}")
        report(f"search src_ip:X (~{hits:,} hits, page of 100)",
               timed([lambda ip=ip: service.page(f"src_ip:{ip}") for ip in ips], args.runs), base, 1)
        report("histogram, every event, 60 buckets", timed([lambda: service.histogram("")] * 2, args.runs), base, 1)
        report("histogram of src_ip:X",
               timed([lambda ip=ip: service.histogram(f"src_ip:{ip}") for ip in ips], args.runs), base, 1)
        free = timed([lambda n=n: service.page(f'"{n}"') for n in needles], args.runs)
        report('free text "X" (1 match in all, page of 100)', free, base, 3)
        print(f"{'  the same against one scan of raw':<46} x{statistics.median(free) / raw:5.2f}")
        store.close()


if __name__ == "__main__":
    main()
