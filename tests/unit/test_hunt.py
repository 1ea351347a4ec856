"""Indicators are typed by shape and matched where their kind lives, never by a neighbour's value."""
from __future__ import annotations

import pytest

from backtrail.core.errors import QueryError
from backtrail.query.hunt import classify, parse_indicators
from backtrail.query.service import QueryService


@pytest.mark.parametrize("value, kind, typed", [
    ("198.51.100.77", "ip", "198.51.100.77"),
    ("2001:DB8::1", "ip", "2001:db8::1"),
    ("198.51.100.0/24", "cidr", "198.51.100.0/24"),
    ("10.1.2.3/8", "cidr", "10.0.0.0/8"),
    ("ASIAEXAMPLESSRF00001", "access_key", "ASIAEXAMPLESSRF00001"),
    ("AKIAIOSFODNN7EXAMPLE", "access_key", "AKIAIOSFODNN7EXAMPLE"),
    ("arn:aws:iam::111111111111:role/admin", "arn", "arn:aws:iam::111111111111:role/admin"),
    ("111111111111", "account_id", "111111111111"),
    ("Evil.Example.COM.", "domain", "evil.example.com"),
    ("python-requests/2.31.0", "text", "python-requests/2.31.0"),
    ("10.0.0.300", "text", "10.0.0.300"),
])
def test_classify(value, kind, typed):
    assert (classify(value).kind, classify(value).value) == (kind, typed)


def test_indicator_lists():
    assert [i.value for i in parse_indicators(["# from the report", "1.2.3.4", "", "1.2.3.4", "x.example.org"])] \
        == ["1.2.3.4", "x.example.org"]
    with pytest.raises(QueryError):
        parse_indicators(["# nothing", " "])


ROWS = [  # (ts, source_type, src_ip, ips, principals, raw)
    ("2026-03-01 10:00:00", "alb", "192.0.2.231", ["192.0.2.231", "10.9.9.9"], [], "GET /x 192.0.2.231:4444"),
    ("2026-03-01 10:05:00", "cloudtrail", "192.0.2.231", ["192.0.2.231"], ["AKIAHUNTTESTKEY00001"],
     '{"userIdentity":{"accessKeyId":"AKIAHUNTTESTKEY00001"}}'),
    ("2026-03-01 10:06:00", "cloudwatch", "", [], [], "login from 192.0.2.231:22 refused for hunt-test-user"),
    ("2026-03-01 10:07:00", "alb", "192.0.2.23", ["192.0.2.23"], [], "GET /y 192.0.2.23:1 192.0.2.2310"),
]


@pytest.fixture
def service(store):
    store.command("INSERT INTO events (ts, ingested_at, source_type, src_ip, ips, principals, object, raw) VALUES "
                  + ", ".join(f"('{ts}', now64(6), '{st}', '{ip}', {ips}, {pr}, 'hunt-test/object', '{raw}')"
                              for ts, st, ip, ips, pr, raw in ROWS))
    yield QueryService(store)
    store.command("DELETE FROM events WHERE object = 'hunt-test/object'")


def test_hunt_counts_each_indicator_and_merges_a_timeline(service):
    found = service.hunt(["192.0.2.231", "AKIAHUNTTESTKEY00001", "HUNT-TEST-USER", "192.0.2.224/29"])
    by = {i["indicator"]: i for i in found["indicators"]}
    assert by["192.0.2.231"]["events"] == 3  # ips, src_ip, and inside a message; never 192.0.2.23 or …2310
    assert by["192.0.2.231"]["sources"] == ["alb", "cloudtrail", "cloudwatch"]
    assert (by["192.0.2.231"]["first_seen"], by["192.0.2.231"]["last_seen"]) == \
        ("2026-03-01 10:00:00.000", "2026-03-01 10:06:00.000")
    assert by["AKIAHUNTTESTKEY00001"]["events"] == 1 and by["HUNT-TEST-USER"]["events"] == 1  # text: any case
    assert by["192.0.2.224/29"]["events"] == 2  # .231 twice in `ips`; .23 is outside the range
    timeline = found["timeline"]
    assert [t["ts"] for t in timeline] == sorted(t["ts"] for t in timeline) and len(timeline) == 3
    assert timeline[1]["matched"] == ["192.0.2.231", "AKIAHUNTTESTKEY00001", "192.0.2.224/29"]


def test_hunt_time_range_and_nothing_found(service):
    from datetime import datetime, timezone
    since = datetime(2026, 3, 1, 10, 4, tzinfo=timezone.utc)
    found = service.hunt(["192.0.2.231", "nothing-like-this-anywhere"], since=since)
    assert [i["events"] for i in found["indicators"]] == [2, 0]
    assert found["indicators"][1]["first_seen"] is None and found["indicators"][1]["sources"] == []
