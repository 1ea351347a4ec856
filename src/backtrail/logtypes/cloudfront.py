"""Amazon CloudFront standard logs (W3C extended format, delivered to S3).

A log file starts with `#Version: 1.0` and `#Fields: ...`, the names of the values of each
record, in order; the records are tab separated. Older files name fewer fields (26 in 2018, up to
fle-encrypted-fields); a file without a `#Fields` line is read in the documented 33-field order.
Field names are the W3C names lower-cased, `cs(User-Agent)` turned into `cs_user_agent` and `-`
into `_`. Values are URL-encoded (spaces, `%`, quotes…): every value is decoded once, which gives
back what the viewer sent. A last line may lack its last values: those are absent, not an error.
`-` is a missing value; sc-status `000` means the viewer closed the connection before the response.

Objects are keyed `[prefix/]<distribution ID>.YYYY-MM-DD-HH.<unique ID>.gz`, which names no
account and no region.

Common columns: ts from date and time, event_id the edge request ID, action the method, outcome
`failure` from status 400 or `000`, src_ip the viewer (c-ip), ips with the X-Forwarded-For addresses,
resource the URL requested (`<protocol>://<host header><path>[?<query>]`).
"""
from __future__ import annotations

import re

from .lines import DelimitedLines, ips_in, sql_list

DEFAULT_FIELDS = (
    "date", "time", "x_edge_location", "sc_bytes", "c_ip", "cs_method", "cs_host", "cs_uri_stem", "sc_status",
    "cs_referer", "cs_user_agent", "cs_uri_query", "cs_cookie", "x_edge_result_type", "x_edge_request_id",
    "x_host_header", "cs_protocol", "cs_bytes", "time_taken", "x_forwarded_for", "ssl_protocol", "ssl_cipher",
    "x_edge_response_result_type", "cs_protocol_version", "fle_status", "fle_encrypted_fields", "c_port",
    "time_to_first_byte", "x_edge_detailed_result_type", "sc_content_type", "sc_content_len", "sc_range_start",
    "sc_range_end",
)
"""The fields of the current format, in order (a file without a `#Fields` line)."""
MIN_FIELDS = 26
"""A record holds at least the fields of the 2018 format (or all of its header's, if fewer)."""
_INTEGERS = ("sc_status", "sc_bytes", "cs_bytes", "c_port", "sc_content_len")
_FLOATS = ("time_taken", "time_to_first_byte")

_LAYOUT = re.compile(r"[A-Z0-9]{6,}\.\d{4}-\d{2}-\d{2}-\d{2}\.[A-Za-z0-9]+(\.gz)?$")
_FIELDS_LINE = b"#Fields:"
_BRACKETED = re.compile(r"\(([^)]*)\)")


def field_name(w3c_name: str) -> str:
    """`cs(User-Agent)` -> `cs_user_agent`, `x-edge-location` -> `x_edge_location`."""
    return _BRACKETED.sub(r"_\1", w3c_name.strip()).lower().replace("-", "_")


_USED = ("date", "time", "x_edge_request_id", "cs_method", "sc_status", "c_ip", "cs_user_agent", "cs_uri_stem",
         "cs_protocol", "x_host_header", "cs_host", "cs_uri_query", "x_forwarded_for")


def _position(name: str) -> str:
    """SQL of the field's position: the default one when the header is, else counted in the header
    (0 when it lacks the field) as LowCardinality: once per object, not once per record."""
    return (f"if(header = '', {DEFAULT_FIELDS.index(name) + 1},"
            f" toUInt32(countSubstrings(extract(header_names, '^(.* ){name} '), ' ')))")


def _value(name: str) -> str:
    """SQL `cf_<name>`: the field by its position ('' for `-` or absent), cheaper than `f[name]`."""
    return f"if(t[{_position(name)}] = '-', '', t[{_position(name)}]) AS cf_{name}"


class CloudFrontLogs(DelimitedLines):
    name = "cloudfront"
    field_types = {**{k: int for k in _INTEGERS}, **{k: float for k in _FLOATS}}
    tokens = "arrayMap(v -> decodeURLComponent(v), splitByChar('\\t', raw))"
    # The header holds our names of the `#Fields` line's fields, '' for the default ones (see `header_of`).
    names = f"if(header = '', {sql_list(DEFAULT_FIELDS)}, splitByChar(' ', header))"
    is_record = "raw != '' AND NOT startsWith(raw, '#')"
    columns = f"""
        concat(' ', toLowCardinality(header), ' ') AS header_names,
        {", ".join(_value(name) for name in _USED)},
        parseDateTimeOrNull(concat(cf_date, ' ', cf_time), '%Y-%m-%d %H:%i:%S', 'UTC') AS parsed_ts,
        toDateTime64(coalesce(parsed_ts, toDateTime(0, 'UTC')), 3, 'UTC') AS ts,
        'cloudfront' AS source_type,
        cf_x_edge_request_id AS event_id,
        '' AS account_id,
        '' AS region,
        '' AS actor,
        '' AS actor_type,
        cf_cs_method AS action,
        multiIf(cf_sc_status = '', '', toUInt16OrZero(cf_sc_status) BETWEEN 1 AND 399, 'success', 'failure') AS outcome,
        cf_c_ip AS src_ip,
        cf_cs_user_agent AS user_agent,
        if(cf_cs_uri_stem = '', '', concat(if(cf_cs_protocol = '', '', concat(cf_cs_protocol, '://')),
            if(cf_x_host_header != '', cf_x_host_header, cf_cs_host), cf_cs_uri_stem,
            if(cf_cs_uri_query = '', '', concat('?', cf_cs_uri_query)))) AS resource,
        {ips_in("arrayConcat([src_ip], splitByChar(',', replaceAll(cf_x_forwarded_for, ' ', '')))")} AS ips,
        CAST([] AS Array(String)) AS principals"""
    problem = f"""multiIf(length(t) < least(length(n), {MIN_FIELDS}),
            concat('too few fields: ', toString(length(t)), ' of ', toString(length(n))),
        isNull(parsed_ts), 'unreadable time', '')"""

    def position_of(self, name: str) -> str:
        return _position(name)

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))

    def skip_reason(self, key: str) -> str:
        return ""

    def header_of(self, first_lines: bytes) -> str:
        """Our names of the fields of the `#Fields:` line among the leading `#` lines, space separated;
        '' when there is none or when they are the default fields (a constant list is cheaper)."""
        for line in first_lines.split(b"\n", 8)[:8]:
            if line.startswith(_FIELDS_LINE):
                names = tuple(field_name(n) for n in line[len(_FIELDS_LINE):].decode("utf-8", "replace").split())
                return "" if names == DEFAULT_FIELDS else " ".join(names)
            if not line.startswith(b"#"):
                break
        return ""
