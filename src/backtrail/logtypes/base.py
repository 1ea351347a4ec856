"""What a log type is: how to recognise an object, frame its records, and map them to columns.

The fast path: `frame` writes one object's content as ONE JSON value (the whole document, or
its records as an array); a batch of objects becomes one stream of `{"o": N, "d": VALUE}` lines
that the engine reads in large blocks. `engine_records` splits `d` into `raw` records,
`engine_rows` maps them to the common columns. The careful path, for damaged objects, runs in
Python: `salvage` yields every good record and a `RecordError` for each bad one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterator, Protocol


@dataclass(frozen=True)
class RecordError:
    position: int
    error: str
    fragment: str = ""


class LogType(Protocol):
    name: str

    def recognises(self, key: str) -> bool:
        """True when the key follows this type's S3 delivery layout."""

    def skip_reason(self, key: str) -> str:
        """'' for objects holding events, else why the object is not ingested (e.g. a digest)."""

    def frame(self, content: BinaryIO, out: BinaryIO) -> None:
        """Copy the decompressed content to `out` as one JSON value, in bounded memory."""

    def engine_records(self, batch_sql: str) -> str:
        """SQL yielding `raw, o` (a row per record) from a query yielding `o UInt32, d String`."""

    def engine_rows(self, records_sql: str) -> str:
        """SQL selecting the common columns but `ingested_at` from a query of `raw, object, backfill_id`."""

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        """Every good record (as one-line JSON or one line) and an error per bad one."""
