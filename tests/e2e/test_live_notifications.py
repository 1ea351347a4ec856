"""Live ingest: real S3 event notifications from a moto server, consumed by the worker."""
from __future__ import annotations

import gzip
import json

import boto3
import pytest

from backtrail import wiring
from backtrail.adapters.sqs_queue import SqsQueue
from backtrail.core.settings import Settings
from backtrail.ingest.worker import Source
from backtrail.query.service import QueryService

KEY = "AWSLogs/999988887777/CloudTrail/us-east-1/2026/11/04/999988887777_CloudTrail_us-east-1_live+test.json.gz"


def _record(i: int) -> dict:
    return {"eventTime": f"2026-11-04T00:00:{i:02d}Z", "eventID": f"live-{i}", "eventName": "PutObject",
            "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.50", "recipientAccountId": "999988887777",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::999988887777:user/live"}}


@pytest.fixture
def live(moto_url, store, tmp_path):
    s3 = boto3.client("s3", endpoint_url=moto_url)
    sqs = boto3.client("sqs", endpoint_url=moto_url)
    s3.create_bucket(Bucket="live-trail")
    queue_url = sqs.create_queue(QueueName="live-trail-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket="live-trail", NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    queue = SqsQueue(queue_url, endpoint_url=moto_url)
    settings = Settings.load(str(tmp_path / "unused"), endpoint_url=moto_url, region="us-east-1")
    worker = wiring.worker(settings, store, [Source("live-trail", "cloudtrail", live=[queue])])
    return s3, sqs, queue_url, queue, worker, QueryService(store)


def _drain(worker):
    worker.run(until=lambda: True, threads=1)


def test_s3_notification_is_ingested_once_even_when_redelivered(live):
    s3, sqs, queue_url, queue, worker, service = live
    s3.put_object(Bucket="live-trail", Key=KEY, Body=gzip.compress(json.dumps({"Records": [_record(i) for i in range(5)]}).encode()))
    first = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    bodies = [m["Body"] for m in first]
    sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0} for i, m in enumerate(first)])
    # moto first sends a test event when the configuration is set; then the object's event
    assert any("ObjectCreated" in b for b in bodies)
    _drain(worker)
    assert service.count("src_ip:203.0.113.50") == 5
    assert worker.progress.ignored >= 1  # s3:TestEvent
    queue.send([b for b in bodies if "ObjectCreated" in b])  # the same notification again
    _drain(worker)
    assert service.count("src_ip:203.0.113.50") == 5
    assert worker.progress.duplicates == 1
    assert queue.stats().visible == 0 and queue.stats().in_flight == 0


def test_sns_wrapped_and_bad_messages(live, store):
    s3, sqs, queue_url, queue, worker, service = live
    key = KEY.replace("live+test", "sns")
    s3.put_object(Bucket="live-trail", Key=key, Body=gzip.compress(json.dumps({"Records": [_record(7)]}).encode()))
    sqs.purge_queue(QueueUrl=queue_url)
    s3_event = {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                             "eventTime": "2026-11-04T00:00:07.000Z",
                             "s3": {"bucket": {"name": "live-trail"},
                                    "object": {"key": key.replace(" ", "+"), "size": 10, "eTag": "x"}}}]}
    envelope = {"Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
                "Message": json.dumps(s3_event), "Timestamp": "2026-11-04T00:00:08.000Z"}
    queue.send([json.dumps(envelope), "this is not a notification"])
    _drain(worker)
    assert service.count('event_id:live-7') == 1
    assert worker.progress.bad_messages == 1
    kept = store.query("SELECT fragment FROM errors WHERE object LIKE 'queue:%' AND fragment = 'this is not a notification'")
    assert len(kept) == 1
