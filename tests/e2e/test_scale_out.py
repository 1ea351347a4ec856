"""Scale-out: three `backtrail worker` processes share SQS queues (a moto server) and one
ClickHouse store (ClickHouse's HTTP interface over chDB, a fixture process) during a backfill.

Some objects are also announced twice on the live queue, so workers race on them. Every event
lands exactly once, `status` — computed from the shared ledger — says so, and the job ends
once (one webhook post, though every worker settles it)."""
from __future__ import annotations

import gzip
import json
import signal
import time
import uuid

import boto3
import orjson
import pytest

from clickhouse_http import ClickHouseHttp
from conftest import describe, popen, run
from sources_file import on_endpoint, source, write_sources

OBJECTS, EVENTS = 24, 25
RECORD = {"eventTime": "2026-11-04T10:00:00Z", "eventName": "GetObject", "awsRegion": "us-east-1",
          "sourceIPAddress": "203.0.113.88", "recipientAccountId": "123456789012",
          "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/s"}}


def _key(i: int) -> str:
    return f"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/04/123456789012_CloudTrail_us-east-1_{i:03d}.json.gz"


@pytest.fixture
def shared(moto_url, tmp_path):
    """A bucket of OBJECTS x EVENTS CloudTrail events, SQS queues, and a fresh ClickHouse database."""
    tag = uuid.uuid4().hex[:8]
    bucket = f"scale-{tag}"
    s3 = boto3.client("s3", endpoint_url=moto_url)
    s3.create_bucket(Bucket=bucket)
    for i in range(OBJECTS):
        body = {"Records": [dict(RECORD, eventID=f"{tag}-{i}-{j}") for j in range(EVENTS)]}
        s3.put_object(Bucket=bucket, Key=_key(i), Body=gzip.compress(json.dumps(body).encode()))
    base = f"{moto_url}/123456789012"
    config = write_sources(tmp_path / "sources.toml", source(
        "trail", "cloudtrail", f"s3://{bucket}/AWSLogs/", live=f"{base}/live-{tag}", backfill=f"{base}/backfill-{tag}"),
        aws=on_endpoint(moto_url), worker={"visibility_timeout": 30, "threads": 1})
    with ClickHouseHttp(str(tmp_path / "clickhouse")) as server:
        yield {"bucket": bucket, "config": config, "store": f"{server.url}/scale_{tag}", "moto": moto_url,
               "live": f"{base}/live-{tag}", "tag": tag, "tmp": tmp_path}


def _notification(s3, bucket: str, key: str) -> str:
    """What S3 sends for the object: with its ETag, so it names the version the backfill lists."""
    head = s3.head_object(Bucket=bucket, Key=key)
    return json.dumps({"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                                    "eventTime": "2026-11-04T10:00:00Z", "s3": {"bucket": {"name": bucket}, "object": {
                                        "key": key, "size": head["ContentLength"], "eTag": head["ETag"].strip('"')}}}]})


def _status(shared) -> dict:
    proc = run("status", "--json", "--store", shared["store"], data_dir=shared["tmp"] / "cli")
    assert proc.returncode == 0, describe(proc)
    return orjson.loads(proc.stdout)


def test_three_workers_share_queues_and_store(shared, webhook):
    url, bodies = webhook
    setup = run("queues", "create", "--config", shared["config"])
    assert setup.returncode == 0, describe(setup)
    sqs, s3 = boto3.client("sqs", endpoint_url=shared["moto"]), boto3.client("s3", endpoint_url=shared["moto"])
    for i in range(0, OBJECTS, 3):  # a third of the objects announced live too, twice: raced for
        for _ in range(2):
            sqs.send_message(QueueUrl=shared["live"], MessageBody=_notification(s3, shared["bucket"], _key(i)))
    workers = [popen("worker", "--config", shared["config"], "--store", shared["store"],
                     data_dir=shared["tmp"] / f"w{n}") for n in range(3)]
    try:
        backfill = run("backfill", "--config", shared["config"], "--store", shared["store"], "--enqueue-only",
                       "--notify", url, data_dir=shared["tmp"] / "cli")
        assert backfill.returncode == 0, describe(backfill)
        deadline = time.monotonic() + 240  # a bound on a hang, not a speed requirement
        while (done := _status(shared)["states"].get("done", {}).get("objects", 0)) < OBJECTS:
            assert all(w.poll() is None for w in workers), "a worker exited early"
            assert time.monotonic() < deadline, f"{done} of {OBJECTS} objects loaded"
            time.sleep(0.5)
        time.sleep(2)  # let the workers finish what else they hold (duplicates of loaded objects)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        outputs = [w.communicate(timeout=60) for w in workers]
    for w, (out, err) in zip(workers, outputs):
        assert w.returncode == 0, f"exit {w.returncode}\n{out}\n{err[-3000:]}"
    loaded = [int(out.split(" objects")[0].split()[-1]) for out, _ in outputs]
    assert sum(1 for n in loaded if n) >= 2, f"the work was not shared: {loaded}"

    sql = run("sql", "--store", shared["store"], "--format", "json",
              "SELECT count() AS n, uniqExact(event_id) AS ids, uniqExact(object) AS objects FROM events",
              data_dir=shared["tmp"] / "cli")
    assert sql.returncode == 0, describe(sql)
    assert {k: int(v) for k, v in orjson.loads(sql.stdout).items()} == {
        "n": OBJECTS * EVENTS, "ids": OBJECTS * EVENTS, "objects": OBJECTS}
    status = _status(shared)
    assert status["events_in_store"] == OBJECTS * EVENTS
    assert status["states"]["done"]["objects"] == OBJECTS
    assert status["states"]["done"]["events"] == OBJECTS * EVENTS
    assert set(status["states"]) <= {"done", "skipped"}, status["states"]
    # every worker settles the job's end; one of them ends it: one summary to the webhook
    assert [b["state"] for b in bodies] == ["done"], bodies
