"""`backtrail scale` and `backtrail iam-policy` as a user runs them: real queues (moto SQS, the
embedded queue), a moto S3 bucket with and without SSE-KMS, policies checked by moto's IAM."""
from __future__ import annotations

import json
import re
import urllib.request
import uuid
from datetime import datetime, timezone

import boto3
import pytest

from backtrail.adapters.sqlite_queue import SqliteQueue
from conftest import describe, run
from sources_file import on_endpoint, source, write_sources


def _json(proc) -> dict:
    assert proc.returncode == 0, describe(proc)
    return json.loads(proc.stdout)


@pytest.fixture
def sqs_config(moto_url, tmp_path):
    tag = uuid.uuid4().hex[:8]
    sqs = boto3.client("sqs", endpoint_url=moto_url)
    live = sqs.create_queue(QueueName=f"live-{tag}")["QueueUrl"]
    backfill = sqs.create_queue(QueueName=f"backfill-{tag}")["QueueUrl"]
    config = write_sources(tmp_path / "sources.toml",
                           source("trail", "cloudtrail", f"s3://trail-{tag}/AWSLogs/", live=live, backfill=backfill),
                           aws=on_endpoint(moto_url),
                           scaling={"max_workers": 20, "objects_per_worker_s": 1, "drain_within": 600})
    return {"config": config, "live": live, "backfill": backfill, "tag": tag, "sqs": sqs, "moto": moto_url}


def test_scale_over_sqs_uses_cloudwatch_age_where_it_has_one(sqs_config) -> None:
    sqs, c = sqs_config["sqs"], sqs_config
    for url, n in ((c["live"], 5), (c["backfill"], 30)):
        for start in range(0, n, 10):
            sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "{}"}
                                                          for i in range(start, min(n, start + 10))])
    report = _json(run("scale", "--config", c["config"], "--json"))
    source = report["sources"][0]
    assert source["source"] == "trail" and source["backlog_objects"] == 5 + 30 * 50
    by_role = {q["role"]: q for q in source["queues"]}
    assert (by_role["live"]["visible"], by_role["backfill"]["visible"]) == (5, 30)
    assert by_role["backfill"]["oldest_age_from"] is None  # CloudWatch has nothing on this queue yet
    assert source["desired"] == 3  # 1,505 objects within 600 s at 1 object/s per worker: 2.5
    assert report["policy"]["keda_queue_length"] == 12  # 1 object/s × 600 s / 50 objects per message

    # what SQS publishes every minute: the backfill's oldest message is 500 s old
    boto3.client("cloudwatch", endpoint_url=c["moto"]).put_metric_data(Namespace="AWS/SQS", MetricData=[{
        "MetricName": "ApproximateAgeOfOldestMessage", "Value": 500.0, "Unit": "Seconds",
        "Dimensions": [{"Name": "QueueName", "Value": f"backfill-{c['tag']}"}],
        "Timestamp": datetime.now(timezone.utc)}])
    proc = run("scale", "--config", c["config"])
    assert proc.returncode == 0, describe(proc)
    # 100 s left of 600: a quarter of it (150 s) is the least a backlog gets → 1,505 / 150 = 10.03
    assert re.search(r"^trail: 11 worker\(s\), backlog ~1,505 objects: .*oldest message 500 s old", proc.stdout,
                     re.M), proc.stdout
    assert re.search(r"live .*oldest unknown \(no CloudWatch data\)", proc.stdout), proc.stdout
    assert re.search(r"backfill .*visible +30 .*oldest 500 s", proc.stdout), proc.stdout
    assert "overall: 11 worker(s)" in proc.stdout


def test_scale_names_a_missing_queue(moto_url, tmp_path) -> None:
    config = write_sources(tmp_path / "sources.toml", source(
        "gone", "cloudtrail", "s3://gone-bucket/", backfill=f"{moto_url}/123456789012/never-created-{uuid.uuid4().hex[:6]}"),
        aws=on_endpoint(moto_url))
    proc = run("scale", "--config", config)
    assert proc.returncode == 2 and "does not exist" in proc.stderr, describe(proc)


