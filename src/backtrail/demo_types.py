"""Demo data of every log type but CloudTrail, around the same incident (see `demo_data`).

The web application of account 111111111111 / us-east-1 (an internet-facing load balancer with
two nodes in front of the instance `i-0abc123def4567890`, behind a WAF web ACL, its static
files on CloudFront) delivers what AWS services write into a log bucket, each in its own key
layout and format, as the hand-made cases of `tests/unit/logtype_cases` describe them:

- ALB access logs, gzipped, one object per node and 5-minute window, the three days;
- VPC Flow Logs (header line, default fields plus a few of versions 3 and 5), the three days;
- for the incident's quarter-hour only: WAF logs, Route 53 Resolver query logs and the app's
  CloudWatch Logs exported by a Firehose subscription;
- S3 server access logs of the bucket the attacker emptied, a GuardDuty finding, and an hour of
  CloudFront standard logs per day.

On 2026-11-02 the attacker (198.51.100.77) probes SSH, scans the shop for files (404s), tests
the link-preview endpoint with a callback host that resolves to its own address, then has the
instance fetch its role credentials from the metadata service (the SSRF request, 13:58:52).
From 14:02:11 CloudTrail shows the stolen key at work; the S3 access log shows its GetObject
calls with CloudTrail's request ids, and GuardDuty flags the key's use outside AWS. Traffic to
169.254.169.254 is never in flow logs (AWS does not record it), nor in Resolver logs (an IP).

Everything comes from one seeded RNG: same seed, same bytes.
"""
from __future__ import annotations

import gzip
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

from .demo_data import ACCOUNTS, ATTACKER_IP, BACKDOOR_IP, DAYS, EXFIL_BUCKET, INSTANCE_ID, REGIONS, _put

ACCOUNT, REGION = ACCOUNTS[0], REGIONS[0]
SHOP_HOST = "shop.example.com"
SSRF_PATH = "/api/preview?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/web-app-role"
SSRF_URL = f"https://{SHOP_HOST}:443{SSRF_PATH}"
CALLBACK_HOST = "cb-7f3k2.oast.example.net"
INSTANCE_IP, INSTANCE_ENI = "10.0.2.25", "eni-0c5d8e2f4a6b19370"
VPC_ID, FLOW_LOG_ID = "vpc-0c7f3e2a91b54d6e8", "fl-0e2b7c9a4d1f63058"
SUBNETS = {"public-a": "subnet-0a4e1c7b93d25f816", "public-b": "subnet-0b8d2f6a14c39e507",
           "private-a": "subnet-0e5a9c3d72f18b640"}
ALB_NAME, ALB_ID = "web-alb", "5f2a9c1d3b4e6f70"
LOAD_BALANCER = f"app/{ALB_NAME}/{ALB_ID}"
ALB_NODES = (("eni-0a17c4e9b3d5f2086", "10.0.0.137", SUBNETS["public-a"]),
             ("eni-0b93e5d1c7a4f6208", "10.0.1.201", SUBNETS["public-b"]))
TARGET_GROUP = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/web-app-tg/8c3e1f5a2b7d9046"
CERT = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/3f6b2a1e-8c4d-4e7f-9a0b-5d2c1e8f7a63"
WEB_ACL = "shop-web-acl"
WEB_ACL_ARN = f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/{WEB_ACL}/6a1f3c9e-2b7d-4e80-9c5a-1d3e7f2b8a64"
DB_IP, S3_IP = "10.0.3.14", "52.216.179.42"
DISTRIBUTION, DIST_HOST, STATIC_HOST = "E2QWRUHAPOMQZL", "d3k9x2m7q1w5zt.cloudfront.net", f"static.{SHOP_HOST}"
LOG_GROUP, FIREHOSE = "/shop/web-app", "shop-app-logs"
EXPORT_ROLE = f"arn:aws:sts::{ACCOUNT}:assumed-role/export-job-role/i-0de4c5b6a7980f1e2"
BUCKET_OWNER = "7c1e9a4f3b2d8e6a0f5c4b3a29d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0"
TYPE_ORDER = ("cloudtrail", "alb", "vpcflow", "waf", "route53resolver", "s3access", "guardduty", "cloudfront",
              "cloudwatch")
"""Every log type the demo writes, in the order the demo names them."""

_UTC = timezone.utc
_WINDOW = timedelta(minutes=5)
_FLOW_HEADER = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
                "action log-status vpc-id subnet-id instance-id tcp-flags flow-direction")
_LOWER = string.ascii_lowercase + string.digits
_B64URL = string.ascii_letters + string.digits + "-_"

BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 "
    "Edg/130.0.0.0",
)
MOBILES = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile "
    "Safari/537.36",
)
BOTS = ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")
SCANNERS = ("Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
            "Mozilla/5.0 zgrab/0.x", "Go-http-client/1.1")
MONITOR = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
ATTACK_UA = "python-requests/2.31.0"
PRODUCTS = ("trail-runner-2", "merino-beanie", "canvas-tote", "steel-bottle-750", "rain-shell", "wool-socks-3pk",
            "camp-mug", "daypack-22l")
CATEGORIES = ("shoes", "apparel", "bags", "outdoor")
PROBES = ("/wp-login.php", "/.env", "/.git/HEAD", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
          "/cgi-bin/luci/;stok=/locale", "/boaform/admin/formLogin", "/phpmyadmin/index.php", "/.aws/credentials")
