"""Every rule of the pack fires on its positive records and stays quiet on its negative ones.

The records (`detection_cases.py`, written from the AWS documentation) are parsed as the worker
would parse them, then each rule's compiled condition runs on them in the engine.
"""
from __future__ import annotations

import json

import pytest

from backtrail.detect import alerts
from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import registry

from detection_cases import CASES

PACK = {rule.id: rule for rule in alerts.rules()}


def test_the_pack_is_large_enough_and_every_rule_has_cases():
    assert len(PACK) >= 25
    assert sorted(PACK) == sorted(CASES)
    assert {rule.source_type for rule in PACK.values()} >= {"cloudtrail", "vpcflow", "alb"}


def _fires(store, tmp_path, rule, type_name: str, record) -> bool:
    path = tmp_path / "record.log"
    path.write_text(json.dumps(record) if isinstance(record, dict) else record)
    rows = [r for r in parse_file(store, str(path), registry.get(type_name), str(tmp_path))]
    assert len(rows) == 1 and not isinstance(rows[0], Malformed), rows
    row = rows[0]
    sql = ("SELECT count() AS n FROM (SELECT {_raw:String} AS raw, {_type:String} AS source_type,"
           " {_action:String} AS action, {_actor_type:String} AS actor_type, {_region:String} AS region,"
           " mapFromArrays({_k:Array(String)}, {_v:Array(String)}) AS fields) WHERE " + rule.where)
    params = {**rule.params, "_raw": row["raw"], "_type": row["source_type"], "_action": row["action"],
              "_actor_type": row["actor_type"], "_region": row["region"],
              "_k": [k for k in row["fields"]] if isinstance(record, str) else [],
              "_v": [str(v) for v in row["fields"].values()] if isinstance(record, str) else []}
    return store.query(sql, params)[0]["n"] == 1


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule(store, tmp_path, rule_id):
    rule, case = PACK[rule_id], CASES[rule_id]
    for record in case["positive"]:
        assert _fires(store, tmp_path, rule, case["type"], record), ("should fire", record)
    for record in case["negative"]:
        assert not _fires(store, tmp_path, rule, case["type"], record), ("should not fire", record)
