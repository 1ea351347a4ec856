"""The metrics registry: Prometheus text format 0.0.4, escaping, histograms, threads, log lines."""
from __future__ import annotations

import re
import threading

import pytest

from backtrail.ingest.metrics import Metrics

_SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)')
_PAIR = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')


def unescape(value: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n"}.get(m[1], m[1]), value)


def parse(text: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, dict[str, str], float]]]:
    """A strict reader of the text format: (name → (type, help), samples). Fails on anything else.

    Each family is one group of lines: its HELP and TYPE once, first, then its samples.
    """
    assert text.endswith("\n")
    meta: dict[str, dict[str, str]] = {}
    samples: list[tuple[str, dict[str, str], float]] = []
    current = ""
    for line in text.splitlines():
        if line.startswith("# "):
            kind, name, rest = line[2:].split(" ", 2)
            assert kind in ("HELP", "TYPE") and kind not in meta.get(name, {}), line
            assert name == current or name not in meta, f"family split: {line}"
            meta.setdefault(name, {})[kind] = unescape(rest) if kind == "HELP" else rest
            current = name
            continue
        match = _SAMPLE.fullmatch(line)
        assert match, line
        name, labels_text, value = match.groups()
        labels, pos = {}, 0
        while labels_text and pos < len(labels_text):
            pair = _PAIR.match(labels_text, pos)
            assert pair, line
            labels[pair[1]] = unescape(pair[2])
            pos = pair.end()
        suffixes = ("_bucket", "_sum", "_count") if meta[current]["TYPE"] == "histogram" else ("",)
        assert any(name == current + suffix for suffix in suffixes), f"not in {current}: {line}"
        assert len(meta[current]) == 2, f"sample before HELP and TYPE: {line}"
        samples.append((name, labels, float(value)))
    return {n: (m["TYPE"], m["HELP"]) for n, m in meta.items()}, samples


def test_exact_lines_for_counters_and_gauges() -> None:
    m = Metrics()
    m.counter("backtrail_messages_received_total", "Messages received.", source="trail",
              queue="live").inc()
    m.counter("backtrail_messages_received_total", "Messages received.", queue="live",
              source="trail").inc(2)  # same child, whatever the keyword order
    m.counter("backtrail_bytes_total", "Object bytes.", source="trail").inc(1.5)
    m.gauge("backtrail_queue_depth", "Messages by state.", source="trail", queue="live",
            state="visible").set(7)
    m.gauge("backtrail_up", "Up.").set(1)
    assert m.render() == (
        "# HELP backtrail_messages_received_total Messages received.\n"
        "# TYPE backtrail_messages_received_total counter\n"
        'backtrail_messages_received_total{queue="live",source="trail"} 3\n'
        "# HELP backtrail_bytes_total Object bytes.\n"
        "# TYPE backtrail_bytes_total counter\n"
        'backtrail_bytes_total{source="trail"} 1.5\n'
        "# HELP backtrail_queue_depth Messages by state.\n"
        "# TYPE backtrail_queue_depth gauge\n"
        'backtrail_queue_depth{queue="live",source="trail",state="visible"} 7\n'
        "# HELP backtrail_up Up.\n"
        "# TYPE backtrail_up gauge\n"
        "backtrail_up 1\n")
    assert m.value("backtrail_messages_received_total", source="trail", queue="live") == 3
    assert m.value("backtrail_nothing") == 0


def test_empty_registry_renders_nothing() -> None:
    assert Metrics().render() == ""
    assert Metrics().log_line() == ""


def test_label_values_and_help_are_escaped() -> None:
    m = Metrics()
    nasty = 'a\\b "quoted"\nnext line'
    m.counter("backtrail_errors_total", "Errors\\by reason\nper source.", source="s",
              reason=nasty).inc()
    text = m.render()
    assert 'reason="a\\\\b \\"quoted\\"\\nnext line"' in text
    assert "# HELP backtrail_errors_total Errors\\\\by reason\\nper source.\n" in text
    meta, samples = parse(text)
    assert meta == {"backtrail_errors_total": ("counter", "Errors\\by reason\nper source.")}
    assert samples == [("backtrail_errors_total", {"reason": nasty, "source": "s"}, 1.0)]


