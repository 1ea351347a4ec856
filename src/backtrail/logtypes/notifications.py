"""Queue message bodies <-> object references, for every shape AWS delivers.

`decode` understands: S3 event notifications sent straight to SQS (or via SNS raw delivery),
whose keys S3 form-URL-encodes ("red flower.jpg" -> "red+flower.jpg"); the same inside an SNS
envelope; EventBridge "Object Created" from aws.s3 (keys not encoded); s3:TestEvent and SNS
subscription confirmations (ignored); and the backfill notification that `fabricate` makes: the
S3 event shape plus a top-level ``"backtrail": {"backfill_id": ...}``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import orjson

from backtrail.core.errors import BadMessage
from backtrail.core.records import Decoded, ObjectInfo, ObjectRef

MAX_BODY_BYTES = 200 * 1024
_SNS_IGNORED = ("SubscriptionConfirmation", "UnsubscribeConfirmation")


def decode(body: str) -> Decoded:
    """Object references carried by one queue message body; raises `BadMessage` otherwise."""
    try:
        return _dispatch(_load(body))
    except BadMessage as exc:
        raise BadMessage(f"{exc}: {body[:200]!r}") from None


def _load(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise BadMessage(f"message is not JSON ({exc})") from None


def _dispatch(doc: Any, depth: int = 0) -> Decoded:
    if not isinstance(doc, dict):
        raise BadMessage(f"message is a JSON {type(doc).__name__}, not an object")
    if "Records" in doc:
        return _s3_event(doc)
    if doc.get("Type") == "Notification" and "Message" in doc and depth < 2:
        return _sns(doc, depth)
    if doc.get("Type") in _SNS_IGNORED:
        return Decoded(ignored=[f"SNS {doc['Type']}"])
    if doc.get("source") == "aws.s3" and "detail-type" in doc:
        return _eventbridge(doc)
    if doc.get("Event") == "s3:TestEvent":
        return Decoded(ignored=["s3:TestEvent"])
    keys = ", ".join(sorted(map(str, doc))[:10])
    raise BadMessage(f"unrecognised message shape (top-level keys: {keys or 'none'})")


def _sns(doc: dict, depth: int) -> Decoded:
    """SNS envelope: the S3 (or EventBridge) document is a JSON string in `Message`."""
    if not isinstance(doc["Message"], str):
        raise BadMessage("SNS Message is not a string")
    try:
        return _dispatch(_load(doc["Message"]), depth + 1)
    except BadMessage as exc:
        raise BadMessage(f"in SNS Message: {exc}") from None


def _s3_event(doc: dict) -> Decoded:
    """S3 event notification, possibly fabricated by a backfill (`backtrail.backfill_id`)."""
    if not isinstance(doc["Records"], list):
        raise BadMessage("Records is not a list")
    backfill_id = str(_dict(doc.get("backtrail")).get("backfill_id") or "")
    out = Decoded()
    for rec in doc["Records"]:
        rec = _dict(rec)
        if not isinstance(rec.get("s3"), dict):
            out.ignored.append(f"not an S3 event record (eventSource={rec.get('eventSource')!r})")
            continue
        bucket, obj = _dict(rec["s3"].get("bucket")), _dict(rec["s3"].get("object"))
        if not bucket.get("name") or not isinstance(obj.get("key"), str):
            raise BadMessage("S3 record without bucket name or object key")
        key = unquote_plus(obj["key"])
        name = str(rec.get("eventName") or "").removeprefix("s3:")
        if not name.startswith("ObjectCreated:"):
            out.ignored.append(f"{name or 'no eventName'}: s3://{bucket['name']}/{key}")
            continue
        info = _info(bucket["name"], key, obj.get("size"), obj.get("eTag"),
                     obj.get("versionId"), rec.get("eventTime"))
        out.refs.append(ObjectRef(info, backfill_id))
    return out


def _eventbridge(doc: dict) -> Decoded:
    """EventBridge event from aws.s3; only "Object Created" names an object to ingest."""
    detail = _dict(doc.get("detail"))
    bucket, obj = _dict(detail.get("bucket")), _dict(detail.get("object"))
    if not bucket.get("name") or not isinstance(obj.get("key"), str):
        raise BadMessage("EventBridge event without detail.bucket.name or detail.object.key")
    if doc["detail-type"] != "Object Created":
        return Decoded(ignored=[f"{doc['detail-type']}: s3://{bucket['name']}/{obj['key']}"])
    info = _info(bucket["name"], obj["key"], obj.get("size"), obj.get("etag") or obj.get("eTag"),
                 obj.get("version-id"), doc.get("time"))
    return Decoded(refs=[ObjectRef(info)])


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _info(bucket: str, key: str, size: Any, etag: Any, version: Any, when: Any) -> ObjectInfo:
    try:
        size = int(size or 0)
    except (TypeError, ValueError):
        raise BadMessage(f"object size {size!r} is not a number: s3://{bucket}/{key}") from None
    return ObjectInfo(bucket=str(bucket), key=key, size=size, etag=str(etag or "").strip('"'),
                      version_id=str(version or ""), last_modified=_time(when))


def _time(value: Any) -> datetime | None:
    """ISO-8601 (`...Z` or offset) or epoch seconds -> aware datetime; anything else -> None."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, timezone.utc)
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def encode_key(key: str) -> str:
    """Encode a key as S3 does in event notifications: form encoding, `/` left as is."""
    return quote_plus(key, safe="/")


def _record(info: ObjectInfo) -> bytes:
    obj = {"key": encode_key(info.key), "size": info.size, "eTag": info.etag.strip('"')}
    if info.version_id:
        obj["versionId"] = info.version_id
    rec: dict[str, Any] = {"eventVersion": "2.1", "eventSource": "aws:s3",
                           "eventName": "ObjectCreated:Put"}
    if info.last_modified is not None:
        rec["eventTime"] = _iso(info.last_modified)
    rec["s3"] = {"s3SchemaVersion": "1.0", "configurationId": "backtrail-backfill",
                 "bucket": {"name": info.bucket, "arn": f"arn:aws:s3:::{info.bucket}"},
                 "object": obj}
    return orjson.dumps(rec)


def _iso(dt: datetime) -> str:
    dt = dt.astimezone(timezone.utc) if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    spec = "milliseconds" if dt.microsecond % 1000 == 0 else "microseconds"
    return dt.isoformat(timespec=spec).replace("+00:00", "Z")


def _body(records: list[bytes], backfill_id: str) -> str:
    tail = b'],"backtrail":' + orjson.dumps({"backfill_id": backfill_id}) + b"}"
    return (b'{"Records":[' + b",".join(records) + tail).decode()


def fabricate(objects: Iterable[ObjectInfo], backfill_id: str) -> str:
    """One S3-event body carrying every object as a Record, tagged with `backfill_id`."""
    return _body([_record(o) for o in objects], backfill_id)


def fabricate_batches(objects: Iterable[ObjectInfo], backfill_id: str,
                      max_records: int = 50) -> Iterator[str]:
    """Bodies of at most `max_records` records each, every body under `MAX_BODY_BYTES`."""
    budget, batch, size = MAX_BODY_BYTES - len(_body([], backfill_id).encode()), [], 0
    for info in objects:
        rec = _record(info)
        if batch and (len(batch) >= max_records or size + len(rec) + 1 > budget):
            yield _body(batch, backfill_id)
            batch, size = [], 0
        batch.append(rec)
        size += len(rec) + 1
    if batch:
        yield _body(batch, backfill_id)

