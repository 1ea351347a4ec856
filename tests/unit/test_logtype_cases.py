"""Every hand-made case of `logtype_cases/<type>.py` parses to its documented fields.

A case is an object (its key and decompressed content) with the expected per-type fields and
common columns of each record, in order, and the line numbers of its malformed records. The
object is written under a path that mirrors its key (gzipped when the key says so), so the type
is recognised from the key exactly as the worker recognises it.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest

from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import registry

import logtype_cases
from logtype_cases import write_object

CASES = [
    pytest.param(module.name, case, id=f"{module.name}: {case['name']}")
    for module in pkgutil.iter_modules(logtype_cases.__path__)
    for case in importlib.import_module(f"logtype_cases.{module.name}").CASES
]


@pytest.mark.parametrize("type_name, case", CASES)
def test_case(type_name, case, store, tmp_path):
    path = write_object(tmp_path / "bucket", case["key"], case["content"])
    if type_name == "json":  # the generic type claims no key: it is chosen by name
        log_type = registry.get("json")
    else:
        log_type = registry.recognise(case["key"])
        assert log_type is not None and log_type.name == type_name, f"{case['key']} not recognised as {type_name}"
    parsed = list(parse_file(store, str(path), log_type, str(tmp_path)))
    records = [p for p in parsed if not isinstance(p, Malformed)]
    errors = [p.error for p in parsed if isinstance(p, Malformed)]
    expected_errors = case.get("errors", [])
    assert [(e.position) for e in errors] == [line for line, _ in expected_errors], errors
    for error, (_, reason) in zip(errors, expected_errors):
        assert reason.lower() in error.error.lower(), error
    expected = case.get("records") or case.get("common") or []
    assert len(records) == len(expected), [r["raw"] for r in records]
    for i, record in enumerate(records):
        for name, value in (case.get("records") or [{}] * len(records))[i].items():
            assert record["fields"].get(name) == value, f"record {i + 1} field {name}: {record['fields']}"
        for name, value in (case.get("common") or [{}] * len(records))[i].items():
            assert record[name] == value, f"record {i + 1} column {name}: {record}"
        assert record["source_type"] == type_name
