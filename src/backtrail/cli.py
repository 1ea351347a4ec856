"""`backtrail` command line: argument parsing and output only."""
from __future__ import annotations

import argparse
import csv
import logging
import os
import signal
import sys
import time
from datetime import datetime, timedelta, timezone

import orjson

from . import cli_jobs, cli_ops, cli_store, wiring
from .backfill import planner, survey
from .backfill.jobs import FINAL, Jobs, new_job
from .backfill.runner import CLOSING
from .backfill.timerange import parse_time
from .core.config import load_config
from .core.errors import BacktrailError, ConfigError, QueryError
from .core.schema import EVENT_COLUMNS
from .core.settings import Settings
from .ingest.parse import Malformed, parse_file
from .ingest.scaling import Policy
from .ingest.worker import Progress
from .logtypes import registry
from .logtypes.registry import LOG_TYPES
from .query.client import owner_of
from .query.service import QueryService

TABLE_COLUMNS = ("ts", "source_type", "account_id", "region", "actor", "action", "outcome", "src_ip")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="backtrail: %(message)s")
    try:
        return args.run(args) or 0
    except BacktrailError as exc:
        print(f"backtrail: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `backtrail search … | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="backtrail", description="Search AWS logs straight from their bucket.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="store directory (env BACKTRAIL_DATA_DIR, default ./.backtrail)")
    common.add_argument("--endpoint-url", help="S3-compatible endpoint (env AWS_ENDPOINT_URL)")
    common.add_argument("--region", help="AWS region (env AWS_REGION)")
    common.add_argument("--store", metavar="URL", help="a ClickHouse server: clickhouse://user:pass@host:8123/db"
                                                       " (env BACKTRAIL_STORE; default: chDB in the data dir)")
    alerting = argparse.ArgumentParser(add_help=False)
    alerting.add_argument("--rules", action="append", default=[], metavar="DIR", help="more rule files (Sigma YAML)")
    alerting.add_argument("--alert-webhook", metavar="URL",
                          help="POST new alerts there as JSON (env BACKTRAIL_ALERT_WEBHOOK)")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    b = sub.add_parser("backfill", parents=[common, alerting], help="load a bucket prefix (or a time range of it); "
                       "backfill cancel|pause|resume ID controls a job")
    b.add_argument("url", nargs="?", help="file:///dir/prefix or s3://bucket/prefix (default: the source's objects);"
                                          " or cancel, pause, resume")
    b.add_argument("job", nargs="?", metavar="ID", help="after cancel, pause or resume: the job's id")
    b.add_argument("--newest-first", action="store_true", help="the most recent days first")
    b.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="load only keys matching GLOB (`*` matches `/` too; repeatable)")
    b.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave out keys matching GLOB")
    b.add_argument("--prefix", action="append", default=[], metavar="PREFIX",
                   help="list this key prefix of the bucket instead of planning one per day (repeatable)")
    b.add_argument("--notify", metavar="URL", help="POST the job's summary (JSON) to URL when it ends")
    b.add_argument("--enqueue-only", action="store_true",
                   help="list onto the backfill queue and exit; a `backtrail worker` loads it")
    b.add_argument("--type", help="log type (default: recognised from each object's key)")
    b.add_argument("--config", help="sources file (TOML): enqueue on --source's backfill queue")
    b.add_argument("--source", help="source name in --config (default: the only one)")
    b.add_argument("--since", help="start: 2026-11-01, 2026-11-01T12:00:00Z, 7d, 12h")
    b.add_argument("--until", help="end (default now when --since is given)")
    b.add_argument("--dry-run", action="store_true",
                   help="list and report objects, bytes, days, accounts, regions, requests, cost and ETA; enqueue nothing")
    b.add_argument("--json", action="store_true", help="with --dry-run: the report as JSON")
    b.set_defaults(run=cmd_backfill)

    s = sub.add_parser("search", parents=[common], help="search events")
    s.add_argument("query", nargs="?", default="", help='e.g. eventName:AssumeRole src_ip:10.0.* "AKIA..."')
    s.add_argument("--since")
    s.add_argument("--until")
    s.add_argument("--limit", type=int, default=100)
    s.add_argument("--count", action="store_true", help="print only the number of matching events")
    s.add_argument("--format", choices=("table", "json", "csv"), default="table")
    s.set_defaults(run=cmd_search)

    h = sub.add_parser("hunt", parents=[common], help="every event mentioning any of the indicators")
    h.add_argument("indicators", nargs="*", metavar="IOC", help="IP, CIDR, access key id, ARN, account id, domain, text")
    h.add_argument("--file", help="indicators, one per line ('#' starts a comment; '-' reads stdin)")
    h.add_argument("--since")
    h.add_argument("--until")
    h.add_argument("--limit", type=int, default=200, help="timeline events (default 200)")
    h.add_argument("--format", choices=("table", "json"), default="table")
    h.set_defaults(run=cmd_hunt)

    dt = sub.add_parser("detect", parents=[alerting], help="detection rules: list, validate, run over stored events")
    dt.add_argument("action", choices=("list", "validate", "run"))
    dt.add_argument("--since")
    dt.add_argument("--until")
    dt.add_argument("--json", action="store_true")
    for flag in ("--data-dir", "--endpoint-url", "--region", "--store"):
        dt.add_argument(flag)
    dt.set_defaults(run=cmd_detect)

    al = sub.add_parser("alerts", parents=[common], help="detection hits, newest first")
    al.add_argument("--limit", type=int, default=100)
    al.add_argument("--json", action="store_true")
    al.set_defaults(run=cmd_alerts)

    q = sub.add_parser("sql", parents=[common], help="read-only SQL over the events table")
    q.add_argument("sql")
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q.set_defaults(run=cmd_sql)

    st = sub.add_parser("status", parents=[common], help="objects loaded, failed, skipped; last errors; a job's progress")
    st.add_argument("id", nargs="?", metavar="ID", help="a backfill job: its progress, rate, ETA, errors")
    st.add_argument("--json", action="store_true")
    st.add_argument("--watch", action="store_true", help="redraw every second until the job (or every job) ends")
    st.set_defaults(run=cmd_status)

    bl = sub.add_parser("backfills", parents=[common], help="backfill jobs, newest first")
    bl.add_argument("--json", action="store_true")
    bl.set_defaults(run=cmd_backfills)

    cv = sub.add_parser("coverage", parents=[common], help="per source: days loaded, partly loaded, missing")
    cv.add_argument("--json", action="store_true")
    cv.set_defaults(run=cmd_coverage)

    w = sub.add_parser("worker", parents=[common, alerting], help="serve the queues of a sources file")
    w.add_argument("--config", required=True, help="sources file (TOML)")
    w.add_argument("--once", action="store_true", help="drain every queue, then exit (burst mode)")
    w.set_defaults(run=cmd_worker)

    sv = sub.add_parser("serve", parents=[common, alerting], help="web UI, HTTP API and worker over one store")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8080, help="default 8080; 0 picks a free port")
    sv.add_argument("--config", help="sources file (TOML) whose queues the worker serves"
                                     " (default: the queues `backtrail backfill URL` fills)")
    sv.set_defaults(run=cmd_serve)

    qc = sub.add_parser("queues", help="set up the queues of a sources file")
    qc_sub = qc.add_subparsers(required=True, metavar="ACTION")
    create = qc_sub.add_parser("create", parents=[common], help="create SQS queues + dead-letter queues, wire buckets")
    create.add_argument("--config", required=True)
    create.add_argument("--notify", choices=("direct", "sns"), default="direct",
                        help="bucket notifications straight to the live queue, or through an SNS topic")
    create.set_defaults(run=cmd_queues_create)

    dl = sub.add_parser("dlq", help="dead-lettered messages of a source")
    dl.add_argument("action", choices=("list", "redrive"))
    dl.add_argument("source")
    dl.add_argument("--config", required=True)
    for flag in ("--data-dir", "--endpoint-url", "--region", "--store"):
        dl.add_argument(flag)
    dl.set_defaults(run=cmd_dlq)

    pa = sub.add_parser("parse", help="parse local log files as the worker would; one JSON record per line")
    pa.add_argument("files", nargs="+", metavar="FILE", help="log files, compressed or not")
    pa.add_argument("--type", help="log type (default: recognised from the file's path)")
    pa.add_argument("--format", choices=("json",), default="json")
    pa.set_defaults(run=cmd_parse)

    d = sub.add_parser("demo", parents=[common], help="write a sample bucket, backfill it, search it")
    d.add_argument("--dir", default="./demo-bucket", help="where to write the sample bucket")
    d.set_defaults(run=cmd_demo)
    cli_ops.add_parsers(sub, common)  # scale, iam-policy
    cli_store.register(sub, common)  # store ddl, store migrations
    return p


