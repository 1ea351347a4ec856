"""Elastic Load Balancing access logs: Application (ALB), Network (NLB, TLS listeners), Classic.

One line per request, space separated, some values in double quotes. The kind is read per line:
a leading `tls 2.0` is an NLB line, a leading timestamp a Classic one, anything else an ALB
line whose first value is the request type (`http`, `https`, `h2`, `grpcs`, `ws`, `wss`).
Fields AWS appends in later versions are named when known and ignored when not; lines of
older, shorter versions lack the fields they predate.
"""
from __future__ import annotations

import re

from .lines import DelimitedLines, address_of, ips_of, key_account, key_region, quoted_tokens, sql_list, \
    unbalanced_quotes

ALB_FIELDS = (
    "type", "time", "elb", "client_port", "target_port", "request_processing_time",
    "target_processing_time", "response_processing_time", "elb_status_code", "target_status_code",
    "received_bytes", "sent_bytes", "request", "user_agent", "ssl_cipher", "ssl_protocol",
    "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn", "matched_rule_priority",
    "request_creation_time", "actions_executed", "redirect_url", "error_reason", "target_port_list",
    "target_status_code_list", "classification", "classification_reason", "conn_trace_id",
    "transformed_host", "transformed_uri", "request_transform_status",
)
NLB_FIELDS = (
    "type", "version", "time", "elb", "listener", "client_port", "destination_port", "connection_time",
    "tls_handshake_time", "received_bytes", "sent_bytes", "incoming_tls_alert", "chosen_cert_arn",
    "chosen_cert_serial", "tls_cipher", "tls_protocol_version", "tls_named_group", "domain_name",
    "alpn_fe_protocol", "alpn_be_protocol", "alpn_client_preference_list", "tls_connection_creation_time",
)
CLASSIC_FIELDS = (
    "timestamp", "elb", "client_port", "backend_port", "request_processing_time", "backend_processing_time",
    "response_processing_time", "elb_status_code", "backend_status_code", "received_bytes", "sent_bytes",
    "request", "user_agent", "ssl_cipher", "ssl_protocol",
)
_INTEGERS = ("elb_status_code", "target_status_code", "backend_status_code", "received_bytes", "sent_bytes",
             "matched_rule_priority", "connection_time", "tls_handshake_time")
_FLOATS = ("request_processing_time", "target_processing_time", "response_processing_time",
           "backend_processing_time")
_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?\d{12}/elasticloadbalancing/")

# The request is "METHOD URL PROTOCOL" (the URL may hold spaces); a malformed one is "- - - ".
_REQUEST = "trimRight(f['request'])"
_METHOD = f"replaceOne(substringIndex({_REQUEST}, ' ', 1), '-', '')"
_URL = (f"if(countSubstrings({_REQUEST}, ' ') < 2, '', replaceRegexpOne({_REQUEST}, '^[^ ]* (.*) [^ ]*$', '\\1'))")


class LoadBalancer(DelimitedLines):
    name = "alb"
    field_types = {**{k: int for k in _INTEGERS}, **{k: float for k in _FLOATS}}
    tokens = quoted_tokens("raw")
    names = (f"multiIf(t[1] = 'tls', {sql_list(NLB_FIELDS)}, match(t[1], '^[0-9]{{4}}-'),"
             f" {sql_list(CLASSIC_FIELDS)}, {sql_list(ALB_FIELDS)})")
    columns = f"""
        parseDateTime64BestEffortOrNull(if(f['time'] != '', f['time'], f['timestamp']), 3, 'UTC') AS parsed_ts,
        coalesce(parsed_ts, toDateTime64(0, 3, 'UTC')) AS ts,
        'alb' AS source_type,
        if(f['trace_id'] != '', f['trace_id'], f['conn_trace_id']) AS event_id,
        {key_account()} AS account_id,
        {key_region('elasticloadbalancing')} AS region,
        '' AS actor,
        '' AS actor_type,
        if(t[1] = 'tls', 'TLS', {_METHOD}) AS action,
        multiIf(f['elb_status_code'] = '', if(t[1] = 'tls' AND f['incoming_tls_alert'] != '', 'failure', ''),
                toUInt16OrZero(f['elb_status_code']) >= 400, 'failure', 'success') AS outcome,
        {address_of("f['client_port']")} AS src_ip,
        f['user_agent'] AS user_agent,
        if(t[1] = 'tls', f['elb'], if({_URL} = '-', '', {_URL})) AS resource,
        {ips_of('src_ip', address_of("f['target_port']"), address_of("f['backend_port']"),
                address_of("f['destination_port']"))} AS ips,
        [] AS principals"""
    problem = f"""multiIf({unbalanced_quotes('raw')}, 'unterminated quoted value',
        length(t) < (if(t[1] = 'tls', 12, if(match(t[1], '^[0-9]{{4}}-'), 11, 12))),
            concat('too few fields: ', toString(length(t))),
        isNull(parsed_ts), 'unreadable time', '')"""

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))

    def skip_reason(self, key: str) -> str:
        return ""
