"""`backtrail parse`: local files parsed as the worker would, records on stdout, problems on stderr."""
from __future__ import annotations

import gzip

import orjson

from conftest import describe, run

ALB_KEY = ("AWSLogs/123456789012/elasticloadbalancing/us-east-2/2024/01/02/"
           "123456789012_elasticloadbalancing_us-east-2_app.web.50dc6c495c0c9188_20240102T0000Z_192.0.2.1_abc.log.gz")
GOOD = ('https 2024-01-02T00:00:01.000001Z app/web/50dc6c495c0c9188 198.51.100.77:40001 10.0.1.5:8080 0.001 0.020'
        ' 0.000 502 - 120 340 "GET https://shop.example.com:443/api/preview?url=x HTTP/1.1" "curl/8.5.0 \\"x\\""'
        ' ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-abc" "shop.example.com" "-" 1 2024-01-02T00:00:00.980000Z'
        ' "forward" "-" "-" "10.0.1.5:8080" "-" "-" "-" TID_1')


def test_parse_prints_records_and_names_bad_lines(tmp_path):
    path = tmp_path / ALB_KEY
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(f"{GOOD}\nnot an access log line\n{GOOD}\n".encode()))
    proc = run("parse", str(path))
    assert proc.returncode == 0, describe(proc)
    records = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 2
    first = records[0]
    assert (first["source_type"], first["src_ip"], first["action"], first["outcome"]) == \
        ("alb", "198.51.100.77", "GET", "failure")
    assert (first["account_id"], first["region"], first["ts"]) == ("123456789012", "us-east-2", "2024-01-02 00:00:01.000")
    assert first["fields"]["elb_status_code"] == 502 and first["fields"]["target_processing_time"] == 0.02
    assert first["fields"]["user_agent"] == 'curl/8.5.0 "x"' and "target_status_code" not in first["fields"]
    assert first["raw"] == GOOD
    assert f"{path}:2: too few fields" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "parse: 1 file(s), 2 record(s), 1 malformed, 0 unreadable"


def test_parse_needs_a_known_type_and_a_readable_file(tmp_path):
    loose = tmp_path / "access.log"
    loose.write_text(GOOD + "\n")
    proc = run("parse", str(loose))
    assert proc.returncode == 2 and "give --type" in proc.stderr, describe(proc)
    proc = run("parse", "--type", "alb", str(loose))
    assert proc.returncode == 0 and orjson.loads(proc.stdout)["src_ip"] == "198.51.100.77", describe(proc)
    proc = run("parse", "--type", "nope", str(loose))
    assert proc.returncode == 2 and "unknown log type 'nope'" in proc.stderr, describe(proc)
    proc = run("parse", "--type", "alb", str(tmp_path / "missing.log"))
    assert proc.returncode == 2 and "cannot read" in proc.stderr, describe(proc)
