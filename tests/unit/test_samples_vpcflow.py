"""Published VPC Flow lines parse to the values their publishers give; Parquet deliveries parse too."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import engine, registry

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "vpcflow"
VECTOR = SAMPLES / "vectordotdev-vrl" / "parse_aws_vpc_flow_log.json"
ELASTIC = SAMPLES / "elastic-integrations" / "test-extra-samples.log"
KEY = ("AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/05/14/"
       "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240514T1200Z_3f2a9c1d.log")


def _parse(store, tmp_path, content: str | bytes, name: str = "sample.log"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return list(parse_file(store, str(path), registry.get("vpcflow"), str(tmp_path), object_name=KEY))


def _vector_examples():
    """(line, format or '', expected fields) of each example: `parse_aws_vpc_flow_log!("<line>"[, "<format>"])`."""
    for example in json.loads(VECTOR.read_text())["examples"]:
        strings = [json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', example["source"])]
        yield strings[0], strings[1] if len(strings) > 1 else "", example["return"]


@pytest.mark.skipif(not VECTOR.exists(), reason="../shared/samples is not beside the project")
def test_vector_examples(store, tmp_path):
    examples = list(_vector_examples())
    assert len(examples) >= 4
    for n, (line, header, expected) in enumerate(examples):
        content = (header + "\n" if header else "") + line + "\n"
        records = _parse(store, tmp_path, content, f"vector-{n}.log")
        assert len(records) == 1 and not isinstance(records[0], Malformed), records
        record = records[0]
        # '-' values are left out of `fields` (null); every other value as Vector gives it
        assert record["fields"] == {k: v for k, v in expected.items() if v is not None}, line
        assert record["source_type"] == "vpcflow"
        assert record["src_ip"] == (expected.get("srcaddr") or "")
        assert record["action"] == (expected.get("action") or "")
        assert record["outcome"] == {"ACCEPT": "success", "REJECT": "failure"}.get(expected.get("action"), "")
        if expected.get("start"):
            assert record["ts"].startswith("20") or record["ts"].startswith("19")
        assert record["account_id"] == expected.get("account_id", "123456789012")
        assert record["region"] == expected.get("region", "us-east-1")
        addresses = [expected.get(k) for k in ("srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr")]
        assert record["ips"] == list(dict.fromkeys(a for a in addresses if a))


@pytest.mark.skipif(not ELASTIC.exists(), reason="../shared/samples is not beside the project")
def test_elastic_v2_lines_without_header(store, tmp_path):
    text = ELASTIC.read_text()
    lines = [line for line in text.splitlines() if line.strip()]
    records = _parse(store, tmp_path, text, "elastic.log")
    assert [r for r in records if isinstance(r, Malformed)] == []
    assert len(records) == len(lines) == 7
    for line, record in zip(lines, records):
        values = line.split(" ")
        assert record["raw"] == line
        assert record["fields"]["version"] == 2
        assert record["fields"]["log_status"] == values[13]
        assert record["fields"]["interface_id"] == values[2] == record["resource"]
        assert record["account_id"] == values[1] == "123456789010"
        assert record["fields"]["start"] == int(values[10])
        if values[13] == "OK":
            assert record["src_ip"] == values[3]
            assert record["ips"] == [values[3], values[4]]
            assert record["fields"]["bytes"] == int(values[9])
            assert record["action"] == values[12]
        else:  # NODATA / SKIPDATA: kept, tagged by log_status, no addresses
            assert record["src_ip"] == "" and record["ips"] == [] and record["outcome"] == ""
            assert "srcaddr" not in record["fields"] or record["fields"]["srcaddr"] is None
    assert records[0]["ts"] == "2016-10-31 11:35:08.000"


# ------------------------------------------------------------------ Parquet deliveries

PARQUET_ROWS = [
    # version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
    # start, end, action, log_status, tcp_flags, region, traffic_path
    (5, "123456789012", "eni-04c7e2a9b1d3f5e68", "198.51.100.23", "10.0.1.15", 50514, 443, 6, 12, 4310,
     1715688005, 1715688062, "ACCEPT", "OK", 2, "us-east-2", None),
    (5, "123456789012", "eni-04c7e2a9b1d3f5e68", None, None, None, None, None, None, None,
     1715688005, 1715688062, None, "NODATA", None, "us-east-2", None),
    (5, "123456789012", "eni-04c7e2a9b1d3f5e68", "10.0.1.15", "192.0.2.200", 41972, 22, 6, 1, 40,
     1715688121, 1715688178, "REJECT", "OK", 19, "us-east-2", 8),
]
PARQUET_NAMES = ("version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes"
                 " start end action log_status tcp_flags region traffic_path").split()
PARQUET_KEY = ("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-2/"
               "year=2024/month=05/day=14/hour=12/"
               "123456789012_vpcflowlogs_us-east-2_fl-0a1b2c3d4e5f60718_20240514T1200Z_3f2a9c1d.log.parquet")


def _write_parquet(path: Path) -> None:
    """A Parquet object shaped like AWS's: INT_32 / INT_64 / STRING columns, gzip, small row groups."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    types = {"version": pa.int32(), "srcport": pa.int32(), "dstport": pa.int32(), "tcp_flags": pa.int32(),
             "traffic_path": pa.int32(), "protocol": pa.int64(), "packets": pa.int64(), "bytes": pa.int64(),
             "start": pa.int64(), "end": pa.int64()}
    columns = {name: pa.array([row[i] for row in PARQUET_ROWS], types.get(name, pa.string()))
               for i, name in enumerate(PARQUET_NAMES)}
    pq.write_table(pa.table(columns), str(path), compression="gzip", row_group_size=2)


