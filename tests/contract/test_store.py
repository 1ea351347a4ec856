"""Contract of `ports.Store`, run against every backend: chDB, ClickHouse's HTTP interface (a
fixture over chDB), and a real ClickHouse server when BACKTRAIL_TEST_CLICKHOUSE_URL is set.

The same migrations, the same SQL with the same answers, the same read-only guarantees, and the
writer's idempotence per object — also when two writers race on one object."""
from __future__ import annotations

import gzip
import json
import threading

import pytest

from backtrail.adapters.file_objects import FileObjects
from backtrail.core.errors import QueryError
from backtrail.core.migrations import MIGRATIONS, Migration, applied, migrate
from backtrail.core.records import ObjectRef
from backtrail.core.schema import TABLES
from backtrail.ingest.fetch import fetch
from backtrail.ingest.ledger import Ledger
from backtrail.ingest.worker import Source, Worker
from backtrail.ingest.writer import EventWriter
from backtrail.logtypes.cloudtrail import CloudTrail

TABLE_NAMES = {"events", "objects", "backfills", "backfill_prefixes", "backfill_objects", "alerts", "errors",
               "incoming", "incoming_events", "incoming_errors", "schema_migrations", "object_copies"}
AWKWARD = ["plain", "it's", "back\\slash", "tab\there", "new\nline", "ünïcode ✓", "", "{p:String}", "%s %(x)s",
           "'; DROP TABLE events; --", "x" * 20_000]


def _tables(store) -> set[str]:
    return {r["name"] for r in store.query("SELECT name FROM system.tables WHERE database = currentDatabase()")}


def test_migrations_run_once_and_are_recorded(open_store):
    store = open_store()
    assert migrate(store) == [m.version for m in MIGRATIONS]
    assert TABLE_NAMES <= _tables(store)
    assert migrate(store) == []
    assert migrate(open_store()) == []  # another process opening the store later
    assert applied(store) == {m.version: m.name for m in MIGRATIONS}


def test_a_store_made_before_migrations_is_brought_up_to_date(open_store):
    store = open_store()
    for ddl in TABLES:  # what an early version created: no schema_migrations, no objects.ingested_at
        store.command(ddl)
    store.command("INSERT INTO objects (identity, state) SELECT 'b/k#e', 'done'")
    assert "ingested_at" not in {r["name"] for r in store.query("DESCRIBE TABLE objects")}
    assert migrate(store) == [m.version for m in MIGRATIONS]
    assert "ingested_at" in {r["name"] for r in store.query("DESCRIBE TABLE objects")}
    assert store.query("SELECT identity, state FROM objects") == [{"identity": "b/k#e", "state": "done"}]


def test_adding_a_migration_is_appending_one(open_store):
    store = open_store()
    migrate(store)
    index = Migration(len(MIGRATIONS) + 1, "a skip index on actor",
                      ("ALTER TABLE events ADD INDEX IF NOT EXISTS actor_bf actor TYPE bloom_filter GRANULARITY 4",))
    assert migrate(store, (*MIGRATIONS, index)) == [index.version]
    assert applied(store)[index.version] == index.name
    assert "actor_bf" in store.query("SHOW CREATE TABLE events")[0]["statement"]


def test_parameters_round_trip_and_never_become_sql(open_store):
    store = open_store()
    for value in AWKWARD:
        assert store.query("SELECT {v:String} AS v, length({v:String}) AS n", {"v": value}) == [
            {"v": value, "n": len(value.encode())}]
    assert store.query("SELECT {a:Array(String)} AS a, {n:UInt32} + 1 AS n", {"a": AWKWARD[:8], "n": 41}) == [
        {"a": AWKWARD[:8], "n": 42}]
    with pytest.raises(QueryError):
        store.query("SELECT {missing:String} AS v", {"other": "x"})


