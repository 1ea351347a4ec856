"""An S3 (or S3-compatible) bucket through boto3 and the standard credential chain."""
from __future__ import annotations

import io
from typing import BinaryIO, Iterator

import boto3
import urllib3
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
            return _Body(self._s3.get_object(Bucket=self.bucket, Key=key)["Body"], f"s3://{self.bucket}/{key}")

    def local_path(self, key: str) -> str | None:
        return None


class _Body(io.RawIOBase):
    """An object's content as it downloads: a connection reset, timed out or cut short mid-body is
    a TransientError (the message comes back later), not an exception the worker does not know."""

    def __init__(self, body, where: str):
        self._body, self._where = body, where

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        try:
            return self._body.read(None if n is None or n < 0 else n)
        except (BotoCoreError, urllib3.exceptions.HTTPError, OSError) as exc:
            raise TransientError(f"{self._where}: the download broke off: {exc}") from exc

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


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
