"""The search syntax, compiled and run against real chDB over a handful of known records."""
from __future__ import annotations

import gzip
import json

import pytest

from backtrail.core.errors import QueryError
from backtrail.core.records import ObjectRef
from backtrail.ingest.fetch import fetch
from backtrail.ingest.ledger import Ledger
from backtrail.ingest.writer import EventWriter
from backtrail.adapters.file_objects import FileObjects
from backtrail.logtypes.cloudtrail import CloudTrail
from backtrail.query.search import compile_search
from backtrail.query.service import QueryService

KEY = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/search-test.json.gz"
RECORDS = [
    {"eventTime": "2026-11-02T10:00:00Z", "eventID": "e1", "eventName": "AssumeRole", "eventSource": "sts.amazonaws.com",
     "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.77", "userAgent": "python-requests/2.31.0",
     "recipientAccountId": "111122223333",
     "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/web/i-1",
                      "accessKeyId": "ASIAEXAMPLE1"},
     "requestParameters": {"roleArn": "arn:aws:iam::111122223333:role/admin"},
     "responseElements": {"credentials": {"accessKeyId": "ASIAEXAMPLE2"}}},
    {"eventTime": "2026-11-02T11:00:00Z", "eventID": "e2", "eventName": "ConsoleLogin", "eventSource": "signin.amazonaws.com",
     "awsRegion": "us-east-1", "sourceIPAddress": "10.1.2.3", "userAgent": "Mozilla/5.0",
     "recipientAccountId": "111122223333", "readOnly": False,
     "userIdentity": {"type": "Root", "arn": "arn:aws:iam::111122223333:root"},
     "responseElements": {"ConsoleLogin": "Failure"}},
    {"eventTime": "2026-11-02T12:00:00Z", "eventID": "e3", "eventName": "GetObject", "eventSource": "s3.amazonaws.com",
     "awsRegion": "eu-west-1", "sourceIPAddress": "s3.amazonaws.com", "userAgent": "aws-cli/2.0 \"quoted\"",
     "recipientAccountId": "111122223333", "errorCode": "AccessDenied",
     "userIdentity": {"type": "AWSService", "invokedBy": "s3.amazonaws.com"},
     "requestParameters": {"bucketName": "secret_bucket%"}},
]


@pytest.fixture(scope="module")
def service(store, tmp_path_factory):
    root = tmp_path_factory.mktemp("bucket")
    path = root / KEY
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(json.dumps({"Records": RECORDS}).encode()))
    objects = FileObjects(str(root))
    ref = ObjectRef(next(objects.list("AWSLogs/")))
    workdir = tmp_path_factory.mktemp("work")
    outcomes = EventWriter(store, Ledger(store), str(workdir)).write([fetch(ref, CloudTrail(), objects, str(workdir))], set())
    assert outcomes[0].events == 3
    return QueryService(store), ref.info.name


@pytest.mark.parametrize("query, ids", [
    ("eventName:AssumeRole", {"e1"}),
    ("action:AssumeRole", {"e1"}),
    ("userIdentity.type:Root", {"e2"}),
    ("readOnly:false", {"e2"}),
    ("src_ip:198.51.*", {"e1"}),
    ("src_ip:198.51.100.0/24", {"e1"}),
    ("src_ip:10.0.0.0/8 OR region:eu-west-1", {"e2", "e3"}),
    ("outcome:failure", {"e2", "e3"}),
    ("outcome:failure NOT actor_type:Root", {"e3"}),
    ("outcome:failure -actor_type:Root", {"e3"}),
    ("(eventName:AssumeRole OR eventName:GetObject) AND region:us-east-1", {"e1"}),
    ('"asiaexample2"', {"e1"}),
    ("principals:ASIAEXAMPLE2", {"e1"}),
    ("principals:ASIA*", {"e1"}),
    ("ips:10.1.2.3", {"e2"}),
    ('user_agent:"aws-cli/2.0 \\"quoted\\""', {"e3"}),
    ('"secret_bucket%"', {"e3"}),
    ("requestParameters.bucketName:secret_*", {"e3"}),
    ("requestParameters.bucketName:secret?bucket*", set()),
    ("actor:s3.amazonaws.com src_ip:\"\"", {"e3"}),
    ("*", {"e1", "e2", "e3"}),
    ("", {"e1", "e2", "e3"}),
])
def test_search_matches(service, query, ids):
    svc, name = service
    rows = svc.search(f"({query}) object:\"{name}\"" if query.strip() not in ("", "*") else f"object:\"{name}\"", limit=10)
    assert {r["event_id"] for r in rows} == ids


def test_common_columns_from_cloudtrail(service):
    svc, name = service
    rows = {r["event_id"]: r for r in svc.search(f'object:"{name}"')}
    assert rows["e1"]["actor"] == "arn:aws:sts::111122223333:assumed-role/web/i-1"
    assert rows["e1"]["resource"] == "arn:aws:iam::111122223333:role/admin"
    assert set(rows["e1"]["principals"]) >= {"ASIAEXAMPLE1", "ASIAEXAMPLE2", "arn:aws:iam::111122223333:role/admin"}
    assert rows["e2"]["outcome"] == "failure" and rows["e2"]["actor_type"] == "Root"
    assert rows["e3"]["src_ip"] == "" and rows["e3"]["ips"] == []
    assert rows["e3"]["actor"] == "s3.amazonaws.com"
    assert rows["e3"]["resource"] == "arn:aws:s3:::secret_bucket%"
    assert json.loads(rows["e3"]["raw"]) == RECORDS[2]


