"""Sources files (TOML) for tests and benchmarks, written the way a user writes them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def source(name: str, log_type: str, objects: str, *, live: str = "", backfill: str = "", **keys: Any) -> dict:
    """One `[[sources]]` entry with its live and/or backfill queue URL."""
    queues = [{"url": url, "role": role} for url, role in ((live, "live"), (backfill, "backfill")) if url]
    return {"name": name, "type": log_type, "objects": objects, **keys, "queues": queues}


def write_sources(path: Path, *sources: dict, **tables: dict) -> Path:
    """`path` holding `tables` (e.g. aws={...}, worker={...}) and then the sources, in TOML."""
    lines = [f"[{name}]\n" + _keys(values) for name, values in tables.items()]
    lines += ["[[sources]]\n" + _keys(s) for s in sources]
    path.write_text("\n".join(lines))
    return path


def _keys(values: dict) -> str:
    return "".join(f"{key} = {_value(value)}\n" for key, value in values.items())


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[ " + ", ".join(_value(v) for v in value) + " ]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value) if isinstance(value, Path) else value)  # numbers, and strings quoted as TOML basic strings


def on_endpoint(url: str) -> dict:
    """The `[aws]` table of a sources file whose S3 and SQS answer at `url` (a moto server)."""
    return {"endpoint_url": url, "region": "us-east-1"}
