"""No input crashes a parser: any bytes give records and named errors, never an exception.

For every registered log type, hypothesis writes objects of arbitrary lines (quotes, tabs,
backslashes, unicode, NUL, very long values, headers of other types) and parses them as the
worker would. Each non-blank line of a line-based type ends up a record, a header or a named
error; a JSON type names every line that is not a record.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import registry
from backtrail.logtypes.lines import DelimitedLines

PIECES = st.sampled_from([
    "-", '"', '\\"', '"-"', " ", "\t", "\\", "http", "tls", "2.0", "2026-11-02T14:02:11.123456Z", "2",
    "123456789012", "eni-0a1b2c3d", "10.0.0.1:443", "2001:db8::1:80", "[06/Feb/2019:00:00:38 +0000]",
    "ACCEPT", "NODATA", "#Fields: date time c-ip", "version account-id srcaddr", "{", "}", '{"a":1}',
    "\x00", "é", "🙂", "%2F", "x" * 300, "1e309", "-1", "18446744073709551617", "\r",
])
LINES = st.lists(st.lists(PIECES | st.text(max_size=12), max_size=40).map("".join), max_size=8)


@pytest.mark.parametrize("type_name", sorted(registry.LOG_TYPES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES)
def test_any_lines_parse_without_crashing(type_name, lines, store, tmp_path):
    log_type = registry.get(type_name)
    path = tmp_path / "object.log"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    items = list(parse_file(store, str(path), log_type, str(tmp_path)))
    records = [i for i in items if not isinstance(i, Malformed)]
    errors = [i.error for i in items if isinstance(i, Malformed)]
    assert all(e.error for e in errors)
    assert all(r["source_type"] == type_name and isinstance(r["fields"], dict) for r in records)
    if isinstance(log_type, DelimitedLines):
        numbered = "\n".join(lines).split("\n")
        assert len(records) + len(errors) <= sum(1 for line in numbered if line.strip("\r"))
        assert all(1 <= e.position <= len(numbered) and numbered[e.position - 1].strip("\r") for e in errors)
