"""A time range becomes the day prefixes of every dated layout, and file-name dates elsewhere."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from backtrail.adapters.file_objects import FileObjects
from backtrail.backfill import planner

A = "123456789012"
KEYS = {
    f"AWSLogs/{A}/CloudTrail/us-east-1/2026/11/02/{A}_CloudTrail_us-east-1_20261102T0100Z_a.json.gz": True,
    f"AWSLogs/{A}/CloudTrail/us-east-1/2026/11/04/{A}_CloudTrail_us-east-1_20261104T0100Z_b.json.gz": False,
    f"AWSLogs/{A}/CloudTrail-Digest/us-east-1/2026/11/02/{A}_CloudTrail-Digest_us-east-1_x.json.gz": False,
    f"AWSLogs/o-abc123/{A}/CloudTrail/eu-west-1/2026/11/03/{A}_CloudTrail_eu-west-1_20261103T0100Z_c.json.gz": True,
    f"AWSLogs/{A}/elasticloadbalancing/us-east-1/2026/11/03/{A}_elasticloadbalancing_us-east-1_app.web.1_x.log.gz": True,
    f"AWSLogs/{A}/elasticloadbalancing/us-east-1/2026/10/31/{A}_elasticloadbalancing_us-east-1_app.web.1_y.log.gz": False,
    f"AWSLogs/{A}/vpcflowlogs/us-east-1/2026/11/02/{A}_vpcflowlogs_us-east-1_fl-1_20261102T0000Z_z.log.gz": True,
    f"AWSLogs/{A}/WAFLogs/us-east-1/web-acl/2026/11/02/14/05/{A}_waflogs_us-east-1_web-acl_1.log.gz": True,
    "firehose/2026/11/03/09/app-logs-1-2026-11-03-09-00-00-uuid.gz": True,
    "firehose/2026/11/05/09/app-logs-1-2026-11-05-09-00-00-uuid.gz": False,
    "s3-access/2026-11-02-14-05-33-0A1B2C3D4E5F6A7B": True,
    "s3-access/2026-11-06-14-05-33-0A1B2C3D4E5F6A7C": False,
    "cloudfront/EDFDVBD6EXAMPLE.2026-11-03-10.a1b2c3d4.gz": True,
    "cloudfront/EDFDVBD6EXAMPLE.2026-11-01-23.a1b2c3d4.gz": False,
}


@pytest.fixture
def bucket(tmp_path):
    for key in KEYS:
        path = tmp_path / "bucket" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    return tmp_path / "bucket"


def _listed(url: str, since: str, until: str) -> set[str]:
    t0, t1 = (datetime.fromisoformat(v).replace(tzinfo=timezone.utc) for v in (since, until))
    return {o.key for o in planner.listed(FileObjects(url), t0, t1, planner.PlanTotals())}


def test_a_range_covers_every_layout_and_nothing_else(bucket):
    assert _listed(str(bucket), "2026-11-02", "2026-11-03") == {k for k, wanted in KEYS.items() if wanted}


def test_a_start_prefix_inside_a_layout_is_honoured(bucket):
    """(An existing folder in a `file://` URL is the bucket; keys are relative to it.)"""
    elb = f"AWSLogs/{A}/elasticloadbalancing/"
    got = _listed(f"{bucket}/{elb}", "2026-10-31", "2026-11-30")
    assert got == {k[len(elb):] for k in KEYS if k.startswith(elb)}
    month = f"AWSLogs/{A}/CloudTrail/us-east-1/2026/11/"
    got = _listed(f"{bucket}/{month}0", "2026-11-01", "2026-11-03")
    assert got == {k[len(month):] for k in KEYS if k.startswith(f"{month}02/")}


def test_without_a_range_everything_under_the_prefix_is_listed(bucket):
    infos = planner.listed(FileObjects(str(bucket)), None, None, planner.PlanTotals())
    assert {o.key for o in infos} == set(KEYS)
