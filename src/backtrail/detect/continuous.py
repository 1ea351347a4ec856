"""The pack over what the worker writes, continuously and on event time.

The worker hands over each durable batch (its objects and when its write began); the pack runs
over the events of the batches handed over since its last run, at most every `every_s` seconds
and for at most `share` of the time, so detection never slows ingest by more than that; `run()`
checks the rest. A failed run keeps its batches for the next one.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from ..core.errors import BacktrailError
from ..core.ports import Store
from . import alerts
from .sigma import Rule

log = logging.getLogger(__name__)
_WRITTEN = ("ingested_at >= {since:DateTime64(6, 'UTC')}"
            " AND object IN (SELECT arrayJoin({objects:Array(String)}))")


class ContinuousDetection:
    def __init__(self, store: Store, pack: list[Rule], notify: Callable[[list[dict]], None] | None = None,
                 every_s: float = 5.0, share: float = 0.2):
        self.store, self.pack, self.notify = store, pack, notify
        self.every_s, self.share = every_s, share
        self.raised = 0
        self._objects: set[str] = set()
        self._since: datetime | None = None
        self._pending, self._running = threading.Lock(), threading.Lock()
        self._next = 0.0

    def written(self, objects: Iterable[str], began: datetime) -> None:
        """A batch is durable: its objects' events were written after `began`. Runs the pack if due."""
        with self._pending:
            self._objects.update(objects)
            self._since = min(self._since or began, began)
        if time.monotonic() >= self._next:
            self.run(wait=False)

    def run(self, wait: bool = True) -> int:
        """The pack over every batch handed over and not yet checked; the new alerts. Without
        `wait`, returns 0 at once when another thread is running it."""
        if not self._running.acquire(blocking=wait):
            return 0
        try:
            with self._pending:
                objects, since, self._objects, self._since = self._objects, self._since, set(), None
            if not objects:
                return 0
            started = time.monotonic()
            try:
                new = sum(alerts.run(self.store, self.pack, _WRITTEN, {
                    "since": since.strftime("%Y-%m-%d %H:%M:%S.%f"), "objects": sorted(objects)},
                    notify=self.notify).values())
            except BacktrailError as exc:
                log.warning("detection rules did not run, will retry: %s", exc)
                with self._pending:
                    self._objects |= objects
                    self._since = min(self._since or since, since)
                self._next = time.monotonic() + self.every_s
                return 0
            took = time.monotonic() - started
            self._next = time.monotonic() + max(self.every_s, took * (1 - self.share) / self.share)
            self.raised += new
            return new
        finally:
            self._running.release()
