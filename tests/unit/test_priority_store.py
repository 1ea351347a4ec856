"""The embedded store's turn: a search or a live object goes before background work waiting."""
import contextlib
import threading
import time

from backtrail.core.priority import SHARED_S, PriorityStore, background, in_background


def test_an_urgent_call_goes_before_background_calls_already_waiting(store):
    gated, finished = PriorityStore(store), []

    def call(name: str, sql: str, quiet: bool) -> None:
        if quiet:
            with background():
                gated.query(sql)
        else:
            gated.query(sql)
        finished.append(name)

    def start(name: str, sql: str, quiet: bool) -> threading.Thread:
        t = threading.Thread(target=call, args=(name, sql, quiet))
        t.start()
        time.sleep(0.1)  # sequencing only: let the thread reach its turn
        return t

    threads = [start("running", "SELECT sleep(0.6)", True), start("waiting 1", "SELECT 1", True),
               start("waiting 2", "SELECT 2", True), start("urgent", "SELECT 3", False)]
    for t in threads:
        t.join()
    assert finished[:2] == ["running", "urgent"], finished


def test_a_stream_of_urgent_calls_slows_background_work_but_never_stops_it(store):
    gated, finished, streaming = PriorityStore(store), [], threading.Event()

    def stream():
        streaming.set()
        end = time.monotonic() + 4
        while time.monotonic() < end:  # back to back: no gap for background work to slip into
            gated.query("SELECT 1")
        finished.append("stream")

    def quiet():
        streaming.wait()
        with background():
            gated.query("SELECT 2")
        finished.append("background")

    threads = [threading.Thread(target=stream), threading.Thread(target=quiet)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert finished == ["background", "stream"]


def test_background_marks_only_its_own_thread_and_nests():
    seen = []
    with background():
        with background():
            seen.append(in_background())
        seen.append(in_background())
        other = threading.Thread(target=lambda: seen.append(in_background()))
        other.start()
        other.join()
    seen.append(in_background())
    assert seen == [True, True, False, False]


def _run_all(gated: PriorityStore, calls: list[tuple[str, str, bool]]) -> list[str]:
    """Each (name, sql, background) in a thread of its own, started 0.1 s apart: the order they ended."""
    finished: list[str] = []

    def call(name: str, sql: str, quiet: bool) -> None:
        with background() if quiet else contextlib.nullcontext():
            gated.query(sql)
        finished.append(name)

    threads = []
    for args in calls:
        threads.append(threading.Thread(target=call, args=args))
        threads[-1].start()
        time.sleep(0.1)  # sequencing only
    for t in threads:
        t.join()
    return finished


def test_with_two_lanes_background_calls_run_side_by_side_and_urgent_ones_take_the_free_lane(store):
    from backtrail.adapters.chdb_store import ChdbStore

    second = ChdbStore(store.data_dir)
    try:
        gated = PriorityStore(store, second)
        assert _run_all(gated, [("running", "SELECT sleep(0.6)", True), ("beside", "SELECT 1", True)]) == [
            "beside", "running"]
        time.sleep(SHARED_S)
        assert _run_all(gated, [("running", "SELECT sleep(0.6)", True), ("urgent", "SELECT 1", False)]) == [
            "urgent", "running"]
        time.sleep(SHARED_S)
        # an urgent call has just run: background work keeps to one lane
        assert _run_all(gated, [("urgent", "SELECT 1", False), ("running", "SELECT sleep(0.4)", True),
                                ("waiting", "SELECT 1", True)]) == ["urgent", "running", "waiting"]
    finally:
        second.close()
