"""The demo bucket looks like a real CloudTrail delivery and holds the incident its README names."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import uuid
from collections import Counter
from pathlib import Path

import pytest

from backtrail.demo_data import DemoStory, write_demo_bucket, write_synthetic_bucket

EVENT_KEY = re.compile(
    r"^AWSLogs/(?P<acct>\d{12})/CloudTrail/(?P<region>[a-z]{2}-[a-z]+-\d)/(?P<y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)/"
    r"(?P=acct)_CloudTrail_(?P=region)_(?P=y)(?P=m)(?P=d)T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$")
DIGEST_KEY = re.compile(
    r"^AWSLogs/(?P<acct>\d{12})/CloudTrail-Digest/(?P<region>[a-z]{2}-[a-z]+-\d)/(?P<y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)/"
    r"(?P=acct)_CloudTrail-Digest_(?P=region)_[\w-]+_(?P=region)_(?P=y)(?P=m)(?P=d)T\d{6}Z\.json\.gz$")
EVENT_TIME = re.compile(r"^2026-11-0[123]T\d\d:\d\d:\d\dZ$")


def _keys(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _load(root: Path, key: str) -> dict:
    body = (root / key).read_bytes()
    assert body[:2] == b"\x1f\x8b", key
    return json.loads(gzip.decompress(body))


def _records(root: Path) -> list[tuple[str, dict]]:
    return [(k, r) for k in _keys(root) if EVENT_KEY.match(k) for r in _load(root, k)["Records"]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[DemoStory, list[tuple[str, dict]]]:
    story = write_demo_bucket(tmp_path_factory.mktemp("bucket"))
    return story, _records(story.root)


def test_layout_matches_aws_key_patterns(demo):
    story, _ = demo
    keys = _keys(story.root)
    events = [k for k in keys if EVENT_KEY.match(k)]
    digests = [k for k in keys if DIGEST_KEY.match(k)]
    assert len(events) + len(digests) == len(keys), "every file is an event file or a digest"
    assert len(events) == story.objects > 100 and len(digests) == story.digest_files > 0
    parts = {(m["acct"], m["region"], f"{m['y']}-{m['m']}-{m['d']}") for m in map(EVENT_KEY.match, events)}
    assert {p[0] for p in parts} == set(story.accounts) == {"111111111111", "222222222222", "333333333333"}
    assert {p[1] for p in parts} == set(story.regions) == {"us-east-1", "eu-west-1"}
    assert {p[2] for p in parts} == set(story.days) == {"2026-11-01", "2026-11-02", "2026-11-03"}
    assert all("/CloudTrail-Digest/" in k for k in digests)


def test_every_event_file_is_a_records_document(demo):
    story, recs = demo
    assert len(recs) == story.events > 1000
    for key, r in recs:
        m = EVENT_KEY.match(key)
        assert r["recipientAccountId"] == m["acct"] and r["awsRegion"] == m["region"]
        assert EVENT_TIME.match(r["eventTime"]) and r["eventTime"][:10] == f"{m['y']}-{m['m']}-{m['d']}"
        assert r["eventVersion"] in ("1.08", "1.09")
        assert r["eventType"] in ("AwsApiCall", "AwsConsoleSignIn")
        assert r["eventSource"].endswith(".amazonaws.com") and r["eventName"]
        assert isinstance(r["readOnly"], bool) and isinstance(r["managementEvent"], bool)
        assert uuid.UUID(r["eventID"]).version == 4
    assert len({r["eventID"] for _, r in recs}) == len(recs)


def test_records_look_like_real_cloudtrail(demo):
    _, recs = demo
    by_type = Counter(r["userIdentity"]["type"] for _, r in recs)
    assert set(by_type) == {"IAMUser", "AssumedRole", "Root", "AWSService"}
    for _, r in recs:
        ident = r["userIdentity"]
        if ident["type"] == "AssumedRole":
            issuer = ident["sessionContext"]["sessionIssuer"]
            assert issuer["type"] == "Role" and ident["arn"].split("/")[1] == issuer["userName"]
            assert ident["accessKeyId"].startswith("ASIA")
        if ident["type"] == "IAMUser" and r["eventType"] == "AwsApiCall":
            assert ident["accessKeyId"].startswith("AKIA") and ident["arn"].endswith(":user/" + ident["userName"])
        if r["sourceIPAddress"][0].isdigit() and r["eventType"] == "AwsApiCall":
            assert r["tlsDetails"]["tlsVersion"].startswith("TLSv1")
    names = Counter(r["eventName"] for _, r in recs)
    for name in ("DescribeInstances", "GetObject", "ListBuckets", "AssumeRole", "ConsoleLogin"):
        assert names[name] > 20, name
    assert sum(r.get("errorCode") == "AccessDenied" for _, r in recs) > 20
    logins = [r for _, r in recs if r["eventName"] == "ConsoleLogin"]
    assert all(r["eventType"] == "AwsConsoleSignIn" for r in logins)
    assert {r["responseElements"]["ConsoleLogin"] for r in logins} == {"Success", "Failure"}


def test_digests_name_and_hash_the_event_files(demo):
    story, _ = demo
    digests = [k for k in _keys(story.root) if DIGEST_KEY.match(k)]
    named = set()
    for k in digests:
        d = _load(story.root, k)
        assert d["digestS3Object"] == k and "Records" not in d
        for f in d["logFiles"]:
            assert hashlib.sha256((story.root / f["s3Object"]).read_bytes()).hexdigest() == f["hashValue"]
            named.add(f["s3Object"])
    assert len(named) == story.objects


def test_same_seed_same_bytes(tmp_path):
    a, b, c = (write_demo_bucket(tmp_path / n, seed=s) for n, s in (("a", 3), ("b", 3), ("c", 4)))
    assert a.objects == b.objects and a.events == b.events
    keys = _keys(a.root)
    assert keys == _keys(b.root)
    assert all((a.root / k).read_bytes() == (b.root / k).read_bytes() for k in keys)
    assert keys != _keys(c.root)


def test_the_incident_is_in_the_bucket(demo):
    story, recs = demo
    attack = [(k, r) for k, r in recs if r["sourceIPAddress"] in (story.attacker_ip, story.backdoor_ip)]
    assert len(attack) == story.incident_events == 15
    assert Counter(r["eventName"] for _, r in attack) == story.incident_counts == {
        "GetCallerIdentity": 1, "ListBuckets": 2, "GetObject": 6, "CreateUser": 2, "AssumeRole": 1,
        "AttachUserPolicy": 1, "CreateAccessKey": 1, "PutBucketPolicy": 1}
    for k, r in attack:
        assert k.startswith("AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/02/")
        assert r["eventTime"].startswith(story.incident_day)
    times = [r["eventTime"] for _, r in attack]
    assert times == sorted(times)

    first = [r for _, r in attack if r["sourceIPAddress"] == story.attacker_ip]
    assert all(r["userAgent"] == "python-requests/2.31.0" for r in first)
    leaked = [r for r in first if r["userIdentity"]["accessKeyId"] == story.leaked_key]
    assert [r["eventName"] for r in leaked][:2] == ["GetCallerIdentity", "ListBuckets"]
    assert all(r["userIdentity"]["arn"] == story.leaked_role_arn for r in leaked)
    assert all(r["requestParameters"]["bucketName"] == "acme-customer-exports"
               for r in leaked if r["eventName"] == "GetObject")
    denied = [r for r in leaked if r["eventName"] == "CreateUser"]
    assert len(denied) == 1 and denied[0]["errorCode"] == "AccessDenied"
    (assume,) = [r for r in leaked if r["eventName"] == "AssumeRole"]
    assert assume["requestParameters"]["roleArn"] == "arn:aws:iam::111111111111:role/admin-break-glass"
    assert assume["responseElements"]["credentials"]["accessKeyId"] == story.admin_key == "ASIAEXAMPLEADMIN0002"
    admin = [r for r in first if r["userIdentity"]["accessKeyId"] == story.admin_key]
    assert [r["eventName"] for r in admin] == ["CreateUser", "AttachUserPolicy", "CreateAccessKey"]
    assert admin[0]["responseElements"]["user"]["userName"] == "backup-svc" and "errorCode" not in admin[0]
    assert admin[2]["responseElements"]["accessKey"]["accessKeyId"] == story.backdoor_key == "AKIAEXAMPLEBACKDOOR1"

    later = [r for _, r in attack if r["sourceIPAddress"] == story.backdoor_ip == "203.0.113.9"]
    assert [r["eventName"] for r in later] == ["ListBuckets", "PutBucketPolicy"]
    assert all(r["userIdentity"]["type"] == "IAMUser" and r["userIdentity"]["userName"] == "backup-svc"
               and r["userIdentity"]["accessKeyId"] == story.backdoor_key for r in later)


def test_keys_and_markers_appear_only_where_the_story_puts_them(demo):
    story, recs = demo
    blobs = [json.dumps(r) for _, r in recs]
    assert sum(story.backdoor_key in b for b in blobs) == 3  # created, then used twice
    assert sum(story.admin_key in b for b in blobs) == 4  # issued, then used three times
    assert sum("python-requests/2.31.0" in b for b in blobs) == 13
    # the leaked key is also the instance's own: legitimate use from inside the VPC on the same day
    own = [r for _, r in recs if r["userIdentity"].get("accessKeyId") == story.leaked_key
           and r["sourceIPAddress"] != story.attacker_ip]
    assert own and all(r["sourceIPAddress"].startswith("10.") and r["eventTime"].startswith("2026-11-02T1")
                       for r in own)
    xss = [r for _, r in recs if r["userAgent"] == story.xss_user_agent]
    assert len(xss) == 1 and "<script>" in story.xss_user_agent


def test_synthetic_bucket(tmp_path):
    n = write_synthetic_bucket(tmp_path / "s", objects=14, events_per_object=60, seed=5)
    assert n == 14 * 60
    keys = _keys(tmp_path / "s")
    assert len(keys) == 14 and all(EVENT_KEY.match(k) for k in keys)
    recs = _records(tmp_path / "s")
    assert len(recs) == n and len({r["eventID"] for _, r in recs}) == n
    for key, r in recs:
        m = EVENT_KEY.match(key)
        assert r["recipientAccountId"] == m["acct"] and r["awsRegion"] == m["region"]
        assert EVENT_TIME.match(r["eventTime"]) and uuid.UUID(r["eventID"])
    raw = sum(len(gzip.decompress((tmp_path / "s" / k).read_bytes())) for k in keys)
    assert 1000 < raw / n < 2500
    assert write_synthetic_bucket(tmp_path / "t", 14, 60, seed=5) == n
    assert all((tmp_path / "s" / k).read_bytes() == (tmp_path / "t" / k).read_bytes() for k in keys)
    assert write_synthetic_bucket(tmp_path / "e", 0, 10) == 0
