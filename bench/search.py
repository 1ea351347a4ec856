"""Search, histogram and free text over 10 million stored events: p50/p99, as stored before and tuned.

    make bench-search     # or: .venv/bin/python bench/search.py [--events 10000000] [--runs 20] [--data-dir DIR]

The events are made by the engine itself (`INSERT INTO events SELECT … FROM numbers(N)`, not
timed): CloudTrail-like records of ~1 KB raw JSON over 30 days, 200 principals, 5,000 source IPs
spread evenly, 20 attacker IPs of 500 events each within one hour, a needle access key in 1 event
of 100,000. The same events are copied into database `tuned`: ~1 MB granules and the indexes of
`core.schema.SEARCH_INDEXES` (the copy is timed against a copy into a plain table). Then each query
runs through the query service (what the HTTP API calls) against both, each run a value not
searched before; baselines, same store, same run: `max(src_ip)` (one column), `max(raw)` (a scan
of the records). Targets (issue 6): field search and histogram p50 < 1 s, free text p50 < 3 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from backtrail.adapters.chdb_store import ChdbStore
from backtrail.core.schema import TABLES, create_tables
from backtrail.core.schema import SEARCH_INDEXES as INDEXES
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
             {ts} AS ts,
             lower(concat(hex(cityHash64(number, 3)), hex(cityHash64(number, 4)))) AS event_id,
             ['111111111111', '222222222222', '333333333333'][1 + n % 3] AS account,
             ['us-east-1', 'eu-west-1', 'ap-southeast-2'][1 + intDiv(n, 3) % 3] AS region,
             concat('arn:aws:iam::', account, ':user/user-', toString(n % 200)) AS actor,
             if(number % 100000 = 42, '{needle}', concat('AKIA', upper(hex(n % 200)))) AS key,
             ['GetObject', 'PutObject', 'ListBuckets', 'AssumeRole', 'DescribeInstances', 'ConsoleLogin'][1 + n % 6]
                 AS action,
             ['s3', 's3', 's3', 'sts', 'ec2', 'signin'][1 + n % 6] AS service,
             if(n % 50 = 0, 'failure', 'success') AS outcome,
             {ip} AS ip,
             concat('aws-cli/2.15.', toString(n % 40), ' Python/3.11.6 Linux/6.1 exe/x86_64') AS ua,
             concat('arn:aws:s3:::bucket-', toString(n % 97), '/exports/', toString(number)) AS resource
      FROM {rows})
""".replace("{needle}", NEEDLE)
SPREAD = {"rows": "numbers({events})",
          "ts": "toDateTime64('2026-10-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(number * 259)",
          "ip": "concat(toString(10 + intDiv(n, 7) % 5000 % 200), '.', toString(intDiv(n, 7) % 5000 DIV 200), '.',"
                " toString(n % 3), '.', toString(4 + intDiv(n, 11) % 3))"}
ATTACKERS, BURST = 20, 500
"""Attacker IPs 203.0.113.0-19, each making BURST events within one hour of day i (clustered in time,
as a real intruder's are), beside the 5,000 IPs spread evenly over the 30 days."""
CLUSTERED = {"rows": f"numbers({{events}}, {ATTACKERS * BURST})",
             "ts": f"toDateTime64('2026-10-01 00:00:00', 3, 'UTC') + toIntervalDay(intDiv(number - {{events}}, {BURST}))"
                   f" + toIntervalMillisecond((number - {{events}}) % {BURST} * 7200)",
             "ip": f"concat('203.0.113.', toString(intDiv(number - {{events}}, {BURST})))"}
GRANULE_BYTES = 1 << 20
"""`index_granularity_bytes` of the tuned table: granules of ~1 MB instead of the default 10 MB."""


def generate(store: ChdbStore, events: int) -> None:
    """The spread events, then the attackers' (added alone to a store holding just the spread ones)."""
    have, t = int(store.query("SELECT count() AS n FROM events")[0]["n"]), time.perf_counter()
    if have == events + ATTACKERS * BURST:
        return
    if have != events:
        store.command("TRUNCATE TABLE events")
        store.command(GENERATE.format(**{k: v.format(events=events) for k, v in SPREAD.items()}))
        store.command("OPTIMIZE TABLE events FINAL")
    store.command(GENERATE.format(**{k: v.format(events=events) for k, v in CLUSTERED.items()}))
    print(f"generated {int(store.query('SELECT count() AS n FROM events')[0]['n']) - have:,} events"
          f" in {time.perf_counter() - t:.0f} s")


def tuned(plain: ChdbStore, data_dir: str, indexes: tuple[str, ...]) -> ChdbStore:
    """The same events in database `tuned`: ~1 MB granules (a table setting, fixed at creation) and
    `indexes`, built by the insert (timed against a copy into a plain table, same run)."""
    store = ChdbStore(data_dir, database="tuned")
    want = int(plain.query("SELECT count() AS n FROM events")[0]["n"])
    if int(store.query("SELECT count() AS n FROM system.tables WHERE database = 'tuned' AND name = 'events'")[0]["n"]):
        if int(store.query("SELECT count() AS n FROM events")[0]["n"]) == want:
            have = {r["name"] for r in store.query("SELECT name FROM system.data_skipping_indices"
                                                   " WHERE database = 'tuned' AND table = 'events'")}
            for ddl in (d for d in indexes if d.split()[8] not in have):  # added since the copy: build them
                store.command(ddl)
                store.command(f"ALTER TABLE events MATERIALIZE INDEX {ddl.split()[8]} SETTINGS mutations_sync = 2")
            return store
        store.command("DROP TABLE events SYNC")
    ddl = next(t for t in TABLES if "TABLE IF NOT EXISTS events" in t)
    store.command(ddl + f", index_granularity_bytes = {GRANULE_BYTES}")
    create_tables(store)
    for ddl in indexes:
        store.command(ddl)
    copy = {}
    for name, table in (("plain", "copy_plain"), ("tuned", "events")):
        if table == "copy_plain":
            store.command("CREATE TABLE copy_plain AS default.events")
        t = time.perf_counter()
        store.command(f"INSERT INTO {table} SELECT * FROM default.events")
        copy[name] = time.perf_counter() - t
    store.command("DROP TABLE copy_plain SYNC")
    print(f"copy of {want:,} events into the tuned table {copy['tuned']:.0f} s, into a plain one {copy['plain']:.0f} s"
          f" (x{copy['tuned'] / copy['plain']:.2f})")
    return store