def test_scale_over_the_embedded_queue_with_watch(tmp_path) -> None:
    db = tmp_path / "queues.db"
    config = write_sources(tmp_path / "sources.toml",
                           source("alb", "alb", f"file://{tmp_path}/bucket", backfill=f"sqlite://{db}?name=alb-backfill"),
                           source("idle", "cloudtrail", f"file://{tmp_path}/bucket", live=f"sqlite://{db}?name=idle-live"),
                           scaling={"min_workers": 2, "max_workers": 9, "objects_per_worker_s": 2})
    SqliteQueue(str(db), "alb-backfill").send(["{}"] * 72)  # 3,600 objects: 2 workers at 2/s take 900 s
    proc = run("scale", "--config", config, "--json", "--watch", "--samples", "2", "--interval", "0.2")
    assert proc.returncode == 0, describe(proc)
    reports = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(reports) == 2
    for report in reports:
        alb, idle = report["sources"]
        assert (alb["source"], alb["backlog_objects"], idle["source"], idle["backlog_objects"]) == ("alb", 3600, "idle", 0)
        assert alb["queues"][0]["oldest_age_from"] == "queue" and alb["queues"][0]["oldest_age_s"] > 0
        assert alb["desired"] == 3  # 3,600 / (2 × under 900 s) is just over 2
        assert idle["desired"] == 2 and idle["reason"].startswith(("queues empty", "holding 2"))
        assert report["overall"]["desired"] == 3
    assert reports[1]["sources"][0]["reason"].startswith("holding 3")


# --- iam-policy ---------------------------------------------------------------------------------------

@pytest.fixture
def buckets(moto_url):
    tag = uuid.uuid4().hex[:8]
    s3, kms = boto3.client("s3", endpoint_url=moto_url), boto3.client("kms", endpoint_url=moto_url)
    key = kms.create_key(Description="log key")["KeyMetadata"]
    kms.create_alias(AliasName=f"alias/logs-{tag}", TargetKeyId=key["KeyId"])
    sealed, plain = f"sealed-{tag}", f"plain-{tag}"
    for b in (sealed, plain):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_encryption(Bucket=sealed, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": f"alias/logs-{tag}"},
        "BucketKeyEnabled": True}]})
    return {"sealed": sealed, "plain": plain, "key_arn": key["Arn"], "moto": moto_url, "tag": tag}


def _statements(policy: dict) -> dict[str, dict]:
    assert policy["Version"] == "2012-10-17"
    sids = [s["Sid"] for s in policy["Statement"]]
    assert len(set(sids)) == len(sids) and all(re.fullmatch(r"[A-Za-z0-9]+", s) for s in sids), sids
    for s in policy["Statement"]:
        assert s["Effect"] == "Allow" and s["Action"] and s["Resource"], s
    return {s["Sid"]: s for s in policy["Statement"]}


def _accepted_by_iam(moto: str, permissions: dict, trust: dict | None = None) -> None:
    """moto's IAM validates policy grammar as IAM does (a malformed document is refused)."""
    iam = boto3.client("iam", endpoint_url=moto)
    name = f"backtrail-{uuid.uuid4().hex[:8]}"
    iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(permissions))
    if trust is not None:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))


