"""`backtrail.adapters.aws_setup` against a moto server: queues, DLQ, redrive, bucket wiring.

moto delivers S3 notifications (and SNS fan-out) synchronously inside the PutObject call, and
first sends an `s3:TestEvent` when a notification configuration is put.
"""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest

from backtrail.adapters.aws_setup import (create_queue_with_dlq, dead_letters,
                                          queue_name_from_url, redrive, wire_bucket_to_queue,
                                          wire_bucket_via_sns)


@pytest.fixture
def aws(moto_url: str) -> dict[str, Any]:
    return {name: boto3.client(name, endpoint_url=moto_url, region_name="us-east-1")
            for name in ("sqs", "s3", "sns")}


def _name() -> str:
    return f"bt-{uuid.uuid4().hex[:10]}"


def _attrs(sqs: Any, url: str) -> dict[str, str]:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def _drain(sqs: Any, url: str, want: Callable[[dict[str, Any]], bool],
           timeout_s: float = 5.0) -> list[dict[str, Any]]:
    """Receive (and delete) until a body for which `want` holds arrived; return every body."""
    bodies: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not any(want(b) for b in bodies):
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                   WaitTimeSeconds=1).get("Messages", [])
        for m in msgs:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        bodies += [json.loads(m["Body"]) for m in msgs]
    assert any(want(b) for b in bodies), bodies
    return bodies


def _keys(event: dict[str, Any]) -> list[str]:
    # moto quotes keys with quote_plus, "/" included (AWS leaves "/" as is): unquote to compare
    return [unquote_plus(r["s3"]["object"]["key"]) for r in event.get("Records", [])
            if r.get("eventName", "").startswith("ObjectCreated")]


def test_queue_name_from_url() -> None:
    assert queue_name_from_url("https://sqs.eu-west-1.amazonaws.com/123456789012/live") == "live"
    assert queue_name_from_url("http://127.0.0.1:5000/123456789012/q-1/") == "q-1"


def test_queue_and_dlq_created_idempotently(aws: dict[str, Any]) -> None:
    sqs, name = aws["sqs"], _name()
    url, dlq = create_queue_with_dlq(sqs, name, max_receives=3, visibility_timeout=120)
    assert (queue_name_from_url(url), queue_name_from_url(dlq)) == (name, f"{name}-dlq")
    attrs, dlq_attrs = _attrs(sqs, url), _attrs(sqs, dlq)
    policy = json.loads(attrs["RedrivePolicy"])
    assert policy["deadLetterTargetArn"] == dlq_attrs["QueueArn"]
    assert int(policy["maxReceiveCount"]) == 3 and attrs["VisibilityTimeout"] == "120"
    assert dlq_attrs["MessageRetentionPeriod"] == str(14 * 24 * 3600)
    [stmt] = json.loads(attrs["Policy"])["Statement"]
    assert set(stmt["Principal"]["Service"]) == {"s3.amazonaws.com", "sns.amazonaws.com"}
    assert stmt["Action"] == "sqs:SendMessage" and "Condition" not in stmt

    bucket_arn = "arn:aws:s3:::some-bucket"
    again = create_queue_with_dlq(sqs, name, max_receives=4, visibility_timeout=120,
                                  source_arns=[bucket_arn])
    assert again == (url, dlq)
    attrs = _attrs(sqs, url)
    assert int(json.loads(attrs["RedrivePolicy"])["maxReceiveCount"]) == 4
    [stmt] = json.loads(attrs["Policy"])["Statement"]
    assert stmt["Condition"] == {"ArnLike": {"aws:SourceArn": [bucket_arn]}}
    assert len(sqs.list_queues(QueueNamePrefix=name)["QueueUrls"]) == 2


def test_poison_message_dead_letters_and_redrives(aws: dict[str, Any]) -> None:
    sqs = aws["sqs"]
    url, dlq = create_queue_with_dlq(sqs, _name(), max_receives=2)
    sqs.send_message(QueueUrl=url, MessageBody="poison", MessageAttributes={
        "reason": {"DataType": "String", "StringValue": "corrupt object"}})
    for _ in range(2):  # received, never deleted, visible again at once
        [m] = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)  # moved to the DLQ instead

    [dead] = dead_letters(sqs, dlq, wait_s=0)
    assert dead["body"] == "poison" and dead["id"] == m["MessageId"]
    assert dead["receive_count"] >= 1 and abs(dead["sent_at"] - time.time()) < 60
    assert dead["attributes"]["reason"]["StringValue"] == "corrupt object"
    assert [d["body"] for d in dead_letters(sqs, dlq, wait_s=0)] == ["poison"]  # still there

    assert redrive(sqs, dlq, url, wait_s=0) == 1
    assert dead_letters(sqs, dlq, wait_s=0) == []
    [back] = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                                 MessageSystemAttributeNames=["ApproximateReceiveCount"]
                                 )["Messages"]
    assert back["Body"] == "poison" and back["Attributes"]["ApproximateReceiveCount"] == "1"
    assert back["MessageAttributes"]["reason"]["StringValue"] == "corrupt object"
    assert redrive(sqs, dlq, url, wait_s=0) == 0


