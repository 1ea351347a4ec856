"""Indicator search: what a responder knows (IPs, keys, ARNs, domains…) against every event.

Each indicator is typed from its shape and matched where that kind of value lives: addresses
in `ips` and `src_ip` or, whole, in the raw record; CIDR ranges against `ips`; access keys and
ARNs in `principals`, `actor`, `resource` or the raw record; account ids in `account_id` or the
raw record; domains and anything else as text in the raw record, ignoring case. Values never
reach SQL text: each is a `{iN:String}` parameter.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ..core.errors import QueryError

MAX_INDICATORS = 200
_ACCESS_KEY = re.compile(r"^(AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,124}$")
_ACCOUNT = re.compile(r"^\d{12}$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}\.?$", re.I)


@dataclass(frozen=True)
class Indicator:
    value: str
    kind: str  # ip, cidr, access_key, arn, account_id, domain, text

    def search(self) -> str:
        """The same indicator in the search syntax (`backtrail search`)."""
        quoted = '"' + self.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return {"ip": f"ips:{self.value} OR {quoted}", "cidr": f"ips:{self.value}",
                "access_key": f"principals:{self.value} OR {quoted}", "arn": f"principals:{self.value} OR {quoted}",
                "account_id": f"account_id:{self.value} OR {quoted}"}.get(self.kind, quoted)


def classify(value: str) -> Indicator:
    value = value.strip()
    if not value:
        raise QueryError("an empty indicator")
    try:
        return Indicator(str(ipaddress.ip_address(value)), "ip")
    except ValueError:
        pass
    if "/" in value:
        try:
            return Indicator(str(ipaddress.ip_network(value, strict=False)), "cidr")
        except ValueError:
            pass
    if _ACCESS_KEY.match(value):
        return Indicator(value, "access_key")
    if value.startswith("arn:"):
        return Indicator(value, "arn")
    if _ACCOUNT.match(value):
        return Indicator(value, "account_id")
    if _DOMAIN.match(value):
        return Indicator(value.rstrip(".").lower(), "domain")
    return Indicator(value, "text")


def parse_indicators(values: list[str]) -> list[Indicator]:
    """Typed indicators, duplicates and `#` comment lines left out."""
    found: dict[str, Indicator] = {}
    for value in values:
        if value.strip() and not value.lstrip().startswith("#"):
            indicator = classify(value)
            found.setdefault(indicator.value, indicator)
    if not found:
        raise QueryError("no indicators given")
    if len(found) > MAX_INDICATORS:
        raise QueryError(f"{len(found)} indicators: at most {MAX_INDICATORS} at a time")
    return list(found.values())


def condition(indicator: Indicator, param: str) -> tuple[str, dict[str, str]]:
    """SQL true for the events mentioning the indicator, and its parameters."""
    p = f"{{{param}:String}}"
    if indicator.kind == "ip":  # whole: 10.0.0.1 must not match 10.0.0.15 (but may be followed by :port)
        if ":" in indicator.value:
            pattern = f"(^|[^0-9A-Fa-f:]){re.escape(indicator.value)}($|[^0-9A-Fa-f:])"
        else:
            pattern = f"(^|[^0-9.]){re.escape(indicator.value)}($|[^0-9.]|[.][^0-9])"
        return (f"(has(ips, {p}) OR src_ip = {p} OR match(raw, {{{param}_re:String}}))",
                {param: indicator.value, f"{param}_re": pattern})
    if indicator.kind == "cidr":
        return (f"arrayExists(x -> (isIPv4String(x) OR isIPv6String(x)) AND isIPAddressInRange(x, {p}), ips)",
                {param: indicator.value})
    if indicator.kind in ("access_key", "arn"):
        return (f"(has(principals, {p}) OR actor = {p} OR resource = {p} OR position(raw, {p}) > 0)",
                {param: indicator.value})
    if indicator.kind == "account_id":
        return f"(account_id = {p} OR position(raw, {p}) > 0)", {param: indicator.value}
    return f"positionCaseInsensitive(raw, {p}) > 0", {param: indicator.value}


def hunt_sql(indicators: list[Indicator], where: str, limit_param: str) -> tuple[str, str, dict[str, str]]:
    """The per-indicator summary query, the merged timeline query, and their parameters."""
    conditions, params = [], {}
    for i, indicator in enumerate(indicators):
        sql, p = condition(indicator, f"i{i}")
        conditions.append(sql)
        params.update(p)
    any_match = "(" + " OR ".join(conditions) + ")"
    flags = "[" + ", ".join(f"if({c}, {i + 1}, 0)" for i, c in enumerate(conditions)) + "]"
    summary = ("SELECT n, count() AS events, min(ts) AS first_seen, max(ts) AS last_seen,"
               " arraySort(groupUniqArray(source_type)) AS sources FROM events"
               f" ARRAY JOIN arrayFilter(x -> x > 0, {flags}) AS n WHERE {any_match} AND {where} GROUP BY n")
    timeline = ("SELECT ts, source_type, action, outcome, src_ip, actor, resource, event_id, object,"
                f" arrayFilter(x -> x > 0, {flags}) AS matched FROM events WHERE {any_match} AND {where}"
                f" ORDER BY ts, event_id LIMIT {{{limit_param}:UInt32}}")
    return summary, timeline, params
