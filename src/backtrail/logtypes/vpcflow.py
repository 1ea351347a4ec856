"""VPC Flow Logs and Transit Gateway flow logs, as delivered to S3 (plain text or Parquet).

One record per line, space separated, `-` for a value that does not apply. An S3 delivery starts
with a header line naming the fields of the flow log's format (any order, any subset, versions 2
to 11, Transit Gateway's version 6 fields); an object without one is read in the v2 default
order. Field names are AWS's, lower-cased, with `-` and `:` turned into `_` (`log_status`).
NODATA / SKIPDATA records are kept: their `log_status` tags them and their addresses are null.

A Parquet delivery (`PAR1`) is turned into the same text while it is framed: a header line of
its column names, then one line per row, nulls as `-`, one row group at a time.

Common columns: `ts` from `start` (else `end`, else the file name's 5-minute window); no event id
(a record has no identity of its own); the account and region of the record, else of the key (a
record's account may be `unknown`); `action` as written (none for Transit Gateway) and `outcome`
from it; `src_ip` is empty without a `srcaddr` (NODATA, SKIPDATA); `resource` the interface, else
the resource id (a regional NAT gateway), else the Transit Gateway attachment.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from typing import BinaryIO, Iterator

from .base import RecordError
from .lines import DelimitedLines, ips_of, sql_list

V2_FIELDS = ("version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport",
             "protocol", "packets", "bytes", "start", "end", "action", "log_status")
"""The default format (and the order of a header-less object)."""
VPC_FIELDS = V2_FIELDS + (
    "vpc_id", "subnet_id", "instance_id", "tcp_flags", "type", "pkt_srcaddr", "pkt_dstaddr",  # 3
    "region", "az_id", "sublocation_type", "sublocation_id",  # 4
    "pkt_src_aws_service", "pkt_dst_aws_service", "flow_direction", "traffic_path",  # 5
    "ecs_cluster_arn", "ecs_cluster_name", "ecs_container_instance_arn", "ecs_container_instance_id",
    "ecs_container_id", "ecs_second_container_id", "ecs_service_name", "ecs_task_definition_arn",
    "ecs_task_arn", "ecs_task_id",  # 7
    "reject_reason",  # 8
    "resource_id",  # 9
    "encryption_status",  # 10
    "interface_type", "next_hop_interface_id", "next_hop_subnet_id", "next_hop_az_id",
    "next_hop_vpc_id", "next_hop_interface_type", "instance_tag", "interface_tag",  # 11
)
TGW_FIELDS = (
    "version", "resource_type", "account_id", "tgw_id", "tgw_attachment_id", "tgw_src_vpc_account_id",
    "tgw_dst_vpc_account_id", "tgw_src_vpc_id", "tgw_dst_vpc_id", "tgw_src_subnet_id", "tgw_dst_subnet_id",
    "tgw_src_eni", "tgw_dst_eni", "tgw_src_az_id", "tgw_dst_az_id", "tgw_pair_attachment_id", "srcaddr",
    "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "log_status", "type",
    "packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
    "packets_lost_ttl_expired", "tcp_flags", "region", "flow_direction", "pkt_src_aws_service",
    "pkt_dst_aws_service",
)
KNOWN_FIELDS = frozenset(VPC_FIELDS + TGW_FIELDS)
_INTEGERS = ("version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp_flags",
             "traffic_path", "encryption_status", "packets_lost_no_route", "packets_lost_blackhole",
             "packets_lost_mtu_exceeded", "packets_lost_ttl_expired")

_LAYOUT = re.compile(r"(^|/)AWSLogs/(o-[a-z0-9]+/)?"
                     r"(\d{12}/vpcflowlogs/|aws-account-id=\d{12}/aws-service=vpcflowlogs/)")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:-]*\Z")
_PARQUET = b"PAR1"
_HEAD, _MAX_HEADER = 64 << 10, 1 << 20

# Account and region of the key, plain (`AWSLogs/<acct>/vpcflowlogs/<region>/`) or Hive-style
# (`AWSLogs/aws-account-id=<acct>/aws-service=vpcflowlogs/aws-region=<region>/`). No `(?:^|/)`
# before AWSLogs: that alternation makes the regex several times slower (`recognises` has checked
# the layout already). `object` is LowCardinality: they run once per object.
_KEY_ACCOUNT = "extract(object, 'AWSLogs/(?:o-[a-z0-9]+/)?(?:aws-account-id=)?([0-9]+)/')"
_KEY_REGION = ("extract(object, 'AWSLogs/(?:o-[a-z0-9]+/)?(?:aws-account-id=)?[0-9]+/"
               "(?:aws-service=)?vpcflowlogs/(?:aws-region=)?([a-z0-9-]+)/')")
# The file name's 5-minute window (`_20240514T1200Z_`): the time of a record without start or end.
_KEY_TIME = "extract(object, '_([0-9]{8}T[0-9]{4})Z_[^/]*$')"


def normal_names(line: str) -> str:
    """A header line as field names: lower case, `-` and `:` as `_`."""
    return line.lower().replace("-", "_").replace(":", "_")


_V2_HEADER = " ".join(V2_FIELDS)
_USED = ("start", "end", "account_id", "region", "action", "srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr",
         "interface_id", "resource_id", "tgw_attachment_id", "tgw_id")


def _position(name: str) -> str:
    """SQL of the field's position among the tokens (0 when the object's names lack it; the first,
    should a name repeat), counted in the names as LowCardinality: once per object, not per record."""
    return f"toUInt32(countSubstrings(extract(names_line, '^(.*? ){name} '), ' '))"


def _value(name: str) -> str:
    """SQL `vf_<name>`: the field by its position ('' for `-` or absent), cheaper than `f[name]`."""
    return f"if(t[{_position(name)}] = '-', '', t[{_position(name)}]) AS vf_{name}"


class FlowLogs(DelimitedLines):
    name = "vpcflow"
    field_types = {k: int for k in _INTEGERS}
    tokens = "splitByChar(' ', raw)"
    # `frame` writes the header line with its names normalised, and returns that line.
    names = f"if(header = '' OR header = '{_V2_HEADER}', {sql_list(V2_FIELDS)}, splitByChar(' ', header))"
    # The header line is framed with its records (so line numbers hold); it is not a record.
    is_record = "raw != '' AND raw != header"
    columns = f"""
        concat(' ', toLowCardinality(if(header = '', '{_V2_HEADER}', header)), ' ') AS names_line,
        {", ".join(_value(name) for name in _USED)},
        toInt64OrNull(vf_start) AS started,
        multiIf(isNotNull(started), toDateTime64(assumeNotNull(started), 3, 'UTC'),
                vf_end != '', toDateTime64(toInt64OrZero(vf_end), 3, 'UTC'),
                toDateTime64(parseDateTimeOrZero({_KEY_TIME}, '%Y%m%dT%H%i', 'UTC'), 3, 'UTC')) AS ts,
        'vpcflow' AS source_type,
        '' AS event_id,
        if(length(vf_account_id) = 12 AND toUInt64OrZero(vf_account_id) > 0, vf_account_id, {_KEY_ACCOUNT}) AS account_id,
        if(vf_region != '', vf_region, {_KEY_REGION}) AS region,
        '' AS actor,
        '' AS actor_type,
        vf_action AS action,
        multiIf(action = 'ACCEPT', 'success', action = 'REJECT', 'failure', '') AS outcome,
        vf_srcaddr AS src_ip,
        '' AS user_agent,
        multiIf(vf_interface_id != '', vf_interface_id, vf_resource_id != '', vf_resource_id,
                vf_tgw_attachment_id != '', vf_tgw_attachment_id, vf_tgw_id) AS resource,
        {ips_of("vf_srcaddr", "vf_dstaddr", "vf_pkt_srcaddr", "vf_pkt_dstaddr")} AS ips,
        CAST([] AS Array(String)) AS principals"""
    problem = """multiIf(
        length(t) < length(n), concat('too few fields: ', toString(length(t)), ' of ', toString(length(n))),
        length(t) > length(n), concat('too many fields: ', toString(length(t)), ' of ', toString(length(n))), '')"""

    def recognises(self, key: str) -> bool:
        return bool(_LAYOUT.search(key))

    def skip_reason(self, key: str) -> str:
        return ""

    def header_of(self, first_lines: bytes) -> str:
        """The first line, its names normalised, when it names fields: its first name is a known one,
        or all its words are names and one is known (a format starting with a tag field)."""
        line = first_lines.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
        names = normal_names(line).split(" ")
        if names[0] in KNOWN_FIELDS or (all(_NAME.match(w) for w in line.split(" "))
                                        and not KNOWN_FIELDS.isdisjoint(names)):
            return " ".join(names)
        return ""

    def frame(self, content: BinaryIO, out: BinaryIO, index: int) -> str:
        """Lines as they are but the header line, written with its names normalised (so the engine
        need not normalise them on every line); Parquet as the same text."""
        first = content.read(len(_PARQUET))
        if first == _PARQUET:
            return self._frame_parquet(first, content, out, index)
        while b"\n" not in first and len(first) < _MAX_HEADER:
            more = content.read(_HEAD)
            if not more:
                break
            first += more
        header = self.header_of(first)
        if header:
            end = first.find(b"\n")
            end = len(first) if end < 0 else end
            first = header.encode() + (b"\r" if first[end - 1:end] == b"\r" else b"") + first[end:]
        super().frame(_Prepended(first, content), out, index)
        return header

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        if not text.startswith(_PARQUET):
            yield from super().salvage(text)
            return
        try:
            lines = b"".join(_parquet_text(io.BytesIO(text), b"")).rstrip(b"\n")
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError…
            yield RecordError(0, f"unreadable Parquet object: {exc}")
            return
        yield from lines.split(b"\n")

    def _frame_parquet(self, head: bytes, content: BinaryIO, out: BinaryIO, index: int) -> str:
        """Write a Parquet object as text. Parquet is read from its end: a plain file is read where it
        is, a decompressed stream is first copied to a temporary file beside the batch file."""
        if isinstance(content, io.BufferedReader) and isinstance(content.raw, io.FileIO):
            content.seek(0)
            return _write_parquet_text(content, out, index)
        name = getattr(out, "name", None)
        with tempfile.TemporaryFile(dir=os.path.dirname(name) if isinstance(name, str) else None) as spool:
            spool.write(head)
            shutil.copyfileobj(content, spool, 1 << 20)
            spool.seek(0)
            return _write_parquet_text(spool, out, index)


class _Prepended:
    """A stream whose first bytes were already read."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.rest.read(size)
        head, self.head = self.head, b""
        if size < 0:
            return head + self.rest.read()
        return head + self.rest.read(max(size - len(head), 0))