def test_iam_policy_for_an_sse_kms_bucket_grants_decrypt_on_its_key(buckets) -> None:
    b = buckets
    docs = _json(run("iam-policy", "--bucket", b["sealed"], "--prefix", "AWSLogs/", "--prefix", "CloudFront/",
                     "--queue", "arn:aws:sqs:us-east-1:123456789012:trail-live",
                     "--backfill-queue", "arn:aws:sqs:us-east-1:123456789012:trail-backfill",
                     "--endpoint-url", b["moto"], "--region", "us-east-1", "--json"))
    st = _statements(docs["permissions_policy"])
    assert st["ListLogs1"]["Action"] == "s3:ListBucket" and st["ListLogs1"]["Resource"] == f"arn:aws:s3:::{b['sealed']}"
    assert st["ListLogs1"]["Condition"] == {"StringLike": {"s3:prefix": ["AWSLogs/*", "CloudFront/*"]}}
    assert st["ReadLogs1"] == {"Sid": "ReadLogs1", "Effect": "Allow", "Action": "s3:GetObject", "Resource": [
        f"arn:aws:s3:::{b['sealed']}/AWSLogs/*", f"arn:aws:s3:::{b['sealed']}/CloudFront/*"]}
    assert st["DecryptLogs"]["Action"] == "kms:Decrypt"
    assert st["DecryptLogs"]["Resource"] == [b["key_arn"]]  # the alias, resolved to its key
    assert st["DecryptLogs"]["Condition"] == {"StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}}
    assert st["ConsumeLiveQueues"]["Action"] == ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                                                 "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    assert st["ConsumeBackfillQueues"]["Action"] == st["ConsumeLiveQueues"]["Action"] + ["sqs:SendMessage"]
    assert st["ConsumeBackfillQueues"]["Resource"] == ["arn:aws:sqs:us-east-1:123456789012:trail-backfill"]
    assert "trust_policy" not in docs
    _accepted_by_iam(b["moto"], docs["permissions_policy"])


def test_iam_policy_without_sse_kms_has_no_kms_and_a_trust_policy_for_the_account(buckets) -> None:
    b = buckets
    proc = run("iam-policy", "--bucket", b["plain"], "--role-for-account", "111122223333", "--external-id",
               "incident-42", "--endpoint-url", b["moto"], "--region", "us-east-1")
    assert proc.returncode == 0, describe(proc)
    assert "# permissions policy" in proc.stdout and "# trust policy of that role: lets 111122223333" in proc.stdout
    permissions, trust = (json.loads(doc) for doc in re.findall(r"^\{.*?^\}", proc.stdout, re.M | re.S))
    st = _statements(permissions)
    assert set(st) == {"ListLogs1", "ReadLogs1"}  # no kms:*, no sqs:* without queues
    assert "Condition" not in st["ListLogs1"] and st["ReadLogs1"]["Resource"] == [f"arn:aws:s3:::{b['plain']}/*"]
    assert "kms:" not in proc.stdout
    assert trust["Statement"] == [{"Sid": "BacktrailAssumeRole", "Effect": "Allow",
                                   "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
                                   "Condition": {"StringEquals": {"sts:ExternalId": "incident-42"}}}]
    assert "default encryption none" in proc.stderr
    _accepted_by_iam(b["moto"], permissions, trust)
    common = ("--bucket", b["plain"], "--endpoint-url", b["moto"], "--region", "us-east-1")
    alone = _json(run("iam-policy", *common, "--role-for-account", "111122223333", "--external-id", "incident-42",
                      "--only", "trust"))
    assert alone == trust  # a bare document, for `aws iam create-role --assume-role-policy-document file://…`
    assert _json(run("iam-policy", *common, "--only", "permissions")) == permissions
    refused = run("iam-policy", *common, "--only", "trust")
    assert refused.returncode == 2 and "--only trust needs --role-for-account" in refused.stderr, describe(refused)


def test_iam_policy_from_a_sources_file_names_its_queues_as_sqs_knows_them(buckets, tmp_path) -> None:
    b = buckets
    sqs = boto3.client("sqs", endpoint_url=b["moto"])
    urls = {role: sqs.create_queue(QueueName=f"{role}-{b['tag']}")["QueueUrl"] for role in ("live", "backfill")}
    config = write_sources(tmp_path / "sources.toml", source(
        "trail", "cloudtrail", f"s3://{b['sealed']}/AWSLogs/", live=urls["live"], backfill=urls["backfill"]),
        aws=on_endpoint(b["moto"]))
    docs = _json(run("iam-policy", "--config", config, "--json"))
    st = _statements(docs["permissions_policy"])
    arn = {role: sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
           for role, u in urls.items()}
    assert st["ConsumeLiveQueues"]["Resource"] == [arn["live"]]
    assert st["ConsumeBackfillQueues"]["Resource"] == [arn["backfill"]]
    assert st["CountDeadLetters"]["Resource"] == sorted(f"{a}-dlq" for a in arn.values())
    assert st["ListLogs1"]["Condition"] == {"StringLike": {"s3:prefix": ["AWSLogs/*"]}}
    assert st["DecryptLogs"]["Resource"] == [b["key_arn"]]
    _accepted_by_iam(b["moto"], docs["permissions_policy"])


def test_iam_policy_names_a_missing_bucket(moto_url) -> None:
    proc = run("iam-policy", "--bucket", f"missing-{uuid.uuid4().hex[:8]}", "--endpoint-url", moto_url,
               "--region", "us-east-1")
    assert proc.returncode == 2 and "missing-" in proc.stderr and "NoSuchBucket" in proc.stderr, describe(proc)


def test_serve_exports_desired_workers_on_metrics(tmp_path) -> None:
    from test_serve import TOKEN, _free_port, start_serve, stop

    config = write_sources(tmp_path / "sources.toml", source(
        "trail", "cloudtrail", f"file://{tmp_path}/bucket", live=f"sqlite://{tmp_path}/queues.db?name=trail-live"),
        scaling={"min_workers": 2, "objects_per_worker_s": 7})
    port = _free_port()
    proc, _ = start_serve(tmp_path / "data", "--port", str(port), "--config", str(config))
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=60) as resp:
            metrics = resp.read().decode()
    finally:
        stop(proc)
    assert re.search(r'^backtrail_desired_workers\{source="trail"\} 2$', metrics, re.M), metrics
    assert re.search(r"^backtrail_desired_workers_overall 2$", metrics, re.M), metrics
    assert re.search(r'^backtrail_backlog_objects\{source="trail"\} 0$', metrics, re.M), metrics
    assert re.search(r"^backtrail_worker_objects_per_second 7$", metrics, re.M), metrics
    assert "# TYPE backtrail_fetch_concurrency gauge" in metrics