def test_histogram_buckets_are_cumulative() -> None:
    m = Metrics()
    lag = m.histogram("backtrail_lag_seconds", "Event time to searchable.", [5, 1, 30], source="t")
    for v in (0.2, 1, 3, 4, 45):
        lag.observe(v)
    assert m.render() == (
        "# HELP backtrail_lag_seconds Event time to searchable.\n"
        "# TYPE backtrail_lag_seconds histogram\n"
        'backtrail_lag_seconds_bucket{source="t",le="1.0"} 2\n'
        'backtrail_lag_seconds_bucket{source="t",le="5.0"} 4\n'
        'backtrail_lag_seconds_bucket{source="t",le="30.0"} 4\n'
        'backtrail_lag_seconds_bucket{source="t",le="+Inf"} 5\n'
        'backtrail_lag_seconds_sum{source="t"} 53.2\n'
        'backtrail_lag_seconds_count{source="t"} 5\n')
    meta, samples = parse(m.render())
    buckets = [v for name, _, v in samples if name.endswith("_bucket")]
    assert buckets == sorted(buckets)


def test_whole_worker_set_parses() -> None:
    m = Metrics()
    for source in ("trail", "alb"):
        for queue in ("live", "backfill"):
            sq = {"source": source, "queue": queue}
            m.counter("backtrail_messages_received_total", "Received.", **sq).inc()
            m.counter("backtrail_messages_deleted_total", "Deleted.", **sq).inc()
            m.counter("backtrail_messages_returned_total", "Returned.", **sq)
            for state in ("visible", "in_flight", "dead"):
                m.gauge("backtrail_queue_depth", "Depth.", state=state, **sq).set(2)
            m.gauge("backtrail_queue_oldest_age_seconds", "Age.", **sq).set(0.25)
        m.counter("backtrail_objects_total", "Objects.", source=source, outcome="done").inc(4)
        m.counter("backtrail_bytes_total", "Bytes.", source=source).inc(1 << 40)
        m.counter("backtrail_events_total", "Events.", source=source).inc(10)
        m.counter("backtrail_errors_total", "Errors.", source=source, reason="NoSuchKey").inc()
        m.histogram("backtrail_lag_seconds", "Lag.", source=source).observe(1.25)
    meta, samples = parse(m.render())
    assert len(meta) == 10 and meta["backtrail_lag_seconds"][0] == "histogram"
    assert ("backtrail_bytes_total", {"source": "alb"}, float(1 << 40)) in samples
    assert m.log_line() == ("messages_received=4 messages_deleted=4 messages_returned=0 objects=8"
                            " bytes=2199023255552 events=20 errors=2")
    assert m.log_line(source="trail", queue="live").startswith(
        "messages_received=1 messages_deleted=1 messages_returned=0 objects=0")


def test_concurrent_increments_sum_exactly() -> None:
    m = Metrics()

    def work() -> None:
        for i in range(5000):
            m.counter("backtrail_events_total", "Events.", source="s").inc()
            m.histogram("backtrail_lag_seconds", "Lag.", [1], source="s").observe(i % 2)
            if i % 1000 == 0:
                m.render()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert m.value("backtrail_events_total", source="s") == 40_000
    _, samples = parse(m.render())
    counts = {name: v for name, labels, v in samples if name.startswith("backtrail_lag_seconds_")
              and labels.get("le") != "1.0"}
    assert counts == {"backtrail_lag_seconds_bucket": 40_000, "backtrail_lag_seconds_sum": 20_000,
                      "backtrail_lag_seconds_count": 40_000}


def test_misuse_is_refused() -> None:
    m = Metrics()
    m.counter("backtrail_x_total", "X.")
    with pytest.raises(ValueError):
        m.gauge("backtrail_x_total", "X.")
    with pytest.raises(ValueError):
        m.counter("backtrail_x_total", "X.").inc(-1)
    with pytest.raises(ValueError):
        m.counter("bad-name", "X.")
    m.histogram("backtrail_h", "H.", [1, 2])
    with pytest.raises(ValueError):
        m.histogram("backtrail_h", "H.", [1, 3])
    with pytest.raises(ValueError):
        m.histogram("backtrail_h", "H.", [1, 2], le="x")