def _check_parquet_records(records):
    assert [r for r in records if isinstance(r, Malformed)] == []
    assert len(records) == len(PARQUET_ROWS)
    for row, record in zip(PARQUET_ROWS, records):
        assert record["fields"] == {k: v for k, v in zip(PARQUET_NAMES, row) if v is not None}
        assert record["account_id"] == "123456789012" and record["region"] == "us-east-2"
        assert record["src_ip"] == (row[3] or "")
    assert [r["outcome"] for r in records] == ["success", "", "failure"]
    assert records[0]["ts"] == "2024-05-14 12:00:05.000"
    assert records[2]["ips"] == ["10.0.1.15", "192.0.2.200"]


def test_parquet_object_parses(store, tmp_path):
    path = tmp_path / "bucket" / PARQUET_KEY
    path.parent.mkdir(parents=True)
    _write_parquet(path)
    assert registry.recognise(PARQUET_KEY).name == "vpcflow"
    records = list(parse_file(store, str(path), registry.get("vpcflow"), str(tmp_path), object_name=PARQUET_KEY))
    _check_parquet_records(records)


@pytest.mark.parametrize("codec", ["none", "gzip"])
def test_parquet_object_framed_on_the_fast_path(store, tmp_path, codec):
    """The worker's way: `frame` turns the Parquet object into text inside the batch file (a
    decompressed stream is spooled to a file first: Parquet is read from its end)."""
    path = tmp_path / "flow.parquet"
    _write_parquet(path)
    if codec == "gzip":
        path.write_bytes(gzip.compress(path.read_bytes()))
    log_type = registry.get("vpcflow")
    batch = engine.write_batch(log_type, [(str(path), codec, PARQUET_KEY, "")], str(tmp_path))
    assert batch.params["headers"] == [" ".join(PARQUET_NAMES)]
    try:
        settings = batch.settings() if hasattr(batch, "settings") else f"SETTINGS {engine.READ_SETTINGS}"
        rows = store.query(f"SELECT *, fields FROM ({batch.rows_sql()}) ORDER BY position {settings}", batch.params)
    finally:
        batch.discard()
    assert [r["problem"] for r in rows] == ["", "", ""]
    for row in rows:
        row["fields"] = {k: log_type.field_types.get(k, str)(v) for k, v in row["fields"].items()}
    _check_parquet_records(rows)


def test_damaged_parquet_object_is_an_error(store, tmp_path):
    path = tmp_path / "flow.parquet"
    _write_parquet(path)
    path.write_bytes(path.read_bytes()[:-40])
    parsed = _parse(store, tmp_path, path.read_bytes(), "damaged.parquet")
    assert len(parsed) == 1 and isinstance(parsed[0], Malformed)
    assert "parquet" in parsed[0].error.error.lower()


def test_header_detection_and_framing():
    """The first line is a header when it names fields; it is framed with its names normalised."""
    import io

    flow = registry.get("vpcflow")
    assert flow.header_of(b"version account-id interface-id\n2 1 eni-1\n") == "version account_id interface_id"
    assert flow.header_of(b"instance_id srcaddr\r\n- 10.0.0.1\r\n") == "instance_id srcaddr"
    assert flow.header_of(b"instance-tag srcaddr dstaddr\n") == "instance_tag srcaddr dstaddr"
    assert flow.header_of(b"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1 2 - NODATA\n") == ""
    assert flow.header_of(b"- eni-0d2e3f4a5b6c7d8e9 10.20.1.5 10.20.0.220\n") == ""
    out = io.BytesIO()
    assert flow.frame(io.BytesIO(b"srcaddr Dst-Addr\r\n10.0.0.1 10.0.0.2\r\n"), out, 3) == "srcaddr dst_addr"
    assert out.getvalue() == b"3 srcaddr dst_addr\r\n3 10.0.0.1 10.0.0.2\r\n3 \n"
    org_key = "AWSLogs/o-abc123def4/123456789012/vpcflowlogs/us-east-1/2025/01/01/x.log.gz"
    assert registry.recognise(org_key).name == "vpcflow"
    assert registry.recognise("logs/AWSLogs/123456789012/elasticloadbalancing/us-east-1/x.log.gz").name != "vpcflow"
