"""Bounded-time fuzzing (hypothesis) of the notification decoder and of every parser on raw bytes.

The decoder takes any text and returns object references or raises BadMessage, nothing else; each
parser takes any bytes (plain, gzip, zstd, truncated) and yields records and named errors, never an
exception. tests/unit/test_parsers_never_crash.py fuzzes parsers with text lines; these are bytes.
"""
from __future__ import annotations

import gzip
import json

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings, strategies as st

from backtrail.core.errors import BadMessage
from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import notifications, registry
from relkit import record, scale

SCALARS = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=30)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                          max_size=5), max_leaves=20)
KEYS = st.text(max_size=40) | st.sampled_from(["AWSLogs/1/CloudTrail/x.json.gz", "../../etc/passwd", "a%2Fb+c",
                                               "%E2%98%83", "%", "%zz", "", "/"])


def _s3_record():
    return st.fixed_dictionaries({
        "eventSource": st.sampled_from(["aws:s3", "aws:sqs", ""]) | st.text(max_size=5),
        "eventName": st.sampled_from(["ObjectCreated:Put", "ObjectRemoved:Delete", "ObjectCreated:"]) | JSON,
        "eventTime": st.sampled_from(["2026-11-04T10:00:00.000Z", "nope", ""]) | JSON,
        "s3": st.fixed_dictionaries({"bucket": st.fixed_dictionaries({"name": st.text(max_size=20) | JSON}),
                                     "object": st.fixed_dictionaries({"key": KEYS | JSON, "size": SCALARS,
                                                                      "eTag": SCALARS})}) | JSON})


MESSAGES = st.one_of(
    st.text(max_size=200),
    JSON.map(json.dumps),
    st.lists(_s3_record(), max_size=3).map(lambda r: json.dumps({"Records": r})),
    st.lists(_s3_record(), max_size=2).map(lambda r: json.dumps({"Type": "Notification",
                                                                 "Message": json.dumps({"Records": r})})),
    st.fixed_dictionaries({"detail-type": st.sampled_from(["Object Created", "x"]), "source": st.just("aws.s3"),
                           "detail": st.fixed_dictionaries({"bucket": st.fixed_dictionaries({"name": SCALARS}),
                                                            "object": st.fixed_dictionaries({"key": KEYS | JSON})})
                           }).map(json.dumps),
)


@settings(max_examples=scale(400, 20000), deadline=None, derandomize=False)
@given(MESSAGES)
def test_notification_decoder_accepts_or_names_the_problem(body):
    record("fuzz: notification decoder", examples=1)
    try:
        decoded = notifications.decode(body)
    except BadMessage as exc:
        assert str(exc)
        return
    for ref in decoded.refs:
        assert isinstance(ref.info.bucket, str) and isinstance(ref.info.key, str)


def _framed(data: bytes, how: str) -> bytes:
    if how == "gzip":
        return gzip.compress(data, 1)
    if how == "zstd":
        return zstandard.ZstdCompressor().compress(data)
    if how == "gzip-cut":
        return gzip.compress(data, 1)[: max(10, len(data) // 3)]
    if how == "zstd-cut":
        return zstandard.ZstdCompressor().compress(data)[:max(6, len(data) // 3)]
    return data


BYTES = st.one_of(st.binary(max_size=600), st.lists(st.sampled_from([
    b"{", b"}", b"[", b"]", b'"Records":', b'{"Records":[', b",", b"\n", b"\x00", b"\xff", b'"', b"\\", b" ",
    b'{"eventID":"x","eventTime":"2026-11-04T10:00:00Z"}', b"#Version: 1.0\n#Fields: date time\n",
    b"version account-id interface-id srcaddr dstaddr\n", b"2 123 eni-1 10.0.0.1 10.0.0.2\n",
    b'http 2026-11-04T10:00:00.000000Z app/x 1.2.3.4:5 - -1 -1 -1 502 - 0 0 "GET / HTTP/1.1" "-" - -\n',
    b'{"logEvents":[{"id":"1","timestamp":1,"message":"m"}],"messageType":"DATA_MESSAGE"}', b"\xef\xbb\xbf",
]), max_size=30).map(b"".join))


@pytest.mark.parametrize("type_name", sorted(registry.LOG_TYPES))
@settings(max_examples=scale(12, 300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=BYTES, how=st.sampled_from(["plain", "gzip", "zstd", "gzip-cut", "zstd-cut"]))
def test_any_bytes_parse_to_records_and_named_errors(type_name, data, how, store, tmp_path):
    path = tmp_path / "object"
    path.write_bytes(_framed(data, how))
    items = list(parse_file(store, str(path), registry.get(type_name), str(tmp_path)))
    assert all(i.error.error for i in items if isinstance(i, Malformed))
    assert all(r["source_type"] == type_name for r in items if not isinstance(r, Malformed))
    record("fuzz: parsers on bytes", examples=1)
