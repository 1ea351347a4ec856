"""`backtrail worker --config`: a sources file, SQS queues on a moto server, live and backfill."""
from __future__ import annotations

import gzip
import json
import signal
import time
import uuid

import boto3
import pytest

from backtrail.demo_data import write_synthetic_bucket
from conftest import count, describe, popen, run
from sources_file import on_endpoint, source, write_sources

RECORD = {"eventTime": "2026-11-04T10:00:00Z", "eventName": "GetObject", "awsRegion": "us-east-1",
          "sourceIPAddress": "203.0.113.77", "recipientAccountId": "123456789012",
          "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/w"}}


def _key(name: str) -> str:
    return f"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/04/123456789012_CloudTrail_us-east-1_{name}.json.gz"


def _body(n: int, tag: str) -> bytes:
    return gzip.compress(json.dumps({"Records": [dict(RECORD, eventID=f"{tag}-{i}") for i in range(n)]}).encode())


@pytest.fixture
def aws(moto_url, tmp_path):
    """A bucket and a sources file naming live and backfill SQS queues on the moto server."""
    tag = uuid.uuid4().hex[:8]
    bucket = f"trail-{tag}"
    boto3.client("s3", endpoint_url=moto_url).create_bucket(Bucket=bucket)
    base = f"{moto_url}/123456789012"
    config = write_sources(tmp_path / "sources.toml", source(
        "trail", "cloudtrail", f"s3://{bucket}/AWSLogs/", live=f"{base}/live-{tag}", backfill=f"{base}/backfill-{tag}",
        max_receives=2), aws=on_endpoint(moto_url), worker={"visibility_timeout": 30})
    return {"bucket": bucket, "config": config, "data": tmp_path / "data", "tag": tag, "moto": moto_url,
            "live": f"{base}/live-{tag}"}


def test_sns_wired_bucket_backfill_and_dead_letters(aws):
    s3 = boto3.client("s3", endpoint_url=aws["moto"])
    sqs = boto3.client("sqs", endpoint_url=aws["moto"])
    setup = run("queues", "create", "--config", aws["config"], "--notify", "sns")
    assert setup.returncode == 0, describe(setup)
    assert "dead letters" in setup.stdout and "-> arn:aws:sns" in setup.stdout, setup.stdout

    # live: an object put into the bucket arrives through SNS on the live queue
    s3.put_object(Bucket=aws["bucket"], Key=_key("live"), Body=_body(3, "live"))
    # an EventBridge-shaped notification and a poison message, straight onto the live queue
    s3.put_object(Bucket=aws["bucket"], Key=_key("eb"), Body=_body(2, "eb"))
    sqs.send_message(QueueUrl=aws["live"], MessageBody=json.dumps({
        "version": "0", "detail-type": "Object Created", "source": "aws.s3", "time": "2026-11-04T10:00:00Z",
        "detail": {"bucket": {"name": aws["bucket"]}, "object": {"key": _key("eb"), "size": 10, "etag": "e"}}}))
    sqs.send_message(QueueUrl=aws["live"], MessageBody="poison: not a notification")
    worker = run("worker", "--config", aws["config"], "--once", data_dir=aws["data"])
    assert worker.returncode == 0, describe(worker)
    assert count("src_ip:203.0.113.77", aws["data"]) == 5  # the eb object arrived twice: once loaded

    dead = run("dlq", "list", "trail", "--config", aws["config"], "--data-dir", aws["data"])
    assert dead.returncode == 0, describe(dead)
    assert "poison: not a notification" in dead.stdout, dead.stdout
    back = run("dlq", "redrive", "trail", "--config", aws["config"], "--data-dir", aws["data"])
    assert "1 messages sent back" in back.stdout, describe(back)

    # backfill through the source's backfill queue: nothing loaded twice, new objects loaded
    s3.put_object(Bucket=aws["bucket"], Key=_key("old"), Body=_body(4, "old"))
    bf = run("backfill", "--config", aws["config"], "--source", "trail", data_dir=aws["data"])
    assert bf.returncode == 0, describe(bf)
    assert count("src_ip:203.0.113.77", aws["data"]) == 9


def test_bad_sources_file_is_refused_before_anything(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text('[[sources]]\nname = "t"\ntype = "cloudtrail"\nobjects = "s3://b-b-b/"\nqueus = []\n')
    proc = run("worker", "--config", config, "--once", data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "sources.toml" in proc.stderr and "queus" in proc.stderr, describe(proc)
    assert not (tmp_path / "data").exists()


def test_sigterm_mid_backfill_loses_and_doubles_nothing(tmp_path):
    """SIGTERM: the worker finishes its batch and exits 0; a second run loads the rest exactly."""
    root = tmp_path / "bucket"
    total = write_synthetic_bucket(root, objects=800, events_per_object=200)
    queue_db = tmp_path / "q.db"
    config = write_sources(tmp_path / "sources.toml", source(
        "syn", "cloudtrail", f"file://{root}", live=f"sqlite://{queue_db}?name=syn-live",
        backfill=f"sqlite://{queue_db}?name=syn-backfill"))
    data = tmp_path / "data"
    # enqueue only: a worker that owns the store is running, so the backfill hands over to it
    proc = popen("worker", "--config", config, data_dir=data)
    deadline = time.monotonic() + 60
    while not (data / "server.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    queued = run("backfill", "--config", config, data_dir=data)
    assert queued.returncode == 0 and "queued 800 objects" in queued.stdout, describe(queued)
    while count("", data) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    rest = run("worker", "--config", config, "--once", data_dir=data)
    assert rest.returncode == 0, describe(rest)
    first, second = (int(text.split(" objects")[0].split()[-1]) for text in (out, rest.stdout))
    redelivered = int(rest.stdout.split(" already loaded")[0].split("(")[-1])
    # every object loaded once, by one of the two; one written but not yet acked comes back as "already loaded"
    assert first + second + redelivered == 800, (out, err, rest.stdout, rest.stderr)
    assert count("", data) == total
