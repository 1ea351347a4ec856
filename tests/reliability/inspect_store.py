"""Run as a script: `python inspect_store.py DATA_DIR` prints (JSON, last line) what a stopped
backtrail process left there, and which phase of the object pipeline it was in when it stopped:

- `mid-write`: the ledger holds objects `started` and not finished (rows being inserted);
- `between write and ack`: a delivery in flight names only objects the ledger has as finished;
- `after receive, before write`: deliveries in flight name objects not started (fetch, parse);
- `planning`: nothing in flight, a job still listing; `idle`: none of these.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

from backtrail.adapters.chdb_store import ChdbStore
from backtrail.core.errors import BacktrailError
from backtrail.logtypes import notifications

FINISHED = ("done", "skipped", "empty", "failed", "superseded")


def main(data_dir: str) -> dict:
    out = {"ledger": {}, "jobs": {}, "queue": {"visible": 0, "in_flight": 0, "dead": 0}, "listed_objects": []}
    latest: dict[str, str] = {}
    if os.path.isdir(os.path.join(data_dir, "store")):
        store = ChdbStore(os.path.join(data_dir, "store"))
        try:
            latest = {r["identity"]: r["state"] for r in store.query(
                "SELECT identity, argMax(state, updated_at) AS state FROM objects GROUP BY identity")}
            out["jobs"] = {r["id"]: {"state": r["state"], "planned": r["planned"]} for r in store.query(
                "SELECT id, argMax(state, updated_at) AS state, argMax(planned_at, updated_at) IS NOT NULL AS planned"
                " FROM backfills GROUP BY id")}
            out["listed_objects"] = sorted(r["name"] for r in store.query(
                "SELECT DISTINCT concat(bucket, '/', key) AS name FROM backfill_objects"))
        except BacktrailError:  # killed before the tables were made
            pass
        store.close()
    for state in latest.values():
        out["ledger"][state] = out["ledger"].get(state, 0) + 1
    in_flight_refs, queued = [], set()
    queue = os.path.join(data_dir, "queue.db")
    if os.path.exists(queue):
        db = sqlite3.connect(queue)
        now = time.time()
        for body, receipt, visible_at, dead in db.execute(
                "SELECT body, receipt, visible_at, dead FROM queue_messages"):
            if not dead:
                queued |= {r.info.name for r in notifications.decode(body).refs}
            if dead:
                out["queue"]["dead"] += 1
            elif receipt is not None and visible_at > now:
                out["queue"]["in_flight"] += 1
                in_flight_refs.append([r.info.identity for r in notifications.decode(body).refs])
                out.setdefault("deliveries", []).append({"receipt": receipt, "objects": in_flight_refs[-1]})
            else:
                out["queue"]["visible"] += 1
        db.close()
    phases = []  # with two worker threads, more than one may hold
    if out["ledger"].get("started"):
        phases.append("mid-write")
    if any(all(latest.get(i) in FINISHED for i in refs) for refs in in_flight_refs):
        phases.append("between write and ack")
    if any(not all(latest.get(i) in FINISHED for i in refs) and not any(latest.get(i) == "started" for i in refs)
           for refs in in_flight_refs):
        phases.append("after receive, before write")
    if any(not j["planned"] and j["state"] in ("planning", "running") for j in out["jobs"].values()):
        phases.append("planning")
    phase = phases[0] if phases else "idle"
    out["phases"] = phases or ["idle"]
    out["phase"] = phase
    out["started_objects"] = sorted(i for i, state in latest.items() if state == "started")
    out["finished_objects"] = sorted(i for i, state in latest.items() if state in FINISHED)
    out["done_objects"] = sorted({i.rpartition("#")[0] for i, state in latest.items() if state == "done"})
    out["queued_objects"] = sorted(queued)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
