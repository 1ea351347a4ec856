"""JSON log types: published CloudWatch Logs and GuardDuty samples parse to their real values;
the worker's fast path agrees with the careful one; CloudWatch envelopes are split in bounded
memory and a damaged one is salvaged, not fatal; the generic `json` type (never recognised from
a key) parses its cases when chosen by name."""
from __future__ import annotations

import gzip
import importlib
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from backtrail.core.errors import QueryError
from backtrail.ingest.parse import SHOWN, Malformed, parse_file
from backtrail.logtypes import cloudwatch, compression, engine, registry
from backtrail.logtypes.base import RecordError
from logtype_cases import write_object

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
VECTOR_CWL = (SAMPLES / "cloudwatch_subscription" / "vectordotdev-vrl"
              / "parse_aws_cloudwatch_log_subscription_message.json")
PANTHER_GD = SAMPLES / "guardduty" / "panther-analysis" / "rule-test-findings.jsonl"
CWL_KEY = "2020/09/14/19/cwl-test-1-2020-09-14-19-10-00-0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a"
GD_KEY = "AWSLogs/123456789012/GuardDuty/us-east-1/2025/02/25/0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a.jsonl.gz"
TYPES = ("route53resolver", "waf", "guardduty", "cloudwatch", "json")


def _cases(type_name: str) -> list[dict]:
    return importlib.import_module(f"logtype_cases.{type_name}").CASES


def _careful(store, tmp_path, path: Path, type_name: str, key: str | None = None) -> list:
    return list(parse_file(store, str(path), registry.get(type_name), str(tmp_path), object_name=key))


def _fast(store, tmp_path, path: Path, type_name: str) -> list[dict]:
    """The rows as the worker's first attempt reads them: the object framed as it is, no salvage."""
    with open(path, "rb") as f:
        codec = compression.detect(f.read(8))
    batch = engine.write_batch(registry.get(type_name), [(str(path), codec, str(path), "")], str(tmp_path))
    try:
        return store.query(f"SELECT {', '.join(SHOWN)}, problem FROM ({batch.rows_sql()})"
                           f" {batch.settings()}", batch.params)
    finally:
        batch.discard()


