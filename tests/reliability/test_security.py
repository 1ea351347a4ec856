"""Security: what a user types (search, SQL) cannot write, read files, reach the network, read other
tables or change settings; the API wants its token on every route; secrets stay out of logs and
errors; a `file://` source cannot be made to read outside its directory.

The API off loopback is covered by tests/e2e/test_serve.py::test_any_address_bind_still_requires_the_token
(`serve --host 0.0.0.0` refuses requests without or with a wrong token).
"""
from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from backtrail.core.errors import QueryError
from backtrail.query.http import ApiServer
from backtrail.query.search import compile_search
from backtrail.query.service import QueryService
from fault_proxy import FaultProxy
from relkit import cli, describe, record, scale, sql
from sources_file import on_endpoint, source, write_sources

CANARY = "/tmp/backtrail-reliability-canary.txt"
OUTFILE = "/tmp/backtrail-reliability-outfile.txt"

# Each must be refused: writes, files, network, other tables, settings, output redirection —
# including the bypasses this suite found (a `#` inside a quoted identifier hid INTO OUTFILE from
# the guard; a trailing `--` comment swallowed the appended readonly settings; scalar file()).
HOSTILE_SQL = [
    "INSERT INTO events (raw) SELECT 'x'",
    "INSERT INTO events FROM INFILE '/etc/passwd' FORMAT LineAsString",
    "ALTER TABLE events DELETE WHERE 1",
    "TRUNCATE TABLE events",
    "DROP TABLE events",
    "CREATE TABLE pwn (a String) ENGINE = File(CSV)",
    "ATTACH TABLE pwn (a String) ENGINE = File(CSV, '/etc/passwd')",
    "SET readonly = 0",
    "SYSTEM SHUTDOWN",
    "KILL QUERY WHERE 1",
    "OPTIMIZE TABLE events FINAL",
    "BACKUP TABLE events TO Disk('default', 'x')",
    "SHOW TABLES",
    "DESCRIBE TABLE objects",
    "EXPLAIN SELECT * FROM objects",
    f"SELECT file('{CANARY}') AS f",
    f"SELECT FILE('{CANARY}') AS f",
    f"SELECT `file`('{CANARY}') AS f",
    f"SELECT * FROM file('{CANARY}', LineAsString)",
    f"SELECT count() FROM events WHERE raw IN (SELECT * FROM file('{CANARY}', LineAsString))",
    "SELECT * FROM url('http://127.0.0.1:9/x', LineAsString)",
    "SELECT * FROM s3('http://127.0.0.1:9/b/k', LineAsString)",
    "SELECT * FROM remote('127.0.0.1:9', system.one)",
    "SELECT * FROM remoteSecure('127.0.0.1:9', default.objects)",
    "SELECT * FROM mysql('127.0.0.1:9', 'd', 't', 'u', 'p')",
    "SELECT * FROM postgresql('127.0.0.1:9', 'd', 't', 'u', 'p')",
    "SELECT * FROM executable('id', LineAsString, 'a String')",
    "SELECT * FROM hdfs('hdfs://127.0.0.1:9/x', LineAsString)",
    "SELECT * FROM merge('default', 'objects')",
    "SELECT * FROM view(SELECT * FROM objects)",
    "SELECT * FROM system.tables",
    "SELECT * FROM `system`.`tables`",
    'SELECT * FROM "system"."settings"',
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM objects",
    "SELECT * FROM backfills",
    "SELECT * FROM incoming",
    "SELECT * FROM default.objects",
    "SELECT * FROM (SELECT * FROM objects)",
    "WITH objects AS (SELECT * FROM objects) SELECT * FROM objects",
    "SELECT * FROM events WHERE event_id IN objects",
    "SELECT 1 AS x WHERE 0 IN system.one",
    "SELECT raw FROM events UNION ALL SELECT reason FROM objects",
    "SELECT key FROM objects WHERE reason != ', objects AS ('",
    "SELECT dictGet('d', 'a', 1)",
    "SELECT getSetting('readonly') AS r",
    "SELECT hostName() AS h",
    "SELECT filesystemAvailable() AS f",
    "SELECT * FROM events SETTINGS readonly = 0",
    "SELECT * FROM events SETTINGS max_execution_time = 100000",
    "SELECT * FROM events FORMAT Native",
    f"SELECT * FROM events INTO OUTFILE '{OUTFILE}'",
    f"SELECT 'x' AS \"a#b\" INTO OUTFILE '{OUTFILE}'",
    f"SELECT 'x' AS `a#b` INTO OUTFILE '{OUTFILE}' APPEND",
    f"SELECT 'x' AS \"a--b\" INTO OUTFILE '{OUTFILE}'",
    f"SELECT 'x' AS \"a/*b\", '*/' AS c INTO OUTFILE '{OUTFILE}'",
    "SELECT 'x' AS \"a#b\" SETTINGS max_result_rows = 1000000000",
    "SELECT 'x' AS \"a#b\" FORMAT JSON",
    f"SELECT $$'$$ AS a INTO OUTFILE '{OUTFILE}' --'",
    f"SELECT 1 AS a$x$, 2 AS b INTO OUTFILE '{OUTFILE}$x$'",
    "SELECT 1 AS a; DROP TABLE events",
    "SELECT 1 AS a $$;$$ DROP TABLE events",
    "SELECT 1 AS a /* ; */; DROP TABLE events",
]


