"""Log types whose records are JSON: one `{"Records": [...]}` document, or one record per line.

An object is framed as one line `{"o": N, "d": VALUE}` of the batch file: a delivered
`{"Records": [...]}` document as it is, records one per line as an array. Each record is parsed
once, in the engine, into a typed tuple (`record_type`) from which `columns` take the common
columns; the record itself is `raw`, its fields reached by their JSON path.
"""
from __future__ import annotations

import json
import re
import shutil
from typing import BinaryIO, Iterator

import orjson

from .base import RecordError

_DOCUMENT = re.compile(rb'\s*\{\s*"Records"\s*:\s*\[')
_CHUNK = 1 << 20


class JsonRecords:
    name = ""
    field_types: dict = {}
    settings = ""
    record_type = "Tuple()"
    """The ClickHouse type each record is extracted as, `r` in `columns`."""
    columns = ""
    """SQL of the common columns but `ingested_at`, from the extracted record `r` and `raw`."""

    def skip_reason(self, key: str) -> str:
        return ""

    def frame(self, content: BinaryIO, out: BinaryIO, index: int) -> str:
        out.write(b'{"o":%d,"d":' % index)
        head = content.read(_CHUNK)
        if _DOCUMENT.match(head):
            out.write(head)
            shutil.copyfileobj(content, out, _CHUNK)
        else:
            _write_lines_as_array(head, content, out)
        out.write(b"}\n")
        return ""

    def engine_records(self) -> str:
        """Records of each value; invalid JSON yields no records, so it is refused (and salvaged)."""
        return ("SELECT arrayJoin(records) AS raw, o, 0 AS position FROM (SELECT o, records FROM (SELECT o, d,"
                " if(startsWith(d, '['), JSONExtractArrayRaw(d), JSONExtractArrayRaw(d, 'Records')) AS records"
                " FROM file({path:String}, 'JSONEachRow', 'o UInt32, d String'))"
                " WHERE throwIf(empty(records) AND NOT isValidJSON(d), 'invalid JSON') = 0)")

    def engine_rows(self, records_sql: str) -> str:
        return (f"SELECT {self.columns}, raw, map() AS fields, '' AS problem, position, object, backfill_id"
                f" FROM (SELECT raw, position, object, backfill_id,"
                f" JSONExtract(raw, '{' '.join(self.record_type.split())}') AS r FROM ({records_sql}))")

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        body = text.strip()
        if not body:
            return
        if not body.startswith(b"{"):
            yield RecordError(0, f"not {self.name} JSON: the object does not start with '{{'", _fragment(body))
            return
        if _DOCUMENT.match(body[:4096]):
            yield from _salvage_document(body)
        else:
            yield from _salvage_lines(body)


def _write_lines_as_array(head: bytes, content: BinaryIO, out: BinaryIO) -> None:
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
        except (json.JSONDecodeError, RecursionError) as exc:  # RecursionError: nested too deeply
            yield RecordError(pos, f"invalid JSON record: {getattr(exc, 'msg', 'nested too deeply')} (the rest of"
                                   " the object is unreadable)", text[pos:pos + 200])
            return
        yield orjson.dumps(record)
        pos = end


def _salvage_lines(body: bytes) -> Iterator[bytes | RecordError]:
    """Each line that is JSON; an error naming the line number of each that is not."""
    for number, line in enumerate(body.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            yield orjson.dumps(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            yield RecordError(number, f"invalid JSON line: {exc}", _fragment(line))


def _fragment(data: bytes) -> str:
    return data[:200].decode("utf-8", "replace")
