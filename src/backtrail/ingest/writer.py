"""Write fetched objects into the store, idempotently per object.

A batch is framed by its log type into one batch file (see `logtypes.engine`), read by the
engine in large blocks, in one INSERT per log type and codec. Every row of one INSERT carries
the same unique `ingested_at`, so the rows per object are counted exactly afterwards, and a
failed INSERT is undone exactly. An object the engine refuses (corrupt compression, invalid
JSON, a malformed line, the wrong type) is written carefully on its own: its good records are
written, every bad one is kept in `errors` with its line.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import defaultdict

from ..core.errors import QueryError
from ..core.ports import Store
from ..core.schema import EVENT_COLUMNS
from ..logtypes import compression, engine
from ..logtypes.base import RecordError
from .fetch import Fetched
from .ledger import DONE, FAILED, STARTED, Ledger, Outcome

log = logging.getLogger(__name__)

_COLUMNS = ", ".join(EVENT_COLUMNS)
_SELECT = ", ".join("toDateTime64({at:String}, 6) AS ingested_at" if c == "ingested_at" else c
                    for c in EVENT_COLUMNS)
_GOOD = "problem = ''"
_NO_PROBLEM = "throwIf(problem != '', 'a record is malformed') = 0"


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
                counts.update(self._insert(group)[0])
            except _Refused:  # someone in the group is damaged: one object at a time, carefully
                for f in group:
                    errors[f.ref.info.identity] = self._insert_carefully(f, counts)
        return [self._outcome(f, counts.get(f.ref.info.name, 0), errors.get(f.ref.info.identity, []))
                for f in batch]

    def _insert(self, group: list[Fetched], careful: bool = False) -> tuple[dict[str, int], list[RecordError]]:
        """All rows of the group, or none; returns the number of rows per object.

        Careful (one object): records with a problem are returned instead of refusing the object."""
        at = self._unique_time()
        try:
            batch = engine.write_batch(group[0].log_type, [
                (f.path, f.codec, f.ref.info.name, f.ref.backfill_id) for f in group], self.workdir)
        except compression.DAMAGED as exc:
            raise _Refused(str(exc)) from exc
        rows, params = batch.rows_sql(), {**batch.params, "at": at}
        settings = engine.READ_SETTINGS + (", " + engine.IN_ORDER if careful else "")
        try:
            self.store.command(f"INSERT INTO events ({_COLUMNS}) SELECT {_SELECT} FROM ({rows})"
                               f" WHERE {_GOOD if careful else _NO_PROBLEM} SETTINGS {settings}", params)
            problems = [] if not careful else [RecordError(**r) for r in self.store.query(
                f"SELECT position, problem AS error, substring(raw, 1, {engine.FRAGMENT_CHARS}) AS fragment"
                f" FROM ({rows}) WHERE NOT {_GOOD} ORDER BY position SETTINGS {settings}", params)]
        except (QueryError, *compression.DAMAGED) as exc:
            log.info("batch of %d %s objects refused (%s); retrying one by one", len(group), batch.log_type.name, exc)
            self.store.command("DELETE FROM events WHERE ingested_at = toDateTime64({at:String}, 6)", {"at": at})
            raise _Refused(str(exc)) from exc
        finally:
            batch.discard()
        rows = self.store.query(
            "SELECT object, count() AS n FROM events WHERE ingested_at = toDateTime64({at:String}, 6)"
            " AND object IN {objects:Array(String)} GROUP BY object",
            {"at": at, "objects": [f.ref.info.name for f in group]})
        return {row["object"]: int(row["n"]) for row in rows}, problems

    def _unique_time(self) -> str:
        """A microsecond timestamp never used twice by this writer, whichever thread asks."""
        with self._clock:
            now = self._last_at = max(time.time_ns() // 1000, self._last_at + 1)
        return f"{now // 1_000_000}.{now % 1_000_000:06d}"

    def _insert_carefully(self, f: Fetched, counts: dict[str, int]) -> list[RecordError]:
        """The object's good records; the bad ones (and any damage) are kept in `errors`."""
        try:
            counts.update(self._insert([f])[0])
            return []
        except _Refused:
            pass
        path, errors = engine.salvage(f.log_type, f.path, f.codec, self.workdir)
        try:
            written, problems = self._insert([Fetched(f.ref, f.log_type, path, compression.NONE, 0)], careful=True)
            counts.update(written)
            errors = sorted(errors + problems, key=lambda e: e.position)
        except _Refused as exc:
            errors.append(RecordError(0, f"the engine refused the salvaged records: {exc}"))
        finally:
            os.unlink(path)
        self.ledger.errors(f.ref.info.name, f.log_type.name, errors)
        return errors

    def _outcome(self, f: Fetched, events: int, errors: list[RecordError]) -> Outcome:
        if errors and not events:
            return Outcome(f.ref, f.log_type.name, FAILED, 0, len(errors), errors[0].error)
        reason = f"{len(errors)} bad record(s), first: {errors[0].error}" if errors else ""
        return Outcome(f.ref, f.log_type.name, DONE, events, len(errors), reason)
