"""`backtrail scale` and `backtrail iam-policy`: running backtrail at scale. Arguments and output only."""
from __future__ import annotations

import argparse
import sys
import time
from urllib.parse import urlparse

import orjson

from . import iam_policy, wiring
from .core.config import load_config
from .core.errors import ConfigError
from .core.settings import Settings
from .ingest.autoscale import sample
from .ingest.scaling import Decision, Policy, Recommender
from .logtypes.registry import LOG_TYPES


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    sc = sub.add_parser("scale", parents=[common], help="workers each source's backlog needs (for an autoscaler)")
    sc.add_argument("--config", required=True, help="sources file (TOML); its [scaling] table sets the policy")
    sc.add_argument("--json", action="store_true", help="one JSON object per sample")
    sc.add_argument("--watch", action="store_true", help="sample again every --interval seconds until Ctrl-C")
    sc.add_argument("--interval", type=float, default=15.0, help="seconds between samples (default 15)")
    sc.add_argument("--samples", type=int, help="stop after this many samples (default: 1, or endless with --watch)")
    sc.add_argument("--rate", type=float, metavar="OBJECTS_PER_S",
                    help="one worker's throughput (default: [scaling] objects_per_worker_s)")
    sc.set_defaults(run=cmd_scale)

    ip = sub.add_parser("iam-policy", help="the least-privilege IAM policy (and role trust policy) a worker needs")
    ip.add_argument("--bucket", action="append", default=[], metavar="B", help="log bucket (repeatable)")
    ip.add_argument("--prefix", action="append", default=[], metavar="P",
                    help="key prefix of --bucket to allow (repeatable; default: the whole bucket)")
    ip.add_argument("--queue", action="append", default=[], metavar="ARN", help="live queue ARN (repeatable)")
    ip.add_argument("--backfill-queue", action="append", default=[], metavar="ARN",
                    help="backfill queue ARN (repeatable): also sqs:SendMessage")
    ip.add_argument("--config", help="sources file: its s3:// buckets, prefixes and SQS queues")
    ip.add_argument("--role-for-account", metavar="ID", help="also the trust policy of a role that account"
                    " (12 digits) or principal ARN may assume")
    ip.add_argument("--external-id", help="with --role-for-account: require this sts:ExternalId")
    ip.add_argument("--json", action="store_true", help="one JSON object: permissions_policy, trust_policy, notes")
    ip.add_argument("--only", choices=("permissions", "trust"),
                    help="print that one policy document alone (for `aws iam … file://policy.json`)")
    for flag in ("--endpoint-url", "--region"):
        ip.add_argument(flag)
    ip.set_defaults(run=cmd_iam_policy)


# --- scale ------------------------------------------------------------------------------------------

def cmd_scale(args) -> int:
    config = load_config(args.config, known_types=LOG_TYPES)
    settings = wiring.config_settings(config, args.data_dir, args.endpoint_url, args.region)
    if args.interval <= 0 or (args.samples is not None and args.samples < 1) or (args.rate is not None and args.rate <= 0):
        raise ConfigError("--interval, --samples and --rate must be positive")
    policy = Policy.of(config.scaling)
    sources = [wiring.config_source(config, settings, s.name) for s in config.sources]
    kinds = {q.url: q.kind for s in config.sources for q in s.queues}
    age_of = wiring.sqs_age_probe(settings) if "sqs" in kinds.values() else (lambda url: None)
    recommender = Recommender(policy)
    samples = args.samples or (0 if args.watch else 1)
    taken = 0
    while True:
        report = _sample(sources, kinds, age_of, recommender, policy, args.rate)
        taken += 1
        last = samples and taken >= samples
        if args.watch or last:
            print(orjson.dumps(report).decode() if args.json else _text(report), flush=True)
        if last:
            return 0
        time.sleep(args.interval)


def _sample(sources, kinds, age_of, recommender: Recommender, policy: Policy, rate: float | None) -> dict:
    t, per_source, queues = time.monotonic(), {}, {}
    for source in sources:
        rows = []
        for role, queue in [("live", q) for q in source.live] + [("backfill", q) for q in source.backfill]:
            st = queue.stats()
            age, where = (st.oldest_age_s, "queue") if kinds[queue.url] == "sqlite" else (age_of(queue.url), "cloudwatch")
            if age is not None:
                st.oldest_age_s = age
            rows.append((role, queue.url, st, where if age is not None else None))
        queues[source.name] = queues.get(source.name, []) + rows
    for name, rows in queues.items():
        per_source[name] = sample(t, [st for role, _, st, _ in rows if role == "live"],
                                  [st for role, _, st, _ in rows if role == "backfill"])
    decisions, overall = recommender.observe(t, per_source, rate)
    return {
        "policy": {"min_workers": policy.min_workers, "max_workers": policy.max_workers,
                   "objects_per_worker_s": rate or policy.objects_per_worker_s,
                   "rate_from": "--rate" if rate else "config", "drain_within_s": policy.drain_within_s,
                   "scale_down_after_s": policy.scale_down_after_s, "keda_queue_length": policy.queue_length},
        "sources": [{**_decision(decisions[name]), "source": name, "queues": [
            {"url": url, "role": role, "visible": st.visible, "in_flight": st.in_flight, "dead": st.dead,
             "oldest_age_s": st.oldest_age_s if where else None, "oldest_age_from": where}
            for role, url, st, where in rows]} for name, rows in queues.items()],
        "overall": _decision(overall)}


