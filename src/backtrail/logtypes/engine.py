"""A batch of objects of one log type, as files and the SQL that parses them in the engine.

A batch is a directory: the file `stream` objects are framed into (`{path:String}`), beside it
`documents` (`{documents:String}`, JSON documents one per line) and the files `own/<index>` of
objects framed apart (`{own:String}`, a glob; a large JSON document, whose records the engine
reads one at a time). A batch holding an object larger than `LARGE` is read in small blocks, so
the engine's memory stays bounded whatever the object's size. The worker inserts the rows of
`rows_sql`; `backtrail parse` selects them. Both read the same batch, so a local file parses
exactly as the worker would ingest it.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import BinaryIO

from . import compression
from .base import LogType, RecordError

# The engine would otherwise remember every file it read; the views routing records to `events`
# and `errors` would otherwise write one after the other.
READ_SETTINGS = ("schema_inference_use_cache_for_file = 0, use_cache_for_count_from_files = 0,"
                 " max_insert_threads = 2, parallel_view_processing = 1")
LARGE = 64 << 20
"""An object framed into more bytes than this is read in small blocks (`SMALL_BLOCKS`)."""
# Files read without mapping them (mapped pages count as the process's memory), blocks of 4,096
# rows (not 65,409) squashed to 4 MiB (not 256 MiB), one thread: a backfill of one object peaked
# at 467 MiB with 150 MB of CloudTrail JSON, 522 MiB with 450 MB (398 MiB with 1 MB; before,
# +16x the object's size); throughput is about halved.
SMALL_BLOCKS = ("storage_file_read_method = 'pread', max_block_size = 4096, min_insert_block_size_bytes = 4194304,"
                " max_threads = 1, max_insert_threads = 1")


@dataclass
class Batch:
    """A batch (a directory) of objects of one log type; `params` bind `rows_sql`."""
    log_type: LogType
    path: str
    params: dict = field(default_factory=dict)
    large: bool = False

    def rows_sql(self) -> str:
        # `object` is LowCardinality: what a type's SQL derives from it (regexes over the key) runs
        # once per object, not once per record.
        records = ("SELECT raw, position, toLowCardinality({objects:Array(String)}[o + 1]) AS object,"
                   " {backfills:Array(String)}[o + 1] AS backfill_id, {headers:Array(String)}[o + 1] AS header"
                   f" FROM ({self.log_type.engine_records()})")
        return self.log_type.engine_rows(records)

    def settings(self) -> str:
        return "SETTINGS " + ", ".join(filter(None, (READ_SETTINGS, self.log_type.settings,
                                                     SMALL_BLOCKS if self.large else "")))

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def write_batch(log_type: LogType, objects: list[tuple[str, str, str, str]], workdir: str) -> Batch:
    """One batch of `(path, codec, object name, backfill id)` objects; damage raises."""
    folder = tempfile.mkdtemp(dir=workdir, suffix=".batch")
    headers, starts, largest = [], [], 0
    try:
        os.mkdir(os.path.join(folder, "own"))
        with open(os.path.join(folder, "stream"), "wb") as f, open(os.path.join(folder, "documents"), "wb") as d:
            out = _Out(f, d, folder)
            for index, (source, codec, _, _) in enumerate(objects):
                starts.append(out.lines)
                before = out.size()
                with compression.open_decompressed(source, codec) as content:
                    headers.append(log_type.frame(content, out, index))
                largest = max(largest, out.size() - before + out.own_size(index))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Batch(log_type, folder, {
        "path": os.path.join(folder, "stream"), "documents": os.path.join(folder, "documents"),
        "own": os.path.join(folder, "own", "*"), "headers": headers, "starts": starts,
        "objects": [o[2] for o in objects], "backfills": [o[3] for o in objects]}, largest > LARGE)


class _Out:
    """The batch's stream (`write`, counting the lines written), `documents`, and `own_file`."""

    def __init__(self, out: BinaryIO, documents: BinaryIO, folder: str):
        self.out, self.documents, self.folder, self.lines = out, documents, folder, 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self.out.write(data)

    def size(self) -> int:
        return self.out.tell() + self.documents.tell()

    def own_file(self, index: int) -> BinaryIO:
        """A file of object `index` alone, read by the type's SQL from `{own:String}` (`_file` is the index)."""
        return open(os.path.join(self.folder, "own", str(index)), "wb")

    def own_size(self, index: int) -> int:
        path = os.path.join(self.folder, "own", str(index))
        return os.path.getsize(path) if os.path.exists(path) else 0


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
