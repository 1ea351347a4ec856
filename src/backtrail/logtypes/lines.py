"""Log types whose records are delimited lines: ALB, VPC Flow, S3 access, CloudFront…

An object is framed into the batch file line by line, each line prefixed with the object's
number (`7 <line>`), so the engine reads every object of a batch as one `LineAsString` stream.
A line is split into tokens in the engine (`tokens`), the tokens are named (`names`: fixed, or
from the object's header line, which `frame` returns), and the named values become the
`fields` map, `-` placeholders left out. A subclass gives the names, the common `columns` (SQL
over the map `f`, the tokens `t` and `object`), which lines are records, and what makes a
record malformed.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

from .base import RecordError

_CHUNK = 1 << 20
_INTEGER = "^(-?[0-9]+)?$"
_FLOAT = "^(-?[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?)?$"


def sql_list(names) -> str:
    return "[" + ", ".join(f"'{n}'" for n in names) + "]"


def quoted_tokens(raw: str) -> str:
    """SQL splitting a line on spaces, except inside double quotes (unquoted; `\\"` is a quote)."""
    return (f"arrayFlatten(arrayMap((s, i) -> if(i % 2 = 0, [replaceAll(s, '\\x01', '\"')],"
            " arrayFilter(x -> x != '', splitByChar(' ', s))),"
            f" splitByChar('\"', replaceAll({raw}, '\\\\\"', '\\x01')) AS segments, arrayEnumerate(segments)))")


def unbalanced_quotes(raw: str) -> str:
    """SQL true when a line has an unterminated quoted value."""
    return f"countSubstrings(replaceAll({raw}, '\\\\\"', ''), '\"') % 2 = 1"


def key_account(object_name: str = "object") -> str:
    """SQL of the account id in an `AWSLogs/<account>/` key, '' when the key has none."""
    return f"extract({object_name}, '(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?([0-9]+)/')"


def key_region(service: str, object_name: str = "object") -> str:
    """SQL of the region following `AWSLogs/<account>/<service>/` in a key, '' when absent."""
    return f"extract({object_name}, '(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?[0-9]+/{service}/([a-z0-9-]+)/')"


def ips_of(*values: str) -> str:
    """SQL of the distinct IP addresses among the values."""
    return (f"arrayDistinct(arrayFilter(x -> isIPv4String(x) OR isIPv6String(x), [{', '.join(values)}]))")


def host_of(address: str) -> str:
    """SQL of the IP of an `ip:port` or `[ipv6]:port` value (an IPv6 address without port stays whole)."""
    return (f"if(isIPv6String({address}) OR isIPv4String({address}), {address},"
            f" trimBoth(replaceRegexpOne({address}, ':[0-9]+$', ''), '[]'))")


def trim_brackets(value: str) -> str:
    return f"trimBoth({value}, '[]')"


class DelimitedLines:
    name = ""
    field_types: dict = {}
    tokens = ""
    """SQL: the tokens of the line `raw`, an Array(String)."""
    names = ""
    """SQL: the field names of the tokens, in order, from the tokens `t` and the object's `header`."""
    is_record = "raw != ''"
    """SQL: the line is a record (not a header, comment or blank line)."""
    columns = ""
    """SQL of the common columns but `ingested_at`, from the fields `f`, the tokens `t` and `object`."""
    problem = "''"
    """SQL: why the record is malformed, '' when it is not; may use `ts`, `f`, `t`, `n`."""

    def header_of(self, first_lines: bytes) -> str:
        """The object's header line from the start of its content, '' when it has none."""
        return ""

    def frame(self, content: BinaryIO, out: BinaryIO, index: int) -> str:
        prefix = b"%d " % index
        newline = b"\n" + prefix
        chunk = content.read(_CHUNK)
        header = self.header_of(chunk)
        out.write(prefix)
        while chunk:
            out.write(chunk.replace(b"\n", newline))
            chunk = content.read(_CHUNK)
        out.write(b"\n")
        return header

    def engine_records(self) -> str:
        return ("SELECT trimRight(substring(line, position(line, ' ') + 1), '\\r') AS raw,"
                " toUInt32(substring(line, 1, position(line, ' ') - 1)) AS o, rowNumberInAllBlocks() + 1 AS position"
                " FROM file({path:String}, 'LineAsString')")

    def engine_rows(self, records_sql: str) -> str:
        return (f"SELECT {self.columns}, raw, f AS fields, {self._problem()} AS problem, position, object, backfill_id"
                f" FROM (SELECT raw, position, object, backfill_id, header, t, n,"
                " mapFilter((k, v) -> v != '-', mapFromArrays(arraySlice(n, 1, length(t)), arraySlice(t, 1, length(n))))"
                f" AS f FROM (SELECT *, {self.tokens} AS t, {self.names} AS n FROM ({records_sql}) WHERE {self.is_record}))")

    def _problem(self) -> str:
        """The subclass's `problem`, else the first typed field whose value is not a number."""
        checks = [f"arrayFirst(k -> NOT match(f[k], '{pattern}'), {sql_list(names)})"
                  for pattern, names in ((_INTEGER, [k for k, t in self.field_types.items() if t is int]),
                                         (_FLOAT, [k for k, t in self.field_types.items() if t is float])) if names]
        if not checks:
            return self.problem
        bad = checks[0] if len(checks) == 1 else f"if(({checks[0]}) AS bad_int != '', bad_int, {checks[1]})"
        return (f"multiIf(({self.problem}) AS own != '', own, ({bad}) AS bad != '',"
                " concat('not a number: ', bad, ' = ', f[bad]), '')")

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        """Every line as it is: the engine finds the malformed ones, by line number."""
        yield from text.rstrip(b"\n").split(b"\n")
