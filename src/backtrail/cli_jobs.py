"""Backfill jobs on the command line: running one in this process, following one that another
process runs, and the text of `status ID`, `backfills` and `coverage`."""
from __future__ import annotations

import sys
import time
from typing import Any

from . import wiring
from .backfill.jobs import FINAL, PAUSED, Job
from .core.errors import BacktrailError, PermanentError
from .ingest.worker import Progress

_MARK = {"loaded": "#", "partial": "+", "missing": "."}


def run_here(settings, owned, job: Job, enqueue_only: bool = False, new: bool = True, rule_dirs=()) -> int:
    """Plan `job` (from its checkpoints) and load it with this process's worker, until its listing
    is done and its queue drained; jobs other processes hand to this one's API run here too."""
    ended: list[dict] = []
    store = owned.store
    if enqueue_only:
        runner = wiring.backfill_runner(settings, store, None, owned.service, on_end=ended.append)
        job = runner.create(job) if new else runner.resume(job)
        print(f"{job.id}: listing onto {runner.queue_for(job).url}", flush=True)
        while runner.planning():
            time.sleep(0.1)
        runner.stop()
        if job.id in runner.errors:
            raise runner.errors[job.id]
        print(f"{job.id}: {runner.totals(job.id).objects} objects queued; `backtrail worker` loads them,"
              f" `backtrail status {job.id}` follows them")
        return 0
    wiring.reclaim(settings, job)
    bar = ProgressBar()
    detection = wiring.detection(settings, store, rule_dirs)
    work = wiring.worker(settings, store, [wiring.job_source(settings, job)], on_progress=bar.show,
                         after_write=detection.written)
    runner = wiring.backfill_runner(settings, store, work, owned.service, on_end=ended.append)
    bar.listed = lambda: runner.totals(job.id).objects
    bar.listing = runner.planning
    job = runner.create(job) if new else runner.resume(job)
    print(f"{job.id}: {'started' if new else 'resumed'} {job.url}", flush=True)
    while True:  # a job another process handed over just before the end is loaded too
        work.run(until=lambda: not runner.planning())
        if runner.close_when_idle():
            break
    runner.stop()
    runner.settle(runner.started, drained=True)
    bar.show(work.progress, final=True)
    if job.id in runner.errors:
        raise runner.errors[job.id]
    p = work.progress
    print(f"{job.id}: {p.objects} objects, {p.events:,} events loaded"
          f" ({p.duplicates} already loaded, {p.skipped} skipped, {p.failed} failed, {p.bad_records} bad records)")
    mine = next((r for r in ended if r["id"] == job.id), None) or owned.service.backfill(job.id)
    for report in ended:
        print(final_line(report))
    if mine["objects_listed"] == 0 and mine["state"] != "cancelled":
        raise PermanentError(f"no objects found under {job.url}" + (" in that time range" if job.since else ""))
    try:  # checked batch by batch as it loaded; then the rest of the window it covered
        if hits := detection.raised + detection.backfill_ended(job.id):
            print(f"{job.id}: {hits} new alert(s) from the detection rules, on the event time it covered;"
                  " `backtrail alerts` lists them")
    except BacktrailError as exc:  # the events are loaded: a rule that cannot run does not undo that
        print(f"backtrail: the detection rules did not run: {exc}", file=sys.stderr)
    if p.failed or mine["objects_failed"]:
        print(f"backtrail: {mine['objects_failed']} objects could not be loaded; last: "
              f"{(mine['last_errors'] or [p.last_error])[0]}", file=sys.stderr)
    return 0 if mine["state"] == "done" else 1


def follow(service, job_id: str, interval_s: float = 0.5, until=lambda report: False) -> dict:
    """Redraw a job's progress line on stderr until it ends (or `until(report)`); its last report."""
    bar = ProgressBar()
    while True:
        report = service.backfill(job_id)
        end = report["state"] in FINAL or until(report)
        bar.report(report, final=end)
        if end:
            return report
        time.sleep(interval_s)


def final_line(r: dict) -> str:
    return (f"{r['id']}: {r['state']} at {r['finished_at'] or '-'}: {r['objects_listed']:,} objects listed,"
            f" {r['objects_done']:,} loaded, {r['objects_skipped']:,} skipped, {r['objects_failed']:,} failed,"
            f" {r['objects_cancelled']:,} cancelled; {r['events']:,} events, {r['bytes'] / 1e6:,.1f} MB read")