@pytest.fixture(scope="module")
def canary():
    Path(CANARY).write_text("CANARY-7f3a9e\n")
    yield
    for path in (CANARY, OUTFILE):
        Path(path).unlink(missing_ok=True)


def _tables(store) -> dict[str, int]:
    return {r["name"]: int(r["total_rows"] or 0) for r in store.query(
        "SELECT name, total_rows FROM system.tables WHERE database = currentDatabase()")}


@pytest.mark.parametrize("statement", HOSTILE_SQL)
def test_user_sql_cannot_write_read_files_reach_out_or_read_other_tables(statement, store, canary):
    before = _tables(store)
    with pytest.raises(QueryError):
        QueryService(store).sql(statement)
    assert not Path(OUTFILE).exists()
    assert _tables(store) == before
    record("security: user SQL", hostile_statements=1, accepted=0)


def test_a_trailing_comment_does_not_switch_the_read_only_settings_off(store, canary):
    """The settings backtrail appends (readonly, time and row limits) hold after a `--` comment."""
    service = QueryService(store)
    rows = service.sql("SELECT number FROM (SELECT arrayJoin(range(50)) AS number) --", max_rows=100)
    assert len(rows) == 50
    with pytest.raises(QueryError, match="(?i)limit for result|rows"):
        service.sql("SELECT number FROM (SELECT arrayJoin(range(50)) AS number) -- the rest is a comment", max_rows=10)


@settings(max_examples=scale(150, 2000), deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(list("ab1_.:*\"'\\()-; =`$#/\n\u00e9") + [
    "OR", "AND", "NOT", "src_ip:", "raw:", "userIdentity.type:", "'; DROP TABLE events; --", "10.0.0.0/8"]),
    max_size=24).map("".join))
def test_search_syntax_never_puts_user_text_into_sql(text):
    """Whatever is typed, the compiled WHERE holds only backtrail's own SQL: values are parameters."""
    try:
        compiled = compile_search(text)
    except QueryError:
        return
    skeleton = re.sub(r"\{p\d+:String\}", "?", compiled.where)
    assert not re.search(r"['\";`#$\\]|--|/\*", skeleton), (text, compiled.where)
    words = set(re.findall(r"[A-Za-z_][\w.]*", skeleton))
    allowed = {"AND", "OR", "NOT", "LIKE", "x", "has", "arrayExists", "positionCaseInsensitive", "raw", "fields",
               "JSONExtractString", "JSONExtractRaw", "toString", "isIPv4String", "isIPv6String",
               "isIPAddressInRange", "hasToken", "lower", "match"}
    from backtrail.core.schema import COMMON_COLUMNS
    assert words <= allowed | set(COMMON_COLUMNS), (text, words - allowed - set(COMMON_COLUMNS))


