"""Schema migrations: an ordered list, each applied once per store and recorded.

`schema_migrations` holds one row per applied migration (version, name, applied_at). `migrate`
runs, in order, every migration whose version is not recorded, then records it. Statements are
idempotent (`IF NOT EXISTS`), so a store made before migrations existed (tables, no
`schema_migrations`) is brought up to date in place, and processes opening one store at the
same moment may both run a migration without harm. Adding one is a line appended to MIGRATIONS.
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import OBJECT_COPIES, ROUTING, SEARCH_INDEXES, TABLES, UPGRADES


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS = (
    Migration(1, "tables and routing views", TABLES + ROUTING),
    Migration(2, "events.fields: per-type fields of delimited records", UPGRADES[:1]),
    Migration(3, "errors.ingested_at: errors undone with their insert", UPGRADES[1:]),
    Migration(4, "objects.ingested_at: which insert holds an object's rows", (
        "ALTER TABLE objects ADD COLUMN IF NOT EXISTS ingested_at DateTime64(6, 'UTC') AFTER reason",)),
    Migration(5, "skip indexes: words of raw, bloom filters of src_ip, ips, principals, actor", SEARCH_INDEXES),
    Migration(6, "object_copies: each completed write of an object, kept apart from the ledger's merging rows", (
        OBJECT_COPIES, "INSERT INTO object_copies (identity, ingested_at, events) SELECT identity, ingested_at, events"
        " FROM objects WHERE state IN ('written', 'done', 'failed') AND ingested_at > 0")),
)
"""Every migration, by version; append new ones (never edit or reorder applied ones)."""

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version UInt32,
    name String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version"""


def applied(store) -> dict[int, str]:
    """Versions recorded in the store, with their names."""
    return {int(r["version"]): r["name"] for r in store.query(
        "SELECT version, any(name) AS name FROM schema_migrations GROUP BY version ORDER BY version")}


def migrate(store, migrations=MIGRATIONS) -> list[int]:
    """Apply the migrations the store lacks, in order; returns their versions."""
    store.command(MIGRATIONS_TABLE)
    done = applied(store)
    ran = []
    for m in sorted(migrations, key=lambda m: m.version):
        if m.version in done:
            continue
        for statement in m.statements:
            store.command(statement)
        store.command("INSERT INTO schema_migrations (version, name) SELECT {v:UInt32}, {n:String}",
                      {"v": m.version, "n": m.name})
        ran.append(m.version)
    return ran
