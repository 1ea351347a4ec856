"""Provisioning for live ingest on AWS (or an SQS/S3/SNS-compatible endpoint) through boto3.

Creates a queue with its dead-letter queue and redrive policy, wires a bucket's ObjectCreated
notifications to it (directly, or through an SNS topic whose envelope the worker unwraps), and
lists or replays dead letters. Every step is idempotent: re-running replaces only what backtrail
owns (policy statements and notification configurations named `backtrail-…`) and keeps the rest.
Clients are passed in; AWS errors propagate as botocore ClientError. Standard queues only
(S3 cannot notify FIFO queues).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..core.errors import PermanentError

DLQ_RETENTION_S = 14 * 24 * 3600  # the SQS maximum
_SID = "backtrail-senders"
_SENDERS = ["s3.amazonaws.com", "sns.amazonaws.com"]
_HIDE_S = 60  # how long messages being peeked or moved stay hidden from others


def queue_name_from_url(url: str) -> str:
    """`https://sqs.<region>.amazonaws.com/<account>/<name>` → `<name>`."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def _arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
               ["Attributes"]["QueueArn"])


def _create(sqs: Any, name: str, attributes: dict[str, str]) -> str:
    """Create `name` if missing (without attributes, so an existing queue never conflicts),
    then set `attributes`; returns the URL."""
    url = str(sqs.create_queue(QueueName=name)["QueueUrl"])
    sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    return url


def _with_statement(policy: str | None, resource: str, statement: dict[str, Any]) -> str:
    """`policy` (JSON or empty) with the statement of Sid `statement["Sid"]` replaced."""
    doc = json.loads(policy) if policy else {"Version": "2012-10-17", "Statement": []}
    if isinstance(doc.get("Statement"), dict):
        doc["Statement"] = [doc["Statement"]]
    doc.setdefault("Id", f"{resource}/backtrail")
    doc["Statement"] = [s for s in doc.get("Statement", []) if s.get("Sid") != statement["Sid"]]
    doc["Statement"].append(statement)
    return json.dumps(doc)


def _source_arns(policy: str | None, sid: str) -> list[str]:
    """The aws:SourceArn values of statement `sid` in `policy`."""
    for s in (json.loads(policy).get("Statement", []) if policy else []):
        if isinstance(s, dict) and s.get("Sid") == sid:
            arns = s.get("Condition", {}).get("ArnLike", {}).get("aws:SourceArn", [])
            return [arns] if isinstance(arns, str) else list(arns)
    return []


def allow_senders(sqs: Any, queue_url: str, source_arns: Iterable[str] = ()) -> None:
    """Let S3 and SNS send to the queue: from `source_arns` (added to those already allowed),
    or from anywhere when none were ever given. Other policy statements are kept."""
    arn = _arn(sqs, queue_url)
    policy = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"]).get(
        "Attributes", {}).get("Policy")
    arns = sorted(set(_source_arns(policy, _SID)) | set(source_arns))
    statement: dict[str, Any] = {"Sid": _SID, "Effect": "Allow",
                                 "Principal": {"Service": _SENDERS},
                                 "Action": "sqs:SendMessage", "Resource": arn}
    if arns:
        statement["Condition"] = {"ArnLike": {"aws:SourceArn": arns}}
    sqs.set_queue_attributes(QueueUrl=queue_url,
                             Attributes={"Policy": _with_statement(policy, arn, statement)})


def create_queue_with_dlq(sqs: Any, name: str, *, max_receives: int = 5,
                          visibility_timeout: int = 300,
                          source_arns: Sequence[str] = ()) -> tuple[str, str]:
    """Create (or update) queue `name` and its dead-letter queue `name-dlq` (kept 14 days);
    a message received `max_receives` times moves to the DLQ. S3 and SNS may send to the queue
    (see `allow_senders`). Returns (queue_url, dlq_url)."""
    dlq_url = _create(sqs, f"{name}-dlq", {"MessageRetentionPeriod": str(DLQ_RETENTION_S)})
    redrive = {"deadLetterTargetArn": _arn(sqs, dlq_url), "maxReceiveCount": str(max_receives)}
    url = _create(sqs, name, {"VisibilityTimeout": str(visibility_timeout),
                              "RedrivePolicy": json.dumps(redrive)})
    allow_senders(sqs, url, source_arns)
    return url, dlq_url


def _notify(s3: Any, bucket: str, kind: str, config: dict[str, Any]) -> None:
    """Put `config` into the bucket's notification list `kind`, replacing backtrail's configs
    with the same Id in any list and keeping every other configuration."""
    current = s3.get_bucket_notification_configuration(Bucket=bucket)
    current.pop("ResponseMetadata", None)
    for key in ("QueueConfigurations", "TopicConfigurations"):
        current[key] = [c for c in current.get(key, []) if c.get("Id") != config["Id"]]
    current[kind].append(config)
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={k: v for k, v in current.items() if v != []})


def _config(queue_url: str, prefix: str) -> dict[str, Any]:
    config: dict[str, Any] = {"Id": f"backtrail-{queue_name_from_url(queue_url)}",
                              "Events": ["s3:ObjectCreated:*"]}
    if prefix:
        config["Filter"] = {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}
    return config