def test_values_never_reach_sql_text():
    compiled = compile_search("eventName:\"x') OR 1=1 --\" \"'; DROP TABLE events\"")
    assert "drop" not in compiled.where.lower() and "1=1" not in compiled.where
    assert {"eventName", "x') OR 1=1 --", "'; DROP TABLE events"} <= set(compiled.params.values())


@pytest.mark.parametrize("bad", ['"unclosed', "(a OR b", "a)", "NOT", "eventName:AssumeRole OR"])
def test_malformed_search_is_a_clear_error(bad):
    with pytest.raises(QueryError):
        compile_search(bad)


def test_time_range_and_count(service):
    from datetime import datetime, timezone
    svc, name = service
    since = datetime(2026, 11, 2, 10, 30, tzinfo=timezone.utc)
    until = datetime(2026, 11, 2, 11, 30, tzinfo=timezone.utc)
    assert svc.count(f'object:"{name}"', since, until) == 1


RECORD_TEXTS = ['{"k":"AKIAIOSFODNN7EXAMPLE","arn":"arn:aws:iam::123456789012:user/Bob-Smith_2"}',
                '{"ip":"10.0.0.1","ua":"aws-cli/2.15 Python/3.11","msg":"Café Crème au lait"}',
                '{"ip":"110.0.0.15","path":"/a%b_c\\\\d","mixed":"weird.Token.Mix","n":10}']
NEEDLES = ["akiaiosfodnn7example", "IOSFODNN", "*IOSFODNN*", "AKIA*", "*EXAMPLE", "AKIAIOSFODNN7EXAMPLE\"",
           "iam::123456789012:user/bob", "*iam::123456789012:user/bob*", "012:USER", "user/Bob-Smith", "10.0.0.1",
           "0.0.1", "*0.0.1", "10.0.0.15", "10.0.0.*", "é Crè", "afé", "Café crème", "CAFÉ", "café", "%b_c", "token.mix",
           "n.Token.M", "/3.11\",\"msg", "Smith_2", "absentword", "arn:aws:iam::9", "/a%b", "\"ip\":\"1"]


def _word(c: str) -> bool:
    return c.isascii() and c.isalnum() or not c.isascii()


def holds(raw: str, text: str) -> bool:
    """The documented meaning of free text, independently of the SQL: whole words, ASCII case
    ignored, an end marked `*` left open."""
    core, fold = text.strip("*"), lambda x: x.encode().lower().decode()
    at = fold(raw).find(fold(core))
    while at >= 0:
        if ((text.startswith("*") or not _word(core[0]) or at == 0 or not _word(raw[at - 1]))
                and (text.endswith("*") or not _word(core[-1]) or at + len(core) == len(raw)
                     or not _word(raw[at + len(core)]))):
            return True
        at = fold(raw).find(fold(core), at + 1)
    return False


@pytest.fixture(scope="module")
def indexed(store):
    """Its own database: `events` with the search indexes, holding RECORD_TEXTS."""
    from backtrail.adapters.chdb_store import ChdbStore
    from backtrail.core.schema import create_tables
    from backtrail.core.schema import SEARCH_INDEXES as INDEXES
    s = ChdbStore(store.data_dir, database="search_indexes")
    create_tables(s)
    for ddl in INDEXES:
        s.command(ddl)
    for i, raw in enumerate(RECORD_TEXTS):
        s.command("INSERT INTO events (ts, source_type, event_id, raw) VALUES (now64(3), 'test', {id:String}, {raw:String})",
                  {"id": f"r{i}", "raw": raw})
    yield s
    s.close()


@pytest.mark.parametrize("needle", NEEDLES)
def test_free_text_matches_whole_words(indexed, needle):
    quoted = '"' + needle.replace("\\", "\\\\").replace('"', '\\"') + '"'
    want = {f"r{i}" for i, raw in enumerate(RECORD_TEXTS) if holds(raw, needle)}
    assert {r["event_id"] for r in QueryService(indexed).search(quoted)} == want


def test_free_text_examples():
    assert holds('"ip":"10.0.0.1"', "10.0.0.1") and not holds('"ip":"110.0.0.15"', "10.0.0.1")
    assert holds("AKIAXYZ", "akia*") and not holds("AKIAXYZ", "AKIA") and holds("xAKIAx", "*akia*")


@pytest.mark.parametrize("needle", ["absentword", "aws:absent:iam"])
def test_free_text_skips_granules_by_the_index(indexed, needle):
    compiled = compile_search(f'"{needle}"')
    plan = "\n".join(r["explain"] for r in indexed.query(f"EXPLAIN indexes = 1 SELECT raw FROM events WHERE {compiled.where}",
                                                        compiled.params))
    assert "raw_words" in plan and "Granules: 0/" in plan


def test_pages_walk_events_sharing_one_time(indexed):
    """More events at one millisecond than a page holds, among older and newer ones: pages by cursor
    give each once, newest first, ties by key descending."""
    for i, ts in enumerate(["2026-01-01 00:00:00.000"] * 7 + ["2025-12-31 00:00:00.000", "2026-01-02 00:00:00.000"]):
        indexed.command("INSERT INTO events (ts, source_type, event_id, object, raw) VALUES"
                        " ({ts:DateTime64(3, 'UTC')}, 'test', {id:String}, 'ties', '{}')", {"ts": ts, "id": f"t{i}"})
    svc, seen, cursor = QueryService(indexed), [], None
    while True:
        page = svc.page('object:"ties"', limit=2, cursor=cursor)
        seen += [e["key"] for e in page["events"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ["t8", "t6", "t5", "t4", "t3", "t2", "t1", "t0", "t7"]
