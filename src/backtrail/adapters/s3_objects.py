"""An S3 (or S3-compatible) bucket through boto3 and the standard credential chain."""
from __future__ import annotations

from typing import BinaryIO, Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..core.errors import PermanentError, TransientError
from ..core.records import ObjectInfo

_PERMANENT = {"NoSuchBucket", "NoSuchKey", "AccessDenied", "403", "404", "InvalidAccessKeyId",
              "SignatureDoesNotMatch", "AllAccessDisabled", "InvalidBucketName"}


class S3Objects:
    def __init__(self, bucket: str, prefix: str = "", client=None, endpoint_url: str | None = None,
                 region: str | None = None):
        self.bucket, self.prefix = bucket, prefix
        self._s3 = client or boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region,
            config=Config(retries={"mode": "adaptive", "max_attempts": 8}))

    def list(self, prefix: str, start_after: str = "") -> Iterator[ObjectInfo]:
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix, StartAfter=start_after)
        with _errors(f"s3://{self.bucket}/{prefix}"):
            for page in pages:
                for o in page.get("Contents", ()):
                    yield ObjectInfo(self.bucket, o["Key"], o["Size"], o.get("ETag", "").strip('"'),
                                     last_modified=o.get("LastModified"))

    def common_prefixes(self, prefix: str) -> Iterator[str]:
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix, Delimiter="/")
        with _errors(f"s3://{self.bucket}/{prefix}"):
            for page in pages:
                yield from (p["Prefix"] for p in page.get("CommonPrefixes", ()))

    def open(self, key: str) -> BinaryIO:
        with _errors(f"s3://{self.bucket}/{key}"):
            return self._s3.get_object(Bucket=self.bucket, Key=key)["Body"]

    def local_path(self, key: str) -> str | None:
        return None


class _errors:
    """Translate boto errors into PermanentError / TransientError naming the location."""

    def __init__(self, where: str):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, ClientError):
            code = exc.response.get("Error", {}).get("Code", "")
            msg = exc.response.get("Error", {}).get("Message", "") or code
            cls = PermanentError if code in _PERMANENT else TransientError
            raise cls(f"{self.where}: {code}: {msg}") from exc
        if isinstance(exc, BotoCoreError):
            raise TransientError(f"{self.where}: {exc}") from exc
        return False
