"""Shared fixtures. Keep logic in helper modules; each section below belongs to one area."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

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
