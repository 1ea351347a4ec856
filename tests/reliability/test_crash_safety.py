"""Crash safety: SIGKILL at seeded random moments, restart, and the store holds the corpus exactly once.

Each kill lands somewhere in listing, receiving, fetching, writing or acking; `inspect_store.py`
names the phase from what the killed process left (ledger rows `started` = mid-write, a delivery
in flight whose objects are all finished = between write and ack, ...). Recovery is what a user
does: `backtrail backfill resume ID` (or the same backfill again), `backtrail worker --once`,
`backtrail serve` started again.
"""
from __future__ import annotations

import sqlite3
import time
import uuid
from collections import Counter

import boto3
import orjson

from backtrail.backfill.jobs import CANCELLED, DONE, FINAL
from backtrail.demo_data import write_synthetic_bucket
from backtrail.query.client import owner_of
from relkit import Child, cli, corpus_ids, describe, exactly_once, inspect, record, scale, status
from sources_file import on_endpoint, source, write_sources

IN_FLIGHT = ("mid-write", "between write and ack", "after receive, before write")


def _assert_exactly_once(data_dir, expected: set[str], objects: int) -> dict:
    found = exactly_once(data_dir, expected)
    assert found["events_doubled"] == 0, found
    assert found["events_lost"] == 0, found
    assert found["events_unknown"] == 0 and found["events_stored"] == len(expected), found
    st = status(data_dir)
    assert set(st["states"]) == {"done"}, st["states"]
    assert st["states"]["done"]["objects"] == objects and st["states"]["done"]["events"] == len(expected), st
    return found


def _wait_for_delivery(data, child: Child, limit_s: float = 60) -> None:
    """Until a message of the embedded queue is in flight (received, not acked), or the child ends."""
    deadline = time.monotonic() + limit_s
    while child.wait(0.01) is None and time.monotonic() < deadline:
        try:
            db = sqlite3.connect(f"file:{data}/queue.db?mode=ro", uri=True, timeout=1)
            try:
                if db.execute("SELECT 1 FROM queue_messages WHERE receipt IS NOT NULL AND visible_at > ?"
                              " LIMIT 1", (time.time(),)).fetchone():
                    return
            finally:
                db.close()
        except sqlite3.Error:  # not created yet, or busy
            pass


def _phases_of_the_kill(before: dict, after: dict, mine: str | None) -> list[str]:
    """What the killed run was doing, from what changed since the state it started from (rows a
    previous kill left `started`, deliveries a previous run left in flight, jobs it left unlisted
    do not count again)."""
    finished, fresh = set(after["finished_objects"]), [
        d for d in after.get("deliveries", []) if d["receipt"] not in {b["receipt"] for b in before.get("deliveries", [])}]
    phases = []
    if set(after["started_objects"]) - set(before["started_objects"]):
        phases.append("mid-write")
    if any(all(i in finished for i in d["objects"]) for d in fresh):
        phases.append("between write and ack")
    if any(not any(i in finished or i in after["started_objects"] for i in d["objects"]) for d in fresh):
        phases.append("after receive, before write")
    if mine in after["jobs"] and not after["jobs"][mine]["planned"]:
        phases.append("planning")
    return phases or ["after the objects (settling, detections)"]


def test_file_backfill_killed_at_random_moments_loads_everything_once(tmp_path, rng):
    """Runs of a fresh corpus and data directory each: SIGKILLs (at least one with objects in
    flight), resumes, then the checks. Soak runs kill more often than the embedded queue's five
    deliveries: a message in flight at more kills is dead-lettered (a run that ends then leaves its
    job `failed`), and a user's `backfill resume ID` gives it its deliveries back."""
    for run in range(scale(1, 6)):
        _killed_backfill(tmp_path / f"run{run}", rng, kills_wanted=scale(4, 8))


