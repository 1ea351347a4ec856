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

Given more stores (lanes: connections to the same data, which the engine runs side by side), an
urgent call takes any free lane, and a second background call runs beside a first only when no
urgent call has run for `SHARED_S`: a backfill INSERT and a detection check, or two INSERTs, then
keep both cores busy, and while searches or live objects come, background work has one lane as
with one store, the other being free for them.
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
SHARED_S = 1.0


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
    def __init__(self, store: Store, *lanes: Store):
        self._lanes = (store, *lanes)
        self._free, self._turn = list(self._lanes), threading.Condition()
        self._urgent, self._urgent_running, self._urgent_ended = 0, 0, -SHARED_S  # waiting, running, last end
        self._overdue = 0  # background calls out of patience: they go next

    def query(self, sql: str, params: dict[str, Any] | None = None, **options) -> list[dict[str, Any]]:
        with self._slot() as lane:
            return lane.query(sql, params, **options)

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        with self._slot() as lane:
            lane.command(sql, params)

    def insert_rows(self, table: str, columns: Sequence[str], select_sql: str,
                    params: dict[str, Any] | None = None) -> None:
        with self._slot() as lane:
            lane.insert_rows(table, columns, select_sql, params)

    def close(self) -> None:
        for lane in self._lanes:
            lane.close()

    @contextmanager
    def _slot(self) -> Iterator[Store]:
        urgent = not in_background()
        with self._turn:
            if urgent:
                self._urgent += 1
                self._turn.wait_for(lambda: self._free and not self._overdue)
                self._urgent -= 1
                self._urgent_running += 1
            else:
                self._wait_for_quiet()
            lane = self._free.pop()
        try:
            yield lane
        finally:
            with self._turn:
                self._free.append(lane)
                if urgent:
                    self._urgent_running -= 1
                    self._urgent_ended = time.monotonic()
                self._turn.notify_all()

    def _wait_for_quiet(self) -> None:
        """Until a lane is free and no urgent call runs, waits or has just ended (`GRACE_S`, or
        `SHARED_S` beside other background work), or patience runs out (holding `_turn`)."""
        give_up = time.monotonic() + PATIENCE_S
        while (now := time.monotonic()) < give_up:
            quiet = self._urgent_ended + (GRACE_S if len(self._free) == len(self._lanes) else SHARED_S)
            if self._free and not self._urgent and not self._urgent_running and now >= quiet:
                return
            # woken when a call ends or an urgent one waits; else when the quiet begins
            busy = self._urgent or self._urgent_running or not self._free
            self._turn.wait(min(give_up, give_up if busy else quiet) - now)
        self._overdue += 1
        self._turn.wait_for(lambda: self._free)
        self._overdue -= 1
