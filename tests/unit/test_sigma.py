"""The Sigma subset: each value form, modifier and condition, compiled and run by the engine."""
from __future__ import annotations

import pytest

from backtrail.core.errors import ConfigError
from backtrail.detect.sigma import compile_rule

CT = '{"eventName":"AuthorizeSecurityGroupIngress","sourceIPAddress":"198.51.100.7","userIdentity":{"type":"AssumedRole","principalId":"AROAX:i-0abc"},"requestParameters":{"ipPermissions":{"items":[{"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}},"readOnly":false,"errorCode":""}'


def _matches(store, detection: dict, raw: str = CT, service: str = "cloudtrail", fields: dict | None = None) -> bool:
    rule = compile_rule({"id": "t", "title": "t", "logsource": {"service": service},
                         "detection": {**detection}})
    fields = fields or {}
    sql = ("SELECT count() AS n FROM (SELECT {_raw:String} AS raw, {_type:String} AS source_type,"
           " JSONExtractString(raw, 'eventName') AS action, JSONExtractString(raw, 'userIdentity', 'type') AS actor_type,"
           " JSONExtractString(raw, 'awsRegion') AS region,"
           " mapFromArrays({_k:Array(String)}, {_v:Array(String)}) AS fields) WHERE " + rule.where)
    params = {**rule.params, "_raw": raw, "_type": service, "_k": list(fields), "_v": [str(v) for v in fields.values()]}
    return store.query(sql, params)[0]["n"] == 1


@pytest.mark.parametrize("detection, expected", [
    ({"s": {"eventName": "authorizesecuritygroupingress"}, "condition": "s"}, True),   # any case
    ({"s": {"eventName": "Authorize*Ingress"}, "condition": "s"}, True),
    ({"s": {"eventName": "Authorize?ecurityGroupIngress"}, "condition": "s"}, True),
    ({"s": {"eventName": ["RevokeSecurityGroupIngress", "AuthorizeSecurityGroupIngress"]}, "condition": "s"}, True),
    ({"s": {"eventName|contains|all": ["Security", "Ingress"]}, "condition": "s"}, True),
    ({"s": {"eventName|contains|all": ["Security", "Egress"]}, "condition": "s"}, False),
    ({"s": {"eventName|startswith": "Authorize", "eventName|endswith": "Ingress"}, "condition": "s"}, True),
    ({"s": {"requestParameters.ipPermissions|contains": "0.0.0.0/0"}, "condition": "s"}, True),  # inside an object
    ({"s": {"userIdentity.principalId|contains": ":i-"}, "condition": "s"}, True),
    ({"s": {"sourceIPAddress|cidr": ["10.0.0.0/8", "198.51.100.0/24"]}, "condition": "s"}, True),
    ({"s": {"sourceIPAddress|cidr": "10.0.0.0/8"}, "condition": "s"}, False),
    ({"s": {"sourceIPAddress|re": "^198\\.51\\."}, "condition": "s"}, True),
    ({"s": {"errorCode": None}, "condition": "s"}, True),
    ({"s": {"missing.field|exists": True}, "condition": "s"}, False),
    ({"s": {"readOnly": False}, "condition": "s"}, True),
    ({"a": {"eventName": "x"}, "b": {"readOnly": False}, "condition": "a or b"}, True),
    ({"a": {"eventName": "x"}, "b": {"readOnly": False}, "condition": "a and b"}, False),
    ({"a": {"eventName": "x"}, "condition": "not a"}, True),
    ({"sel_1": {"eventName": "x"}, "sel_2": {"readOnly": False}, "condition": "1 of sel_*"}, True),
    ({"sel_1": {"eventName": "x"}, "sel_2": {"readOnly": False}, "condition": "all of them"}, False),
    ({"s": [{"eventName": "x"}, {"readOnly": False}], "condition": "s"}, True),  # a list of maps: OR
    ({"a": {"eventName": "x"}, "b": {"readOnly": False}, "c": {"errorCode": None},
      "condition": "(a or b) and not (a and c)"}, True),
])
def test_json_fields(store, detection, expected):
    assert _matches(store, detection) is expected


def test_delimited_fields_and_numbers(store):
    flow = {"dstport": "22", "action": "ACCEPT", "bytes": "600000000", "srcaddr": "203.0.113.5"}
    assert _matches(store, {"s": {"dstport": [22, 3389], "action": "ACCEPT"}, "condition": "s"}, "", "vpcflow", flow)
    assert _matches(store, {"s": {"bytes|gt": 500000000}, "condition": "s"}, "", "vpcflow", flow)
    assert not _matches(store, {"s": {"bytes|lte": 1000}, "condition": "s"}, "", "vpcflow", flow)
    assert _matches(store, {"s": {"srcaddr|cidr": "203.0.113.0/24"}, "condition": "s"}, "", "vpcflow", flow)


def test_another_type_never_matches(store):
    assert _matches(store, {"s": {"eventName|exists": True}, "condition": "s"})
    rule = compile_rule({"id": "t", "title": "t", "logsource": {"service": "alb"},
                         "detection": {"s": {"request|contains": "x"}, "condition": "s"}})
    assert rule.where.startswith("source_type = 'alb' AND")


@pytest.mark.parametrize("doc, message", [
    ({"id": "t", "title": "t", "logsource": {"service": "nope"}, "detection": {"s": {}, "condition": "s"}}, "unknown log type"),
    ({"id": "t", "title": "t", "logsource": {"service": "cloudtrail"}, "detection": {"s": {"a|near": 1}, "condition": "s"}}, "unknown modifier"),
    ({"id": "t", "title": "t", "logsource": {"service": "cloudtrail"}, "detection": {"s": {"a": 1}, "condition": "t"}}, "does not define"),
    ({"id": "t", "title": "t", "logsource": {"service": "cloudtrail"}, "detection": {"s": {"a": 1}}}, "condition"),
    ({"id": "t", "title": "t", "level": "urgent", "logsource": {"service": "cloudtrail"}, "detection": {}}, "level"),
    ({"id": "t", "title": "t", "logsource": {"service": "cloudtrail"}, "detection": {}, "timeframe": "5m"}, "unknown key"),
    ({"id": "t", "title": "t", "logsource": {"service": "cloudtrail"}, "detection": {"s": ["kw"], "condition": "s"}}, "keyword"),
])
def test_bad_rules_are_named(doc, message):
    with pytest.raises(ConfigError, match=message):
        compile_rule(doc)
