"""Settings shared by every command, from flags first, then the environment, then defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    data_dir: str = "./.backtrail"
    endpoint_url: str | None = None
    region: str | None = None
    alert_webhook: str | None = None  # new alerts are POSTed there as JSON
    store_url: str | None = None  # clickhouse://user:pass@host:8123/db; None: chDB in data_dir/store

    @classmethod
    def load(cls, data_dir: str | None = None, endpoint_url: str | None = None,
             region: str | None = None, alert_webhook: str | None = None, store_url: str | None = None) -> "Settings":
        return cls(
            data_dir=os.path.abspath(data_dir or os.environ.get("BACKTRAIL_DATA_DIR") or "./.backtrail"),
            endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None,
            region=region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None,
            alert_webhook=alert_webhook or os.environ.get("BACKTRAIL_ALERT_WEBHOOK") or None,
            store_url=store_url or os.environ.get("BACKTRAIL_STORE") or None,
        )

    @property
    def shared_store(self) -> bool:
        """A server store: any number of processes use it at once, each with its own connection."""
        return bool(self.store_url)

    @property
    def store_dir(self) -> str:
        return os.path.join(self.data_dir, "store")

    @property
    def queue_path(self) -> str:
        return os.path.join(self.data_dir, "queue.db")

    @property
    def server_file(self) -> str:
        """Where the process owning the embedded store publishes its API; "" for a shared store,
        which no process owns (every command connects to the server itself)."""
        return "" if self.shared_store else os.path.join(self.data_dir, "server.json")
