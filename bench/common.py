"""Shared helpers for the benchmarks: timing, machine facts, result tables and JSON."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CACHE_DIR = Path(
    os.environ.get("PHOTOCAPTION_BENCH_CACHE", Path(__file__).resolve().parent / "cache")
)


@dataclass
class Measurement:
    name: str
    seconds: float
    per_item_ms: float | None = None
    ratio_to_baseline: float | None = None  # > 1 means slower than the baseline
    note: str = ""


@dataclass
class BenchResult:
    bench: str
    baseline: str
    items: int
    measurements: list[Measurement] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    def add(self, name: str, seconds: float, note: str = "") -> Measurement:
        m = Measurement(
            name, seconds, seconds * 1000 / self.items if self.items else None, note=note
        )
        self.measurements.append(m)
        return m

    def finish(self) -> None:
        base = next((m for m in self.measurements if m.name == self.baseline), None)
        if base is None or base.seconds <= 0:
            return
        for m in self.measurements:
            m.ratio_to_baseline = m.seconds / base.seconds


def machine() -> dict[str, object]:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings: the least disturbed by other load on a shared machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(result: BenchResult) -> str:
    result.finish()
    lines = [f"## {result.bench} ({result.items} items; baseline: {result.baseline})", ""]
    lines.append("| run | total s | ms/item | × baseline | note |")
    lines.append("|---|---:|---:|---:|---|")
    for m in result.measurements:
        per = f"{m.per_item_ms:.1f}" if m.per_item_ms is not None else ""
        ratio = f"{m.ratio_to_baseline:.2f}" if m.ratio_to_baseline is not None else ""
        lines.append(f"| {m.name} | {m.seconds:.3f} | {per} | {ratio} | {m.note} |")
    for key, value in result.extra.items():
        lines.append(f"\n{key}: {value}")
    text = "\n".join(lines)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine(), "time": time.strftime("%Y-%m-%dT%H:%M:%S"), **asdict(result)}
    (RESULTS_DIR / f"{result.bench}.json").write_text(json.dumps(payload, indent=2))
    return text
