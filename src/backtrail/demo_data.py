"""Demo and benchmark data: CloudTrail deliveries written into a directory laid out like a bucket.

The demo bucket also holds every other log type, around the same incident: see `demo_types`.

Keys follow AWS exactly (``AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_
YYYYMMDDTHHmmZ_<16 alnum>.json.gz``, each a gzipped ``{"Records": [...]}``), plus digest files under
``CloudTrail-Digest/`` that an ingester must skip. Everything comes from a seeded ``random.Random``:
same seed, same bytes. ``write_demo_bucket`` hides a small credential-theft story in ordinary
activity; ``write_synthetic_bucket`` templates the same records quickly for benchmarks.
"""
from __future__ import annotations

import gzip
import hashlib
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

try:  # isal is ~2x faster than zlib; plain gzip is a fine fallback
    from isal.igzip import compress as _fast_gzip
except ImportError:  # pragma: no cover
    _fast_gzip = gzip.compress  # type: ignore[assignment]

ACCOUNTS = ("111111111111", "222222222222", "333333333333")
REGIONS = ("us-east-1", "eu-west-1")
DAYS = ("2026-11-01", "2026-11-02", "2026-11-03")
TRAIL, LOG_BUCKET = "org-trail", "acme-cloudtrail-logs"
ATTACKER_IP, BACKDOOR_IP = "198.51.100.77", "203.0.113.9"
ATTACKER_UA = "python-requests/2.31.0"
LEAKED_KEY, ADMIN_KEY, BACKDOOR_KEY = "ASIAEXAMPLESSRF00001", "ASIAEXAMPLEADMIN0002", "AKIAEXAMPLEBACKDOOR1"
INSTANCE_ID = "i-0abc123def4567890"
LEAKED_ARN = f"arn:aws:sts::111111111111:assumed-role/web-app-role/{INSTANCE_ID}"
ADMIN_ROLE_ARN = "arn:aws:iam::111111111111:role/admin-break-glass"
EXFIL_BUCKET, BACKDOOR_USER = "acme-customer-exports", "backup-svc"
XSS_USER_AGENT = "Mozilla/5.0 <script>alert(1)</script>"
_ALNUM, _UPPER = string.ascii_letters + string.digits, string.ascii_uppercase + string.digits
_TLS = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"}
_UAS = ("aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off",
        "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8",
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 aws-sdk-go-v2/1.26.0 os/linux lang/go#1.21.8")
_BROWSER = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.4 Safari/605.1.15")


@dataclass(frozen=True)
class DemoStory:
    """Facts about a demo bucket that a README, a test or a detection can name."""
    root: Path
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    days: tuple[str, ...]
    objects: int          # CloudTrail event files
    digest_files: int     # CloudTrail-Digest files (not events)
    events: int           # records in all event files
    incident_events: int  # records of the attack (from attacker_ip or backdoor_ip)
    incident_day: str = "2026-11-02"
    incident_account: str = ACCOUNTS[0]
    incident_region: str = REGIONS[0]
    attacker_ip: str = ATTACKER_IP
    backdoor_ip: str = BACKDOOR_IP
    attacker_user_agent: str = ATTACKER_UA
    leaked_key: str = LEAKED_KEY
    leaked_role_arn: str = LEAKED_ARN
    admin_key: str = ADMIN_KEY
    admin_role_arn: str = ADMIN_ROLE_ARN
    backdoor_user: str = BACKDOOR_USER
    backdoor_key: str = BACKDOOR_KEY
    exfil_bucket: str = EXFIL_BUCKET
    xss_user_agent: str = XSS_USER_AGENT
    incident_counts: dict[str, int] = field(default_factory=dict, compare=False)  # eventName -> n
    # every log type written (CloudTrail included, digests not): log type -> objects, records, and
    # records whose `ips` column holds attacker_ip
    type_objects: dict[str, int] = field(default_factory=dict, compare=False)
    type_records: dict[str, int] = field(default_factory=dict, compare=False)
    attacker_records: dict[str, int] = field(default_factory=dict, compare=False)
    ssrf_url: str = ""            # the request that made the instance hand over its role credentials
    ssrf_time: str = ""           # when the load balancer received it
    instance_id: str = INSTANCE_ID
    instance_ip: str = ""         # the web instance's private address (the load balancer's target)
    load_balancer: str = ""       # app/<name>/<id>
    vpc_id: str = ""

    @property
    def total_objects(self) -> int:
        """Objects of every log type that hold events (digest files left out)."""
        return sum(self.type_objects.values())

    @property
    def total_events(self) -> int:
        return sum(self.type_records.values())


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _human(t: datetime) -> str:  # the "Nov 2, 2026, 3:10:46 PM" style of STS and IAM responses
    return f"{t:%b} {t.day}, {t.year}, {t.hour % 12 or 12}:{t:%M:%S %p}"


class _Gen:
    """Builds CloudTrail records; every random choice goes through one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.rng, self._ids = random.Random(seed), {}

    def rid(self, prefix: str = "", n: int = 16, cache: tuple | None = None) -> str:
        if cache in self._ids:
            return self._ids[cache]
        v = prefix + "".join(self.rng.choices(_UPPER, k=n))
        if cache is not None:
            self._ids[cache] = v
        return v

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def user(self, acct: str, name: str, key: str | None = None) -> dict:
        return {"type": "IAMUser", "principalId": self.rid("AIDA", 17, ("u", acct, name)),
                "arn": f"arn:aws:iam::{acct}:user/{name}", "accountId": acct,
                "accessKeyId": key if key is not None else self.rid("AKIA", 16, ("k", acct, name)),
                "userName": name}

    def role(self, acct: str, role: str, session: str, key: str, created: datetime, ec2: bool = False) -> dict:
        rid = self.rid("AROA", 17, ("r", acct, role))
        ident = {"type": "AssumedRole", "principalId": f"{rid}:{session}",
                 "arn": f"arn:aws:sts::{acct}:assumed-role/{role}/{session}", "accountId": acct,
                 "accessKeyId": key, "sessionContext": {
                     "sessionIssuer": {"type": "Role", "principalId": rid, "arn": f"arn:aws:iam::{acct}:role/{role}",
                                       "accountId": acct, "userName": role},
                     "attributes": {"creationDate": _ts(created), "mfaAuthenticated": "false"}}}
        if ec2:
            ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
        return ident

    def event(self, ident: dict, t: datetime, source: str, name: str, region: str, ip: str, ua: str,
              req: dict | None = None, resp: dict | None = None, *, ro: bool, error: tuple | None = None,
              resources: list | None = None, data: bool = False, signin: bool = False, extra: dict | None = None,
              acct: str | None = None) -> dict:
        r = {"eventVersion": "1.08" if data or signin else "1.09", "userIdentity": ident, "eventTime": _ts(t),
             "eventSource": f"{source}.amazonaws.com", "eventName": name, "awsRegion": region,
             "sourceIPAddress": ip, "userAgent": ua}
        if error:  # a failed console sign-in has an errorMessage and no errorCode
            r |= {"errorCode": error[0], "errorMessage": error[1]} if error[0] else {"errorMessage": error[1]}
        r |= {"requestParameters": req, "responseElements": resp}
        if extra:
            r["additionalEventData"] = extra
        r |= {"requestID": self.rid(n=16) if source == "s3" else self.uuid(), "eventID": self.uuid(), "readOnly": ro}
        if resources:
            r["resources"] = resources
        r |= {"eventType": "AwsConsoleSignIn" if signin else "AwsApiCall", "managementEvent": not data,
              "recipientAccountId": acct or ident.get("accountId") or ACCOUNTS[0],
              "eventCategory": "Data" if data else "Management"}
        if ip[0].isdigit() and not signin:
            host = (req or {}).get("Host") or (f"{source}.amazonaws.com" if source == "iam"
                                                else f"{source}.{region}.amazonaws.com")
            r["tlsDetails"] = _TLS | {"clientProvidedHostHeader": host}
        return r

    def s3_extra(self, out: int = 0) -> dict:
        return {"SignatureVersion": "SigV4", "CipherSuite": _TLS["cipherSuite"], "bytesTransferredIn": 0,
                "AuthenticationMethod": "AuthHeader", "x-amz-id-2": "".join(self.rng.choices(_ALNUM, k=76)),
                "bytesTransferredOut": out}

    def get_object(self, ident: dict, t: datetime, region: str, ip: str, ua: str, b: str, k: str, size: int) -> dict:
        acct = ident["accountId"]
        return self.event(ident, t, "s3", "GetObject", region, ip, ua,
                          {"bucketName": b, "Host": f"{b}.s3.{region}.amazonaws.com", "key": k}, None, ro=True,
                          data=True, extra=self.s3_extra(size),
                          resources=[{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{b}/{k}"},
                                     {"accountId": acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{b}"}])

    # ---- ordinary activity -------------------------------------------------------------------
    def background(self, acct: str, region: str, t: datetime, app_key: str, key_since: datetime) -> dict:
        rng, users = self.rng, ("alice", "bob", "deploy-bot")
        name, ip = rng.choice(users), f"192.0.2.{rng.randint(10, 60)}"
        ua, kind = rng.choice(_UAS), rng.choices(range(7), (20, 30, 10, 12, 6, 5, 4))[0]
        app_role = "web-app-role" if acct == ACCOUNTS[0] else "batch-role"
        if kind == 0:
            return self.event(self.user(acct, name), t, "ec2", "DescribeInstances", region, ip, ua,
                              {"instancesSet": {}, "filterSet": {"items": [{"name": "instance-state-name",
                               "valueSet": {"items": [{"value": "running"}, {"value": "stopped"}]}}]},
                               "maxResults": 1000}, None, ro=True)
        if kind == 1:  # instance role reading its assets (S3 data event, via a VPC endpoint)
            b, k = f"acme-app-assets-{acct[:4]}", f"static/{rng.choice(('app.js', 'logo.png', 'config.json'))}"
            ident = self.role(acct, app_role, INSTANCE_ID if acct == ACCOUNTS[0] else "i-07f1e2d3c4b5a6978",
                              app_key, key_since, ec2=True)
            return self.get_object(ident, t, region, f"10.0.{rng.randint(1, 9)}.{rng.randint(4, 250)}",
                                   "aws-sdk-java/2.25.16 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10", b, k,
                                   rng.randint(800, 90000))
        if kind == 2:
            return self.event(self.user(acct, name), t, "s3", "ListBuckets", region, ip, ua,
                              {"Host": f"s3.{region}.amazonaws.com"}, None, ro=True, extra=self.s3_extra())
        if kind == 3:  # a service assumes its execution role
            svc = rng.choice(("lambda", "ecs-tasks", "ec2"))
            role, sess = f"{svc}-exec-role", self.rid(n=12).lower()
            arn, k = f"arn:aws:iam::{acct}:role/{role}", self.rid("ASIA")
            role_id = self.rid("AROA", 17, ("r", acct, role))
            return self.event({"type": "AWSService", "invokedBy": f"{svc}.amazonaws.com"}, t, "sts", "AssumeRole",
                              region, f"{svc}.amazonaws.com", f"{svc}.amazonaws.com",
                              {"roleArn": arn, "roleSessionName": sess},
                              {"credentials": {"accessKeyId": k, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE",
                                               "expiration": _human(t + timedelta(hours=1))},
                               "assumedRoleUser": {"arn": f"arn:aws:sts::{acct}:assumed-role/{role}/{sess}",
                                                   "assumedRoleId": f"{role_id}:{sess}"}},
                              ro=True, acct=acct, resources=[{"accountId": acct, "type": "AWS::IAM::Role", "ARN": arn}]
                              ) | {"sharedEventID": self.uuid()}
        if kind == 4:  # console sign-in with MFA
            rng.random()  # the draw of a wrong password once: kept, so the other records stay as they were
            ident = self.user(acct, rng.choice(users[:2]))
            del ident["accessKeyId"]
            return self.event(ident, t, "signin", "ConsoleLogin", region, ip, _BROWSER, None,
                              {"ConsoleLogin": "Success"}, ro=False, signin=True,
                              extra={"LoginTo": "https://console.aws.amazon.com/console/home",
                                     "MobileVersion": "No", "MFAUsed": "Yes"})
        if kind == 5:  # someone pokes at something they may not read (IAM is global: logged in us-east-1)
            ident = self.user(acct, "bob")
            if region != "us-east-1":
                b = "acme-finance-reports"
                return self.event(ident, t, "s3", "GetBucketPolicy", region, ip, ua,
                                  {"bucketName": b, "Host": f"{b}.s3.{region}.amazonaws.com", "policy": ""}, None,
                                  ro=True, error=("AccessDenied", "Access Denied"), extra=self.s3_extra())
            msg = (f"User: {ident['arn']} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::{acct}:"
                   "user/ because no identity-based policy allows the iam:ListUsers action")
            return self.event(ident, t, "iam", "ListUsers", region, ip, ua, ro=True, error=("AccessDenied", msg))
        return self.event(self.user(acct, users[0]), t, "ec2", "DescribeRegions", region, ip, _BROWSER,
                          {"regionSet": {}}, None, ro=True)

    # ---- the incident, 2026-11-02, account 111111111111 / us-east-1 ----------------------------
    def story(self) -> list[dict]:
        a, t0 = ACCOUNTS[0], datetime(2026, 11, 2, 14, 2, 11, tzinfo=timezone.utc)
        web = self.role(a, "web-app-role", INSTANCE_ID, LEAKED_KEY, t0.replace(hour=12, minute=0, second=3), ec2=True)
        adm = self.role(a, "admin-break-glass", "maint", ADMIN_KEY, t0 + timedelta(seconds=540))
        bd = self.user(a, BACKDOOR_USER, BACKDOOR_KEY)
        u_arn, b_arn = f"arn:aws:iam::{a}:user/{BACKDOOR_USER}", f"arn:aws:s3:::{EXFIL_BUCKET}"

        def ev(ident, sec, source, name, req=None, resp=None, ip=ATTACKER_IP, ua=ATTACKER_UA, **kw):
            if source == "s3":
                kw["extra"] = self.s3_extra()
            return self.event(ident, t0 + timedelta(seconds=sec), source, name, REGIONS[0], ip, ua, req, resp, **kw)

        denied = (f"User: {LEAKED_ARN} is not authorized to perform: iam:CreateUser on resource: {u_arn} "
                  "because no identity-based policy allows the iam:CreateUser action")
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                          "Action": "s3:GetObject", "Resource": f"{b_arn}/*"}]}
        cli = _UAS[0] + " command/s3api."
        return [
            ev(web, 0, "sts", "GetCallerIdentity", ro=True),
            ev(web, 75, "s3", "ListBuckets", {"Host": "s3.amazonaws.com"}, ro=True),
            *(self.get_object(web, t0 + timedelta(seconds=140 + 23 * i), REGIONS[0], ATTACKER_IP, ATTACKER_UA,
                              EXFIL_BUCKET, f"exports/2026-10/customers-{i + 1:04d}.csv.gz", 4_800_000 + 7919 * i)
              for i in range(6)),
            ev(web, 420, "iam", "CreateUser", {"userName": BACKDOOR_USER}, ro=False, error=("AccessDenied", denied)),
            ev(web, 535, "sts", "AssumeRole", {"roleArn": ADMIN_ROLE_ARN, "roleSessionName": "maint"},
               {"credentials": {"accessKeyId": ADMIN_KEY, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE",
                                "expiration": "Nov 2, 2026, 3:10:46 PM"},
                "assumedRoleUser": {"assumedRoleId": adm["principalId"], "arn": adm["arn"]}},
               ro=True, resources=[{"accountId": a, "type": "AWS::IAM::Role", "ARN": ADMIN_ROLE_ARN}]),
            ev(adm, 591, "iam", "CreateUser", {"userName": BACKDOOR_USER},
               {"user": {"path": "/", "userName": BACKDOOR_USER, "userId": bd["principalId"], "arn": u_arn,
                         "createDate": "Nov 2, 2026, 2:12:02 PM"}}, ro=False),
            ev(adm, 612, "iam", "AttachUserPolicy",
               {"userName": BACKDOOR_USER, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, ro=False),
            ev(adm, 640, "iam", "CreateAccessKey", {"userName": BACKDOOR_USER},
               {"accessKey": {"userName": BACKDOOR_USER, "accessKeyId": BACKDOOR_KEY, "status": "Active",
                              "createDate": "Nov 2, 2026, 2:12:51 PM"}}, ro=False),
            ev(bd, 9300, "s3", "ListBuckets", {"Host": "s3.amazonaws.com"}, ip=BACKDOOR_IP, ua=cli + "list-buckets",
               ro=True),
            ev(bd, 9385, "s3", "PutBucketPolicy",
               {"bucketName": EXFIL_BUCKET, "Host": "s3.amazonaws.com", "policy": "", "bucketPolicy": policy},
               ip=BACKDOOR_IP, ua=cli + "put-bucket-policy", ro=False,
               resources=[{"accountId": a, "type": "AWS::S3::Bucket", "ARN": b_arn}]),
        ]


def _key(acct: str, region: str, t: datetime, suffix: str) -> str:
    return (f"AWSLogs/{acct}/CloudTrail/{region}/{t:%Y/%m/%d}/"
            f"{acct}_CloudTrail_{region}_{t:%Y%m%dT%H%MZ}_{suffix}.json.gz")


def _put(root: Path, key: str, body: bytes) -> None:
    """Write unless the same bytes are there: a second demo run changes no object."""
    p = root / key
    p.parent.mkdir(parents=True, exist_ok=True)
    if not (p.exists() and p.read_bytes() == body):
        p.write_bytes(body)


def _digest(acct: str, region: str, d0: datetime, files: list[tuple[str, bytes, list[dict]]]) -> tuple[str, bytes]:
    end = d0 + timedelta(hours=23, minutes=58)
    key = (f"AWSLogs/{acct}/CloudTrail-Digest/{region}/{d0:%Y/%m/%d}/"
           f"{acct}_CloudTrail-Digest_{region}_{TRAIL}_{region}_{end:%Y%m%dT%H%M%SZ}.json.gz")
    logs = [{"s3Bucket": LOG_BUCKET, "s3Object": k, "hashValue": hashlib.sha256(body).hexdigest(),
             "hashAlgorithm": "SHA-256", "newestEventTime": recs[-1]["eventTime"],
             "oldestEventTime": recs[0]["eventTime"]}
            for k, body, recs in files]
    doc = {"awsAccountId": acct, "digestStartTime": _ts(d0), "digestEndTime": _ts(end), "digestS3Bucket": LOG_BUCKET,
           "digestS3Object": key, "digestPublicKeyFingerprint": hashlib.md5(acct.encode()).hexdigest(),
           "digestSignatureAlgorithm": "SHA256withRSA", "newestEventTime": logs[-1]["newestEventTime"],
           "oldestEventTime": logs[0]["oldestEventTime"], "previousDigestS3Bucket": None,
           "previousDigestS3Object": None, "previousDigestHashValue": None, "previousDigestHashAlgorithm": None,
           "previousDigestSignature": None, "logFiles": logs}
    return key, gzip.compress(orjson.dumps(doc), mtime=0)


def write_demo_bucket(root: Path, seed: int = 7) -> DemoStory:
    """Write three days of CloudTrail for three accounts and two regions, with the incident inside,
    and every other log type around the same incident (`demo_types`)."""
    from . import demo_types  # it builds on this module's constants

    root, g = Path(root), _Gen(seed)
    rng, story, objects, events = g.rng, g.story(), 0, 0
    for acct, region, day in ((a, r, d) for a in ACCOUNTS for r in REGIONS for d in DAYS):
        d0 = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
        hot = (acct, region) == (ACCOUNTS[0], REGIONS[0])
        incident = hot and day == DAYS[1]
        # the instance's role credentials rotate every six hours; 12:00-18:00 on the incident day is the leaked set
        keys = [LEAKED_KEY if incident and b == 2 else g.rid("ASIA") for b in range(4)]
        recs = []
        for s in (rng.randrange(85_500) for _ in range(rng.randint(140, 220) * (3 if hot else 1) // 2)):
            recs.append(g.background(acct, region, d0 + timedelta(seconds=s), keys[s // 21600],
                                     d0 + timedelta(hours=s // 21600 * 6, seconds=3)))
        if incident:
            recs += story
        if hot and day == DAYS[0]:  # one hostile user agent, for the UI's escaping
            recs.append(g.event(g.user(acct, "intern"), d0 + timedelta(hours=9, minutes=41, seconds=7), "s3",
                                "ListBuckets", region, "192.0.2.66", XSS_USER_AGENT, {"Host": "s3.amazonaws.com"},
                                ro=True, error=("AccessDenied", "Access Denied"), extra=g.s3_extra()))
        recs.sort(key=lambda r: r["eventTime"])
        files = []
        for w in range(12):  # one delivery per two-hour window: a trail delivers a day in many pieces
            chunk = [r for r in recs if int(r["eventTime"][11:13]) // 2 == w]
            if chunk:
                t = min(d0 + timedelta(hours=2 * w + 2, minutes=rng.randrange(3, 9)), d0 + timedelta(minutes=1439))
                key = _key(acct, region, t, "".join(rng.choices(_ALNUM, k=16)))
                files.append((key, gzip.compress(orjson.dumps({"Records": chunk}), mtime=0), chunk))
        for key, body in [f[:2] for f in files] + [_digest(acct, region, d0, files)]:
            _put(root, key, body)
        objects, events = objects + len(files), events + len(recs)
    counts: dict[str, int] = {}
    for r in story:
        counts[r["eventName"]] = counts.get(r["eventName"], 0) + 1
    others = demo_types.write_other_types(root, seed, story)
    attacker = sum(r["sourceIPAddress"] == ATTACKER_IP for r in story)
    return DemoStory(root=root, accounts=ACCOUNTS, regions=REGIONS, days=DAYS, objects=objects,
                     digest_files=len(ACCOUNTS) * len(REGIONS) * len(DAYS), events=events,
                     incident_events=len(story), incident_counts=counts,
                     type_objects={"cloudtrail": objects, **others.objects},
                     type_records={"cloudtrail": events, **others.records},
                     attacker_records={"cloudtrail": attacker, **others.attacker},
                     ssrf_url=demo_types.SSRF_URL, ssrf_time=others.ssrf_time, instance_ip=demo_types.INSTANCE_IP,
                     load_balancer=demo_types.LOAD_BALANCER, vpc_id=demo_types.VPC_ID)


def write_synthetic_bucket(root: Path, objects: int, events_per_object: int, seed: int = 1) -> int:
    """Write ``objects`` CloudTrail files of ``events_per_object`` templated records each; return the event count.

    Files are spread over the demo's days, accounts and regions in five-minute windows. Records are
    pre-serialised once per (account, region) and only eventTime/eventID change, so 1M events take seconds.
    """
    root, g = Path(root), _Gen(seed)
    parts = [(a, r) for a in ACCOUNTS for r in REGIONS]
    t_mark, id_mark = datetime(2026, 11, 1, 0, 0, 7, tzinfo=timezone.utc), "00000000-0000-4000-8000-000000000000"
    t_key, id_key = b'"eventTime":"%s"' % _ts(t_mark).encode(), b'"eventID":"%s"' % id_mark.encode()
    pools = []
    for a, r in parts:
        pool = []
        for _ in range(97):
            rec = g.background(a, r, t_mark, g.rid("ASIA"), t_mark - timedelta(hours=1))
            rec["eventID"] = id_mark
            head, rest = orjson.dumps(rec).split(t_key, 1)
            mid, tail = rest.split(id_key, 1)
            pool.append((head + b'"eventTime":"', b'"' + mid + b'"eventID":"', b'"' + tail))
        pools.append(pool)
    d0, span = datetime.fromisoformat(DAYS[0]).replace(tzinfo=timezone.utc), len(DAYS) * 86_400 - 900
    per_part, n, ts_cache = -(-objects // len(parts)), events_per_object, {}
    for j in range(objects):
        (acct, region), pool, k = parts[j % len(parts)], pools[j % len(parts)], j // len(parts)
        start = k * span // per_part
        eid_head = g.uuid()[:24].encode()
        off, stride, buf = g.rng.randrange(97), g.rng.randrange(1, 97), [b'{"Records":[']
        for i in range(n):
            s = start + i * 300 // n
            ts = ts_cache.get(s)
            if ts is None:
                ts = ts_cache[s] = _ts(d0 + timedelta(seconds=s)).encode()
            head, mid, tail = pool[(off + i * stride) % 97]
            buf += (head, ts, mid, eid_head, b"%012x" % (j * n + i), tail, b",")
        if n:
            buf[-1] = b"]}"
        else:
            buf.append(b"]}")
        deliver = d0 + timedelta(seconds=start + 300 + g.rng.randrange(60, 300))
        _put(root, _key(acct, region, deliver, "".join(g.rng.choices(_ALNUM, k=16))),
             _fast_gzip(b"".join(buf), 1, mtime=0))
    return objects * n
