"""Amazon S3 server access logs.

One request per line, space separated: `bucket_owner bucket [time] remote_ip requester request_id
operation key "request_uri" http_status error_code bytes_sent object_size total_time
turn_around_time "referer" "user_agent" version_id host_id signature_version cipher_suite
authentication_type host_header tls_version access_point_arn acl_required source_region`. The
time (`[06/Feb/2019:00:00:38 +0000]`) is one value although it holds a space. Older lines stop
earlier (17 fields before version_id was added, 18 before host_id); fields AWS appends later are
ignored. Any value may be `-` (a bare `-` or `"-"`), e.g. a lifecycle action has no remote IP,
request or status. The key is kept URL-encoded, as written.

Objects are keyed `<prefix>YYYY-mm-DD-HH-MM-SS-<UniqueString>`, or with date-based partitioning
`<prefix><account>/<region>/<bucket>/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-<UniqueString>`: only that
form names an account and a region.

Common columns: actor the requester (actor_type from its form: IAMUser, AssumedRole, Root,
CanonicalUser, AWSService for `AmazonS3`), action the operation, outcome `failure` from status 400,
resource `arn:aws:s3:::<bucket>[/<key>]`, principals the requester and the access key of a
presigned URL (`X-Amz-Credential`, `AWSAccessKeyId`).
"""
from __future__ import annotations

import re

from .lines import DelimitedLines, sql_list

FIELDS = (
    "bucket_owner", "bucket", "time", "remote_ip", "requester", "request_id", "operation", "key",
    "request_uri", "http_status", "error_code", "bytes_sent", "object_size", "total_time",
    "turn_around_time", "referer", "user_agent", "version_id", "host_id", "signature_version",
    "cipher_suite", "authentication_type", "host_header", "tls_version", "access_point_arn",
    "acl_required", "source_region",
)
MIN_FIELDS = 17
"""The original format ends at user_agent; a line with fewer values is truncated."""
_INTEGERS = ("http_status", "bytes_sent", "object_size", "total_time", "turn_around_time")

_LAYOUT = re.compile(r"\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-Z]{16}$")
# `<account>/<region>/<bucket>/YYYY/MM/DD/<file>`: date-based partitioning. Read from the object name
# as LowCardinality, so the regex runs once per object, not once per record.
_PARTITION = "(?:^|[^0-9])([0-9]{12})/([a-z0-9-]+)/[^/]+/[0-9]{4}/[0-9]{2}/[0-9]{2}/[^/]+$"

# Tokens. A quoted value opens with a `"` after a space and closes with a `"` before a space or at
# the end of the line; S3 does not escape quotes, so any other `"` (a user agent ending `…1.1""`)
# is part of the value. The bracketed time is a quoted value too. Structural quotes become \x01,
# the line is split on them, the spaces of every unquoted segment become \x03 and the whole is split
# on \x03: no regex and a single array lambda per line. An unterminated quoted value (an even number
# of segments) appends the token \x06.
_MARKED = ("replaceAll(replaceAll(replaceOne(replaceOne(raw, ' [', ' \\x01'), '] ', '\\x01 '), ' \"', ' \\x01'),"
           " '\" ', '\\x01 ')")
_TOKENS = ("splitByChar('\\x03', concat(arrayStringConcat(arrayMap((s, i) -> if(i % 2 = 1, replaceAll(s, ' ', '\\x03'), s),"
           f" splitByChar('\\x01', if(endsWith(raw, '\"'), concat(substring({_MARKED} AS marked, 1, length(marked) - 1),"
           " '\\x01'), marked)) AS segments, arrayEnumerate(segments))),"
           " if(length(segments) % 2 = 0, '\\x03\\x06', '')))")
_UNTERMINATED = "t[-1] = '\\x06'"


def _value(name: str) -> str:
    """SQL of a field by its position, '' for `-` (the names are fixed: positions are cheaper than `f`)."""
    i = FIELDS.index(name) + 1
    return f"if(t[{i}] = '-', '', t[{i}])"


class S3AccessLogs(DelimitedLines):
    name = "s3access"
    field_types = {k: int for k in _INTEGERS}
    tokens = _TOKENS
    names = sql_list(FIELDS)
    columns = f"""
        parseDateTimeOrNull(t[3], '%d/%b/%Y:%H:%i:%S %z', 'UTC') AS parsed_ts,
        toDateTime64(coalesce(parsed_ts, toDateTime(0, 'UTC')), 3, 'UTC') AS ts,
        's3access' AS source_type,
        {_value('request_id')} AS event_id,
        extract(toLowCardinality(object) AS object_name, '{_PARTITION}') AS account_id,
        extract(object_name, '{_PARTITION.replace("([0-9]{12})", "[0-9]{12}")}') AS region,
        {_value('requester')} AS actor,
        multiIf(position(actor, ':assumed-role/') > 0, 'AssumedRole', position(actor, ':user/') > 0, 'IAMUser',
                endsWith(actor, ':root'), 'Root', actor = 'AmazonS3' OR endsWith(actor, '.amazonaws.com'), 'AWSService',
                length(actor) = 64 AND NOT startsWith(actor, 'arn:'), 'CanonicalUser', '') AS actor_type,
        {_value('operation')} AS action,
        multiIf(t[10] IN ('-', ''), '', toUInt16OrZero(t[10]) >= 400, 'failure', 'success') AS outcome,
        {_value('remote_ip')} AS src_ip,
        {_value('user_agent')} AS user_agent,
        concat('arn:aws:s3:::', t[2], if(t[8] = '-', '', concat('/', t[8]))) AS resource,
        if(isIPv4String(src_ip) OR isIPv6String(src_ip), [src_ip], []) AS ips,
        arrayFilter(x -> x != '', [if(actor_type IN ('', 'AWSService'), '', actor),
            extract(t[9], '[?&](?:X-Amz-Credential|AWSAccessKeyId)=([A-Z0-9]+)')]) AS principals"""
    problem = f"""multiIf({_UNTERMINATED}, 'unterminated quoted value',
        length(t) < {MIN_FIELDS}, concat('too few fields: ', toString(length(t))),
        isNull(parsed_ts), 'unreadable time', '')"""

    def position_of(self, name: str) -> str:
        return str(FIELDS.index(name) + 1)

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))

    def skip_reason(self, key: str) -> str:
        return ""
