"""Benchmarks 1, 2 and 5: open a folder in the real main window (offscreen).

1. A folder of camera-like 24 MP JPEGs, thumbnail disk cache cold (a fresh, empty cache folder).
2. The same folder again in a new process and window with the same (now warm) cache folder: a
   restart, sharp thumbnails coming from the shared freedesktop.org thumbnail cache.
5. A folder of 5,000 small photos: time to open and peak memory.

Each opening runs in a fresh child process (so its peak memory is its own), driving the window
built by ``editor.app.build_window``, as the app and the GUI tests do. Measured from the moment
the drop event is delivered: the first 40 thumbnails painted (a delegate wrapper records when
each cell is first painted with an image), every photo with a thumbnail, every record read, and
sharp thumbnails painted for the rows on screen. A 5 ms timer on the GUI thread records its
largest gap (wall clock, and the GUI thread's own CPU time in that gap), and the child reports
its peak RSS (VmHWM). The window is 1920x1200 with the grid pane 1100 px wide, so 40+ cells are
on screen at the default thumbnail size.

Baseline, in the parent process and interleaved with the openings: a plain Pillow
``Image.thumbnail()`` of the same first 40 photos, one by one. Rounds are interleaved and each
figure is the best of the rounds (peak memory: the worst), as this machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import BenchResult, report
from bench.generate import build_set, set_folder

FIRST = 40
WINDOW = (1920, 1200)
SPLITTER = [1100, 420, 400]
TIMEOUT_S = float(os.environ.get("PC_BENCH_TIMEOUT_S", "300"))


# ----------------------------------------------------------------------------------------------
# the child: one opening of one folder in a fresh window
# ----------------------------------------------------------------------------------------------
def _peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _context_switches() -> dict[str, int]:
    """The GUI thread's voluntary (waiting: I/O, the GIL) and involuntary (preempted) switches."""
    out: dict[str, int] = {}
    with open(f"/proc/self/task/{threading.get_native_id()}/status") as fh:
        for line in fh:
            if "ctxt_switches" in line:
                key, value = line.split(":")
                out[key.strip()] = int(value)
    return out


