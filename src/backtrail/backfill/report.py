"""What `status`, `backfills`, `coverage` and the API show of jobs: counts from the job ledger
turned into rates, ETAs, and per-source day coverage."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .jobs import FINAL, Job, Jobs, now

COUNTS = ("listed", "done", "failed", "skipped", "cancelled", "events", "bytes")


def queued(by_type: dict[str, dict[str, Any]]) -> int:
    """Objects of a job's progress (`Jobs.progress`) listed and not yet ended."""
    return sum(t["listed"] - t["done"] - t["failed"] - t["skipped"] - t["cancelled"] for t in by_type.values())


def job_report(job: Job, by_type: dict[str, dict[str, Any]], last_errors: list[str]) -> dict[str, Any]:
    """One job as the API shows it: `objects_*`, events, bytes read, rate (events/s), ETA."""
    total = {k: sum(t[k] for t in by_type.values()) for k in COUNTS}
    ended = total["done"] + total["failed"] + total["skipped"] + total["cancelled"]
    end = job.finished_at or now()
    elapsed = max((end - job.started_at).total_seconds(), 1e-3) if job.started_at else 0.0
    per_s = ended / elapsed if elapsed else 0.0
    left = queued(by_type)
    first = min((t["first_day"] for t in by_type.values() if t["first_day"]), default=None)
    last = max((t["last_day"] for t in by_type.values() if t["last_day"]), default=None)
    d = job.as_dict()
    return {"id": job.id, "state": job.state, "objects_listed": total["listed"], "objects_done": total["done"],
            "objects_failed": total["failed"], "objects_skipped": total["skipped"],
            "objects_cancelled": total["cancelled"], "objects_queued": left,
            "events": total["events"], "bytes": total["bytes"],
            "rate": round(total["events"] / elapsed, 1) if elapsed else 0.0,
            "objects_per_s": round(per_s, 2), "bytes_per_s": round(total["bytes"] / elapsed) if elapsed else 0,
            "eta_s": (round(left / per_s, 1) if per_s else None) if job.state not in FINAL else 0.0,
            "listing_complete": job.planned_at is not None,
            "created_at": d["created_at"], "started_at": d["started_at"], "finished_at": d["finished_at"],
            "since": d["since"], "until": d["until"], "covered": {"first_day": first, "last_day": last},
            "url": job.url, "prefixes": job.prefixes, "sources": job.sources, "options": job.options,
            "notify": job.notify, "summary": job.summary,
            "by_source_type": {t: {k: v[k] for k in COUNTS} for t, v in sorted(by_type.items())},
            "last_errors": last_errors}


def reports(jobs: Jobs, job_ids: list[str] | None = None) -> list[dict[str, Any]]:
    listed = [j for j in jobs.list() if job_ids is None or j.id in job_ids]
    progress = jobs.progress([j.id for j in listed]) if listed else {}
    return [job_report(j, progress.get(j.id, {}), jobs.last_errors(j.id) if progress.get(j.id) else [])
            for j in listed]


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """What a finished job records, and its webhook's body."""
    return {"id": report["id"], "state": report["state"], "objects": report["objects_listed"],
            "objects_done": report["objects_done"], "objects_skipped": report["objects_skipped"],
            "objects_cancelled": report["objects_cancelled"], "events": report["events"],
            "bytes": report["bytes"], "failed": report["objects_failed"], "started": report["started_at"],
            "finished": report["finished_at"]}


def coverage(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per source (type, account, region): every day from its first to its last, each loaded
    (all its objects done or skipped), partial (some failed, queued or cancelled) or missing."""
    sources: dict[tuple, dict[str, dict]] = {}
    for r in rows:
        sources.setdefault((r["source_type"], r["account_id"], r["region"]), {})[r["day"]] = r
    out = []
    for (source_type, account, region), found in sorted(sources.items()):
        first, last = date.fromisoformat(min(found)), date.fromisoformat(max(found))
        days = []
        for i in range((last - first).days + 1):
            day = (first + timedelta(days=i)).isoformat()
            r = found.get(day)
            state = "missing" if r is None else "loaded" if int(r["loaded"]) == int(r["objects"]) else "partial"
            days.append({"day": day, "state": state, "objects": int(r["objects"]) if r else 0,
                         "loaded": int(r["loaded"]) if r else 0, "failed": int(r["failed"]) if r else 0})
        out.append({"source_type": source_type, "account_id": account, "region": region,
                    "first_day": first.isoformat(), "last_day": last.isoformat(),
                    **{s: [d["day"] for d in days if d["state"] == s] for s in ("loaded", "partial", "missing")},
                    "days": days})
    return out
