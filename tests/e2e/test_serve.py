"""`backtrail serve` from the user's side: one process owns the store, runs the worker and answers
the API; other shells backfill and search through it; Grafana's dashboard reads the same numbers.

The server is a real child process on a free loopback port; the demo bucket is loaded by a second
CLI process (`backtrail backfill file://…`) that only enqueues, so every event the API shows was
loaded by the serving process. Expected numbers come from the demo's story facts and its files.
"""
from __future__ import annotations

import json
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import REPO, _env, count, describe, read_records, run, status

TOKEN = "serve-test-token"
INCIDENT = "ips:198.51.100.77"
DEMO_FROM = int(datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp() * 1000)  # ${__from}, epoch ms
DEMO_TO = int(datetime(2026, 11, 4, tzinfo=timezone.utc).timestamp() * 1000)


class Served:
    def __init__(self, proc: subprocess.Popen, data_dir: Path, first_line: str, url: str, token: str):
        self.proc, self.data_dir, self.first_line, self.url, self.token = proc, data_dir, first_line, url, token

    def get(self, path: str, token: str | None = None, raw: bool = False):
        """(status, JSON body or text) of GET path with the bearer token (another with `token`)."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {token or self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:
                data, status, ctype = resp.read(), resp.status, resp.headers["Content-Type"]
        except urllib.error.HTTPError as exc:
            data, status, ctype = exc.read(), exc.code, exc.headers["Content-Type"]
        return status, (data.decode() if raw or not ctype.startswith("application/json") else json.loads(data))

    def ok(self, path: str):
        status, body = self.get(path)
        assert status == 200, (path, body)
        return body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(data_dir: Path, *args: str, token: str | None = TOKEN) -> tuple[subprocess.Popen, str]:
    """`backtrail serve ARGS` in a child process; returns it and the first line it prints (the UI address)."""
    env = _env()
    env.pop("BACKTRAIL_TOKEN", None)
    if token:
        env["BACKTRAIL_TOKEN"] = token
    data_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "backtrail.cli", "serve", "--data-dir", str(data_dir), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=data_dir.parent)
    ready, _, _ = select.select([proc.stdout], [], [], 300)  # generous: the machine may be busy
    line = proc.stdout.readline().strip() if ready else ""
    if not line:
        stop(proc)
        raise AssertionError(f"serve printed no address: {proc.stderr.read()}")
    return proc, line


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@pytest.fixture(scope="module")
def served(demo, tmp_path_factory):
    """A serving process with the whole demo bucket loaded through it by a second CLI process."""
    data_dir = tmp_path_factory.mktemp("serve") / "data"
    port = _free_port()
    proc, line = start_serve(data_dir, "--port", str(port))
    server = Served(proc, data_dir, line, f"http://127.0.0.1:{port}", TOKEN)
    try:
        server.backfill = run("backfill", f"file://{demo.root}", data_dir=data_dir, check=True)
        deadline = time.monotonic() + 600  # a bound against hanging, not a performance assertion
        while any(s["visible"] + s["in_flight"] for s in _queue_depths(server)) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.2)
        yield server
    finally:
        stop(proc)


def _queue_depths(server: Served) -> list[dict]:
    found: dict[str, dict] = {}
    for m in re.finditer(r'^backtrail_queue_depth\{queue="([^"]+)",source="[^"]+",state="(\w+)"\} (\d+)$',
                         server.get("/metrics", raw=True)[1], re.M):
        found.setdefault(m[1], {})[m[2]] = int(m[3])
    return list(found.values())


# --- one process owns the data dir; other shells go through it ------------------------------------


def test_serve_prints_the_ui_address_and_publishes_its_api(served):
    assert served.first_line == f"{served.url}/#token={TOKEN}"
    info = json.loads((served.data_dir / "server.json").read_text())
    assert info["url"] == served.url and info["token"] == TOKEN and info["pid"] == served.proc.pid
    assert (served.data_dir / "server.json").stat().st_mode & 0o777 == 0o600
    status_, page = served.get("/", raw=True)
    assert status_ == 200 and "<html" in page.lower()  # the UI's page itself holds no data: no token needed


def test_backfill_from_another_shell_is_loaded_by_serve(served, demo):
    assert "for the backtrail process that owns" in served.backfill.stdout, describe(served.backfill)
    listed = demo.total_objects + demo.digest_files
    assert f"queued {listed} objects" in served.backfill.stdout, describe(served.backfill)
    assert served.ok("/api/count?q=")["count"] == demo.total_events
    states = served.ok("/api/status")["states"]
    assert states["done"]["objects"] + states["skipped"]["objects"] == listed, states
    assert "failed" not in states


def test_cli_commands_answer_through_serve(served, demo):
    """The store is locked by `serve`: these succeed only through its API."""
    assert count(INCIDENT, served.data_dir) == sum(demo.attacker_records.values())
    assert status(served.data_dir)["events_in_store"] == demo.total_events
    proc = run("sql", "SELECT count() AS n FROM events WHERE source_type = 'cloudtrail'", "--format", "json",
               data_dir=served.data_dir)
    assert proc.returncode == 0 and json.loads(proc.stdout)["n"] in (demo.events, str(demo.events)), describe(proc)
    proc = run("search", "--format", "json", "--limit", "3", INCIDENT, data_dir=served.data_dir)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 3 and all("key" not in r and r["raw"] for r in rows), describe(proc)


# --- the JSON API -----------------------------------------------------------------------------------


def test_search_pages_by_cursor_without_overlap(served, demo):
    whole = served.ok(f"/api/search?q={quote(INCIDENT)}&limit=1000")
    assert whole["next_cursor"] is None
    keys = [e["key"] for e in whole["events"]]
    assert len(keys) == len(set(keys)) == sum(demo.attacker_records.values())
    assert [e["ts"] for e in whole["events"]] == sorted((e["ts"] for e in whole["events"]), reverse=True)
    pages, cursor = [], ""
    while True:
        page = served.ok(f"/api/search?q={quote(INCIDENT)}&limit=7" + (f"&cursor={cursor}" if cursor else ""))
        pages.append([e["key"] for e in page["events"]])
        if not (cursor := page["next_cursor"]):
            break
    assert all(len(p) == 7 for p in pages[:-1]) and 0 < len(pages[-1]) <= 7
    assert [k for p in pages for k in p] == keys  # no overlap, nothing skipped, same order


def test_paging_through_events_that_share_a_time(served, demo):
    """Flow records of one capture window share their time: the key orders them, pages split them."""
    whole = served.ok("/api/search?q=source_type:vpcflow&limit=5000")["events"]
    assert len(whole) == demo.type_records["vpcflow"]
    assert len({e["ts"] for e in whole}) < len(whole)  # ties exist
    keys, cursor = [], ""
    while True:
        page = served.ok("/api/search?q=source_type:vpcflow&limit=50" + (f"&cursor={cursor}" if cursor else ""))
        keys += [e["key"] for e in page["events"]]
        if not (cursor := page["next_cursor"]):
            break
    assert keys == [e["key"] for e in whole] and len(set(keys)) == len(keys)


def test_search_in_grafana_logs_format(served, demo):
    rows = served.ok(f"/api/search?format=logs&q={quote(INCIDENT)}&since={DEMO_FROM}&until={DEMO_TO}&limit=500")["events"]
    assert len(rows) == sum(demo.attacker_records.values())
    for row in rows:
        assert {"timestamp", "body", "level", "source_type", "src_ip", "actor", "action"} <= set(row)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", row["timestamp"])
        assert row["level"] == ("error" if row["outcome"] == "failure" else "info")
    assert any(demo.leaked_key in row["body"] for row in rows)


def test_histogram_counts_every_matching_event_once(served, demo):
    body = served.ok(f"/api/histogram?q={quote(INCIDENT)}&buckets=60")
    per_type = Counter()
    for b in body["buckets"]:
        per_type[b["source_type"]] += b["count"]
        t = datetime.fromisoformat(b["t"].replace("Z", "+00:00"))
        assert t.tzinfo is not None and t.timestamp() % body["interval_s"] == 0, b
    assert per_type == Counter({k: v for k, v in demo.attacker_records.items() if v})
    three_days = served.ok(f"/api/histogram?q=&since={DEMO_FROM}&until={DEMO_TO}&buckets=72")
    assert three_days["interval_s"] == 3600 and len({b["t"] for b in three_days["buckets"]}) <= 72
    assert sum(b["count"] for b in three_days["buckets"]) == demo.total_events


def test_facets_count_values_as_the_records_hold_them(served, demo):
    ct = read_records(demo.root)
    expected = Counter(r["sourceIPAddress"] for r in ct if r["sourceIPAddress"][0].isdigit()).most_common(5)
    top = served.ok("/api/facets?q=source_type:cloudtrail&field=src_ip&limit=5")
    assert top["field"] == "src_ip"
    assert [v["count"] for v in top["values"]] == [n for _, n in expected]
    assert {v["value"] for v in top["values"]} >= {ip for ip, n in expected if n > expected[-1][1]}
    ips = {v["value"]: v["count"] for v in served.ok(f"/api/facets?field=ips&limit=1000&q={quote(INCIDENT)}")["values"]}
    assert ips[demo.attacker_ip] == sum(demo.attacker_records.values())  # each element of the array counts
    per_type = served.ok(f"/api/facets?field=source_type&limit=50&q={quote(INCIDENT)}")["values"]
    assert {v["value"]: v["count"] for v in per_type} == {k: v for k, v in demo.attacker_records.items() if v}
    codes = served.ok("/api/facets?field=elb_status_code&limit=50")["values"]  # a per-type field
    assert codes and all(re.fullmatch(r"\d{3}", v["value"]) for v in codes)
    status_, body = served.get("/api/facets?field=userIdentity.arn")
    assert status_ == 400 and body["error"]["code"] == "bad_request"


def test_one_event_by_its_key(served, demo):
    for event in served.ok(f"/api/search?q={quote(INCIDENT)}&limit=50")["events"]:
        assert served.ok(f"/api/events/{quote(event['key'], safe='')}")["event"] == event
    status_, body = served.get("/api/events/0000nosuchkey")
    assert status_ == 404 and body["error"]["code"] == "not_found"


def test_sources(served, demo):
    sources = {s["source_type"]: s for s in served.ok("/api/sources")["sources"]}
    assert {t: s["events"] for t, s in sources.items()} == {t: n for t, n in demo.type_records.items() if n}
    for s in sources.values():
        assert s["first_event"] <= s["last_event"] and s["last_event"].startswith("2026-11-0")
        assert s["live_lag_s"] > 0 and 0 <= s["events_per_s"] * 60 <= s["events"] + 0.1  # rounded to 3 places


def test_metrics(served, demo):
    status_, text = served.get("/metrics", raw=True)
    assert status_ == 200
    stored = dict(re.findall(r'^backtrail_events_stored\{source_type="(\w+)"\} (\d+)$', text, re.M))
    assert {t: int(n) for t, n in stored.items()} == {t: n for t, n in demo.type_records.items() if n}
    objects = dict(re.findall(r'^backtrail_objects_stored\{state="(\w+)"\} (\d+)$', text, re.M))
    assert int(objects["done"]) + int(objects["skipped"]) == demo.total_objects + demo.digest_files
    assert re.search(r'^backtrail_queue_depth\{queue="sqlite://[^"]+name=auto-backfill",source="auto",'
                     r'state="visible"\} 0$', text, re.M)
    assert re.search(r'^backtrail_live_lag_seconds\{source_type="cloudtrail"\} \d', text, re.M)
    assert re.search(r'^backtrail_events_total\{source="auto"\} ' + str(demo.total_events) + "$", text, re.M)
    assert served.get("/metrics", token="wrong")[0] == 401


def test_openapi_documents_the_routes_it_serves(served):
    doc = served.ok("/api/openapi.json")
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path in ("/api/search", "/api/histogram", "/api/facets", "/api/events/{key}", "/api/sources", "/metrics"):
        assert "get" in doc["paths"][path], path


# --- Grafana: the shipped dashboard's every query answers with the columns it declares -----------


def _dashboard_targets():
    dashboard = json.loads((REPO / "deploy/grafana/dashboards/backtrail.json").read_text())
    return [(panel["title"], target) for panel in dashboard["panels"] for target in panel["targets"]]


def test_grafana_datasource_reads_the_token_from_the_environment():
    text = (REPO / "deploy/grafana/provisioning/datasources/backtrail.yaml").read_text()
    assert "type: yesoreyeram-infinity-datasource" in text and "bearerToken: ${BACKTRAIL_TOKEN}" in text
    assert "uid: backtrail" in text
    assert len(_dashboard_targets()) >= 6


@pytest.mark.parametrize("title, target", _dashboard_targets(), ids=[t for t, _ in _dashboard_targets()])
def test_grafana_dashboard_query(served, title, target):
    assert target["datasource"]["uid"] == "backtrail" and target["source"] == "url"
    url = (target["url"].replace("${__from}", str(DEMO_FROM)).replace("${__to}", str(DEMO_TO))
           .replace("${q:percentencode}", ""))
    assert "$" not in url, url
    body = served.ok(url)
    rows = body[target["root_selector"]] if target["root_selector"] else [body]
    assert rows, f"{title}: no rows from {url}"
    for row in rows:
        for column in target["columns"]:
            value = row[column["selector"]]
            if column["type"] == "number":
                assert isinstance(value, (int, float)), (title, column, value)
            elif column["type"] == "timestamp":
                assert datetime.fromisoformat(value.replace("Z", "+00:00")).year == 2026, (title, column, value)
            else:
                assert isinstance(value, str), (title, column, value)


# --- binding and stopping -------------------------------------------------------------------------


def test_any_address_bind_still_requires_the_token(tmp_path):
    proc, line = start_serve(tmp_path / "data", "--host", "0.0.0.0", "--port", "0", token=None)
    try:
        token = line.partition("#token=")[2]
        port = int(re.search(r":(\d+)/", line)[1])
        server = Served(proc, tmp_path / "data", line, f"http://127.0.0.1:{port}", token)
        assert len(token) >= 20 and token != TOKEN
        for bad in (None, "wrong"):
            request = urllib.request.Request(server.url + "/api/search?q=", headers={"Authorization": f"Bearer {bad}"}
                                             if bad else {})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=30)
            assert refused.value.code == 401 and json.load(refused.value)["error"]["code"] == "unauthorized"
        assert server.get("/api/health") == (200, {"ok": True})
    finally:
        stop(proc)


def test_sigterm_stops_cleanly_and_frees_the_store(tmp_path):
    data_dir = tmp_path / "data"
    proc, _ = start_serve(data_dir, "--port", "0")
    assert (data_dir / "server.json").exists()
    assert stop(proc) == 0, proc.stderr.read()
    assert not (data_dir / "server.json").exists()
    assert "serve: stopped" in proc.stderr.read()
    assert count("", data_dir) == 0  # the store opens again: the lock went with the process
