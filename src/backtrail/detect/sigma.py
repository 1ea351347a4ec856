"""Detection rules in a Sigma subset, compiled to a WHERE clause over `events`.

A rule's `logsource.service` names the log type (its `source_type`). Field names are the
source's own: a dotted JSON path for JSON types (`userIdentity.type`), the per-type field for
delimited ones (`dstport`, `elb_status_code`). A value matches case-insensitively and exactly,
`*`/`?` are wildcards, a list is any of its values (`|all`: every one), `null` is an absent or
empty field. Modifiers: contains, startswith, endswith, re, cidr, all, gt, gte, lt, lte, exists.
A detection item is a map (AND of its fields) or a list of maps (OR); the condition combines
them with and / or / not, parentheses, `1 of name*`, `all of name*`, `… of them`. Values never
reach SQL text: each becomes a `{rN:Type}` parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ConfigError
from ..logtypes import registry
from ..logtypes.lines import DelimitedLines

LEVELS = ("informational", "low", "medium", "high", "critical")
MODIFIERS = {"contains", "startswith", "endswith", "re", "cidr", "all", "gt", "gte", "lt", "lte", "exists"}
_KEYS = {"title", "id", "status", "description", "references", "author", "date", "modified", "level", "tags",
         "logsource", "detection", "falsepositives", "fields", "related", "license"}
_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")
_SAME_AS_COLUMN = {"cloudtrail": {"eventName": "action", "userIdentity.type": "actor_type", "awsRegion": "region"}}
"""JSON fields a common column holds unchanged: read from the column, no JSON parsed."""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    level: str
    source_type: str
    where: str
    params: dict[str, Any] = field(hash=False, compare=False)
    fields: tuple[str, ...] = ()
    path: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()


def load_rules(directories: list[str]) -> list[Rule]:
    """Every `*.yml` rule under the directories, compiled; a bad rule raises naming its file."""
    rules, seen = [], {}
    for directory in directories:
        for path in sorted(Path(directory).rglob("*.yml")):
            rule = load_rule(path)
            if rule.id in seen:
                raise ConfigError(f"{path}: rule id {rule.id!r} is also used by {seen[rule.id]}")
            seen[rule.id] = path
            rules.append(rule)
    return rules


def load_rule(path: Path) -> Rule:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return compile_rule(doc, str(path))
    except (yaml.YAMLError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def compile_rule(doc: Any, path: str = "") -> Rule:
    if not isinstance(doc, dict):
        raise ConfigError("a rule is a YAML mapping")
    if unknown := set(doc) - _KEYS:
        raise ConfigError(f"unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("id", "title", "logsource", "detection"):
        if key not in doc:
            raise ConfigError(f"missing {key!r}")
    level = doc.get("level", "medium")
    if level not in LEVELS:
        raise ConfigError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    service = (doc["logsource"] or {}).get("service")
    log_type = registry.get(str(service))
    compiler = _Compiler(log_type)
    where = compiler.detection(doc["detection"])
    return Rule(id=str(doc["id"]), title=str(doc["title"]), level=level, source_type=log_type.name,
                where=f"source_type = '{log_type.name}' AND {where}", params=compiler.params,
                fields=tuple(sorted(compiler.fields)), path=path, description=str(doc.get("description", "")),
                tags=tuple(doc.get("tags") or ()))


class _Compiler:
    def __init__(self, log_type):
        self.delimited = isinstance(log_type, DelimitedLines)
        self.columns = _SAME_AS_COLUMN.get(log_type.name, {})
        self.params: dict[str, Any] = {}
        self.fields: set[str] = set()

    def param(self, value: Any, kind: str = "String") -> str:
        name = f"r{len(self.params)}"
        self.params[name] = value
        return f"{{{name}:{kind}}}"

    def detection(self, detection: Any) -> str:
        if not isinstance(detection, dict) or "condition" not in detection:
            raise ConfigError("detection needs named items and a condition")
        items = {name: self.item(value) for name, value in detection.items() if name != "condition"}
        condition = detection["condition"]
        if isinstance(condition, list):
            condition = " or ".join(f"({c})" for c in condition)
        return _Condition(str(condition), items).parse()

    def item(self, value: Any) -> str:
        if isinstance(value, dict):  # tests on columns first: the JSON is parsed only for rows they keep
            tests = sorted((self.field(k, v) for k, v in value.items()), key=lambda sql: "JSON" in sql)
            return "(" + " AND ".join(tests) + ")" if tests else "1"
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return "(" + " OR ".join(self.item(v) for v in value) + ")"
        raise ConfigError("a detection item is a map of fields or a list of maps (keyword lists are not supported)")

    def field(self, spec: str, value: Any) -> str:
        name, *modifiers = str(spec).split("|")
        if unknown := set(modifiers) - MODIFIERS:
            raise ConfigError(f"{spec}: unknown modifier(s) {', '.join(sorted(unknown))}")
        self.fields.add(name)
        column = self.column(name, whole="contains" in modifiers or "exists" in modifiers)
        if "exists" in modifiers:
            return f"({column} != '')" if value else f"({column} = '')"
        values = value if isinstance(value, list) else [value]
        if not values:
            raise ConfigError(f"{spec}: an empty list matches nothing")
        if "all" in modifiers:
            return "(" + " AND ".join(self.test(column, modifiers, v) for v in values) + ")"
        return "(" + " OR ".join(self.any_of(column, modifiers, values)) + ")"

    def any_of(self, column: str, modifiers: list[str], values: list) -> list[str]:
        """Tests of which one must hold, in few passes over the column: the exact values in one
        set lookup, the substrings in one search for all of them, the rest one by one."""
        shapes = [_shape(modifiers, v) for v in values]
        tests = [self.test(column, modifiers, v) for v, shape in zip(values, shapes) if not shape]
        equal = [literal for kind, literal in filter(None, shapes) if kind == "equals"]
        inside = [literal for kind, literal in filter(None, shapes) if kind == "contains"]
        if equal:
            tests.append(f"lower({column}) IN {self.param([v.translate(_ASCII_LOWER) for v in equal], 'Array(String)')}")
        for at in range(0, len(inside), _NEEDLES):  # the engine's limit of needles per search
            tests.append(f"multiSearchAnyCaseInsensitiveUTF8({column},"
                         f" {self.param(inside[at:at + _NEEDLES], 'Array(String)')})")
        return tests

    def column(self, name: str, whole: bool) -> str:
        """The field's value as text; `whole`: an object or array as its JSON text (so `contains`
        looks inside it), else a scalar only (one parse of the record instead of two)."""
        if self.delimited:
            return f"fields[{self.param(name)}]"
        if name in self.columns:  # the same value, already a (LowCardinality) column
            return self.columns[name]
        path = ", ".join(self.param(part) for part in name.split("."))
        if not whole:
            return f"JSONExtractString(raw, {path})"
        return f"if(JSONType(raw, {path}) IN ('Object', 'Array'), JSONExtractRaw(raw, {path}), JSONExtractString(raw, {path}))"

    def test(self, column: str, modifiers: list[str], value: Any) -> str:
        if value is None:
            return f"{column} = ''"
        if isinstance(value, bool):
            value = "true" if value else "false"
        for op, sql in (("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<=")):
            if op in modifiers:
                return f"toFloat64OrNull({column}) {sql} {self.param(float(value), 'Float64')}"
        text = str(value)
        if "re" in modifiers:
            return f"match({column}, {self.param(text)})"
        if "cidr" in modifiers:
            return (f"((isIPv4String({column}) OR isIPv6String({column}))"
                    f" AND isIPAddressInRange({column}, {self.param(text)}))")
        pattern = _like(text)
        if "contains" in modifiers:
            pattern = f"%{pattern}%"
        elif "startswith" in modifiers:
            pattern = f"{pattern}%"
        elif "endswith" in modifiers:
            pattern = f"%{pattern}"
        if pattern == _escape(text):
            return f"lower({column}) = lower({self.param(text)})"
        return f"{column} ILIKE {self.param(pattern)}"


def _escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def _like(text: str) -> str:
    """A Sigma value as a LIKE pattern: `*` any run, `?` one character, `\\*` a literal star."""
    return "".join("%" if c is _ANY else "_" if c is _ONE else _escape(c) for c in _characters(text))


_ANY, _ONE = object(), object()
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
"""The engine's `lower`: ASCII letters only."""
_NEEDLES = 255


