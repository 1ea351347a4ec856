"""`backtrail store ddl --cluster`: every statement parses in the engine, every table is named
as the application queries it (Distributed) and on the shards (Replicated*MergeTree)."""
from __future__ import annotations

import subprocess
import sys

from backtrail.core.cluster import cluster_ddl, tables
from backtrail.core.migrations import MIGRATIONS

APP_TABLES = {"events", "objects", "backfills", "backfill_prefixes", "backfill_objects", "alerts", "errors",
              "incoming", "schema_migrations", "object_copies"}


def test_every_statement_parses_and_names_every_table(store):
    statements = cluster_ddl("backtrail_cluster", "siem", "cityHash64(object)")
    for statement in statements:  # the engine's own parser: EXPLAIN AST fails on malformed SQL
        assert store.query("EXPLAIN AST " + statement), statement
    created = set(tables(statements))
    assert created == APP_TABLES | {f"{t}_local" for t in APP_TABLES} | {"incoming_events_local", "incoming_errors_local"}
    for t in APP_TABLES:
        distributed = next(s for s in statements if s.startswith(f"CREATE TABLE IF NOT EXISTS siem.{t} "))
        assert f"ON CLUSTER backtrail_cluster AS siem.{t}_local ENGINE = Distributed(backtrail_cluster, siem," in distributed
    replicated = [s for s in statements if "_local ON CLUSTER" in s and "ENGINE = Replicated" in s]
    assert len(replicated) == len(APP_TABLES) - 1  # all but incoming, a Null table
    assert all("'/clickhouse/tables/{shard}/siem/" in s and "'{replica}'" in s for s in replicated)
    views = [s for s in statements if "MATERIALIZED VIEW" in s]
    assert all("TO siem.events_local" in s or "TO siem.errors_local" in s for s in views) and len(views) == 2
    assert all("FROM siem.incoming_local" in s for s in views)
    assert statements[-1].startswith("INSERT INTO siem.schema_migrations") and statements[-1].count("), (") == len(
        MIGRATIONS) - 1
    assert not any(" ON CLUSTER " not in s for s in statements[:-1])


def test_the_command_prints_it():
    out = subprocess.run([sys.executable, "-m", "backtrail.cli", "store", "ddl", "--cluster", "c1", "--database", "db"],
                         capture_output=True, text=True, check=True).stdout
    assert out.count(";\n") == len(cluster_ddl("c1", "db")) and "?cluster=c1" in out
    bad = subprocess.run([sys.executable, "-m", "backtrail.cli", "store", "ddl", "--cluster", "c1; DROP"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "letters, digits and _ only" in bad.stderr
