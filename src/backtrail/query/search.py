"""The search syntax people type, compiled to a parameterized WHERE clause.

    eventName:AssumeRole src_ip:10.0.* "AKIAEXAMPLE" NOT outcome:success (a OR b)

Terms join with AND unless OR stands between them; NOT or `-` negates; parentheses group.
`field:value` matches a common column, a per-type field (`elb_status_code:502`), or any other
field of a JSON record by its dotted path (`userIdentity.type:Root`); `*` is a wildcard; `src_ip:10.0.0.0/8` matches a CIDR range;
bare or quoted text matches whole words of the raw record, ignoring case (`"10.0.0.1"` is not in
`110.0.0.15`), and `*` at an end of it leaves that end open (`AKIA*`, `*admin*`). Values never
reach SQL text: each becomes a `{pN:String}` parameter.
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
_WORD = re.compile(r"[0-9A-Za-z\x80-\U0010ffff]+")
"""A word as the engine's `hasToken` and `splitByNonAlpha` see one: ASCII letters and digits, and
any non-ASCII character; every other ASCII character separates words."""
_SEPARATOR = r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
_BOUND = (f"(?:^|{_SEPARATOR})", f"(?:$|{_SEPARATOR})")



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
        core = text.strip("*")
        if not core:
            return "1"
        # A closed end is one not left open by `*` and on a word: the record must not go on with a word there.
        start = not text.startswith("*") and bool(_WORD.match(core[0]))
        end = not text.endswith("*") and bool(_WORD.match(core[-1]))
        # The substring first (cheap), then the word boundaries, then each word every match holds
        # whole: an index of the words of lower(raw) skips the granules without one of them.
        found = [f"positionCaseInsensitive(raw, {self.param(core)}) > 0"]
        if start or end:
            pattern = "".join(c if _WORD.match(c) else f"\\x{ord(c):02x}" for c in _ascii_lower(core))
            found.append(f"match(lower(raw), {self.param(_BOUND[0] * start + pattern + _BOUND[1] * end)})")
        words = dict.fromkeys(_whole_words(core, start, end))
        found += [f"hasToken(lower(raw), {self.param(w)})" for w in words]
        return found[0] if len(found) == 1 else f"({' AND '.join(found)})"

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


def _whole_words(text: str, start: bool, end: bool) -> list[str]:
    """The words of `text` (ASCII-lowercased) whole in every record holding it: all but those
    touching an open end."""
    return [_ascii_lower(m[0]) for m in _WORD.finditer(text)
            if (m.start() > 0 or start) and (m.end() < len(text) or end)]


def _ascii_lower(text: str) -> str:
    """As the engine's lower(): ASCII letters only."""
    return text.encode().lower().decode()


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _like(value: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", value).replace("*", "%")
