"""Log types whose records are JSON: one `{"Records": [...]}` document, or one record per line.

Records one per line are framed into the batch's stream, each line prefixed with the object's
number (`7 <line>`, read as `LineAsString`). A delivered `{"Records": [...]}` document up to
`INLINE` bytes is one line of the batch's `documents` (`7 <document>`, its newlines as spaces,
split in the engine); a larger one gets a file of its own holding its Records array (`[...]`,
read as `JSONAsString`, one row per record), so the engine never holds a large object whole (a
file per object costs the engine ~3 ms, too much for small ones). Each record is parsed in the
engine into a typed tuple (`record_type`) from which `columns` take the common columns; the
record itself is `raw` (as the engine writes it: `JSONExtractRaw`, `JSONExtractArrayRaw`), its
fields reached by their JSON path.
"""
from __future__ import annotations

import json
import re
from typing import BinaryIO, Iterator

import orjson

from .base import RecordError

_DOCUMENT = re.compile(rb'\s*\{\s*"Records"\s*:\s*\[')
_END = re.compile(rb"\]\s*\}\s*\Z")
_HELD = 64
"""The end of a document held back to drop its closing `}`; a longer end is refused (then salvaged)."""
INLINE = 8 << 20
"""A document up to this size is one line of `documents`, a larger one a file of its own."""
_CHUNK = 1 << 20
# A record the engine cannot read is '' (then the object is refused, and salvaged), as is a blank line.
_BLANK = r"match(d, '^[ \t\r\v\f]*$')"
_NUMBER = "toUInt32(substring(line, 1, position(line, ' ') - 1))"
_AFTER_NUMBER = "substring(line, position(line, ' ') + 1)"


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

    def frame(self, content: BinaryIO, out, index: int) -> str:
        head = content.read(_CHUNK)
        document = _DOCUMENT.match(head)
        if not document:
            write_lines(head, content, out, index)
            return ""
        parts, size = [head], len(head)
        while size <= INLINE and (more := content.read(_CHUNK)):
            parts.append(more)
            size += len(more)
        if size > INLINE:
            with out.own_file(index) as own:
                _write_records_array(b"".join(parts)[document.end() - 1:], content, own)
            return ""
        out.documents.write(b"%d " % index)
        for part in parts:
            out.documents.write(part.replace(b"\n", b" "))
        out.documents.write(b"\n")
        return ""

    def engine_records(self) -> str:
        """Records of each object; invalid JSON is refused (and salvaged)."""
        return ("SELECT raw, o, 0 AS position FROM ("
                "SELECT JSONExtractRaw(d) AS raw, toUInt32(_file) AS o, d"
                " FROM file({own:String}, 'JSONAsString', 'd String') UNION ALL"
                f" SELECT JSONExtractRaw({_AFTER_NUMBER} AS d) AS raw, {_NUMBER} AS o, d"
                " FROM file({path:String}, 'LineAsString', 'line String'))"
                f" WHERE throwIf(raw = '' AND NOT {_BLANK}, 'invalid JSON') = 0 AND raw != ''"
                " UNION ALL SELECT arrayJoin(records) AS raw, o, 0 AS position"
                f" FROM (SELECT {_NUMBER} AS o, {_AFTER_NUMBER} AS d, JSONExtractArrayRaw(d, 'Records') AS records"
                " FROM file({documents:String}, 'LineAsString', 'line String')"
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


def write_lines(head: bytes, content: BinaryIO, out: BinaryIO, index: int) -> None:
    """The content as it is, each line prefixed with the object's number."""
    prefix = b"%d " % index
    newline = b"\n" + prefix
    out.write(prefix)
    while head:
        out.write(head.replace(b"\n", newline))
        head = content.read(_CHUNK)
    out.write(b"\n")


def _write_records_array(head: bytes, content: BinaryIO, own: BinaryIO) -> None:
    """A document's Records array, from its `[`: the rest but the document's closing `}`."""
    held = b""
    while head:
        held += head
        if len(held) > _HELD:
            own.write(memoryview(held)[:-_HELD])
            held = held[-_HELD:]
        head = content.read(_CHUNK)
    end = _END.search(held)
    own.write(held[:end.start() + 1] if end else held)


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
