"""AWS WAF web ACL traffic logs: gzipped JSON lines, one inspected request per line.

Delivered to S3 under `AWSLogs/<account>/WAFLogs/<Region>/<web-acl>/...` (Region `cloudfront`
for CloudFront web ACLs), or by a Firehose stream named `aws-waf-logs-*` under the Firehose
layout. Account and region come from the web ACL ARN first (Firehose keys carry neither; the
global ARN says us-east-1 where the key says cloudfront), else from the key. The terminating
rule is the actor; the action (ALLOW, BLOCK, CAPTCHA, CHALLENGE) fails only when it blocks.
"""
from __future__ import annotations

import re

from .jsonrecords import JsonRecords
from .lines import key_account, key_region

_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/WAFLogs/")
FIREHOSE_FILE = (r"-\d+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}"
                 r"-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[A-Za-z0-9]+)*$")
"""The end of a Firehose object name: `<stream>-<version>-YYYY-MM-dd-HH-mm-ss-<uuid>[.ext]`."""
_FIREHOSE = re.compile(r"(^|/)aws-waf-logs-[A-Za-z0-9_.-]*?" + FIREHOSE_FILE)

_FIELDS = """Tuple(
    timestamp Nullable(Int64), webaclId String, terminatingRuleId String, terminatingRuleType String,
    action String,
    httpRequest Tuple(clientIp String, uri String, requestId String,
        headers Array(Tuple(name String, value String))))"""

_COLUMNS = f"""
    coalesce(fromUnixTimestamp64Milli(r.timestamp, 'UTC'), now64(3, 'UTC')) AS ts,
    'waf' AS source_type,
    r.httpRequest.requestId AS event_id,
    if((extract(r.webaclId, '^arn:[^:]+:[^:]+:[^:]*:([0-9]+):') AS arn_account) != '', arn_account,
       {key_account()}) AS account_id,
    if((extract(r.webaclId, '^arn:[^:]+:[^:]+:([^:]*):') AS arn_region) != '', arn_region,
       {key_region('WAFLogs')}) AS region,
    r.terminatingRuleId AS actor,
    r.terminatingRuleType AS actor_type,
    r.action AS action,
    if(r.action = 'BLOCK', 'failure', 'success') AS outcome,
    if(isIPv4String(r.httpRequest.clientIp) OR isIPv6String(r.httpRequest.clientIp), r.httpRequest.clientIp, '')
        AS src_ip,
    arrayFirst(h -> lower(h.name) = 'user-agent', r.httpRequest.headers).value AS user_agent,
    r.httpRequest.uri AS resource,
    if(src_ip != '', [src_ip], []) AS ips,
    [] AS principals"""


class WafLogs(JsonRecords):
    name = "waf"
    record_type = _FIELDS
    columns = _COLUMNS

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key) or _FIREHOSE.search(key))
