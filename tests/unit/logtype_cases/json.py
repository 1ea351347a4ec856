"""Generic `json` log type (any NDJSON object of an unknown log): hand-made cases.

One JSON object per line; blank lines are skipped; line numbers count every physical line.
Mapping: ts comes from the FIRST of these top-level keys that is present:
    timestamp, time, @timestamp, eventTime, ts
(a key later in the list is ignored when an earlier one is present; nested keys never count).
Accepted values: ISO 8601 strings (with "Z", with an offset such as +02:00 -> converted to UTC,
fractional seconds kept to the millisecond) and epoch numbers: seconds (fractions allowed)
when the number is below 1e11, milliseconds otherwise (PROPOSED heuristic).
With none of the keys, nothing is asserted ("common" is {} for that record: the implementation
chooses ts, e.g. the ingestion time, as CloudTrail does). Every other column stays empty and the
whole record is kept in raw.
Malformed: a line that is not valid JSON is an error at its 1-based line number; the others load.
Timestamps in "ts" are UTC, formatted "YYYY-MM-DD HH:MM:SS.mmm".
"""

CASES = [
    {
        "name": 'json ISO 8601 timestamp key',
        "key": 'exports/app/2024/01/02/events.jsonl',
        "content": (
            '{"timestamp":"2024-01-02T03:04:05.678Z","level":"info","msg":"started"}\n'
            '{"timestamp":"2024-01-02T03:04:06Z","level":"warn","msg":"slow"}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:04:05.678'},
            {'ts': '2024-01-02 03:04:06.000'},
        ],
    },
    {
        "name": 'json epoch seconds, fractional seconds and milliseconds',
        "key": 'exports/app/2024/01/02/epoch.ndjson',
        "content": (
            '{"time":1704164645,"event":"login","user":"alice"}\n'
            '{"time":1704164645.5,"event":"mfa"}\n'
            '{"ts":1704164645123,"event":"logout"}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:04:05.000'},
            {'ts': '2024-01-02 03:04:05.500'},
            {'ts': '2024-01-02 03:04:05.123'},
        ],
    },
    {
        "name": 'json key precedence and UTC offsets',
        "key": 'exports/app/2024/01/02/precedence.json',
        "content": (
            '{"ts":"1999-12-31T23:59:59Z","eventTime":"2024-01-02T03:04:05Z","eventName":"X"}\n'
            '{"time":"2000-01-01T00:00:00Z","timestamp":"2024-01-02T03:04:06Z"}\n'
            '{"@timestamp":"2024-01-02T05:04:07.250+02:00","message":"offset"}\n'
            '{"eventTime":1704164648,"ts":1}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:04:05.000'},
            {'ts': '2024-01-02 03:04:06.000'},
            {'ts': '2024-01-02 03:04:07.250'},
            {'ts': '2024-01-02 03:04:08.000'},
        ],
    },
    {
        "name": 'json records without a top-level time key',
        "key": 'exports/app/2024/01/02/no-time.jsonl',
        "content": (
            '{"user":"bob","action":"view"}\n'
            '{"meta":{"timestamp":"2024-01-02T03:04:05Z"},"note":"nested keys do not count"}\n'
        ),
        "common": [
            {},
            {},
        ],
    },
    {
        "name": 'json blank and invalid lines',
        "key": 'exports/app/2024/01/02/broken.jsonl.gz',
        "content": (
            '{"timestamp":"2024-01-02T03:04:05Z","n":1}\n'
            '\n'
            '{"timestamp": "2024-01-02T03:04:06Z", "n": \n'
            '{"timestamp":"2024-01-02T03:04:07Z","n":3}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:04:05.000'},
            {'ts': '2024-01-02 03:04:07.000'},
        ],
        "errors": [(3, 'invalid JSON')],
    },
]
