"""The chDB adapter: parameters bound as literals (injection-safe, thread-safe)."""
import threading

from backtrail.adapters.chdb_store import bind


def test_bind_quotes_every_value():
    sql = bind("SELECT {a:String}, {b:Array(String)}, {n:UInt32}", {"a": "x') OR 1=1 --\\", "b": ["'", "{c:String}"], "n": 3})
    assert sql == ("SELECT CAST('x\\') OR 1=1 --\\\\' AS String), CAST(['\\'', '{c:String}'] AS Array(String)),"
                   " CAST('3' AS UInt32)")


def test_parameters_round_trip_and_stay_per_query_under_threads(store):
    awkward = ["plain", "it's", "back\\slash", "{p:String}", "new\nline", "ünïcode", ""]
    errors = []

    def run(k):
        for value in awkward * 20:
            row = store.query("SELECT {v:String} AS v, {k:UInt32} AS k", {"v": value, "k": k})[0]
            if row != {"v": value, "k": k}:
                errors.append((k, value, row))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
