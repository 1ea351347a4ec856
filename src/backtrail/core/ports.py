"""The ports: what the services need from the outside world, as Protocols.

Services receive these; only `backtrail.adapters` implements them.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, BinaryIO, Protocol

from .records import Message, ObjectInfo, QueueStats


class ObjectStore(Protocol):
    """A bucket (or a directory laid out like one).

    `bucket` names it in notifications and in the ledger. `list` yields objects under a key prefix
    in key order, page by page, never holding the whole listing; `common_prefixes` yields the
    "directories" one level below a prefix. `open` streams one object with bounded memory; a
    missing object or bucket raises PermanentError, a throttled or broken connection
    TransientError. `local_path` returns a filesystem path when the object already is a file
    (the engine then reads it in place), else None.
    """

    bucket: str
    prefix: str

    def list(self, prefix: str, start_after: str = "") -> Iterator[ObjectInfo]: ...

    def common_prefixes(self, prefix: str) -> Iterator[str]: ...

    def open(self, key: str) -> AbstractContextManager[BinaryIO]: ...

    def local_path(self, key: str) -> str | None: ...


class Queue(Protocol):
    """A queue with SQS semantics.

    `receive` hides each returned message for `visibility_s` seconds (default: the queue's);
    a message not deleted in time becomes visible again with `receive_count` increased, and
    after `max_receives` deliveries moves to the dead-letter side instead. `delete` acks by
    receipt; a stale receipt is ignored. `send` takes at most 10 bodies per call on SQS:
    implementations split larger batches themselves; `delay_s` keeps them hidden that long first;
    `dedup_ids` (one per body) lets a queue that remembers them drop a body sent before (the
    embedded queue does; a standard SQS queue delivers it again). All operations are durable
    when they return.
    """

    url: str

    def send(self, bodies: Sequence[str], delay_s: float = 0, dedup_ids: Sequence[str] | None = None) -> None: ...

    def receive(self, max_messages: int = 10, wait_s: float = 0.0,
                visibility_s: int | None = None) -> list[Message]: ...

    def delete(self, receipts: Sequence[str]) -> None: ...

    def extend(self, receipt: str, visibility_s: int) -> None: ...

    def stats(self) -> QueueStats: ...


class Store(Protocol):
    """The event store (chDB embedded or a ClickHouse server), speaking ClickHouse SQL.

    Every backend holds the same tables (`core.migrations` creates and upgrades them) and runs
    the same SQL with the same results; several processes may share a server store at once.

    `query` runs one statement with `{name:Type}` parameters and returns rows as dicts;
    `command` runs a statement that returns nothing. Both raise QueryError on invalid SQL.
    Parameter values never become SQL text unquoted, and each query sees only its own.
    `read_only=True` refuses writes, table functions and settings changes, stops after
    `timeout_s` and refuses results longer than `max_rows`. Any thread may call at any time.
    """

    def query(self, sql: str, params: dict[str, Any] | None = None, read_only: bool = False,
              timeout_s: int = 30, max_rows: int = 100_000) -> list[dict[str, Any]]: ...

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def insert_rows(self, table: str, columns: Sequence[str], select_sql: str,
                    params: dict[str, Any] | None = None) -> None:
        """Insert into `table` (`columns`) the rows of `select_sql`, a SELECT that reads files on
        *this* machine (the `file()` table function, with `{name:Type}` parameters and its own
        SETTINGS). All or nothing as far as the engine allows; memory stays bounded whatever the
        size of the files. Raises QueryError when the engine refuses the SELECT or the insert."""
        ...

    def close(self) -> None: ...
