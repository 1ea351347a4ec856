"""CloudWatch Logs subscription data delivered to S3 by Amazon Data Firehose.

Each Firehose record is one JSON envelope (`messageType`, `owner`, `logGroup`, `logStream`,
`subscriptionFilters`, `logEvents`). An object holds envelopes back to back (`}{`, the gzip
members decompressed), one per line, or pretty printed. Every log event of a DATA_MESSAGE is a
record: the event (`id`, `timestamp` in epoch ms, `message`) with its envelope's `logGroup`,
`logStream`, `owner` and `subscriptionFilters`; a CONTROL_MESSAGE (a health check) gives none.

Envelopes are split in `frame`, streaming (a sliding window over the content, never the whole
object), and the object's events written one per line; a damaged envelope refuses the
object, and `salvage` then keeps every readable envelope and reports the damaged ones by line.
The key is Firehose's `[prefix]YYYY/MM/dd/HH/<stream>-<version>-YYYY-MM-dd-HH-mm-ss-<uuid>`;
streams named `aws-waf-logs-*` hold WAF records and are left to `waf`.
"""
from __future__ import annotations

import itertools
import json
import re
from typing import Any, BinaryIO, Iterator

import orjson

from .base import RecordError
from .jsonrecords import JsonRecords
from .waf import FIREHOSE_FILE

_LAYOUT = re.compile(r"(^|/)(?!aws-waf-logs-)[A-Za-z0-9_.-]+?" + FIREHOSE_FILE)
_CHUNK = 1 << 20
MAX_ENVELOPE = 16 << 20
"""An envelope not complete within this many characters is damage, not a chunk boundary."""
_SPACE = re.compile(r"[ \t\r\n]*")
_SPACE_BYTES = re.compile(rb"[ \t\r\n]*")
_BOUNDARY = re.compile(rb"\}(?=[ \t\r\n]*\{)")
_TRIES = 8
# Where an envelope may start after damage: a line starting with `{`, or a `{"messageType":`
# (a quote inside a JSON string is escaped, so this never matches within a message).
_RESYNC = re.compile(r'^\{|\{(?=\s*"messageType"\s*:)', re.M)
_ENVELOPE_KEYS = ("logGroup", "logStream", "owner", "subscriptionFilters")

_FIELDS = "Tuple(id String, timestamp Nullable(Int64), logGroup String, logStream String, owner String)"

_COLUMNS = """
    coalesce(fromUnixTimestamp64Milli(r.timestamp, 'UTC'), now64(3, 'UTC')) AS ts,
    'cloudwatch' AS source_type,
    r.id AS event_id,
    r.owner AS account_id,
    '' AS region,
    r.logGroup AS actor,
    '' AS actor_type,
    '' AS action,
    '' AS outcome,
    '' AS src_ip,
    '' AS user_agent,
    r.logStream AS resource,
    CAST([], 'Array(String)') AS ips,
    CAST([], 'Array(String)') AS principals"""


class CloudWatchSubscription(JsonRecords):
    name = "cloudwatch"
    record_type = _FIELDS
    columns = _COLUMNS

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))

    def frame(self, content: BinaryIO, out: BinaryIO, index: int) -> str:
        """The events of every envelope, one per line; damage raises ValueError (the object is refused)."""
        prefix = b"%d " % index
        for envelope in envelopes(content):
            out.write(b"".join(prefix + record + b"\n" for record in events(envelope)))
        return ""

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        """Each readable envelope as one line; an error at the line where each damaged one starts."""
        body = text.decode("utf-8", "replace")
        decoder, pos, line, counted = json.JSONDecoder(), 0, 1, 0
        while True:
            pos = _SPACE.match(body, pos).end()
            if pos >= len(body):
                return
            line, counted = line + body.count("\n", counted, pos), pos
            try:
                envelope, end = decoder.raw_decode(body, pos)
                events(envelope)  # what frame would refuse is an error here
            except (ValueError, RecursionError) as exc:
                reason = (f"invalid JSON envelope: {exc.msg}" if isinstance(exc, json.JSONDecodeError)
                          else "invalid JSON envelope: nested too deeply" if isinstance(exc, RecursionError)
                          else str(exc))
                yield RecordError(line, reason, body[pos:pos + 200])
                found = _RESYNC.search(body, pos + 1)
                if not found:
                    return
                pos = found.start()
                continue
            yield _dumps(envelope)
            pos = end