def _characters(text: str) -> list:
    """A Sigma value's characters, its wildcards `*` and `?` as `_ANY` and `_ONE` (`\\*` is a star)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "*?\\":
            out.append(text[i + 1])
            i += 2
            continue
        out.append(_ANY if c == "*" else _ONE if c == "?" else c)
        i += 1
    return out


def _shape(modifiers: list[str], value: Any) -> tuple[str, str] | None:
    """("equals", text) for a value the field must equal, ("contains", text) for one it must hold,
    None for any other test (a wildcard inside, a regex, an address range, a comparison…)."""
    if value is None or not isinstance(value, (str, int, float)) or set(modifiers) - {"contains"}:
        return None
    chars = _characters(("true" if value else "false") if isinstance(value, bool) else str(value))
    if "contains" not in modifiers and len(chars) > 2 and chars[0] is _ANY and chars[-1] is _ANY:
        chars, modifiers = chars[1:-1], ["contains"]
    if not chars or any(c is _ANY or c is _ONE for c in chars):
        return None
    return ("contains" if modifiers else "equals", "".join(chars))


class _Condition:
    """and / or / not, parentheses, `1 of x*`, `all of x*`, `1 of them`, `all of them`."""

    def __init__(self, text: str, items: dict[str, str]):
        self.tokens, self.pos, self.items = _TOKEN.findall(text), 0, items

    def parse(self) -> str:
        sql = self.or_()
        if self.pos != len(self.tokens):
            raise ConfigError(f"condition: unexpected {self.tokens[self.pos]!r}")
        return sql

    def peek(self) -> str | None:
        return self.tokens[self.pos].lower() if self.pos < len(self.tokens) else None

    def take(self) -> str:
        if self.pos >= len(self.tokens):
            raise ConfigError("condition ends too early")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def or_(self) -> str:
        parts = [self.and_()]
        while self.peek() == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def and_(self) -> str:
        parts = [self.not_()]
        while self.peek() == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def not_(self) -> str:
        if self.peek() == "not":
            self.take()
            return f"NOT {self.not_()}"
        return self.atom()

    def atom(self) -> str:
        token = self.take()
        if token == "(":
            inner = self.or_()
            if self.take() != ")":
                raise ConfigError("condition: missing ')'")
            return inner
        if token.lower() in ("1", "all", "any") and self.peek() == "of":
            self.take()
            target = self.take()
            names = [n for n in self.items if target == "them" or re.fullmatch(
                re.escape(target).replace(r"\*", ".*"), n)]
            if not names:
                raise ConfigError(f"condition: nothing matches {target!r}")
            joiner = " AND " if token.lower() == "all" else " OR "
            return "(" + joiner.join(self.items[n] for n in names) + ")"
        if token not in self.items:
            raise ConfigError(f"condition names {token!r}, which the detection does not define")
        return self.items[token]
