"""The demo bucket looks like a real CloudTrail delivery and holds the incident its README names;
beside it, every other log type in its AWS layout, with the same attacker crossing them."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from backtrail.demo_data import DemoStory, write_demo_bucket, write_synthetic_bucket
from backtrail.logtypes import registry
from backtrail.logtypes.registry import LOG_TYPES

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
    keys = [k for k in _keys(story.root) if "/CloudTrail" in k]
    events = [k for k in keys if EVENT_KEY.match(k)]
    digests = [k for k in keys if DIGEST_KEY.match(k)]
    assert len(events) + len(digests) == len(keys), "every CloudTrail file is an event file or a digest"
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
    assert set(by_type) == {"IAMUser", "AssumedRole", "AWSService"}  # no root use: the pack would flag it
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
    assert {r["responseElements"]["ConsoleLogin"] for r in logins} == {"Success"}  # no wrong password: the pack would flag it


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


# --- every other log type, and the attacker crossing them -------------------------------------

ATTACKER = "198.51.100.77"
_ATTACKER_TOKEN = re.compile(r"(?<![\d.])198\.51\.100\.77(?!\d)")
ALB_KEY = re.compile(
    r"^AWSLogs/111111111111/elasticloadbalancing/us-east-1/(?P<d>\d{4}/\d\d/\d\d)/111111111111_elasticloadbalancing_"
    r"us-east-1_app\.web-alb\.[0-9a-f]{16}_(?P<end>\d{8}T\d{2}(?P<m>\d\d)Z)_(?P<node>10\.0\.\d+\.\d+)_"
    r"[a-z0-9]{8}\.log\.gz$")
FLOW_KEY = re.compile(r"^AWSLogs/111111111111/vpcflowlogs/us-east-1/\d{4}/\d\d/\d\d/111111111111_vpcflowlogs_us-east-1_"
                      r"fl-[0-9a-f]{17}_\d{8}T\d{2}\d\dZ_[0-9a-f]{8}\.log\.gz$")


def _by_type(root: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in _keys(root):
        log_type = registry.recognise(key)
        assert log_type is not None, f"{key}: no log type recognises it"
        if not log_type.skip_reason(key):
            out.setdefault(log_type.name, []).append(key)
    return out


def _text(root: Path, key: str) -> str:
    body = (root / key).read_bytes()
    return (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body).decode()


def _records_of(name: str, text: str) -> list[str]:
    """The records of an object as text, one each, the way its log type counts them."""
    if name == "cloudtrail":
        return [json.dumps(r) for r in json.loads(text)["Records"]]
    if name == "cloudwatch":  # envelopes back to back; each log event is a record
        decoder, pos, out = json.JSONDecoder(), 0, []
        while pos < len(text):
            envelope, pos = decoder.raw_decode(text, pos)
            out += [json.dumps(e) for e in envelope["logEvents"]]
        return out
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    return lines[1:] if name == "vpcflow" else lines  # a flow log object starts with its header


@pytest.fixture(scope="module")
def typed(demo) -> dict[str, list[tuple[str, str]]]:
    """Log type -> (key, record text) of every record in the demo bucket."""
    story, _ = demo
    return {name: [(k, r) for k in keys for r in _records_of(name, _text(story.root, k))]
            for name, keys in _by_type(story.root).items()}


def test_every_log_type_is_written_and_recognised(demo, typed):
    story, _ = demo
    by_type = _by_type(story.root)
    every = set(LOG_TYPES) - {"json"}  # the generic JSON-lines type never claims a key by itself
    assert set(by_type) == every == set(story.type_objects) == set(story.type_records)
    for name, keys in by_type.items():
        assert len(keys) == story.type_objects[name] > 0, name
        assert len(typed[name]) == story.type_records[name] > 0, name
    assert story.type_objects["cloudtrail"] == story.objects and story.type_records["cloudtrail"] == story.events
    assert story.total_objects == sum(map(len, by_type.values()))
    assert story.total_events == sum(map(len, typed.values()))
    for name in ("alb", "vpcflow", "waf", "route53resolver", "guardduty"):  # gzipped as AWS delivers them
        assert all((story.root / k).read_bytes()[:2] == b"\x1f\x8b" for k in by_type[name]), name


def test_alb_logs_are_five_minute_deliveries_of_ordinary_traffic(demo, typed):
    story, _ = demo
    by_key: dict[str, list[str]] = {}
    for key, line in typed["alb"]:
        by_key.setdefault(key, []).append(line)
    nodes = set()
    for key, lines in by_key.items():
        m = ALB_KEY.match(key)
        assert m and int(m["m"]) % 5 == 0, key
        nodes.add(m["node"])
        for line in lines:  # every request of an object ended in the five minutes before its end time
            t = line.split(" ")[1]
            assert t.startswith("2026-11-0") and t[:10].replace("-", "/") == m["d"], line
            end = f"{m['end'][:4]}-{m['end'][4:6]}-{m['end'][6:8]}T{m['end'][9:11]}:{m['m']}"
            assert t < end + ":00" and t >= _minus_five(end), (key, t)
    background = [line for _, line in typed["alb"] if not line.split(" ")[3].startswith(ATTACKER + ":")]
    per_day = Counter(line.split(" ")[1][:10] for line in background)
    assert set(per_day) == set(story.days) and all(150 < n < 600 for n in per_day.values()), per_day
    assert {line.split(" ")[8][0] for line in background} == {"2", "3", "4", "5"}
    assert len({line.split(" ")[3].rsplit(":", 1)[0] for line in background}) > 60  # client addresses
    assert len({line.split('"')[3] for line in background}) >= 10  # user agents
    assert len(nodes) == 2 and all(f"{story.instance_ip}:8080" in line for line in background if " 301 - " not in line)


def _minus_five(minute: str) -> str:
    return f"{datetime.fromisoformat(minute) - timedelta(minutes=5):%Y-%m-%dT%H:%M}:00"


def test_the_attacker_crosses_alb_vpc_flow_and_cloudtrail(demo, typed):
    story, recs = demo
    assert story.attacker_ip == ATTACKER
    # ALB: a scan (404s), then the SSRF request, minutes before the stolen key's first call
    alb = [line.split(" ") for _, line in typed["alb"] if line.split(" ")[3].startswith(ATTACKER + ":")]
    assert story.ssrf_url == ("https://shop.example.com:443/api/preview?url=http://169.254.169.254/latest/meta-data/"
                              "iam/security-credentials/web-app-role")
    (ssrf,) = [f for f in alb if f[13] == story.ssrf_url]
    assert " ".join(ssrf[12:15]) == f'"GET {story.ssrf_url} HTTP/1.1"' and ssrf[8] == "200"
    scans = [f for f in alb if f[8] == "404"]
    assert len(scans) >= 8 and max(f[1] for f in scans) < ssrf[1]
    first_call = min(r["eventTime"] for _, r in recs if r["sourceIPAddress"] == ATTACKER)
    assert first_call == "2026-11-02T14:02:11Z" and "2026-11-02T13:55" < ssrf[1] < first_call
    assert story.ssrf_time == "2026-11-02T13:58:52Z" and ssrf[1].startswith("2026-11-02T13:58:52")
    assert len(alb) == story.attacker_records["alb"]

    # VPC Flow: the attacker refused on 22, accepted on 443 by the load balancer's interfaces;
    # the instance's own flows (to the load balancer, the database, and the attacker's callback)
    nodes = {ALB_KEY.match(k)["node"] for k, _ in typed["alb"]}
    header = None
    for key, _ in typed["vpcflow"]:
        assert FLOW_KEY.match(key), key
        header = _text(story.root, key).split("\n", 1)[0].split(" ")
        assert header[:14] == ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
                               "protocol", "packets", "bytes", "start", "end", "action", "log-status"]
        assert "flow-direction" in header
    flows = [dict(zip(header, line.split(" "))) for _, line in typed["vpcflow"]]
    assert all(len(f) == len(header) and f["version"] == "5" for f in flows)
    attacker = [f for f in flows if ATTACKER in (f["srcaddr"], f["dstaddr"])]
    assert any(f["srcaddr"] == ATTACKER and f["dstaddr"] in nodes and f["dstport"] == "22" and f["action"] == "REJECT"
               for f in attacker)
    assert any(f["srcaddr"] == ATTACKER and f["dstaddr"] in nodes and f["dstport"] == "443" and f["action"] == "ACCEPT"
               for f in attacker)
    assert any(f["srcaddr"] in nodes and f["dstaddr"] == ATTACKER and f["action"] == "ACCEPT" for f in attacker)
    mine = [f for f in flows if f["instance-id"] == story.instance_id]
    assert {f["dstport"] for f in mine if f["srcaddr"] == story.instance_ip} >= {"80", "5432"}
    assert any(f["srcaddr"] == story.instance_ip and f["dstaddr"] == ATTACKER for f in mine)
    assert not any("169.254.169.254" in line for _, line in typed["vpcflow"])  # AWS never logs metadata traffic
    assert len(attacker) == story.attacker_records["vpcflow"]
    assert {f["action"] for f in flows} == {"ACCEPT", "REJECT"} and len(flows) > 500

    # CloudTrail: the stolen key at work from the same address
    assert sum(r["sourceIPAddress"] == ATTACKER for _, r in recs) == story.attacker_records["cloudtrail"] == 13

    # every type whose `ips` can hold it counts its records with the attacker's address; the app's
    # CloudWatch logs name it only inside messages (not parsed), CloudFront never sees it
    for name, records in typed.items():
        mentions = sum(bool(_ATTACKER_TOKEN.search(r)) for _, r in records)
        if name == "cloudwatch":
            assert mentions > 0 and story.attacker_records[name] == 0
        else:
            assert mentions == story.attacker_records[name], name
    assert {n for n, c in story.attacker_records.items() if c} == {
        "cloudtrail", "alb", "vpcflow", "waf", "route53resolver", "s3access", "guardduty"}


def test_s3_access_log_and_guardduty_match_cloudtrail(demo, typed):
    story, recs = demo
    gets = {r["requestID"]: r for _, r in recs if r["eventName"] == "GetObject" and r["sourceIPAddress"] == ATTACKER}
    stolen = [line.split(" ") for _, line in typed["s3access"] if " REST.GET.OBJECT " in line]
    assert len(gets) == len(stolen) == 6
    for f in stolen:  # owner bucket [time +0000] ip requester request-id operation key ...
        r = gets[f[6]]
        assert f[1] == story.exfil_bucket and f[4] == ATTACKER and f[5] == story.leaked_role_arn
        assert f[8] == r["requestParameters"]["key"] and r["eventTime"][11:19] == f[2][-8:]
    (policy,) = [line for _, line in typed["s3access"] if " REST.PUT.BUCKETPOLICY " in line]
    assert f" {story.backdoor_ip} arn:aws:iam::111111111111:user/{story.backdoor_user} " in policy

    ((_, text),) = typed["guardduty"]
    finding = json.loads(text)
    assert finding["type"] == "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"
    assert finding["resource"]["accessKeyDetails"]["accessKeyId"] == story.leaked_key
    call = finding["service"]["action"]["awsApiCallAction"]
    assert call["remoteIpDetails"]["ipAddressV4"] == ATTACKER and finding["service"]["count"] == 10

    waf = [json.loads(t) for _, t in typed["waf"]]
    (seen,) = [w for w in waf if w["httpRequest"]["args"] == story.ssrf_url.split("?", 1)[1]]
    assert seen["action"] == "ALLOW" and seen["httpRequest"]["clientIp"] == ATTACKER
    resolver = [json.loads(t) for _, t in typed["route53resolver"]]
    assert [q["query_name"] for q in resolver if q["answers"][0]["Rdata"] == ATTACKER] == ["cb-7f3k2.oast.example.net."]
