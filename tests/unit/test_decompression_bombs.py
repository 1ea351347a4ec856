"""A decompression bomb fails its object by name, in bounded disk and memory; its batch loads."""
from __future__ import annotations

import bz2
import gzip
import json

import pytest
import zstandard

from backtrail.adapters.file_objects import FileObjects
from backtrail.core.records import ObjectRef
from backtrail.ingest.fetch import fetch
from backtrail.ingest.ledger import FAILED, Ledger
from backtrail.ingest.writer import EventWriter
from backtrail.logtypes import compression
from backtrail.logtypes.cloudtrail import CloudTrail

BOMB = 20 << 20  # 20 MiB of zeros: ~20 KB gzipped, far beyond 100x


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(compression, "BOMB_FLOOR", 1 << 20)


@pytest.mark.parametrize("codec, pack", [("gzip", gzip.compress), ("zstd", zstandard.compress), ("bz2", bz2.compress)])
def test_streams_and_the_careful_path_stop_at_the_limit(small_limit, tmp_path, codec, pack):
    data = pack(b"\0" * BOMB)
    path = tmp_path / "bomb"
    path.write_bytes(data)
    assert compression.detect(data[:8]) == codec
    with pytest.raises(compression.DecompressionBomb, match="decompression bomb"):
        with compression.open_decompressed(str(path), codec) as stream:
            while stream.read(1 << 16):
                pass
    content, reason = compression.decompress_tolerant(data, codec)
    assert "decompression bomb" in reason and len(content) <= compression.limit(len(data))


def test_a_bomb_fails_its_object_and_the_batch_loads(small_limit, store, tmp_path):
    root = tmp_path / "bucket"
    prefix = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/02/"
    good = {"Records": [{"eventID": f"bomb-test-{i}", "eventTime": "2026-11-02T10:00:00Z",
                         "eventName": "GetObject"} for i in range(3)]}
    (root / prefix).mkdir(parents=True)
    (root / prefix / "a_good.json.gz").write_bytes(gzip.compress(json.dumps(good).encode()))
    (root / prefix / "b_bomb.json.gz").write_bytes(gzip.compress(b'{"Records": [' + b" " * BOMB + b"]}"))
    objects = FileObjects(str(root))
    fetched = [fetch(ObjectRef(info), CloudTrail(), objects, str(tmp_path)) for info in objects.list(prefix)]
    good_out, bomb_out = EventWriter(store, Ledger(store), str(tmp_path)).write(fetched, set())
    assert (good_out.state, good_out.events) == ("done", 3)
    assert bomb_out.state == FAILED and "decompression bomb" in bomb_out.reason
    assert list(tmp_path.glob("*.batch")) == [] and list(tmp_path.glob("*.salvaged")) == []
