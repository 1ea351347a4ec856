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
_KINDS = (ALB_FIELDS, NLB_FIELDS, CLASSIC_FIELDS)
_KIND = "multiIf(t[1] = 'tls', 2, match(t[1], '^[0-9]{4}-'), 3, 1)"
"""SQL: the line's kind, an index of `_KINDS`."""


def _position(*names: str) -> str:
    """SQL of the position of the first of the names the line's kind has (0 if none): fields are
    read by position, cheaper than from the map."""
    at = [next((k.index(n) + 1 for n in names if n in k), 0) for k in _KINDS]
    return f"[{', '.join(map(str, at))}][kind]"


def _value(*names: str) -> str:
    """SQL of the field (the first of the names the kind has), '' for `-` or absent."""
    return f"if(t[{_position(*names)}] = '-', '', t[{_position(*names)}])"


# The request is "METHOD URL PROTOCOL" (the URL may hold spaces); a malformed one is "- - - ". The URL lies
# between the first and the last space; a request that is not UTF-8 is kept whole (as the regex did).
_REQUEST = f"trimRight({_value('request')})"
_METHOD = "replaceOne(substringIndex(request, ' ', 1), '-', '')"
_URL = ("if(countSubstrings(request, ' ') < 2, '', if(isValidUTF8(request), substring(request, position(request, ' ') + 1,"
        " length(request) - position(request, ' ') - length(substringIndex(request, ' ', -1)) - 1),"
        " replaceRegexpOne(if(isValidUTF8(request), '', request), '^[^ ]* (.*) [^ ]*$', '\\1')))")


class LoadBalancer(DelimitedLines):
    name = "alb"
    field_types = {**{k: int for k in _INTEGERS}, **{k: float for k in _FLOATS}}
    tokens = quoted_tokens("raw")
    names = f"CAST([{', '.join(sql_list(k) for k in _KINDS)}] AS Array(Array(LowCardinality(String))))[{_KIND}]"
    columns = f"""
        {_KIND} AS kind,
        {_REQUEST} AS request,
        parseDateTime64BestEffortOrNull({_value('time', 'timestamp')}, 3, 'UTC') AS parsed_ts,
        coalesce(parsed_ts, toDateTime64(0, 3, 'UTC')) AS ts,
        'alb' AS source_type,
        if({_value('trace_id')} AS trace_id != '', trace_id, {_value('conn_trace_id')}) AS event_id,
        {key_account()} AS account_id,
        {key_region('elasticloadbalancing')} AS region,
        '' AS actor,
        '' AS actor_type,
        if(kind = 2, 'TLS', {_METHOD}) AS action,
        multiIf({_value('elb_status_code')} AS status = '',
                if(kind = 2 AND {_value('incoming_tls_alert')} != '', 'failure', ''),
                toUInt16OrZero(status) >= 400, 'failure', 'success') AS outcome,
        {address_of(_value('client_port'))} AS src_ip,
        {_value('user_agent')} AS user_agent,
        if(kind = 2, {_value('elb')}, if({_URL} AS url = '-', '', url)) AS resource,
        {ips_of('src_ip', address_of(_value('target_port', 'destination_port', 'backend_port')))} AS ips,
        [] AS principals"""
    problem = f"""multiIf({unbalanced_quotes('raw')}, 'unterminated quoted value',
        length(t) < [12, 12, 11][kind], concat('too few fields: ', toString(length(t))),
        isNull(parsed_ts), 'unreadable time', '')"""

    def position_of(self, name: str) -> str:
        return _position(name)

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))

    def skip_reason(self, key: str) -> str:
        return ""
