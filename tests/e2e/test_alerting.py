"""Detections as data arrives: the worker checks every batch it writes (live and backfill) on
event time, a backfill then checks the rest of the window it covered, and new alerts go to a
webhook as JSON — once."""
from __future__ import annotations

import gzip
import json
import uuid

import boto3
import orjson

from conftest import describe, run
from sources_file import on_endpoint, source, write_sources

ROOT_USE = {"eventVersion": "1.09", "eventTime": "2026-11-04T10:00:00Z", "eventSource": "ec2.amazonaws.com",
            "eventName": "DescribeRegions", "eventType": "AwsApiCall", "awsRegion": "us-east-1",
            "sourceIPAddress": "203.0.113.60", "recipientAccountId": "123456789012",
            "userIdentity": {"type": "Root", "principalId": "123456789012", "accountId": "123456789012",
                             "arn": "arn:aws:iam::123456789012:root"}}
BENIGN = {**ROOT_USE, "eventName": "DescribeInstances",
          "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                           "accountId": "123456789012"}}


def _key(name: str, day: str = "04") -> str:
    return f"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/{day}/123456789012_CloudTrail_us-east-1_{name}.json.gz"


def _object(*records: dict) -> bytes:
    return gzip.compress(json.dumps({"Records": [dict(r, eventID=str(uuid.uuid4())) for r in records]}).encode())


def _alerts(data_dir) -> list[dict]:
    proc = run("alerts", "--json", "--limit", "1000", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return [orjson.loads(line) for line in proc.stdout.splitlines()]


def test_the_live_worker_raises_alerts_as_it_writes_and_posts_them_once(moto_url, tmp_path, webhook):
    url, bodies = webhook
    tag = uuid.uuid4().hex[:8]
    bucket, base = f"alerting-{tag}", f"{moto_url}/123456789012"
    s3 = boto3.client("s3", endpoint_url=moto_url)
    s3.create_bucket(Bucket=bucket)
    config = write_sources(tmp_path / "sources.toml", source(
        "trail", "cloudtrail", f"s3://{bucket}/AWSLogs/", live=f"{base}/live-{tag}", backfill=f"{base}/backfill-{tag}"),
        aws=on_endpoint(moto_url), alerts={"webhook": url})
    assert run("queues", "create", "--config", config).returncode == 0
    body = _object(BENIGN, ROOT_USE, BENIGN)
    s3.put_object(Bucket=bucket, Key=_key("live"), Body=body)
    data = tmp_path / "data"
    worker = run("worker", "--config", config, "--once", data_dir=data)
    assert worker.returncode == 0, describe(worker)
    assert "1 new alert(s)" in worker.stdout, describe(worker)
    [alert] = _alerts(data)
    assert (alert["rule_id"], alert["ts"][:19], alert["backfill_id"]) == \
        ("bt-aws-cloudtrail-root-use", "2026-11-04 10:00:00", "")
    assert [b["count"] for b in bodies] == [1] and bodies[0]["alerts"][0]["rule_id"] == "bt-aws-cloudtrail-root-use"

    # the same records written again (a new version of the key): its events are rewritten, nothing raised twice
    s3.put_object(Bucket=bucket, Key=_key("live"), Body=body)
    again = run("worker", "--config", config, "--once", data_dir=data)
    assert again.returncode == 0 and "0 new alert(s)" in again.stdout, describe(again)
    assert len(_alerts(data)) == 1 and len(bodies) == 1


def test_a_backfill_checks_its_batches_then_the_rest_of_its_window(tmp_path, webhook):
    url, bodies = webhook
    first, second, data = tmp_path / "first", tmp_path / "second", tmp_path / "data"
    for root, name, records in ((first, "a", (ROOT_USE, BENIGN)), (second, "b", (BENIGN,))):
        path = root / _key(name)
        path.parent.mkdir(parents=True)
        path.write_bytes(_object(*records))
    one = run("backfill", f"file://{first}", "--alert-webhook", url, data_dir=data)
    assert one.returncode == 0 and "1 new alert(s)" in one.stdout, describe(one)
    [root_use] = _alerts(data)
    assert root_use["backfill_id"] and root_use["backfill_id"] in one.stdout
    assert [b["alerts"][0]["rule_id"] for b in bodies] == ["bt-aws-cloudtrail-root-use"]

    # a user rule added later: the second backfill's window holds the first one's DescribeInstances too
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "describe.yml").write_text(
        "title: Instances listed\nid: user-describe-instances\nlevel: low\n"
        "logsource: {product: aws, service: cloudtrail}\n"
        "detection: {selection: {eventName: DescribeInstances}, condition: selection}\n")
    two = run("backfill", f"file://{second}", "--rules", str(rules), "--alert-webhook", url, data_dir=data)
    assert two.returncode == 0 and "2 new alert(s)" in two.stdout, describe(two)
    found = [a for a in _alerts(data) if a["rule_id"] == "user-describe-instances"]
    assert sorted(a["object"].rsplit("_", 1)[1] for a in found) == ["a.json.gz", "b.json.gz"]
    assert sum(b["count"] for b in bodies) == 3
