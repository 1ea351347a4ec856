"""The local API: a bearer token always, one error shape, read-only SQL."""
import json
import re
import urllib.error
import urllib.request

import pytest

from backtrail.query.http import ApiServer
from backtrail.query.service import QueryService


@pytest.fixture(scope="module")
def api(store):
    server = ApiServer(QueryService(store), token="t0ken").start()
    yield server.url
    server.stop()


def _call(url, path, token="t0ken", body=None):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}"} if token else {},
                                 method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_listens_on_loopback_and_needs_the_token(api):
    assert api.startswith("http://127.0.0.1:")
    assert _call(api, "/api/health") == (200, {"ok": True})
    for token in (None, "wrong"):
        status, body = _call(api, "/api/health", token=token)
        assert status == 401 and body["error"]["code"] == "unauthorized"


def test_one_error_shape(api):
    assert _call(api, "/api/nope")[1]["error"]["code"] == "not_found"
    status, body = _call(api, "/api/sql", body={"sql": "DROP TABLE events"})
    assert status == 400 and "only SELECT" in body["error"]["message"]
    status, body = _call(api, "/api/search?q=%22unclosed")
    assert status == 400 and body["error"]["code"] == "bad_request"


def test_search_count_and_sql(api):
    assert _call(api, "/api/count?q=")[0] == 200
    status, body = _call(api, "/api/sql", body={"sql": "SELECT count() AS n FROM events"})
    assert status == 200 and "n" in body["rows"][0]


def test_hunt(api):
    status, body = _call(api, "/api/hunt", body={"indicators": ["203.0.113.254", "# a comment"], "since": "2026-01-01"})
    assert status == 200 and body["indicators"][0]["kind"] == "ip" and "timeline" in body
    status, body = _call(api, "/api/hunt", body={"indicators": []})
    assert status == 400 and "no indicators" in body["error"]["message"]


# --- the investigation routes: bad input answers 400 (404 for a missing event) in the one shape ---


def _error_of(api, path):
    status, body = _call(api, path)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return status, body["error"]["code"], body["error"]["message"]


@pytest.mark.parametrize("path, words", [
    ("/api/facets?field=no_such_field", "cannot count values of 'no_such_field'"),
    ("/api/facets?field=raw", "cannot count values of 'raw'"),
    ("/api/facets?field=userIdentity.type", "cannot count values"),
    ("/api/facets?field=src_ip&limit=ten", "limit must be a whole number"),
    ("/api/search?cursor=not-a-cursor", "bad cursor"),
    ("/api/search?cursor=WyJ4IiwieSJd", "bad cursor"),  # ["x","y"]: decodes, but "x" is no time
    ("/api/search?since=yesterday-ish", "not a time"),
    ("/api/histogram?until=2026-13-01", "not a time"),
    ("/api/histogram?buckets=many", "buckets must be a whole number"),
    ("/api/search?format=xml", "format must be json or logs"),
])
def test_bad_input_is_a_400(api, path, words):
    status, code, message = _error_of(api, path)
    assert (status, code) == (400, "bad_request") and words in message, message


def test_an_unknown_event_is_a_404(api):
    assert _error_of(api, "/api/events/no-such-key") == (404, "not_found", "no event with key 'no-such-key'")


def test_times_take_epoch_milliseconds(api):
    """Grafana's ${__from}/${__to}: a range in epoch ms that excludes everything counts 0."""
    assert _call(api, "/api/count?since=946684800000&until=946688400000") == (200, {"count": 0})  # 2000-01-01
    status, body = _call(api, "/api/histogram?since=946684800000&until=946688400000&buckets=60")
    assert status == 200 and body == {"interval_s": 60, "buckets": []}


def test_every_route_is_documented_and_nothing_else(api):
    from backtrail.query.http import _ROUTES
    from backtrail.query.openapi import OPERATIONS

    assert set(OPERATIONS) == set(_ROUTES)
    status, doc = _call(api, "/api/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1")
    assert {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops} == set(_ROUTES)
    assert all(op["summary"] != "(undocumented)" for ops in doc["paths"].values() for op in ops.values())
    validate = pytest.importorskip("openapi_spec_validator").validate
    validate(doc)


def test_metrics_is_prometheus_text_behind_the_token(api, store):
    store.command("INSERT INTO events (ts, source_type, object, raw) VALUES"
                  " ('2026-01-01 00:00:00', 'metricstest', 'test-http-api/metrics', '{}')")
    req = urllib.request.Request(api + "/metrics", headers={"Authorization": "Bearer t0ken"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = resp.read().decode()
    assert "# TYPE backtrail_events_stored gauge" in text
    assert 'backtrail_events_stored{source_type="metricstest"} 1' in text.splitlines()
    assert all(re.fullmatch(r"# (HELP|TYPE) \w+ .+|\w+(\{.*\})? -?[\d.e+]+", line) for line in text.splitlines()), text
    assert _call(api, "/metrics", token=None)[0] == 401
