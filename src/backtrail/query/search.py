"""The search syntax people type, compiled to a parameterized WHERE clause.

    eventName:AssumeRole src_ip:10.0.* "AKIAEXAMPLE" NOT outcome:success (a OR b)

Terms join with AND unless OR stands between them; NOT or `-` negates; parentheses group.
`field:value` matches a common column, a per-type field (`elb_status_code:502`), or any other
field of a JSON record by its dotted path (`userIdentity.type:Root`); `*` is a wildcard; `src_ip:10.0.0.0/8` matches a CIDR range;
a bare or quoted word matches anywhere in the raw record, ignoring case. Values never reach
SQL text: each becomes a `{pN:String}` parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.errors import QueryError
from ..core.schema import COMMON_COLUMNS

_TOKEN = re.compile(r'\s*(?:(\()|(\))|("(?:[^"\\]|\\.)*")|([^\s()"]+(?:"(?:[^"\\]|\\.)*")?))')
_FIELD = re.compile(r"^[A-Za-z_@][\w.@-]*$")
_ARRAYS = {"ips", "principals"}
_IP_COLUMNS = {"src_ip"}


@dataclass
class Compiled:
    where: str
    params: dict[str, str] = field(default_factory=dict)


def compile_search(text: str) -> Compiled:
    tokens = _tokenize(text)
    if not tokens:
        return Compiled("1")
    parser = _Parser(tokens)
    where = parser.or_expr()
    if parser.pos != len(tokens):
        raise QueryError(f"unexpected {tokens[parser.pos]!r} in search")
    return Compiled(where, parser.params)


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QueryError(f"cannot read the search at {text[pos:pos + 20]!r} (unbalanced quote?)")
        tokens.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens, self.pos, self.params = tokens, 0, {}

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def or_expr(self) -> str:
        parts = [self.and_expr()]
        while self.peek() in ("OR", "||"):
            self.pos += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def and_expr(self) -> str:
        parts = [self.not_expr()]
        while self.peek() not in (None, ")", "OR", "||"):
            if self.peek() in ("AND", "&&"):
                self.pos += 1
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def not_expr(self) -> str:
        token = self.peek()
        if token == "NOT":
            self.pos += 1
            return f"NOT {self.not_expr()}"
        if token and token.startswith("-") and len(token) > 1:
            self.tokens[self.pos] = token[1:]
            return f"NOT {self.not_expr()}"
        return self.atom()

    def atom(self) -> str:
        token = self.peek()
        if token is None:
            raise QueryError("the search ends where a term was expected")
        self.pos += 1
        if token == "(":
            inner = self.or_expr()
            if self.peek() != ")":
                raise QueryError("missing ')' in search")
            self.pos += 1
            return inner
        if token == ")":
            raise QueryError("unexpected ')' in search")
        name, sep, value = token.partition(":")
        if sep and _FIELD.match(name) and value:
            return self.field_term(name, _unquote(value))
        return self.text_term(_unquote(token))

    def param(self, value: str) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"{{{name}:String}}"

    def text_term(self, text: str) -> str:
        text = text.strip("*")
        return "1" if not text else f"positionCaseInsensitive(raw, {self.param(text)}) > 0"

    def field_term(self, name: str, value: str) -> str:
        if name in _IP_COLUMNS and re.fullmatch(r"[0-9a-fA-F.:]+/\d{1,3}", value):
            return f"((isIPv4String({name}) OR isIPv6String({name})) AND isIPAddressInRange({name}, {self.param(value)}))"
        wildcard = "*" in value
        target = self.param(_like(value) if wildcard else value)
        if name in _ARRAYS:
            return (f"arrayExists(x -> x LIKE {target}, {name})" if wildcard else f"has({name}, {target})")
        if name in COMMON_COLUMNS and name != "raw":
            column = f"toString({name})" if name in ("ts", "ingested_at") else name
            return f"{column} LIKE {target}" if wildcard else f"{column} = {target}"
        key, path = self.param(name), ", ".join(self.param(part) for part in name.split("."))
        if wildcard:
            return f"(fields[{key}] LIKE {target} OR JSONExtractString(raw, {path}) LIKE {target})"
        return (f"(fields[{key}] = {target} OR JSONExtractString(raw, {path}) = {target}"
                f" OR JSONExtractRaw(raw, {path}) = {target})")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _like(value: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", value).replace("*", "%")