def wire_bucket_to_queue(s3: Any, sqs: Any, bucket: str, queue_url: str,
                         prefix: str = "") -> None:
    """Send the bucket's ObjectCreated events (under `prefix`) straight to the queue."""
    allow_senders(sqs, queue_url, [f"arn:aws:s3:::{bucket}"])
    _notify(s3, bucket, "QueueConfigurations",
            {**_config(queue_url, prefix), "QueueArn": _arn(sqs, queue_url)})


def wire_bucket_via_sns(s3: Any, sns: Any, sqs: Any, bucket: str, queue_url: str,
                        prefix: str = "") -> str:
    """Send the bucket's ObjectCreated events (under `prefix`) to topic `backtrail-<bucket>`
    and subscribe the queue (SNS envelope kept: raw delivery off). Returns the topic ARN.

    Every queue subscribed to the topic gets every event the topic publishes.
    """
    topic = str(sns.create_topic(Name=f"backtrail-{bucket.replace('.', '-')}")["TopicArn"])
    policy = sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("Policy")
    bucket_arns = sorted(set(_source_arns(policy, _SID)) | {f"arn:aws:s3:::{bucket}"})
    statement = {"Sid": _SID, "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                 "Action": "SNS:Publish", "Resource": topic,
                 "Condition": {"ArnLike": {"aws:SourceArn": bucket_arns}}}
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy",
                             AttributeValue=_with_statement(policy, topic, statement))
    allow_senders(sqs, queue_url, [topic])
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=_arn(sqs, queue_url),
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery",
                                    AttributeValue="false")
    _notify(s3, bucket, "TopicConfigurations", {**_config(queue_url, prefix), "TopicArn": topic})
    return topic


def _receive(sqs: Any, url: str, n: int, wait_s: int) -> list[dict[str, Any]]:
    return list(sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=max(1, min(10, n)), WaitTimeSeconds=wait_s,
        VisibilityTimeout=_HIDE_S, MessageAttributeNames=["All"],
        MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
    ).get("Messages") or [])


def dead_letters(sqs: Any, dlq_url: str, limit: int = 10, *,
                 wait_s: int = 1) -> list[dict[str, Any]]:
    """Peek at up to `limit` dead letters: each {id, body, receive_count, sent_at (epoch s),
    attributes (message attributes)}. They are received, then made visible again at once
    (which adds one to their receive count)."""
    seen: dict[str, dict[str, Any]] = {}
    receipts: list[str] = []
    while len(seen) < limit:
        got = [m for m in _receive(sqs, dlq_url, limit - len(seen), wait_s)
               if m["MessageId"] not in seen]
        if not got:
            break
        for m in got:
            receipts.append(m["ReceiptHandle"])
            attrs = m.get("Attributes", {})
            seen[m["MessageId"]] = {
                "id": m["MessageId"], "body": m["Body"],
                "receive_count": int(attrs.get("ApproximateReceiveCount", 0)),
                "sent_at": int(attrs.get("SentTimestamp", 0)) / 1000,
                "attributes": m.get("MessageAttributes", {})}
    for start in range(0, len(receipts), 10):
        sqs.change_message_visibility_batch(QueueUrl=dlq_url, Entries=[
            {"Id": str(i), "ReceiptHandle": r, "VisibilityTimeout": 0}
            for i, r in enumerate(receipts[start:start + 10])])
    return list(seen.values())[:limit]


def redrive(sqs: Any, dlq_url: str, queue_url: str, *, wait_s: int = 1) -> int:
    """Move every dead letter back to `queue_url` (body and message attributes; a message is
    deleted from the DLQ only once sent). Returns how many were moved."""
    moved = 0
    while batch := _receive(sqs, dlq_url, 10, wait_s):
        resp = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "MessageBody": m["Body"],
             **({"MessageAttributes": m["MessageAttributes"]} if m.get("MessageAttributes")
                else {})}
            for i, m in enumerate(batch)])
        sent = [batch[int(s["Id"])] for s in resp.get("Successful", [])]
        if sent:
            sqs.delete_message_batch(QueueUrl=dlq_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(sent)])
        if resp.get("Failed"):
            f = resp["Failed"][0]
            raise PermanentError(f"redrive to {queue_url}: {len(resp['Failed'])} message(s) "
                               f"refused: {f.get('Code')}: {f.get('Message')}")
        moved += len(sent)
    return moved


def client(service: str, endpoint_url: str | None = None, region: str | None = None) -> Any:
    """A boto3 client with the standard credential chain (and an endpoint override)."""
    import boto3

    return boto3.client(service, endpoint_url=endpoint_url, region_name=region)


def dlq_url_of(sqs: Any, queue_url: str) -> str | None:
    """The dead-letter queue named by the queue's redrive policy, if it has one."""
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"]).get("Attributes", {})
    if "RedrivePolicy" not in attrs:
        return None
    arn = json.loads(attrs["RedrivePolicy"])["deadLetterTargetArn"]
    return sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]