def test_parameters_stay_per_query_under_threads(open_store):
    store, errors = open_store(), []

    def run(k: int) -> None:
        for value in AWKWARD[:8] * 3:
            row = store.query("SELECT {v:String} AS v, {k:UInt32} AS k", {"v": value, "k": k})[0]
            if row != {"v": value, "k": k}:
                errors.append((k, value, row))
    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_insert_rows_writes_what_the_select_returns_and_nothing_for_no_rows(open_store):
    store = open_store()
    migrate(store)
    columns = ("object", "position", "error", "fragment")
    select = ("SELECT {o:String} AS object, number AS position, 'e' || toString(number) AS error,"
              " repeat('x', 1000) AS fragment FROM numbers({n:UInt32})")  # columns named as the table's
    store.insert_rows("errors", columns, select, {"o": "rows/none", "n": 0})
    store.insert_rows("errors", columns, select, {"o": "rows/some", "n": 5000})
    assert store.query("SELECT object, count() AS n, max(position) AS last, sum(length(fragment)) AS size FROM errors"
                       " GROUP BY object") == [{"object": "rows/some", "n": 5000, "last": 4999, "size": 5_000_000}]


@pytest.mark.parametrize("sql", [
    "INSERT INTO errors (object) SELECT 'x'",
    "SELECT * FROM file('/etc/hostname', 'LineAsString')",
    "SELECT * FROM url('http://127.0.0.1:9/', 'LineAsString')",
    "CREATE TABLE sneaky (x UInt8) ENGINE = Memory",
    "ATTACH TABLE sneaky2 (x String) ENGINE = File(LineAsString, '/etc/hostname')",
    "SELECT 1 SETTINGS readonly = 0",
])
def test_read_only_refuses_writes_files_and_settings(open_store, sql):
    store = open_store()
    migrate(store)
    with pytest.raises(QueryError):
        store.query(sql, read_only=True)
    assert store.query("SELECT count() AS n FROM errors")[0]["n"] in (0, "0")
    assert not {"sneaky", "sneaky2"} & _tables(store)


def test_read_only_caps_rows_and_still_reads(open_store):
    store = open_store()
    with pytest.raises(QueryError, match="(?i)limit for result|rows"):
        store.query("SELECT number FROM numbers(1000)", read_only=True, max_rows=10)
    assert len(store.query("SELECT number FROM numbers(10) -- a trailing comment", read_only=True, max_rows=10)) == 10


def test_errors_are_query_errors_with_the_engines_words(open_store):
    with pytest.raises(QueryError, match="(?i)unknown table|doesn't exist|does not exist"):
        open_store().query("SELECT * FROM no_such_table")


# --- the writer: every object's rows once, whatever happens ------------------------------------

KEY = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/{}.json.gz"


def _record(i: int, obj: str) -> dict:
    return {"eventTime": f"2026-11-02T10:{i % 60:02d}:00Z", "eventID": f"{obj}-{i}", "eventName": "GetObject",
            "eventSource": "s3.amazonaws.com", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
            "recipientAccountId": "111122223333", "userIdentity": {"type": "Root", "arn": "arn:aws:iam::1:root"}}


@pytest.fixture
def bucket(tmp_path):
    """Three CloudTrail objects (5, 7 and 9 events) and one with two records and a broken line."""
    root = tmp_path / "bucket"
    for name, n in (("a", 5), ("b", 7), ("c", 9)):
        path = root / KEY.format(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(json.dumps({"Records": [_record(i, name) for i in range(n)]}).encode()))
    lines = [json.dumps(_record(0, "d")), '{"eventTime": "2026-11-02T10:00:00Z", broken', json.dumps(_record(1, "d"))]
    (root / KEY.format("d")).write_bytes(gzip.compress("\n".join(lines).encode() + b"\n"))
    return FileObjects(str(root))


def _counts(store) -> dict[str, int]:
    return {r["key"]: int(r["n"]) for r in store.query(
        "SELECT splitByChar('/', object)[-1] AS key, count() AS n FROM events GROUP BY key")}


def _distinct_ids(store) -> tuple[int, int]:
    row = store.query("SELECT count() AS n, uniqExact(event_id) AS ids FROM events")[0]
    return int(row["n"]), int(row["ids"])


