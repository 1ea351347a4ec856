"""`GET /metrics`: what the store holds, as Prometheus gauges (the worker adds its own, see ingest/metrics.py).

| name | labels | meaning |
|---|---|---|
| backtrail_events_stored | source_type | events in the store |
| backtrail_objects_stored | state | objects in the ledger, by their latest state (done, failed, skipped…) |
| backtrail_live_lag_seconds | source_type | now minus the time of the newest stored event |
"""
from __future__ import annotations

from ..core.ports import Store
from ..ingest.metrics import Metrics


def render(store: Store) -> str:
    m = Metrics()
    for r in store.query("SELECT source_type, count() AS n, dateDiff('millisecond', max(ts), now64(3)) / 1000 AS lag"
                         " FROM events GROUP BY source_type ORDER BY source_type"):
        m.gauge("backtrail_events_stored", "events in the store", source_type=r["source_type"]).set(int(r["n"]))
        m.gauge("backtrail_live_lag_seconds", "now minus the time of the newest stored event",
                source_type=r["source_type"]).set(float(r["lag"]))
    for r in store.query("SELECT state, count() AS n FROM (SELECT argMax(state, updated_at) AS state FROM objects"
                         " GROUP BY identity) GROUP BY state ORDER BY state"):
        m.gauge("backtrail_objects_stored", "objects in the ledger by latest state", state=r["state"]).set(int(r["n"]))
    return m.render()
