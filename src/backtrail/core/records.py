"""Plain values that cross every boundary: object references and queue messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ObjectInfo:
    """One object as a listing or a notification describes it."""

    bucket: str
    key: str
    size: int = 0
    etag: str = ""
    version_id: str = ""
    last_modified: datetime | None = None

    @property
    def identity(self) -> str:
        """What makes a write idempotent: the same object, the same content."""
        return f"{self.bucket}/{self.key}#{self.etag or self.version_id or self.size}"

    @property
    def name(self) -> str:
        return f"{self.bucket}/{self.key}"


@dataclass(frozen=True)
class ObjectRef:
    """An object to ingest, as decoded from one notification record."""

    info: ObjectInfo
    backfill_id: str = ""


@dataclass(frozen=True)
class Message:
    """A received queue message. `receipt` acks it; `receive_count` counts deliveries."""

    id: str
    body: str
    receipt: str
    receive_count: int = 1


@dataclass
class QueueStats:
    visible: int = 0
    in_flight: int = 0
    dead: int = 0
    oldest_age_s: float = 0.0


@dataclass
class Decoded:
    """What one message holds: object references, plus records deliberately ignored."""

    refs: list[ObjectRef] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
