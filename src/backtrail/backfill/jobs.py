"""Backfill jobs in the store: the job rows, their listing checkpoints, and their progress,
counted from the job ledger (`backfill_objects`), so every process sees the same exact numbers.
"""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

import orjson

from ..core.errors import ConfigError, NotFound
from ..core.ports import Store
from ..core.records import ObjectInfo

PLANNING, RUNNING, PAUSED, CANCELLED, DONE, FAILED = "planning", "running", "paused", "cancelled", "done", "failed"
FINAL = (CANCELLED, DONE, FAILED)
RANK = ("multiIf(state = 'done', 4, state = 'failed', 3, state IN ('skipped', 'empty'), 2,"
        " state = 'cancelled', 1, 0)")
"""An object's state within a job is its most advanced one: listed < cancelled < skipped < failed < done
(a redelivered object already done stays done)."""
_TIME = "%Y-%m-%d %H:%M:%S.%f"
CLAIM_S = 60
"""A claim to end a job stands this long; then another process may end it (the claimer died)."""


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return f"bf-{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


@dataclass
class Job:
    """One backfill. `options`: type, newest_first, include, exclude, config (a sources file)."""
    id: str
    url: str
    sources: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    options: dict[str, Any] = field(default_factory=dict)
    state: str = PLANNING
    created_at: datetime = field(default_factory=now)
    started_at: datetime | None = None
    planned_at: datetime | None = None
    finished_at: datetime | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    notify: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: _iso(v) if isinstance(v, datetime) else v for k, v in asdict(self).items()}


def new_job(url: str, since: datetime | None = None, until: datetime | None = None, *, type: str | None = None,
            newest_first: bool = False, include: list[str] | None = None, exclude: list[str] | None = None,
            prefixes: list[str] | None = None, notify: str = "", config: str | None = None,
            source: str | None = None) -> Job:
    """A job as a user asks for it; `config` and `source`: a sources file's source to fill."""
    if not isinstance(url, str) or not url:
        raise ConfigError("a backfill needs a url (file:///dir or s3://bucket/prefix)")
    for name, value in (("include", include), ("exclude", exclude), ("prefixes", prefixes)):
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{name} must be a list of strings")
    if since and until and until < since:
        raise ConfigError(f"until ({until:%Y-%m-%d %H:%M}) is before since ({since:%Y-%m-%d %H:%M})")
    options = {k: v for k, v in {"type": type, "newest_first": bool(newest_first), "include": include or [],
                                 "exclude": exclude or [], "config": config}.items() if v is not None}
    return Job(new_id(), url, sources=[source or type or "auto"], prefixes=list(prefixes or []),
               since=since, until=until, options=options, notify=notify or "")


