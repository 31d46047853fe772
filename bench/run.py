"""Run every benchmark of issue 5 and check the targets: ``make bench`` (``ARGS=--quick``).

Prints each benchmark's table, then the targets with the measured values, and writes JSON to
bench/results/ (one file per benchmark, and summary.json with the targets and the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, machine
from bench.generate import set_folder

FULL_COUNT, SMALL_COUNT, EXPORT_COUNT, SAVE_COUNT, SCALE_COUNT = 1000, 5000, 100, 100, 20000
QUICK = {"count": 100, "small": 1000, "export": 12, "save": 20, "rounds": 2, "scale": 2000}


def machine_facts() -> dict[str, Any]:
    facts: dict[str, Any] = dict(machine())
    facts["nproc"] = os.cpu_count()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                facts["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                facts["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import PIL
    import PySide6

    facts["pillow"] = PIL.__version__
    facts["pyside6"] = PySide6.__version__
    facts["load_average_at_start"] = os.getloadavg()[0]
    facts["os"] = platform.platform()
    return facts


def _load(name: str) -> dict[str, Any]:
    return dict(json.loads((RESULTS_DIR / f"{name}.json").read_text()))


def _seconds(result: dict[str, Any], prefix: str) -> float | None:
    for m in result["measurements"]:
        if m["name"].startswith(prefix):
            return float(m["seconds"])
    return None


def targets(count: int, small: int) -> list[dict[str, Any]]:
    """Each target, the measured value and whether it is met (None: not measured)."""
    rows: list[dict[str, Any]] = []

    def add(target: str, value: float | None, unit: str, ok: bool | None) -> None:
        rows.append({"target": target, "measured": None if value is None else round(value, 3),
                     "unit": unit, "met": ok})

    def below(value: float | None, limit: float) -> bool | None:
        return None if value is None else value < limit

    def above(value: float | None, limit: float) -> bool | None:
        return None if value is None else value >= limit

    with_suffix = "" if count == FULL_COUNT else f" ({count} photos here)"
    if (RESULTS_DIR / "open_folder.json").exists():
        r = _load("open_folder")
        for label in ("cold", "warm"):
            v = _seconds(r, f"{label}: first 40 thumbnails painted")
            add(f"{label}: first 40 thumbnails painted < 0.3 s", v, "s", below(v, 0.3))
            v = _seconds(r, f"{label}: all {count} thumbnails")
            add(f"{label}: all 1,000 thumbnails < 2 s{with_suffix}", v, "s", below(v, 2.0))
            v = _seconds(r, f"{label}: sharp thumbnails painted")
            add(f"{label}: sharp thumbnails for the visible rows < 4 s", v, "s", below(v, 4.0))
            if label == "warm":
                v = _seconds(r, "warm: sharp visible thumbnails painted")
                add(f"reopen {count:,}-photo folder cold-process: sharp visible thumbnails "
                    "< 0.5 s", v, "s", below(v, 0.5))
            gap = r["extra"].get(f"{label}: largest GUI-thread gap (ms, best of rounds)")
            add(f"{label}: GUI-thread stall never > 50 ms (wall clock)", gap, "ms",
                below(gap, 50.0))
            key = f"{label}: largest GUI-thread CPU in one gap (ms, worst of rounds)"
            cpu = r["extra"].get(key)
            add(f"{label}: GUI-thread stall never > 50 ms (GUI-thread CPU in the gap)", cpu,
                "ms", below(cpu, 50.0))
    if (RESULTS_DIR / "open_small.json").exists():
        r = _load("open_small")
        mem = r["extra"].get("peak RSS (MB, worst of rounds)")
        add(f"peak memory < 600 MB with 5,000 photos ({small} here)", mem, "MB",
            below(mem, 600.0))
        v = _seconds(r, f"all {small} records read")
        add(f"5,000 small photos: time to open ({small} here; no target)", v, "s", None)
        gap = r["extra"].get("largest GUI-thread gap (ms, best of rounds)")
        add("5,000 small photos: GUI-thread stall never > 50 ms (wall clock)", gap, "ms",
            below(gap, 50.0))
    if (RESULTS_DIR / "open_scale.json").exists():
        r = _load("open_scale")
        n = r["items"]
        mem = r["extra"].get("peak RSS (MB, worst of rounds)")
        add(f"scale: {n:,} small photos, peak memory < 1 GB", mem, "MB", below(mem, 1024.0))
        gap = r["extra"].get("largest GUI-thread gap (ms, best of rounds)")
        add(f"scale: {n:,} small photos, GUI-thread stall never > 100 ms (wall clock)", gap,
            "ms", below(gap, 100.0))
    if (RESULTS_DIR / "export.json").exists():
        r = _load("export")
        ours = _seconds(r, "photocaption export")
        for prefix, label, need in (
            ("plain Pillow", "export >= 2.3x the plain Pillow script", 2.3),
            ("libvips vipsthumbnail", "export >= 1.2x libvips (vipsthumbnail)", 1.2),
            ("ImageMagick", "export >= 4x ImageMagick (mogrify -resize)", 4.0),
        ):
            other = _seconds(r, prefix)
            speedup = other / ours if other and ours else None
            add(label, speedup, "x", above(speedup, need))
        floor = r["extra"].get("export / decode floor (x)")
        add("export <= 1.5x the decode floor (draft decode, all cores)", floor, "x",
            None if floor is None else floor <= 1.5)
    if (RESULTS_DIR / "save.json").exists():
        r = _load("save")
        ours = _seconds(r, "photocaption save")
        floor = _seconds(r, "copy + fsync")
        exiftool = _seconds(r, "exiftool")
        ratio = ours / floor if ours and floor else None
        add("save within 1.3x of the copy + fsync floor", ratio, "x",
            None if ratio is None else ratio <= 1.3)
        ratio = ours / exiftool if ours and exiftool else None
        add("save no slower than exiftool's batch", ratio, "x",
            None if ratio is None else ratio <= 1.0)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["## Targets", "", "| target | measured | met? |", "|---|---:|---|"]
    for row in rows:
        value = "" if row["measured"] is None else f"{row['measured']:g} {row['unit']}"
        met = {True: "yes", False: "**no**", None: "n/a"}[row["met"]]
        lines.append(f"| {row['target']} | {value} | {met} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="100 photos (1,000 small), 12 exports, 20 saves, 2 rounds")
    parser.add_argument("--only", nargs="*", choices=["open", "scale", "export", "save"],
                        help="run only these benchmarks (targets still read every result)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per opening (best of)")
    args = parser.parse_args()
    count, small, n_export, n_save = FULL_COUNT, SMALL_COUNT, EXPORT_COUNT, SAVE_COUNT
    rounds = args.rounds
    if args.quick:
        count, small, n_export, n_save, rounds = (
            QUICK["count"], QUICK["small"], QUICK["export"], QUICK["save"], QUICK["rounds"])
        # A quick run writes to its own results folder so it never replaces a full run's.
        import bench.common

        bench.common.RESULTS_DIR = RESULTS_DIR / "quick"
        globals()["RESULTS_DIR"] = bench.common.RESULTS_DIR
    scale = QUICK["scale"] if args.quick else SCALE_COUNT
    only = set(args.only or ["open", "scale", "export", "save"])
    facts = machine_facts()
    free = shutil.disk_usage(set_folder("").parent if not set_folder("").exists()
                             else set_folder("")).free
    need = count * 11e6 * 1.1
    if "open" in only and not (set_folder(f"full-{count}")).exists() and free < need:
        print(f"Only {free / 1e9:.0f} GB free for a {count}-photo set: using 300 photos.")
        count = 300
    started = time.time()
    if "open" in only:
        from bench import open_folder

        print(open_folder.run_folder(count, rounds)[0], "\n", flush=True)
        print(open_folder.run_small(small, rounds)[0], "\n", flush=True)
    if "scale" in only:
        from bench import open_folder

        print(open_folder.run_scale(scale, 1)[0], "\n", flush=True)
    if "export" in only:
        from bench import export

        print(export.run(n_export), "\n", flush=True)
    if "save" in only:
        from bench import save

        with tempfile.TemporaryDirectory(dir=set_folder("")) as work:
            print(save.run(n_save, Path(work)), "\n", flush=True)
    rows = targets(count, small)
    print(table(rows))
    summary = {"machine": facts, "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
               "quick": args.quick, "counts": {"folder": count, "small": small, "scale": scale,
                                               "export": n_export, "save": n_save},
               "minutes": round((time.time() - started) / 60, 1), "targets": rows}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "summary.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
