"""The object ledger and the errors table: what happened to every object, kept in the store."""
from __future__ import annotations

from dataclasses import dataclass

import orjson

from ..core.ports import Store
from ..core.records import ObjectRef
from ..logtypes.base import RecordError

STARTED, DONE, FAILED, SKIPPED, EMPTY = "started", "done", "failed", "skipped", "empty"
"""Ledger states; `skipped` is expected (e.g. a digest file), `empty` is worth a look."""


@dataclass
class Outcome:
    ref: ObjectRef
    source_type: str
    state: str
    events: int = 0
    errors: int = 0
    reason: str = ""


class Ledger:
    def __init__(self, store: Store):
        self.store = store

    def states(self, refs: list[ObjectRef]) -> dict[str, str]:
        """Latest state per object identity, for the objects that have one."""
        rows = self.store.query(
            "SELECT identity, argMax(state, updated_at) AS state FROM objects"
            " WHERE identity IN {ids:Array(String)} GROUP BY identity",
            {"ids": [r.info.identity for r in refs]})
        return {row["identity"]: row["state"] for row in rows}

    def record(self, outcomes: list[Outcome]) -> None:
        if outcomes:
            self._insert("objects", ({
                "identity": o.ref.info.identity, "bucket": o.ref.info.bucket, "key": o.ref.info.key,
                "etag": o.ref.info.etag, "size": o.ref.info.size, "source_type": o.source_type,
                "backfill_id": o.ref.backfill_id, "state": o.state, "events": o.events,
                "errors": o.errors, "reason": o.reason[:2000]} for o in outcomes))

    def errors(self, object_name: str, source_type: str, errors: list[RecordError]) -> None:
        if errors:
            self._insert("errors", ({
                "object": object_name, "source_type": source_type,
                "position": e.position, "error": e.error, "fragment": e.fragment} for e in errors))

    def _insert(self, table: str, rows) -> None:
        """Insert rows as JSON; columns left out take their DEFAULT (the insert time)."""
        body = b"\n".join(orjson.dumps(r) for r in rows).decode()
        self.store.command(f"INSERT INTO {table} FORMAT JSONEachRow\n{body}\n")
