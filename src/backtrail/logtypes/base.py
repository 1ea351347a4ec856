"""What a log type is: how to recognise an object, frame its records, and map them to columns.

The fast path runs in the engine: `engine_records` turns one object file into rows of `raw`
records, `engine_rows` maps them to the common columns. The careful path, for damaged
objects, runs in Python: `salvage` yields every good record and a `RecordError` for each bad one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol


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

    def engine_records(self, path_literal: str, codec: str, extra: str = "") -> str:
        """SQL yielding `raw String` (plus the `extra` columns, e.g. `_file`), a row per record
        of the files the path (or glob) names, decompressed with `codec`."""

    def engine_rows(self, records_sql: str) -> str:
        """SQL selecting the common columns but `ingested_at` from a query of `raw, object, backfill_id`."""

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        """Every good record (as one-line JSON or one line) and an error per bad one."""
