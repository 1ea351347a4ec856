"""Route 53 Resolver (VPC Resolver) query logs: gzipped JSON lines, one DNS query per line.

Delivered under `AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/`. The query name and
type are the resource and action, the querying address the source; the answers' addresses are
kept with it in `ips`. A DNS Firewall action stays in `raw` (`firewall_rule_action`).
"""
from __future__ import annotations

import re

from .jsonrecords import JsonRecords
from .lines import ips_in, key_account

_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/vpcdnsquerylogs/")

_FIELDS = """Tuple(
    query_timestamp String, account_id String, region String, query_name String, query_type String,
    rcode String, srcaddr String, srcids Tuple(instance String, resolver_endpoint String),
    answers Array(Tuple(Rdata String)))"""

_COLUMNS = f"""
    coalesce(parseDateTime64BestEffortOrNull(r.query_timestamp, 3, 'UTC'), now64(3, 'UTC')) AS ts,
    'route53resolver' AS source_type,
    '' AS event_id,
    if(r.account_id != '', r.account_id, {key_account()}) AS account_id,
    r.region AS region,
    if(r.srcids.instance != '', r.srcids.instance, r.srcids.resolver_endpoint) AS actor,
    multiIf(r.srcids.instance != '', 'instance', r.srcids.resolver_endpoint != '', 'resolver_endpoint', '')
        AS actor_type,
    r.query_type AS action,
    if(r.rcode = 'NOERROR', 'success', 'failure') AS outcome,
    if(isIPv4String(r.srcaddr) OR isIPv6String(r.srcaddr), r.srcaddr, '') AS src_ip,
    '' AS user_agent,
    r.query_name AS resource,
    {ips_in("arrayConcat([r.srcaddr], arrayMap(a -> a.Rdata, r.answers))")} AS ips,
    [] AS principals"""


class ResolverQueryLogs(JsonRecords):
    name = "route53resolver"
    record_type = _FIELDS
    columns = _COLUMNS

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))
