"""Generic JSON lines (`json`): any log with one JSON object per line, chosen with `--type json`.

It never claims a key by itself. The time is the first top-level key present among
`timestamp`, `time`, `@timestamp`, `eventTime`, `ts` (nested keys never count; a null or empty
value counts as absent): an ISO 8601 string (offsets converted to UTC), or an epoch number, in
seconds below 1e11 and in milliseconds otherwise. Without one the record gets the ingestion
time. Every other common column stays empty; the record is kept whole in `raw`.
"""
from __future__ import annotations

from .jsonrecords import JsonRecords

TIME_KEYS = ("timestamp", "time", "@timestamp", "eventTime", "ts")

# Each key is extracted as text: a string as it is, a number as written.
_FIELDS = "Tuple(" + ", ".join(f"`{k}` String" for k in TIME_KEYS) + ")"

_COLUMNS = f"""
    arrayFirst(v -> v != '', [{', '.join(f'r.{i}' for i in range(1, len(TIME_KEYS) + 1))}]) AS time_value,
    toFloat64OrNull(time_value) AS epoch,
    coalesce(if(isFinite(epoch) AND abs(epoch) < 1e15,
                fromUnixTimestamp64Milli(toInt64(round(if(abs(epoch) < 1e11, epoch * 1000, epoch))), 'UTC'),
                parseDateTime64BestEffortOrNull(time_value, 3, 'UTC')),
             now64(3, 'UTC')) AS ts,
    'json' AS source_type,
    '' AS event_id,
    '' AS account_id,
    '' AS region,
    '' AS actor,
    '' AS actor_type,
    '' AS action,
    '' AS outcome,
    '' AS src_ip,
    '' AS user_agent,
    '' AS resource,
    CAST([], 'Array(String)') AS ips,
    CAST([], 'Array(String)') AS principals"""


class JsonLines(JsonRecords):
    name = "json"
    record_type = _FIELDS
    columns = _COLUMNS

    def recognises(self, key: str) -> bool:
        return False
