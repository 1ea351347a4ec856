"""The schema on a ClickHouse cluster: the migrations, rewritten for shards and replicas.

Each table `T` of a migration becomes `T_local` (a Replicated*MergeTree on every replica of every
shard, `{shard}`/`{replica}` macros from the servers' config) and `T`, a `Distributed` table over
them with the name the application queries. `incoming` (a Null table) becomes `incoming_local` on
every node, its routing views writing to `events_local` and `errors_local` there, and `incoming`
a `Distributed` table spreading inserts by `shard_key` (default: one object's rows on one shard).
Column changes go to both tables, anything else (indexes) to the local one. The DDL ends by
recording every migration as applied, so a store opened on the cluster runs none of them again.
"""
from __future__ import annotations

import re

from .migrations import MIGRATIONS, MIGRATIONS_TABLE

DEFAULT_SHARD_KEY = "cityHash64(object)"
_SHARD_KEYS = {"objects": "cityHash64(identity)", "backfills": "cityHash64(id)",
               "backfill_prefixes": "cityHash64(backfill_id)", "backfill_objects": "cityHash64(backfill_id, identity)",
               "object_copies": "cityHash64(identity)",
               "alerts": "cityHash64(rule_id, event_key)", "schema_migrations": "version"}
_CREATE = re.compile(r"^\s*CREATE TABLE IF NOT EXISTS (\w+) (\(.*\))\s*ENGINE = (\w+)(?:\(([^)]*)\))?(.*)$", re.S)
_VIEW = re.compile(r"^\s*CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+) TO (\w+)(.*)\bFROM (\w+)(.*)$", re.S)
_ALTER = re.compile(r"^\s*ALTER TABLE (\w+) (.*)$", re.S)


def cluster_ddl(cluster: str, database: str = "default", shard_key: str = DEFAULT_SHARD_KEY) -> list[str]:
    """Statements creating the whole schema on `cluster`, in order, each on its own."""
    for name in (cluster, database):
        if not re.fullmatch(r"\w+", name):
            raise ValueError(f"{name!r}: letters, digits and _ only")
    on = f"ON CLUSTER {cluster}"
    out = [f"CREATE DATABASE IF NOT EXISTS {database} {on}"]
    for statement in (MIGRATIONS_TABLE, *(s for m in MIGRATIONS for s in m.statements)):
        out += _rewrite(statement, on, cluster, database, shard_key)
    versions = ", ".join(f"({m.version}, '{_quoted(m.name)}')" for m in MIGRATIONS)
    out.append(f"INSERT INTO {database}.schema_migrations (version, name) VALUES {versions}")
    return out


def _rewrite(statement: str, on: str, cluster: str, db: str, shard_key: str) -> list[str]:
    if m := _CREATE.match(statement):
        name, columns, engine, args, rest = m[1], m[2], m[3], m[4], m[5].strip()
        if engine == "Null":
            local_engine = "Null"
        else:
            path = f"'/clickhouse/tables/{{shard}}/{db}/{name}_local', '{{replica}}'"
            local_engine = f"Replicated{engine}({path}{', ' + args if args else ''})"
        key = _SHARD_KEYS.get(name, shard_key)
        return [f"CREATE TABLE IF NOT EXISTS {db}.{name}_local {on} {columns}\n    ENGINE = {local_engine} {rest}".rstrip(),
                f"CREATE TABLE IF NOT EXISTS {db}.{name} {on} AS {db}.{name}_local"
                f" ENGINE = Distributed({cluster}, {db}, {name}_local, {key})"]
    if m := _VIEW.match(statement):
        view, target, select, source, where = m.groups()
        return [f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{view}_local {on} TO {db}.{target}_local"
                f"{select}FROM {db}.{source}_local{where}"]
    if m := _ALTER.match(statement):
        table, change = m[1], m[2]
        local = f"ALTER TABLE {db}.{table}_local {on} {change}"
        return [local, f"ALTER TABLE {db}.{table} {on} {change}"] if "COLUMN" in change.upper() else [local]
    if statement.startswith("INSERT"):
        return []  # a data migration: a new cluster has no data to move
    raise ValueError(f"no cluster form for: {statement[:80]}")


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def tables(statements: list[str]) -> list[str]:
    """Names of the tables and views the statements create."""
    return re.findall(r"CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS \w+\.(\w+)", "\n".join(statements))