def _decision(d: Decision) -> dict:
    return {"desired": d.desired, "need": round(d.need.workers, 3), "backlog_objects": d.need.objects,
            "oldest_age_s": d.need.oldest_age_s, "growth_objects_per_s": d.need.growth, "reason": d.reason}


def _age(row: dict) -> str:
    if row["oldest_age_from"] is None:
        return "unknown (no CloudWatch data)"
    return f"{row['oldest_age_s']:,.0f} s"


def _text(report: dict) -> str:
    p = report["policy"]
    lines = [f"policy: {p['min_workers']}..{p['max_workers']} workers, {p['objects_per_worker_s']:g} objects/s per"
             f" worker ({p['rate_from']}), backlogs clear within {p['drain_within_s']:g} s, down after"
             f" {p['scale_down_after_s']:g} s; KEDA queueLength {p['keda_queue_length']} per backfill queue"]
    for s in report["sources"]:
        lines.append(f"{s['source']}: {s['desired']} worker(s), backlog ~{s['backlog_objects']:,.0f} objects: {s['reason']}")
        for q in s["queues"]:
            lines.append(f"  {q['role']:<8} visible {q['visible']:>7,}  in flight {q['in_flight']:>6,}  dead"
                         f" {q['dead']:>5,}  oldest {_age(q)}  {q['url']}")
    o = report["overall"]
    lines.append(f"overall: {o['desired']} worker(s): {o['reason']}")
    return "\n".join(lines)


# --- iam-policy -------------------------------------------------------------------------------------

def cmd_iam_policy(args) -> int:
    wanted: dict[str, set[str]] = {b: set(args.prefix) or {""} for b in args.bucket}  # "": the whole bucket
    queues = [iam_policy.QueueAccess(a, "live") for a in args.queue] + [
        iam_policy.QueueAccess(a, "backfill") for a in args.backfill_queue]
    config = load_config(args.config, known_types=LOG_TYPES) if args.config else None
    settings = (wiring.config_settings(config, None, args.endpoint_url, args.region) if config
                else Settings.load(None, args.endpoint_url, args.region))
    if args.prefix and len(args.bucket) != 1:
        raise ConfigError("--prefix needs exactly one --bucket")
    for source in config.sources if config else ():
        where = urlparse(source.objects)
        if where.scheme == "s3":
            wanted.setdefault(where.netloc, set()).add(where.path.lstrip("/"))
        for q in source.queues:
            if q.kind == "sqs":
                try:
                    queues.append(iam_policy.QueueAccess(iam_policy.queue_arn(q.url, settings.region), q.role))
                except ValueError as exc:
                    raise ConfigError(f"{args.config}: {exc}") from None
    for arn in (q.arn for q in queues):
        if not arn.startswith("arn:") or ":sqs:" not in arn:
            raise ConfigError(f"{arn!r} is not an SQS queue ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)")
    if not wanted:
        raise ConfigError("which bucket? give --bucket B or --config FILE with s3:// sources")
    buckets = []
    for bucket, prefixes in sorted(wanted.items()):
        enc = wiring.bucket_encryption(settings, bucket)
        buckets.append(iam_policy.BucketAccess(bucket, tuple(sorted(prefixes)), enc.algorithm, enc.key,
                                               enc.key_arn, enc.region))
    try:
        docs = iam_policy.policies(buckets, queues, args.role_for_account, args.external_id)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if args.only == "trust" and docs.trust is None:
        raise ConfigError("--only trust needs --role-for-account")
    for note in docs.notes:
        print(f"# note: {note}", file=sys.stderr)
    if args.json or args.only:
        doc = docs.as_dict() if args.json else docs.permissions if args.only == "permissions" else docs.trust
        print(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
        return 0
    print("# permissions policy: attach it to the role or user the worker runs as")
    print(orjson.dumps(docs.permissions, option=orjson.OPT_INDENT_2).decode())
    if docs.trust is not None:
        print(f"\n# trust policy of that role: lets {args.role_for_account} assume it")
        print(orjson.dumps(docs.trust, option=orjson.OPT_INDENT_2).decode())
    return 0
