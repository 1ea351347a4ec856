"""The byte budget: bytes in flight stay under the limit, a huge object proceeds alone."""
from __future__ import annotations

import random
import threading
import time

from backtrail.ingest.budget import ByteBudget


def start(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def wait_until(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_two_threads_share_the_limit() -> None:
    budget = ByteBudget(100)
    budget.acquire(70)
    got = threading.Event()
    thread = start(lambda: (budget.acquire(40), got.set()))
    assert not got.wait(0.2)  # 70 + 40 > 100
    budget.release(70)
    assert got.wait(5)
    assert budget.in_flight == 40
    budget.release(40)
    thread.join(5)
    assert budget.in_flight == 0


def test_fits_without_waiting() -> None:
    budget = ByteBudget(100)
    with budget.holding(60), budget.holding(40):
        assert budget.in_flight == 100
    assert budget.in_flight == 0


def test_huge_object_proceeds_alone() -> None:
    budget = ByteBudget(100)
    order: list[str] = []
    budget.acquire(30)
    huge_in, huge_go = threading.Event(), threading.Event()

    def huge() -> None:
        with budget.holding(500):
            order.append("huge")
            huge_in.set()
            huge_go.wait(5)

    def small() -> None:
        with budget.holding(10):
            order.append("small")

    h = start(huge)
    assert wait_until(lambda: len(budget._waiting) == 1)
    s = start(small)  # fits, but queued behind the huge one: first come, first served
    assert not huge_in.wait(0.2)
    budget.release(30)
    assert huge_in.wait(5)
    assert budget.in_flight == 500
    time.sleep(0.1)
    assert order == ["huge"]  # nothing runs next to it
    huge_go.set()
    h.join(5)
    s.join(5)
    assert order == ["huge", "small"] and budget.in_flight == 0


def test_large_waiter_is_not_starved_by_small_ones() -> None:
    budget = ByteBudget(100)
    budget.acquire(60)
    order: list[str] = []
    big = start(lambda: (budget.acquire(80), order.append("big")))
    assert wait_until(lambda: len(budget._waiting) == 1)
    small = start(lambda: (budget.acquire(30), order.append("small")))  # would fit now
    time.sleep(0.2)
    assert order == []
    budget.release(60)
    big.join(5)
    assert order == ["big"]
    budget.release(80)
    small.join(5)
    assert order == ["big", "small"]


def test_many_threads_respect_the_limit_and_never_deadlock() -> None:
    limit = 1000
    budget = ByteBudget(limit)
    lock = threading.Lock()
    holders, most_holders, violations, done = [0], [0], [], []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(200):
            n = rng.choice([1, 50, 300, 999, 2500]) if rng.random() < 0.9 else limit * 3
            with budget.holding(n):
                with lock:
                    holders[0] += 1
                    most_holders[0] = max(most_holders[0], holders[0])
                    seen = budget.in_flight
                    if not (seen <= limit or seen == n):  # over the limit: only one huge, alone
                        violations.append((seen, n))
                if rng.random() < 0.05:
                    time.sleep(0.001)
                with lock:
                    holders[0] -= 1
        done.append(seed)

    threads = [start(work, seed) for seed in range(32)]
    for thread in threads:
        thread.join(timeout=30)
    assert len(done) == 32, "deadlock: some threads never finished"
    assert violations == []
    assert most_holders[0] > 1  # the budget did let objects run side by side
    assert budget.in_flight == 0
