"""Write fetched objects into the store, idempotently per object.

A batch is framed by its log type into one batch file (see `logtypes.engine`), read by the
engine in large blocks, in one INSERT per log type and codec. Every row of one INSERT carries
the same unique `ingested_at` (its tag), so the rows per object are counted exactly afterwards,
and a failed INSERT is undone exactly. An object the engine refuses (corrupt compression, invalid
JSON, a malformed line, the wrong type) is written carefully on its own: its good records are
written, every bad one is kept in `errors` with its line.

Idempotent per object, with any number of writers (processes, machines) on one store: the ledger
records each completed write with its tag; `settle` then keeps one copy per object — the
completed copy with the smallest tag whose rows are all there — and deletes every other row of
the object (a racing writer's copy, a crashed attempt's, an older version's). Every writer of
a copy settles after recording it, so whichever records second sees both and removes one; all
agree on which. Nothing is deleted unless a complete copy remains; a writer whose object has no
complete copy left (a rival's cleanup took its rows mid-write) has it written again.
"""
from __future__ import annotations

import logging
import os
import random
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

PACED_BYTES = 1 << 20
"""INSERTs of fewer object bytes (a live object) are not timed for `pace`: their fixed costs rule them."""
_SELECT = ", ".join("toDateTime64({at:String}, 6) AS ingested_at" if c == "ingested_at" else c
                    for c in EVENT_COLUMNS)


@dataclass(frozen=True)
class Written:
    """What became of one object's records: events written, malformed records kept, the first problem."""
    events: int = 0
    errors: int = 0
    first_error: str = ""
    at: str = ""  # the tag of the insert that wrote them

    def plus(self, other: "Written") -> "Written":
        return Written(self.events + other.events, self.errors + other.errors, self.first_error or other.first_error,
                       self.at or other.at)


class _Refused(Exception):
    """The batch could not be written as a whole; nothing of it was kept. `bomb`: an object of it
    expands beyond reason, so reading it again, carefully, would only fill the disk or memory."""

    def __init__(self, reason: str, bomb: bool = False):
        super().__init__(reason)
        self.bomb = bomb