def timed(queries: list, runs: int) -> list[float]:
    """Seconds of each run; run i calls queries[i % (len(queries) - 1)], after one warm-up call of the
    last, so neither the engine's per-condition granule cache nor the OS cache sees a run's value twice."""
    queries[-1]()
    out = []
    for i in range(runs):
        t = time.perf_counter()
        queries[i % (len(queries) - 1)]()
        out.append(time.perf_counter() - t)
    return out


def p50_p99(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), sorted(times)[max(0, round(0.99 * len(times)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--scan-runs", type=int, default=5, help="runs of the queries that scan every raw record")
    ap.add_argument("--data-dir", help="keep the store here (reused when it already holds the events)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="backtrail-bench-search-") as tmp:
        data_dir = args.data_dir or tmp
        plain = ChdbStore(data_dir)
        create_tables(plain)
        generate(plain, args.events)
        fast = tuned(plain, data_dir, INDEXES)
        print(f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {sizes(plain, fast)}")
        picks = plain.query("SELECT src_ip, upper(JSONExtractString(raw, 'requestID')) AS needle FROM events"
                            " WHERE cityHash64(event_id) % 100000 = 7 AND src_ip NOT LIKE '203.0.113.%'"
                            " LIMIT {n:UInt32}", {"n": args.runs + 1})
        ips, needles = [p["src_ip"] for p in picks], [NEEDLE] + [p["needle"] for p in picks][:args.runs]
        attackers = [f"203.0.113.{i}" for i in range(ATTACKERS)]
        hits = QueryService(plain).count(f"src_ip:{ips[0]}")
        print(f"{'query (p50 / p99 of runs, each value searched once)':<44} {'plain table':>19} |"
              f" {'tuned table':>17} | target p50")
        for name, sql in (("baseline: SELECT max(src_ip)", "SELECT max(src_ip) AS m FROM events"),
                          ("baseline: SELECT max(raw)", "SELECT max(raw) AS m FROM events")):
            p50, p99 = p50_p99(timed([lambda: plain.query(sql)] * 2, args.runs if "src_ip" in sql else 3))
            print(f"{name:<44} {p50 * 1000:9.0f} {p99 * 1000:7.0f} ms |", flush=True)
        for name, make, target in (
                (f"src_ip:X spread (~{hits:,} hits), page of 100",
                 lambda s: [lambda ip=ip: s.page(f"src_ip:{ip}") for ip in ips], 1),
                (f"src_ip:X clustered ({BURST} hits in 1 h), page",
                 lambda s: [lambda ip=ip: s.page(f"src_ip:{ip}") for ip in attackers], 1),
                ("histogram, every event, 60 buckets", lambda s: [lambda: s.histogram("")] * 2, 1),
                ("histogram of src_ip:X spread",
                 lambda s: [lambda ip=ip: s.histogram(f"src_ip:{ip}") for ip in ips], 1),
                ("facets of action, src_ip:X spread",
                 lambda s: [lambda ip=ip: s.facets(f"src_ip:{ip}", field="action") for ip in ips], 1),
                ('free text "KEY" (~100 matches), page of 100', lambda s: [lambda n=n: s.page(f'"{n}"') for n in needles], 3),
                (f'free text "IP" ({BURST} matches), page',
                 lambda s: [lambda ip=ip: s.page(f'"{ip}"') for ip in attackers], 3)):
            cells = []
            for store in (plain, fast):
                scan = name.startswith("free") and (store is plain or '"IP"' in name)
                runs = args.scan_runs if scan else args.runs
                p50, p99 = p50_p99(timed(make(QueryService(store)), runs))
                cells.append(f"{p50 * 1000:9.0f} {p99 * 1000:7.0f} ms")
            print(f"{name:<44} {cells[0]} | {cells[1]} | < {target} s: {'met' if p50 < target else 'MISSED'}",
                  flush=True)
        fast.close()
        plain.close()


def sizes(plain: ChdbStore, fast: ChdbStore) -> str:
    raw = plain.query("SELECT sum(data_compressed_bytes) AS c, sum(data_uncompressed_bytes) AS u"
                      " FROM system.columns WHERE database = 'default' AND table = 'events' AND name = 'raw'")[0]
    idx = fast.query("SELECT name, sum(data_compressed_bytes) AS c FROM system.data_skipping_indices"
                     " WHERE database = 'tuned' AND table = 'events' GROUP BY name ORDER BY name")
    return (f"raw {int(raw['u']) / 1e9:.1f} GB ({int(raw['c']) / 1e9:.2f} GB on disk); tuned indexes: "
            + ", ".join(f"{r['name']} {int(r['c']) / 1e6:.0f} MB" for r in idx))


if __name__ == "__main__":
    main()
