"""Large JSON objects are read by the engine record by record: a `{"Records": [...]}` document
above `INLINE` gets a file of its own, read as a stream of records, with the same rows and `raw`
as a small document; damage in it is still refused, then salvaged; a batch holding an object
above `LARGE` is read in small blocks with the same rows."""
from __future__ import annotations

import gzip

import orjson

from backtrail.ingest.parse import SHOWN, Malformed, parse_file
from backtrail.logtypes import compression, engine, jsonrecords, registry

KEY = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/04/123456789012_CloudTrail_us-east-1_x.json.gz"


def _records(n: int) -> list[bytes]:
    """Records written unlike the engine writes them: spaces, escapes, `1.50`, a nested array."""
    return [b'{ "eventID" : "big-%06d", "eventTime": "2026-11-04T10:00:00Z", "eventName":"Get\\u004fbject",'
            b' "n": 1.50, "userAgent": "a/b \\"q\\"",'
            b' "resources": [ {"ARN": "arn:aws:s3:::b/%d"} ], "pad": "%s" }' % (i, i, b"x" * 1200) for i in range(n)]


def _document(records: list[bytes]) -> bytes:
    return b'{\n  "Records" : [\n' + b",\n".join(records) + b"\n]\n}\n"


def _fast(store, tmp_path, path, key=KEY) -> tuple[engine.Batch, list[dict]]:
    """The rows as the worker's first attempt reads them (no salvage)."""
    with open(path, "rb") as f:
        codec = compression.detect(f.read(8))
    batch = engine.write_batch(registry.get("cloudtrail"), [(str(path), codec, key, "")], str(tmp_path))
    try:
        return batch, store.query(f"SELECT {', '.join(SHOWN)}, problem FROM ({batch.rows_sql()})"
                                  f" {batch.settings()}", batch.params, max_rows=10_000_000)
    finally:
        batch.discard()


def test_a_large_document_has_the_rows_and_raw_of_a_small_one(store, tmp_path, monkeypatch):
    records = _records(8_000)  # ~10 MB: above INLINE
    path = tmp_path / "large.json.gz"
    path.write_bytes(gzip.compress(_document(records), 1))
    assert len(_document(records)) > jsonrecords.INLINE
    batch, large = _fast(store, tmp_path, path)
    assert not batch.large
    monkeypatch.setattr(jsonrecords, "INLINE", 1 << 40)  # the same object framed as a small one
    _, small = _fast(store, tmp_path, path)
    assert len(large) == len(records) == len(small)
    key = lambda r: r["event_id"]  # noqa: E731
    assert sorted(large, key=key) == sorted(small, key=key)
    first = min(large, key=key)
    assert first["raw"].startswith('{"eventID":"big-000000","eventTime":"2026-11-04T10:00:00Z",'
                                   '"eventName":"GetObject","n":1.5,"userAgent":"a/b \\"q\\""')
    assert first["resource"] == "arn:aws:s3:::b/0" and first["problem"] == ""


def test_damage_in_a_large_document_is_refused_then_salvaged(store, tmp_path):
    records = _records(8_000)
    records[5_000] = b'{"eventID": "broken", "x": tru}'
    path = tmp_path / "damaged.json"
    path.write_bytes(_document(records))
    parsed = list(parse_file(store, str(path), registry.get("cloudtrail"), str(tmp_path), object_name=KEY))
    errors = [p.error for p in parsed if isinstance(p, Malformed)]
    rows = [p for p in parsed if not isinstance(p, Malformed)]
    assert len(rows) == 5_000 and len(errors) == 1 and "invalid JSON record" in errors[0].error, errors
    assert {r["event_id"] for r in rows} == {f"big-{i:06d}" for i in range(5_000)}


def test_a_cut_large_document_is_refused_then_salvaged(store, tmp_path):
    path = tmp_path / "cut.json"
    path.write_bytes(_document(_records(8_000))[:-40_000])
    parsed = list(parse_file(store, str(path), registry.get("cloudtrail"), str(tmp_path), object_name=KEY))
    errors = [p.error for p in parsed if isinstance(p, Malformed)]
    assert errors and all("Records array is not closed" in e.error or "invalid JSON record" in e.error for e in errors)
    assert 7_900 < len(parsed) - len(errors) < 8_000


def test_a_batch_with_an_object_above_large_is_read_in_small_blocks(store, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "LARGE", 1 << 20)
    lines = tmp_path / "lines.json"
    lines.write_bytes(b"\r\n".join(orjson.dumps({"eventID": f"l-{i}", "p": "y" * 500}) for i in range(4_000))
                      + b"\n \n\t\r\n")
    batch, rows = _fast(store, tmp_path, lines)
    assert batch.large and engine.SMALL_BLOCKS in batch.settings()
    assert sorted(r["event_id"] for r in rows) == sorted(f"l-{i}" for i in range(4_000))
    assert all(r["problem"] == "" and r["raw"].startswith('{"eventID":"l-') for r in rows)