class ProgressBar:
    """One line on stderr, redrawn in place on a terminal (every 2 s as plain lines otherwise)."""

    def __init__(self):
        self.start, self.last = time.monotonic(), 0.0
        self.tty = sys.stderr.isatty()
        self.listed, self.listing = (lambda: 0), (lambda: False)

    def show(self, p: Progress, final: bool = False) -> None:
        """From this process's worker."""
        if self._due(final):
            rate = p.events / max(time.monotonic() - self.start, 1e-6)
            listed = f"{self.listed()}" + ("+" if self.listing() else "")
            self._draw(f"objects {p.objects + p.duplicates}/{listed}  events {p.events:,}  "
                       f"{p.bytes / 1e6:,.1f} MB  {rate:,.0f} events/s  failed {p.failed}", final)

    def report(self, r: dict, final: bool = False) -> None:
        """From a job's report (the ledger's numbers)."""
        if self._due(final):
            self._draw(progress_line(r), final)

    def _due(self, final: bool) -> bool:
        now = time.monotonic()
        if not final and now - self.last < (0.2 if self.tty else 2.0):
            return False
        self.last = now
        return True

    def _draw(self, line: str, final: bool) -> None:
        end = "\n" if final or not self.tty else ""
        print(("\r\033[K" if self.tty else "") + line, end=end, file=sys.stderr, flush=True)


def progress_line(r: dict) -> str:
    ended = r["objects_done"] + r["objects_failed"] + r["objects_skipped"] + r["objects_cancelled"]
    total = r["objects_listed"]
    share = ended / total if total else 0.0
    bar = "#" * round(share * 20) + "." * (20 - round(share * 20))
    eta = f"ETA {r['eta_s']:,.0f} s" if r["eta_s"] and r["state"] not in FINAL else ""
    return (f"{r['id']} {r['state']:<9} [{bar}] {ended:,}/{total:,}{'' if r['listing_complete'] else '+'} objects"
            f"  {r['events']:,} events  {r['bytes'] / 1e6:,.1f} MB  {r['rate']:,.0f} events/s  {eta}").rstrip()


def format_job(r: dict) -> str:
    covered = r["covered"]
    lines = [progress_line(r),
             f"  source    {r['url']}" + (f"  prefixes {', '.join(r['prefixes'])}" if r["prefixes"] else ""),
             f"  range     {r['since'] or '-'} .. {r['until'] or '-'}"
             + ("  (newest first)" if r["options"].get("newest_first") else ""),
             f"  objects   {r['objects_listed']:,} listed{'' if r['listing_complete'] else ' so far'},"
             f" {r['objects_done']:,} done, {r['objects_failed']:,} failed, {r['objects_skipped']:,} skipped,"
             f" {r['objects_cancelled']:,} cancelled, {r['objects_queued']:,} queued",
             f"  read      {r['events']:,} events, {r['bytes'] / 1e6:,.1f} MB, {r['rate']:,.0f} events/s,"
             f" {r['bytes_per_s'] / 1e6:,.1f} MB/s",
             f"  covered   {covered['first_day'] or '-'} .. {covered['last_day'] or '-'}",
             f"  started   {r['started_at'] or '-'}   finished {r['finished_at'] or '-'}"]
    if r["state"] == PAUSED:
        lines.append(f"  paused: `backtrail backfill resume {r['id']}` goes on")
    for source_type, c in r["by_source_type"].items():
        lines.append(f"  {source_type or '(unrecognised)':<16} {c['listed']:,} listed, {c['done']:,} done,"
                     f" {c['failed']:,} failed, {c['skipped']:,} skipped, {c['events']:,} events")
    lines += [f"  error: {e}" for e in r["last_errors"]]
    return "\n".join(lines)


def format_jobs(reports: list[dict]) -> list[dict[str, Any]]:
    """Rows of the `backfills` table."""
    return [{"id": r["id"], "state": r["state"], "objects": f"{r['objects_done']:,}/{r['objects_listed']:,}",
             "failed": r["objects_failed"], "skipped": r["objects_skipped"], "events": f"{r['events']:,}",
             "started": r["started_at"], "finished": r["finished_at"], "url": r["url"]} for r in reports]


def format_coverage(sources: list[dict]) -> str:
    if not sources:
        return "no backfilled objects yet"
    lines = []
    for s in sources:
        strip = "".join(_MARK[d["state"]] for d in s["days"])
        lines.append(f"{s['source_type'] or '(unrecognised)':<16} {s['account_id'] or '-':<12} {s['region'] or '-':<14}"
                     f" {s['first_day']} .. {s['last_day']}  loaded {len(s['loaded'])}, partly {len(s['partial'])},"
                     f" missing {len(s['missing'])}  {strip if len(strip) <= 62 else strip[:61] + '…'}")
        for state in ("partial", "missing"):
            if s[state]:
                lines.append(f"  {'partly loaded' if state == 'partial' else 'missing'}: {', '.join(s[state][:20])}"
                             + (" …" if len(s[state]) > 20 else ""))
    lines.append("(# loaded, + partly loaded: failed or still queued, . missing)")
    return "\n".join(lines)
