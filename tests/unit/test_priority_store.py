"""The embedded store's turn: a search or a live object goes before background work waiting."""
import threading
import time

from backtrail.core.priority import PriorityStore, background, in_background


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