COUNTRIES = ("US", "US", "US", "CA", "GB", "DE", "FR", "NL", "AU", "BR")
EDGES = {"US": "IAD89-P1", "CA": "YTO50-C1", "GB": "LHR61-P1", "DE": "FRA56-P3", "FR": "CDG52-P2",
         "NL": "AMS58-P1", "AU": "SYD62-P1", "BR": "GRU3-P4"}


@dataclass(eq=False)
class _Req:
    """One request to the load balancer, from which its ALB line, WAF record, flows and app logs follow."""
    t: datetime        # when the load balancer received it
    node: int
    ip: str
    port: int
    kind: str          # http (port 80, redirected), https (HTTP/1.1), h2
    method: str
    path: str
    ua: str
    status: int
    target_status: int | None
    received: int
    sent: int
    times: tuple[float, float, float]   # request, target, response processing (-1: did not happen)
    conn: str
    trace: str
    country: str
    attacker: bool = False

    @property
    def forwarded(self) -> bool:
        return self.kind != "http"

    @property
    def done(self) -> datetime:
        return self.t + timedelta(seconds=sum(x for x in self.times if x > 0))


@dataclass(frozen=True)
class _Flow:
    start: int
    end: int
    eni: int            # index in _ENIS
    src: str
    dst: str
    sport: int
    dport: int
    packets: int
    nbytes: int
    action: str = "ACCEPT"
    flags: int = 0
    direction: str = "ingress"
    protocol: int = 6


_ENIS = (ALB_NODES[0], ALB_NODES[1], (INSTANCE_ENI, INSTANCE_IP, SUBNETS["private-a"]))


@dataclass
class TypeFacts:
    """What `write_other_types` wrote: per log type, objects, records, and records whose `ips` hold the attacker."""
    objects: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    attacker: dict[str, int] = field(default_factory=dict)
    ssrf_time: str = ""

    def add(self, name: str, records: int, attacker: int = 0) -> None:
        self.objects[name] = self.objects.get(name, 0) + 1
        self.records[name] = self.records.get(name, 0) + records
        self.attacker[name] = self.attacker.get(name, 0) + attacker


def _floor(t: datetime) -> datetime:
    return t.replace(minute=t.minute - t.minute % 5, second=0, microsecond=0)


def _epoch(t: datetime) -> int:
    return int(t.timestamp())