def _bucket_with_other_configs(aws: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A bucket that already notifies someone else's queue and topic (under `other/`)."""
    bucket, other = _name(), _name()
    aws["s3"].create_bucket(Bucket=bucket)
    q_arn = _attrs(aws["sqs"], aws["sqs"].create_queue(QueueName=other)["QueueUrl"])["QueueArn"]
    t_arn = aws["sns"].create_topic(Name=other)["TopicArn"]
    rule = {"Key": {"FilterRules": [{"Name": "prefix", "Value": "other/"}]}}
    existing = {"QueueConfigurations": [{"Id": "theirs-q", "QueueArn": q_arn, "Filter": rule,
                                         "Events": ["s3:ObjectRemoved:*"]}],
                "TopicConfigurations": [{"Id": "theirs-t", "TopicArn": t_arn, "Filter": rule,
                                         "Events": ["s3:ObjectRemoved:*"]}]}
    aws["s3"].put_bucket_notification_configuration(Bucket=bucket,
                                                    NotificationConfiguration=existing)
    return bucket, existing


def _ids(s3: Any, bucket: str, existing: dict[str, Any]) -> dict[str, list[str]]:
    """Ids of the bucket's configurations, after checking `existing` ones are kept unchanged."""
    conf = s3.get_bucket_notification_configuration(Bucket=bucket)
    for kind, configs in existing.items():
        assert all(c in conf[kind] for c in configs), conf
    return {k: sorted(c["Id"] for c in conf.get(k, []))
            for k in ("QueueConfigurations", "TopicConfigurations")}


def test_bucket_wired_straight_to_queue(aws: dict[str, Any]) -> None:
    s3, sqs = aws["s3"], aws["sqs"]
    bucket, existing = _bucket_with_other_configs(aws)
    url, _dlq = create_queue_with_dlq(sqs, _name())
    ours = f"backtrail-{queue_name_from_url(url)}"
    for _ in range(2):  # idempotent: our configuration once, theirs kept
        wire_bucket_to_queue(s3, sqs, bucket, url, prefix="AWSLogs/")
    assert _ids(s3, bucket, existing) == {"QueueConfigurations": sorted(["theirs-q", ours]),
                                "TopicConfigurations": ["theirs-t"]}
    [stmt] = json.loads(_attrs(sqs, url)["Policy"])["Statement"]
    assert stmt["Condition"]["ArnLike"]["aws:SourceArn"] == [f"arn:aws:s3:::{bucket}"]

    s3.put_object(Bucket=bucket, Key="elsewhere/skip.json", Body=b"{}")
    s3.put_object(Bucket=bucket, Key="AWSLogs/1/a b.json.gz", Body=b"{}")
    bodies = _drain(sqs, url, lambda b: bool(_keys(b)))
    assert [k for b in bodies for k in _keys(b)] == ["AWSLogs/1/a b.json.gz"]
    [event] = [b for b in bodies if _keys(b)]
    record = event["Records"][0]
    assert record["s3"]["bucket"]["name"] == bucket and record["s3"]["configurationId"] == ours


def test_bucket_wired_through_sns(aws: dict[str, Any]) -> None:
    s3, sns, sqs = aws["s3"], aws["sns"], aws["sqs"]
    bucket, existing = _bucket_with_other_configs(aws)
    url, _dlq = create_queue_with_dlq(sqs, _name())
    ours = f"backtrail-{queue_name_from_url(url)}"
    wire_bucket_to_queue(s3, sqs, bucket, url)  # switching to SNS replaces the direct wiring
    topic = wire_bucket_via_sns(s3, sns, sqs, bucket, url)
    assert topic == wire_bucket_via_sns(s3, sns, sqs, bucket, url)  # idempotent
    assert topic.endswith(f":backtrail-{bucket}")
    assert _ids(s3, bucket, existing) == {"QueueConfigurations": ["theirs-q"],
                                "TopicConfigurations": sorted(["theirs-t", ours])}
    [sub] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert sub["Endpoint"] == _attrs(sqs, url)["QueueArn"]
    sub_attrs = sns.get_subscription_attributes(SubscriptionArn=sub["SubscriptionArn"])
    assert sub_attrs["Attributes"].get("RawMessageDelivery", "false") == "false"
    topic_policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
    [mine] = [s for s in topic_policy["Statement"] if s.get("Sid") == "backtrail-senders"]
    assert mine["Principal"] == {"Service": "s3.amazonaws.com"}
    assert mine["Condition"]["ArnLike"]["aws:SourceArn"] == [f"arn:aws:s3:::{bucket}"]
    [stmt] = json.loads(_attrs(sqs, url)["Policy"])["Statement"]
    assert set(stmt["Condition"]["ArnLike"]["aws:SourceArn"]) == {f"arn:aws:s3:::{bucket}",
                                                                  topic}

    sqs.purge_queue(QueueUrl=url)  # test events and anything from the direct wiring
    s3.put_object(Bucket=bucket, Key="AWSLogs/2/x.json", Body=b"{}")
    bodies = _drain(sqs, url, lambda b: bool(_keys(json.loads(b.get("Message") or "{}"))))
    assert all(b.get("Type") == "Notification" and b["TopicArn"] == topic for b in bodies)
    keys = [k for b in bodies for k in _keys(json.loads(b["Message"]))]
    assert keys == ["AWSLogs/2/x.json"]  # once: only through the topic, not also directly