def _killed_backfill(tmp_path, rng, kills_wanted: int) -> None:
    objects, per = scale(320, 800), 25
    root, data, logs = tmp_path / "bucket", tmp_path / "data", tmp_path / "logs"
    write_synthetic_bucket(root, objects, per, seed=rng.randrange(1 << 30))
    expected = corpus_ids(root)
    assert len(expected) == objects * per
    url, page = f"file://{root}", {"BACKTRAIL_PLAN_PAGE": "40"}  # small pages: the planner is killed mid-listing too
    phases: Counter[str] = Counter()
    kills = attempts = 0
    jobs: dict = {}
    failed_jobs: set[str] = set()  # jobs a run ended `failed` (a message dead-lettered), resumed later
    dead = 0  # messages dead-lettered by the kills, at most at once (a resume gives them their deliveries back)
    left: dict = {"jobs": {}, "started_objects": [], "finished_objects": [], "deliveries": []}
    while kills < kills_wanted and attempts < 4 * kills_wanted:
        attempts += 1
        unfinished = sorted(j for j, v in jobs.items() if v["state"] not in (DONE, CANCELLED))  # failed: resumable
        args = ("backfill", "resume", rng.choice(unfinished)) if unfinished and rng.random() < 0.75 else ("backfill", url)
        child = Child(*args, data_dir=data, logs=logs, extra_env=page)
        free = kills < kills_wanted - 1 or sum(phases[p] for p in IN_FLIGHT) > 0  # else the last kill: in flight
        if free and rng.random() < 0.4:  # anywhere: startup, listing, loading, settling
            delay = rng.uniform(0.5, 4.0)
        else:  # a seeded moment after the first delivery is taken
            _wait_for_delivery(data, child)
            delay = rng.uniform(0.0, 1.2)
        if child.wait(delay) is not None:
            assert child.returncode in (0, 1), child.describe()  # a run that ended before its kill
            assert "Traceback" not in child.stderr, child.describe()
        else:
            child.kill()
            kills += 1
        before, left = left, inspect(data)
        jobs = left["jobs"]
        failed_jobs |= {j for j, v in jobs.items() if v["state"] == "failed"}
        dead = max(dead, left["queue"]["dead"])
        mine = args[2] if args[1] == "resume" else next(iter(set(left["jobs"]) - set(before["jobs"])), None)
        for phase in (_phases_of_the_kill(before, left, mine) if child.returncode == -9 else ["finished before the kill"]):
            phases[phase] += 1
    assert sum(phases[p] for p in IN_FLIGHT) >= 1, f"no kill landed while objects were in flight: {phases}"

    for job in sorted(j for j, v in jobs.items() if v["state"] != DONE):  # recovery: resume every job not done
        proc = cli("backfill", "resume", job, data_dir=data)
        assert proc.returncode == 0, describe(proc)
    again = cli("backfill", url, data_dir=data)  # and the same backfill once more adds nothing
    assert again.returncode == 0 and "0 events loaded" in again.stdout.replace(",", ""), describe(again)
    found = _assert_exactly_once(data, expected, objects)
    states = {j["id"]: j["state"] for j in status(data)["backfills"]}
    assert set(states.values()) <= {"done"}, states
    record("crash: file:// objects, embedded queue", runs=1, kills=kills, restarts=attempts,
           objects=objects, events=len(expected), phases=dict(phases), dead_letters_at_most=dead,
           jobs_failed_then_resumed=len(failed_jobs),
           events_lost=found["events_lost"], events_doubled=found["events_doubled"])


def _serving(data, logs, token: str) -> Child:
    """`backtrail serve --port 0` in the background, as a user starts it (a token of theirs)."""
    return Child("serve", "--port", "0", data_dir=data, logs=logs,
                 extra_env={"BACKTRAIL_TOKEN": token, "BACKTRAIL_PLAN_PAGE": "10"})  # 10 objects a message


def _answering(data, child: Child, limit_s: float = 300):
    """The API of `child` once it publishes it (server.json names its pid and it answers), else None."""
    deadline = time.monotonic() + limit_s  # a bound against hanging, not a performance assertion
    while child.wait(0.05) is None and time.monotonic() < deadline:
        if _up(data, child) and (remote := owner_of(str(data / "server.json"))):
            return remote
    return None


def _up(data, child: Child) -> bool:
    """`child` has published its API: server.json names its pid (serve does so once it has adopted
    the jobs a crash left)."""
    try:
        return orjson.loads((data / "server.json").read_bytes())["pid"] == child.proc.pid
    except (OSError, ValueError, KeyError):
        return False


