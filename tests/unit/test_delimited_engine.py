"""The engine side of delimited lines: the two ways of splitting a quoted line agree, and a
malformed line keeps its line number in a batch the engine reads in several blocks on two threads."""
from __future__ import annotations

import pytest

from backtrail.adapters.chdb_store import bind
from backtrail.logtypes import engine, registry
from backtrail.logtypes.lines import _exact_tokens, quoted_tokens

ALB = ('https 2026-11-02T14:02:11.123456Z app/web/50dc 198.51.100.7:443 10.0.0.1:80 0.000 0.001 0.000 200 200'
       ' 34 366 "GET http://x.example:80/a b HTTP/1.1" "curl/7.46.0" - - arn:tg "Root=1-58" "-" "-" 0'
       ' 2026-11-02T14:02:10.000000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1')
LINES = [
    (ALB, True),
    ('tls 2.0 2026-11-02T14:02:11 net/n/1 listener/1 198.51.100.7:443 10.0.0.1:80 5 2 98 246 - arn:c 0A cipher'
     ' tlsv12 - x.example h2 h2 "h2","http/1.1" 2026-11-02T14:02:10', False),
    ('2026-11-02T14:02:11.1Z elb 198.51.100.7:443 10.0.0.1:80 0.1 0.2 0.3 200 200 0 57 "- - - " "-" - -', True),
    ('"quoted first" then "quoted last"', True),
    ('x "" y', True),
    ('a "b" "c d"  e', False),  # two spaces
    (' leading space', False),
    ('trailing space ', False),
    ('a"b c"d', False),
    ('a "b""c" d', False),
    ('a "b \\"c\\" d" e', False),
    ('a \\"b c', False),
    ('a "unterminated b', True),
    ('a "x\x01y" b', False),
    ('a "x\x03y" z', False),
    ('a "x\x05y" z', False),
    ('"" "" ""', True),
    ('a "b " c', True),
    ('plain words only', True),
]


@pytest.mark.parametrize("line, simple", LINES)
def test_both_splits_agree(store, line, simple):
    fast = _split(store, quoted_tokens("raw") + " AS t, simple", line)
    assert fast["t"] == _split(store, _exact_tokens("raw") + " AS t", line)["t"]
    assert fast["simple"] == int(simple)  # ordinary lines take the cheap split


def _split(store, columns: str, line: str) -> dict:
    return store.query(f"SELECT {columns} FROM (SELECT {{raw:String}} AS raw)"
                       " SETTINGS short_circuit_function_evaluation = 'disable'", {"raw": line})[0]


def test_malformed_line_keeps_its_number_across_blocks(store, tmp_path):
    lines = [ALB] * 70_000 + ["https truncated"] + [ALB] * 30_000
    source = tmp_path / "object.log"
    source.write_text("\n".join(lines) + "\n")
    batch = engine.write_batch(registry.get("alb"), [(str(source), "none", "k", "")], str(tmp_path))
    try:
        rows = store.query(bind(f"SELECT position, problem FROM ({batch.rows_sql()}) WHERE problem != ''"
                                f" {batch.settings()}, max_threads = 2", batch.params))
    finally:
        batch.discard()
    assert [(int(r["position"]), r["problem"]) for r in rows] == [(70_001, "too few fields: 2")]
