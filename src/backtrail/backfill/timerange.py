"""`--since` / `--until` values: dates, ISO times, or ages such as `7d`, `12h`, `30m`."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from ..core.errors import ConfigError

_AGE = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(value: str, now: datetime | None = None) -> datetime:
    now = now or datetime.now(timezone.utc)
    value = value.strip()
    if m := _AGE.match(value):
        return now - timedelta(**{_UNITS[m[2]]: int(m[1])})
    if value == "now":
        return now
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"not a time: {value!r} (use 2026-11-01, 2026-11-01T12:00:00Z, 7d or 12h)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def days(since: datetime, until: datetime) -> list[date]:
    if until < since:
        raise ConfigError(f"--until ({until:%Y-%m-%d %H:%M}) is before --since ({since:%Y-%m-%d %H:%M})")
    first, last = since.date(), until.date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
