"""The embedded queue: a durable queue with SQS semantics in one SQLite file.

Several named queues may share a file and several processes may use it at once: the file is in
WAL mode, writers wait on a busy timeout, and `receive` claims messages inside `BEGIN IMMEDIATE`,
so two consumers never get the same delivery. A delivery hides the message for the visibility
timeout and gets a fresh receipt; only the latest receipt deletes or extends it (an older one is
silently ignored). A message due for delivery number `max_receives + 1` is moved to the
dead-letter state instead: kept in the file, counted in `stats().dead`, read with `dead_letters`.
Messages are delivered in send order among those visible.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ..core.records import Message, QueueStats

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at REAL NOT NULL,
    visible_at REAL NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT,
    dead INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS queue_messages_order ON queue_messages (queue, dead, seq, visible_at);
CREATE UNIQUE INDEX IF NOT EXISTS queue_messages_receipt ON queue_messages (receipt);
CREATE TABLE IF NOT EXISTS queue_sent (
    queue TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    sent_at REAL NOT NULL,
    PRIMARY KEY (queue, dedup_id)
);
"""
DEDUP_WINDOW_S = 7 * 86400  # a dedup id is remembered this long (SQS FIFO: 5 minutes)
_POLL_S = 0.05  # long-poll step: latency of `wait_s` against one cheap read per step


