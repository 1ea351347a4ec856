"""Fixtures of the reliability suite; helpers live in relkit.py, the proxy in fault_proxy.py."""
from __future__ import annotations

import json
import os

import pytest

import relkit


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures of this run (and in BACKTRAIL_FIGURES as JSON, for RELIABILITY.md)."""
    if not relkit.FIGURES:
        return
    figures = {"mode": "soak" if relkit.SOAK else "quick", "seed": relkit.SEED, **relkit.FIGURES}
    terminalreporter.section("reliability figures")
    for name, values in relkit.FIGURES.items():
        terminalreporter.write_line(f"{name}: {json.dumps(values, sort_keys=True)}")
    if path := os.environ.get("BACKTRAIL_FIGURES"):
        with open(path, "w") as f:
            json.dump(figures, f, indent=2, sort_keys=True)
        terminalreporter.write_line(f"figures written to {path}")


@pytest.fixture
def rng(request):
    """A random.Random seeded from BACKTRAIL_SEED and the test's name: every run is replayable."""
    import random
    import zlib
    return random.Random(relkit.SEED * 1_000_003 + zlib.crc32(request.node.name.encode()))
