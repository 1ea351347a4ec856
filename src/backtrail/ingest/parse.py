"""Parse local files exactly as the worker would, for `backtrail parse`: records and errors.

The file goes the worker's careful way (tolerant decompression, salvage, the engine's parse of
the same batch file), then each row is selected instead of inserted.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any, Iterator

import orjson

from ..core.errors import QueryError
from ..core.ports import Store
from ..core.schema import FRAGMENT_CHARS
from ..logtypes import compression, engine
from ..logtypes.base import LogType, RecordError

# One reading thread: the rows come out in the file's order, with nothing to sort.
_IN_ORDER = "max_threads = 1, input_format_parallel_parsing = 0"
SHOWN = ("ts", "source_type", "event_id", "account_id", "region", "actor", "actor_type", "action", "outcome",
         "src_ip", "user_agent", "resource", "ips", "principals", "object", "raw")


@dataclass(frozen=True)
class Malformed:
    path: str
    error: RecordError


def parse_file(store: Store, path: str, log_type: LogType, workdir: str,
               object_name: str | None = None) -> Iterator[dict[str, Any] | Malformed]:
    """Each record as the common columns plus its typed `fields`, and each malformed record.

    Memory stays bounded: the file is streamed, the rows are written by the engine to a file
    and read back line by line. Only a file the engine refuses is decoded in memory, to salvage it."""
    with open(path, "rb") as f:
        codec = compression.detect(f.read(8))
    name, errors = object_name or path, []
    try:
        rows_path = _rows(store, log_type, path, codec, name, workdir)
    except compression.DecompressionBomb as exc:
        yield Malformed(path, RecordError(0, str(exc)))
        return
    except (QueryError, *compression.DAMAGED):
        salvaged, errors = engine.salvage(log_type, path, codec, workdir)
        try:
            rows_path = _rows(store, log_type, salvaged, compression.NONE, name, workdir)
        except QueryError as exc:
            yield from (Malformed(path, e) for e in errors)
            yield Malformed(path, RecordError(0, f"the engine refused the salvaged records: {exc}"))
            return
        finally:
            os.unlink(salvaged)
    try:
        yield from (Malformed(path, e) for e in errors)
        with open(rows_path, "rb") as rows:
            for line in rows:
                yield _record(path, log_type, orjson.loads(line))
    finally:
        os.unlink(rows_path)


def _rows(store: Store, log_type: LogType, path: str, codec: str, name: str, workdir: str) -> str:
    """A file of the parsed rows (JSON lines, in the file's order), written by the engine."""
    batch = engine.write_batch(log_type, [(path, codec, name, "")], workdir)
    fd, rows_path = tempfile.mkstemp(dir=workdir, suffix=".rows")
    os.close(fd)
    os.unlink(rows_path)  # the engine refuses to overwrite a file
    try:
        store.command(f"INSERT INTO FUNCTION file({{rows:String}}, 'JSONEachRow') SELECT {', '.join(SHOWN)}, fields,"
                      f" problem, position FROM ({batch.rows_sql()}) {batch.settings()}, {_IN_ORDER}",
                      {**batch.params, "rows": rows_path})
    except QueryError:
        if os.path.exists(rows_path):
            os.unlink(rows_path)
        raise
    finally:
        batch.discard()
    return rows_path


def _record(path: str, log_type: LogType, row: dict[str, Any]) -> dict[str, Any] | Malformed:
    problem, position = row.pop("problem"), row.pop("position")
    if problem:
        return Malformed(path, RecordError(int(position), problem, row["raw"][:FRAGMENT_CHARS]))
    row["fields"] = typed(log_type, row["fields"]) if row["fields"] else _json_fields(row["raw"])
    return row


def typed(log_type: LogType, fields: dict[str, str]) -> dict[str, Any]:
    """Field values with numbers as numbers, as the log type declares them."""
    return {k: log_type.field_types.get(k, str)(v) for k, v in fields.items()}


def _json_fields(raw: str) -> dict[str, Any]:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