def envelopes(content: BinaryIO, chunk: int = _CHUNK) -> Iterator[Any]:
    """The JSON values of a stream of concatenated or line-separated values, in bounded memory.

    A value usually ends where a `}` is followed by the next `{`: each such candidate is tried
    with orjson (a `}{` inside a string fails to parse, and the next one is tried); after a few
    failures the value is decoded exactly. Raises ValueError at the first value that is not JSON."""
    buf, pos, eof, last, tried, tries = b"", 0, False, 0, 0, 0
    while True:
        pos = _SPACE_BYTES.match(buf, pos).end()
        if pos == len(buf) and eof:
            return
        found = None
        if pos < len(buf):
            ends = (m.start() + 1 for m in _BOUNDARY.finditer(buf, max(pos, tried)))
            for end in itertools.chain(ends, [last] if eof else []):
                tries, tried = tries + 1, end
                try:
                    found = orjson.loads(memoryview(buf)[pos:end]), end
                    break
                except orjson.JSONDecodeError:
                    if tries >= _TRIES:
                        break
            if found is None and (tries >= _TRIES or eof or len(buf) - pos > MAX_ENVELOPE):
                found = _decode_exactly(buf, pos, eof)
        if found is not None:
            value, pos = found
            tried, tries = pos, 0
            yield value
            continue
        data = content.read(chunk)
        buf, tried, pos = buf[pos:] + data, max(tried - pos, 0), 0
        eof, last = not data, len(buf.rstrip())


def _decode_exactly(buf: bytes, pos: int, eof: bool) -> tuple[Any, int] | None:
    """The value at `pos` and where it ends; None when it may go on beyond the end of `buf`."""
    data = buf[pos:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if eof or exc.reason != "unexpected end of data":
            raise ValueError(f"invalid JSON envelope: not UTF-8 at byte {pos + exc.start}") from None
        text = data[:exc.start].decode("utf-8")
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        if not eof and _cut(exc) and len(data) <= MAX_ENVELOPE:
            return None
        raise ValueError(f"invalid JSON envelope: {exc.msg}") from None
    except RecursionError:  # nested deeper than Python's stack: damage, not a crash of the worker
        raise ValueError("invalid JSON envelope: nested too deeply") from None
    return value, pos + len(text[:end].encode("utf-8"))


def _cut(exc: json.JSONDecodeError) -> bool:
    """The error may only mean that the value goes on beyond the end of the window."""
    return exc.msg.startswith("Unterminated string") or len(exc.doc) - exc.pos <= 16


def events(envelope: Any) -> list[bytes]:
    """The records of an envelope, each as JSON: its log events with the envelope's fields."""
    if not isinstance(envelope, dict):
        raise ValueError("not a CloudWatch Logs subscription envelope: a JSON value that is not an object")
    if envelope.get("messageType") == "CONTROL_MESSAGE":
        return []
    log_events = envelope.get("logEvents")
    if not isinstance(log_events, list) or not all(isinstance(e, dict) for e in log_events):
        raise ValueError("not a CloudWatch Logs subscription envelope: no logEvents list of objects")
    common = {k: envelope[k] for k in _ENVELOPE_KEYS if k in envelope}
    return [_dumps({**event, **common}) for event in log_events]


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):  # integers beyond 64 bits, lone surrogates
        return json.dumps(value, separators=(",", ":")).encode()
