"""Builds the parts from settings: the only place that picks adapters.

The AWS and ClickHouse-server adapters are imported where they are picked: a process that
needs neither (a `file://` backfill into the embedded store) starts without loading boto3 and
clickhouse-connect (~0.2 s of CPU)."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlparse

from .adapters.chdb_store import ChdbStore
from .adapters.file_objects import FileObjects
from .adapters.sqlite_queue import SqliteQueue
from .adapters.webhook import post_json
from .backfill.jobs import PLANNING, RUNNING, Job, Jobs, StateCache
from .backfill.runner import PAGE, Runner
from .core.config import load_config
from .core.errors import ConfigError
from .core.ports import ObjectStore, Queue, Store
from .core.priority import PriorityStore
from .core.schema import create_tables
from .core.settings import Settings
from .detect import alerts
from .detect.continuous import ContinuousDetection
from .ingest.worker import Source, Worker
from .logtypes.registry import LOG_TYPES

LANES = 2
"""Connections of the embedded store: the engine runs them side by side, so a backfill's INSERT
and the next INSERT or detection check keep two cores busy (`core.priority`)."""
END_GRACE_S = 1.0
"""With a shared store, a claim to end a job is read again this much later (`Runner.end_grace_s`)."""


def open_store(settings: Settings) -> Store:
    """The store of the settings, its schema migrated: a ClickHouse server when `store_url`
    names one (a connection of this process's own), else chDB in the data dir, whose turns go
    to searches and live objects first."""
    if settings.store_url:
        if not settings.store_url.startswith(("clickhouse://", "clickhouses://")):
            raise ConfigError(f"unsupported store {settings.store_url!r} (use clickhouse://user:pass@host:8123/db)")
        from .adapters.clickhouse_store import ClickHouseStore
        os.makedirs(settings.data_dir, exist_ok=True)
        store = ClickHouseStore(settings.store_url, workdir=settings.data_dir)
    else:
        lanes: list[Store] = []
        try:
            for _ in range(LANES):
                lanes.append(ChdbStore(settings.store_dir))
        except BaseException:
            for lane in lanes:
                lane.close()
            raise
        store = PriorityStore(*lanes)
    try:
        create_tables(store)
    except BaseException:
        store.close()
        raise
    return store


@contextlib.contextmanager
def scratch_store():
    """A throw-away embedded store and work directory, for parsing files outside any data dir."""
    with tempfile.TemporaryDirectory(prefix="backtrail-parse-") as tmp:
        store = ChdbStore(os.path.join(tmp, "store"))
        try:
            yield store, tmp
        finally:
            store.close()


def objects_from_url(url: str, settings: Settings) -> ObjectStore:
    """`file:///dir/prefix`, a plain path, or `s3://bucket/prefix`."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ConfigError(f"no bucket in {url!r} (expected s3://bucket/prefix)")
        from .adapters.s3_objects import S3Objects
        return S3Objects(parsed.netloc, parsed.path.lstrip("/"), endpoint_url=settings.endpoint_url,
                         region=settings.region)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise ConfigError(f"{url!r} names a host; a local directory is file:///absolute/path")
        return FileObjects(parsed.path)
    if parsed.scheme == "":
        return FileObjects(url)
    raise ConfigError(f"unsupported object location {url!r} (use file:///dir/prefix or s3://bucket/prefix)")


def objects_resolver(settings: Settings):
    """Object store for a notification's bucket: directories for file buckets, else S3."""
    @lru_cache(maxsize=64)
    def objects_for(bucket: str) -> ObjectStore:
        if bucket.startswith("/"):
            return FileObjects(bucket)
        from .adapters.s3_objects import S3Objects
        return S3Objects(bucket, endpoint_url=settings.endpoint_url, region=settings.region)
    return objects_for


def embedded_queue(settings: Settings, name: str) -> Queue:
    os.makedirs(settings.data_dir, exist_ok=True)
    return SqliteQueue(settings.queue_path, name, visibility_s=600)


def default_source(settings: Settings, log_type: str | None) -> Source:
    name = log_type or "auto"
    return Source(name, log_type, live=[embedded_queue(settings, f"{name}-live")],
                  backfill=[embedded_queue(settings, f"{name}-backfill")])


def embedded_sources(settings: Settings, log_types) -> list[Source]:
    """Every queue `backtrail backfill URL [--type T]` may fill in this data dir: the default
    source's, and the backfill queue of each forced type."""
    return [default_source(settings, None)] + [
        Source(t, t, backfill=[embedded_queue(settings, f"{t}-backfill")]) for t in log_types]


def config_settings(config, data_dir: str | None, endpoint_url: str | None, region: str | None,
                    alert_webhook: str | None = None, store_url: str | None = None) -> Settings:
    """Flags first, then the sources file, then the environment."""
    return Settings.load(data_dir or config.data_dir, endpoint_url or config.aws.endpoint_url,
                         region or config.aws.region, alert_webhook or config.alerts.webhook, store_url)


def config_source(config, settings: Settings, name: str) -> Source:
    """One source of a sources file, its queues opened (nothing is received yet)."""
    chosen = config.source(name)

    def queue(q) -> Queue:
        visibility = config.worker.visibility_timeout
        if q.kind == "sqlite":
            return SqliteQueue(q.sqlite_path, q.sqlite_name, visibility_s=visibility, max_receives=chosen.max_receives)
        from .adapters.sqs_queue import SqsQueue
        return SqsQueue(q.url, endpoint_url=settings.endpoint_url, region=settings.region, visibility_s=visibility)
    return Source(chosen.name, chosen.type, live=[queue(q) for q in chosen.live],
                  backfill=[queue(q) for q in chosen.backfill])


def create_queues(config, settings: Settings, notify: str = "direct") -> list[str]:
    """Every SQS queue of the file (with a dead-letter queue), live queues wired to their bucket."""
    from .adapters import aws_setup
    sqs = aws_setup.client("sqs", settings.endpoint_url, settings.region)
    s3 = aws_setup.client("s3", settings.endpoint_url, settings.region)
    done = []
    for source in config.sources:
        parsed = urlparse(source.objects)
        for q in source.queues:
            if q.kind != "sqs":
                continue
            url, dlq = aws_setup.create_queue_with_dlq(sqs, aws_setup.queue_name_from_url(q.url),
                                                       max_receives=source.max_receives,
                                                       visibility_timeout=config.worker.visibility_timeout)
            done.append(f"{source.name}: {q.role} queue {url} (dead letters: {dlq})")
            if q.role == "live" and parsed.scheme == "s3":
                if notify == "sns":
                    sns = aws_setup.client("sns", settings.endpoint_url, settings.region)
                    topic = aws_setup.wire_bucket_via_sns(s3, sns, sqs, parsed.netloc, url, parsed.path.lstrip("/"))
                    done.append(f"{source.name}: s3://{parsed.netloc} ObjectCreated -> {topic} -> {url}")
                else:
                    aws_setup.wire_bucket_to_queue(s3, sqs, parsed.netloc, url, parsed.path.lstrip("/"))
                    done.append(f"{source.name}: s3://{parsed.netloc} ObjectCreated -> {url}")
    return done


def dead_letters(source: Source, settings: Settings, redrive_them: bool = False) -> list[tuple[str, list]]:
    """Per queue of the source: its dead letters (id, receives, body), or how many were redriven."""
    from .adapters import aws_setup
    out = []
    for queue in (*source.live, *source.backfill):
        if isinstance(queue, SqliteQueue):
            out.append((queue.url, queue.redrive() if redrive_them else
                        [(m.id, m.receive_count, m.body) for m in queue.dead_letters(20)]))
            continue
        sqs = aws_setup.client("sqs", settings.endpoint_url, settings.region)
        dlq = aws_setup.dlq_url_of(sqs, queue.url)
        if dlq is None:
            out.append((queue.url, []))
        elif redrive_them:
            out.append((queue.url, aws_setup.redrive(sqs, dlq, queue.url)))
        else:
            out.append((queue.url, [(m["id"], m["receive_count"], m["body"]) for m in aws_setup.dead_letters(sqs, dlq, 20)]))
    return out


def worker(settings: Settings, store, sources: list[Source], **kwargs) -> Worker:
    """A worker that learns backfill jobs' states (paused, cancelled) from the store."""
    return Worker(store, sources, objects_resolver(settings), job_state=StateCache(Jobs(store)), **kwargs)


def job_source(settings: Settings, job: Job) -> Source:
    """The source whose backfill queue a job fills: its sources file's, or a queue of its own in
    this data dir (the worker takes turns between sources: jobs loaded side by side share it fairly)."""
    if path := job.options.get("config"):
        config = load_config(path, known_types=LOG_TYPES)
        return config_source(config, config_settings(config, settings.data_dir, settings.endpoint_url,
                                                     settings.region, store_url=settings.store_url), job.sources[0])
    log_type = job.options.get("type")
    return Source(log_type or "auto", log_type, backfill=[embedded_queue(settings, f"backfill-{job.id}")])


@contextlib.contextmanager
def own_queues(settings: Settings, job: Job) -> Iterator[list[SqliteQueue]]:
    """The job's own queues in this data dir, closed after; none for a job of a sources file, whose
    queues its sources share (`backtrail dlq` handles those; SQS counts are approximate)."""
    queues = [] if job.options.get("config") else job_source(settings, job).backfill
    try:
        yield queues
    finally:
        for queue in queues:
            queue.close()


def reclaim(settings: Settings, job: Job) -> None:
    """Deliveries in flight on this data dir's own queue belong to a process that is gone (this
    one owns the data dir now): make them visible, so a resumed job does not wait them out."""
    with own_queues(settings, job) as queues:
        for queue in queues:
            queue.release_in_flight()


def redrive_job(settings: Settings, job: Job) -> int:
    """Every message of the job's own queue that is not in flight, dead letters included, gets its
    deliveries back (receive count 0); how many."""
    with own_queues(settings, job) as queues:
        return sum(queue.redrive(delivered=True) for queue in queues)


def stranded_job(settings: Settings, job: Job) -> bool:
    """The job's own queue has dead letters and nothing else: no message waiting or in flight."""
    with own_queues(settings, job) as queues:
        stats = [queue.stats() for queue in queues]
    return any(st.dead for st in stats) and not any(st.visible + st.in_flight for st in stats)


def backfill_runner(settings: Settings, store, work: Worker | None, service=None, **kwargs) -> Runner:
    """Runs backfill jobs in this process: each job's queue is added to `work`'s sources; with a
    `service`, the HTTP API creates and resumes jobs through it."""
    def queue_for(job: Job):
        source = job_source(settings, job)
        if work is not None:
            work.serve(source)
        return source.backfill[0]
    kwargs.setdefault("page", int(os.environ.get("BACKTRAIL_PLAN_PAGE") or PAGE))  # objects per page and checkpoint
    kwargs.setdefault("end_grace_s", END_GRACE_S if settings.store_url else 0.0)  # chDB: one process
    runner = Runner(Jobs(store), lambda job: objects_from_url(job.url, settings), queue_for, post=post_json,
                    redrive=lambda job: redrive_job(settings, job), stranded=lambda job: stranded_job(settings, job),
                    **kwargs)
    if service is not None:
        service.backfill_runner = runner
    return runner


def adopt_jobs(settings: Settings, runner: Runner) -> list[str]:
    """This data dir's jobs that no process runs any more (queued with --enqueue-only, or left by
    a crash), running or planning: planned from their checkpoints and loaded by `runner`."""
    adopted = []
    for job in runner.jobs.list():
        if job.state in (PLANNING, RUNNING) and not job.options.get("config"):
            reclaim(settings, job)
            adopted.append(runner.start(job).id)
    return adopted


def alert_notifier(settings: Settings):
    """What receives new alerts: the webhook of the settings, or nothing."""
    if not settings.alert_webhook:
        return None
    url = settings.alert_webhook
    return lambda rows: post_json(url, {"alerts": rows, "count": len(rows)})


def detection(settings: Settings, store, rule_dirs: tuple[str, ...] | list[str] = ()) -> ContinuousDetection:
    """The pack (and the user's rules) over every batch a worker writes."""
    return ContinuousDetection(store, alerts.rules(list(rule_dirs)), alert_notifier(settings))


class OwnedStore:
    """Open the store and publish a local API for other CLI invocations while this process runs.

    The API listens on `host:port` (default: 127.0.0.1, a free port) with `token` (default: a
    random one); `server.json` names a loopback address of it, mode 0600, until exit (with
    `publish=False`, from `publish()` on). A shared (server) store is owned by no process: nothing
    is published, every command connects itself."""

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                 publish: bool = True):
        self.settings, self.host, self.port, self.token, self._publish = settings, host, port, token, publish

    def __enter__(self):
        import secrets

        from .query.http import ApiServer
        from .query.service import QueryService

        self.store = open_store(self.settings)
        self.service = QueryService(self.store, alert_notifier(self.settings))
        self.token = self.token or secrets.token_urlsafe(24)
        try:
            self.server = ApiServer(self.service, self.token, self.host, self.port).start()
        except BaseException:
            self.store.close()
            raise
        port = self.server.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{port}" if self.host in ("0.0.0.0", "") else self.server.url
        if self._publish:
            self.publish()
        return self

    def publish(self) -> None:
        """Name the API in `server.json`: other CLI invocations go through it from now on."""
        import json

        if not self.settings.server_file:
            return
        fd = os.open(self.settings.server_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"url": self.url, "token": self.token, "pid": os.getpid()}, f)

    def __exit__(self, *exc):
        try:
            if self.settings.server_file:
                os.unlink(self.settings.server_file)
        except FileNotFoundError:
            pass
        self.server.stop()
        self.store.close()


# --- operations: `backtrail scale` and `backtrail iam-policy` look-ups ---------------------------

def sqs_age_probe(settings: Settings):
    """url → the SQS queue's oldest-message age from CloudWatch (seconds), or None when unknown."""
    from botocore.exceptions import BotoCoreError

    from .adapters import aws_lookup, aws_setup
    try:
        cloudwatch = aws_setup.client("cloudwatch", settings.endpoint_url, settings.region)
    except BotoCoreError:  # no region, no credentials: the age stays unknown
        return lambda url: None
    return lambda url: aws_lookup.sqs_oldest_age(cloudwatch, aws_setup.queue_name_from_url(url))


def bucket_encryption(settings: Settings, bucket: str):
    """The bucket's default encryption and region (`aws_lookup.BucketEncryption`)."""
    from botocore.exceptions import BotoCoreError

    from .adapters import aws_lookup, aws_setup
    try:
        s3 = aws_setup.client("s3", settings.endpoint_url, settings.region)
        return aws_lookup.bucket_encryption(s3, lambda region: aws_setup.client("kms", settings.endpoint_url, region),
                                            bucket)
    except BotoCoreError as exc:
        raise ConfigError(f"bucket {bucket}: {exc}") from exc
