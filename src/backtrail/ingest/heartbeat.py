"""Visibility heartbeat: keep the messages being processed invisible until they are done.

`Heartbeat(queue, visibility_s)`, a context manager, owns one daemon thread. Every
`max(0.5, visibility_s / 3)` s it calls `queue.extend(receipt, visibility_s)` for each `track`ed
receipt not extended for `visibility_s / 3` s. A receipt whose `extend` raises (no longer valid) is
dropped and counted in `lost`; the thread goes on. Once `release(receipts)` returns, no extension
of them runs or will: the caller may delete or re-time them. Thread-safe; `extended` counts.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from ..core.ports import Queue

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, queue: Queue, visibility_s: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.queue, self.visibility_s, self.clock = queue, visibility_s, clock
        self.lost = self.extended = 0
        self._due_after, self._period = visibility_s / 3, max(0.5, visibility_s / 3)
        self._last: dict[str, float] = {}  # tracked receipt -> clock() of its last extension
        self._busy: str | None = None  # the receipt whose `extend` is running now
        self._cond, self._stop = threading.Condition(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._period):
            self.beat()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=max(1.0, float(self.visibility_s)))

    def track(self, receipts: Iterable[str]) -> None:
        """Keep these just-received deliveries invisible; the first extension is due later."""
        now = self.clock()
        with self._cond:
            self._last.update((r, now) for r in receipts)

    def release(self, receipts: Iterable[str]) -> None:
        """Stop extending these; returns once no extension of them is in progress."""
        gone = set(receipts)
        with self._cond:
            self._last = {r: t for r, t in self._last.items() if r not in gone}
            self._cond.wait_for(lambda: self._busy not in gone)

    def beat(self) -> None:
        """Extend every tracked receipt that is due (the thread calls this each period)."""
        with self._cond:
            due = [r for r, t in self._last.items() if self.clock() - t >= self._due_after]
        for receipt in due:
            with self._cond:
                if receipt not in self._last or self._stop.is_set():
                    continue
                self._busy, started, ok = receipt, self.clock(), True
            try:
                self.queue.extend(receipt, self.visibility_s)
            except Exception as exc:  # stale receipt, deleted message, broken queue: drop it
                ok = False
                log.warning("cannot extend %s on %s: %s", receipt, self.queue.url, exc)
            with self._cond:
                self._busy = None
                self._cond.notify_all()
                if receipt in self._last:  # else released meanwhile: the caller decides now
                    if ok:
                        self._last[receipt], self.extended = started, self.extended + 1
                    else:
                        del self._last[receipt]
                        self.lost += 1
