"""The pack over what the worker writes, continuously and on event time.

The worker hands over each durable batch (its objects, their event counts, when their write
began, their log types). The pack then runs over the events of objects handed over and not yet
checked, a few thousand events at a time (the store runs few queries at a time: a live insert never
waits long behind a check), reading only rows tagged (`ingested_at`) between the step's first
write and its last handover, not every batch written since, and only the rules of the step's log
types; at most every `every_s` seconds and for at most `share` of the time, so detection never
slows ingest by more than that; `run()` checks all the rest. A failed check keeps its objects for
the next one. A check is background work (core.priority): searches and live objects go before
it, and a live object's thread never waits for one.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..core.errors import BacktrailError
from ..core.priority import background, in_background
from ..core.ports import Store
from . import alerts
from .sigma import Rule

log = logging.getLogger(__name__)
_WRITTEN = ("ingested_at BETWEEN {since:DateTime64(6, 'UTC')} AND {until:DateTime64(6, 'UTC')}"
            " AND object IN (SELECT arrayJoin({objects:Array(String)}))")
SLACK = timedelta(seconds=1)
"""Added to a batch's handover time: its tags were drawn before, on a clock that may run a little ahead."""


@dataclass(frozen=True)
class _Unchecked:
    """An object handed over: its events, when its write began and was handed over, the log types
    of its batch (None: unknown)."""
    events: int
    began: datetime
    handed: datetime
    source_types: frozenset[str] | None


class ContinuousDetection:
    def __init__(self, store: Store, pack: list[Rule], notify: Callable[[list[dict]], None] | None = None,
                 every_s: float = 1.0, share: float = 0.2, step_events: int = 5_000):
        self.store, self.pack, self.notify = store, pack, notify
        self.every_s, self.share, self.step_events = every_s, share, step_events
        self.raised = 0
        self._unchecked: dict[str, _Unchecked] = {}  # by object, in the order handed over
        self._pending, self._running = threading.Lock(), threading.Lock()
        self._next = 0.0

    def written(self, objects: Iterable[tuple[str, int]], began: datetime,
                source_types: Iterable[str] | None = None) -> None:
        """A batch is durable: (object, events) written after `began`, of `source_types` (log type
        names, as in the `source_type` column) when known, else the store is asked. Checks a step if
        one is due: in this thread if it is background work, else (a live object's) beside it."""
        handed, kinds = datetime.now(timezone.utc), None if source_types is None else frozenset(source_types)
        with self._pending:
            self._unchecked.update((name, _Unchecked(events, began, handed, kinds)) for name, events in objects)
        if time.monotonic() < self._next or not self._running.acquire(blocking=False):
            return
        if in_background():
            self._checking(wait=False)
        else:
            threading.Thread(target=self._checking_in_background, name="detection", daemon=True).start()

    def run(self, wait: bool = True) -> int:
        """The new alerts. `wait`: check everything handed over (after a check in progress), in
        one go; else one step, or nothing at once when another thread is checking."""
        if not self._running.acquire(blocking=wait):
            return 0
        return self._checking(wait)

    def _checking_in_background(self) -> None:
        with background():
            self._checking(wait=False)

    def _checking(self, wait: bool) -> int:
        """`run`, holding the turn to check; gives it back."""
        try:
            new = 0
            while step := self._take(None if wait else self.step_events):
                started = time.monotonic()
                found = self._check(step)
                self._next = time.monotonic() + max(self.every_s, (time.monotonic() - started) / self.share)
                new += found or 0
                if found is None or not wait:
                    break
            self.raised += new
            return new
        finally:
            self._running.release()

    def backfill_ended(self, backfill_id: str) -> int:
        """Every batch handed over, then the rest of the event-time window the backfill covered
        (events loaded before it, by rules added since): the new alerts."""
        return self.run() + alerts.retro_hunt(self.store, backfill_id, self.pack, self.notify, checked=True)

    def _take(self, most: int | None) -> dict[str, _Unchecked]:
        """The oldest unchecked objects: about `most` events (one object at least), or all."""
        step, events = {}, 0
        with self._pending:
            for name, unchecked in list(self._unchecked.items()):
                if step and most is not None and events + unchecked.events > most:
                    break
                step[name], events = unchecked, events + unchecked.events
                del self._unchecked[name]
        return step

    def _check(self, step: dict[str, _Unchecked]) -> int | None:
        """The new alerts of one step; None when it failed (its objects are kept)."""
        since = min(u.began for u in step.values())
        until = max(u.handed for u in step.values()) + SLACK
        kinds = [u.source_types for u in step.values()]
        window = {"since": since.strftime("%Y-%m-%d %H:%M:%S.%f"), "until": until.strftime("%Y-%m-%d %H:%M:%S.%f"),
                  "objects": sorted(step)}
        try:
            return sum(alerts.run(self.store, self.pack, _WRITTEN, window, self.notify,
                                  None if None in kinds else frozenset().union(*kinds)).values())
        except BacktrailError as exc:
            log.warning("detection rules did not run, will retry: %s", exc)
            with self._pending:
                self._unchecked = {**step, **self._unchecked}
            return None
