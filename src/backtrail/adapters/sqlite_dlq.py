"""Dead letters of the embedded queue: replay them (`SqliteQueue.dead_letters` lists them).

Uses its own connection to the queue's file, so it works next to a running worker.
"""
from __future__ import annotations

import sqlite3
import time

from .sqlite_queue import SqliteQueue


def redrive(queue: SqliteQueue) -> int:
    """Make every dead letter of `queue` a fresh, visible message again (receive count 0,
    original order kept); returns how many were revived."""
    db = sqlite3.connect(queue.path, timeout=30.0, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        try:
            n = db.execute("UPDATE queue_messages SET dead = 0, receive_count = 0,"
                           " receipt = NULL, visible_at = ? WHERE queue = ? AND dead = 1",
                           (time.time(), queue.name)).rowcount
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return n
    finally:
        db.close()
