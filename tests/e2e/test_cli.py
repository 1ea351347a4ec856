"""`backtrail` from the user's side: backfill a bucket, then search, sql and status it.

Every CLI call is a child process with its own `--data-dir` (one chDB data directory per
process lifetime). Expected numbers come from the story facts of `write_demo_bucket` and from
reading the written objects back in Python, never from the store itself. The demo bucket holds
every log type; `demo.objects` / `demo.events` are its CloudTrail part, `demo.total_*` all of it.
"""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import os
import random
import re
import time
import urllib.request
from collections import Counter
from pathlib import Path

import orjson
import pytest
import zstandard

from backtrail.demo_data import write_synthetic_bucket

from conftest import (SAMPLES, backfill, count, describe, event_files, gunzip_prefix, popen, read_records,
                      run, search_json, status)

COMMON = ["ts", "ingested_at", "source_type", "event_id", "account_id", "region", "actor", "actor_type",
          "action", "outcome", "src_ip", "user_agent", "resource", "ips", "principals", "object",
          "backfill_id", "raw", "fields"]


def _outcome(r: dict) -> str:
    failed = r.get("errorCode") or (r.get("responseElements") or {}).get("ConsoleLogin") == "Failure"
    return "failure" if failed else "success"


def _path(r: dict, dotted: str):
    for part in dotted.split("."):
        r = r.get(part) if isinstance(r, dict) else None
    return r


def _raw_has(r: dict, text: str) -> bool:
    return text.lower() in orjson.dumps(r).decode().lower()


def _ip(r: dict) -> str:
    ip = r["sourceIPAddress"]
    return ip if ip[0].isdigit() else ""


