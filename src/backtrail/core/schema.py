"""The tables every backend holds, in ClickHouse SQL (chDB and a ClickHouse server alike).

`events` has the common columns of DESIGN.md §4 and `fields`, the per-type fields of
delimited records (`elb_status_code`, `log_status`…); JSON records keep theirs in `raw`.
`objects` is the ledger: one row per object and state change, the latest row wins.
`backfills` holds the jobs (the latest row of an id wins), `backfill_prefixes` each job's
listing checkpoint per prefix, `backfill_objects` the job ledger: one row per job, object and
state (listed, done, failed, skipped, empty, cancelled), the most advanced state wins.
`errors` keeps every malformed record or unreadable object with its reason; records are
inserted into `incoming`, which routes each to `events` or `errors`.
"""

COMMON_COLUMNS = (
    "ts", "ingested_at", "source_type", "event_id", "account_id", "region", "actor",
    "actor_type", "action", "outcome", "src_ip", "user_agent", "resource", "ips",
    "principals", "object", "backfill_id", "raw",
)

EVENT_COLUMNS_DDL = """
    ts DateTime64(3, 'UTC'),
    ingested_at DateTime64(6, 'UTC'),
    source_type LowCardinality(String),
    event_id String,
    account_id LowCardinality(String),
    region LowCardinality(String),
    actor String,
    actor_type LowCardinality(String),
    action LowCardinality(String),
    outcome LowCardinality(String),
    src_ip String,
    user_agent String,
    resource String,
    ips Array(String),
    principals Array(String),
    object String,
    backfill_id LowCardinality(String),
    raw String CODEC(ZSTD(3)),
    fields Map(LowCardinality(String), String),
    INDEX ingested ingested_at TYPE minmax GRANULARITY 1
"""

TABLES = (
    f"""CREATE TABLE IF NOT EXISTS events ({EVENT_COLUMNS_DDL})
    ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (source_type, ts)
    SETTINGS fsync_after_insert = 1, fsync_part_directory = 1, index_granularity_bytes = 1048576,
        vertical_merge_algorithm_min_rows_to_activate = 1,
        vertical_merge_algorithm_min_columns_to_activate = 1, merge_max_block_size = 1024""",
    """CREATE TABLE IF NOT EXISTS objects (
        identity String,
        bucket String,
        key String,
        etag String,
        size UInt64,
        source_type LowCardinality(String),
        backfill_id LowCardinality(String),
        state LowCardinality(String),
        events UInt64,
        errors UInt64,
        reason String,
        updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
    ) ENGINE = ReplacingMergeTree(updated_at) ORDER BY identity
    SETTINGS fsync_after_insert = 1""",
    """CREATE TABLE IF NOT EXISTS backfills (
        id String,
        sources Array(String),
        url String,
        prefixes Array(String),
        since Nullable(DateTime64(3, 'UTC')),
        until Nullable(DateTime64(3, 'UTC')),
        options String,
        state LowCardinality(String),
        created_at DateTime64(3, 'UTC'),
        started_at Nullable(DateTime64(3, 'UTC')),
        planned_at Nullable(DateTime64(3, 'UTC')),
        finished_at Nullable(DateTime64(3, 'UTC')),
        summary String,
        notify String,
        updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
    ) ENGINE = ReplacingMergeTree(updated_at) ORDER BY id
    SETTINGS fsync_after_insert = 1""",
    """CREATE TABLE IF NOT EXISTS backfill_prefixes (
        backfill_id String,
        prefix String,
        after_key String,
        done UInt8,
        updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
    ) ENGINE = ReplacingMergeTree(updated_at) ORDER BY (backfill_id, prefix)
    SETTINGS fsync_after_insert = 1""",
    """CREATE TABLE IF NOT EXISTS backfill_objects (
        backfill_id String,
        identity String,
        bucket String,
        key String,
        size UInt64,
        day Date,
        source_type LowCardinality(String),
        account_id LowCardinality(String),
        region LowCardinality(String),
        state LowCardinality(String),
        events UInt64,
        reason String,
        updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
    ) ENGINE = ReplacingMergeTree(updated_at) ORDER BY (backfill_id, identity, state)
    SETTINGS fsync_after_insert = 1""",
    """CREATE TABLE IF NOT EXISTS alerts (
        rule_id LowCardinality(String),
        title String,
        level LowCardinality(String),
        ts DateTime64(3, 'UTC'),
        raised_at DateTime64(3, 'UTC') DEFAULT now64(3),
        source_type LowCardinality(String),
        event_id String,
        event_key String,
        object String,
        src_ip String,
        actor String,
        action String,
        backfill_id LowCardinality(String)
    ) ENGINE = MergeTree ORDER BY (rule_id, event_key)""",
    """CREATE TABLE IF NOT EXISTS errors (
        at DateTime64(3, 'UTC') DEFAULT now64(3),
        ingested_at DateTime64(6, 'UTC'),
        object String,
        source_type LowCardinality(String),
        position UInt64,
        error String,
        fragment String
    ) ENGINE = MergeTree ORDER BY (object, at)""",
)

