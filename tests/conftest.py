"""Shared fixtures. Keep logic in helper modules; each section below belongs to one area."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlparse

import pytest

from clickhouse_http import ClickHouseHttp
from moto_server import MotoServer

# --- moto server (AWS emulator on 127.0.0.1) -------------------------------------------------


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """Endpoint of a moto server shared by the session, with fake AWS credentials in the env."""
    with pytest.MonkeyPatch.context() as env, MotoServer() as server:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                     "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("NO_PROXY", ",".join(filter(None, ["127.0.0.1", os.environ.get("NO_PROXY")])))
        yield server.url

# --- end moto server ----------------------------------------------------------------------------

# --- the in-process store (chDB: one data directory per process, so one per test session) ------


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """A chDB store with the schema; tests keep to their own rows (distinct `object` values)."""
    from backtrail.adapters.chdb_store import ChdbStore
    from backtrail.core.schema import create_tables

    s = ChdbStore(str(tmp_path_factory.mktemp("store")))
    create_tables(s)
    yield s
    s.close()


# --- store backends of the contract suite: chDB, ClickHouse's HTTP interface over chDB (a fixture
# process), and a real ClickHouse server when BACKTRAIL_TEST_CLICKHOUSE_URL names one ------------

SERVER_URL = os.environ.get("BACKTRAIL_TEST_CLICKHOUSE_URL")
BACKENDS = ["chdb", "clickhouse-http", pytest.param("clickhouse-server", marks=pytest.mark.skipif(
    not SERVER_URL, reason="no ClickHouse server: set BACKTRAIL_TEST_CLICKHOUSE_URL=clickhouse://user:pass@host:8123"))]


@pytest.fixture(scope="session")
def clickhouse_http(tmp_path_factory) -> Iterator[str]:
    """`clickhouse://127.0.0.1:PORT` of the HTTP fixture over chDB, shared by the session."""
    with ClickHouseHttp(str(tmp_path_factory.mktemp("clickhouse-http"))) as server:
        yield server.url


@pytest.fixture(params=BACKENDS)
def open_store(request, tmp_path) -> Iterator[Callable]:
    """Opens connections to one fresh, empty store (a database of its own) of the backend; closes them after."""
    from backtrail.adapters.chdb_store import ChdbStore
    from backtrail.adapters.clickhouse_store import ClickHouseStore

    database = f"contract_{uuid.uuid4().hex[:12]}"
    if request.param == "chdb":
        data_dir = request.getfixturevalue("store").data_dir  # chDB: one data dir per process
        opener = lambda: ChdbStore(data_dir, database=database)  # noqa: E731
    else:
        base = request.getfixturevalue("clickhouse_http") if request.param == "clickhouse-http" else SERVER_URL
        parsed = urlparse(base)
        url = parsed._replace(path=f"/{database}", query="").geturl()
        opener = lambda: ClickHouseStore(url, workdir=str(tmp_path))  # noqa: E731
    opened = []

    def open_one():
        opened.append(opener())
        return opened[-1]
    yield open_one
    if opened:
        opened[0].command(f"DROP DATABASE IF EXISTS `{database}`")
    for s in opened:
        s.close()

# --- end store backends -------------------------------------------------------------------------
