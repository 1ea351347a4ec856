"""The local API: a bearer token always, one error shape, read-only SQL."""
import json
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
