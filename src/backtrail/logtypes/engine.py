"""A batch of objects of one log type, as a file and the SQL that parses it in the engine.

The worker inserts the rows of `rows_sql`; `backtrail parse` selects them. Both read the same
batch file, so a local file parses exactly as the worker would ingest it.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from . import compression
from .base import LogType, RecordError

# `d` holds a JSON document as text; the engine would otherwise remember every file it read;
# the views routing records to `events` and `errors` would otherwise write one after the other.
READ_SETTINGS = ("input_format_json_read_objects_as_strings = 1, input_format_json_read_arrays_as_strings = 1,"
                 " schema_inference_use_cache_for_file = 0, use_cache_for_count_from_files = 0,"
                 " max_insert_threads = 2, parallel_view_processing = 1")


@dataclass
class Batch:
    """A batch file of objects of one log type; `params` bind `rows_sql`."""
    log_type: LogType
    path: str
    params: dict = field(default_factory=dict)

    def rows_sql(self) -> str:
        records = ("SELECT raw, position, {objects:Array(String)}[o + 1] AS object,"
                   " {backfills:Array(String)}[o + 1] AS backfill_id, {headers:Array(String)}[o + 1] AS header"
                   f" FROM ({self.log_type.engine_records()})")
        return self.log_type.engine_rows(records)

    def settings(self) -> str:
        return "SETTINGS " + ", ".join(filter(None, (READ_SETTINGS, self.log_type.settings)))

    def discard(self) -> None:
        os.unlink(self.path)


def write_batch(log_type: LogType, objects: list[tuple[str, str, str, str]], workdir: str) -> Batch:
    """One batch file of `(path, codec, object name, backfill id)` objects; damage raises."""
    fd, path = tempfile.mkstemp(dir=workdir, suffix=".batch")
    headers, starts = [], []
    try:
        with os.fdopen(fd, "wb") as f:
            out = _LineCounter(f)
            for index, (source, codec, _, _) in enumerate(objects):
                starts.append(out.lines)
                with compression.open_decompressed(source, codec) as content:
                    headers.append(log_type.frame(content, out, index))
    except BaseException:
        os.unlink(path)
        raise
    return Batch(log_type, path, {"path": path, "headers": headers, "starts": starts,
                                  "objects": [o[2] for o in objects], "backfills": [o[3] for o in objects]})


class _LineCounter:
    """A file that counts the lines written to it."""

    def __init__(self, out):
        self.out, self.lines = out, 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self.out.write(data)


def salvage(log_type: LogType, source: str, codec: str, workdir: str) -> tuple[str, list[RecordError]]:
    """A plain file of the readable records of a damaged object, and the damage found."""
    with open(source, "rb") as src:
        data, damage = compression.decompress_tolerant(src.read(), codec)
    errors = []
    fd, path = tempfile.mkstemp(dir=workdir, suffix=".salvaged")
    with os.fdopen(fd, "wb") as out:
        for item in log_type.salvage(data):
            if isinstance(item, RecordError):
                errors.append(item)
            else:
                out.write(item + b"\n")
    if damage:
        errors.append(RecordError(len(data), damage))
    return path, errors
