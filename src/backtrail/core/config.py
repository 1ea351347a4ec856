"""The sources file (TOML): what to ingest from where. Pure parsing and validation; nothing is touched.

Every problem is a ConfigError naming the file and the key path, e.g.
``sources.toml: sources[1].queues[0].role: must be "live" or "backfill", not "lvie"``."""
from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from backtrail.core.errors import ConfigError

MiB = 1024 * 1024


@dataclass(frozen=True)
class AwsConfig:
    endpoint_url: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class WorkerConfig:
    visibility_timeout: int = 300  # seconds
    max_bytes_in_flight: int = 256 * MiB
    threads: int = 2


@dataclass(frozen=True)
class ScalingConfig:  # see ingest/scaling.py: the model behind `backtrail scale` and the desired-workers gauge
    min_workers: int = 1
    max_workers: int = 10
    objects_per_worker_s: int = 50  # one worker's throughput, until the worker measures its own
    drain_within: int = 900  # seconds: a backlog clears within this of its oldest message's arrival
    scale_down_after: int = 300  # seconds a lower count must hold before scaling down


@dataclass(frozen=True)
class AlertsConfig:
    webhook: str | None = None  # new alerts are POSTed there as JSON
    rules: tuple[str, ...] = ()  # rule directories besides the project's pack


@dataclass(frozen=True)
class QueueConfig:
    url: str  # http(s) SQS queue URL or sqlite:///abs/path?name=NAME
    role: Literal["live", "backfill"]

    @property
    def kind(self) -> Literal["sqlite", "sqs"]:
        return "sqlite" if self.url.startswith("sqlite:") else "sqs"

    @property
    def sqlite_path(self) -> str:  # only for kind == "sqlite"
        return unquote(urlsplit(self.url).path)

    @property
    def sqlite_name(self) -> str:  # only for kind == "sqlite"
        return parse_qs(urlsplit(self.url).query)["name"][0]


@dataclass(frozen=True)
class SourceConfig:
    name: str
    type: str
    objects: str  # s3://bucket[/prefix] or file:///abs/dir[/prefix]
    queues: tuple[QueueConfig, ...]
    max_receives: int = 5  # deliveries before dead-lettering (sqlite queues)

    @property
    def live(self) -> tuple[QueueConfig, ...]:
        return tuple(q for q in self.queues if q.role == "live")

    @property
    def backfill(self) -> tuple[QueueConfig, ...]:
        return tuple(q for q in self.queues if q.role == "backfill")


@dataclass(frozen=True)
class Config:
    path: str
    aws: AwsConfig
    data_dir: str | None  # as written; None when the file has no [store].data_dir
    worker: WorkerConfig
    sources: tuple[SourceConfig, ...]
    alerts: AlertsConfig = AlertsConfig()
    scaling: ScalingConfig = ScalingConfig()

    def source(self, name: str) -> SourceConfig:
        if found := [s for s in self.sources if s.name == name]:
            return found[0]
        known = ", ".join(s.name for s in self.sources)
        raise ConfigError(f"{self.path}: no source named {name!r}; known: {known}")


# --- validation: each table has a spec {key: (TOML type, required, test, what passes the test)} ------
Spec = dict[str, tuple[type, bool, Callable[[Any], Any] | None, str]]
_TOML = {str: "a string", int: "an integer", float: "a float", bool: "a boolean", list: "an array",
         dict: "a table", dt.datetime: "a datetime", dt.date: "a date", dt.time: "a time"}


def _quoted(choices: Collection[str]) -> str:
    ordered = list(choices) if isinstance(choices, Sequence) else sorted(choices)  # sets: stable messages
    q = [json.dumps(c, ensure_ascii=False) for c in ordered] or ["(nothing known)"]
    return f"{', '.join(q[:-1])} or {q[-1]}" if len(q) > 1 else q[0]


def _re(pattern: str) -> Callable[[str], Any]:
    return re.compile(pattern).fullmatch


_TOP: Spec = {**{k: (dict, False, None, "") for k in ("aws", "store", "worker", "alerts", "scaling")},
              "sources": (list, True, len, "a non-empty array of tables ([[sources]])")}
_AWS: Spec = {"endpoint_url": (str, False, _re(r"https?://[^/?#\s]+(/\S*)?"), "an http(s) URL"),
              "region": (str, False, _re(r"[a-z0-9-]{1,32}"), "a region name like us-east-1")}
_STORE: Spec = {"data_dir": (str, False, str.strip, "a directory")}
_WORKER: Spec = {
    "visibility_timeout": (int, False, lambda v: 30 <= v <= 43200, "between 30 and 43200"),
    "max_bytes_in_flight": (int, False, lambda v: v >= MiB, f"at least {MiB} (1 MiB)"),
    "threads": (int, False, lambda v: 1 <= v <= 16, "between 1 and 16")}
