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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Written:
    """What became of one object's records: events written, malformed records kept, the first problem."""
    events: int = 0
    errors: int = 0
    first_error: str = ""

    def plus(self, other: "Written") -> "Written":
        return Written(self.events + other.events, self.errors + other.errors, self.first_error or other.first_error)


class _Refused(Exception):
    """The batch could not be written as a whole; nothing of it was kept. `bomb`: an object of it
    expands beyond reason, so reading it again, carefully, would only fill the disk or memory."""

    def __init__(self, reason: str, bomb: bool = False):
        super().__init__(reason)
        self.bomb = bomb


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
        written: dict[str, Written] = {}
        for group in groups.values():
            try:
                written.update(self._insert(group))
            except _Refused:  # someone in the group is damaged: one object at a time, carefully
                for f in group:
                    written[f.ref.info.name] = self._insert_carefully(f)
        return [self._outcome(f, written.get(f.ref.info.name, Written())) for f in batch]

    def _insert(self, group: list[Fetched]) -> dict[str, Written]:
        """All records of the group (good ones to `events`, malformed ones to `errors`), or none."""
        at = self._unique_time()
        try:
            batch = engine.write_batch(group[0].log_type, [
                (f.path, f.codec, f.ref.info.name, f.ref.backfill_id) for f in group], self.workdir)
        except compression.DAMAGED as exc:
            raise _Refused(str(exc), bomb=isinstance(exc, compression.DecompressionBomb)) from exc
        try:
            self.store.command(f"INSERT INTO incoming ({_COLUMNS}, problem, position) SELECT {_SELECT}, problem,"
                               f" position FROM ({batch.rows_sql()}) {batch.settings()}", {**batch.params, "at": at})
        except (QueryError, *compression.DAMAGED) as exc:
            log.info("batch of %d %s objects refused (%s); retrying one by one", len(group), batch.log_type.name, exc)
            self._undo(at)
            raise _Refused(str(exc)) from exc
        finally:
            batch.discard()
        written: dict[str, Written] = defaultdict(Written)
        for row in self.store.query(
                "SELECT 'events' AS tbl, object, count() AS n, '' AS error FROM events"
                " WHERE ingested_at = toDateTime64({at:String}, 6) GROUP BY object UNION ALL"
                " SELECT 'errors' AS tbl, object, count() AS n, argMin(error, position) AS error FROM errors"
                " WHERE ingested_at = toDateTime64({at:String}, 6) GROUP BY object", {"at": at}):
            n = int(row["n"])
            found = Written(n) if row["tbl"] == "events" else Written(0, n, row["error"])
            written[row["object"]] = written[row["object"]].plus(found)
        return written

    def _undo(self, at: str) -> None:
        """Delete what a failed INSERT wrote (a slow mutation: only damaged input comes here)."""
        for table in ("events", "errors"):
            if self.store.query(f"SELECT count() AS n FROM {table} WHERE ingested_at = toDateTime64({{at:String}}, 6)",
                                {"at": at})[0]["n"]:
                self.store.command(f"DELETE FROM {table} WHERE ingested_at = toDateTime64({{at:String}}, 6)",
                                   {"at": at})

    def _unique_time(self) -> str:
        """A microsecond timestamp never used twice by this writer, whichever thread asks."""
        with self._clock:
            now = self._last_at = max(time.time_ns() // 1000, self._last_at + 1)
        return f"{now // 1_000_000}.{now % 1_000_000:06d}"

    def _insert_carefully(self, f: Fetched) -> Written:
        """The object's readable records; what cannot be read is kept in `errors` too."""
        try:
            return self._insert([f]).get(f.ref.info.name, Written())
        except _Refused as exc:
            if exc.bomb:
                return self._keep(f, [RecordError(0, str(exc))])
        path, damage = engine.salvage(f.log_type, f.path, f.codec, self.workdir)
        found = self._keep(f, damage)
        try:
            return found.plus(self._insert([Fetched(f.ref, f.log_type, path, compression.NONE, 0)])
                              .get(f.ref.info.name, Written()))
        except _Refused as exc:
            return found.plus(self._keep(f, [RecordError(0, f"the engine refused the salvaged records: {exc}")]))
        finally:
            os.unlink(path)

    def _keep(self, f: Fetched, errors: list[RecordError]) -> Written:
        """Errors found outside the engine, kept in `errors`: their count and the first."""
        self.ledger.errors(f.ref.info.name, f.log_type.name, errors)
        return Written(0, len(errors), errors[0].error if errors else "")

    def _outcome(self, f: Fetched, written: Written) -> Outcome:
        if written.errors and not written.events:
            return Outcome(f.ref, f.log_type.name, FAILED, 0, written.errors, written.first_error)
        reason = f"{written.errors} bad record(s), first: {written.first_error}" if written.errors else ""
        return Outcome(f.ref, f.log_type.name, DONE, written.events, written.errors, reason)
