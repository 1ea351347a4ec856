"""The scale-out queue: Amazon SQS (or any SQS-compatible endpoint) through boto3.

Implements `ports.Queue` on one standard queue. SQS promises at-least-once delivery in roughly
send order; dead-lettering is the queue's redrive policy (configured on the queue, not here), and
`stats().dead` is the depth of that policy's dead-letter queue when it can be read. botocore
failures are mapped: throttling, 5xx and connection errors raise TransientError; a missing queue,
denied access and any other refusal raise PermanentError naming the queue URL.
"""
from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (ClientError, ConnectionError, HTTPClientError,
                                 NoCredentialsError, NoRegionError, PartialCredentialsError)

from ..core.errors import ConfigError, PermanentError, TransientError
from ..core.records import Message, QueueStats

BATCH_COUNT = 10  # SendMessageBatch / DeleteMessageBatch entries per call
BATCH_BYTES = 256 * 1024  # total body bytes per SendMessageBatch
MAX_WAIT_S = 20  # longest ReceiveMessage long poll
_SEND_ATTEMPTS = 5

_THROTTLED = {"Throttling", "ThrottlingException", "RequestThrottled", "RequestThrottledException",
              "TooManyRequestsException", "KmsThrottled", "KMS.ThrottlingException",
              "OverLimit", "ServiceUnavailable", "InternalError", "InternalFailure",
              "RequestTimeout"}
_NO_QUEUE = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NonExistentQueue"}
_DENIED = {"AccessDenied", "AccessDeniedException", "InvalidClientTokenId",
           "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken",
           "InvalidSecurity", "KMS.AccessDeniedException"}
_NOT_IN_FLIGHT = {"ReceiptHandleIsInvalid", "AWS.SimpleQueueService.MessageNotInflight",
                  "MessageNotInflight"}
_REGION_IN_URL = re.compile(r"^https?://(?:sqs\.)?([a-z]{2}(?:-[a-z]+)+-\d)\.")


def _stale_receipt(code: str, message: str) -> bool:
    """True for the errors SQS gives for a deleted, expired or superseded receipt handle."""
    return code in _NOT_IN_FLIGHT or (
        code == "InvalidParameterValue" and "receipthandle" in message.lower().replace(" ", ""))