def child(folder: Path, cache: Path, count: int, settle_sharp: bool) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Everything, the GUI tests' real drag-and-drop included, is imported before measuring.
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from editor.app import build_window, freeze_startup_heap
    from editor.core.library import ItemState
    from editor.core.scan import natural_key
    from editor.gui.thumbnail_delegate import ThumbnailDelegate
    from tests.gui.conftest import drop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = folder.resolve()
    names = sorted((p.name for p in folder.iterdir() if not p.name.startswith(".")),
                   key=natural_key)
    first = {folder / n for n in names[:FIRST]}
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        if os.environ.get("PC_BENCH_RAW_APART") == "1":  # the RAW row: every file a photo
            settings.setValue("grid/raw_jpeg_apart", True)
        win = build_window(settings, cache)
        freeze_startup_heap()  # as run_gui does
        win.resize(*WINDOW)
        win.show()
        QTest.qWaitForWindowExposed(win)
        win.splitter.setSizes(SPLITTER)
        QTest.qWait(300)  # the window warms its main page while the drop zone shows

        painted: dict[Path, float] = {}
        painted_sharp: dict[Path, float] = {}
        paints = [0]
        start = 0.0

        class Recording(ThumbnailDelegate):
            def paint(self, painter: Any, option: Any, index: Any) -> None:
                super().paint(painter, option, index)
                paints[0] += 1
                drawn = self.drawn  # what was put on screen (a cell may show its last look)
                if drawn is None or drawn.image is None or drawn.path in painted_sharp:
                    return
                now = time.perf_counter() - start
                mark("first cell painted with an image")
                painted.setdefault(drawn.path, now)
                if drawn.sharp:
                    painted_sharp[drawn.path] = now

        grid = win.grid
        recording = Recording(grid)
        recording.thumb_size = grid.thumb_size
        grid._delegate = recording
        grid.setItemDelegate(recording)
        visible_cells = 0

        ready: set[Path] = set()
        timeline: dict[str, float] = {}

        def mark(name: str) -> None:
            timeline.setdefault(name, round((time.perf_counter() - start) * 1000, 1))

        def on_ready(paths: list[Path]) -> None:
            ready.update(paths)
            mark("first thumbnail ready")
            if len(ready) >= min(FIRST, count):
                mark(f"{FIRST} thumbnails ready")

        def on_added(paths: list[Path]) -> None:
            mark("first photos in the model")
            if len(win.library) >= min(FIRST, count):
                mark(f"{FIRST} photos in the model")

        win.thumbnails.thumbnailsReady.connect(on_ready)
        win.loader.photosAdded.connect(on_added)
        win.thumbnails.thumbnailFailed.connect(lambda p, _r: ready.add(p))

        marks: dict[str, float] = {}
        worst = [0.0, 0.0, 0.0]  # wall s, GUI CPU s (in any gap), wall s of the worst's gap CPU
        last = [0.0, 0.0]
        gaps: list[tuple[int, int, int]] = []  # (wall ms, GUI CPU ms, starting at ms)
        loop = QEventLoop()

        seen_sharp: list[Any] = [-1, False]  # sharp cells painted, records read: last tick

        def records_read() -> bool:
            lib = win.library
            return (
                len(lib) == count
                and not win.loader.busy
                and all(it.state is not ItemState.LOADING for it in lib.items)
            )

        def tick() -> None:
            now, cpu = time.perf_counter(), time.thread_time()
            gap, gap_cpu = now - last[0], cpu - last[1]
            worst[0] = max(worst[0], gap)
            worst[1] = max(worst[1], gap_cpu)
            if gap > 0.03:
                gaps.append((round(gap * 1000), round(gap_cpu * 1000),
                             round((last[0] - start) * 1000)))
            last[0], last[1] = now, cpu
            t = now - start
            if "first" not in marks and sum(p in painted for p in first) >= min(FIRST, count):
                marks["first"] = t
            if "thumbs" not in marks and len(ready) >= count:
                marks["thumbs"] = t
            if "read" not in marks and len(win.library) == count and records_read():
                marks["read"] = t
            # The visible rows are looked up only when another cell was painted sharp (or the
            # records are all read): this timer's own GUI-thread time stays out of the figures.
            fresh = len(painted_sharp) != seen_sharp[0] or ("read" in marks) != seen_sharp[1]
            seen_sharp[0], seen_sharp[1] = len(painted_sharp), "read" in marks
            if settle_sharp and "screen" not in marks and fresh:
                # The screenful sharp, whether or not the records are read yet: what a reopened
                # folder shows from the shared thumbnail cache.
                visible = grid.visible_paths()
                if len(visible) >= min(FIRST, count) and all(p in painted_sharp for p in visible):
                    marks["screen"] = t
            if settle_sharp and "sharp" not in marks and "read" in marks and fresh:
                visible = grid.visible_paths()
                if visible and all(p in painted_sharp for p in visible):
                    marks["sharp"] = t
                    nonlocal visible_cells
                    visible_cells = len(visible)
            wanted = ("first", "thumbs", "read", "sharp") if settle_sharp else (
                "first", "thumbs", "read")
            if all(k in marks for k in wanted) or t > TIMEOUT_S:
                loop.quit()

        if os.environ.get("PC_BENCH_DEBUG"):
            original_show = win.thumbnails.show

            def show(paths: Any) -> None:
                paths = list(paths)
                print(f"show {len(paths)} at {time.perf_counter() - start:.3f} "
                      f"rows {win.proxy.rowCount()}", file=sys.stderr)
                original_show(paths)

            win.thumbnails.show = show  # type: ignore[method-assign]
        rss_before = _rss_mb()
        meter = QTimer()
        meter.setTimerType(Qt.TimerType.PreciseTimer)
        meter.setInterval(5)
        meter.timeout.connect(tick)
        start = time.perf_counter()
        last[0], last[1] = start, time.thread_time()
        profile_to = os.environ.get("PC_BENCH_PROFILE")  # a pyinstrument text profile of the
        profiler = None  # GUI thread over the measured time goes to this file
        if profile_to:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            until = float(os.environ.get("PC_BENCH_PROFILE_S", "0"))
            if until:
                QTimer.singleShot(int(until * 1000), profiler.stop)
        meter.start()
        drop(win, [folder])
        loop.exec()
        meter.stop()
        if profiler is not None:
            if profiler.is_running:
                profiler.stop()
            Path(profile_to).write_text(profiler.output_text(unicode=False, color=False))
        if os.environ.get("PC_BENCH_DEBUG"):
            vis = grid.visible_paths()
            print("visible", len(vis), [p.name for p in vis][:5],
                  "sharp in thumbnailer", sum(win.thumbnails.is_sharp(p) for p in vis),
                  "painted sharp", sum(p in painted_sharp for p in vis),
                  "jobs", win.thumbnails.jobs, file=sys.stderr)
        result = {
            "count": count,
            "first_painted_s": marks.get("first"),
            "all_thumbnails_s": marks.get("thumbs"),
            "all_read_s": marks.get("read"),
            "sharp_visible_s": marks.get("sharp"),
            "sharp_screen_s": marks.get("screen"),
            "visible_cells": visible_cells,
            "worst_gui_gap_ms": worst[0] * 1000,
            "worst_gui_cpu_in_gap_ms": worst[1] * 1000,
            "rss_before_drop_mb": rss_before,
            "peak_rss_mb": _peak_rss_mb(),
            "sharp_px": win.thumbnails.sharp_px,
            "load_avg": os.getloadavg()[0],
            "timeline_ms": timeline,
            "cell_paints": paints[0],
            "gaps_over_30ms": sorted(gaps, reverse=True)[:6],
            "gui_context_switches": _context_switches(),
        }
        win.close_discarding()
        win.deleteLater()
        QTest.qWait(50)
    del app
    return result