def _settings(args) -> Settings:
    return Settings.load(args.data_dir, getattr(args, "endpoint_url", None), getattr(args, "region", None),
                         getattr(args, "alert_webhook", None), getattr(args, "store", None))


def _times(args):
    since = parse_time(args.since) if args.since else None
    until = parse_time(args.until) if args.until else (datetime.now(timezone.utc) if since else None)
    return since, until


def cmd_backfill(args) -> int:
    if args.url in CONTROL and args.job:
        return _control(args)
    if args.job:
        raise ConfigError(f"unexpected argument {args.job!r} (one URL; or cancel|pause|resume ID)")
    since, until = _times(args)
    source_name = config_path = None
    if getattr(args, "config", None):
        config, settings = _from_config(args)
        chosen = config.source(args.source) if args.source or len(config.sources) != 1 else config.sources[0]
        if not chosen.backfill:
            raise ConfigError(f"{args.config}: source {chosen.name!r} has no queue with role = \"backfill\"")
        url, log_type = args.url or chosen.objects, chosen.type
        source_name, config_path = chosen.name, os.path.abspath(args.config)
    elif args.url:
        settings, url, log_type = _settings(args), args.url, args.type
        if log_type:
            registry.get(log_type)  # an unknown type is refused before anything runs
    else:
        raise ConfigError("backfill what? give a URL (file:///dir or s3://bucket/prefix) or --config FILE")
    objects = wiring.objects_from_url(url, settings)
    next(iter(objects.common_prefixes(objects.prefix)), None)  # fail early when unreadable
    keys = planner.Keys(args.include, args.exclude)
    if args.dry_run:
        return _dry_run(settings, objects, since, until, log_type, args.json, keys, args.prefix)
    job = new_job(url, since, until, type=log_type, newest_first=args.newest_first, include=args.include,
                  exclude=args.exclude, prefixes=args.prefix, notify=args.notify or "", config=config_path,
                  source=source_name)
    if remote := owner_of(settings.server_file):  # that process plans and loads it, beside its own work
        try:
            job_id = remote.create_backfill(url, since, until, **{k: v for k, v in dict(
                type=log_type, newest_first=args.newest_first, include=args.include, exclude=args.exclude,
                prefixes=args.prefix, notify=args.notify, config=config_path, source=source_name).items() if v})["id"]
        except QueryError as exc:
            if CLOSING not in str(exc):
                raise
            while owner_of(settings.server_file):  # it is ending: then this process runs the job
                time.sleep(0.2)
            return cmd_backfill(args)
        report = cli_jobs.follow(remote, job_id, until=lambda r: r["listing_complete"])
        print(f"{job_id}: queued {report['objects_listed']} objects for the backtrail process that owns"
              f" {settings.data_dir}; follow it with `backtrail status {job_id} --watch`")
        return 0 if report["state"] not in ("failed", "cancelled") else 1
    with wiring.OwnedStore(settings) as owned:
        return cli_jobs.run_here(settings, owned, job, args.enqueue_only, rule_dirs=getattr(args, "rules", ()))