class Jobs:
    """The `backfills`, `backfill_prefixes` and `backfill_objects` tables."""

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()  # read-modify-write of a job row, within this process

    def save(self, job: Job) -> Job:
        row = {**asdict(job), "options": orjson.dumps(job.options).decode(),
               "summary": orjson.dumps(job.summary).decode()}
        self._insert("backfills", [{k: _sql_time(v) for k, v in row.items()}])
        return job

    def get(self, job_id: str) -> Job:
        found = self._select("WHERE id = {id:String}", {"id": job_id})
        if not found:
            raise NotFound(f"no backfill {job_id!r} (`backtrail backfills` lists them)")
        return found[0]

    def list(self) -> list[Job]:
        return self._select("", {})

    def update(self, job_id: str, **changes) -> Job:
        with self._lock:
            return self.save(replace(self.get(job_id), **changes))

    def listing_done(self, job_id: str) -> Job:
        with self._lock:
            job = self.get(job_id)
            return self.save(replace(job, planned_at=now(), state=RUNNING if job.state == PLANNING else job.state))

    def control(self, job_id: str, action: str) -> Job:
        """cancel, pause or resume a job; a job that has ended cannot be changed, except that a
        failed one may be resumed (its listing goes on from its checkpoint, and the runner sends
        its dead-lettered objects again: `Runner.resume`)."""
        with self._lock:
            job = self.get(job_id)
            if job.state in FINAL and not (action == "resume" and job.state == FAILED):
                raise ConfigError(f"backfill {job_id} has ended ({job.state}); nothing to {action}")
            if action == "cancel":
                job = replace(job, state=CANCELLED, finished_at=now())
            elif action == "pause":
                job = replace(job, state=PAUSED)
            elif action == "resume":
                job = replace(job, state=RUNNING if job.planned_at else PLANNING, finished_at=None, summary={})
            else:
                raise ConfigError(f"unknown action {action!r} (cancel, pause, resume)")
            return self.save(job)

    def claim_end(self, job_id: str, token: str) -> bool:
        """Mark that the process holding `token` ends the job (state, summary, webhook, retro hunt),
        unless another one claimed it less than `CLAIM_S` ago. The store has no compare-and-swap:
        two processes may both claim; the latest claim is the one that stands, so each ends the job
        only if, read again once the other's claim is visible (`Runner` waits `end_grace_s`), the
        claim is still its own (`claimed`). A claimer that died leaves the job to the next after CLAIM_S."""
        with self._lock:
            job = self.get(job_id)
            mine = {"closing": token, "closing_at": time.time()}
            if job.summary.get("state") or (job.summary.get("closing", token) != token
                                             and time.time() - job.summary.get("closing_at", 0) < CLAIM_S):
                return False
            self.save(replace(job, summary=mine))
            return True

    def claimed(self, job_id: str, token: str) -> bool:
        return self.get(job_id).summary.get("closing") == token

    def states(self) -> dict[str, str]:
        rows = self.store.query("SELECT id, argMax(state, updated_at) AS state FROM backfills GROUP BY id")
        return {r["id"]: r["state"] for r in rows}

    def checkpoints(self, job_id: str) -> dict[str, tuple[str, bool]]:
        """Per prefix listed so far: the last key enqueued, and whether the prefix is finished."""
        rows = self.store.query(
            "SELECT prefix, argMax(after_key, updated_at) AS after, argMax(done, updated_at) AS done"
            " FROM backfill_prefixes WHERE backfill_id = {id:String} GROUP BY prefix", {"id": job_id})
        return {r["prefix"]: (r["after"], bool(r["done"])) for r in rows}

    def checkpoint(self, job_id: str, prefix: str, after_key: str, done: bool) -> None:
        self._insert("backfill_prefixes", [{"backfill_id": job_id, "prefix": prefix, "after_key": after_key,
                                            "done": int(done)}])

    def listed(self, job_id: str, rows: list[dict[str, Any]]) -> None:
        """Objects enqueued by the job's planner: dicts of `describe`."""
        self._insert("backfill_objects", ({**r, "backfill_id": job_id, "state": "listed"} for r in rows))

    def progress(self, job_ids: list[str] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
        """Per job, per source type: objects listed/done/failed/skipped/cancelled, events, bytes
        read, the days loaded, and when the last object ended."""
        where, params = ("WHERE backfill_id IN {ids:Array(String)}", {"ids": job_ids}) if job_ids else ("", {})
        rows = self.store.query(
            "SELECT backfill_id, source_type, count() AS listed, countIf(s = 'done') AS done,"
            " countIf(s = 'failed') AS failed, countIf(s IN ('skipped', 'empty')) AS skipped,"
            " countIf(s = 'cancelled') AS cancelled, sum(ev) AS events,"
            " sumIf(size, s IN ('done', 'failed', 'empty')) AS bytes, toString(minIf(day, s = 'done')) AS first_day,"
            " toString(maxIf(day, s = 'done')) AS last_day, toString(max(at)) AS last_at FROM ("
            f" SELECT backfill_id, identity, argMax(state, ({RANK}, updated_at)) AS s,"
            f" argMax(events, ({RANK}, updated_at)) AS ev, max(size) AS size, max(day) AS day,"
            f" argMax(source_type, (source_type != '', {RANK})) AS source_type,"
            " maxIf(updated_at, state != 'listed') AS at"
            f" FROM backfill_objects {where} GROUP BY backfill_id, identity)"
            " GROUP BY backfill_id, source_type", params)
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for r in rows:
            counts = {k: int(r[k]) for k in ("listed", "done", "failed", "skipped", "cancelled", "events", "bytes")}
            days = (r["first_day"], r["last_day"]) if counts["done"] else (None, None)
            out.setdefault(r["backfill_id"], {})[r["source_type"]] = {
                **counts, "first_day": days[0], "last_day": days[1], "last_at": r["last_at"]}
        return out

    def last_errors(self, job_id: str, limit: int = 5) -> list[str]:
        rows = self.store.query(
            "SELECT bucket, key, reason FROM backfill_objects WHERE backfill_id = {id:String}"
            " AND state = 'failed' ORDER BY updated_at DESC LIMIT {n:UInt32}", {"id": job_id, "n": limit})
        return [f"{r['bucket']}/{r['key']}: {r['reason']}" for r in rows]

    def coverage_days(self) -> list[dict[str, Any]]:
        """Per source type, account, region and day: objects listed by any job, and how many of
        them are loaded (done or skipped), failed, or neither yet (queued or cancelled)."""
        return self.store.query(
            "SELECT source_type, account_id, region, toString(d) AS day, count() AS objects,"
            " countIf(s IN ('done', 'skipped', 'empty')) AS loaded, countIf(s = 'failed') AS failed FROM ("
            f" SELECT identity, argMax(state, ({RANK}, updated_at)) AS s, max(day) AS d,"
            f" argMax(source_type, (source_type != '', {RANK})) AS source_type, max(account_id) AS account_id,"
            " max(region) AS region FROM backfill_objects GROUP BY identity)"
            " WHERE d > toDate('1970-01-01') GROUP BY source_type, account_id, region, d"
            " ORDER BY source_type, account_id, region, d")

    def _select(self, where: str, params: dict) -> list[Job]:
        rows = self.store.query(
            "SELECT id, sources, url, prefixes, toString(since) AS since, toString(until) AS until, options, state,"
            " toString(created_at) AS created_at, toString(started_at) AS started_at,"
            " toString(planned_at) AS planned_at, toString(finished_at) AS finished_at, summary, notify"
            f" FROM backfills {where} ORDER BY updated_at DESC LIMIT 1 BY id", params)
        jobs = [Job(**{**r, "options": orjson.loads(r["options"] or "{}"), "summary": orjson.loads(r["summary"] or "{}"),
                       **{k: _parse_time(r[k]) for k in ("since", "until", "created_at", "started_at",
                                                         "planned_at", "finished_at")}}) for r in rows]
        return sorted(jobs, key=lambda j: j.created_at, reverse=True)

    def _insert(self, table: str, rows) -> None:
        body = b"\n".join(orjson.dumps(r) for r in rows)
        if body:
            self.store.command(f"INSERT INTO {table} FORMAT JSONEachRow\n{body.decode()}\n")


class StateCache:
    """Job states for the worker, read from the store at most every `ttl_s` (and at most every
    `miss_s` for an id not seen yet): one query per second or so, never one per message."""

    def __init__(self, jobs: Jobs, ttl_s: float = 1.5, miss_s: float = 0.25):
        self.jobs, self.ttl_s, self.miss_s = jobs, ttl_s, miss_s
        self._states: dict[str, str] = {}
        self._at, self._lock = float("-inf"), threading.Lock()

    def __call__(self, job_id: str) -> str:
        with self._lock:
            age = time.monotonic() - self._at
            if age > self.ttl_s or (job_id not in self._states and age > self.miss_s):
                self._states, self._at = self.jobs.states(), time.monotonic()
            return self._states.get(job_id, RUNNING)  # a backfill without a job row: just load it


def describe(info: ObjectInfo, source_type: str, day: date | None, account: str, region: str) -> dict[str, Any]:
    """A job-ledger row of an object as the planner lists it."""
    return {"identity": info.identity, "bucket": info.bucket, "key": info.key, "size": info.size,
            "day": day.isoformat() if day else "1970-01-01", "source_type": source_type,
            "account_id": account, "region": region}


def _iso(t: datetime | None) -> str | None:
    return t.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z") if t else None


def _sql_time(v):
    return v.astimezone(timezone.utc).strftime(_TIME)[:-3] if isinstance(v, datetime) else v


def _parse_time(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v).replace(tzinfo=timezone.utc) if v else None
