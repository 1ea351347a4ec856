"""Faults from outside: S3 and SQS answering 500, 503 SlowDown, resets, broken bodies and delays past
the client's timeout (through fault_proxy.FaultProxy in front of the moto server), the S3 endpoint
going away and coming back, and the data directory's disk filling up. Every run ends with the corpus
loaded exactly once.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from backtrail.backfill.jobs import FINAL
from backtrail.demo_data import write_synthetic_bucket
from fault_proxy import FaultProxy, is_s3, is_s3_get, is_sqs
from moto_server import MotoServer, free_port
from relkit import Child, cli, corpus_ids, describe, exactly_once, inspect, record, scale, sql, status
from sources_file import on_endpoint, source, write_sources


def _upload(s3, bucket: str, root: Path) -> int:
    n = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        s3.put_object(Bucket=bucket, Key=path.relative_to(root).as_posix(), Body=path.read_bytes())
        n += 1
    return n


@pytest.fixture
def s3_corpus(moto_url, tmp_path, rng):
    """A CloudTrail corpus written locally and uploaded to a fresh bucket on the moto server."""
    objects = scale(40, 300)
    root = tmp_path / "corpus"
    write_synthetic_bucket(root, objects, 20, seed=rng.randrange(1 << 30))
    bucket = f"faults-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client("s3", endpoint_url=moto_url)
    s3.create_bucket(Bucket=bucket)
    _upload(s3, bucket, root)
    return {"root": root, "bucket": bucket, "objects": objects, "ids": corpus_ids(root)}


def _check(data, corpus) -> dict:
    found = exactly_once(data, corpus["ids"])
    assert (found["events_lost"], found["events_doubled"], found["events_unknown"]) == (0, 0, 0), found
    st = status(data)
    assert set(st["states"]) == {"done"} and st["states"]["done"]["objects"] == corpus["objects"], st["states"]
    return found


def test_backfill_through_a_faulty_s3_loads_everything_once(s3_corpus, moto_url, tmp_path, rng):
    """A quarter of S3 requests fail (500, 503 SlowDown, reset, body cut mid-way) and the first GETs
    fail more often than the client retries: those objects come back through the queue, logged."""
    with FaultProxy(moto_url, seed=rng.randrange(1 << 30)) as proxy:
        proxy.fail_next(12, "500", match=is_s3_get)  # more than botocore's 8 attempts: the worker retries
        proxy.fail_fraction(0.25, ("500", "503", "reset", "cut"), match=is_s3)
        proc = cli("backfill", f"s3://{s3_corpus['bucket']}/", "--endpoint-url", proxy.url, data_dir=tmp_path / "data")
        injected = dict(proxy.injected)
    assert proc.returncode == 0, describe(proc)
    assert "will retry" in proc.stderr, describe(proc)  # the retries are visible
    assert sum(injected.values()) >= 12, injected
    found = _check(tmp_path / "data", s3_corpus)
    record("faults: S3 errors during a backfill", runs=1, faults_injected=sum(injected.values()), by_kind=injected,
           events=len(s3_corpus["ids"]), events_lost=found["events_lost"], events_doubled=found["events_doubled"])


def test_live_worker_through_faulty_sqs_and_s3(s3_corpus, moto_url, tmp_path, rng):
    """The live queue and the bucket behind one proxy failing a fifth of all requests: every
    notification is loaded once, none is deleted before its rows are written."""
    tag = uuid.uuid4().hex[:8]
    sqs = boto3.client("sqs", endpoint_url=moto_url)
    queue = sqs.create_queue(QueueName=f"live-{tag}")["QueueUrl"]
    s3 = boto3.client("s3", endpoint_url=moto_url)
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=s3_corpus["bucket"])
            for o in page.get("Contents", [])]
    for start in range(0, len(keys), 10):
        sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": json.dumps({"Records": [{
            "eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
            "eventTime": "2026-11-04T10:00:00.000Z", "s3": {"bucket": {"name": s3_corpus["bucket"]},
                                                            "object": {"key": key, "size": 1}}}]})}
            for i, key in enumerate(keys[start:start + 10])])
    with FaultProxy(moto_url, seed=rng.randrange(1 << 30)) as proxy:
        config = write_sources(tmp_path / "sources.toml", source(
            "trail", "cloudtrail", f"s3://{s3_corpus['bucket']}/", live=queue, max_receives=100),
            aws=on_endpoint(proxy.url), worker={"visibility_timeout": 30})
        proxy.fail_fraction(0.2, ("500", "503", "reset"), match=is_sqs)  # before the request reaches SQS
        proxy.fail_fraction(0.2, ("500", "503", "reset", "cut"), match=is_s3)
        proc = cli("worker", "--config", config, "--once", data_dir=tmp_path / "data")
        injected = dict(proxy.injected)
    assert proc.returncode == 0, describe(proc)
    found = _check(tmp_path / "data", s3_corpus)
    record("faults: SQS + S3 errors under a live worker", runs=1, faults_injected=sum(injected.values()),
           by_kind=injected, events=len(s3_corpus["ids"]), events_lost=found["events_lost"],
           events_doubled=found["events_doubled"])


def test_s3_endpoint_restarted_mid_backfill(moto_url, tmp_path, rng):  # moto_url: fake credentials in the env
    """A moto server of this test's own is stopped while a backfill reads it, and started again (its
    state put back while clients still get resets); the backfill retries and loads everything once."""
    objects = scale(80, 300)
    root = tmp_path / "corpus"
    write_synthetic_bucket(root, objects, 20, seed=rng.randrange(1 << 30))
    corpus = {"objects": objects, "ids": corpus_ids(root)}
    port, bucket = free_port(), "restarted"
    server = MotoServer(port).start()
    try:
        s3 = boto3.client("s3", endpoint_url=server.url)
        s3.create_bucket(Bucket=bucket)
        _upload(s3, bucket, root)
        outages = 0
        with FaultProxy(server.url, seed=1) as proxy:
            child = Child("backfill", f"s3://{bucket}/", "--endpoint-url", proxy.url, data_dir=tmp_path / "data",
                          logs=tmp_path / "logs", extra_env={"BACKTRAIL_PLAN_PAGE": "10"})
            for outage in range(scale(1, 3)):
                # event-driven, not timed: the outage starts once a share of the objects was fetched
                while proxy.seen["s3 get"] < (outage + 1) * objects // (scale(1, 3) + 2) and child.wait(0.05) is None:
                    pass
                if child.returncode is not None:
                    break
                proxy.fail_fraction(1.0, ("reset",))  # the endpoint is down: nothing answers
                server.stop()
                time.sleep(rng.uniform(1.0, 3.0))
                server = MotoServer(port).start()
                s3 = boto3.client("s3", endpoint_url=server.url)
                s3.create_bucket(Bucket=bucket)
                _upload(s3, bucket, root)  # the same bytes: the same ETags
                proxy.clear()
                outages += 1
            assert child.wait(600) == 0, child.describe()
            resets = proxy.injected["reset"]
    finally:
        server.stop()
    assert outages >= 1 and resets >= 1, ("the backfill ended before the endpoint could be restarted", outages, resets)
    found = _check(tmp_path / "data", corpus)
    record("faults: S3 endpoint restarted mid-run", runs=1, restarts=outages, requests_reset=resets,
           events=len(corpus["ids"]), events_lost=found["events_lost"], events_doubled=found["events_doubled"])


def test_read_timeouts_in_a_live_worker(store, moto_url, tmp_path, rng):
    """GETs answered later than the S3 client's read timeout (1 s here, through the adapters' own
    `client=` parameter): the worker hands the message back, loads it on a later delivery, once."""
    from backtrail.adapters.s3_objects import S3Objects
    from backtrail.adapters.sqlite_queue import SqliteQueue
    from backtrail.ingest.worker import Source, Worker
    from backtrail.logtypes import notifications
    from backtrail.core.records import ObjectInfo

    root = tmp_path / "corpus"
    write_synthetic_bucket(root, 12, 10, seed=rng.randrange(1 << 30))
    bucket = f"timeouts-{uuid.uuid4().hex[:8]}"
    direct = boto3.client("s3", endpoint_url=moto_url)
    direct.create_bucket(Bucket=bucket)
    _upload(direct, bucket, root)
    infos = [ObjectInfo(bucket, o["Key"], o["Size"], o["ETag"].strip('"'))
             for o in direct.list_objects_v2(Bucket=bucket)["Contents"]]
    queue = SqliteQueue(str(tmp_path / "queue.db"), "live", max_receives=20)
    queue.send(list(notifications.fabricate_batches(infos, "", max_records=3)))
    with FaultProxy(moto_url, seed=2, delay_s=2.5) as proxy:
        client = boto3.client("s3", endpoint_url=proxy.url, config=Config(
            read_timeout=1, connect_timeout=1, retries={"mode": "standard", "total_max_attempts": 1}))
        proxy.fail_next(6, "delay", match=is_s3_get)
        worker = Worker(store, [Source("timeouts", "cloudtrail", live=[queue])],
                        lambda b: S3Objects(b, client=client), visibility_s=30)
        progress = worker.run(until=lambda: True, threads=2)
        delayed = proxy.injected["delay"]
    ids = corpus_ids(root)
    rows = store.query("SELECT event_id, count() AS c FROM events WHERE startsWith(object, {b:String})"
                       " GROUP BY event_id", {"b": bucket + "/"})
    assert {r["event_id"] for r in rows} == ids and all(int(r["c"]) == 1 for r in rows)
    returned = sum(v for k, v in _counters(worker, "backtrail_messages_returned_total"))
    assert delayed == 6 and returned >= 1 and progress.failed == 0, (delayed, returned, progress)
    record("faults: read timeouts", runs=1, faults_injected=delayed, messages_returned=returned, events=len(ids),
           events_lost=len(ids) - len(rows), events_doubled=sum(int(r["c"]) - 1 for r in rows))


def _counters(worker, name: str):
    for line in worker.metrics.render().splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            yield line.split("{")[0], float(line.rsplit(" ", 1)[1])


# --- the data directory's disk fills up ----------------------------------------------------------


def _random_trail(root: Path, objects: int, per: int, rng) -> None:
    """CloudTrail objects whose records carry 300 random characters each (~20 MB stored per 60k)."""
    import gzip
    day = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/04"
    (root / day).mkdir(parents=True)
    for j in range(objects):
        records = [{"eventID": f"disk-{j:05d}-{i:04d}", "eventTime": f"2026-11-04T10:{j % 60:02d}:{i % 60:02d}Z",
                    "eventName": "GetObject", "userAgent": rng.randbytes(225).hex()[:300]} for i in range(per)]
        (root / day / f"123456789012_CloudTrail_us-east-1_20261104T1000Z_{j:05d}.json.gz").write_bytes(
            gzip.compress(json.dumps({"Records": records}).encode(), 1))


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of a few MB for the data directory (CI runs as root); unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount): {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_fails_clearly_acks_nothing_unwritten_and_recovers(small_disk, tmp_path, rng):
    objects, per = scale(100, 300), 200
    root = tmp_path / "corpus"
    _random_trail(root, objects, per, rng)  # random text: the store cannot compress it away
    ids = corpus_ids(root)
    data = small_disk / "data"
    # messages of 5 objects: the first batches (1, 2, 4 … messages a thread) load before the disk fills
    first = cli("backfill", f"file://{root}", data_dir=data, extra_env={"BACKTRAIL_PLAN_PAGE": "5"})
    assert first.returncode != 0, f"the disk did not fill: {shutil.disk_usage(small_disk)}\n{describe(first)}"
    assert "Traceback" not in first.stderr, describe(first)
    said = first.stderr.lower()
    assert any(w in said for w in ("no space left", "not enough space", "disk is full", "cannot reserve")), describe(first)

    left = inspect(data)  # reading needs no space
    assert left["ledger"].get("failed", 0) == 0, left["ledger"]  # a full disk fails no object for good
    stored = exactly_once(data, ids)
    assert stored["events_doubled"] == 0 and stored["events_unknown"] == 0, stored
    # nothing acked that is not durable: each object listed is done, with all its events, or still
    # queued (the listing itself may have stopped at the full disk: the rest was never enqueued)
    names = {f"{root}/{p.relative_to(root).as_posix()}" for p in root.rglob("*.json.gz")}
    done, queued, listed = set(left["done_objects"]), set(left["queued_objects"]), set(left["listed_objects"])
    assert listed and listed <= names and done <= names, (len(listed), len(done))
    assert listed <= done | queued, sorted(listed - done - queued)[:5]
    per_object = {r["object"]: int(r["n"]) for r in sql(data, "SELECT object, count() AS n FROM events GROUP BY object")}
    assert all(per_object.get(name) == per for name in done), {n: per_object.get(n) for n in done if per_object.get(n) != per}
    assert 0 < len(done) < len(names), (len(done), len(names))  # the disk filled part-way

    subprocess.run(["mount", "-o", "remount,size=512m", str(small_disk)], check=True)  # space is back
    jobs = [j for j, v in left["jobs"].items() if v["state"] not in FINAL]  # a job whose listing failed: run again below
    for job in jobs:
        proc = cli("backfill", "resume", job, data_dir=data)
        assert proc.returncode == 0, describe(proc)
    again = cli("backfill", f"file://{root}", data_dir=data)
    assert again.returncode == 0, describe(again)
    found = exactly_once(data, ids)
    assert (found["events_lost"], found["events_doubled"], found["events_unknown"]) == (0, 0, 0), found
    assert set(status(data)["states"]) == {"done"}
    record("faults: disk full", runs=1, events_before_full=stored["events_stored"], objects_done_before_full=len(done),
           objects_still_queued=len(queued - done), objects_not_yet_listed=len(names - listed - queued), events=len(ids),
           events_lost=found["events_lost"], events_doubled=found["events_doubled"],
           error=first.stderr.strip().splitlines()[-1][:160])