CONTROL = ("cancel", "pause", "resume")


def _control(args) -> int:
    """cancel, pause, resume: through the process that runs the job, else in the store; a
    resumed job nobody runs is planned and loaded here, from its checkpoints."""
    settings = _settings(args)
    if remote := owner_of(settings.server_file):
        report = remote.control_backfill(args.job, args.url)
        print(f"{report['id']}: {report['state']}")
        return 0
    with wiring.OwnedStore(settings) as owned:
        job = Jobs(owned.store).control(args.job, args.url)
        if args.url != "resume":
            print(f"{job.id}: {job.state}")
            return 0
        return cli_jobs.run_here(settings, owned, job, args.enqueue_only, new=False,
                                 rule_dirs=getattr(args, "rules", ()))


def _dry_run(settings, objects, since, until, log_type, as_json: bool, keys=planner.Keys(), raw=()) -> int:
    """What the backfill would read and cost, at the rate this store last measured."""
    rate, measured = survey.DEFAULT_BYTES_PER_S, "make bench on 2 cores"
    if os.path.isdir(settings.store_dir) or owner_of(settings.server_file):
        service, close = _service(settings)
        try:
            if throughput := service.status().get("throughput"):
                rate, measured = throughput["bytes_per_s"], f"backfill {throughput['backfill_id']}"
        finally:
            close()
    report = survey.survey(objects, since, until, log_type, keys, raw).as_dict(rate)
    report["eta_basis"] = {"bytes_per_s": rate, "measured_by": measured}
    if as_json:
        print(orjson.dumps(report).decode())
        return 0
    days = (f"{report['first_day']} .. {report['last_day']} ({report['days']} days)" if report["days"] else "-")
    eta = f"~{report['eta_s']:,.0f} s" if report["eta_s"] is not None else "-"
    print(f"dry run, nothing enqueued: {objects.bucket}/{objects.prefix}\n"
          f"  objects   {report['objects']:,} ({report['bytes'] / 1e6:,.1f} MB) under {report['prefixes']:,} prefixes\n"
          f"  types     {', '.join(f'{k} {v:,}' for k, v in report['types'].items()) or '-'}\n"
          f"  days      {days}\n"
          f"  accounts  {', '.join(report['accounts']) or '-'}\n"
          f"  regions   {', '.join(report['regions']) or '-'}\n"
          f"  requests  LIST {report['list_requests']:,} + GET {report['get_requests']:,}"
          f" = ${report['cost_usd']:.4f} at S3 Standard prices (us-east-1)\n"
          f"  ETA       {eta} at {rate / 1e6:,.1f} MB/s (measured by {measured})")
    return 0


