"""Parse local files exactly as the worker would, for `backtrail parse`: records and errors.

The file goes the worker's careful way (tolerant decompression, salvage, the engine's parse of
the same batch file), then each row is selected instead of inserted.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterator

import orjson

from ..core.ports import Store
from ..core.schema import FRAGMENT_CHARS
from ..logtypes import compression, engine
from ..logtypes.base import LogType, RecordError

SHOWN = ("ts", "source_type", "event_id", "account_id", "region", "actor", "actor_type", "action", "outcome",
         "src_ip", "user_agent", "resource", "ips", "principals", "object", "raw")


@dataclass(frozen=True)
class Malformed:
    path: str
    error: RecordError


def parse_file(store: Store, path: str, log_type: LogType, workdir: str,
               object_name: str | None = None) -> Iterator[dict[str, Any] | Malformed]:
    """Each record as the common columns plus its typed `fields`, and each malformed record."""
    with open(path, "rb") as f:
        codec = compression.detect(f.read(8))
    salvaged, errors = engine.salvage(log_type, path, codec, workdir)
    try:
        batch = engine.write_batch(log_type, [(salvaged, compression.NONE, object_name or path, "")], workdir)
    finally:
        os.unlink(salvaged)
    try:
        rows = store.query(f"SELECT {', '.join(SHOWN)}, fields, problem, position FROM ({batch.rows_sql()})"
                           f" ORDER BY position {batch.settings()}", batch.params)
    finally:
        batch.discard()
    for e in errors:
        yield Malformed(path, e)
    for row in rows:
        problem, position = row.pop("problem"), row.pop("position")
        if problem:
            yield Malformed(path, RecordError(int(position), problem, row["raw"][:FRAGMENT_CHARS]))
        else:
            row["fields"] = typed(log_type, row["fields"]) if row["fields"] else _json_fields(row["raw"])
            yield row


def typed(log_type: LogType, fields: dict[str, str]) -> dict[str, Any]:
    """Field values with numbers as numbers, as the log type declares them."""
    return {k: log_type.field_types.get(k, str)(v) for k, v in fields.items()}


def _json_fields(raw: str) -> dict[str, Any]:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
