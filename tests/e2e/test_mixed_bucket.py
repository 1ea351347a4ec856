"""A bucket holding every log type, backfilled in one go: every record of every type is found.

The objects are the hand-made cases of `tests/unit/logtype_cases` (all but the generic `json`
type, which no key names), each under its AWS key; the type of each object is recognised from
its key. Expectations come from the cases, never from the store.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest

from conftest import backfill, count, describe, run, status

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
import logtype_cases  # noqa: E402

CASES = [(module.name, case) for module in pkgutil.iter_modules(logtype_cases.__path__) if module.name != "json"
         for case in importlib.import_module(f"logtype_cases.{module.name}").CASES]


def _records(case) -> list[dict]:
    return case.get("records") or case.get("common") or []


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    keys = Counter(case["key"] for _, case in CASES)
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    for _, case in CASES:
        logtype_cases.write_object(root / "bucket", case["key"], case["content"])
    proc = backfill(f"file://{root / 'bucket'}", root / "data", expect=None)
    assert proc.returncode in (0, 1), describe(proc)
    return root / "data"


def test_every_record_of_every_type_is_loaded(mixed):
    expected = Counter()
    for type_name, case in CASES:
        expected[type_name] += len(_records(case))
    proc = run("sql", "SELECT source_type, count() AS n FROM events GROUP BY source_type", "--format", "json",
               data_dir=mixed)
    assert proc.returncode == 0, describe(proc)
    loaded = {r["source_type"]: int(r["n"]) for r in map(orjson.loads, proc.stdout.splitlines())}
    assert loaded == {t: n for t, n in expected.items() if n}


def test_malformed_records_are_kept_in_errors(mixed):
    expected = sum(len(case.get("errors", [])) for _, case in CASES)
    proc = run("sql", "SELECT count() AS n FROM errors", "--format", "json", data_dir=mixed)
    assert proc.returncode == 0, describe(proc)
    assert int(orjson.loads(proc.stdout)["n"]) == expected
    assert status(mixed)["states"].get("failed", {}).get("objects", 0) == 0


@pytest.mark.parametrize("type_name", sorted({t for t, _ in CASES}))
def test_each_type_is_searchable_by_its_fields(mixed, type_name):
    """A record is found by its client address and, for delimited types, by a per-type field."""
    cases = [c for t, c in CASES if t == type_name and _records(c)]
    for case in cases:
        for i, record in enumerate(_records(case)):
            terms = [f"source_type:{type_name}"]
            if case.get("common") and case["common"][i].get("src_ip"):
                terms.append(f"src_ip:{case['common'][i]['src_ip']}")
            terms += [f'{k}:"{v}"' for k, v in record.items()
                      if "records" in case and isinstance(v, (str, int)) and not isinstance(v, bool) and v != ""][:2]
            if len(terms) > 1:
                assert count(" ".join(terms), mixed) >= 1, terms
                return
    pytest.fail(f"no {type_name} record to search for")
