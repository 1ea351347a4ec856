"""Builds the parts from settings: the only place that picks adapters."""
from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import urlparse

from .adapters.chdb_store import ChdbStore
from .adapters.file_objects import FileObjects
from .adapters.s3_objects import S3Objects
from .adapters.sqlite_queue import SqliteQueue
from .core.errors import ConfigError
from .core.ports import ObjectStore, Queue
from .core.schema import create_tables
from .core.settings import Settings
from .ingest.worker import Source, Worker


def open_store(settings: Settings) -> ChdbStore:
    store = ChdbStore(settings.store_dir)
    create_tables(store)
    return store


def objects_from_url(url: str, settings: Settings) -> ObjectStore:
    """`file:///dir/prefix`, a plain path, or `s3://bucket/prefix`."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ConfigError(f"no bucket in {url!r} (expected s3://bucket/prefix)")
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
        return S3Objects(bucket, endpoint_url=settings.endpoint_url, region=settings.region)
    return objects_for


def embedded_queue(settings: Settings, name: str) -> Queue:
    os.makedirs(settings.data_dir, exist_ok=True)
    return SqliteQueue(settings.queue_path, name, visibility_s=600)


def default_source(settings: Settings, log_type: str | None) -> Source:
    name = log_type or "auto"
    return Source(name, log_type, live=[embedded_queue(settings, f"{name}-live")],
                  backfill=[embedded_queue(settings, f"{name}-backfill")])


def worker(settings: Settings, store, sources: list[Source], **kwargs) -> Worker:
    return Worker(store, sources, objects_resolver(settings), **kwargs)


class OwnedStore:
    """Open the store and publish a local API for other CLI invocations while this process runs."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __enter__(self):
        import json
        import secrets

        from .query.http import ApiServer
        from .query.service import QueryService

        self.store = open_store(self.settings)
        self.service = QueryService(self.store)
        self.server = ApiServer(self.service, secrets.token_urlsafe(24)).start()
        fd = os.open(self.settings.server_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"url": self.server.url, "token": self.server.httpd.RequestHandlerClass.token,
                       "pid": os.getpid()}, f)
        return self

    def __exit__(self, *exc):
        try:
            os.unlink(self.settings.server_file)
        except FileNotFoundError:
            pass
        self.server.stop()
        self.store.close()