class EventWriter:
    def __init__(self, store: Store, ledger: Ledger, workdir: str):
        self.store, self.ledger, self.workdir = store, ledger, workdir
        self._last_at, self._clock, self._digits = 0, threading.Lock(), random.randrange(1000)
        self.pace: dict[str, float] = {}
        """Per log type, object bytes written per second by its recent INSERTs (what sizes the next)."""

    def write(self, batch: list[Fetched], dirty: set[str] = frozenset()) -> list[Outcome]:
        """Write the batch; each outcome names the tag of its rows. Rows left by earlier attempts
        or versions (`dirty` names them, bucket/key) stay until `settle`, after the ledger has
        recorded these outcomes."""
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

    def _insert(self, group: list[Fetched], at: str = "") -> dict[str, Written]:
        """All records of the group (good ones to `events`, malformed ones to `errors`), or none."""
        at = at or self._unique_time()
        try:
            batch = engine.write_batch(group[0].log_type, [
                (f.path, f.codec, f.ref.info.name, f.ref.backfill_id) for f in group], self.workdir)
        except compression.DAMAGED as exc:
            raise _Refused(str(exc), bomb=isinstance(exc, compression.DecompressionBomb)) from exc
        try:
            started = time.monotonic()
            self.store.insert_rows("incoming", (*EVENT_COLUMNS, "problem", "position"),
                                   f"SELECT {_SELECT}, problem, position FROM ({batch.rows_sql()}) {batch.settings()}",
                                   {**batch.params, "at": at})
            self._paced(batch.log_type.name, sum(f.ref.info.size for f in group), time.monotonic() - started)
        except (QueryError, *compression.DAMAGED) as exc:
            log.info("batch of %d %s objects refused (%s); retrying one by one", len(group), batch.log_type.name, exc)
            self._undo(at)
            raise _Refused(str(exc)) from exc
        finally:
            batch.discard()
        written: dict[str, Written] = {f.ref.info.name: Written(at=at) for f in group}
        for row in self.store.query(
                "SELECT 'events' AS tbl, object, count() AS n, '' AS error FROM events"
                " WHERE ingested_at = toDateTime64({at:String}, 6) GROUP BY object UNION ALL"
                " SELECT 'errors' AS tbl, object, count() AS n, argMin(error, position) AS error FROM errors"
                " WHERE ingested_at = toDateTime64({at:String}, 6) GROUP BY object", {"at": at}):
            n = int(row["n"])
            found = Written(n) if row["tbl"] == "events" else Written(0, n, row["error"])
            written[row["object"]] = written[row["object"]].plus(found)
        return written

    def _paced(self, log_type: str, nbytes: int, seconds: float) -> None:
        if nbytes < PACED_BYTES:
            return
        rate = nbytes / max(seconds, 1e-3)
        self.pace[log_type] = (self.pace[log_type] + rate) / 2 if log_type in self.pace else rate

    def _undo(self, at: str) -> None:
        """Delete what a failed INSERT wrote (a slow mutation: only damaged input comes here)."""
        for table in ("events", "errors"):
            if self.store.query(f"SELECT count() AS n FROM {table} WHERE ingested_at = toDateTime64({{at:String}}, 6)",
                                {"at": at})[0]["n"]:
                self.store.command(f"DELETE FROM {table} WHERE ingested_at = toDateTime64({{at:String}}, 6)",
                                   {"at": at})

    def _unique_time(self) -> str:
        """A microsecond timestamp never used twice by this writer, whichever thread asks; its last
        three digits are this writer's own, so writers in other processes rarely meet it either."""
        with self._clock:
            ms = self._last_at = max(time.time_ns() // 1_000_000, self._last_at + 1)
        now = ms * 1000 + self._digits
        return f"{now // 1_000_000}.{now % 1_000_000:06d}"

    def _insert_carefully(self, f: Fetched) -> Written:
        """The object's readable records; what cannot be read is kept in `errors` too (one tag for all)."""
        try:
            return self._insert([f]).get(f.ref.info.name, Written())
        except _Refused as exc:
            if exc.bomb:
                return self._keep(f, [RecordError(0, str(exc))], self._unique_time())
        path, damage = engine.salvage(f.log_type, f.path, f.codec, self.workdir)
        at = self._unique_time()
        try:
            salvaged = self._insert([Fetched(f.ref, f.log_type, path, compression.NONE, 0)], at).get(
                f.ref.info.name, Written(at=at))
        except _Refused as exc:  # undone: nothing of this tag is left
            salvaged, damage = Written(at=at), damage + [RecordError(0, f"the engine refused the salvaged records: {exc}")]
        finally:
            os.unlink(path)
        return self._keep(f, damage, at).plus(salvaged)

    def _keep(self, f: Fetched, errors: list[RecordError], at: str) -> Written:
        """Errors found outside the engine, kept in `errors`: their count and the first."""
        self.ledger.errors(f.ref.info.name, f.log_type.name, errors, at)
        return Written(0, len(errors), errors[0].error if errors else "", at)

    def settle(self, outcomes: list[Outcome], dirty: set[str] = frozenset()) -> set[str]:
        """After the ledger recorded `outcomes` as written: one copy of each object, no other row of it.
        Returns the identities left without a complete copy (to be written again)."""
        written = {o.ref.info.identity: o for o in outcomes if o.at and o.state in (DONE, FAILED)}
        copies = self.ledger.copies(list(written))
        lost = set()
        for identity, o in written.items():
            found = copies.get(identity, [])
            if len(found) > 1 or o.ref.info.name in dirty:
                if not self._keep_one(o.ref.info.name, found):
                    lost.add(identity)
        if lost:
            self.ledger.record([Outcome(o.ref, o.source_type, STARTED, reason="written again: a racing writer"
                                        " removed its rows") for i, o in written.items() if i in lost])
        return lost

    def _keep_one(self, name: str, copies) -> bool:
        """Keep the first complete copy of the object, delete its other rows; False when none is complete."""
        counts = {int(r["at"]): int(r["n"]) for r in self.store.query(
            "SELECT toUnixTimestamp64Micro(ingested_at) AS at, count() AS n FROM events WHERE object = {o:String}"
            " GROUP BY at", {"o": name})}
        complete = [c.at_us for c in copies if counts.get(c.at_us, 0) == c.events]
        if not complete:
            return False
        keep = min(complete)
        for table in ("events", "errors"):
            if table == "errors" or set(counts) - {keep}:
                self.store.command(f"DELETE FROM {table} WHERE object = {{o:String}}"
                                   " AND toUnixTimestamp64Micro(ingested_at) != {keep:Int64}", {"o": name, "keep": keep})
        copy = next(c for c in copies if c.at_us == keep)
        return int(self.store.query("SELECT count() AS n FROM events WHERE object = {o:String} AND"
                                    " toUnixTimestamp64Micro(ingested_at) = {keep:Int64}",
                                    {"o": name, "keep": keep})[0]["n"]) == copy.events

    def _outcome(self, f: Fetched, written: Written) -> Outcome:
        if written.errors and not written.events:
            return Outcome(f.ref, f.log_type.name, FAILED, 0, written.errors, written.first_error, written.at)
        reason = f"{written.errors} bad record(s), first: {written.first_error}" if written.errors else ""
        return Outcome(f.ref, f.log_type.name, DONE, written.events, written.errors, reason, written.at)