def _from_config(args):
    """The sources file named by --config, and the settings it gives (flags first)."""
    config = load_config(args.config, known_types=LOG_TYPES)
    return config, wiring.config_settings(config, args.data_dir, args.endpoint_url, args.region,
                                          getattr(args, "alert_webhook", None), getattr(args, "store", None))


def cmd_worker(args) -> int:
    config, settings = _from_config(args)
    sources = [wiring.config_source(config, settings, s.name) for s in config.sources]
    with wiring.OwnedStore(settings) as owned:
        last = [time.monotonic()]

        def report(p: Progress) -> None:
            if time.monotonic() - last[0] > 30:  # one structured line every 30 s
                last[0] = time.monotonic()
                work.sample_queues()
                logging.getLogger("backtrail.worker").warning("%s", work.metrics.log_line())

        detection = wiring.detection(settings, owned.store, (*config.alerts.rules, *args.rules))
        work = wiring.worker(settings, owned.store, sources, on_progress=report, after_write=detection.written,
                             **_worker_options(config))
        ended: list[dict] = []

        def job_ended(report: dict) -> None:
            ended.append(report)
            detection.backfill_ended(report["id"])

        runner = wiring.backfill_runner(settings, owned.store, work, owned.service, on_end=job_ended)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: work.stop())
        p = work.run(until=lambda: args.once, threads=config.worker.threads, idle_s=0.01 if args.once else 0.5)
        runner.stop()
        runner.settle()
        detection.run()
    print(f"worker: {p.objects} objects, {p.events:,} events loaded ({p.duplicates} already loaded,"
          f" {p.skipped} skipped, {p.failed} failed, {p.bad_records} bad records, {p.bad_messages} bad messages);"
          f" {detection.raised} new alert(s)")
    for report in ended:  # the backfill jobs this worker finished
        print(cli_jobs.final_line(report))
    return 1 if p.failed else 0


def _worker_options(config) -> dict:
    """The sources file's [worker] settings the worker takes (its visibility timeout: deliveries of a
    crashed worker come back after it, not after the default 300 s)."""
    return {"visibility_s": config.worker.visibility_timeout, "max_bytes_in_flight": config.worker.max_bytes_in_flight,
            "scaling": Policy.of(config.scaling)}


