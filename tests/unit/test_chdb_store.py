"""The chDB adapter: parameters bound as literals (round trips and threads: tests/contract/test_store.py)."""
from backtrail.adapters.chdb_store import bind


def test_bind_quotes_every_value():
    sql = bind("SELECT {a:String}, {b:Array(String)}, {n:UInt32}", {"a": "x') OR 1=1 --\\", "b": ["'", "{c:String}"], "n": 3})
    assert sql == ("SELECT CAST('x\\') OR 1=1 --\\\\' AS String), CAST(['\\'', '{c:String}'] AS Array(String)),"
                   " CAST('3' AS UInt32)")
