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


def sql_list(names) -> str:
    return "[" + ", ".join(f"'{n}'" for n in names) + "]"


def sql_tuple(names) -> str:
    """A set for `IN` (a hash lookup, where `has` over a list compares with every name)."""
    return "(" + ", ".join(f"'{n}'" for n in names) + ")"


def quoted_tokens(raw: str) -> str:
    """SQL splitting a line on spaces, except inside double quotes (unquoted; `\\"` is a quote).

    A list of quoted values (`"h2","http/1.1"`) stays one value, as written. A line of tokens
    separated by single spaces, with neither `\\"` nor such a list (nearly every line), is split
    without an array per quoted segment: the spaces of its unquoted segments become \\x03 and the
    whole is split once (~1.5x cheaper). Any other line is split segment by segment."""
    joined = ("arrayStringConcat(arrayMap((s, i) -> if(i % 2 = 0, s, replaceAll(s, ' ', '\\x03')),"
              f" splitByChar('\"', {raw}) AS segs, arrayEnumerate(segs)), '\\x05')")
    # Each segment boundary (\\x05) touches a space of the unquoted side, or the line's start or end;
    # no empty token between two spaces; no marker byte in the line itself.
    simple = (f"(NOT multiSearchAny({raw}, ['\\\\\"', '\",\"', '\\x01', '\\x02', '\\x03', '\\x05'])"
              f" AND countSubstrings({joined} AS joined, '\\x03\\x05') + countSubstrings(joined, '\\x05\\x03')"
              " + startsWith(joined, '\\x05') + endsWith(joined, '\\x05') = length(segs) - 1"
              " AND position(joined, '\\x03\\x03') = 0 AND NOT startsWith(joined, '\\x03') AND NOT endsWith(joined, '\\x03'))")
    general = _exact_tokens(f"if(simple, '', {raw})")
    return f"if({simple} AS simple, splitByChar('\\x03', replaceAll(joined, '\\x05', '')), {general})"


def _exact_tokens(raw: str) -> str:
    """The general split: `\\"` is \\x01 and `","` \\x02 while the line is split on its quotes."""
    return (f"arrayFlatten(arrayMap((s, i) -> if(i % 2 = 0, [if(position(s, '\\x02') > 0,"
            " concat('\"', replaceAll(s, '\\x02', '\",\"'), '\"'), replaceAll(s, '\\x01', '\"'))],"
            " arrayFilter(x -> x != '', splitByChar(' ', s))),"
            f" splitByChar('\"', replaceAll(replaceAll({raw}, '\\\\\"', '\\x01'), '\",\"', '\\x02'))"
            " AS segments, arrayEnumerate(segments)))")


def unbalanced_quotes(raw: str) -> str:
    """SQL true when a line has an unterminated quoted value."""
    return f"(countSubstrings({raw}, '\"') - countSubstrings({raw}, '\\\\\"')) % 2 = 1"


def key_account(object_name: str = "object") -> str:
    """SQL of the account id in an `AWSLogs/<account>/` key, '' when the key has none.

    (On a LowCardinality value the regex runs once per object, not once per record.)"""
    return f"toString(extract(toLowCardinality({object_name}), 'AWSLogs/(?:o-[a-z0-9]+/)?([0-9]+)/'))"


def key_region(service: str, object_name: str = "object") -> str:
    """SQL of the region following `AWSLogs/<account>/<service>/` in a key, '' when absent."""
    return (f"toString(extract(toLowCardinality({object_name}),"
            f" 'AWSLogs/(?:o-[a-z0-9]+/)?[0-9]+/{service}/([a-z0-9-]+)/'))")


def ips_in(array: str) -> str:
    """SQL of the distinct IP addresses in an Array(String)."""
    return f"arrayDistinct(arrayFilter(x -> isIPv4String(x) OR isIPv6String(x), {array}))"


def ips_of(*values: str) -> str:
    """SQL of the distinct IP addresses among the values."""
    return ips_in(f"[{', '.join(values)}]")


def address_of(ip_port: str) -> str:
    """SQL of the IP of an `ip:port` value as AWS writes it (`10.0.0.1:80`, `2001:db8::1:443`, `[::1]:80`)."""
    return f"trimBoth(replaceRegexpOne({ip_port}, ':[0-9]+$', ''), '[]')"


class DelimitedLines:
    name = ""
    field_types: dict = {}
    # Short-circuit evaluation would copy the token and field columns once per branch of every
    # `if`/`multiIf` (10x slower); every branch here is cheap and cannot fail.
    settings = "short_circuit_function_evaluation = 'disable'"
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

    def position_of(self, name: str) -> str:
        """SQL of the field's position among the tokens `t` (0 when the record has none), '' when
        only the map knows it. May use the aliases of `columns`."""
        return ""

    def engine_records(self) -> str:
        # `_row_number` is the line's in the file; rowNumberInAllBlocks() depends on which thread
        # gets a block first.
        return ("SELECT trimRight(substring(line, position(line, ' ') + 1), '\\r') AS raw,"
                " toUInt32(substring(line, 1, position(line, ' ') - 1)) AS o,"
                " _row_number + 1 - {starts:Array(UInt64)}[o + 1] AS position"
                " FROM file({path:String}, 'LineAsString')")

    def engine_rows(self, records_sql: str) -> str:
        # Missing values are padded with `-`, which the map leaves out.
        return (f"SELECT {self.columns}, raw, f AS fields, {self._problem()} AS problem, position, object, backfill_id"
                f" FROM (SELECT raw, position, object, backfill_id, header, t, n,"
                " mapFilter((k, v) -> v != '-', mapFromArrays(n, arrayResize(t, length(n), '-')))"
                f" AS f FROM (SELECT *, {self.tokens} AS t, {self.names} AS n FROM ({records_sql}) WHERE {self.is_record}))")

    def _problem(self) -> str:
        """The subclass's `problem`, else the first typed field (in line order) whose value is not a number."""
        typed = [(k, "Int64" if t is int else "Float64") for k, t in self.field_types.items()]
        if not typed:
            return self.problem
        if not self.position_of(typed[0][0]):
            checks = [f"(k IN {sql_tuple([k for k, c in typed if c == kind])} AND isNull(to{kind}OrNull(v)))"
                      for kind in ("Int64", "Float64") if any(c == kind for _, c in typed)]
            bad = f"arrayFirst((k, v) -> {' OR '.join(checks)}, mapKeys(f), mapValues(f))"
            return (f"multiIf(({self.problem}) AS own != '', own, ({bad}) AS bad != '',"
                    " concat('not a number: ', bad, ' = ', f[bad]), '')")
        # Positions of the typed fields whose value (present, not `-`) is not a number; the first.
        bad = ", ".join(f"if(({self.position_of(k)}) AS p_{k} > 0 AND p_{k} <= length(t) AND t[p_{k}] != '-'"
                        f" AND isNull(to{kind}OrNull(t[p_{k}])), p_{k}, 4294967295)" for k, kind in typed)
        return (f"multiIf(({self.problem}) AS own != '', own, least({bad}) AS bad < 4294967295,"
                " concat('not a number: ', n[bad], ' = ', t[bad]), '')")

    def salvage(self, text: bytes) -> Iterator[bytes | RecordError]:
        """Every line as it is: the engine finds the malformed ones, by line number."""
        yield from text.rstrip(b"\n").split(b"\n")
