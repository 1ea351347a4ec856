"""Log types by name, and recognition of a type from an object key."""
from __future__ import annotations

from ..core.errors import ConfigError
from .base import LogType
from .cloudtrail import CloudTrail

LOG_TYPES: dict[str, LogType] = {t.name: t for t in (CloudTrail(),)}


def get(name: str) -> LogType:
    try:
        return LOG_TYPES[name]
    except KeyError:
        raise ConfigError(f"unknown log type {name!r}; known: {', '.join(sorted(LOG_TYPES))}") from None


def recognise(key: str) -> LogType | None:
    return next((t for t in LOG_TYPES.values() if t.recognises(key)), None)
