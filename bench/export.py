"""Benchmark 3: export N 24 MP photos to 1600 px JPEG with the default preset, against a plain
Pillow script (open, full decode, Lanczos, save) and, where installed, ImageMagick (mogrify
-resize) and libvips (vipsthumbnail). All in the same run; ratios are to plain Pillow.

The decode floor is measured in the same rounds: Pillow's draft decode of the same photos to the
export's size (libjpeg at 1/2 scale for these), on every core, nothing else. No export can be
faster than decoding its photos; the target is the default export within 1.5x of it."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from bench.common import BenchResult, report
from bench.generate import build_set, set_folder
from editor.core.export import ExportFinished, ExportItem, ExportOptions, export_photos
from editor.core.metadata import read_photo

LONG_EDGE = 1600


FLOOR = "decode floor (Pillow draft decode, all cores)"
EXPORT = "photocaption export (default preset)"


def _draft_decode(path: Path) -> None:
    with Image.open(path) as im:
        w, h = im.size
        s = LONG_EDGE / max(w, h)
        im.draft(None, (round(w * s), round(h * s)))
        im.load()


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (mogrify, vipsthumbnail)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def decode_floor(paths: list[Path], out: Path) -> None:
    """Read and draft-decode every photo on all cores (what any export must at least do)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_draft_decode, paths))


def plain_pillow(paths: list[Path], out: Path) -> None:
    for p in paths:
        with Image.open(p) as im:
            im.load()
            w, h = im.size
            s = LONG_EDGE / max(w, h)
            small = im.resize((round(w * s), round(h * s)), Image.Resampling.LANCZOS)
            small.save(out / p.name, "JPEG", quality=82)


def photocaption(paths: list[Path], out: Path) -> None:
    items = [ExportItem(p, read_photo(p).metadata) for p in paths]
    for event in export_photos(items, ExportOptions(out_dir=out, overwrite=True)):
        if isinstance(event, ExportFinished) and event.result.failures:
            raise RuntimeError(f"export failed: {event.result.failures[:3]}")


def imagemagick(paths: list[Path], out: Path) -> None:
    size = f"{LONG_EDGE}x{LONG_EDGE}>"
    cmd = ["mogrify", "-path", str(out), "-resize", size, "-quality", "82", *map(str, paths)]
    subprocess.run(cmd, check=True, capture_output=True)


def vipsthumbnail(paths: list[Path], out: Path) -> None:
    target = f"{out}/%s.jpg[Q=82,strip]"
    cmd = ["vipsthumbnail", "--size", f"{LONG_EDGE}x{LONG_EDGE}", "-o", target, *map(str, paths)]
    subprocess.run(cmd, check=True, capture_output=True)


def run(count: int) -> str:
    paths = build_set(count, set_folder(f"full-{count}"))
    result = BenchResult("export", "plain Pillow (full decode + Lanczos)", count)
    contenders: list[tuple[str, Callable[[list[Path], Path], None]]] = [
        ("plain Pillow (full decode + Lanczos)", plain_pillow),
        (EXPORT, photocaption),
        (FLOOR, decode_floor),
    ]
    if shutil.which("mogrify"):
        contenders.append(("ImageMagick mogrify -resize", imagemagick))
    if shutil.which("vipsthumbnail"):
        contenders.append(("libvips vipsthumbnail", vipsthumbnail))
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}  # CPU seconds (this process and its children), least of rounds
    with tempfile.TemporaryDirectory(dir=set_folder("")) as tmp:
        for _ in range(2):  # interleaved rounds; keep each contender's best
            for name, fn in contenders:
                out = Path(tmp) / name.split()[0]
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                cpu_start = _cpu_seconds()
                start = time.perf_counter()
                fn(paths, out)
                elapsed = time.perf_counter() - start
                used = _cpu_seconds() - cpu_start
                best[name] = min(best.get(name, elapsed), elapsed)
                cpu[name] = min(cpu.get(name, used), used)
    for name, _ in contenders:
        result.add(name, best[name], note=f"CPU {cpu[name] * 1000 / count:.0f} ms/photo")
    result.extra["photos per second, photocaption"] = round(count / best[EXPORT], 2)
    result.extra["export / decode floor (x)"] = round(best[EXPORT] / best[FLOOR], 3)
    # On a shared machine the wall clock includes other programs; CPU time does not.
    result.extra["export / decode floor, CPU time (x)"] = round(cpu[EXPORT] / cpu[FLOOR], 3)
    return report(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="12 photos")
    args = parser.parse_args()
    print(run(12 if args.quick else args.count))


if __name__ == "__main__":
    main()
