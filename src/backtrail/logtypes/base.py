"""What a log type is: how to recognise an object, frame its records, and map them to columns.

`frame` appends one object to a batch file that the engine reads in large blocks;
`engine_records` splits the batch file into `raw` records, `engine_rows` maps them to the
common columns, the per-type `fields` and a `problem` ('' for a good record, else why it is
malformed: such records go to `errors`). An object the engine cannot read at all (damaged
compression, invalid JSON) is first salvaged in Python: every readable record, an error for
each unreadable one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterator, Mapping, Protocol


@dataclass(frozen=True)
class RecordError:
    position: int
    error: str
    fragment: str = ""


class LogType(Protocol):
    name: str
    field_types: Mapping[str, type]
    """Per-type fields that are numbers (int or float); every other field is a string."""
    settings: str
    """Engine settings the type's SQL runs with, '' for none."""

    def recognises(self, key: str) -> bool:
        """True when the key follows this type's S3 delivery layout."""

    def skip_reason(self, key: str) -> str:
        """'' for objects holding events, else why the object is not ingested (e.g. a digest)."""

    def frame(self, content: BinaryIO, out: BinaryIO, index: int) -> str:
        """Append the decompressed content to the batch file as object `index`, in bounded memory.

        Returns the object's header (the line naming its fields), '' when it has none."""

    def engine_records(self) -> str:
        """SQL yielding `raw, o, position` (a row per record) from the batch file `{path:String}`.

        `position` is the record's line in its object (`{starts:Array(UInt64)}`: the batch file's
        line where each object starts), or 0 when records are not lines."""

    def engine_rows(self, records_sql: str) -> str:
        """SQL selecting the common columns but `ingested_at`, then `fields`, `problem`, `position`,
        from a query of `raw, position, object, backfill_id, header`."""

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        """Every readable record as one line (headers included) and an error per unreadable one."""