def test_worker_writes_each_object_once_and_the_ledger_says_so(open_store, bucket):
    store = open_store()
    migrate(store)
    refs = [ObjectRef(info) for info in bucket.list("AWSLogs/")]
    worker = Worker(store, [Source("trail", "cloudtrail")], lambda b: bucket)
    outcomes, retry = worker.ingest(worker.sources[0], refs)
    assert retry == set() and sorted(o.events for o in outcomes) == [2, 5, 7, 9]
    worker.ingest(worker.sources[0], refs)  # a redelivery of everything: nothing twice
    assert _counts(store) == {"a.json.gz": 5, "b.json.gz": 7, "c.json.gz": 9, "d.json.gz": 2}
    assert _distinct_ids(store) == (23, 23)
    states = {r["key"]: (r["state"], int(r["events"]), int(r["errors"])) for r in store.query(
        "SELECT key, argMax(state, updated_at) AS state, argMax(events, updated_at) AS events,"
        " argMax(errors, updated_at) AS errors FROM objects GROUP BY key")}
    assert {k.rsplit("/", 1)[1]: v for k, v in states.items()} == {
        "a.json.gz": ("done", 5, 0), "b.json.gz": ("done", 7, 0), "c.json.gz": ("done", 9, 0),
        "d.json.gz": ("done", 2, 1)}
    error = store.query("SELECT object, position, fragment FROM errors")
    assert len(error) == 1 and error[0]["object"].endswith("d.json.gz") and "broken" in error[0]["fragment"]


def _write(store, bucket, refs, workdir):
    writer = EventWriter(store, Ledger(store), str(workdir))
    return writer, writer.write([fetch(r, CloudTrail(), bucket, str(workdir)) for r in refs])


@pytest.mark.parametrize("order", ["both write, then both settle", "both write, the ledger merges, both settle",
                                   "one settles before the other writes"])
def test_two_writers_racing_on_one_object_leave_one_copy(open_store, bucket, tmp_path, order):
    first, second = open_store(), open_store()  # two processes, two connections
    migrate(first)
    refs = [ObjectRef(info) for info in bucket.list("AWSLogs/") if not info.key.endswith("d.json.gz")]
    # both found nothing in the ledger (the versions check ran before either wrote), so both write
    w1, out1 = _write(first, bucket, refs, tmp_path)
    if order.startswith("both"):
        w2, out2 = _write(second, bucket, refs[1:], tmp_path)
        w1.ledger.written(out1)
        w2.ledger.written(out2)
        if "merges" in order:  # the ledger's rows of one object replace each other: its copies must not
            first.command("OPTIMIZE TABLE objects FINAL")
        assert w1.settle(out1) == set() and w2.settle(out2) == set()
    else:
        w1.ledger.written(out1)
        assert w1.settle(out1) == set()  # alone so far: it keeps its copy
        w2, out2 = _write(second, bucket, refs[1:], tmp_path)
        w2.ledger.written(out2)
        assert w2.settle(out2) == set()  # sees both copies: keeps the first one, deletes its own
    assert _counts(first) == {"a.json.gz": 5, "b.json.gz": 7, "c.json.gz": 9}
    assert _distinct_ids(second) == (21, 21)


def test_a_writer_whose_copy_was_taken_writes_again(open_store, bucket, tmp_path):
    store = open_store()
    migrate(store)
    ref = ObjectRef(next(bucket.list("AWSLogs/")))
    writer, out = _write(store, bucket, [ref], tmp_path)
    writer.ledger.written(out)
    store.command("DELETE FROM events WHERE object = {o:String}", {"o": ref.info.name})  # a rival's cleanup
    _, again = _write(store, bucket, [ref], tmp_path)  # a second attempt of the same version
    writer.ledger.written(again)
    assert writer.settle(again, dirty={ref.info.name}) == set()  # its own copy is complete: kept
    assert _counts(store) == {"a.json.gz": 5}
    store.command("DELETE FROM events WHERE object = {o:String}", {"o": ref.info.name})
    assert writer.settle(again, dirty={ref.info.name}) == {ref.info.identity}  # none complete: write it again
    assert Ledger(store).versions([ref])[ref.info.name][ref.info.identity] == "started"