_ALERTS: Spec = {"webhook": (str, False, _re(r"https?://[^/?#\s]+(/\S*)?"), "an http(s) URL"),
                 "rules": (list, False, lambda v: all(isinstance(d, str) and d for d in v), "an array of directories")}
_SOURCE: Spec = {  # "type" is checked against the known log types by _parse
    "name": (str, True, _re(r"[a-z0-9_-]{1,64}"), "1 to 64 of a-z 0-9 _ -"),
    "type": (str, True, None, ""),
    "objects": (str, True, _re(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^?#\s]*)?|file:///[^?#\s]*"),
                "s3://bucket[/prefix] or file:///abs/dir[/prefix]"),
    "queues": (list, True, len, "a non-empty array of tables"),
    "max_receives": (int, False, lambda v: 1 <= v <= 1000, "between 1 and 1000")}
_QUEUE: Spec = {
    "url": (str, True, _re(r"https?://[^/?#\s]+/[^?#\s]+|sqlite:///[^?#\s]+\?name=[A-Za-z0-9_-]+"),
            "an http(s) SQS queue URL or sqlite:///abs/path?name=NAME"),
    "role": (str, True, ("live", "backfill").__contains__, _quoted(("live", "backfill")))}
_SCALING: Spec = {
    "min_workers": (int, False, lambda v: 0 <= v <= 1000, "between 0 and 1000"),
    "max_workers": (int, False, lambda v: 1 <= v <= 1000, "between 1 and 1000"),
    "objects_per_worker_s": (int, False, lambda v: 1 <= v <= 1_000_000, "between 1 and 1000000"),
    "drain_within": (int, False, lambda v: 60 <= v <= 7 * 86400, "between 60 and 604800 (seconds)"),
    "scale_down_after": (int, False, lambda v: 0 <= v <= 86400, "between 0 and 86400 (seconds)")}
_SECTIONS = (("aws", _AWS), ("store", _STORE), ("worker", _WORKER), ("alerts", _ALERTS), ("scaling", _SCALING))


def _table(raw: Any, spec: Spec, at: str) -> dict[str, Any]:
    """Check one TOML table against its spec (unknown keys, missing keys, types, values); `at` ends in '.'."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{at[:-1]}: must be a table, not {_TOML[type(raw)]}")
    if unknown := [k for k in raw if k not in spec]:
        raise ConfigError(f"{at}{unknown[0]}: unknown key; known: {', '.join(spec)}")
    for key, (kind, required, test, what) in spec.items():
        if key not in raw:
            if required:
                raise ConfigError(f"{at}{key}: required key missing")
        elif not isinstance(raw[key], kind) or (isinstance(raw[key], bool) and kind is not bool):
            raise ConfigError(f"{at}{key}: must be {_TOML[kind]}, not {_TOML[type(raw[key])]}")
        elif test is not None and not test(raw[key]):
            raise ConfigError(f"{at}{key}: must be {what}, not {json.dumps(raw[key], ensure_ascii=False)}")
    return raw  # absent optional keys take the dataclass defaults


def _parse(doc: dict[str, Any], path: str, known_types: Collection[str]) -> Config:
    top = _table(doc, _TOP, "")
    aws, store, worker, alerts, scaling = (_table(top.get(k, {}), spec, f"{k}.") for k, spec in _SECTIONS)
    if scaling.get("min_workers", 1) > scaling.get("max_workers", 10):
        raise ConfigError(f"scaling.min_workers: must be at most max_workers ({scaling.get('max_workers', 10)})")
    known_types = (known_types,) if isinstance(known_types, str) else known_types  # "alb" is not {"a", ...}
    source_spec = {**_SOURCE, "type": (str, True, known_types.__contains__, _quoted(known_types))}
    sources: list[SourceConfig] = []
    seen: dict[str, str] = {}  # source name or queue URL -> where it first appeared
    for i, raw_source in enumerate(top["sources"]):
        s = _table(raw_source, source_spec, f"sources[{i}].")
        queues = tuple(QueueConfig(**_table(q, _QUEUE, f"sources[{i}].queues[{j}]."))
                       for j, q in enumerate(s["queues"]))
        for at, value in [(f"sources[{i}].name", s["name"])] + [
                (f"sources[{i}].queues[{j}].url", q.url) for j, q in enumerate(queues)]:
            if (first := seen.setdefault(value, at)) != at:
                raise ConfigError(f"{at}: duplicate {value!r}, already at {first}")
        sources.append(SourceConfig(**{**s, "queues": queues}))
    alerts = AlertsConfig(alerts.get("webhook"), tuple(alerts.get("rules", ())))
    return Config(path, AwsConfig(**aws), store.get("data_dir"), WorkerConfig(**worker), tuple(sources), alerts,
                  ScalingConfig(**scaling))


def load_config(path: str, known_types: Collection[str] = ("cloudtrail",)) -> Config:
    """Read and validate a sources file; raise ConfigError naming the file and the key on any problem."""
    try:
        with open(path, "rb") as f:
            return _parse(tomllib.load(f), path, known_types)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None