class SqsQueue:
    """The SQS queue at `url`; implements `ports.Queue`.

    `client` is a boto3 SQS client; without one, a client is built from the standard credential
    chain, `endpoint_url` (else boto3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SQS) and
    `region` (else the region in an AWS queue URL, else the configured one). `visibility_s`
    overrides the queue's own visibility timeout for `receive`.
    """

    def __init__(self, url: str, client: Any = None, *, endpoint_url: str | None = None,
                 region: str | None = None, visibility_s: int | None = None) -> None:
        self.url = url
        self.visibility_s = visibility_s
        self._dlq_url: str | None = None
        if client is None:
            match = _REGION_IN_URL.match(url)
            try:
                client = boto3.session.Session().client(
                    "sqs", endpoint_url=endpoint_url,
                    region_name=region or (match.group(1) if match else None),
                    config=Config(retries={"mode": "standard", "max_attempts": 5},
                                  connect_timeout=5, read_timeout=MAX_WAIT_S + 10))
            except (NoRegionError, NoCredentialsError, PartialCredentialsError) as e:
                raise ConfigError(f"SQS queue {url}: {e}") from e
        self._client = client

    def _call(self, op: str, stale_ok: bool = False, **kwargs: Any) -> dict[str, Any]:
        """Call `op`, mapping botocore failures; with `stale_ok`, a stale receipt returns {}."""
        try:
            resp: dict[str, Any] = getattr(self._client, op)(**kwargs)
            return resp
        except ClientError as e:
            err = e.response.get("Error", {})
            code, message = str(err.get("Code", "")), str(err.get("Message", ""))
            status = int(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            if stale_ok and _stale_receipt(code, message):
                return {}
            if code in _THROTTLED or status == 429 or status >= 500:
                raise TransientError(f"SQS queue {self.url}: {op}: {code}: {message}") from e
            if code in _NO_QUEUE:
                raise PermanentError(f"SQS queue {self.url} does not exist") from e
            if code in _DENIED:
                raise PermanentError(f"access denied to SQS queue {self.url}: {message}") from e
            raise PermanentError(f"SQS queue {self.url}: {op}: {code}: {message}") from e
        except (HTTPClientError, ConnectionError) as e:
            raise TransientError(f"SQS queue {self.url}: {op}: {e}") from e
        except (NoCredentialsError, PartialCredentialsError) as e:
            raise ConfigError(f"SQS queue {self.url}: {e}") from e

    def send(self, bodies: Sequence[str], delay_s: float = 0, dedup_ids: Sequence[str] | None = None) -> None:
        """Send `bodies` in batches of at most 10 messages and 256 KiB.

        Failed entries are retried; a refused entry raises PermanentError, entries still failing
        after retries raise TransientError. Batches sent before a failure stay sent. A standard
        queue keeps no dedup ids: a body sent twice arrives twice (the ledger makes it a no-op).
        """
        delay = {"DelaySeconds": min(900, int(delay_s))} if delay_s else {}
        for batch in _batches(bodies):
            pending = {str(i): body for i, body in enumerate(batch)}
            for attempt in range(_SEND_ATTEMPTS):
                resp = self._call("send_message_batch", QueueUrl=self.url, Entries=[
                    {"Id": i, "MessageBody": body, **delay} for i, body in pending.items()])
                failed = resp.get("Failed") or []
                refused = [f for f in failed if f.get("SenderFault")]
                if refused:
                    raise PermanentError(f"SQS queue {self.url} refused {len(refused)} message(s):"
                                         f" {refused[0].get('Code')}: {refused[0].get('Message')}")
                pending = {f["Id"]: pending[f["Id"]] for f in failed}
                if not pending:
                    break
                time.sleep(0.1 * 2 ** attempt)
            else:
                raise TransientError(f"SQS queue {self.url}: {len(pending)} message(s) still"
                                     f" failing after {_SEND_ATTEMPTS} attempts")

    def receive(self, max_messages: int = 10, wait_s: float = 0.0,
                visibility_s: int | None = None) -> list[Message]:
        """Receive up to `max_messages` (at most 10), long-polling up to `wait_s` (at most 20 s)."""
        kwargs: dict[str, Any] = {
            "QueueUrl": self.url, "MaxNumberOfMessages": max(1, min(BATCH_COUNT, max_messages)),
            "WaitTimeSeconds": max(0, min(MAX_WAIT_S, math.ceil(wait_s))),
            "MessageSystemAttributeNames": ["ApproximateReceiveCount"]}
        hide = self.visibility_s if visibility_s is None else visibility_s
        if hide is not None:
            kwargs["VisibilityTimeout"] = hide
        resp = self._call("receive_message", **kwargs)
        return [Message(id=m["MessageId"], body=m["Body"], receipt=m["ReceiptHandle"],
                        receive_count=int(m.get("Attributes", {}).get("ApproximateReceiveCount", 1)))
                for m in resp.get("Messages") or []]

    def delete(self, receipts: Sequence[str]) -> None:
        """Delete by receipt in batches of 10; stale or unknown receipts are ignored."""
        unique = list(dict.fromkeys(receipts))
        for start in range(0, len(unique), BATCH_COUNT):
            chunk = unique[start:start + BATCH_COUNT]
            resp = self._call("delete_message_batch", QueueUrl=self.url, Entries=[
                {"Id": str(i), "ReceiptHandle": r} for i, r in enumerate(chunk)])
            failed = [f for f in resp.get("Failed") or []
                      if not _stale_receipt(str(f.get("Code", "")), str(f.get("Message", "")))]
            if failed:
                kind = PermanentError if all(f.get("SenderFault") for f in failed) else TransientError
                raise kind(f"SQS queue {self.url}: {len(failed)} delete(s) failed:"
                           f" {failed[0].get('Code')}: {failed[0].get('Message')}")

    def extend(self, receipt: str, visibility_s: int) -> None:
        """Hide the message for `visibility_s` seconds from now; a stale receipt is ignored."""
        self._call("change_message_visibility", stale_ok=True, QueueUrl=self.url,
                   ReceiptHandle=receipt, VisibilityTimeout=visibility_s)

    def stats(self) -> QueueStats:
        """Approximate visible and in-flight counts; `dead` from the redrive policy's queue.

        SQS exposes no oldest-message age as an attribute (only as a CloudWatch metric), so
        `oldest_age_s` is 0.
        """
        attrs = self._attributes(self.url, "ApproximateNumberOfMessages",
                                 "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy")
        return QueueStats(visible=int(attrs.get("ApproximateNumberOfMessages", 0)),
                          in_flight=int(attrs.get("ApproximateNumberOfMessagesNotVisible", 0)),
                          dead=self._dead(attrs.get("RedrivePolicy")))

    def _attributes(self, url: str, *names: str) -> dict[str, str]:
        resp = self._call("get_queue_attributes", QueueUrl=url, AttributeNames=list(names))
        return resp.get("Attributes") or {}

    def _dead(self, redrive_policy: str | None) -> int:
        """Depth of the dead-letter queue, or 0 when there is none or it cannot be read."""
        if not redrive_policy:
            return 0
        try:
            if self._dlq_url is None:
                arn = str(json.loads(redrive_policy).get("deadLetterTargetArn", ""))
                _, _, _, _, account, name = arn.split(":", 5)
                self._dlq_url = self._call("get_queue_url", QueueName=name,
                                           QueueOwnerAWSAccountId=account)["QueueUrl"]
            attrs = self._attributes(self._dlq_url, "ApproximateNumberOfMessages",
                                     "ApproximateNumberOfMessagesNotVisible")
        except (ValueError, KeyError, PermanentError):
            return 0
        return sum(int(v) for v in attrs.values())


def _batches(bodies: Sequence[str]) -> Iterator[list[str]]:
    """Split into SendMessageBatch-sized lists: <= 10 bodies and <= 256 KiB each.

    A single body over the byte limit goes alone (SQS then refuses it with a clear error).
    """
    batch: list[str] = []
    size = 0
    for body in bodies:
        n = len(body.encode("utf-8"))
        if batch and (len(batch) == BATCH_COUNT or size + n > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(body)
        size += n
    if batch:
        yield batch
