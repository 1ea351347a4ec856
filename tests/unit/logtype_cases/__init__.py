"""Hand-made objects of every log type with their documented parse, one module per type.

Each module's `CASES` is a list of dicts: `key` (where AWS delivers the object), `content` (its
decompressed text), and the expected `records` (per-type fields), `common` (common columns)
and `errors` (line number, reason) of the parse.
"""
from __future__ import annotations

import gzip
from pathlib import Path


def write_object(root: Path, key: str, content: str | bytes) -> Path:
    """The object under `root/key`, gzipped when its key says so."""
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    path.write_bytes(gzip.compress(data) if key.endswith(".gz") else data)
    return path
