"""Read-only look-ups for `backtrail iam-policy` and `backtrail scale`: a bucket's region and default
encryption (and the KMS key behind it), and an SQS queue's oldest-message age from CloudWatch.

Clients are passed in. A missing bucket or a refused look-up raises PermanentError naming it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.errors import PermanentError

_NO_ENCRYPTION = {"ServerSideEncryptionConfigurationNotFoundError"}


@dataclass(frozen=True)
class BucketEncryption:
    algorithm: str  # "AES256" (SSE-S3), "aws:kms", "aws:kms:dsse", or "" (none configured)
    key: str = ""  # the default KMS key as configured: key ARN, key id, alias; "" = AWS managed aws/s3
    key_arn: str = ""  # the key's ARN when it could be resolved
    region: str = "us-east-1"

    @property
    def kms(self) -> bool:
        return self.algorithm.startswith("aws:kms")


def _code(e: ClientError) -> str:
    return str(e.response.get("Error", {}).get("Code", ""))


def bucket_region(s3: Any, bucket: str) -> str:
    try:
        where = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    except ClientError as e:
        raise PermanentError(f"bucket {bucket}: GetBucketLocation: {_code(e)}: {e}") from e
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(where, where)


def bucket_encryption(s3: Any, kms_for: Callable[[str], Any], bucket: str) -> BucketEncryption:
    """The bucket's default encryption; for SSE-KMS the key's ARN, resolved through KMS DescribeKey
    (a client of the bucket's region: `kms_for(region)`) when the configuration names a key id or an
    alias (left "" when that is refused)."""
    region = bucket_region(s3, bucket)
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    except ClientError as e:
        if _code(e) in _NO_ENCRYPTION:
            return BucketEncryption("", region=region)
        raise PermanentError(f"bucket {bucket}: GetBucketEncryption: {_code(e)}: {e}") from e
    default = (rules[0] if rules else {}).get("ApplyServerSideEncryptionByDefault", {})
    algorithm, key = str(default.get("SSEAlgorithm", "")), str(default.get("KMSMasterKeyID", ""))
    if not algorithm.startswith("aws:kms") or not key:
        return BucketEncryption(algorithm, key, region=region)
    if key.startswith("arn:aws") and ":key/" in key:
        return BucketEncryption(algorithm, key, key, region)
    try:
        arn = str(kms_for(region).describe_key(KeyId=key)["KeyMetadata"]["Arn"])
    except (ClientError, BotoCoreError):
        arn = ""
    return BucketEncryption(algorithm, key, arn, region)


def sqs_oldest_age(cloudwatch: Any, queue_name: str, now: datetime | None = None) -> float | None:
    """The newest one-minute maximum of CloudWatch's AWS/SQS ApproximateAgeOfOldestMessage for the
    queue over the last 15 minutes, in seconds; None when CloudWatch has none or refuses."""
    now = now or datetime.now(timezone.utc)
    try:
        resp = cloudwatch.get_metric_data(
            MetricDataQueries=[{"Id": "age", "MetricStat": {
                "Metric": {"Namespace": "AWS/SQS", "MetricName": "ApproximateAgeOfOldestMessage",
                           "Dimensions": [{"Name": "QueueName", "Value": queue_name}]},
                "Period": 60, "Stat": "Maximum"}}],
            StartTime=now - timedelta(minutes=15), EndTime=now + timedelta(minutes=1),
            ScanBy="TimestampDescending")
    except (ClientError, BotoCoreError):
        return None
    for result in resp.get("MetricDataResults", []):
        if result.get("Values"):
            return float(result["Values"][0])
    return None