@pytest.mark.parametrize("query", [
    "action:') OR 1=1 --", "\"' OR '1'='1\"", "src_ip:1.2.3.4' UNION SELECT * FROM objects --",
    "a'); DROP TABLE events; --", "userIdentity.type:x'||file('/etc/passwd')||'", "`; SELECT 1",
    "raw:*' OR ''='", "x\\' OR 1=1 #", "principals:*%' OR 1=1 --", "(((((a OR b)))))", "NOT NOT NOT a",
])
def test_hostile_searches_run_as_plain_values(query, store):
    before = _tables(store)
    service = QueryService(store)
    total = service.count("")
    try:  # refused as a malformed search, or run with the text as a value: never as SQL
        assert 0 <= service.count(query) <= total
        assert len(service.search(query, limit=5)) <= 5
    except QueryError as exc:
        assert "search" in str(exc), exc
    assert _tables(store) == before
    record("security: search syntax", hostile_searches=1)


def test_every_api_route_wants_the_token(store):
    """No route but the UI's static files answers without the bearer token (see also
    tests/e2e/test_serve.py::test_any_address_bind_still_requires_the_token for --host 0.0.0.0)."""
    token = secrets.token_urlsafe(24)
    server = ApiServer(QueryService(store), token=token).start()
    try:
        spec = _get(server.url + "/api/openapi.json", token)
        routes = [(method.upper(), re.sub(r"\{[^}]+\}", "x", path)) for path, ops in spec["paths"].items()
                  for method in ops] + [("GET", "/metrics")]
        assert len(routes) >= 10
        for method, path in routes:
            for bad in (None, "wrong", token[:-1], f"{token} "):
                request = urllib.request.Request(server.url + path, method=method, data=b"{}" if method == "POST" else None,
                                                 headers={"Authorization": f"Bearer {bad}"} if bad else {})
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(request, timeout=30)
                assert refused.value.code == 401, (method, path, bad)
        record("security: API", routes_checked=len(routes), unauthenticated_requests_refused=4 * len(routes))
    finally:
        server.stop()


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.load(resp)


# --- secrets ------------------------------------------------------------------------------------


def _secrets() -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": "AKIA" + secrets.token_hex(8).upper(),
            "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30),
            "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjE" + secrets.token_urlsafe(60),
            "BACKTRAIL_TOKEN": secrets.token_urlsafe(32)}


def _leaks(text: str, creds: dict[str, str]) -> list[str]:
    return [name for name, value in creds.items() if name != "AWS_ACCESS_KEY_ID" and value in text]


def test_secrets_never_reach_logs_or_errors(moto_url, tmp_path):
    """A backfill and a worker against endpoints that fail (refusals, 500s, resets, nothing listening)
    with fake credentials: no secret key, session token or API token in stdout, stderr or status."""
    import boto3
    creds = _secrets()
    bucket = f"secrets-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=moto_url).create_bucket(Bucket=bucket)
    body = gzip.compress(json.dumps({"Records": [{"eventID": "s-1", "eventTime": "2026-11-04T10:00:00Z"}]}).encode())
    boto3.client("s3", endpoint_url=moto_url).put_object(
        Bucket=bucket, Key="AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/04/x.json.gz", Body=body)
    outputs, runs = [], 0
    with FaultProxy(moto_url, seed=3) as proxy:
        proxy.fail_next(10, "403", match=lambda m, p, h: m == "GET" and "list-type" not in p and "AWSLogs/" in p)
        cases = [(proxy.url, "s3 GETs refused"), ("http://127.0.0.1:9", "nothing listening")]
        for endpoint, _why in cases:
            data = tmp_path / f"data{runs}"
            proc = cli("backfill", f"s3://{bucket}/AWSLogs/", "--endpoint-url", endpoint, data_dir=data,
                       extra_env=creds | {"AWS_DEFAULT_REGION": "us-east-1"}, timeout=240)
            runs += 1
            assert proc.returncode != 0 and "Traceback" not in proc.stderr, describe(proc)
            outputs.append(proc.stdout + proc.stderr)
            if (data / "store").exists():
                outputs.append(cli("status", "--json", data_dir=data).stdout)
        config = write_sources(tmp_path / "sources.toml", source(
            "trail", "cloudtrail", f"s3://{bucket}/", live="http://127.0.0.1:9/123456789012/nowhere"),
            aws=on_endpoint("http://127.0.0.1:9"))
        proc = cli("worker", "--config", config, "--once", data_dir=tmp_path / "wdata", extra_env=creds, timeout=240)
        runs += 1
        assert proc.returncode != 0 and "Traceback" not in proc.stderr, describe(proc)
        outputs.append(proc.stdout + proc.stderr)
    text = "\n".join(outputs)
    assert not _leaks(text, creds), (_leaks(text, creds), text[-3000:])
    assert re.search(r"(?i)could not|error|fail|refused|connect", text), text[-2000:]
    record("security: secrets", runs=runs, secrets_found_in_output=0)