def _write_parquet_text(source: BinaryIO, out: BinaryIO, index: int) -> str:
    """Append the Parquet object as framed lines of object `index`; returns its header."""
    header = ""
    for chunk in _parquet_text(source, b"%d " % index):
        if not header:
            header = chunk.split(b"\n", 1)[0].split(b" ", 1)[1].decode()
        out.write(chunk)
    return header


def _parquet_text(source: BinaryIO, prefix: bytes) -> Iterator[bytes]:
    """The header line, then the rows of each row group as lines, each line starting with `prefix`."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(source)
    names = parquet.schema_arrow.names
    yield prefix + normal_names(" ".join(names)).encode() + b"\n"
    start, end, dash = pa.scalar(prefix.decode()), pa.scalar(""), pa.scalar("-")
    for group in range(parquet.num_row_groups):
        table = parquet.read_row_group(group)
        if table.num_rows == 0:
            continue
        columns = []
        for column in table.columns:
            text = column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
            text = pc.fill_null(text, dash)
            columns.append(pc.if_else(pc.equal(text, end), dash, text))
        lines = pc.binary_join_element_wise(*columns, " ")
        if prefix:
            lines = pc.binary_join_element_wise(start, lines, "")
        lines = pc.binary_join_element_wise(lines, end, "\n")
        for chunk in lines.chunks:
            yield _string_data(chunk)
        del table, columns, lines


def _string_data(array) -> bytes:
    """The concatenated values of a string array without nulls."""
    offsets = memoryview(array.buffers()[1]).cast("i")
    first, last = offsets[array.offset], offsets[array.offset + len(array)]
    return bytes(memoryview(array.buffers()[2])[first:last])
