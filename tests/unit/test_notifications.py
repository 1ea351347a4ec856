"""Every queue message shape AWS sends, and the backfill notification round trip."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import orjson
import pytest

from backtrail.core.errors import BadMessage
from backtrail.core.records import ObjectInfo
from backtrail.logtypes.notifications import (
    MAX_BODY_BYTES,
    decode,
    encode_key,
    fabricate,
    fabricate_batches,
)

ENCODED_KEY = "AWSLogs/123/CloudTrail/us-east-1/2026/11/01/file%3Aname+with+space.json.gz"
PLAIN_KEY = "AWSLogs/123/CloudTrail/us-east-1/2026/11/01/file:name with space.json.gz"
UTC = timezone.utc


def s3_record(key: str = ENCODED_KEY, event: str = "ObjectCreated:Put", version: str = "2.1",
              size: int = 1234, etag: str = "0123456789abcdef0123456789abcdef") -> dict:
    """One record as documented in the S3 "Event message structure" page."""
    return {
        "eventVersion": version,
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": "2026-11-01T00:05:17.123Z",
        "eventName": event,
        "userIdentity": {"principalId": "AWS:AROAEXAMPLE:cloudtrail"},
        "requestParameters": {"sourceIPAddress": "10.1.2.3"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810",
                             "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMU"},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "backtrail-live",
            "bucket": {"name": "org-trail-logs", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                       "arn": "arn:aws:s3:::org-trail-logs"},
            "object": {"key": key, "size": size, "eTag": etag,
                       "versionId": "096fKKXTRTtl3on89fVO.nfljtsv6qko", "sequencer": "0055AED6DCD90281E5"},
        },
    }


def sns_envelope(message: dict | str, type_: str = "Notification") -> str:
    """An SNS-to-SQS envelope (raw message delivery off), fields as in the SNS JSON format page."""
    return orjson.dumps({
        "Type": type_,
        "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:s3-events",
        "Subject": "Amazon S3 Notification",
        "Message": message if isinstance(message, str) else orjson.dumps(message).decode(),
        "Timestamp": "2026-11-01T00:05:18.001Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:s3-events:c9135db0-26c4-47ec-8998-413945fb5a96",
    }).decode()


def test_s3_event_straight_to_sqs_decodes_key_and_fields() -> None:
    decoded = decode(orjson.dumps({"Records": [s3_record()]}).decode())
    assert decoded.ignored == []
    [ref] = decoded.refs
    assert ref.backfill_id == ""
    info = ref.info
    assert (info.bucket, info.key, info.size) == ("org-trail-logs", PLAIN_KEY, 1234)
    assert info.etag == "0123456789abcdef0123456789abcdef"
    assert info.version_id == "096fKKXTRTtl3on89fVO.nfljtsv6qko"
    assert info.last_modified == datetime(2026, 11, 1, 0, 5, 17, 123000, tzinfo=UTC)
    assert info.last_modified.tzinfo is not None


def test_several_records_in_one_message_and_version_2_2() -> None:
    records = [s3_record(key=f"AWSLogs/123/vpcflowlogs/us-east-1/2026/11/01/f{i}.log.gz",
                         version="2.2", etag=f'"etag{i}"') for i in range(3)]
    decoded = decode(orjson.dumps({"Records": records}).decode())
    assert [r.info.key.rsplit("/", 1)[1] for r in decoded.refs] == ["f0.log.gz", "f1.log.gz", "f2.log.gz"]
    assert [r.info.etag for r in decoded.refs] == ["etag0", "etag1", "etag2"]  # quotes stripped


def test_sns_envelope() -> None:
    decoded = decode(sns_envelope({"Records": [s3_record(), s3_record(key="a/b%2Bc.gz")]}))
    assert [r.info.key for r in decoded.refs] == [PLAIN_KEY, "a/b+c.gz"]


def test_sns_raw_message_delivery_is_the_plain_s3_event() -> None:
    raw = orjson.dumps({"Records": [s3_record()]}).decode()
    assert decode(raw) == decode(sns_envelope(raw))


def test_eventbridge_object_created_key_is_not_url_decoded() -> None:
    event = {
        "version": "0",
        "id": "17793124-05d4-b198-2fde-7ededc63b103",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "111122223333",
        "time": "2026-11-01T00:05:17Z",
        "region": "us-east-1",
        "resources": ["arn:aws:s3:::org-trail-logs"],
        "detail": {
            "version": "0",
            "bucket": {"name": "org-trail-logs"},
            "object": {"key": "AWSLogs/123/a+b c%3A.json.gz", "size": 5,
                       "etag": "b1946ac92492d2347c6235b4d2611184",
                       "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", "sequencer": "617f08299329d189"},
            "request-id": "N4N7GDK58NMKJ12R",
            "requester": "123456789012",
            "source-ip-address": "1.2.3.4",
            "reason": "PutObject",
        },
    }
    [ref] = decode(orjson.dumps(event).decode()).refs
    assert ref.info == ObjectInfo("org-trail-logs", "AWSLogs/123/a+b c%3A.json.gz", 5,
                                  "b1946ac92492d2347c6235b4d2611184", "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
                                  datetime(2026, 11, 1, 0, 5, 17, tzinfo=UTC))
    deleted = dict(event, **{"detail-type": "Object Deleted"})
    assert decode(orjson.dumps(deleted).decode()).refs == []
    assert decode(orjson.dumps(deleted).decode()).ignored[0].startswith("Object Deleted")


def test_s3_test_event_is_ignored_direct_and_through_sns() -> None:
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-11-01T00:00:00.000Z",
                  "Bucket": "org-trail-logs", "RequestId": "5582815E1AEA5ADF",
                  "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
    for body in (orjson.dumps(test_event).decode(), sns_envelope(test_event)):
        decoded = decode(body)
        assert decoded.refs == [] and decoded.ignored == ["s3:TestEvent"]


def test_sns_subscription_confirmation_is_ignored() -> None:
    body = sns_envelope("You have chosen to subscribe to the topic ...", type_="SubscriptionConfirmation")
    assert decode(body).ignored == ["SNS SubscriptionConfirmation"]


def test_non_create_records_are_ignored_with_a_reason() -> None:
    body = orjson.dumps({"Records": [s3_record(event="ObjectRemoved:Delete"), s3_record()]}).decode()
    decoded = decode(body)
    assert [r.info.key for r in decoded.refs] == [PLAIN_KEY]
    assert decoded.ignored == [f"ObjectRemoved:Delete: s3://org-trail-logs/{PLAIN_KEY}"]


def test_backfill_notification_carries_backfill_id() -> None:
    body = orjson.dumps({"Records": [s3_record()], "backtrail": {"backfill_id": "bf-42"}}).decode()
    assert [r.backfill_id for r in decode(body).refs] == ["bf-42"]


@pytest.mark.parametrize("body, found", [
    ("not json at all", "not JSON"),
    ('{"Records": [', "not JSON"),
    ("[1, 2]", "list"),
    ('{"hello": "world"}', "hello"),
    ('{"Records": "nope"}', "not a list"),
    ('{"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {}}}]}', "bucket name"),
    (sns_envelope("plain text, not json"), "SNS Message"),
])
def test_bad_messages_say_what_was_found(body: str, found: str) -> None:
    with pytest.raises(BadMessage) as err:
        decode(body)
    assert found in str(err.value)
    assert repr(body[:200]) in str(err.value)


AWKWARD = ["a b/c d.gz", "x+y/z++.gz", "literal%2Fslash", "100%", "k=v/dt=2026-11-01/x",
           "ünïcødé/日本語/🙂.json", "tilde~/star*/(paren)'q'!", "semi;colon:at@amp&$,?#[]{}", "  "]


def _random_key(rng: random.Random) -> str:
    alphabet = "ab/ +%=~:;&?#é日🙂*()'!,.-_2F"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))


def test_fabricate_round_trips_awkward_keys() -> None:
    rng = random.Random(20261101)
    keys = AWKWARD + [_random_key(rng) for _ in range(500)]
    when = datetime(2026, 11, 1, 0, 5, 17, 123456, tzinfo=UTC)
    objects = [ObjectInfo("org-trail-logs", k, i, f"etag{i}", "v" * (i % 2), when) for i, k in enumerate(keys)]
    decoded = decode(fabricate(objects, "bf-7"))
    assert [r.info for r in decoded.refs] == objects
    assert {r.backfill_id for r in decoded.refs} == {"bf-7"} and decoded.ignored == []


def test_fabricate_encodes_like_s3() -> None:
    assert encode_key("red flower.jpg") == "red+flower.jpg"
    assert encode_key("AWSLogs/1/x:y=z+w.gz") == "AWSLogs/1/x%3Ay%3Dz%2Bw.gz"
    record = orjson.loads(fabricate([ObjectInfo("b", "a b", etag='"e"')], "bf"))["Records"][0]
    assert record["eventSource"] == "aws:s3" and record["eventName"] == "ObjectCreated:Put"
    assert record["s3"]["object"] == {"key": "a+b", "size": 0, "eTag": "e"}


def test_fabricate_batches_respects_record_count_and_size() -> None:
    small = [ObjectInfo("b", f"k{i}") for i in range(120)]
    bodies = list(fabricate_batches(small, "bf", max_records=50))
    assert [len(orjson.loads(b)["Records"]) for b in bodies] == [50, 50, 20]
    big = [ObjectInfo("b", f"{i}/" + "日" * 330) for i in range(300)]  # ~3 KiB per encoded key
    bodies = list(fabricate_batches(big, "bf", max_records=1000))
    assert len(bodies) > 1 and all(len(b.encode()) < MAX_BODY_BYTES for b in bodies)
    assert [r.info for b in bodies for r in decode(b).refs] == big
