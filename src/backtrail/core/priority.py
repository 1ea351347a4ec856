"""Who talks to the store next: searches and live objects before backfill batches.

The embedded engine runs one query at a time per process, so a live object's ledger lookup and
INSERT, or a user's search, would otherwise queue behind backfill INSERTs and detection checks
in whatever order the engine's lock lets them in. `PriorityStore` wraps such a Store and hands
out the one turn itself: a call from a thread marked with `background()` starts only when no
other call is running or waiting, nor has ended in the last `GRACE_S` (an urgent caller's next
call, e.g. a live object's INSERT after its ledger lookup, comes before background work too), or
when it has waited `PATIENCE_S`: a stream of searches slows a backfill, never stops it. Nothing is
preempted: an urgent call still waits for the query already running, so background work should
come in pieces of bounded length.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .ports import Store

_local = threading.local()
GRACE_S = 0.01
PATIENCE_S = 1.0


@contextmanager
def background() -> Iterator[None]:
    """Mark this thread's store calls as background work for the duration."""
    before = in_background()
    _local.background = True
    try:
        yield
    finally:
        _local.background = before


def in_background() -> bool:
    """This thread's store calls are background work."""
    return getattr(_local, "background", False)


class PriorityStore:
    def __init__(self, store: Store):
        self.inner = store
        self._turn, self._busy, self._urgent, self._urgent_ended = threading.Condition(), False, 0, 0.0
        self._overdue = 0  # background calls out of patience: they go next

    def query(self, sql: str, params: dict[str, Any] | None = None, **options) -> list[dict[str, Any]]:
        with self._slot():
            return self.inner.query(sql, params, **options)

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        with self._slot():
            self.inner.command(sql, params)

    def insert_rows(self, table: str, columns: Sequence[str], select_sql: str,
                    params: dict[str, Any] | None = None) -> None:
        with self._slot():
            self.inner.insert_rows(table, columns, select_sql, params)

    def close(self) -> None:
        self.inner.close()

    @contextmanager
    def _slot(self) -> Iterator[None]:
        with self._turn:
            if in_background():
                self._wait_for_quiet()
            else:
                self._urgent += 1
                self._turn.wait_for(lambda: not self._busy and not self._overdue)
                self._urgent -= 1
            self._busy = True
        try:
            yield
        finally:
            with self._turn:
                self._busy = False
                if not in_background():
                    self._urgent_ended = time.monotonic()
                self._turn.notify_all()

    def _wait_for_quiet(self) -> None:
        """Until no urgent call runs, waits or has just ended, or patience runs out (holding `_turn`)."""
        give_up = time.monotonic() + PATIENCE_S
        while (now := time.monotonic()) < give_up:
            if self._busy:
                self._turn.wait(give_up - now)
            elif not self._urgent and now >= self._urgent_ended + GRACE_S:
                return
            else:  # an urgent call is waiting (woken first) or has just ended
                self._turn.wait(min(give_up, give_up if self._urgent else self._urgent_ended + GRACE_S) - now)
        self._overdue += 1
        self._turn.wait_for(lambda: not self._busy)
        self._overdue -= 1