def cmd_serve(args) -> int:
    """The worker and the HTTP API (web UI, JSON, /metrics) over one store until SIGINT or SIGTERM.
    The token is BACKTRAIL_TOKEN, else a random one; the first line printed is the UI's address."""
    if args.config:
        config, settings = _from_config(args)
        sources = [wiring.config_source(config, settings, s.name) for s in config.sources]
        threads, options, rule_dirs = config.worker.threads, _worker_options(config), config.alerts.rules
    else:
        settings, threads, options, rule_dirs = _settings(args), 2, {}, ()
        sources = wiring.embedded_sources(settings, sorted(LOG_TYPES))
    # published once the jobs a crash left are adopted: a `backfill resume` sent through the API
    # comes after their deliveries are reclaimed, and gives those their receives back
    with wiring.OwnedStore(settings, args.host, args.port, os.environ.get("BACKTRAIL_TOKEN") or None,
                           publish=False) as owned:
        detection = wiring.detection(settings, owned.store, (*rule_dirs, *args.rules))
        work = wiring.worker(settings, owned.store, sources, after_write=detection.written, **options)
        runner = wiring.backfill_runner(settings, owned.store, work, owned.service,  # POST /api/backfills
                                        on_end=lambda report: detection.backfill_ended(report["id"]))
        for job_id in wiring.adopt_jobs(settings, runner):
            print(f"backtrail serve: loading {job_id}, left by a process gone since", file=sys.stderr)
        owned.publish()

        def runtime_metrics() -> str:
            work.sample_queues()
            return work.metrics.render()

        owned.service.runtime_metrics = runtime_metrics
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: work.stop())
        where = owned.url if args.host in ("0.0.0.0", "") else owned.server.url
        print(f"{where}/#token={owned.token}", flush=True)
        print(f"backtrail serve: web UI and API on {args.host}:{owned.server.httpd.server_address[1]} (bearer token"
              f" required), worker on {len(sources)} source(s), store {settings.data_dir}; Ctrl-C stops",
              file=sys.stderr, flush=True)
        p = work.run(until=lambda: False, threads=threads, idle_s=0.5)
        runner.stop()
        runner.settle()
        detection.run()
    print(f"serve: stopped; {p.objects} objects, {p.events:,} events loaded ({p.failed} failed)", file=sys.stderr)
    return 0


def cmd_queues_create(args) -> int:
    config, settings = _from_config(args)
    for line in wiring.create_queues(config, settings, args.notify):
        print(line)
    return 0


def cmd_dlq(args) -> int:
    config, settings = _from_config(args)
    source = wiring.config_source(config, settings, args.source)
    for url, found in wiring.dead_letters(source, settings, redrive_them=args.action == "redrive"):
        if args.action == "redrive":
            print(f"{url}: {found} messages sent back")
            continue
        print(f"{url}: {len(found)} dead letters")
        for msg_id, receives, body in found:
            print(f"  {msg_id}  received {receives}x  {_cell(body, 160)}")
    return 0


def _service(settings: Settings, patience_s: float = 5.0):
    """The owner's API when a process owns the store, else the store itself.

    A process that is starting holds the store a moment before it publishes its API: wait for it.
    """
    deadline = time.monotonic() + patience_s
    while True:
        if remote := owner_of(settings.server_file):
            return remote, lambda: None
        try:
            store = wiring.open_store(settings)
            return QueryService(store, wiring.alert_notifier(settings)), store.close
        except QueryError as exc:
            if time.monotonic() > deadline:
                raise QueryError(f"the store in {settings.data_dir} is held by another process that"
                                 f" does not answer (a backfill starting or stopping?): {exc}") from None
            time.sleep(0.2)


def cmd_search(args) -> int:
    service, close = _service(_settings(args))
    try:
        since, until = parse_time(args.since) if args.since else None, parse_time(args.until) if args.until else None
        if args.count:
            print(service.count(args.query, since, until))
            return 0
        _print(service.search(args.query, since, until, args.limit), args.format,
               TABLE_COLUMNS if args.format == "table" else EVENT_COLUMNS)
    finally:
        close()
    return 0