def test_serve_keeps_its_token_out_of_the_logs_but_in_its_address_line(tmp_path):
    """`serve` prints its address with `#token=` on stdout by design (the link to open); stderr (its
    log) never holds the token, and server.json that holds it is mode 0600."""
    import subprocess
    import sys
    import time
    from relkit import env
    token = secrets.token_urlsafe(32)
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-m", "backtrail.cli", "serve", "--data-dir", str(data), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env(BACKTRAIL_TOKEN=token), cwd=tmp_path)
    try:
        line = proc.stdout.readline()
        assert f"#token={token}" in line
        deadline = time.monotonic() + 60
        while not (data / "server.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (os.stat(data / "server.json").st_mode & 0o777) == 0o600
        url = re.search(r"http://[^/#]+", line)[0]
        for path in ("/api/search?q=%22unclosed", "/api/nope", "/api/sql"):
            request = urllib.request.Request(url + path, headers={"Authorization": "Bearer wrong"})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=30)
            assert token not in refused.value.read().decode()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    assert token not in err, err


# --- file:// sources stay inside their directory --------------------------------------------------


def _trail(root: Path, key: str, ids: list[str]) -> None:
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps({"Records": [
        {"eventID": i, "eventTime": "2026-11-04T10:00:00Z", "eventName": "GetObject"} for i in ids]}).encode()))


def test_file_sources_cannot_escape_their_root(tmp_path):
    """A symlink in the bucket directory to a file or directory outside it, and a notification whose
    key climbs out with `../`, read nothing from outside; the rest of the bucket loads."""
    day = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/04"
    root, outside = tmp_path / "bucket", tmp_path / "outside"
    _trail(root, f"{day}/inside.json.gz", ["inside-1", "inside-2"])
    _trail(root, f"{day}/\u00e9t\u00e9 \u2603 key.json.gz", ["unicode-1"])
    _trail(outside, f"{day}/secret.json.gz", ["outside-1", "outside-2"])
    (root / day / "link-to-file.json.gz").symlink_to(outside / day / "secret.json.gz")
    (root / "AWSLogs/123456789012/CloudTrail/us-west-2").symlink_to(outside / "AWSLogs/123456789012/CloudTrail/us-east-1")
    data = tmp_path / "data"
    proc = cli("backfill", f"file://{root}", data_dir=data)
    assert "Traceback" not in proc.stderr, describe(proc)
    ids = {r["event_id"] for r in sql(data, "SELECT event_id FROM events")}
    assert {"inside-1", "inside-2", "unicode-1"} <= ids, describe(proc)
    assert not ids & {"outside-1", "outside-2"}, (ids, describe(proc))

    # a live notification naming the bucket directory and a key that climbs out of it
    queue = tmp_path / "queue.db"
    config = write_sources(tmp_path / "sources.toml", source(
        "files", "cloudtrail", f"file://{root}", live=f"sqlite://{queue}?name=live"))
    from backtrail.adapters.sqlite_queue import SqliteQueue
    from urllib.parse import quote_plus
    q = SqliteQueue(str(queue), "live")
    climb = f"{day}/../../../../../../../../outside/{day}/secret.json.gz"
    q.send([json.dumps({"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                                     "eventTime": "2026-11-04T10:00:00Z",
                                     "s3": {"bucket": {"name": str(root)},
                                            "object": {"key": quote_plus(climb, safe="/"), "size": 10, "eTag": "e"}}}]})])
    q.close()
    proc = cli("worker", "--config", config, "--once", data_dir=data)
    assert "Traceback" not in proc.stderr, describe(proc)
    assert "escapes" in proc.stderr + proc.stdout, describe(proc)
    ids = {r["event_id"] for r in sql(data, "SELECT event_id FROM events")}
    assert not ids & {"outside-1", "outside-2"}, ids
    record("security: file:// root", escape_attempts=3, escaped=0)