def test_serve_killed_at_random_moments_loads_everything_once(tmp_path, rng):
    """`backtrail serve` (API, worker and backfill runner in one process) loads a backfill started
    through its API; it is SIGKILLed at seeded moments (at least one with objects in flight) and
    started again each time, which adopts the job; now and then, and once at the end, the user runs
    `backtrail backfill resume ID` (through the restarted server's API). Soak runs kill it more often
    than the embedded queue's five deliveries: a restart leaves a message dead-lettered, a resume
    gives the job's messages their deliveries back."""
    objects, per, kills_wanted = scale(600, 4000), 25, scale(4, 14)
    root, data, logs = tmp_path / "bucket", tmp_path / "data", tmp_path / "logs"
    write_synthetic_bucket(root, objects, per, seed=rng.randrange(1 << 30))
    expected = corpus_ids(root)
    token = f"crash-{uuid.uuid4().hex}"
    serve = _serving(data, logs, token)
    remote = _answering(data, serve)
    assert remote is not None, serve.describe()
    job = remote.create_backfill(f"file://{root}")["id"]  # POST /api/backfills, as the UI does
    phases: Counter[str] = Counter()
    kills = resumes = dead = 0
    left: dict = {"jobs": {}, "started_objects": [], "finished_objects": [], "deliveries": []}
    while kills < kills_wanted:
        if kills and rng.random() < 0.3:  # anywhere in its life: starting up, adopting, listing, loading
            delay = rng.uniform(0.2, 4.0)
        else:  # a seeded moment after the first delivery is taken
            _wait_for_delivery(data, serve)
            delay = rng.uniform(0.0, 1.2)
        assert serve.wait(delay) is None, serve.describe()  # serve only ends when told to
        was_up = _up(data, serve)
        serve.kill()
        kills += 1
        before, left = left, inspect(data)
        dead = max(dead, left["queue"]["dead"])  # dead-lettered by the kills, until a resume
        for phase in _phases_of_the_kill(before, left, job) if was_up else ["starting up"]:
            phases[phase] += 1
        if left["jobs"][job]["state"] == DONE:
            break  # loaded before all the kills were spent: the kills counted are the ones that landed
        serve = _serving(data, logs, token)  # adopts the job: "loading bf-…, left by a process gone since"
        if rng.random() < 0.25 or kills == kills_wanted:
            assert _answering(data, serve) is not None, serve.describe()
            proc = cli("backfill", "resume", job, data_dir=data)  # through the API of the restarted serve
            assert proc.returncode == 0 or "has ended (done)" in proc.stderr, describe(proc)  # settled meanwhile
            resumes += proc.returncode == 0
    if serve.returncode is not None:  # the job was done at the last kill: serve once more, to end cleanly
        serve = _serving(data, logs, token)
    remote = _answering(data, serve)
    assert remote is not None, serve.describe()
    deadline = time.monotonic() + 900  # a bound against hanging, not a performance assertion
    while (report := remote.backfill(job))["state"] != DONE and time.monotonic() < deadline:
        assert report["state"] not in FINAL, report
        time.sleep(0.5)
    assert report["state"] == DONE, report
    serve.proc.terminate()  # SIGTERM: a clean stop
    assert serve.wait(300) == 0, serve.describe()
    assert "Traceback" not in "".join(p.read_text(errors="replace") for p in logs.glob("*.err"))
    assert sum(phases[p] for p in IN_FLIGHT) >= 1, f"no kill landed while objects were in flight: {phases}"
    found = _assert_exactly_once(data, expected, objects)
    states = {j["id"]: j["state"] for j in status(data)["backfills"]}
    assert states == {job: DONE}, states
    record("crash: serve (API, worker, runner)", runs=1, kills=kills, restarts=kills, resumes=resumes,
           objects=objects, events=len(expected), phases=dict(phases), dead_letters_at_most=dead,
           events_lost=found["events_lost"], events_doubled=found["events_doubled"])



def test_sqs_worker_killed_at_random_moments_loads_everything_once(moto_url, tmp_path, rng):
    """S3 objects and an SQS backfill queue on the moto server; `worker --once` is SIGKILLed and
    restarted. Killed deliveries come back after the visibility timeout (30 s, the minimum)."""
    objects, per = scale(120, 400), 20
    root, data, logs = tmp_path / "bucket", tmp_path / "data", tmp_path / "logs"
    write_synthetic_bucket(root, objects, per, seed=rng.randrange(1 << 30))
    expected = corpus_ids(root)
    tag = uuid.uuid4().hex[:8]
    bucket, s3 = f"crash-{tag}", boto3.client("s3", endpoint_url=moto_url)
    s3.create_bucket(Bucket=bucket)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        s3.put_object(Bucket=bucket, Key=path.relative_to(root).as_posix(), Body=path.read_bytes())
    queue = f"{moto_url}/123456789012/crash-bf-{tag}"
    config = write_sources(tmp_path / "sources.toml", source(
        "trail", "cloudtrail", f"s3://{bucket}/", backfill=queue, max_receives=100),
        aws=on_endpoint(moto_url), worker={"visibility_timeout": 30})
    for args in (("queues", "create", "--config", config), ("backfill", "--config", config, "--enqueue-only")):
        proc = cli(*args, data_dir=data, extra_env={"BACKTRAIL_PLAN_PAGE": "6"})
        assert proc.returncode == 0, describe(proc)
    sqs = boto3.client("sqs", endpoint_url=moto_url)
    phases: Counter[str] = Counter()
    kills, left = 0, {"started_objects": []}
    for _ in range(scale(1, 12)):
        child = Child("worker", "--config", config, "--once", data_dir=data, logs=logs)
        if child.wait(rng.uniform(1.2, 3.5)) is not None:
            assert child.returncode == 0, child.describe()
            phases[f"finished before the kill ({time.monotonic() - child.started:.1f} s)"] += 1
            continue
        child.kill()
        kills += 1
        started, left = set(left["started_objects"]), inspect(data)
        hidden = int(sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
                     ["Attributes"]["ApproximateNumberOfMessagesNotVisible"])
        phases["mid-write" if set(left["started_objects"]) - started else "deliveries in flight" if hidden else "idle"] += 1
    proc = cli("worker", "--config", config, "--once", data_dir=data)  # waits out the killed deliveries
    assert proc.returncode == 0, describe(proc)
    found = _assert_exactly_once(data, expected, objects)
    record("crash: S3 + SQS (moto)", runs=1, kills=kills, objects=objects, events=len(expected), phases=dict(phases),
           events_lost=found["events_lost"], events_doubled=found["events_doubled"])