OBJECT_COPIES = """CREATE TABLE IF NOT EXISTS object_copies (
        identity String,
        ingested_at DateTime64(6, 'UTC'),
        events UInt64,
        recorded_at DateTime64(6, 'UTC') DEFAULT now64(6)
    ) ENGINE = MergeTree ORDER BY (identity, ingested_at)
    SETTINGS fsync_after_insert = 1"""
"""Every completed write of an object version, one row each: `objects` cannot keep them, its rows
of one identity replace each other when parts merge."""

SEARCH_INDEXES = (
    "ALTER TABLE events ADD INDEX IF NOT EXISTS raw_words lower(raw) TYPE tokenbf_v1(8192, 3, 0) GRANULARITY 1",
    *(f"ALTER TABLE events ADD INDEX IF NOT EXISTS {c}_bloom {c} TYPE bloom_filter(0.01) GRANULARITY 1"
      for c in ("src_ip", "ips", "principals", "actor")),
)
"""The skip indexes searches are written for: the words of `raw` (free text's `hasToken` on
`lower(raw)`) and the columns most searched for one value. A store without them gives the same
answers, slower."""

EVENT_COLUMNS = COMMON_COLUMNS + ("fields",)
"""Every column of `events`: the common ones, then the per-type fields of the record."""
UPGRADES = ("ALTER TABLE events ADD COLUMN IF NOT EXISTS fields Map(LowCardinality(String), String)",
            "ALTER TABLE errors ADD COLUMN IF NOT EXISTS ingested_at DateTime64(6, 'UTC') AFTER at")
"""Statements bringing a store made before migrations up to date (migrations 2 and 3); idempotent."""
FRAGMENT_CHARS = 4096
"""How much of a malformed record `errors` keeps."""

# One INSERT into `incoming` writes each record where it belongs: good ones to `events`, those
# with a problem to `errors` (a Null table keeps nothing itself).
ROUTING = (
    f"""CREATE TABLE IF NOT EXISTS incoming ({EVENT_COLUMNS_DDL.split("INDEX")[0].rstrip().rstrip(",")},
        problem String, position UInt64) ENGINE = Null""",
    f"""CREATE MATERIALIZED VIEW IF NOT EXISTS incoming_events TO events
        AS SELECT {", ".join(EVENT_COLUMNS)} FROM incoming WHERE problem = ''""",
    f"""CREATE MATERIALIZED VIEW IF NOT EXISTS incoming_errors TO errors AS SELECT ingested_at, object,
        source_type, position, problem AS error, substring(raw, 1, {FRAGMENT_CHARS}) AS fragment
        FROM incoming WHERE problem != ''""",
)

EVENT_KEY = "if(event_id != '', event_id, hex(cityHash64(object, raw)))"
"""SQL naming one event: its id, or (records without one: ALB, VPC Flow…) a hash of its object and record."""

EVENT_TABLES = ("events", "errors", "alerts")
"""The only tables user SQL may read: the events, the malformed records kept beside them, and
the detections' hits on them."""


def create_tables(store) -> None:
    """Create or upgrade the tables: every migration not yet applied (see `core.migrations`)."""
    from .migrations import migrate
    migrate(store)
