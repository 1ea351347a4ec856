"""A tiny metrics registry: counters, gauges and histograms, rendered for Prometheus and logs.

`Metrics()` hands out one child per (name, labels): `counter(name, help, **labels).inc(n=1)`,
`gauge(name, help, **labels).set(v)` (also `inc`/`dec`), `histogram(name, help, buckets,
**labels).observe(v)`. Asking again with the same name and labels returns the same child; a name
keeps the kind (and buckets) it was first declared with, else ValueError. Thread-safe.
`render()` is the Prometheus text exposition format 0.0.4 (HELP and TYPE once per name; label
values escaped); `log_line(**labels)` is one `key=value` line with every counter summed over the
children matching `labels` (key: the name without `backtrail_` and `_total`); `value(name,
**labels)` reads one counter or gauge (0 when absent).

Names the worker exports:

| name | kind | labels | meaning |
|---|---|---|---|
| backtrail_messages_received_total | counter | source, queue | messages received |
| backtrail_messages_deleted_total | counter | source, queue | messages acked (deleted) |
| backtrail_messages_returned_total | counter | source, queue | messages left to come back (retry) |
| backtrail_objects_total | counter | source, outcome | objects finished, by ledger outcome |
| backtrail_bytes_total | counter | source | object bytes processed |
| backtrail_events_total | counter | source | events written |
| backtrail_errors_total | counter | source, reason | failures by reason |
| backtrail_queue_depth | gauge | source, queue, state | messages visible / in_flight / dead |
| backtrail_queue_oldest_age_seconds | gauge | source, queue | age of the oldest live message |
| backtrail_lag_seconds | histogram | source | S3 event time → rows searchable |
| backtrail_backlog_objects | gauge | source | objects waiting or in flight (estimated from messages) |
| backtrail_desired_workers | gauge | source | workers the source's backlog needs (ingest/scaling.py) |
| backtrail_desired_workers_overall | gauge | | workers all sources' backlogs need together |
| backtrail_worker_objects_per_second | gauge | | one worker's throughput used (measured while busy, else configured) |
| backtrail_fetch_concurrency | gauge | | objects this worker fetches at once (grows with the backlog) |
"""
from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable

_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
LAG_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

Labels = tuple[tuple[str, str], ...]


def _number(v: float) -> str:
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if math.isnan(v):
        return "NaN"
    return str(int(v)) if float(v).is_integer() and abs(v) < 2**53 else repr(float(v))


def _escape(value: str, quote: bool = True) -> str:
    """Backslash and newline (and, in label values, double quote) as the text format wants."""
    value = value.replace("\\", r"\\").replace("\n", r"\n")
    return value.replace('"', r'\"') if quote else value


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + inner + "}" if inner else ""


class Counter:
    def __init__(self, lock: threading.Lock, buckets: tuple[float, ...] = ()) -> None:
        self._lock, self.value = lock, 0.0

    def inc(self, n: float = 1) -> None:
        if n < 0:
            raise ValueError("a counter only goes up")
        with self._lock:
            self.value += n


class Gauge:
    def __init__(self, lock: threading.Lock, buckets: tuple[float, ...] = ()) -> None:
        self._lock, self.value = lock, 0.0

    def set(self, v: float) -> None:
        with self._lock:
            self.value = float(v)

    def inc(self, n: float = 1) -> None:
        with self._lock:
            self.value += n

    def dec(self, n: float = 1) -> None:
        self.inc(-n)


class Histogram:
    def __init__(self, lock: threading.Lock, buckets: tuple[float, ...]) -> None:
        self._lock, self.buckets = lock, buckets
        self.counts = [0] * len(buckets)  # per bucket, not cumulative (render accumulates)
        self.sum, self.count = 0.0, 0

    def observe(self, v: float) -> None:
        with self._lock:
            self.sum += v
            self.count += 1
            for i, bound in enumerate(self.buckets):
                if v <= bound:
                    self.counts[i] += 1
                    break


_KINDS: dict[str, type[Counter] | type[Gauge] | type[Histogram]] = {
    "counter": Counter, "gauge": Gauge, "histogram": Histogram}