class SqliteQueue:
    """Queue `name` in the SQLite file `path` (created if missing); implements `ports.Queue`.

    `visibility_s` is the default visibility timeout of `receive`; `max_receives` is the number
    of deliveries a message gets before it is dead-lettered. Thread-safe; open one instance per
    process (do not share one across `fork`).
    """

    def __init__(self, path: str, name: str, visibility_s: int = 60,
                 max_receives: int = 5) -> None:
        self.path = os.path.abspath(path)
        self.name = name
        self.visibility_s = visibility_s
        self.max_receives = max_receives
        self.url = f"sqlite://{self.path}?name={name}"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: in WAL mode NORMAL may lose the last commits on power loss, and the Queue port
        # promises that every operation is durable when it returns.
        self._db.execute("PRAGMA synchronous=FULL")
        with self._tx():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so concurrent writers queue on the busy timeout."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def send(self, bodies: Sequence[str], delay_s: float = 0, dedup_ids: Sequence[str] | None = None) -> None:
        """Append all `bodies` in one transaction, in order; all or none are stored. A body whose
        dedup id was sent before (within `DEDUP_WINDOW_S`) is left out."""
        now = time.time()
        with self._tx() as db:
            if dedup_ids is not None:
                db.execute("DELETE FROM queue_sent WHERE queue = ? AND sent_at < ?", (self.name, now - DEDUP_WINDOW_S))
                fresh = [db.execute("INSERT OR IGNORE INTO queue_sent VALUES (?, ?, ?)",
                                    (self.name, d, now)).rowcount for d in dedup_ids]
                bodies = [b for b, new in zip(bodies, fresh) if new]
            db.executemany("INSERT INTO queue_messages (queue, id, body, sent_at, visible_at)"
                           " VALUES (?, ?, ?, ?, ?)",
                           [(self.name, uuid.uuid4().hex, body, now, now + delay_s) for body in bodies])

    def release_in_flight(self) -> int:
        """Make every delivery in flight visible now (its consumer is known to be gone)."""
        with self._tx() as db:
            return db.execute("UPDATE queue_messages SET visible_at = ?, receipt = NULL WHERE queue = ?"
                              " AND dead = 0 AND receipt IS NOT NULL AND visible_at > ?",
                              (time.time(), self.name, time.time())).rowcount

    def receive(self, max_messages: int = 10, wait_s: float = 0.0,
                visibility_s: int | None = None) -> list[Message]:
        """Claim up to `max_messages` visible messages, hiding them for `visibility_s`.

        With `wait_s` > 0, poll until a message arrives or `wait_s` has passed.
        """
        hide = self.visibility_s if visibility_s is None else visibility_s
        deadline = time.monotonic() + wait_s
        while True:
            got = self._receive_once(max_messages, hide)
            left = deadline - time.monotonic()
            if got or left <= 0:
                return got
            time.sleep(min(_POLL_S, left))

    def _receive_once(self, max_messages: int, hide: int) -> list[Message]:
        ready = "FROM queue_messages WHERE queue = ? AND dead = 0 AND visible_at <= ?"
        with self._lock:  # a plain read first, so idle pollers never take the write lock
            row = self._db.execute(f"SELECT 1 {ready} LIMIT 1", (self.name, time.time()))
            if row.fetchone() is None:
                return []
        out: list[Message] = []
        with self._tx() as db:
            now, after = time.time(), 0
            while len(out) < max_messages:  # more rounds only when some were dead-lettered
                rows = db.execute(f"SELECT seq, id, body, receive_count {ready}"
                                  " AND seq > ? ORDER BY seq LIMIT ?",
                                  (self.name, now, after, max_messages - len(out))).fetchall()
                if not rows:
                    break
                after = rows[-1][0]
                for seq, msg_id, body, count in rows:
                    if count >= self.max_receives:
                        db.execute("UPDATE queue_messages SET dead = 1, receipt = NULL"
                                   " WHERE seq = ?", (seq,))
                        continue
                    receipt = f"{seq}.{uuid.uuid4().hex}"
                    db.execute("UPDATE queue_messages SET visible_at = ?, receipt = ?,"
                               " receive_count = ? WHERE seq = ?",
                               (now + hide, receipt, count + 1, seq))
                    out.append(Message(id=msg_id, body=body, receipt=receipt,
                                       receive_count=count + 1))
        return out

    def delete(self, receipts: Sequence[str]) -> None:
        """Ack the deliveries named by `receipts`; unknown or superseded receipts are ignored."""
        with self._tx() as db:
            db.executemany("DELETE FROM queue_messages WHERE queue = ? AND receipt = ?",
                           [(self.name, r) for r in receipts])

    def extend(self, receipt: str, visibility_s: int) -> None:
        """Hide the delivery `receipt` for `visibility_s` seconds from now; stale receipts: no-op."""
        with self._tx() as db:
            db.execute("UPDATE queue_messages SET visible_at = ? WHERE queue = ? AND receipt = ?"
                       " AND dead = 0", (time.time() + visibility_s, self.name, receipt))

    def stats(self) -> QueueStats:
        """Exact counts of visible, in-flight and dead messages; age of the oldest live one."""
        now = time.time()
        with self._lock:
            visible, in_flight, dead, oldest = self._db.execute(
                "SELECT COALESCE(SUM(dead = 0 AND visible_at <= ?), 0),"
                " COALESCE(SUM(dead = 0 AND visible_at > ?), 0), COALESCE(SUM(dead), 0),"
                " MIN(CASE WHEN dead = 0 THEN sent_at END)"
                " FROM queue_messages WHERE queue = ?", (now, now, self.name)).fetchone()
        return QueueStats(visible=visible, in_flight=in_flight, dead=dead,
                          oldest_age_s=max(0.0, now - oldest) if oldest is not None else 0.0)

    def dead_letters(self, limit: int = 100) -> list[Message]:
        """Up to `limit` dead-lettered messages, oldest first (their receipt is empty)."""
        with self._lock:
            rows = self._db.execute("SELECT id, body, receive_count FROM queue_messages"
                                    " WHERE queue = ? AND dead = 1 ORDER BY seq LIMIT ?",
                                    (self.name, limit)).fetchall()
        return [Message(id=i, body=b, receipt="", receive_count=c) for i, b, c in rows]

    def redrive(self, delivered: bool = False) -> int:
        """Make every dead letter a fresh, visible message again (receive count 0, original
        order kept); with `delivered`, every visible message delivered before starts from receive
        0 too. In-flight messages and other queues are left alone. Returns how many."""
        now = time.time()
        with self._tx() as db:
            return db.execute("UPDATE queue_messages SET receipt = CASE WHEN dead = 1 THEN NULL ELSE receipt END,"
                              " dead = 0, receive_count = 0, visible_at = ? WHERE queue = ? AND (dead = 1"
                              " OR (? AND visible_at <= ? AND receive_count > 0))",
                              (now, self.name, int(delivered), now)).rowcount

    def purge(self) -> None:
        """Drop every message of this queue, dead letters included."""
        with self._tx() as db:
            db.execute("DELETE FROM queue_messages WHERE queue = ?", (self.name,))

    def close(self) -> None:
        """Close the connection; the instance is unusable afterwards."""
        with self._lock:
            self._db.close()