def _utc_ms(value: str) -> str:
    """`2020-02-14T18:12:22.316Z` or `2025-02-25 20:40:06.721` as the store shows it."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    parsed = parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed
    return parsed.strftime("%Y-%m-%d %H:%M:%S.") + f"{parsed.microsecond // 1000:03d}"


# --- the generic json type is chosen by name, never by key -----------------------------------------


def test_json_never_claims_a_key():
    for case in _cases("json"):
        assert registry.recognise(case["key"]) is None
    assert registry.get("json").name == "json"


@pytest.mark.parametrize("case", _cases("json"), ids=lambda c: c["name"])
def test_json_cases_by_type_name(case, store, tmp_path):
    parsed = _careful(store, tmp_path, write_object(tmp_path / "bucket", case["key"], case["content"]), "json")
    records = [p for p in parsed if not isinstance(p, Malformed)]
    errors = [p.error for p in parsed if isinstance(p, Malformed)]
    assert [(e.position, "invalid json" in e.error.lower()) for e in errors] == \
           [(line, True) for line, _ in case.get("errors", [])]
    assert len(records) == len(case["common"])
    for record, expected in zip(records, case["common"]):
        assert record["source_type"] == "json" and record["raw"]
        for name, value in expected.items():
            assert record[name] == value, (name, record)
        if not expected:  # no time key: the ingestion time
            assert record["ts"] >= "2025"


# --- the worker's fast path gives the rows of the careful path, and refuses damage -------------------


@pytest.mark.parametrize("type_name, case", [(t, c) for t in TYPES for c in _cases(t)],
                         ids=lambda v: v if isinstance(v, str) else v["name"])
def test_fast_path_agrees(type_name, case, store, tmp_path):
    path = write_object(tmp_path / "bucket", case["key"], case["content"])
    if case.get("errors"):
        with pytest.raises((QueryError, *compression.DAMAGED)):
            _fast(store, tmp_path, path, type_name)
        return
    fast = _fast(store, tmp_path, path, type_name)
    careful = [p for p in _careful(store, tmp_path, path, type_name) if not isinstance(p, Malformed)]
    assert len(fast) == len(careful) == len(case.get("records") or case.get("common"))
    for f, c, expected in zip(fast, careful, case.get("common") or [{}] * len(fast)):
        assert f.pop("problem") == ""
        assert json.loads(f.pop("raw")) == c.pop("fields") == json.loads(c.pop("raw"))
        if "ts" not in expected:  # a record without a time gets the ingestion time, which differs
            f.pop("ts"), c.pop("ts")
        assert f == c


# --- CloudWatch Logs envelopes ---------------------------------------------------------------------


def _envelope(group: str, events: list[tuple[str, int, str]], kind: str = "DATA_MESSAGE") -> dict:
    return {"messageType": kind, "owner": "111122223333", "logGroup": group, "logStream": "s-1",
            "subscriptionFilters": ["f"],
            "logEvents": [{"id": i, "timestamp": t, "message": m} for i, t, m in events]}


def test_cloudwatch_envelopes_across_chunk_boundaries():
    text = (json.dumps(_envelope("g1", [("1", 1, 'a "}{" ✓ zoë'), ("2", 2, "b\n")]))
            + json.dumps(_envelope("g2", [("3", 3, "x" * 50)]), indent=4) + "\n \n"
            + json.dumps(_envelope("g3", [("4", -1, "{}")])) + "\n"
            + json.dumps(_envelope("g4", [("5", 5, "}{" * 20), ("6", 6, "} {")])))  # more `}{` than tried
    whole = list(cloudwatch.envelopes(io.BytesIO(text.encode())))
    assert [e["logGroup"] for e in whole] == ["g1", "g2", "g3", "g4"]
    for chunk in (1, 2, 3, 7, 64):  # multi-byte characters and values split anywhere
        assert list(cloudwatch.envelopes(io.BytesIO(text.encode()), chunk)) == whole


def test_cloudwatch_firehose_gzip_members_back_to_back(store, tmp_path):
    """Without Firehose decompression an object is the gzipped envelopes back to back."""
    members = [_envelope("/app", [("10", 1704164645123, "one")]),
               _envelope("", [("", 1704164645000, "CWL CONTROL MESSAGE")], "CONTROL_MESSAGE"),
               _envelope("/app", [("11", 1704164646000, "two"), ("12", 1704164647000, "three")])]
    path = tmp_path / "bucket" / CWL_KEY
    path.parent.mkdir(parents=True)
    path.write_bytes(b"".join(gzip.compress(json.dumps(m).encode()) for m in members))
    assert registry.recognise(CWL_KEY).name == "cloudwatch"
    for rows in (_fast(store, tmp_path, path, "cloudwatch"), _careful(store, tmp_path, path, "cloudwatch")):
        assert [(r["event_id"], r["ts"], r["actor"], r["account_id"]) for r in rows] == [
            ("10", "2024-01-02 03:04:05.123", "/app", "111122223333"),
            ("11", "2024-01-02 03:04:06.000", "/app", "111122223333"),
            ("12", "2024-01-02 03:04:07.000", "/app", "111122223333")]


def test_cloudwatch_damaged_envelope_is_salvaged(store, tmp_path):
    good = [json.dumps(_envelope("/app", [(str(n), 1704164645000 + n, f"m{n}")])) for n in range(3)]
    text = good[0] + good[1][:-40] + good[2] + "\n[1, 2]\n" + good[0]  # cut, then not an envelope
    path = tmp_path / "damaged.json"
    path.write_text(text)
    with pytest.raises(ValueError):
        _fast(store, tmp_path, path, "cloudwatch")
    salvaged = list(registry.get("cloudwatch").salvage(text.encode()))
    errors = [s for s in salvaged if isinstance(s, RecordError)]
    assert [(e.position, e.error.split(":")[0]) for e in errors] == [
        (1, "invalid JSON envelope"), (2, "not a CloudWatch Logs subscription envelope")]
    parsed = _careful(store, tmp_path, path, "cloudwatch")
    assert [p["event_id"] for p in parsed if not isinstance(p, Malformed)] == ["0", "2", "0"]
    assert [p.error.position for p in parsed if isinstance(p, Malformed)] == [1, 2]


def test_cloudwatch_unreadable_object_is_an_error_not_a_crash(store, tmp_path):
    path = tmp_path / "garbage.json"
    path.write_text('not json at all\n{"messageType": "DATA_MESSAGE", "logEvents": 3}')
    parsed = _careful(store, tmp_path, path, "cloudwatch")
    assert [(p.error.position, "envelope" in p.error.error) for p in parsed] == [(1, True), (2, True)]


def test_firehose_keys_are_told_apart():
    assert registry.recognise("2024/01/02/03/aws-waf-logs-shop-1-2024-01-02-03-10-05-"
                              "5f0c2b8e-3a1d-4c6e-9b7f-2d8e1a4c6b3f.gz").name == "waf"
    assert registry.recognise("logs/2024/01/02/03/my.stream_2-12-2024-01-02-03-10-05-"
                              "5f0c2b8e-3a1d-4c6e-9b7f-2d8e1a4c6b3f").name == "cloudwatch"
    assert registry.recognise("2024/01/02/03/not-firehose.json.gz") is None


# --- published samples -------------------------------------------------------------------------------


@pytest.mark.skipif(not VECTOR_CWL.exists(), reason="../shared/samples is not beside the project")
def test_vector_cloudwatch_subscription_message(store, tmp_path):
    examples = json.loads(VECTOR_CWL.read_text())["examples"]
    assert examples
    for n, example in enumerate(examples):
        # parse_aws_cloudwatch_log_subscription_message!(s'<the pretty-printed envelope>')
        envelope = re.search(r"s'(.*)'\)\s*$", example["source"], re.S)[1]
        expected = example["return"]
        path = tmp_path / f"vector-{n}.json"
        path.write_text(envelope)
        fast = _fast(store, tmp_path, path, "cloudwatch")
        careful = [p for p in _careful(store, tmp_path, path, "cloudwatch", CWL_KEY) if not isinstance(p, Malformed)]
        assert len(fast) == len(careful) == len(expected["log_events"])
        for f, c, event in zip(fast, careful, expected["log_events"]):
            for record in (f, c):
                assert record["ts"] == _utc_ms(event["timestamp"])
                assert record["event_id"] == event["id"]
                assert (record["actor"], record["resource"]) == (expected["log_group"], expected["log_stream"])
                assert record["account_id"] == expected["owner"]
                assert (record["src_ip"], record["ips"]) == ("", [])
            assert c["fields"]["message"] == event["message"]
            assert c["fields"]["subscriptionFilters"] == expected["subscription_filters"]
            assert json.loads(f["raw"]) == c["fields"]


def _sample_findings() -> list[dict]:
    return [json.loads(line)["log"] for line in PANTHER_GD.read_text().splitlines() if line.strip()]


def _remote_ips(finding: dict) -> list[str]:
    action = (finding.get("service") or {}).get("action") or {}
    details = [action.get(k) or {} for k in ("awsApiCallAction", "networkConnectionAction")]
    details += (action.get("portProbeAction") or {}).get("portProbeDetails") or []
    details += [action.get(k) or {} for k in ("kubernetesApiCallAction", "rdsLoginAttemptAction")]
    ips = [ip for d in details for ip in ((d.get("remoteIpDetails") or {}).get("ipAddressV4"),
                                          (d.get("remoteIpDetails") or {}).get("ipAddressV6")) if ip]
    return list(dict.fromkeys(ips))


@pytest.mark.skipif(not PANTHER_GD.exists(), reason="../shared/samples is not beside the project")
def test_panther_guardduty_findings(store, tmp_path):
    findings = _sample_findings()
    assert len(findings) >= 8
    path = write_object(tmp_path / "bucket", GD_KEY, "".join(json.dumps(f) + "\n" for f in findings))
    assert registry.recognise(GD_KEY).name == "guardduty"
    parsed = _careful(store, tmp_path, path, "guardduty", GD_KEY)
    assert not [p for p in parsed if isinstance(p, Malformed)]
    assert len(parsed) == len(findings)
    fast = _fast(store, tmp_path, path, "guardduty")
    for finding, record, quick in zip(findings, parsed, fast):
        assert record["ts"] == _utc_ms(finding["updatedAt"] or finding["createdAt"])
        assert record["ts"].startswith(("2025-02-25 20:40:06.", "2020-02-14 18:12:22.316"))
        assert (record["event_id"], record["resource"], record["action"]) == \
               (finding["id"], finding["arn"], finding["type"])
        assert record["resource"].startswith("arn:aws:guardduty:") and "/finding/" in record["resource"]
        assert (record["account_id"], record["region"]) == ("123456789012", "us-east-1")
        assert record["ips"] == _remote_ips(finding) == []  # none of these findings names a remote address
        assert record["src_ip"] == ""
        attack = finding["type"].startswith("AttackSequence:")
        assert record["outcome"] == ("" if attack else "success")
        # the API-call samples have `resource: null`: no actor, no type
        assert (record["actor"], record["actor_type"]) == ("", "AttackSequence" if attack else "")
        assert record["fields"]["severity"] == finding["severity"]
        assert {k: quick[k] for k in SHOWN if k not in ("raw", "object")} == \
               {k: record[k] for k in SHOWN if k not in ("raw", "object")}