class _Family:
    def __init__(self, name: str, kind: str, help: str, buckets: tuple[float, ...] = ()) -> None:
        self.name, self.kind, self.help, self.buckets = name, kind, help, buckets
        self.children: dict[Labels, Counter | Gauge | Histogram] = {}


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._families: dict[str, _Family] = {}

    def counter(self, name: str, help: str, **labels: object) -> Counter:
        child = self._child(name, "counter", help, (), labels)
        assert isinstance(child, Counter)
        return child

    def gauge(self, name: str, help: str, **labels: object) -> Gauge:
        child = self._child(name, "gauge", help, (), labels)
        assert isinstance(child, Gauge)
        return child

    def histogram(self, name: str, help: str, buckets: Iterable[float] = LAG_BUCKETS,
                  **labels: object) -> Histogram:
        bounds = tuple(sorted({float(b) for b in buckets if not math.isinf(b)})) + (math.inf,)
        child = self._child(name, "histogram", help, bounds, labels)
        assert isinstance(child, Histogram)
        return child

    def _child(self, name: str, kind: str, help: str, buckets: tuple[float, ...],
               labels: dict[str, object]) -> Counter | Gauge | Histogram:
        key: Labels = tuple(sorted((k, str(v)) for k, v in labels.items()))
        with self._lock:
            family = self._families.get(name)
            if family is None:
                if not _NAME.fullmatch(name):
                    raise ValueError(f"invalid metric name: {name!r}")
                family = self._families[name] = _Family(name, kind, help, buckets)
            if family.kind != kind or family.buckets != buckets:
                raise ValueError(f"metric {name} is a {family.kind} with buckets {family.buckets}")
            child = family.children.get(key)
            if child is None:
                bad = [k for k, _ in key if not _LABEL.fullmatch(k) or k.startswith("__")
                       or (k == "le" and kind == "histogram")]
                if bad:
                    raise ValueError(f"invalid label name(s) for {name}: {bad}")
                child = family.children[key] = _KINDS[kind](self._lock, buckets)
            return child

    def value(self, name: str, **labels: object) -> float:
        """The value of one counter or gauge child; 0 when it does not exist."""
        key = tuple(sorted((k, str(v)) for k, v in labels.items()))
        with self._lock:
            family = self._families.get(name)
            child = family.children.get(key) if family else None
            return child.value if isinstance(child, (Counter, Gauge)) else 0.0

    def render(self) -> str:
        """Every metric in the Prometheus text format 0.0.4, names in declaration order."""
        out: list[str] = []
        with self._lock:
            for f in self._families.values():
                out.append(f"# HELP {f.name} {_escape(f.help, quote=False)}")
                out.append(f"# TYPE {f.name} {f.kind}")
                for key, child in sorted(f.children.items(), key=lambda kv: kv[0]):
                    if isinstance(child, Histogram):
                        total = 0
                        for bound, n in zip(child.buckets, child.counts):
                            total += n
                            le = (("le", _number(bound) if math.isinf(bound) else repr(bound)),)
                            out.append(f"{f.name}_bucket{_labels(key + le)} {total}")
                        out.append(f"{f.name}_sum{_labels(key)} {_number(child.sum)}")
                        out.append(f"{f.name}_count{_labels(key)} {child.count}")
                    else:
                        out.append(f"{f.name}{_labels(key)} {_number(child.value)}")
        return "\n".join(out) + "\n" if out else ""

    def log_line(self, **labels: object) -> str:
        """`messages_received=12 objects=40 …`: each counter summed over the children matching
        `labels` (all children when none are given), in declaration order."""
        want = {(k, str(v)) for k, v in labels.items()}
        parts: list[str] = []
        with self._lock:
            for f in self._families.values():
                if f.kind != "counter":
                    continue
                total = sum(c.value for key, c in f.children.items()
                            if isinstance(c, Counter) and want <= set(key))
                short = f.name.removeprefix("backtrail_").removesuffix("_total")
                parts.append(f"{short}={_number(total)}")
        return " ".join(parts)