def _run_child(folder: Path, cache: Path, count: int, settle_sharp: bool) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.open_folder", "--child", str(folder), "--cache",
           str(cache), "--count", str(count)]
    if not settle_sharp:
        cmd.append("--no-sharp")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env,
                         timeout=TIMEOUT_S + 120)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# ----------------------------------------------------------------------------------------------
# the baseline and the parent
# ----------------------------------------------------------------------------------------------
def plain_pillow_thumbnails(paths: list[Path], px: int) -> None:
    from PIL import Image

    for p in paths:
        with Image.open(p) as im:
            im.thumbnail((px, px))


def _best(runs: list[dict[str, Any]], key: str, worst: bool = False) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    if not values:
        return None
    return max(values) if worst else min(values)


def run_folder(count: int, rounds: int) -> tuple[str, dict[str, Any]]:
    """Benchmarks 1 and 2 on ``count`` 24 MP photos."""
    folder = set_folder(f"full-{count}")
    paths = build_set(count, folder)
    first = paths[:FIRST]
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    baseline: list[float] = []
    sharp_px = 384
    work = Path(tempfile.mkdtemp(prefix="open-", dir=set_folder("")))
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            plain_pillow_thumbnails(first, sharp_px)
            baseline.append(time.perf_counter() - start)
            cache = work / "thumbcache"
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(_run_child(folder, cache, count, True))
            warm.append(_run_child(folder, cache, count, True))
            sharp_px = int(cold[-1]["sharp_px"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = min(baseline)
    result = BenchResult("open_folder", f"plain Pillow thumbnail() of the first {FIRST}", count)
    result.add(f"plain Pillow thumbnail() of the first {FIRST}", base,
               note=f"{sharp_px} px, one by one")
    for label, runs in (("cold", cold), ("warm", warm)):
        for key, what in (
            ("first_painted_s", f"first {FIRST} thumbnails painted"),
            ("all_thumbnails_s", f"all {count} thumbnails"),
            ("all_read_s", f"all {count} records read"),
            ("sharp_visible_s", "sharp thumbnails painted for the visible rows"),
            ("sharp_screen_s", "sharp visible thumbnails painted (records read or not)"),
        ):
            value = _best(runs, key)
            if value is not None:
                result.add(f"{label}: {what}", value)
    for label, runs in (("cold", cold), ("warm", warm)):
        result.extra[f"{label}: largest GUI-thread gap (ms, best of rounds)"] = round(
            _best(runs, "worst_gui_gap_ms") or 0, 1)
        result.extra[f"{label}: largest GUI-thread CPU in one gap (ms, worst of rounds)"] = round(
            _best(runs, "worst_gui_cpu_in_gap_ms", worst=True) or 0, 1)
        result.extra[f"{label}: peak RSS (MB, worst of rounds)"] = round(
            _best(runs, "peak_rss_mb", worst=True) or 0)
    result.extra["visible cells"] = cold[-1]["visible_cells"]
    result.extra["rounds"] = rounds
    raw = {"baseline_s": baseline, "cold": cold, "warm": warm}
    result.extra["runs"] = raw
    text = report(result)
    return text.split("\nruns:")[0], {"cold": cold, "warm": warm, "baseline": baseline}


SCALE_SIZE = (640, 427)
"""The scale set's photos: 20,000 of them at 1600 px would be 18 GB; at this size ~3 GB."""


def run_scale(count: int, rounds: int) -> tuple[str, dict[str, Any]]:
    """The scale row: a folder of ``count`` (20,000) generated small JPEGs, cold cache: peak
    memory and the GUI thread's largest gap."""
    return run_small(count, rounds, SCALE_SIZE, "open_scale", "scale")


def run_small(count: int, rounds: int, size: tuple[int, int] | None = None,
              bench: str = "open_small", prefix: str = "small") -> tuple[str, dict[str, Any]]:
    """Benchmark 5: a folder of ``count`` small photos, cold cache."""
    from bench.generate import SMALL_SIZE

    folder = set_folder(f"{prefix}-{count}")
    paths = build_set(count, folder, size or SMALL_SIZE)
    runs: list[dict[str, Any]] = []
    baseline: list[float] = []
    work = Path(tempfile.mkdtemp(prefix="open-small-", dir=set_folder("")))
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            plain_pillow_thumbnails(paths[:FIRST], 384)
            baseline.append(time.perf_counter() - start)
            cache = work / "thumbcache"
            shutil.rmtree(cache, ignore_errors=True)
            runs.append(_run_child(folder, cache, count, False))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = BenchResult(bench, f"plain Pillow thumbnail() of the first {FIRST}", count)
    result.add(f"plain Pillow thumbnail() of the first {FIRST}", min(baseline),
               note="384 px, one by one")
    for key, what in (
        ("first_painted_s", f"first {FIRST} thumbnails painted"),
        ("all_thumbnails_s", f"all {count} thumbnails"),
        ("all_read_s", f"all {count} records read (open)"),
    ):
        value = _best(runs, key)
        if value is not None:
            result.add(what, value)
    result.extra["peak RSS (MB, worst of rounds)"] = round(
        _best(runs, "peak_rss_mb", worst=True) or 0)
    result.extra["largest GUI-thread gap (ms, best of rounds)"] = round(
        _best(runs, "worst_gui_gap_ms") or 0, 1)
    result.extra["largest GUI-thread CPU in one gap (ms, worst of rounds)"] = round(
        _best(runs, "worst_gui_cpu_in_gap_ms", worst=True) or 0, 1)
    result.extra["runs"] = {"baseline_s": baseline, "runs": runs}
    text = report(result)
    return text.split("\nruns:")[0], {"runs": runs, "baseline": baseline}


def run_raw_pairs(pairs: int, rounds: int) -> tuple[str, dict[str, Any]]:
    """A folder of ``pairs`` RAW+JPEG pairs (2 x ``pairs`` photos), cold and warm cache: the
    RAWs' thumbnails come from their embedded JPEGs (issue 14's target: the same as 1,000
    JPEGs)."""
    from bench.raw_files import build_raw_pairs

    folder = set_folder(f"raw-pairs-{pairs}")
    paths = build_raw_pairs(pairs, folder)
    # Shown apart, so that the RAWs' own thumbnails are measured (paired, the grid would show
    # the JPEGs' and hold ``pairs`` photos, not the ``count`` the child waits for).
    os.environ["PC_BENCH_RAW_APART"] = "1"
    count = len(paths)
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    work = Path(tempfile.mkdtemp(prefix="open-raw-", dir=set_folder("")))
    try:
        for _ in range(rounds):
            cache = work / "thumbcache"
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(_run_child(folder, cache, count, True))
            warm.append(_run_child(folder, cache, count, True))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = BenchResult("open_raw_pairs", "none (targets of the 1,000-JPEG opening)", count)
    for label, runs in (("cold", cold), ("warm", warm)):
        for key, what in (
            ("first_painted_s", f"first {FIRST} thumbnails painted"),
            ("all_thumbnails_s", f"all {count} thumbnails"),
            ("all_read_s", f"all {count} records read"),
            ("sharp_visible_s", "sharp thumbnails painted for the visible rows"),
        ):
            value = _best(runs, key)
            if value is not None:
                result.add(f"{label}: {what}", value)
        result.extra[f"{label}: largest GUI-thread gap (ms, best of rounds)"] = round(
            _best(runs, "worst_gui_gap_ms") or 0, 1)
        result.extra[f"{label}: peak RSS (MB, worst of rounds)"] = round(
            _best(runs, "peak_rss_mb", worst=True) or 0)
    sizes = [p.stat().st_size for p in paths if p.suffix == ".NEF"]
    result.extra["RAW file size (MB, mean)"] = round(sum(sizes) / len(sizes) / 1e6, 1)
    result.extra["rounds"] = rounds
    result.extra["runs"] = {"cold": cold, "warm": warm}
    text = report(result)
    return text.split("\nruns:")[0], {"cold": cold, "warm": warm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--small-count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="100 photos, 1000 small, 2 rounds")
    parser.add_argument("--only", choices=["folder", "small", "raw"])
    parser.add_argument("--raw-pairs", type=int, default=500, help="RAW+JPEG pairs (--only raw)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-sharp", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.cache, args.count, not args.no_sharp)))
        return
    count, small, rounds = args.count, args.small_count, args.rounds
    if args.quick:
        count, small, rounds = 100, 1000, 2
    if args.only == "raw":
        print(run_raw_pairs(args.raw_pairs, rounds)[0], flush=True)
        return
    if args.only != "small":
        print(run_folder(count, rounds)[0], flush=True)
    if args.only != "folder":
        print(run_small(small, rounds)[0], flush=True)


if __name__ == "__main__":
    main()