def _counts(data_dir) -> tuple[int, ...]:
    """Total events, the leaked key's, the attacker IP's (any type, by `ips`), distinct CloudTrail
    event ids: one `sql` call. (Flow and Resolver records have no id; WAF reuses the ALB's.)"""
    proc = run("sql", "SELECT count() AS n, countIf(positionCaseInsensitive(raw, 'ASIAEXAMPLESSRF00001') > 0) AS k,"
               " countIf(has(ips, '198.51.100.77')) AS ip, uniqExactIf(event_id, source_type = 'cloudtrail') AS ids"
               " FROM events", "--format", "json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    row = orjson.loads(proc.stdout)
    return int(row["n"]), int(row["k"]), int(row["ip"]), int(row["ids"])


# --- the demo bucket: backfill, then search -------------------------------------------------------


def test_demo_backfills_and_shows_the_story(demo, loaded):
    _, proc = loaded
    assert f"wrote {demo.objects} CloudTrail objects ({demo.events:,} events)" in proc.stdout, describe(proc)
    for name, n in demo.type_objects.items():
        if name != "cloudtrail":
            assert f"  {name:<16}{n:>8,}{demo.type_records[name]:>9,}" in proc.stdout, describe(proc)
    assert f"{demo.total_events:,} events loaded" in proc.stdout, describe(proc)
    assert f"{demo.digest_files} skipped" in proc.stdout, describe(proc)
    assert "0 failed" in proc.stdout, describe(proc)
    # the attacker's address in every log that records one
    crossing = sum(demo.attacker_records.values())
    assert f"# one address in every log: {crossing} events (cloudtrail 13, alb 15, vpcflow 12" in proc.stdout, \
        describe(proc)
    assert demo.ssrf_url in proc.stdout, describe(proc)
    # the leaked key used outside the VPC: the attacker's 10 calls and GuardDuty's finding; the backdoor key: 3
    assert "the leaked instance key, used outside the VPC: 11 events, the newest 8" in proc.stdout, describe(proc)
    assert "the backdoor key the attacker minted: 3 events" in proc.stdout, describe(proc)


def test_demo_attacker_ip_crosses_log_types(demo, loaded):
    """`ips` is filled by every type: one address finds the scan and SSRF in ALB, the flows in VPC
    Flow Logs and the stolen key's calls in CloudTrail (and WAF, Resolver, S3 access, GuardDuty)."""
    rows = search_json(f"ips:{demo.attacker_ip}", loaded[0], "--limit", "1000")
    by_type = Counter(r["source_type"] for r in rows)
    assert {"alb", "vpcflow", "cloudtrail"} <= set(by_type), by_type
    assert by_type == {t: n for t, n in demo.attacker_records.items() if n}, by_type
    assert all(demo.attacker_ip in r["ips"] for r in rows)
    (ssrf,) = [r for r in rows if r["source_type"] == "alb" and r["resource"] == demo.ssrf_url]
    assert ssrf["action"] == "GET" and ssrf["outcome"] == "success" and ssrf["src_ip"] == demo.attacker_ip
    first_call = min(r["ts"] for r in rows if r["source_type"] == "cloudtrail")
    assert ssrf["ts"] < first_call == "2026-11-02 14:02:11.000"
    flows = [r for r in rows if r["source_type"] == "vpcflow"]
    assert {(r["action"], str(r["fields"]["dstport"])) for r in flows if r["src_ip"] == demo.attacker_ip} >= {
        ("REJECT", "22"), ("ACCEPT", "443")}


def test_story_facts(demo, demo_records, loaded):
    data_dir, _ = loaded
    assert len(demo_records) == demo.events
    assert count("", data_dir) == demo.total_events
    assert count("source_type:cloudtrail", data_dir) == demo.events
    assert count(f'"{demo.leaked_key}"', data_dir) == 36 + 1  # + GuardDuty's finding
    assert count(f"src_ip:{demo.attacker_ip} source_type:cloudtrail", data_dir) == 13


def test_digest_files_are_not_ingested(demo, loaded):
    data_dir, _ = loaded
    proc = run("sql", "SELECT countIf(object LIKE '%CloudTrail-Digest%') AS digests, uniqExact(object) AS objects"
               " FROM events", "--format", "json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    assert orjson.loads(proc.stdout) == {"digests": 0, "objects": demo.total_objects}


SEARCHES = {
    "eventName:AssumeRole": lambda r: r["eventName"] == "AssumeRole",
    "userIdentity.type:AWSService": lambda r: r["userIdentity"]["type"] == "AWSService",
    "userIdentity.sessionContext.sessionIssuer.userName:admin-break-glass":
        lambda r: _path(r, "userIdentity.sessionContext.sessionIssuer.userName") == "admin-break-glass",
    "eventName:CreateUser outcome:failure": lambda r: r["eventName"] == "CreateUser" and _outcome(r) == "failure",
    "eventName:CreateUser AND outcome:success": lambda r: r["eventName"] == "CreateUser" and _outcome(r) == "success",
    "eventName:CreateUser OR eventName:CreateAccessKey": lambda r: r["eventName"] in ("CreateUser", "CreateAccessKey"),
    "src_ip:198.51.100.77 NOT eventName:GetObject":
        lambda r: r["sourceIPAddress"] == "198.51.100.77" and r["eventName"] != "GetObject",
    "src_ip:198.51.100.77 -eventName:GetObject":
        lambda r: r["sourceIPAddress"] == "198.51.100.77" and r["eventName"] != "GetObject",
    "(eventName:CreateUser OR eventName:AttachUserPolicy) userIdentity.type:AssumedRole":
        lambda r: r["eventName"] in ("CreateUser", "AttachUserPolicy") and r["userIdentity"]["type"] == "AssumedRole",
    "src_ip:198.51.*": lambda r: r["sourceIPAddress"].startswith("198.51."),
    "actor:*backup-svc": lambda r: r["userIdentity"].get("arn", "").endswith("backup-svc"),
    "src_ip:198.51.100.0/24": lambda r: r["sourceIPAddress"].startswith("198.51.100."),
    "-src_ip:198.51.100.0/24": lambda r: not r["sourceIPAddress"].startswith("198.51.100."),
    "eventName:ListBuckets NOT src_ip:10.0.0.0/8":
        lambda r: r["eventName"] == "ListBuckets" and not r["sourceIPAddress"].startswith("10."),
    '"asiaexampleSSRF00001"': lambda r: _raw_has(r, "ASIAEXAMPLESSRF00001"),
    '"acme-customer-exports" eventName:GetObject': lambda r: _raw_has(r, "acme-customer-exports") and r["eventName"] == "GetObject",
    "account_id:222222222222 region:eu-west-1 actor_type:IAMUser":
        lambda r: r["recipientAccountId"] == "222222222222" and r["awsRegion"] == "eu-west-1"
        and r["userIdentity"]["type"] == "IAMUser",
}


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_counts(query, demo_records, loaded):
    """The predicates describe CloudTrail records; the demo bucket holds other log types too."""
    expected = sum(1 for r in demo_records if SEARCHES[query](r))
    assert count(f"source_type:cloudtrail ({query})", loaded[0]) == expected


def test_searches_find_something(demo_records):
    """Guard against vacuous expectations: every search above matches some but not all records."""
    for query, pred in SEARCHES.items():
        n = sum(1 for r in demo_records if pred(r))
        assert 0 < n < len(demo_records), query


def test_hunt_finds_the_incident_across_sources(demo, loaded):
    """`backtrail hunt <attacker ip> <leaked key>`: counts, first/last seen, sources, one timeline."""
    proc = run("hunt", demo.attacker_ip, demo.leaked_key, "--format", "json", "--limit", "1000", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    found = orjson.loads(proc.stdout)
    ip, key = found["indicators"]
    assert (ip["kind"], key["kind"]) == ("ip", "access_key")
    assert ip["events"] == count(f'"{demo.attacker_ip}"', loaded[0])  # no longer address contains it
    assert {"alb", "vpcflow", "cloudtrail"} <= set(ip["sources"])
    assert ip["first_seen"][:19] < demo.ssrf_time[:19].replace("T", " ") <= ip["last_seen"][:19]
    assert key["events"] == count(f'"{demo.leaked_key}"', loaded[0]) == 37
    timeline = found["timeline"]
    assert len(timeline) == count(f'"{demo.attacker_ip}" OR "{demo.leaked_key}"', loaded[0])
    assert [t["ts"] for t in timeline] == sorted(t["ts"] for t in timeline)
    table = run("hunt", demo.attacker_ip, data_dir=loaded[0])
    assert f"backtrail search 'ips:{demo.attacker_ip} OR \"{demo.attacker_ip}\"'" in table.stdout, describe(table)


def test_backfill_raises_the_incident_alerts_on_event_time(demo, loaded):
    """The pack runs when the demo backfill ends: the incident is flagged where it happened, once."""
    assert "new alert(s) from the detection rules" in loaded[1].stdout
    proc = run("alerts", "--json", "--limit", "10000", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    alerts = [orjson.loads(line) for line in proc.stdout.splitlines()]
    by_rule = Counter(a["rule_id"] for a in alerts)
    outside = count(f'source_type:cloudtrail "{demo.leaked_key}" NOT src_ip:10.0.0.0/8', loaded[0])
    assert by_rule["bt-aws-cloudtrail-instance-credentials-outside"] == outside == 10
    for rule in ("bt-aws-alb-ssrf-metadata", "bt-aws-cloudtrail-admin-policy-attached",
                 "bt-aws-cloudtrail-s3-bucket-policy-public", "bt-aws-guardduty-instance-credential-exfiltration"):
        assert by_rule[rule] >= 1, rule
    ssrf = [a for a in alerts if a["rule_id"] == "bt-aws-alb-ssrf-metadata"]
    assert {a["ts"][:10] for a in ssrf} == {"2026-11-02"} and all(a["raised_at"] > "2026-11-29" for a in ssrf)
    # no false positive on the background: every alert is the attacker's, or the breached instance's DNS query
    incident = {demo.attacker_ip, demo.backdoor_ip}
    assert all(a["src_ip"] in incident or a["actor"] == demo.instance_id for a in alerts), \
        [a for a in alerts if a["src_ip"] not in incident]
    again = run("detect", "run", "--json", "--data-dir", str(loaded[0]))
    assert again.returncode == 0 and sum(orjson.loads(again.stdout).values()) == 0, describe(again)


def test_principals_pivots(demo, loaded):
    data_dir = loaded[0]
    rows = search_json(f"principals:{demo.backdoor_key}", data_dir)
    assert sorted(r["action"] for r in rows) == ["CreateAccessKey", "ListBuckets", "PutBucketPolicy"]
    backdoor_calls = [r for r in rows if r["action"] != "CreateAccessKey"]
    assert {r["src_ip"] for r in backdoor_calls} == {demo.backdoor_ip}
    assert all(demo.backdoor_key in r["principals"] for r in rows)
    # the admin key: handed out by AssumeRole, then used for three IAM calls
    rows = search_json(f"principals:{demo.admin_key}", data_dir)
    assert sorted(r["action"] for r in rows) == ["AssumeRole", "AttachUserPolicy", "CreateAccessKey", "CreateUser"]


def test_search_time_range(demo_records, loaded):
    data_dir = loaded[0]
    day = sum(1 for r in demo_records if r["eventTime"].startswith("2026-11-02"))
    assert count("source_type:cloudtrail", data_dir, "--since", "2026-11-02T00:00:00Z",
                 "--until", "2026-11-02T23:59:59Z") == day
    window = [r for r in demo_records if r["sourceIPAddress"] == "198.51.100.77"
              and "2026-11-02T14:04:00Z" <= r["eventTime"] <= "2026-11-02T14:10:00Z"]
    assert 0 < len(window) < 13
    assert count("src_ip:198.51.100.77 source_type:cloudtrail", data_dir, "--since", "2026-11-02T14:04:00Z",
                 "--until", "2026-11-02T14:10:00Z") == len(window)


def test_search_limit_and_order(loaded):
    rows = search_json("", loaded[0], "--limit", "7")
    assert len(rows) == 7
    assert [r["ts"] for r in rows] == sorted((r["ts"] for r in rows), reverse=True)


def test_search_json_rows_carry_common_columns_and_raw(demo, demo_records, loaded):
    rows = search_json(f'"{demo.leaked_key}" source_type:cloudtrail', loaded[0], "--limit", "100")
    assert len(rows) == 36
    by_id = {r["eventID"]: r for r in demo_records}
    for row in rows:
        assert list(row) == COMMON, list(row)
        original = by_id[row["event_id"]]
        assert orjson.loads(row["raw"]) == original
        assert row["source_type"] == "cloudtrail"
        assert row["action"] == original["eventName"]
        assert row["account_id"] == original["recipientAccountId"]
        assert row["region"] == original["awsRegion"]
        assert row["actor"] == original["userIdentity"]["arn"]
        assert row["actor_type"] == original["userIdentity"]["type"]
        assert row["outcome"] == _outcome(original)
        assert row["src_ip"] == _ip(original)
        assert row["ips"] == ([row["src_ip"]] if row["src_ip"] else [])
        assert row["user_agent"] == original["userAgent"]
        assert row["ts"].replace(" ", "T").startswith(original["eventTime"][:19])
        assert row["object"].startswith(str(demo.root))
        assert row["backfill_id"].startswith("bf-")
        assert isinstance(row["principals"], list)


def test_search_csv(loaded):
    proc = run("search", "eventName:CreateUser", "--format", "csv", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    reader = csv.DictReader(io.StringIO(proc.stdout))
    rows = list(reader)
    assert reader.fieldnames == COMMON
    assert len(rows) == 2
    assert {r["action"] for r in rows} == {"CreateUser"}
    assert all(orjson.loads(r["raw"])["eventName"] == "CreateUser" for r in rows)


def test_search_csv_header_does_not_depend_on_matches(loaded):
    """A script reading the CSV gets the same columns whether or not anything matched."""
    proc = run("search", "eventName:NoSuchEventAtAll", "--format", "csv", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.splitlines() == [",".join(COMMON)], proc.stdout


def test_search_into_a_closed_pipe(demo, loaded):
    """`backtrail search ... | head -1`: the reader goes away; no traceback for the user."""
    proc = popen("search", "", "--format", "json", "--limit", "2000", data_dir=loaded[0])
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert orjson.loads(first)["source_type"] in demo.type_objects
    assert "Traceback" not in err, err


def test_search_table(loaded):
    proc = run("search", "eventName:CreateAccessKey", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:2] == ["ts", "source_type"]
    assert "CreateAccessKey" in proc.stdout and "(1 rows)" in proc.stdout


def test_search_syntax_error_is_refused(loaded):
    proc = run("search", '"unbalanced', data_dir=loaded[0])
    assert proc.returncode != 0 and "quote" in proc.stderr, describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)


# --- --since/--until planning ---------------------------------------------------------------------


def _day_objects(root: Path, day: str) -> set[str]:
    """The bucket's objects of one day: in a `YYYY/MM/DD/` folder of it, or (outside dated folders)
    named with it; digests left out."""
    folder, name = f"/{day.replace('-', '/')}/", re.compile(r"\d{4}-\d{2}-\d{2}")
    keys = set()
    for path in root.rglob("*"):
        key = path.relative_to(root).as_posix()
        if not path.is_file() or "CloudTrail-Digest" in key:
            continue
        dated_folder = re.search(r"/\d{4}/\d{2}/\d{2}/", f"/{key}")
        named = name.search(key.rpartition("/")[2])
        if (folder in f"/{key}") if dated_folder else (named is None or named[0] == day):
            keys.add(key)
    return keys


def test_backfill_one_day_only(demo, tmp_path):
    """A one-day range loads that day's objects of every type, and nothing else."""
    data_dir = tmp_path / "data"
    proc = backfill(f"file://{demo.root}", data_dir, "--since", "2026-11-02", "--until", "2026-11-02")
    day = read_records(demo.root, day="2026-11-02")
    assert 0 < len(day) < demo.events
    assert count("source_type:cloudtrail", data_dir) == len(day)
    assert f"{count('', data_dir):,} events loaded" in proc.stdout, describe(proc)
    loaded = run("sql", "SELECT DISTINCT object FROM events", "--format", "json", data_dir=data_dir)
    objects = {orjson.loads(line)["object"] for line in loaded.stdout.splitlines()}
    expected = _day_objects(demo.root, "2026-11-02")
    assert {o[len(str(demo.root)) + 1:] for o in objects} <= expected
    assert status(data_dir)["states"]["done"]["objects"] == len(expected)


def test_dry_run_reports_and_enqueues_nothing(demo, tmp_path):
    data_dir = tmp_path / "data"
    proc = run("backfill", f"file://{demo.root}", "--dry-run", "--json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    report = orjson.loads(proc.stdout)
    files = [p for p in demo.root.rglob("*") if p.is_file()]
    assert (report["objects"], report["bytes"]) == (len(files), sum(p.stat().st_size for p in files))
    assert report["types"]["skipped"] == demo.digest_files and sum(report["types"].values()) == len(files)
    assert report["types"]["cloudtrail"] == demo.objects
    assert report["accounts"] == sorted(demo.accounts) and report["regions"] == sorted(demo.regions)
    assert (report["first_day"], report["last_day"], report["days"]) == (demo.days[0], demo.days[-1], 3)
    assert report["get_requests"] == len(files) and report["list_requests"] >= 1
    assert report["cost_usd"] == pytest.approx(report["list_requests"] * 5e-6 + len(files) * 4e-7, abs=1e-6)
    assert report["eta_s"] > 0 and not data_dir.exists()
    day = run("backfill", f"file://{demo.root}", "--dry-run", "--json", "--since", "2026-11-02", "--until",
              "2026-11-02", data_dir=data_dir)
    assert orjson.loads(day.stdout)["objects"] == len(_day_objects(demo.root, "2026-11-02")), describe(day)
    text = run("backfill", f"file://{demo.root}", "--dry-run", data_dir=data_dir)
    assert "nothing enqueued" in text.stdout and "S3 Standard prices" in text.stdout, describe(text)


# --- sql ------------------------------------------------------------------------------------------


def test_sql_select(demo, loaded):
    proc = run("sql", "SELECT count() AS n FROM events", "--format", "json", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    assert orjson.loads(proc.stdout) == {"n": demo.total_events}
    # raw stays queryable with JSON functions
    proc = run("sql", "SELECT action, JSONExtractString(raw, 'requestParameters', 'policyArn') AS p,"
               " count() AS n FROM events WHERE src_ip = '198.51.100.77' GROUP BY action, p ORDER BY action",
               "--format", "csv", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    rows = {r["action"]: r for r in csv.DictReader(io.StringIO(proc.stdout))}
    assert int(rows["GetObject"]["n"]) == 6
    assert rows["AttachUserPolicy"]["p"] == "arn:aws:iam::aws:policy/AdministratorAccess"


def test_sql_words_in_string_literals_are_not_clauses(loaded):
    """`format` or `settings` inside a string literal (a JSON key, a user agent) is data, not a clause."""
    proc = run("sql", "SELECT count() AS n FROM events WHERE JSONExtractString(raw, 'format') = ''"
               " AND user_agent != 'settings'", "--format", "json", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    assert int(orjson.loads(proc.stdout)["n"]) > 0


REFUSED = {
    "insert": "INSERT INTO events (raw) VALUES ('x')",
    "drop": "DROP TABLE events",
    "system table": "SELECT * FROM system.tables",
    "file()": "SELECT * FROM file('/etc/passwd')",
    "ledger": "SELECT * FROM objects",
    "ledger in a subquery": "SELECT count() FROM events WHERE object IN (SELECT key FROM objects)",
    "two statements": "SELECT 1; SELECT 2",
    "into outfile": "SELECT * FROM events INTO OUTFILE '/tmp/backtrail-e2e-outfile.txt'",
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_sql_refuses(name, loaded):
    proc = run("sql", REFUSED[name], data_dir=loaded[0])
    assert proc.returncode != 0, describe(proc)
    assert "error" in proc.stderr.lower() and proc.stderr.strip(), describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)
    assert not Path("/tmp/backtrail-e2e-outfile.txt").exists()


BYPASSES = {
    # the CTE allowance is read from the SQL text, so a string literal that looks like a CTE
    # makes the guard accept the ledger as a table
    "ledger behind a fake CTE in a string": "SELECT key, reason FROM objects WHERE reason != ', objects AS ('",
    "ledger behind a fake CTE in a comment": "SELECT * FROM objects /* , objects AS ( */",
    # `x IN table` reads a table without a TableExpression in the AST
    "system table as IN's right side": "SELECT 1 AS x WHERE 0 IN system.one",
}


@pytest.mark.parametrize("name", list(BYPASSES))
def test_sql_guard_cannot_be_bypassed(name, loaded):
    proc = run("sql", BYPASSES[name], "--format", "json", data_dir=loaded[0])
    assert proc.returncode != 0, f"guard bypassed ({name}):\n{describe(proc)}"


# --- status ---------------------------------------------------------------------------------------


def test_status(demo, loaded):
    st = status(loaded[0])
    assert st["events_in_store"] == demo.total_events
    assert st["states"]["done"]["objects"] == demo.total_objects
    assert st["states"]["done"]["events"] == demo.total_events
    assert st["states"]["skipped"]["objects"] == demo.digest_files
    assert "failed" not in st["states"]
    assert st["last_errors"] == []
    proc = run("status", data_dir=loaded[0])
    assert proc.returncode == 0, describe(proc)
    assert f"events in store: {demo.total_events:,}" in proc.stdout
    assert f"done: {demo.total_objects:,} objects" in proc.stdout


# --- idempotency (on the shared data dir, after the read-only tests) ------------------------------


def test_rerun_and_overlapping_backfills_add_nothing(demo, loaded):
    """Runs last on the shared data dir: re-runs must leave every count as it was."""
    data_dir = loaded[0]
    url = f"file://{demo.root}"
    again = backfill(url, data_dir)
    assert f"{demo.total_objects + demo.digest_files} already loaded" in again.stdout, describe(again)
    assert " 0 events loaded" in again.stdout, describe(again)
    # a time range overlapping what is loaded
    overlap = backfill(url, data_dir, "--since", "2026-11-02", "--until", "2026-11-02")
    assert "already loaded" in overlap.stdout and " 0 events loaded" in overlap.stdout, describe(overlap)
    # the same objects reached through a deeper prefix
    deeper = backfill(f"{url}/AWSLogs/111111111111/", data_dir)
    assert "already loaded" in deeper.stdout and " 0 events loaded" in deeper.stdout, describe(deeper)
    assert _counts(data_dir) == (demo.total_events, 37, sum(demo.attacker_records.values()), demo.events)
    st = status(data_dir)
    assert st["states"]["done"] == {"objects": demo.total_objects, "events": demo.total_events,
                                    "bytes": st["states"]["done"]["bytes"], "bad_records": 0}
    assert st["events_in_store"] == demo.total_events


# --- bad input ------------------------------------------------------------------------------------


def _rec(case: str, i: int) -> dict:
    return {"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "accountId": "444444444444",
            "arn": f"arn:aws:iam::444444444444:user/{case}-{i}", "userName": f"{case}-{i}"},
            "eventTime": f"2026-11-05T10:{i // 60 % 60:02d}:{i % 60:02d}Z", "eventSource": "s3.amazonaws.com",
            "eventName": f"Case{case.title().replace('-', '')}", "awsRegion": "us-east-1",
            "sourceIPAddress": "192.0.2.44", "userAgent": "e2e", "eventID": f"{case}-{i}",
            "recipientAccountId": "444444444444"}


def _doc(case: str, n: int) -> bytes:
    return json.dumps({"Records": [_rec(case, i) for i in range(n)]}).encode()


def _complete_records(prefix: bytes, case: str, n: int) -> int:
    """How many of the document's records lie wholly inside a prefix of its text."""
    return sum(1 for i in range(n) if json.dumps(_rec(case, i)).encode() in prefix)


ALB_LINE = (b'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 '
            b'10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" '
            b'"curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/'
            b'73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z '
            b'"forward" "-" "-" "10.0.0.1:80" "200" "-" "-"\n')


def _write_case(root: Path, case: str, name: str, body: bytes, digest: bool = False) -> str:
    kind = "CloudTrail-Digest" if digest else "CloudTrail"
    key = f"{case}/AWSLogs/444444444444/{kind}/us-east-1/2026/11/05/{name}"
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return key


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """One bucket holding each kind of bad (and awkward but good) object under its own case dir,
    backfilled once. Returns the facts the tests check."""
    root = tmp_path_factory.mktemp("bad") / "bucket"
    data_dir = root.parent / "data"
    rng = random.Random(5)
    good, damaged, failed, skipped = {}, {}, {}, {}  # key -> records expected in the store

    good[_write_case(root, "good", "good.json.gz", gzip.compress(_doc("good", 10)))] = 10
    failed[_write_case(root, "corrupt-gzip", "c.json.gz", b"\x1f\x8b\x08\x00" + rng.randbytes(600))] = 0

    whole = gzip.compress(_doc("trunc-gzip", 300))
    half = whole[: len(whole) // 2]
    salvageable = _complete_records(gunzip_prefix(half), "trunc-gzip", 300)
    assert 0 < salvageable < 300
    damaged[_write_case(root, "trunc-gzip", "t.json.gz", half)] = salvageable

    lines = [json.dumps(_rec("bad-line", i)) for i in range(6)]
    lines.insert(3, lines[3][: len(lines[3]) // 2])  # a line cut in the middle
    damaged[_write_case(root, "bad-line", "l.json", ("\n".join(lines) + "\n").encode())] = 6

    doc = _doc("trunc-doc", 12)
    eighth = json.dumps(_rec("trunc-doc", 8)).encode()
    cut = doc[: doc.index(eighth) + len(eighth) // 2]  # in the middle of the ninth record
    assert _complete_records(cut, "trunc-doc", 12) == 8
    damaged[_write_case(root, "trunc-doc", "d.json", cut)] = 8

    # the same document cut right after a record's comma: no record is half there, but four are gone
    doc = _doc("cut-between", 12)
    ninth = json.dumps(_rec("cut-between", 8)).encode()
    cut = doc[: doc.index(ninth)]
    assert cut.endswith(b", ") and _complete_records(cut, "cut-between", 12) == 8
    between = _write_case(root, "cut-between", "d.json", cut)

    failed[_write_case(root, "alb-as-cloudtrail", "a.json.gz", gzip.compress(ALB_LINE * 3))] = 0
    skipped[_write_case(root, "empty", "e.json.gz", b"")] = 0
    good[_write_case(root, "zstd", "z.json.zst", zstandard.ZstdCompressor().compress(_doc("zstd", 7)))] = 7
    good[_write_case(root, "bzip2", "b.json.bz2", bz2.compress(_doc("bzip2", 8)))] = 8
    text = _doc("multi-member", 9)
    thirds = (text[:100], text[100:len(text) // 2], text[len(text) // 2:])
    good[_write_case(root, "multi-member", "m.json.gz", b"".join(gzip.compress(t) for t in thirds))] = 9
    skipped[_write_case(root, "digest", "444444444444_CloudTrail-Digest_us-east-1_t_us-east-1_20261105T235800Z.json.gz",
                        gzip.compress(b'{"awsAccountId":"444444444444","logFiles":[]}'), digest=True)] = 0

    proc = backfill(f"file://{root}", data_dir, expect=None)
    objects = run("sql", "SELECT object, count() AS n FROM events GROUP BY object", "--format", "json",
                  data_dir=data_dir)
    assert objects.returncode == 0, describe(objects)
    loaded = {orjson.loads(line)["object"]: int(orjson.loads(line)["n"]) for line in objects.stdout.splitlines()}
    st = status(data_dir)
    text_status = run("status", data_dir=data_dir).stdout
    return dict(root=root, data_dir=data_dir, proc=proc, loaded=loaded, status=st, status_text=text_status,
                good=good, damaged=damaged, failed=failed, skipped=skipped, between=between)


def _name(bad, key: str) -> str:
    return f"{bad['root']}/{key}"


def test_bad_input_exit_code_and_summary(bad):
    proc = bad["proc"]
    assert proc.returncode == 1, describe(proc)
    assert f"{len(bad['failed'])} failed" in proc.stdout, describe(proc)
    assert "objects could not be loaded" in proc.stderr, describe(proc)


def _expected_events(bad) -> int:
    return sum(bad["good"].values()) + sum(bad["damaged"].values()) + 8  # + cut-between's 8


def test_bad_input_good_records_all_loaded(bad):
    for key, n in {**bad["good"], **bad["damaged"], bad["between"]: 8}.items():
        assert bad["loaded"].get(_name(bad, key), 0) == n, (key, bad["loaded"])
    for key in {**bad["failed"], **bad["skipped"]}:
        assert _name(bad, key) not in bad["loaded"], key
    expected = _expected_events(bad)
    assert bad["status"]["events_in_store"] == expected
    assert count("", bad["data_dir"]) == expected


def test_bad_input_objects_are_named(bad):
    """Every object that lost records or failed is named on stderr or in `status`."""
    said = bad["proc"].stderr + bad["status_text"] + "\n".join(bad["status"]["last_errors"])
    for key in {**bad["damaged"], **bad["failed"]}:
        assert key in said, f"{key} not named:\n{said}"
    errors = {line.split(": ", 1)[0]: line for line in bad["status"]["last_errors"]}
    alb = next(k for k in bad["failed"] if "alb" in k)
    assert "CloudTrail" in errors[_name(bad, alb)]
    corrupt = next(k for k in bad["failed"] if "corrupt" in k)
    assert "gzip" in errors[_name(bad, corrupt)]
    # seven lines written: six loaded, one counted bad
    line_file = next(k for k in bad["damaged"] if "bad-line" in k)
    assert "1 bad record" in errors[_name(bad, line_file)]
    # good objects are not reported
    for key in bad["good"]:
        assert key not in said


def test_bad_input_document_cut_between_records_is_reported(bad):
    """`{"Records":[ r1, ..., r8,` with no closing `]}`: the records after the cut are gone, so the
    object must be reported (a bad record in `errors`), not recorded as a clean load."""
    said = bad["proc"].stderr + bad["status_text"]
    assert bad["between"] in said, f"a truncated document was recorded as complete:\n{said}"


def test_bad_input_empty_object_is_named(bad):
    """The issue: 'an empty object: a clear message naming the object'."""
    said = bad["proc"].stderr + bad["proc"].stdout + bad["status_text"]
    empty = next(k for k in bad["skipped"] if "empty" in k)
    assert empty in said, f"the empty object is skipped without a word:\n{said}"


def test_bad_input_ledger_accounts_for_every_object(bad):
    st = bad["status"]["states"]
    assert st["failed"]["objects"] == len(bad["failed"])
    # digests are skipped as expected; an empty object gets a state of its own, shown in status
    assert st["skipped"]["objects"] + st["empty"]["objects"] == len(bad["skipped"])
    assert st["empty"]["objects"] == 1
    assert st["done"]["objects"] == len(bad["good"]) + len(bad["damaged"]) + 1
    assert st["done"]["events"] == _expected_events(bad)
    # each damaged or failed object leaves at least one bad record behind
    assert st["done"]["bad_records"] >= len(bad["damaged"])
    assert st["failed"]["bad_records"] >= len(bad["failed"])


def test_bad_input_errors_table_is_sql_readable(bad):
    """Every malformed record is kept with its object and reason, for `backtrail sql` to read."""
    proc = run("sql", "SELECT object, position, error FROM errors", "--format", "json", data_dir=bad["data_dir"])
    assert proc.returncode == 0, describe(proc)
    rows = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert rows and all(r["object"] and r["error"] for r in rows)
    assert {r["object"].split("/", 1)[1] for r in rows} >= {e.split(": ", 1)[0].split("/", 1)[1]
                                                           for e in bad["status"]["last_errors"]
                                                           if "bad record" in e}


def test_bad_input_rerun_loads_only_the_new_object(bad):
    """A second run adds only a new object's events: no salvaged record twice, failures still reported."""
    _write_case(bad["root"], "new", "n.json.gz", gzip.compress(_doc("new", 5)))
    proc = backfill(f"file://{bad['root']}", bad["data_dir"], expect=None)
    assert proc.returncode == 1, describe(proc)  # the failed objects are tried again, and fail again
    assert "already loaded" in proc.stdout, describe(proc)
    st = status(bad["data_dir"])
    assert st["events_in_store"] == _expected_events(bad) + 5
    assert st["states"]["failed"]["objects"] == len(bad["failed"])
    assert st["states"]["done"]["events"] == _expected_events(bad) + 5


def test_no_bogus_events_from_invalid_json_or_empty_records(tmp_path):
    """A record with balanced braces that is not JSON (a missing comma) must land in `errors`,
    not become an event with empty columns, and must not hide its good neighbours; a document
    with an empty `Records` array holds no event."""
    root, data_dir = tmp_path / "bucket", tmp_path / "data"
    lines = [json.dumps(_rec("lines", i)) for i in range(4)]
    lines.insert(2, '{"eventVersion":"1.08","eventName":"Broken" "eventID":"x"}')
    line_key = _write_case(root, "balanced-line", "l.json", ("\n".join(lines) + "\n").encode())
    doc = _doc("doc", 5).replace(b'"eventName": "CaseDoc", "awsRegion"', b'"eventName": "CaseDoc" "awsRegion"', 1)
    doc_key = _write_case(root, "balanced-doc", "d.json.gz", gzip.compress(doc))
    # and a valid delivery with no records must not become an event either
    empty_key = _write_case(root, "empty-records", "r.json.gz", gzip.compress(b'{"Records":[]}'))
    proc = backfill(f"file://{root}", data_dir, expect=None)
    rows = run("sql", "SELECT object, count() AS n, countIf(event_id = '') AS blank FROM events GROUP BY object",
               "--format", "json", data_dir=data_dir)
    per_object = {orjson.loads(line)["object"]: orjson.loads(line) for line in rows.stdout.splitlines()}
    st = status(data_dir)
    said = proc.stderr + "\n".join(st["last_errors"])
    assert all(int(r["blank"]) == 0 for r in per_object.values()), f"bogus events (no event_id) stored: {per_object}"
    assert int(per_object.get(f"{root}/{line_key}", {"n": 0})["n"]) == 4, f"{per_object}\n{describe(proc)}"
    assert f"{root}/{empty_key}" not in per_object, per_object
    assert line_key in said and doc_key in said, said


# --- missing locations ----------------------------------------------------------------------------


def test_missing_directory(tmp_path):
    missing = tmp_path / "nope" / "deeper"
    proc = run("backfill", f"file://{missing}", data_dir=tmp_path / "data")
    assert proc.returncode == 2, describe(proc)
    assert str(missing) in proc.stderr, describe(proc)
    assert "Traceback" not in proc.stderr


def test_missing_prefix_in_existing_directory(tmp_path):
    (tmp_path / "bucket").mkdir()
    proc = run("backfill", f"file://{tmp_path}/bucket/AWSLogs/", data_dir=tmp_path / "data")
    assert proc.returncode == 2, describe(proc)
    assert "AWSLogs" in proc.stderr and "no objects" in proc.stderr, describe(proc)


def test_file_url_with_a_host_part_is_not_the_current_directory(tmp_path):
    """`file://bucket` (two slashes) must not quietly mean "the current directory": either refuse
    it clearly or read ./bucket, never read ./other."""
    _write_case(tmp_path / "bucket", "ok", "o.json.gz", gzip.compress(_doc("ok", 3)))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("not a log\n")
    proc = run("backfill", "file://bucket", data_dir=tmp_path / "data")  # runs in tmp_path
    if proc.returncode == 2:
        assert "bucket" in proc.stderr, describe(proc)
        return
    st = status(tmp_path / "data")
    assert proc.returncode == 0 and st["events_in_store"] == 3, f"{describe(proc)}\n{st}"
    assert "failed" not in st["states"], st


def test_missing_s3_bucket(moto_url, tmp_path):
    proc = run("backfill", "s3://no-such-backtrail-bucket/AWSLogs/", "--endpoint-url", moto_url,
               data_dir=tmp_path / "data")
    assert proc.returncode == 2, describe(proc)
    assert "no-such-backtrail-bucket" in proc.stderr and "NoSuchBucket" in proc.stderr, describe(proc)
    assert "Traceback" not in proc.stderr


# --- S3 through moto ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_bucket(demo, moto_url):
    import boto3

    s3 = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1")
    name = "acme-cloudtrail-logs"
    s3.create_bucket(Bucket=name)
    for path in sorted(demo.root.rglob("*")):
        if path.is_file():
            s3.put_object(Bucket=name, Key=path.relative_to(demo.root).as_posix(), Body=path.read_bytes())
    return name


def test_s3_backfill_one_day_then_all(demo, s3_bucket, moto_url, tmp_path):
    """`--since/--until` on S3 loads one day; the whole bucket then adds the rest, and the store
    ends up with the same counts as the file:// run. (S3 access, CloudFront and Firehose logs lie
    outside `AWSLogs/`, as AWS delivers them.)"""
    data_dir = tmp_path / "data"
    day = backfill(f"s3://{s3_bucket}/", data_dir, "--endpoint-url", moto_url,
                   "--since", "2026-11-02", "--until", "2026-11-02")
    day_records = read_records(demo.root, day="2026-11-02")
    day_events = count("", data_dir)
    assert f"{day_events:,} events loaded" in day.stdout, describe(day)
    assert count("source_type:cloudtrail", data_dir) == len(day_records)

    proc = backfill(f"s3://{s3_bucket}/", data_dir, "--endpoint-url", moto_url)
    day_files = len(_day_objects(demo.root, "2026-11-02"))
    assert f"{demo.total_events - day_events:,} events loaded ({day_files} already loaded" in proc.stdout, \
        describe(proc)
    assert _counts(data_dir) == (demo.total_events, 37, sum(demo.attacker_records.values()), demo.events)
    st = status(data_dir)
    assert st["states"]["done"]["objects"] == demo.total_objects
    assert st["states"]["skipped"]["objects"] == demo.digest_files
    rows = search_json("eventName:PutBucketPolicy", data_dir)
    assert [r["object"] for r in rows] == [f"{s3_bucket}/{k}" for k in _keys_with(demo.root, "PutBucketPolicy")]


def _keys_with(root: Path, text: str) -> list[str]:
    return [p.relative_to(root).as_posix() for p in event_files(root) if text.encode() in gzip.decompress(p.read_bytes())]


# --- real samples ---------------------------------------------------------------------------------

SAMPLE_DIR = SAMPLES / "cloudtrail" / "elastic-integrations"


@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason=f"real samples not found at {SAMPLE_DIR}")
def test_real_samples(tmp_path):
    root, data_dir = tmp_path / "bucket", tmp_path / "data"
    prefix = root / "AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01"
    prefix.mkdir(parents=True)
    records = []
    for i, path in enumerate(sorted(SAMPLE_DIR.glob("*.log"))):
        body = path.read_bytes()
        records += [orjson.loads(line) for line in body.splitlines() if line.strip()]
        (prefix / f"123456789012_CloudTrail_us-east-1_20260101T000{i}Z_SAMPLE{i:010d}.json.gz").write_bytes(
            gzip.compress(body))
    assert len(records) >= 4
    backfill(f"file://{root}", data_dir)
    rows = search_json("", data_dir, "--limit", "100")
    assert len(rows) == len(records)
    assert sorted(orjson.dumps(orjson.loads(r["raw"]), option=orjson.OPT_SORT_KEYS) for r in rows) == \
        sorted(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) for r in records)

    john = next(r for r in rows if "JohnDoe" in r["raw"])
    assert john["actor"] == "arn:aws:iam::111122223333:user/JohnDoe"
    assert john["actor_type"] == "IAMUser"
    assert john["outcome"] == "success"
    assert john["src_ip"] == "89.160.20.156" and john["ips"] == ["89.160.20.156"]
    assert john["account_id"] == "111122223333" and john["region"] == "us-east-2"
    assert john["ts"].startswith("2014-07-16 15:49:27")

    jane = next(r for r in rows if "JaneDoe" in r["raw"])
    assert jane["outcome"] == "failure" and jane["action"] == "ConsoleLogin"
    assert sorted(r["outcome"] for r in rows if r["action"] == "ConsoleLogin") == ["failure", "failure", "success"]

    role = next(r for r in rows if "RoleToBeAssumed" in r["raw"])
    assert role["actor"] == "arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName"
    assert "AKIAIOSFODNN7EXAMPLE" in role["principals"]

    service = next(r for r in rows if r["actor_type"] == "AWSService")
    assert service["actor"] == "ec2.amazonaws.com"  # invokedBy
    assert service["src_ip"] == "" and service["ips"] == []  # sourceIPAddress is a service name
    assert service["action"] == "AssumeRole" and service["account_id"] == "111111111111"
    assert service["resource"] == "arn:aws:iam::111111111111:role/ec2-instance-role"
    assert "ASIAEXAMPLEEXAMPLE01" in service["principals"]


# --- search while loading -------------------------------------------------------------------------


def test_search_while_loading(tmp_path):
    """Rows are searchable batch by batch while the backfill runs: through the owner's local API
    (polled directly, fast) and through a second CLI invocation that finds that API."""
    root, data_dir = tmp_path / "bucket", tmp_path / "data"
    total = write_synthetic_bucket(root, objects=1500, events_per_object=100)
    proc = popen("backfill", f"file://{root}", data_dir=data_dir)
    server_file = data_dir / "server.json"
    seen: list[int] = []
    cli_counts: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not server_file.exists() and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        info = json.loads(server_file.read_text())
        request = urllib.request.Request(f"{info['url']}/api/count?q=",
                                         headers={"Authorization": f"Bearer {info['token']}"})
        cli = popen("search", "--count", "", data_dir=data_dir)
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                seen.append(json.load(urllib.request.urlopen(request, timeout=10))["count"])
            except OSError:  # the owner closed its API: the backfill is ending
                break
            time.sleep(0.02)
        cli_out, _ = cli.communicate(timeout=60)
        cli_counts.append(int(cli_out.strip()))
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, f"{out}\n{err}"
    assert f"{total:,} events loaded" in out, out
    assert any(0 < n < total for n in seen), f"no partial count seen mid-load: {seen[:5]}…{seen[-5:]}"
    assert seen == sorted(seen), seen
    assert 0 <= cli_counts[0] <= total
    assert count("", data_dir) == total


def test_rewritten_object_replaces_its_events(tmp_path):
    """A key written again (new ETag) replaces its old events instead of adding to them."""
    key = tmp_path / "b/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/x.json.gz"
    key.parent.mkdir(parents=True)
    record = {"eventTime": "2026-11-01T00:00:00Z", "eventName": "A", "eventID": "1"}
    key.write_bytes(gzip.compress(json.dumps({"Records": [record, record]}).encode()))
    data = tmp_path / "data"
    assert run("backfill", f"file://{tmp_path / 'b'}", data_dir=data).returncode == 0
    key.write_bytes(gzip.compress(json.dumps({"Records": [record, record, record]}).encode()))
    os.utime(key, ns=(1, 1))
    assert run("backfill", f"file://{tmp_path / 'b'}", data_dir=data).returncode == 0
    assert run("search", "--count", "", data_dir=data).stdout.strip() == "3"
    status = json.loads(run("status", "--json", data_dir=data).stdout)
    assert status["states"]["superseded"]["objects"] == 1
