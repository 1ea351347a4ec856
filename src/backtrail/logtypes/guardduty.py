"""Amazon GuardDuty findings exported to S3: gzipped JSON lines, one finding per line.

Delivered under `AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz`; an
administrator exports its members' findings under its own account, so the account and region
are the finding's. A finding is updated in place, so its time is `updatedAt`. The finding type
is the action, the finding ARN the resource; the actor is the access key's user (or principal),
else the instance. The remote addresses of the observed action are its `ips`, the first its
source; the outcome tells whether the observed action failed or was blocked ('' for findings
without an action, such as attack sequences). Severity and the rest stay in `raw`.
"""
from __future__ import annotations

import re

from .jsonrecords import JsonRecords
from .lines import ips_in

_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/GuardDuty/")

_REMOTE = "remoteIpDetails Tuple(ipAddressV4 String, ipAddressV6 String)"
_FIELDS = f"""Tuple(
    id String, arn String, type String, accountId String, region String, createdAt String, updatedAt String,
    resource Tuple(resourceType String,
        accessKeyDetails Tuple(accessKeyId String, principalId String, userName String, userType String),
        instanceDetails Tuple(instanceId String)),
    service Tuple(action Tuple(actionType String,
        awsApiCallAction Tuple(userAgent String, errorCode String, {_REMOTE}),
        networkConnectionAction Tuple(blocked Bool, {_REMOTE}),
        portProbeAction Tuple(blocked Bool, portProbeDetails Array(Tuple({_REMOTE}))),
        dnsRequestAction Tuple(blocked Bool),
        kubernetesApiCallAction Tuple({_REMOTE}),
        rdsLoginAttemptAction Tuple({_REMOTE}))))"""


def _ips(details: str) -> str:
    return f"{details}.remoteIpDetails.ipAddressV4, {details}.remoteIpDetails.ipAddressV6"


_ACTION = "r.service.action"
_KEY = "r.resource.accessKeyDetails"
_REMOTE_IPS = (f"arrayConcat([{_ips(f'{_ACTION}.awsApiCallAction')}, {_ips(f'{_ACTION}.networkConnectionAction')}],"
               f" arrayFlatten(arrayMap(p -> [{_ips('p')}], {_ACTION}.portProbeAction.portProbeDetails)),"
               f" [{_ips(f'{_ACTION}.kubernetesApiCallAction')}, {_ips(f'{_ACTION}.rdsLoginAttemptAction')}])")
"""Every remote address a finding's action names."""

_COLUMNS = f"""
    coalesce(parseDateTime64BestEffortOrNull(r.updatedAt, 3, 'UTC'),
             parseDateTime64BestEffortOrNull(r.createdAt, 3, 'UTC'), now64(3, 'UTC')) AS ts,
    'guardduty' AS source_type,
    r.id AS event_id,
    r.accountId AS account_id,
    r.region AS region,
    multiIf({_KEY}.userName != '', {_KEY}.userName, {_KEY}.principalId != '', {_KEY}.principalId,
            r.resource.instanceDetails.instanceId) AS actor,
    if({_KEY}.userType != '', {_KEY}.userType, r.resource.resourceType) AS actor_type,
    r.type AS action,
    multiIf({_ACTION}.actionType = '', '',
            {_ACTION}.awsApiCallAction.errorCode != '' OR {_ACTION}.networkConnectionAction.blocked
                OR {_ACTION}.portProbeAction.blocked OR {_ACTION}.dnsRequestAction.blocked, 'failure',
            'success') AS outcome,
    if(empty(ips), '', ips[1]) AS src_ip,
    {_ACTION}.awsApiCallAction.userAgent AS user_agent,
    r.arn AS resource,
    {ips_in(_REMOTE_IPS)} AS ips,
    arrayDistinct(arrayFilter(x -> x != '', [{_KEY}.accessKeyId, {_KEY}.principalId, {_KEY}.userName]))
        AS principals"""


class GuardDutyFindings(JsonRecords):
    name = "guardduty"
    record_type = _FIELDS
    columns = _COLUMNS

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))