def _gz(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


class _Writer:
    def __init__(self, root: Path, seed: int, story: list[dict]) -> None:
        self.root, self.rng, self.story, self.facts = root, random.Random(f"demo-types-{seed}"), story, TypeFacts()
        self.t0 = next(datetime.fromisoformat(r["eventTime"].replace("Z", "+00:00")) for r in story
                       if r["sourceIPAddress"] == ATTACKER_IP)  # the stolen key's first call, 14:02:11

    # ---- small helpers ----------------------------------------------------------------------
    def hex(self, n: int) -> str:
        return "".join(self.rng.choices("0123456789abcdef", k=n))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def put(self, name: str, key: str, body: bytes, records: int, attacker: int = 0) -> None:
        _put(self.root, key, body)
        self.facts.add(name, records, attacker)

    def visitor(self) -> str:
        while True:
            net = self.rng.choice(("203.0.113", "198.51.100", "192.0.2"))
            ip = f"{net}.{self.rng.randint(100 if net == '192.0.2' else 2, 250)}"
            if ip not in (ATTACKER_IP, BACKDOOR_IP):
                return ip

    def request(self, t: datetime, node: int, ip: str, port: int, kind: str, method: str, path: str, ua: str,
                status: int, conn: str, country: str, sent: int | None = None, target_s: float | None = None,
                attacker: bool = False) -> _Req:
        rng = self.rng
        if kind == "http":
            times, target_status = (-1.0, -1.0, -1.0), None
        elif status == 502:  # the target reset the connection
            times, target_status = (0.0, round(rng.uniform(0.001, 0.02), 3), -1.0), None
        else:
            target_s = round(rng.uniform(0.002, 0.09), 3) if target_s is None else target_s
            times, target_status = (0.0, target_s, 0.0), status
        if sent is None:
            sent = {200: rng.randint(2_500, 42_000), 301: 278, 302: 310, 304: 213, 404: 186}.get(status, 402)
        trace = f"Root=1-{_epoch(t):08x}-{self.hex(24)}"
        return _Req(t, node, ip, port, kind, method, path, ua, status, target_status,
                    rng.randint(180, 900 if method == "GET" else 2_400), sent, times, conn, trace, country, attacker)

    # ---- the load balancer's traffic --------------------------------------------------------
    def sessions(self, day: datetime, n: int, hours: tuple[int, int] = (6, 23)) -> list[list[_Req]]:
        """Visits to the shop: each a connection of a few requests from one address and browser."""
        rng, out = self.rng, []
        for _ in range(n):
            start = day + timedelta(seconds=rng.randrange(hours[0] * 3600, hours[1] * 3600),
                                    microseconds=rng.randrange(10**6))
            out.append(self.session(start))
        return out

    def session(self, t: datetime) -> list[_Req]:
        rng = self.rng
        kind = rng.choices(("browser", "mobile", "bot", "scanner", "monitor"), (55, 18, 12, 9, 6))[0]
        ip, node, country = self.visitor(), rng.randrange(2), rng.choice(COUNTRIES)
        conn, port = f"TID_{self.hex(32)}", rng.randint(32768, 60999)
        reqs: list[_Req] = []

        def add(path: str, status: int = 200, method: str = "GET", gap: tuple[float, float] = (0.2, 1.5),
                proto: str | None = None, **kw) -> None:
            nonlocal t
            if reqs:
                t += timedelta(seconds=rng.uniform(*gap))
            reqs.append(self.request(t, node, ip, port, proto or wire, method, path, ua, status, conn, country, **kw))

        if kind in ("browser", "mobile"):
            ua, wire = rng.choice(BROWSERS if kind == "browser" else MOBILES), "h2"
            if rng.random() < 0.15:  # typed without https: the port-80 listener redirects
                reqs.append(self.request(t, node, ip, port - 1, "http", "GET", "/", ua, 301, f"TID_{self.hex(32)}",
                                         country))
                t += timedelta(seconds=rng.uniform(0.1, 0.4))
            add("/", 200)
            add(f"/api/products?category={rng.choice(CATEGORIES)}", 304 if rng.random() < 0.2 else 200,
                sent=rng.randint(600, 3_200))
            for _ in range(rng.randint(1, 5)):
                slug = rng.choice(PRODUCTS)
                add(f"/products/{slug}" if rng.random() > 0.04 else f"/products/{slug}-v1", gap=(3, 40),
                    status=200 if rng.random() > 0.04 else 404)
                add(f"/api/recommendations?product={slug}", 503 if rng.random() < 0.03 else 200,
                    sent=rng.randint(400, 2_400))
            if rng.random() < 0.45:
                add("/api/cart", 200, "POST", gap=(2, 20), sent=rng.randint(200, 900))
                add("/cart", 200, gap=(1, 6))
                if rng.random() < 0.6:
                    add("/checkout", 200, gap=(5, 30))
                    status = rng.choices((200, 500, 502), (90, 6, 4))[0]
                    add("/api/checkout", status, "POST", gap=(20, 90), sent=rng.randint(300, 1_200),
                        target_s=round(rng.uniform(0.3, 1.8), 3))
                    if status == 200:
                        add("/checkout/thank-you", 200, gap=(0.3, 1.0))
        elif kind == "bot":
            ua, wire = rng.choice(BOTS), "https"
            add("/robots.txt", 200, sent=412)
            add("/sitemap.xml", 200, gap=(1, 5), sent=3_860)
            for _ in range(rng.randint(2, 6)):
                slug = rng.choice(PRODUCTS)
                if rng.random() < 0.15:
                    add(f"/product/{slug}", 301, gap=(2, 15))  # an old URL the app redirects
                else:
                    add(f"/products/{slug}", 200, gap=(2, 15))
        elif kind == "scanner":
            ua, wire = rng.choice(SCANNERS), "https"
            for path in rng.sample(PROBES, rng.randint(2, 5)):
                add(path, 405 if path.startswith("/boaform") else 404, "POST" if path.startswith("/boaform") else "GET",
                    gap=(0.1, 2.0))
        else:
            ua, wire = MONITOR, "https"
            add("/healthz", 200, "HEAD", sent=172)
        return reqs

    def attack(self) -> list[_Req]:
        """The attacker's requests: a scan, a callback test, then the metadata service through the preview."""
        a = self.t0 - timedelta(minutes=10, seconds=4)  # 13:52:07
        rng, node, reqs = self.rng, 0, []
        plan = [(0, "/", 200, 0), (2, "/.env", 404, 0), (3, "/.git/config", 404, 0), (5, "/wp-login.php", 404, 0),
                (6, "/admin", 404, 0), (8, "/actuator/env", 404, 0), (9, "/server-status", 404, 0),
                (11, "/api/debug", 404, 0), (12, "/backup.zip", 404, 0), (14, "/config.json", 404, 0),
                (93, "/api/swagger.json", 404, 1), (95, "/api/docs", 404, 1),
                (274, f"/api/preview?url=http://{CALLBACK_HOST}/ping", 200, 2),
                (393, "/api/preview?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/", 200, 3),
                (405, SSRF_PATH, 200, 3)]
        conns = [(f"TID_{self.hex(32)}", rng.randint(40000, 60999)) for _ in range(4)]
        for sec, path, status, c in plan:
            t = a + timedelta(seconds=sec, microseconds=rng.randrange(10**6))
            preview = path.startswith("/api/preview")
            reqs.append(self.request(t, node, ATTACKER_IP, conns[c][1], "https", "GET", path, ATTACK_UA, status,
                                     conns[c][0], "NL", attacker=True,
                                     sent={200: 1_372 if path == SSRF_PATH else 402}.get(status) if preview else None,
                                     target_s=round(rng.uniform(0.004, 0.02), 3) if "169.254" in path
                                     else round(rng.uniform(0.2, 0.5), 3) if preview else None))
        return reqs

    # ---- ALB access logs --------------------------------------------------------------------
    @staticmethod
    def alb_line(r: _Req) -> str:
        tls = r.kind != "http"
        url = f"https://{SHOP_HOST}:443{r.path}" if tls else f"http://{SHOP_HOST}:80{r.path}"
        target = f"{INSTANCE_IP}:8080" if r.forwarded else "-"
        tstatus = "-" if r.target_status is None else str(r.target_status)
        modern = tls and r.ua != ATTACK_UA and r.ua not in SCANNERS
        cipher, proto = (("TLS_AES_128_GCM_SHA256", "TLSv1.3") if modern else ("ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2")
                         ) if tls else ("-", "-")
        created = f"{r.t:%Y-%m-%dT%H:%M:%S}.{r.t.microsecond // 1000:03d}000Z"
        priority = "0" if not tls else ("10" if r.path.startswith("/api/") else "0")
        redirect = f"https://{SHOP_HOST}:443{r.path}" if not tls else "-"
        return (f"{r.kind} {r.done:%Y-%m-%dT%H:%M:%S.%fZ} {LOAD_BALANCER} {r.ip}:{r.port} {target} "
                f"{' '.join(f'{x:.3f}' if x >= 0 else '-1' for x in r.times)} {r.status} {tstatus} {r.received} "
                f'{r.sent} "{r.method} {url} {"HTTP/2.0" if r.kind == "h2" else "HTTP/1.1"}" "{r.ua}" {cipher} {proto} '
                f'{TARGET_GROUP if r.forwarded else "-"} "{r.trace}" "{SHOP_HOST if tls else "-"}" '
                f'"{CERT if tls else "-"}" {priority} {created} "waf,{"forward" if r.forwarded else "redirect"}" '
                f'"{redirect}" "-" "{target}" "{tstatus}" "-" "-" {r.conn} "-" "-" "-"')

    def write_alb(self, reqs: list[_Req]) -> None:
        files: dict[tuple[datetime, int], list[_Req]] = {}
        for r in reqs:
            files.setdefault((_floor(r.done) + _WINDOW, r.node), []).append(r)
        for (end, node), rs in sorted(files.items(), key=lambda kv: kv[0]):
            rs.sort(key=lambda r: r.done)
            key = (f"AWSLogs/{ACCOUNT}/elasticloadbalancing/{REGION}/{end:%Y/%m/%d}/{ACCOUNT}_elasticloadbalancing_"
                   f"{REGION}_app.{ALB_NAME}.{ALB_ID}_{end:%Y%m%dT%H%MZ}_{ALB_NODES[node][1]}_"
                   f"{''.join(self.rng.choices(_LOWER, k=8))}.log.gz")
            self.put("alb", key, _gz("".join(self.alb_line(r) + "\n" for r in rs)), len(rs),
                     sum(r.attacker for r in rs))

    # ---- VPC Flow Logs ----------------------------------------------------------------------
    def flows(self, sessions: list[list[_Req]], attack: list[_Req], days: list[datetime]) -> list[_Flow]:
        rng, flows = self.rng, []
        conns: dict[str, list[_Req]] = {}
        for r in [r for s in sessions for r in s] + attack:
            conns.setdefault(r.conn, []).append(r)
        for rs in conns.values():  # each client connection, seen on the load balancer node's interface
            first, last = rs[0], rs[-1]
            start, end = _epoch(first.t), _epoch(last.done) + rng.randint(1, 30)
            n, lb_port = len(rs), 80 if first.kind == "http" else 443
            flows.append(_Flow(start, end, first.node, first.ip, ALB_NODES[first.node][1], first.port, lb_port,
                               4 + 3 * n, 420 + sum(r.received for r in rs), flags=3))
            flows.append(_Flow(start, end, first.node, ALB_NODES[first.node][1], first.ip, lb_port, first.port,
                               3 + 4 * n, 3_900 + sum(r.sent for r in rs), flags=19, direction="egress"))
        windows: dict[tuple[datetime, int], list[_Req]] = {}
        for r in [r for s in sessions for r in s] + attack:
            if r.forwarded:
                windows.setdefault((_floor(r.t), r.node), []).append(r)
        for (w, node), rs in sorted(windows.items(), key=lambda kv: kv[0]):
            # the node's kept-alive connection to the instance, logged by both interfaces, and the
            # instance's own calls that serve the requests: the database, and S3 now and then
            start, end, n = _epoch(rs[0].t), _epoch(rs[-1].done) + 1, len(rs)
            up, down = sum(r.received for r in rs) + 60 * n, sum(r.sent for r in rs) + 60 * n
            lb_ip, lb_port = ALB_NODES[node][1], 30000 + (node * 7919 + w.hour * 61) % 20000
            for eni, direction_up in ((node, "egress"), (2, "ingress")):
                flows.append(_Flow(start, end, eni, lb_ip, INSTANCE_IP, lb_port, 8080, 2 * n, up,
                                   direction=direction_up))
                flows.append(_Flow(start, end, eni, INSTANCE_IP, lb_ip, 8080, lb_port, 2 * n + 1, down,
                                   direction="ingress" if direction_up == "egress" else "egress"))
            if node == 0 or (w, 0) not in windows:
                db_port = 41000 + w.hour * 11
                flows.append(_Flow(start, end, 2, INSTANCE_IP, DB_IP, db_port, 5432, 3 * n, 310 * n,
                                   direction="egress"))
                flows.append(_Flow(start, end, 2, DB_IP, INSTANCE_IP, 5432, db_port, 3 * n, 1_450 * n))
                if rng.random() < 0.3:
                    s3_port = rng.randint(32768, 60999)
                    flows.append(_Flow(start, end, 2, INSTANCE_IP, S3_IP, s3_port, 443, 14, 2_210, flags=3,
                                       direction="egress"))
                    flows.append(_Flow(start, end, 2, S3_IP, INSTANCE_IP, 443, s3_port, 22, 28_400, flags=19))
        for day in days:  # the internet knocking on closed ports
            for _ in range(rng.randint(10, 16)):
                s = _epoch(day) + rng.randrange(85_800)
                ip = self.visitor()
                flows.append(_Flow(s, s + rng.randint(0, 2), rng.randrange(2), ip, "", rng.randint(1024, 65000),
                                   rng.choice((22, 23, 445, 3389, 5900, 6379, 2375, 8080)), rng.randint(1, 2), 0,
                                   "REJECT", 2))
        # the attacker: SSH refused on both nodes, then the callback the preview made to its server
        probe = _epoch(self.t0) - 669  # 13:51:02
        for node in (0, 1):
            flows.append(_Flow(probe + node, probe + node + 1, node, ATTACKER_IP, "", 40112 + node, 22, 2, 120,
                               "REJECT", 2))
        cb = next(r for r in attack if CALLBACK_HOST in r.path)
        cb_port, start = rng.randint(32768, 60999), _epoch(cb.t)
        flows.append(_Flow(start, start + 1, 2, INSTANCE_IP, ATTACKER_IP, cb_port, 80, 5, 412, flags=3,
                           direction="egress"))
        flows.append(_Flow(start, start + 1, 2, ATTACKER_IP, INSTANCE_IP, 80, cb_port, 4, 318, flags=19))
        return flows

    def write_vpcflow(self, flows: list[_Flow]) -> None:
        files: dict[datetime, list[_Flow]] = {}
        for f in flows:
            files.setdefault(_floor(datetime.fromtimestamp(f.end, _UTC)), []).append(f)
        for w, fs in sorted(files.items()):
            fs.sort(key=lambda f: (f.start, f.end, f.eni, f.src, f.sport))
            lines = [_FLOW_HEADER]
            for f in fs:
                eni, ip, subnet = _ENIS[f.eni]
                nbytes = f.nbytes or (40 if f.packets == 1 else 44 * f.packets)
                lines.append(f"5 {ACCOUNT} {eni} {f.src} {f.dst or ip} {f.sport} {f.dport} {f.protocol} {f.packets} "
                             f"{nbytes} {f.start} {f.end} {f.action} OK {VPC_ID} {subnet} "
                             f"{INSTANCE_ID if f.eni == 2 else '-'} {f.flags} {f.direction}")
            key = (f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/{w:%Y/%m/%d}/{ACCOUNT}_vpcflowlogs_{REGION}_{FLOW_LOG_ID}_"
                   f"{w:%Y%m%dT%H%MZ}_{self.hex(8)}.log.gz")
            self.put("vpcflow", key, _gz("\n".join(lines) + "\n"), len(fs),
                     sum(ATTACKER_IP in (f.src, f.dst) for f in fs))

    # ---- WAF: the web ACL saw every request of the incident's windows -----------------------
    def waf_record(self, r: _Req) -> dict:
        h2 = r.kind == "h2"
        path, _, query = r.path.partition("?")
        headers = [{"name": "host" if h2 else "Host", "value": SHOP_HOST},
                   {"name": "user-agent" if h2 else "User-Agent", "value": r.ua},
                   {"name": "accept" if h2 else "Accept", "value": "*/*" if not h2 else "text/html,*/*;q=0.8"}]
        if r.attacker:
            headers += [{"name": "Accept-Encoding", "value": "gzip, deflate"},
                        {"name": "Connection", "value": "keep-alive"}]
        ssrf = "169.254.169.254" in r.path
        count = [{"ruleId": "EC2MetaDataSSRF_QUERYARGUMENTS", "action": "COUNT", "overriddenAction": "BLOCK",
                  "ruleMatchDetails": None}] if ssrf else []
        rec = {"timestamp": int(r.t.timestamp() * 1000), "formatVersion": 1, "webaclId": WEB_ACL_ARN,
               "terminatingRuleId": "Default_Action", "terminatingRuleType": "REGULAR", "action": "ALLOW",
               "terminatingRuleMatchDetails": [], "httpSourceName": "ALB",
               "httpSourceId": f"{ACCOUNT}-{LOAD_BALANCER}",
               "ruleGroupList": [{"ruleGroupId": "AWS#AWSManagedRulesCommonRuleSet", "terminatingRule": None,
                                  "nonTerminatingMatchingRules": count, "excludedRules": None, "customerConfig": None}],
               "rateBasedRuleList": [], "nonTerminatingMatchingRules": [], "requestHeadersInserted": None,
               "responseCodeSent": None,
               "httpRequest": {"clientIp": r.ip, "country": r.country, "headers": headers, "uri": path, "args": query,
                               "httpVersion": "HTTP/2.0" if h2 else "HTTP/1.1", "httpMethod": r.method,
                               "requestId": r.trace.removeprefix("Root=")}}
        if ssrf:
            rec["labels"] = [{"name": "awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_QueryArguments"}]
        return rec

    def write_waf(self, reqs: list[_Req], windows: list[datetime]) -> None:
        for w in windows:
            rs = sorted((r for r in reqs if _floor(r.t) == w), key=lambda r: r.t)
            key = (f"AWSLogs/{ACCOUNT}/WAFLogs/{REGION}/{WEB_ACL}/{w:%Y/%m/%d/%H/%M}/{ACCOUNT}_waflogs_{REGION}_"
                   f"{WEB_ACL}_{w:%Y%m%dT%H%MZ}_{self.hex(8)}.log.gz")
            body = b"".join(orjson.dumps(self.waf_record(r)) + b"\n" for r in rs)
            self.put("waf", key, gzip.compress(body, mtime=0), len(rs), sum(r.attacker for r in rs))

    # ---- Route 53 Resolver: the instance's DNS queries --------------------------------------
    def write_resolver(self, attack: list[_Req], windows: list[datetime]) -> None:
        rng = self.rng
        names = ((f"shop-db.cluster-c9akciq32xyz.{REGION}.rds.amazonaws.com.", DB_IP),
                 (f"acme-app-assets-1111.s3.{REGION}.amazonaws.com.", S3_IP),
                 (f"logs.{REGION}.amazonaws.com.", "3.236.94.171"),
                 ("payments.example.org.", "192.0.2.181"))
        cb = next(r for r in attack if CALLBACK_HOST in r.path)
        for w in windows:
            recs = []
            s = rng.uniform(0, 40)
            while s < 300:
                name, answer = rng.choice(names)
                recs.append((w + timedelta(seconds=s), name, "A", answer))
                s += rng.uniform(20, 75)
            if _floor(cb.t) == w:
                recs.append((cb.t + timedelta(milliseconds=40), f"{CALLBACK_HOST}.", "A", ATTACKER_IP))
            recs.sort(key=lambda x: x[0])
            lines = [orjson.dumps({
                "version": "1.100000", "account_id": ACCOUNT, "region": REGION, "vpc_id": VPC_ID,
                "query_timestamp": f"{t:%Y-%m-%dT%H:%M:%SZ}", "query_name": name, "query_type": qtype,
                "query_class": "IN", "rcode": "NOERROR", "answers": [{"Rdata": answer, "Type": qtype, "Class": "IN"}],
                "srcaddr": INSTANCE_IP, "srcport": str(rng.randint(32768, 60999)), "transport": "UDP",
                "srcids": {"instance": INSTANCE_ID}}) for t, name, qtype, answer in recs]
            key = (f"AWSLogs/{ACCOUNT}/vpcdnsquerylogs/{VPC_ID}/{w:%Y/%m/%d}/{VPC_ID}_vpcdnsquerylogs_{ACCOUNT}_"
                   f"{w:%Y%m%dT%H%MZ}_{self.hex(8)}.log.gz")
            self.put("route53resolver", key, gzip.compress(b"\n".join(lines) + b"\n", mtime=0), len(recs),
                     sum(r[3] == ATTACKER_IP for r in recs))

    # ---- CloudWatch Logs of the app, exported by a Firehose subscription --------------------
    def write_cloudwatch(self, reqs: list[_Req], windows: list[datetime]) -> None:
        rng = self.rng
        for w in windows:
            events = []
            for r in (r for r in reqs if r.forwarded and w <= r.t < w + _WINDOW):
                path, _, query = r.path.partition("?")
                at = r.t + timedelta(seconds=r.times[1] if r.times[1] > 0 else 0)
                if path == "/api/preview":
                    url = query.removeprefix("url=")
                    events.append((at - timedelta(milliseconds=2), {"level": "info", "msg": "preview fetch",
                                                                    "url": url, "bytes": r.sent}))
                events.append((at, {"level": "error" if r.status >= 500 else "warn" if r.status >= 400 else "info",
                                    "msg": "request", "method": r.method, "path": path, "query": query,
                                    "status": r.target_status or r.status, "duration_ms": int(r.times[1] * 1000),
                                    "client_ip": r.ip, "trace_id": r.trace}))
            s = rng.uniform(0, 60)
            while s < 300:
                events.append((w + timedelta(seconds=s), rng.choice((
                    {"level": "info", "msg": "db pool", "active": rng.randint(1, 6), "idle": rng.randint(2, 8)},
                    {"level": "info", "msg": "cache refresh", "key": "catalog", "items": 214},
                    {"level": "debug", "msg": "gc", "pause_ms": rng.randint(2, 40)}))))
                s += rng.uniform(45, 110)
            events.sort(key=lambda e: e[0])
            batches: dict[datetime, list] = {}
            for t, msg in events:  # the subscription sends what it has every few seconds
                batches.setdefault(t.replace(second=t.second - t.second % 10, microsecond=0), []).append((t, msg))
            body = b""
            for _, batch in sorted(batches.items()):
                envelope = {"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": LOG_GROUP,
                            "logStream": INSTANCE_ID, "subscriptionFilters": ["shop-app-to-firehose"],
                            "logEvents": [{"id": str(rng.randrange(10**55, 10**56)),
                                           "timestamp": int(t.timestamp() * 1000),
                                           "message": orjson.dumps({"time": f"{t:%Y-%m-%dT%H:%M:%S}."
                                                                            f"{t.microsecond // 1000:03d}Z", **m}
                                                                   ).decode()} for t, m in batch]}
                body += gzip.compress(orjson.dumps(envelope), mtime=0)  # gzipped by CloudWatch Logs, one member each
            made = w + _WINDOW + timedelta(seconds=rng.randint(2, 40))
            key = f"cwl-export/{made:%Y/%m/%d/%H}/{FIREHOSE}-1-{made:%Y-%m-%d-%H-%M-%S}-{self.uuid()}"
            self.put("cloudwatch", key, body, len(events))

    # ---- S3 server access logs of the exports bucket ----------------------------------------
    def s3_line(self, t: datetime, ip: str, requester: str, request_id: str, op: str, key: str, uri: str,
                status: int, sent: int | None, size: int | None, ua: str, host_id: str, host: str) -> str:
        total = self.rng.randint(20, 90) if size is None else self.rng.randint(180, 900)
        return (f"{BUCKET_OWNER} {EXFIL_BUCKET} [{t:%d/%b/%Y:%H:%M:%S} +0000] {ip} {requester} {request_id} {op} "
                f'{key or "-"} "{uri}" {status} - {sent or "-"} {size or "-"} {total} {self.rng.randint(8, 40)} "-" '
                f'"{ua}" - {host_id} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader {host} TLSv1.3 - - -')

    def write_s3access(self) -> None:
        rng, host = self.rng, f"{EXFIL_BUCKET}.s3.{REGION}.amazonaws.com"
        gets = [r for r in self.story if r["eventName"] == "GetObject" and r["sourceIPAddress"] == ATTACKER_IP]
        (policy,) = [r for r in self.story if r["eventName"] == "PutBucketPolicy"]

        def when(r: dict) -> datetime:
            return datetime.fromisoformat(r["eventTime"].replace("Z", "+00:00"))

        def host_id() -> str:
            return "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=76))

        # the monthly export, written on the 1st (writes are not in the trail: it logs read data events only)
        t = datetime.fromisoformat(DAYS[0]).replace(tzinfo=_UTC) + timedelta(minutes=40, seconds=13)
        exports = []
        for i, r in enumerate(gets):
            k = r["requestParameters"]["key"]
            exports.append(self.s3_line(t + timedelta(seconds=31 * i), "10.0.2.61", EXPORT_ROLE,
                                        "".join(rng.choices(string.ascii_uppercase + string.digits, k=16)),
                                        "REST.PUT.OBJECT", k, f"PUT /{k} HTTP/1.1", 200, None,
                                        r["additionalEventData"]["bytesTransferredOut"],
                                        "aws-sdk-java/2.25.16 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10",
                                        host_id(), host))
        stolen = [self.s3_line(when(r), ATTACKER_IP, r["userIdentity"]["arn"], r["requestID"], "REST.GET.OBJECT",
                               r["requestParameters"]["key"], f"GET /{r['requestParameters']['key']} HTTP/1.1", 200,
                               r["additionalEventData"]["bytesTransferredOut"],
                               r["additionalEventData"]["bytesTransferredOut"], r["userAgent"],
                               r["additionalEventData"]["x-amz-id-2"], host) for r in gets]
        opened = [self.s3_line(when(policy), policy["sourceIPAddress"], policy["userIdentity"]["arn"],
                               policy["requestID"], "REST.PUT.BUCKETPOLICY", "", f"PUT /{EXFIL_BUCKET}?policy HTTP/1.1",
                               204, None, None, policy["userAgent"], policy["additionalEventData"]["x-amz-id-2"],
                               "s3.amazonaws.com")]
        for lines, last in ((exports, t + timedelta(seconds=31 * len(gets))), (stolen, when(gets[-1])),
                            (opened, when(policy))):
            made = last + timedelta(minutes=rng.randint(12, 50), seconds=rng.randint(0, 59))
            key = (f"s3-access-logs/{ACCOUNT}/{REGION}/{EXFIL_BUCKET}/{made:%Y/%m/%d}/{made:%Y-%m-%d-%H-%M-%S}-"
                   f"{''.join(rng.choices('0123456789ABCDEF', k=16))}")
            self.put("s3access", key, ("\n".join(lines) + "\n").encode(), len(lines),
                     sum(f" {ATTACKER_IP} " in line for line in lines))

    # ---- GuardDuty --------------------------------------------------------------------------
    def write_guardduty(self) -> None:
        leaked = [r for r in self.story if r["sourceIPAddress"] == ATTACKER_IP
                  and r["userIdentity"].get("accessKeyId") == self.story[0]["userIdentity"]["accessKeyId"]]
        first, ident = leaked[0], leaked[0]["userIdentity"]
        created = self.t0 + timedelta(minutes=6, seconds=41, milliseconds=315)
        updated = created + timedelta(minutes=14, seconds=48, milliseconds=-187)
        detector, fid = self.hex(32), self.hex(32)
        role = ident["sessionContext"]["sessionIssuer"]["userName"]
        finding = {
            "schemaVersion": "2.0", "accountId": ACCOUNT, "region": REGION, "partition": "aws", "id": fid,
            "arn": f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{detector}/finding/{fid}",
            "type": "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
            "resource": {"resourceType": "AccessKey", "accessKeyDetails": {
                "accessKeyId": ident["accessKeyId"], "principalId": ident["principalId"], "userName": role,
                "userType": "AssumedRole"}},
            "service": {"serviceName": "guardduty", "detectorId": detector, "action": {
                "actionType": "AWS_API_CALL", "awsApiCallAction": {
                    "api": first["eventName"], "serviceName": first["eventSource"], "callerType": "Remote IP",
                    "remoteIpDetails": {"ipAddressV4": ATTACKER_IP, "organization": {
                        "asn": "64496", "asnOrg": "Example VPS B.V.", "isp": "Example VPS B.V.",
                        "org": "Example VPS B.V."}, "country": {"countryName": "Netherlands"},
                        "city": {"cityName": "Amsterdam"}, "geoLocation": {"lat": 52.3759, "lon": 4.8975}},
                    "userAgent": first["userAgent"], "affectedResources": {}}},
                "resourceRole": "TARGET", "additionalInfo": {"value": "{}", "type": "default"},
                "eventFirstSeen": first["eventTime"].replace("Z", ".000Z"),
                "eventLastSeen": leaked[-1]["eventTime"].replace("Z", ".000Z"), "archived": False,
                "count": len(leaked)},
            "severity": 8,
            "createdAt": f"{created:%Y-%m-%dT%H:%M:%S}.{created.microsecond // 1000:03d}Z",
            "updatedAt": f"{updated:%Y-%m-%dT%H:%M:%S}.{updated.microsecond // 1000:03d}Z",
            "title": f"Credentials for the EC2 instance role {role} used from a remote AWS account or external IP "
                     "address.",
            "description": f"Credentials created exclusively for an EC2 instance using instance role {role} have "
                           f"been used from external IP address {ATTACKER_IP}.",
        }
        key = f"AWSLogs/{ACCOUNT}/GuardDuty/{REGION}/{created:%Y/%m/%d}/{self.uuid()}.jsonl.gz"
        self.put("guardduty", key, gzip.compress(orjson.dumps(finding) + b"\n", mtime=0), 1, 1)

    # ---- CloudFront: the static files the shop's pages load ----------------------------------
    @staticmethod
    def cf_encode(value: str) -> str:
        return "".join(c if 32 < ord(c) < 127 and c not in '<>"#%{}|\\^~[]`\'' else
                       "".join(f"%{b:02X}" for b in c.encode()) for c in value)

    def write_cloudfront(self, sessions: list[list[_Req]]) -> None:
        rng = self.rng
        pages = [s for s in sessions if any(r.kind == "h2" for r in s)]  # browsers load the static files
        for day in DAYS:
            mine = [s for s in pages if f"{s[-1].t:%Y-%m-%d}" == day]
            hours = sorted({s[-1].t.hour for s in mine}, key=lambda h: (-sum(s[-1].t.hour == h for s in mine), h))
            if not hours:
                continue
            hour, rows = hours[0], []
            for s in (s for s in mine if s[-1].t.hour == hour):
                edge, cport = EDGES.get(s[0].country, "IAD89-P1"), rng.randint(32768, 60999)
                first = True
                for r in s:
                    if r.method != "GET" or r.status != 200 or r.path.startswith("/api/"):
                        continue
                    assets = ["/assets/app.3f9a1c.js", "/assets/app.8d2e4b.css", "/img/logo.svg"] if first else []
                    if r.path.startswith("/products/"):
                        assets.append(f"/img/products/{r.path.rsplit('/', 1)[1]}.jpg")
                    first = False
                    for a in assets:
                        t = r.done + timedelta(milliseconds=rng.randint(40, 400))
                        result = rng.choices(("Hit", "Miss", "RefreshHit"), (85, 10, 5))[0]
                        ext = a.rsplit(".", 1)[1]
                        size = {"js": 148_312, "css": 31_870, "svg": 2_114}.get(ext) or rng.randint(40_000, 180_000)
                        ctype = {"js": "application/javascript", "css": "text/css", "svg": "image/svg+xml"}.get(
                            ext, "image/jpeg")
                        taken = round(rng.uniform(0.001, 0.02) if result == "Hit" else rng.uniform(0.05, 0.3), 3)
                        rows.append((t, "\t".join((
                            f"{t:%Y-%m-%d}", f"{t:%H:%M:%S}", edge, str(size + 480), r.ip, "GET", DIST_HOST, a, "200",
                            self.cf_encode(f"https://{SHOP_HOST}{r.path}"), self.cf_encode(r.ua), "-", "-", result,
                            "".join(rng.choices(_B64URL, k=54)) + "==", STATIC_HOST, "https", str(rng.randint(60, 420)),
                            f"{taken:.3f}", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result, "HTTP/2.0", "-", "-",
                            str(cport), f"{taken:.3f}", result, ctype, str(size), "-", "-"))))
            rows.sort(key=lambda x: x[0])
            header = ("#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
                      "sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
                      "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol "
                      "ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields "
                      "c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
                      "sc-range-start sc-range-end\n")
            key = f"cloudfront/{DISTRIBUTION}.{day}-{hour:02d}.{''.join(rng.choices(_LOWER, k=8))}.gz"
            self.put("cloudfront", key, _gz(header + "".join(row + "\n" for _, row in rows)), len(rows))


def write_other_types(root: Path, seed: int, story: list[dict]) -> TypeFacts:
    """Write every log type but CloudTrail into the demo bucket `root`; `story` is CloudTrail's incident."""
    w = _Writer(Path(root), seed, story)
    days = [datetime.fromisoformat(d).replace(tzinfo=_UTC) for d in DAYS]
    sessions = [s for d in days for s in w.sessions(d, w.rng.randint(30, 38))]
    # ordinary visits while the attack goes on: the incident's windows are not the attacker's alone
    sessions += [w.session(w.t0 - timedelta(minutes=m, seconds=w.rng.randrange(60))) for m in (11, 7, 3)]
    attack = w.attack()
    reqs = sorted([r for s in sessions for r in s] + attack, key=lambda r: r.t)
    w.write_alb(reqs)
    w.write_vpcflow(w.flows(sessions, attack, days))
    incident = sorted({_floor(r.t) for r in attack})  # 13:50 and 13:55
    w.write_waf(reqs, incident)
    w.write_resolver(attack, incident)
    w.write_cloudwatch(reqs, incident + [incident[-1] + _WINDOW])
    w.write_s3access()
    w.write_guardduty()
    w.write_cloudfront(sessions)
    ssrf = next(r for r in attack if r.path == SSRF_PATH)
    w.facts.ssrf_time = f"{ssrf.t:%Y-%m-%dT%H:%M:%S}Z"
    return w.facts
