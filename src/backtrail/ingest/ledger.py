"""The object ledger and the errors table: what happened to every object, kept in the store."""
from __future__ import annotations

from dataclasses import dataclass

import orjson

from ..core.ports import Store
from ..core.records import ObjectRef
from ..logtypes.base import RecordError

STARTED, DONE, FAILED, SKIPPED, EMPTY, SUPERSEDED = "started", "done", "failed", "skipped", "empty", "superseded"
CANCELLED = "cancelled"  # job ledger only: the object's backfill was cancelled before it was read
WRITTEN = "written"  # object ledger only: rows written, other copies not yet removed (`EventWriter.settle`)
"""Ledger states; `skipped` is expected (e.g. a digest file), `empty` is worth a look,
`superseded` is an older version of an object whose key was written again."""


@dataclass
class Outcome:
    ref: ObjectRef
    source_type: str
    state: str
    events: int = 0
    errors: int = 0
    reason: str = ""
    at: str = ""  # the tag (`ingested_at`) of the insert holding the object's rows, when written


@dataclass(frozen=True)
class Copy:
    """One completed write of an object version: its rows carry `at_us` (µs since the epoch)."""
    at_us: int
    events: int


class Ledger:
    def __init__(self, store: Store):
        self.store = store

    def versions(self, refs: list[ObjectRef]) -> dict[str, dict[str, str]]:
        """Per object name (bucket/key), the latest state of every version the ledger knows."""
        prefixes = {f"n{i}": f"{name}#" for i, name in enumerate({r.info.name for r in refs})}
        if not prefixes:
            return {}
        match = " OR ".join(f"startsWith(identity, {{{p}:String}})" for p in prefixes)
        rows = self.store.query(
            "SELECT identity, argMax(state, updated_at) AS state FROM objects"
            f" WHERE {match} GROUP BY identity", prefixes)
        found: dict[str, dict[str, str]] = {}
        for row in rows:
            found.setdefault(row["identity"].rpartition("#")[0], {})[row["identity"]] = row["state"]
        return found

    def supersede(self, identities: list[str]) -> None:
        """Mark older versions of rewritten objects: their rows were replaced by the new version's."""
        if identities:
            self.store.command(
                "INSERT INTO objects (identity, bucket, key, etag, size, source_type, backfill_id, state, events,"
                " errors, reason, updated_at) SELECT identity, bucket, key, etag, size, source_type, backfill_id,"
                " 'superseded', 0, 0, 'replaced by a newer version of the object', now64(6) FROM objects"
                " WHERE identity IN {ids:Array(String)} ORDER BY updated_at DESC LIMIT 1 BY identity",
                {"ids": identities})

    def record(self, outcomes: list[Outcome]) -> None:
        """Outcomes in the object ledger, and those of backfilled objects in their job's ledger."""
        if outcomes:
            self._insert("objects", (_object_row(o, o.state) for o in outcomes))
            self.job_outcomes([o for o in outcomes if o.ref.backfill_id])

    def written(self, outcomes: list[Outcome]) -> None:
        """Copies of objects' rows now in the store, before `settle` removes any other copy: an object
        left in this state (a crash) is written again, and its copies settled then."""
        if copies := [o for o in outcomes if o.at]:
            self._insert("object_copies", ({"identity": o.ref.info.identity, "ingested_at": o.at, "events": o.events}
                                           for o in copies))
            self._insert("objects", (_object_row(o, WRITTEN) for o in copies))

    def job_outcomes(self, outcomes: list[Outcome]) -> None:
        """Only the job ledger: e.g. `skipped` for an object another job (or run) already loaded,
        `cancelled` for one whose job was cancelled before it was read."""
        if outcomes:
            self._insert("backfill_objects", ({
                "backfill_id": o.ref.backfill_id, "identity": o.ref.info.identity, "bucket": o.ref.info.bucket,
                "key": o.ref.info.key, "size": o.ref.info.size, "source_type": o.source_type,
                "state": o.state, "events": o.events, "reason": o.reason[:2000]} for o in outcomes))

    def copies(self, identities: list[str]) -> dict[str, list[Copy]]:
        """Per object version, every completed write the ledger recorded (several when workers raced)."""
        if not identities:
            return {}
        found: dict[str, list[Copy]] = {}
        for row in self.store.query(
                "SELECT identity, toUnixTimestamp64Micro(ingested_at) AS at, max(events) AS events FROM object_copies"
                " WHERE identity IN {ids:Array(String)} GROUP BY identity, at ORDER BY at", {"ids": identities}):
            found.setdefault(row["identity"], []).append(Copy(int(row["at"]), int(row["events"])))
        return found

    def errors(self, object_name: str, source_type: str, errors: list[RecordError], at: str = "") -> None:
        """Malformed records found outside the engine; `at` tags them with the object's insert."""
        if errors:
            self._insert("errors", ({
                "object": object_name, "source_type": source_type, "position": e.position, "error": e.error,
                "fragment": e.fragment, **({"ingested_at": at} if at else {})} for e in errors))

    def _insert(self, table: str, rows) -> None:
        """Insert rows as JSON; columns left out take their DEFAULT (the insert time)."""
        body = b"\n".join(orjson.dumps(r) for r in rows).decode()
        self.store.command(f"INSERT INTO {table} FORMAT JSONEachRow\n{body}\n")


def _object_row(o: Outcome, state: str) -> dict:
    """One row of the object ledger; `ingested_at` tags the insert holding its rows, when written."""
    return {"identity": o.ref.info.identity, "bucket": o.ref.info.bucket, "key": o.ref.info.key,
            "etag": o.ref.info.etag, "size": o.ref.info.size, "source_type": o.source_type,
            "backfill_id": o.ref.backfill_id, "state": state, "events": o.events, "errors": o.errors,
            "reason": o.reason[:2000], **({"ingested_at": o.at} if o.at else {})}
