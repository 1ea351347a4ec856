"""The IAM documents from facts: queue ARNs from URLs, KMS cases, trust principals."""
from __future__ import annotations

import pytest

from backtrail.iam_policy import BucketAccess, QueueAccess, permissions, policies, queue_arn, trust


@pytest.mark.parametrize("url, region, arn", [
    ("https://sqs.eu-west-1.amazonaws.com/123456789012/trail-live", None, "arn:aws:sqs:eu-west-1:123456789012:trail-live"),
    ("https://eu-west-1.queue.amazonaws.com/123456789012/q", None, "arn:aws:sqs:eu-west-1:123456789012:q"),
    ("https://queue.amazonaws.com/123456789012/q", None, "arn:aws:sqs:us-east-1:123456789012:q"),
    ("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q", None, "arn:aws-cn:sqs:cn-north-1:123456789012:q"),
    ("http://127.0.0.1:5000/123456789012/q", "us-east-2", "arn:aws:sqs:us-east-2:123456789012:q"),
])
def test_queue_arn_from_its_url(url, region, arn) -> None:
    assert queue_arn(url, region) == arn


def test_queue_arn_refuses_what_it_cannot_know() -> None:
    with pytest.raises(ValueError, match="give --region"):
        queue_arn("http://127.0.0.1:5000/123456789012/q")
    with pytest.raises(ValueError, match="not an SQS queue URL"):
        queue_arn("https://example.com/q")


def _by_sid(doc: dict) -> dict:
    return {s["Sid"]: s for s in doc["Statement"]}


def test_an_unresolved_kms_alias_is_limited_to_the_buckets_objects_through_s3() -> None:
    doc, notes = permissions([BucketAccess("logs", ("AWSLogs/",), "aws:kms", "alias/logs", "", "eu-west-1")], [])
    decrypt = _by_sid(doc)["DecryptLogs"]
    assert decrypt["Resource"] == ["arn:aws:kms:eu-west-1:*:key/*"]
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": ["s3.eu-west-1.amazonaws.com"]},
        "StringLike": {"kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]}}
    assert any("'alias/logs' could not be resolved" in n for n in notes)


def test_the_aws_managed_key_needs_no_statement_but_a_note() -> None:
    doc, notes = permissions([BucketAccess("logs", (), "aws:kms", "", "", "us-east-1")], [])
    assert "DecryptLogs" not in _by_sid(doc)
    assert any("aws/s3" in n and "another account cannot decrypt" in n for n in notes)


def test_queues_by_role_and_their_dead_letter_queues() -> None:
    doc, _ = permissions([BucketAccess("logs")], [QueueAccess("arn:aws:sqs:us-east-1:1:a", "live"),
                                                  QueueAccess("arn:aws:sqs:us-east-1:1:b", "backfill")])
    st = _by_sid(doc)
    assert "sqs:SendMessage" not in st["ConsumeLiveQueues"]["Action"]
    assert "sqs:SendMessage" in st["ConsumeBackfillQueues"]["Action"]
    assert st["CountDeadLetters"]["Resource"] == ["arn:aws:sqs:us-east-1:1:a-dlq", "arn:aws:sqs:us-east-1:1:b-dlq"]


def test_trust_for_an_account_or_one_principal() -> None:
    assert trust("111122223333")["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    role = "arn:aws:iam::111122223333:role/ir-team"
    assert trust(role)["Statement"][0]["Principal"] == {"AWS": role}
    assert "Condition" not in trust(role)["Statement"][0]
    with pytest.raises(ValueError, match="12-digit account id"):
        trust("1111")
    assert policies([BucketAccess("logs")], [], "111122223333").trust is not None
