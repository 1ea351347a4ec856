"""A semaphore over bytes: bound the bytes of objects being fetched at once, not their count.

`ByteBudget(limit)`: `acquire(n)` blocks until `in_flight + n <= limit` or nothing is in flight,
so an object larger than the limit still proceeds, alone. First come, first served: a large object
is not starved by small ones (they queue behind it). `release(n)` gives bytes back; `holding(n)`
does both around a block. Thread-safe.

`Slots(n)`: at most n holders at once, n changeable on the fly (the worker's concurrent fetches)."""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class ByteBudget:
    def __init__(self, limit: int) -> None:
        if limit <= 0:
            raise ValueError(f"byte budget must be positive, got {limit}")
        self.limit, self._in_flight = limit, 0
        self._cond, self._waiting = threading.Condition(), deque[object]()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def acquire(self, n: int) -> None:
        me = object()
        with self._cond:
            self._waiting.append(me)
            try:  # an interrupted waiter leaves the line too, or it would block everyone behind
                self._cond.wait_for(lambda: self._waiting[0] is me and (
                    self._in_flight == 0 or self._in_flight + n <= self.limit))
                self._in_flight += n
            finally:
                self._waiting.remove(me)
                self._cond.notify_all()

    def release(self, n: int) -> None:
        with self._cond:
            self._in_flight -= n
            self._cond.notify_all()

    @contextmanager
    def holding(self, n: int) -> Iterator[None]:
        self.acquire(n)
        try:
            yield
        finally:
            self.release(n)


class Slots:
    """A semaphore whose size changes while it is used: `resize(n)` takes effect for the next
    `acquire` (holders are never interrupted; a shrink waits for them to leave). Thread-safe."""

    def __init__(self, limit: int) -> None:
        if limit <= 0:
            raise ValueError(f"slots must be positive, got {limit}")
        self._limit, self._used, self._cond = limit, 0, threading.Condition()

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def used(self) -> int:
        return self._used

    def resize(self, limit: int) -> None:
        if limit <= 0:
            raise ValueError(f"slots must be positive, got {limit}")
        with self._cond:
            self._limit = limit
            self._cond.notify_all()

    @contextmanager
    def holding(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self._used < self._limit)
            self._used += 1
        try:
            yield
        finally:
            with self._cond:
                self._used -= 1
                self._cond.notify_all()
