"""Backfill jobs from the user's side: kill and resume, overlap, pause, cancel, status against the
truth, dry run against the real run, include/exclude, newest first, coverage, the webhook."""
from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from fnmatch import fnmatchcase
from pathlib import Path

import orjson

from backtrail.demo_data import write_synthetic_bucket
from conftest import describe, run
from sources_file import source, write_sources


def _popen(*args, data_dir: Path, env: dict | None = None) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "backtrail.cli", args[0], "--data-dir", str(data_dir), *map(str, args[1:])]
    full = {k: v for k, v in os.environ.items() if k != "BACKTRAIL_DATA_DIR"} | {"NO_PROXY": "127.0.0.1"} | (env or {})
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full,
                            cwd=data_dir.parent)


def _json(*args, data_dir: Path):
    proc = run(*args, "--json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return orjson.loads(proc.stdout)


def _job(job_id: str, data_dir: Path) -> dict:
    return _json("status", job_id, data_dir=data_dir)


def _sql(sql: str, data_dir: Path) -> list[dict]:
    proc = run("sql", sql, "--format", "json", data_dir=data_dir)
    assert proc.returncode == 0, describe(proc)
    return [orjson.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def _events_of(job_id: str, data_dir: Path) -> tuple[int, int]:
    """Events and distinct objects the store holds for a job, counted with SQL."""
    row = _sql(f"SELECT count() AS n, uniqExact(object) AS o FROM events WHERE backfill_id = '{job_id}'", data_dir)[0]
    return int(row["n"]), int(row["o"])


def _api(data_dir: Path, path: str) -> dict:
    """GET the API of the process that owns the data dir (fast, for polling while it runs)."""
    info = json.loads((data_dir / "server.json").read_text())
    request = urllib.request.Request(info["url"] + path, headers={"Authorization": f"Bearer {info['token']}"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.load(resp)


def _keys(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _started_id(proc: subprocess.Popen[str]) -> str:
    line = proc.stdout.readline()
    assert line.startswith("bf-"), line + proc.stderr.read()
    return line.split(":")[0]


def _wait(predicate, what: str, timeout_s: float = 120, every_s: float = 0.2):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := predicate():
            return found
        time.sleep(every_s)
    raise AssertionError(f"gave up waiting for {what}")


def _queued_keys(queue_db: Path, name: str) -> list[tuple[str, str]]:
    """(key, backfill_id) of every object in the queue's messages, in queue order."""
    try:
        with sqlite3.connect(queue_db) as db:
            bodies = [b for (b,) in db.execute("SELECT body FROM queue_messages WHERE queue = ? ORDER BY seq",
                                               (name,))]
    except sqlite3.OperationalError:  # not created yet
        return []
    return [(r["s3"]["object"]["key"], json.loads(b)["backtrail"]["backfill_id"])
            for b in bodies for r in json.loads(b)["Records"]]


def _sources_file(tmp_path: Path, root: Path) -> tuple[Path, Path]:
    queue_db, config = tmp_path / "q.db", tmp_path / "sources.toml"
    write_sources(config, source("trail", "cloudtrail", f"file://{root}", live=f"sqlite://{queue_db}?name=trail-live",
                                 backfill=f"sqlite://{queue_db}?name=trail-backfill"))
    return config, queue_db


def _write_trail(root: Path, day: str, n: int, records: int = 2, account: str = "123456789012",
                 region: str = "us-east-1") -> int:
    folder = root / f"AWSLogs/{account}/CloudTrail/{region}/{day.replace('-', '/')}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        doc = {"Records": [{"eventTime": f"{day}T10:00:00Z", "eventName": "GetObject", "eventID": f"{day}-{i}-{j}",
                            "awsRegion": region, "recipientAccountId": account} for j in range(records)]}
        (folder / f"{account}_CloudTrail_{region}_{day.replace('-', '')}T1000Z_{i:05d}.json.gz").write_bytes(
            gzip.compress(json.dumps(doc).encode()))
    return n * records


# --- kill the planner mid-listing, resume -------------------------------------------------------


def test_planner_killed_mid_listing_resumes_and_enqueues_every_object_once(tmp_path):
    root = tmp_path / "bucket"
    total = sum(_write_trail(root, f"2026-11-0{d}", 1000) for d in (1, 2, 3))
    config, queue_db = _sources_file(tmp_path, root)
    data = tmp_path / "data"
    proc = _popen("backfill", "--config", config, "--enqueue-only", data_dir=data, env={"BACKTRAIL_PLAN_PAGE": "40"})
    try:
        _wait(lambda: queue_db.exists() and _queued_keys(queue_db, "trail-backfill"), "the first page", every_s=0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    before = len(_queued_keys(queue_db, "trail-backfill"))
    assert 0 < before < 3000, f"the kill did not land mid-listing ({before} queued)"
    (job,) = _json("backfills", data_dir=data)["backfills"]
    assert job["state"] == "planning" and not job["listing_complete"]

    resumed = run("backfill", "resume", job["id"], "--enqueue-only", data_dir=data)
    assert resumed.returncode == 0, describe(resumed)
    queued = Counter(key for key, _ in _queued_keys(queue_db, "trail-backfill"))
    assert set(queued) == set(_keys(root)), "objects missing from the queue (or foreign ones in it)"
    assert [k for k, n in queued.items() if n > 1] == [], "objects enqueued twice"

    loaded = run("worker", "--config", config, "--once", data_dir=data)
    assert loaded.returncode == 0, describe(loaded)
    st = _job(job["id"], data)
    assert (st["state"], st["objects_listed"], st["objects_done"], st["objects_skipped"]) == ("done", 3000, 3000, 0)
    assert (st["events"], st["objects_done"]) == _events_of(job["id"], data) == (total, 3000)
    assert st["bytes"] == sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert st["finished_at"] and st["covered"] == {"first_day": "2026-11-01", "last_day": "2026-11-03"}


# --- two jobs over the same days at once -------------------------------------------------------


def test_overlapping_jobs_load_each_object_once_and_both_complete(tmp_path):
    root = tmp_path / "bucket"
    total = sum(_write_trail(root, f"2026-11-0{d}", 150, records=20) for d in (1, 2))
    data = tmp_path / "data"
    url, days = f"file://{root}", ("--since", "2026-11-01", "--until", "2026-11-02")
    first = _popen("backfill", url, *days, data_dir=data)
    try:
        first_id = _started_id(first)
        second = run("backfill", url, *days, data_dir=data)  # handed to the first process, or run alone
        assert second.returncode == 0, describe(second)
        second_id = second.stdout.split(":")[0]
        out, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, out + err
    a, b = _job(first_id, data), _job(second_id, data)
    assert a["state"] == b["state"] == "done", (a, b)
    assert a["objects_listed"] == b["objects_listed"] == 300
    assert a["objects_done"] + b["objects_done"] == 300, "an object loaded by both jobs (or by neither)"
    assert a["objects_skipped"] + b["objects_skipped"] == 300, "the ledger does not show the other job's skips"
    assert _sql("SELECT count() AS n, uniqExact(event_id) AS u FROM events", data)[0] == {"n": total, "u": total}
    assert a["events"] + b["events"] == total


# --- pause, resume, cancel -----------------------------------------------------------------------


def test_pause_holds_the_job_resume_goes_on_cancel_drops_the_rest(tmp_path):
    root = tmp_path / "bucket"
    write_synthetic_bucket(root, objects=3000, events_per_object=300)
    data = tmp_path / "data"
    proc = _popen("backfill", f"file://{root}", data_dir=data)
    try:
        job_id = _started_id(proc)
        _wait(lambda: _api(data, f"/api/backfills/{job_id}")["objects_done"] > 0, "the first objects", every_s=0.05)
        paused = run("backfill", "pause", job_id, data_dir=data)
        assert paused.returncode == 0 and "paused" in paused.stdout, describe(paused)
        reads = [_api(data, f"/api/backfills/{job_id}")]
        for _ in range(30):  # batches in hand finish; then nothing moves
            time.sleep(1)
            reads.append(_api(data, f"/api/backfills/{job_id}"))
            if len(reads) >= 4 and reads[-1]["objects_done"] == reads[-3]["objects_done"]:
                break
        held = reads[-1]
        assert held["state"] == "paused" and proc.poll() is None, (held, proc.poll())
        assert held["objects_done"] == reads[-3]["objects_done"], "objects kept loading while paused"
        assert held["objects_done"] < 3000

        resumed = run("backfill", "resume", job_id, data_dir=data)
        assert resumed.returncode == 0 and ("planning" in resumed.stdout or "running" in resumed.stdout), \
            describe(resumed)
        _wait(lambda: _api(data, f"/api/backfills/{job_id}")["objects_done"] > held["objects_done"],
              "loading to go on", every_s=0.05)
        cancelled = run("backfill", "cancel", job_id, data_dir=data)
        assert cancelled.returncode == 0 and "cancelled" in cancelled.stdout, describe(cancelled)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, out + err
    assert f"{job_id}: cancelled" in out, out
    st = _job(job_id, data)
    assert st["state"] == "cancelled" and st["objects_cancelled"] > 0, st
    assert st["objects_done"] + st["objects_cancelled"] == st["objects_listed"] <= 3000
    assert (st["events"], st["objects_done"]) == _events_of(job_id, data), "a cancelled object was loaded"
    again = run("backfill", "resume", job_id, data_dir=data)
    assert again.returncode == 2 and "has ended" in again.stderr, describe(again)


# --- status, dry run, include/exclude, notify -----------------------------------------------------


def test_status_and_dry_run_equal_the_truth_with_include_exclude_and_notify(demo, tmp_path, webhook):
    url, bodies = webhook
    data = tmp_path / "data"
    flags = ("--since", "2026-11-01", "--until", "2026-11-03", "--include", "*/CloudTrail/*",
             "--include", "*/vpcflowlogs/*", "--exclude", "*eu-west-1*")
    dry = run("backfill", f"file://{demo.root}", *flags, "--dry-run", "--json", data_dir=data)
    assert dry.returncode == 0, describe(dry)
    planned = orjson.loads(dry.stdout)
    real = run("backfill", f"file://{demo.root}", *flags, "--notify", url, data_dir=data)
    assert real.returncode == 0, describe(real)
    job_id = real.stdout.split(":")[0]

    wanted = [k for k in _keys(demo.root) if (fnmatchcase(k, "*/CloudTrail/*") or fnmatchcase(k, "*/vpcflowlogs/*"))
              and not fnmatchcase(k, "*eu-west-1*")]
    assert wanted and all("CloudTrail-Digest" not in k for k in wanted)
    st = _job(job_id, data)
    size = sum((demo.root / k).stat().st_size for k in wanted)
    assert (st["objects_listed"], st["objects_done"], st["bytes"]) == (len(wanted), len(wanted), size)
    assert (planned["objects"], planned["bytes"]) == (st["objects_listed"], st["bytes"]), "dry run != real run"
    assert (st["events"], st["objects_done"]) == _events_of(job_id, data)
    records = sum(len(json.loads(gzip.decompress((demo.root / k).read_bytes()))["Records"])
                  for k in wanted if "/CloudTrail/" in k)
    assert st["by_source_type"]["cloudtrail"]["events"] == records
    assert set(st["by_source_type"]) == {"cloudtrail", "vpcflow"}
    assert f"{job_id}: done at {st['finished_at']}" in real.stdout

    text = run("status", job_id, data_dir=data)
    assert f"{len(wanted):,} listed, {len(wanted):,} done" in text.stdout, describe(text)
    listing = run("backfills", data_dir=data)
    assert job_id in listing.stdout and "done" in listing.stdout, describe(listing)
    assert _json("backfills", data_dir=data)["backfills"][0]["id"] == job_id
    assert bodies == [{"id": job_id, "state": "done", "objects": len(wanted), "objects_done": len(wanted),
                       "objects_skipped": 0, "objects_cancelled": 0, "events": st["events"], "bytes": size,
                       "failed": 0, "started": st["started_at"], "finished": st["finished_at"]}]


# --- newest first ----------------------------------------------------------------------------------


def test_newest_first_enqueues_the_most_recent_days_first(tmp_path):
    root = tmp_path / "bucket"
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        for account in ("111111111111", "222222222222"):
            _write_trail(root, day, 3, account=account)
    config, queue_db = _sources_file(tmp_path, root)
    days = ("--since", "2026-11-01", "--until", "2026-11-03")
    for flag in ((), ("--newest-first",)):
        proc = run("backfill", "--config", config, *days, *flag, "--enqueue-only", data_dir=tmp_path / "data")
        assert proc.returncode == 0, describe(proc)
    order: dict[str, list[str]] = {}
    for key, job_id in _queued_keys(queue_db, "trail-backfill"):
        order.setdefault(job_id, []).append("-".join(key.split("/")[4:7]))  # …/us-east-1/2026/11/01/…
    plain, newest = order.values()
    assert newest == sorted(newest, reverse=True) and len(newest) == 18
    assert plain != sorted(plain, reverse=True)


# --- coverage ----------------------------------------------------------------------------------------


def test_coverage_shows_loaded_partly_loaded_and_missing_days(tmp_path):
    root = tmp_path / "bucket"
    for day in ("2026-11-01", "2026-11-02", "2026-11-04"):
        _write_trail(root, day, 2)
    _write_trail(root, "2026-11-01", 1, region="eu-west-1")
    corrupt = root / "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/02/corrupt.json.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(600))
    data = tmp_path / "data"
    proc = run("backfill", f"file://{root}", "--since", "2026-11-01", "--until", "2026-11-04", data_dir=data)
    assert proc.returncode == 1 and "corrupt.json.gz" in proc.stderr, describe(proc)
    found = {(s["account_id"], s["region"]): s for s in _json("coverage", data_dir=data)["sources"]}
    east = found[("123456789012", "us-east-1")]
    assert (east["source_type"], east["first_day"], east["last_day"]) == ("cloudtrail", "2026-11-01", "2026-11-04")
    assert (east["loaded"], east["partial"], east["missing"]) == (["2026-11-01", "2026-11-04"], ["2026-11-02"],
                                                                   ["2026-11-03"])
    assert found[("123456789012", "eu-west-1")]["loaded"] == ["2026-11-01"]
    text = run("coverage", data_dir=data)
    assert "missing: 2026-11-03" in text.stdout and "#+.#" in text.stdout, describe(text)
    job = _json("backfills", data_dir=data)["backfills"][0]
    assert job["state"] == "failed" and job["objects_failed"] == 1
    assert any("corrupt.json.gz" in e for e in job["last_errors"])


# --- fairness --------------------------------------------------------------------------------------


def test_a_small_job_is_not_queued_behind_a_large_one(tmp_path):
    """Each job has its own queue and the worker takes turns between them: a small job started
    once a large one is wholly listed (120 messages of 50 objects) is done long before the large
    one; one shared first-in-first-out queue would have served all of it but what was in flight
    (16 messages: 800 objects) first."""
    large, small, data = tmp_path / "large", tmp_path / "small", tmp_path / "data"
    write_synthetic_bucket(large, objects=6000, events_per_object=1)
    write_synthetic_bucket(small, objects=10, events_per_object=1)
    proc = _popen("backfill", f"file://{large}", data_dir=data)
    try:
        large_id = _started_id(proc)
        listed = _wait(lambda: (r := _api(data, f"/api/backfills/{large_id}"))["listing_complete"] and r,
                       "the large job's listing", every_s=0.05)
        assert listed["objects_done"] < 1000, "the large job went too fast to tell: make it larger"
        second = _popen("backfill", f"file://{small}", data_dir=data)  # handed to the running process
        small_id = _wait(lambda: [j["id"] for j in _api(data, "/api/backfills")["backfills"] if j["id"] != large_id],
                         "the small job", every_s=0.05)[0]
        done_then = _wait(lambda: (_api(data, f"/api/backfills/{small_id}")["state"] == "done"
                                   and [_api(data, f"/api/backfills/{large_id}")["objects_done"]]),
                          "the small job's end", every_s=0.05)[0]
        second.communicate(timeout=120)
        out, err = proc.communicate(timeout=600)
    finally:
        for p in (proc, second) if "second" in locals() else (proc,):
            if p.poll() is None:
                p.kill()
                p.wait()
    assert proc.returncode == 0, out + err
    assert done_then < 4000, f"the small job waited for {done_then} of the large job's 6000 objects"
    assert _job(large_id, data)["state"] == _job(small_id, data)["state"] == "done"


def test_a_job_queued_here_and_left_is_loaded_by_serve(tmp_path):
    """`backfill URL --enqueue-only` fills the job's own queue and exits; `serve` loads and ends it."""
    root, data = tmp_path / "bucket", tmp_path / "data"
    total = write_synthetic_bucket(root, objects=30, events_per_object=5)
    queued = run("backfill", f"file://{root}", "--enqueue-only", data_dir=data)
    assert queued.returncode == 0, describe(queued)
    job_id = queued.stdout.split(":")[0]
    serve = _popen("serve", "--port", "0", data_dir=data)
    try:
        _wait(lambda: (data / "server.json").exists() and _api(data, f"/api/backfills/{job_id}")["state"] == "done",
              "serve to load the queued job")
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=60)
    assert _events_of(job_id, data) == (total, 30)
