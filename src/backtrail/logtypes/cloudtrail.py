"""CloudTrail: gzipped `{"Records": [...]}` documents as delivered, or one record per line.

Digest files (`CloudTrail-Digest`) are recognised and skipped. Every record is parsed once, in
the engine, into a typed tuple from which all common columns are taken.
"""
from __future__ import annotations

import re

from .jsonrecords import JsonRecords

_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/CloudTrail(-Insight)?/")
DIGEST = "CloudTrail digest file (integrity hashes, not events)"
_DIGEST = re.compile(r"(^|/)CloudTrail-Digest/|_CloudTrail-Digest_")

_FIELDS = """Tuple(
    eventTime String, eventID String, eventName String, eventSource String, awsRegion String,
    sourceIPAddress String, userAgent String, errorCode String, recipientAccountId String,
    userIdentity Tuple(type String, arn String, accountId String, accessKeyId String,
        principalId String, userName String, invokedBy String,
        sessionContext Tuple(sessionIssuer Tuple(arn String, userName String))),
    requestParameters Tuple(roleArn String, userName String, bucketName String),
    responseElements Tuple(ConsoleLogin String, credentials Tuple(accessKeyId String),
        accessKey Tuple(accessKeyId String), assumedRoleUser Tuple(arn String)),
    resources Array(Tuple(ARN String)))"""

_COLUMNS = """
    coalesce(parseDateTime64BestEffortOrNull(r.eventTime, 3, 'UTC'), now64(3)) AS ts,
    'cloudtrail' AS source_type,
    r.eventID AS event_id,
    if(r.recipientAccountId != '', r.recipientAccountId, r.userIdentity.accountId) AS account_id,
    r.awsRegion AS region,
    multiIf(r.userIdentity.arn != '', r.userIdentity.arn,
            r.userIdentity.sessionContext.sessionIssuer.arn != '', r.userIdentity.sessionContext.sessionIssuer.arn,
            r.userIdentity.invokedBy != '', r.userIdentity.invokedBy,
            r.userIdentity.principalId) AS actor,
    r.userIdentity.type AS actor_type,
    r.eventName AS action,
    if(r.errorCode != '' OR r.responseElements.ConsoleLogin = 'Failure', 'failure', 'success') AS outcome,
    if(isIPv4String(r.sourceIPAddress) OR isIPv6String(r.sourceIPAddress), r.sourceIPAddress, '') AS src_ip,
    r.userAgent AS user_agent,
    multiIf(length(r.resources) > 0, r.resources[1].ARN,
            r.requestParameters.bucketName != '', concat('arn:aws:s3:::', r.requestParameters.bucketName),
            r.requestParameters.roleArn) AS resource,
    if(src_ip != '', [src_ip], []) AS ips,
    arrayDistinct(arrayFilter(x -> x != '', [r.userIdentity.arn, r.userIdentity.accessKeyId,
        r.userIdentity.sessionContext.sessionIssuer.arn, r.userIdentity.userName,
        r.requestParameters.roleArn, r.requestParameters.userName,
        r.responseElements.credentials.accessKeyId, r.responseElements.accessKey.accessKeyId,
        r.responseElements.assumedRoleUser.arn])) AS principals"""


class CloudTrail(JsonRecords):
    name = "cloudtrail"
    record_type = _FIELDS
    columns = _COLUMNS

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key) or _DIGEST.search(key))

    def skip_reason(self, key: str) -> str:
        return DIGEST if _DIGEST.search(key) else ""
