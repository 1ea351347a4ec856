"""Write fetched objects into the store, idempotently per object.

A batch is framed by its log type into one stream of `{"o": N, "d": <document>}` lines (one
per object), read by the engine in large blocks, in one INSERT per log type and codec. Every row of
one INSERT carries the same unique `ingested_at`, so the rows per object are counted exactly
afterwards, and a failed INSERT is undone exactly. An object the engine cannot read (corrupt
compression, invalid JSON, the wrong type) is salvaged in Python: its good records are written,
every bad one is kept in `errors`.
"""
from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections import defaultdict

from ..core.errors import QueryError
from ..core.ports import Store
from ..core.schema import COMMON_COLUMNS
from ..logtypes import compression
from ..logtypes.base import RecordError
from .fetch import Fetched
from .ledger import DONE, FAILED, STARTED, Ledger, Outcome

log = logging.getLogger(__name__)

# `d` holds a JSON document as text; the engine would otherwise remember every file it read.
_READ = ("SETTINGS input_format_json_read_objects_as_strings = 1, input_format_json_read_arrays_as_strings = 1,"
         " schema_inference_use_cache_for_file = 0, use_cache_for_count_from_files = 0")


_COLUMNS = ", ".join(COMMON_COLUMNS)
_SELECT = ", ".join("toDateTime64({at:String}, 6) AS ingested_at" if c == "ingested_at" else c
                    for c in COMMON_COLUMNS)


class _Refused(Exception):
    """The batch could not be written as a whole; nothing of it was kept."""


class EventWriter:
    def __init__(self, store: Store, ledger: Ledger, workdir: str):
        self.store, self.ledger, self.workdir = store, ledger, workdir
        self._last_at, self._clock = 0, threading.Lock()

    def write(self, batch: list[Fetched], dirty: set[str]) -> list[Outcome]:
        """Write the batch; rows of objects named in `dirty` (bucket/key) are deleted first."""
        for f in batch:
            if f.ref.info.name in dirty:
                self.store.command("DELETE FROM events WHERE object = {o:String}", {"o": f.ref.info.name})
        self.ledger.record([Outcome(f.ref, f.log_type.name, STARTED) for f in batch])
        groups: dict[tuple[str, str], list[Fetched]] = defaultdict(list)
        for f in batch:
            groups[(f.log_type.name, f.codec)].append(f)
        counts: dict[str, int] = {}
        errors: dict[str, list[RecordError]] = {}
        for group in groups.values():
            try:
                counts.update(self._insert(group))
            except _Refused:  # someone in the group is damaged: one object at a time, carefully
                for f in group:
                    errors[f.ref.info.identity] = self._insert_carefully(f, counts)
        return [self._outcome(f, counts.get(f.ref.info.name, 0), errors.get(f.ref.info.identity, []))
                for f in batch]

    def _insert(self, group: list[Fetched]) -> dict[str, int]:
        """All rows of the group, or none; returns the number of rows per object."""
        log_type, at = group[0].log_type, self._unique_time()
        fd, batch_path = tempfile.mkstemp(dir=self.workdir, suffix=".ndjson")
        try:
            with os.fdopen(fd, "wb") as out:
                for i, f in enumerate(group):
                    out.write(b'{"o":%d,"d":' % i)
                    with compression.open_decompressed(f.path, f.codec) as content:
                        log_type.frame(content, out)
                    out.write(b"}\n")
            batch = "SELECT o, d FROM file({path:String}, 'JSONEachRow', 'o UInt32, d String')"
            records = ("SELECT raw, {objects:Array(String)}[o + 1] AS object, {backfills:Array(String)}[o + 1]"
                       f" AS backfill_id FROM ({log_type.engine_records(batch)})")
            self.store.command(
                f"INSERT INTO events ({_COLUMNS}) SELECT {_SELECT} FROM ({log_type.engine_rows(records)}) {_READ}",
                {"at": at, "path": batch_path, "objects": [f.ref.info.name for f in group],
                 "backfills": [f.ref.backfill_id for f in group]})
        except (QueryError, *compression.DAMAGED) as exc:
            log.info("batch of %d %s objects refused (%s); retrying one by one", len(group), log_type.name, exc)
            self.store.command("DELETE FROM events WHERE ingested_at = toDateTime64({at:String}, 6)", {"at": at})
            raise _Refused(str(exc)) from exc
        finally:
            os.unlink(batch_path)
        rows = self.store.query(
            "SELECT object, count() AS n FROM events WHERE ingested_at = toDateTime64({at:String}, 6)"
            " AND object IN {objects:Array(String)} GROUP BY object",
            {"at": at, "objects": [f.ref.info.name for f in group]})
        return {row["object"]: int(row["n"]) for row in rows}

    def _unique_time(self) -> str:
        """A microsecond timestamp never used twice by this writer, whichever thread asks."""
        with self._clock:
            now = self._last_at = max(time.time_ns() // 1000, self._last_at + 1)
        return f"{now // 1_000_000}.{now % 1_000_000:06d}"

    def _insert_carefully(self, f: Fetched, counts: dict[str, int]) -> list[RecordError]:
        try:
            counts.update(self._insert([f]))
            return []
        except _Refused:
            pass
        with open(f.path, "rb") as src:
            data, damage = compression.decompress_tolerant(src.read(), f.codec)
        errors, good = [], 0
        fd, tmp = tempfile.mkstemp(dir=self.workdir, suffix=".ndjson")
        with os.fdopen(fd, "wb") as out:
            for item in f.log_type.salvage(data):
                if isinstance(item, RecordError):
                    errors.append(item)
                else:
                    out.write(item + b"\n")
                    good += 1
        if damage:
            errors.append(RecordError(len(data), damage))
        try:
            if good:
                counts.update(self._insert([Fetched(f.ref, f.log_type, tmp, compression.NONE, good)]))
        except _Refused as exc:
            errors.append(RecordError(0, f"the engine refused the salvaged records: {exc}"))
        finally:
            os.unlink(tmp)
        self.ledger.errors(f.ref.info.name, f.log_type.name, errors)
        return errors

    def _outcome(self, f: Fetched, events: int, errors: list[RecordError]) -> Outcome:
        if errors and not events:
            return Outcome(f.ref, f.log_type.name, FAILED, 0, len(errors), errors[0].error)
        reason = f"{len(errors)} bad record(s), first: {errors[0].error}" if errors else ""
        return Outcome(f.ref, f.log_type.name, DONE, events, len(errors), reason)
