"""The least-privilege IAM policies backtrail needs, as JSON documents. Pure: facts in, documents out.

What each action is for:
- `s3:ListBucket` on the bucket, limited by `s3:prefix` to the log prefixes: the backfill planner
  lists them (day folders with a delimiter, then their objects).
- `s3:GetObject` on `bucket/prefix*`: the worker reads the objects (by key; versions are not read).
- `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility` (heartbeats and retry
  back-off), `sqs:GetQueueAttributes` (depth and in-flight counts) on every queue; `sqs:SendMessage`
  on backfill queues only: `backtrail backfill --config` enqueues there, and the worker sends a paused
  job's messages back there. The batch calls are authorised by these same actions.
- `sqs:GetQueueAttributes` and `sqs:GetQueueUrl` on each queue's `-dlq` (the name `backtrail queues
  create` gives it): the dead-letter count in `backtrail_queue_depth{state="dead"}`.
- `kms:Decrypt` on the bucket's default KMS key when it uses SSE-KMS, only through S3
  (`kms:ViaService`). A bucket without SSE-KMS needs no KMS permission at all.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

VERSION = "2012-10-17"
QUEUE_ACTIONS = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                 "sqs:ReceiveMessage"]
MANAGED_POLICY_LIMIT = 6144  # characters of a managed policy, white space aside
_SQS_HOST = re.compile(r"^https?://(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue|queue)\.amazonaws\.com(\.cn)?/"
                       r"(\d{12})/([A-Za-z0-9_-]{1,80})/?$")
_ANY_URL = re.compile(r"^https?://[^/]+/(\d{12})/([A-Za-z0-9_-]{1,80})/?$")


@dataclass(frozen=True)
class BucketAccess:
    bucket: str
    prefixes: tuple[str, ...] = ()  # () = the whole bucket
    kms_algorithm: str = ""  # the bucket's default encryption ("aws:kms", "AES256", "")
    kms_key: str = ""  # as configured (key ARN, id or alias); "" with aws:kms = the AWS managed key
    kms_key_arn: str = ""
    region: str = "us-east-1"


@dataclass(frozen=True)
class QueueAccess:
    arn: str
    role: str = "live"  # "live" or "backfill"


@dataclass
class Policies:
    permissions: dict[str, Any]
    trust: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"permissions_policy": self.permissions}
        if self.trust is not None:
            out["trust_policy"] = self.trust
        return {**out, "notes": self.notes}


def partition(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def queue_arn(url: str, region: str | None = None) -> str:
    """The ARN of an SQS queue URL; `region` for an endpoint whose host does not name one."""
    if m := _SQS_HOST.match(url):
        where = m.group(1) or m.group(2) or "us-east-1"
        account, name = m.group(4), m.group(5)
    elif m := _ANY_URL.match(url):
        if not region:
            raise ValueError(f"{url}: the region of this queue is not in its URL; give --region")
        where, account, name = region, m.group(1), m.group(2)
    else:
        raise ValueError(f"{url}: not an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)")
    return f"arn:{partition(where)}:sqs:{where}:{account}:{name}"


def _prefix_patterns(prefixes: Sequence[str]) -> list[str]:
    return sorted({f"{p}*" for p in prefixes})


def permissions(buckets: Sequence[BucketAccess], queues: Sequence[QueueAccess]) -> tuple[dict[str, Any], list[str]]:
    """The permissions policy and the notes that go with it."""
    statements: list[dict[str, Any]] = []
    notes: list[str] = []
    for i, b in enumerate(buckets, 1):
        arn = f"arn:{partition(b.region)}:s3:::{b.bucket}"
        listing: dict[str, Any] = {"Sid": f"ListLogs{i}", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn}
        if b.prefixes and "" not in b.prefixes:
            listing["Condition"] = {"StringLike": {"s3:prefix": _prefix_patterns(b.prefixes)}}
        statements.append(listing)
        objects = [f"{arn}/{p}" for p in _prefix_patterns(b.prefixes if "" not in b.prefixes else ())] or [f"{arn}/*"]
        statements.append({"Sid": f"ReadLogs{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": objects})
    keys = [b for b in buckets if b.kms_algorithm.startswith("aws:kms") and b.kms_key]
    if keys:
        resolved = sorted({b.kms_key_arn for b in keys if b.kms_key_arn})
        unresolved = [b for b in keys if not b.kms_key_arn]
        decrypt: dict[str, Any] = {
            "Sid": "DecryptLogs", "Effect": "Allow", "Action": "kms:Decrypt",
            "Resource": resolved + sorted({f"arn:{partition(b.region)}:kms:{b.region}:*:key/*" for b in unresolved}),
            "Condition": {"StringEquals": {"kms:ViaService": sorted({f"s3.{b.region}.amazonaws.com" for b in keys})}}}
        if unresolved:
            decrypt["Condition"]["StringLike"] = {"kms:EncryptionContext:aws:s3:arn": sorted(
                {f"arn:{partition(b.region)}:s3:::{b.bucket}{tail}" for b in unresolved for tail in ("", "/*")})}
            notes += [f"s3://{b.bucket}: default KMS key {b.kms_key!r} could not be resolved to a key ARN"
                      " (kms:DescribeKey refused?): kms:Decrypt is limited to that bucket's objects through S3;"
                      " put the key's ARN in its place to narrow it" for b in unresolved]
        statements.append(decrypt)
    for b in buckets:
        if b.kms_algorithm.startswith("aws:kms") and not b.kms_key:
            notes.append(f"s3://{b.bucket}: SSE-KMS with the AWS managed key aws/s3: readers in the bucket's"
                         " account need no KMS permission; another account cannot decrypt these objects")
        elif not b.kms_algorithm.startswith("aws:kms"):
            notes.append(f"s3://{b.bucket}: default encryption {b.kms_algorithm or 'none'} (no KMS permission"
                         " needed); objects written with their own SSE-KMS key need kms:Decrypt on it")
    for role in ("live", "backfill"):
        arns = sorted({q.arn for q in queues if q.role == role})
        if arns:
            actions = QUEUE_ACTIONS + (["sqs:SendMessage"] if role == "backfill" else [])
            statements.append({"Sid": f"Consume{role.capitalize()}Queues", "Effect": "Allow",
                               "Action": sorted(actions), "Resource": arns})
    if queues:
        statements.append({"Sid": "CountDeadLetters", "Effect": "Allow",
                           "Action": ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                           "Resource": sorted({f"{q.arn}-dlq" for q in queues})})
    policy = {"Version": VERSION, "Statement": statements}
    if len(json.dumps(policy, separators=(",", ":"))) > MANAGED_POLICY_LIMIT:
        notes.append(f"longer than the {MANAGED_POLICY_LIMIT} characters of a managed policy: split it")
    return policy, notes


def trust(principal: str, external_id: str | None = None) -> dict[str, Any]:
    """Who may assume the role: an account (12 digits: any principal of it that is allowed
    sts:AssumeRole there) or one principal ARN; with an external id when given."""
    if re.fullmatch(r"\d{12}", principal):
        principal = f"arn:aws:iam::{principal}:root"
    elif not re.fullmatch(r"arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+", principal):
        raise ValueError(f"{principal!r}: give a 12-digit account id or a principal ARN")
    statement: dict[str, Any] = {"Sid": "BacktrailAssumeRole", "Effect": "Allow", "Principal": {"AWS": principal},
                                 "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return {"Version": VERSION, "Statement": [statement]}


def policies(buckets: Sequence[BucketAccess], queues: Sequence[QueueAccess],
             role_for: str | None = None, external_id: str | None = None) -> Policies:
    permission_doc, notes = permissions(buckets, queues)
    out = Policies(permission_doc, notes=notes)
    if role_for:
        out.trust = trust(role_for, external_id)
        out.notes.append("create the role in the bucket's account with both documents; the worker assumes it"
                         " (AWS_ROLE_ARN / a profile's role_arn), so no bucket policy needs to change")
    return out
