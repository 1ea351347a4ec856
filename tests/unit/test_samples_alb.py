"""Published ALB and classic ELB lines parse to the values their publishers give."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import registry

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
ALB = SAMPLES / "alb" / "vectordotdev-vrl" / "parse_aws_alb_log.json"
# Vector's names for the fields AWS names otherwise.
VECTOR_NAMES = {"client_host": "client_port", "target_host": "target_port", "timestamp": "time",
                "traceability_id": "conn_trace_id"}


def _parse(store, tmp_path, text: str, name: str = "sample.log"):
    path = tmp_path / name
    path.write_text(text)
    return list(parse_file(store, str(path), registry.get("alb"), str(tmp_path)))


@pytest.mark.skipif(not ALB.exists(), reason="../shared/samples is not beside the project")
def test_vector_alb_examples(store, tmp_path):
    examples = json.loads(ALB.read_text())["examples"]
    lines = [json.loads('"' + re.search(r'"((?:[^"\\]|\\.)*)"', e["source"])[1] + '"') for e in examples]
    records = _parse(store, tmp_path, "\n".join(lines) + "\n")
    assert len(records) == len(examples) and not any(isinstance(r, Malformed) for r in records)
    for example, record in zip(examples, records):
        for name, value in example["return"].items():
            name = VECTOR_NAMES.get(name, name)
            if name.startswith("request_") and name not in ("request_processing_time", "request_creation_time"):
                continue  # Vector splits `request`; we keep it whole (method and URL are `action`, `resource`)
            if name in ("target_port_list", "target_status_code_list") and value == []:
                value = None
            got = record["fields"].get(name)
            if isinstance(got, int) and isinstance(value, str):
                value = int(value)
            assert got == value, f"{name}: {got!r} != {value!r}"
        method, url, _ = example["return"]["request_method"], example["return"]["request_url"], None
        assert (record["action"], record["resource"]) == (method, url)


@pytest.mark.skipif(not (SAMPLES / "elb_classic").exists(), reason="../shared/samples is not beside the project")
@pytest.mark.parametrize("name", ["example-http.log", "example-https.log"])
def test_classic_elb_samples(store, tmp_path, name):
    text = (SAMPLES / "elb_classic" / "elastic-beats" / name).read_text()
    records = _parse(store, tmp_path, text, name)
    lines = [line for line in text.splitlines() if line.strip()]
    assert [r for r in records if isinstance(r, Malformed)] == []
    assert len(records) == len(lines)
    for record in records:
        assert record["ts"].startswith("20") and record["src_ip"] and record["fields"]["elb"]
        assert record["fields"]["client_port"].startswith(record["src_ip"])