def cmd_parse(args) -> int:
    """Records to stdout; malformed records and a summary to stderr; 2 when a file is unreadable."""
    files = [(path, registry.get(args.type) if args.type else registry.recognise(path)) for path in args.files]
    unknown = [path for path, log_type in files if log_type is None]
    if unknown:
        raise ConfigError(f"cannot tell the log type of {unknown[0]} from its path; give --type"
                          f" (known: {', '.join(sorted(LOG_TYPES))})")
    out, records, malformed, unreadable = sys.stdout.buffer, 0, 0, 0
    with wiring.scratch_store() as (store, workdir):
        for path, log_type in files:
            try:
                for item in parse_file(store, path, log_type, workdir):
                    if isinstance(item, Malformed):
                        malformed += 1
                        print(f"{item.path}:{item.error.position}: {item.error.error}: {item.error.fragment[:200]!r}",
                              file=sys.stderr)
                    else:
                        records += 1
                        out.write(orjson.dumps(item) + b"\n")
            except OSError as exc:
                unreadable += 1
                print(f"backtrail: error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        out.flush()
    print(f"parse: {len(files)} file(s), {records} record(s), {malformed} malformed, {unreadable} unreadable",
          file=sys.stderr)
    return 2 if unreadable else 0


def cmd_hunt(args) -> int:
    values = list(args.indicators)
    if args.file:
        try:
            values += (sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")).read().splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    since, until = _times(args)
    service, close = _service(_settings(args))
    try:
        found = service.hunt(values, since, until, args.limit)
    finally:
        close()
    if args.format == "json":
        print(orjson.dumps(found).decode())
        return 0
    _print([{**i, "sources": ", ".join(i["sources"])} for i in found["indicators"]], "table",
           ("indicator", "kind", "events", "first_seen", "last_seen", "sources"))
    for ind in found["indicators"]:
        if ind["events"]:
            print(f"  backtrail search '{ind['search']}'")
    print()
    _print([{**t, "matched": ", ".join(t["matched"])} for t in found["timeline"]], "table",
           ("ts", "source_type", "action", "outcome", "src_ip", "actor", "matched"))
    return 0


def cmd_detect(args) -> int:
    """list: the rules; validate: compile them, name fields no stored event has; run: raise alerts."""
    service, close = _service(_settings(args))
    try:
        if args.action == "run":
            since, until = _times(args)
            new = service.detect(args.rules, since, until)["new_alerts"]
            if args.json:
                print(orjson.dumps(new).decode())
            else:
                for rule_id, n in sorted(new.items(), key=lambda kv: -kv[1]):
                    if n:
                        print(f"{n:>6}  {rule_id}")
                print(f"{sum(new.values())} new alert(s) from {len(new)} rule(s); `backtrail alerts` lists them")
            return 0
        found = service.rules(args.rules, check_fields=args.action == "validate")
    finally:
        close()
    if args.json:
        print(orjson.dumps(found).decode())
    elif args.action == "list":
        _print(found, "table", ("id", "level", "source_type", "title"))
    else:
        for rule in found:
            if rule["fields_never_seen"]:
                print(f"{rule['path']}: field(s) never seen in {rule['events_of_type']:,} stored {rule['source_type']}"
                      f" events: {', '.join(rule['fields_never_seen'])}")
        print(f"{len(found)} rule(s) compile")
    return 0


def cmd_alerts(args) -> int:
    service, close = _service(_settings(args))
    try:
        rows = service.alerts(args.limit)
    finally:
        close()
    _print(rows, "json" if args.json else "table", None if args.json else
           ("ts", "level", "rule_id", "source_type", "action", "src_ip", "actor"))
    return 0


def cmd_sql(args) -> int:
    service, close = _service(_settings(args))
    try:
        _print(service.sql(args.sql), args.format, None)
    finally:
        close()
    return 0


def cmd_status(args) -> int:
    """The store's ledger, and the backfill jobs; with ID, one job; --watch redraws every second."""
    settings = _settings(args)
    while True:
        service, close = _service(settings)
        try:
            status = service.backfill(args.id) if args.id else service.status()
        finally:
            close()
        jobs = [status] if args.id else status.get("backfills", [])
        active = any(j["state"] not in FINAL for j in jobs if j["id"] == args.id or not args.id)
        if args.watch and sys.stdout.isatty():
            print("\033[H\033[2J", end="")
        _show_status(status, args)
        if not (args.watch and active and owner_of(settings.server_file)):
            return 0
        sys.stdout.flush()
        time.sleep(1)


def _show_status(status: dict, args) -> None:
    if args.json:
        print(orjson.dumps(status, option=orjson.OPT_INDENT_2).decode())
        return
    if args.id:
        print(cli_jobs.format_job(status))
        return
        print(orjson.dumps(status, option=orjson.OPT_INDENT_2).decode())
        return 0
    print(f"events in store: {status['events_in_store']:,}")
    for state, s in sorted(status["states"].items()):
        print(f"{state:>8}: {s['objects']:,} objects, {s['events']:,} events, {s['bytes'] / 1e6:,.1f} MB,"
              f" {s['bad_records']} bad records")
    if throughput := status.get("throughput"):
        print(f"last backfill {throughput['backfill_id']} read {throughput['bytes_per_s'] / 1e6:,.1f} MB/s")
    for line in status["last_errors"]:
        print(f"  error: {line}")
    for job in status.get("backfills", []):
        print(cli_jobs.progress_line(job))


def cmd_backfills(args) -> int:
    service, close = _service(_settings(args))
    try:
        found = service.backfills()
    finally:
        close()
    if args.json:
        print(orjson.dumps({"backfills": found}).decode())
    else:
        _print(cli_jobs.format_jobs(found), "table", ("id", "state", "objects", "failed", "skipped", "events",
                                                       "started", "finished", "url"), width=None)
    return 0


def cmd_coverage(args) -> int:
    service, close = _service(_settings(args))
    try:
        found = service.coverage()
    finally:
        close()
    print(orjson.dumps({"sources": found}).decode() if args.json else cli_jobs.format_coverage(found))
    return 0


def cmd_demo(args) -> int:
    from .demo_data import write_demo_bucket
    from .demo_types import TYPE_ORDER

    settings = _settings(args)
    story = write_demo_bucket(os.path.abspath(args.dir))
    print(f"wrote {story.objects} CloudTrail objects ({story.events:,} events) to {story.root}, and beside them:")
    print(f"  {'log type':<16} objects  records")
    for name in TYPE_ORDER[1:]:
        print(f"  {name:<16}{story.type_objects.get(name, 0):>8,}{story.type_records.get(name, 0):>9,}")
    args.url, args.type, args.since, args.until, args.dry_run = f"file://{story.root}", None, None, None, False
    for name, default in vars(_parser().parse_args(["backfill"])).items():  # every other backfill flag: its default
        if not hasattr(args, name):
            setattr(args, name, default)
    code = cmd_backfill(args)
    service, close = _service(settings)
    try:
        crossing = f"ips:{story.attacker_ip}"
        per_type = [(t, service.count(f"{crossing} source_type:{t}")) for t in TYPE_ORDER]
        print(f"\n$ backtrail search '{crossing}'   # one address in every log: {service.count(crossing)} events ("
              + ", ".join(f"{t} {n}" for t, n in per_type if n) + ")")
        ssrf = parse_time(story.ssrf_time)
        since = ssrf - timedelta(seconds=ssrf.second)  # from the SSRF's minute to the first use of the key
        until = since + timedelta(minutes=5, seconds=-1)
        print(f"$ backtrail search '{crossing}' --since {since:%Y-%m-%dT%H:%M:%SZ} --until {until:%Y-%m-%dT%H:%M:%SZ}"
              "   # the SSRF, then the stolen key's first call")
        _print(service.search(crossing, since, until, limit=20), "table",
               ("ts", "source_type", "action", "outcome", "src_ip", "resource"), width=None)
        for title, query in (("the leaked instance key, used outside the VPC",
                              f'"{story.leaked_key}" NOT src_ip:10.0.0.0/8'),
                             ("the backdoor key the attacker minted", f"principals:{story.backdoor_key}")):
            found = service.count(query)
            print(f"\n$ backtrail search '{query}'   # {title}: {found} events" + (", the newest 8" if found > 8 else ""))
            _print(service.search(query, limit=8), "table", TABLE_COLUMNS)
    finally:
        close()
    return code


def _print(rows: list[dict], fmt: str, columns, width: int | None = 60) -> None:
    columns = list(columns or (rows[0].keys() if rows else ()))
    if fmt == "json":
        out = sys.stdout.buffer
        for row in rows:
            out.write(orjson.dumps(row) + b"\n")
        out.flush()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    else:
        cells = [[_cell(row.get(c), width) for c in columns] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
        for r in cells:
            print("  ".join(v.ljust(w) for v, w in zip(r, widths)))
        print(f"({len(rows)} rows)")


def _cell(value, width: int | None = None) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode() if value is not None else ""
    text = text.replace("\n", " ")
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
