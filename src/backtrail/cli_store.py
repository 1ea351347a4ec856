"""`backtrail store`: the store's schema — its migrations, and the DDL of a cluster layout."""
from __future__ import annotations

from . import wiring
from .core.cluster import DEFAULT_SHARD_KEY, cluster_ddl
from .core.errors import ConfigError
from .core.migrations import MIGRATIONS, applied
from .core.settings import Settings


def register(sub, common) -> None:
    st = sub.add_parser("store", help="the store's schema: migrations, cluster DDL")
    actions = st.add_subparsers(required=True, metavar="ACTION")
    ddl = actions.add_parser("ddl", help="print the DDL of the schema on a ClickHouse cluster")
    ddl.add_argument("--cluster", required=True, metavar="NAME", help="cluster name (remote_servers)")
    ddl.add_argument("--database", default="default", metavar="DB")
    ddl.add_argument("--shard-key", default=DEFAULT_SHARD_KEY, metavar="EXPR",
                     help=f"how event rows spread over shards (default {DEFAULT_SHARD_KEY}: an object's rows together)")
    ddl.set_defaults(run=cmd_ddl)
    mig = actions.add_parser("migrations", parents=[common], help="open the store (applying what it lacks); list them")
    mig.set_defaults(run=cmd_migrations)


def cmd_ddl(args) -> int:
    try:
        statements = cluster_ddl(args.cluster, args.database, args.shard_key)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    print(f"-- backtrail schema on cluster {args.cluster}, database {args.database}: {len(MIGRATIONS)} migrations;"
          f" open it with --store 'clickhouse://user:pass@host:8123/{args.database}?cluster={args.cluster}'")
    for statement in statements:
        print(statement + ";\n")
    return 0


def cmd_migrations(args) -> int:
    store = wiring.open_store(Settings.load(args.data_dir, args.endpoint_url, args.region, store_url=args.store))
    try:
        done = applied(store)
    finally:
        store.close()
    for m in MIGRATIONS:
        print(f"{m.version:>4}  {'applied' if m.version in done else 'pending'}  {m.name}")
    return 0
