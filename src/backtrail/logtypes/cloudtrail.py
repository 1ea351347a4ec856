"""CloudTrail: gzipped `{"Records": [...]}` documents as delivered, or one record per line.

Digest files (`CloudTrail-Digest`) are recognised and skipped. Every record is parsed once, in
the engine, into a typed tuple from which all common columns are taken.
"""
from __future__ import annotations

import json
import re
import shutil
from typing import BinaryIO, Iterator

import orjson

from .base import RecordError

_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/CloudTrail(-Insight)?/")
_DOCUMENT = re.compile(rb'\s*\{\s*"Records"\s*:\s*\[')
_CHUNK = 1 << 20
DIGEST = "CloudTrail digest file (integrity hashes, not events)"
_DIGEST = re.compile(r"(^|/)CloudTrail-Digest/|_CloudTrail-Digest_")

_FIELDS = """Tuple(
    eventTime String, eventID String, eventName String, eventSource String, awsRegion String,
    sourceIPAddress String, userAgent String, errorCode String, recipientAccountId String,
    userIdentity Tuple(type String, arn String, accountId String, accessKeyId String,
        principalId String, userName String, invokedBy String,
        sessionContext Tuple(sessionIssuer Tuple(arn String, userName String))),
    requestParameters Tuple(roleArn String, userName String, bucketName String),
    responseElements Tuple(ConsoleLogin String, credentials Tuple(accessKeyId String),
        accessKey Tuple(accessKeyId String), assumedRoleUser Tuple(arn String)),
    resources Array(Tuple(ARN String)))"""

_COLUMNS = f"""
    coalesce(parseDateTime64BestEffortOrNull(r.eventTime, 3, 'UTC'), now64(3)) AS ts,
    'cloudtrail' AS source_type,
    r.eventID AS event_id,
    if(r.recipientAccountId != '', r.recipientAccountId, r.userIdentity.accountId) AS account_id,
    r.awsRegion AS region,
    multiIf(r.userIdentity.arn != '', r.userIdentity.arn,
            r.userIdentity.sessionContext.sessionIssuer.arn != '', r.userIdentity.sessionContext.sessionIssuer.arn,
            r.userIdentity.invokedBy != '', r.userIdentity.invokedBy,
            r.userIdentity.principalId) AS actor,
    r.userIdentity.type AS actor_type,
    r.eventName AS action,
    if(r.errorCode != '' OR r.responseElements.ConsoleLogin = 'Failure', 'failure', 'success') AS outcome,
    if(isIPv4String(r.sourceIPAddress) OR isIPv6String(r.sourceIPAddress), r.sourceIPAddress, '') AS src_ip,
    r.userAgent AS user_agent,
    multiIf(length(r.resources) > 0, r.resources[1].ARN,
            r.requestParameters.bucketName != '', concat('arn:aws:s3:::', r.requestParameters.bucketName),
            r.requestParameters.roleArn) AS resource,
    if(src_ip != '', [src_ip], []) AS ips,
    arrayDistinct(arrayFilter(x -> x != '', [r.userIdentity.arn, r.userIdentity.accessKeyId,
        r.userIdentity.sessionContext.sessionIssuer.arn, r.userIdentity.userName,
        r.requestParameters.roleArn, r.requestParameters.userName,
        r.responseElements.credentials.accessKeyId, r.responseElements.accessKey.accessKeyId,
        r.responseElements.assumedRoleUser.arn])) AS principals,
    raw"""


class CloudTrail:
    name = "cloudtrail"

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key) or _DIGEST.search(key))

    def skip_reason(self, key: str) -> str:
        return DIGEST if _DIGEST.search(key) else ""

    def frame(self, content: BinaryIO, out: BinaryIO) -> None:
        """A delivered `{"Records": [...]}` document as it is; one record per line as an array."""
        head = content.read(_CHUNK)
        if _DOCUMENT.match(head):
            out.write(head)
            shutil.copyfileobj(content, out, _CHUNK)
            return
        out.write(b"[")
        first, rest = True, b""
        while head:
            lines = (rest + head).split(b"\n")
            rest = lines.pop()
            for line in lines:
                if line.strip():
                    out.write(line if first else b"," + line)
                    first = False
            head = content.read(_CHUNK)
        if rest.strip():
            out.write(rest if first else b"," + rest)
        out.write(b"]")

    def engine_records(self, batch_sql: str) -> str:
        """Records of each value; invalid JSON yields no records, so it is refused (and salvaged)."""
        return ("SELECT arrayJoin(records) AS raw, o FROM (SELECT o, records FROM (SELECT o, d,"
                " if(startsWith(d, '['), JSONExtractArrayRaw(d), JSONExtractArrayRaw(d, 'Records')) AS records"
                f" FROM ({batch_sql})) WHERE throwIf(empty(records) AND NOT isValidJSON(d), 'invalid JSON') = 0)")

    def engine_rows(self, records_sql: str) -> str:
        return (f"SELECT {_COLUMNS}, object, backfill_id FROM (SELECT raw, object, backfill_id,"
                f" JSONExtract(raw, '{' '.join(_FIELDS.split())}') AS r FROM ({records_sql}))")

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        body = text.strip()
        if not body:
            return
        if not body.startswith(b"{"):
            yield RecordError(0, "not CloudTrail JSON: the object does not start with '{'", _fragment(body))
            return
        if _DOCUMENT.match(body[:4096]):
            yield from _salvage_document(body)
        else:
            yield from _salvage_lines(body)


def _salvage_document(body: bytes) -> Iterator[bytes | RecordError]:
    """Records of a damaged `{"Records": [...]}` document, up to the first damage."""
    try:
        for record in orjson.loads(body)["Records"]:
            yield orjson.dumps(record)
        return
    except (orjson.JSONDecodeError, KeyError, TypeError):
        pass
    text = body.decode("utf-8", "replace")
    decoder, pos = json.JSONDecoder(), text.index("[") + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            yield RecordError(pos, "truncated document: the Records array is not closed")
            return
        if text[pos] == "]":
            return
        try:
            record, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield RecordError(pos, f"invalid JSON record: {exc.msg} (the rest of the object is unreadable)",
                              text[pos:pos + 200])
            return
        yield orjson.dumps(record)
        pos = end


def _salvage_lines(body: bytes) -> Iterator[bytes | RecordError]:
    pos = 0
    for line in body.split(b"\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        try:
            yield orjson.dumps(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            yield RecordError(start, f"invalid JSON line: {exc}", _fragment(line))


def _fragment(data: bytes) -> str:
    return data[:200].decode("utf-8", "replace")
