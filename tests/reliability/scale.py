"""Scale: a folder of 10,000 files through the engine (and optionally the real main window).

The tree mixes camera-like JPEGs, PNGs, damaged photos, non-photo files (sidecars, raw files,
text, hidden files), nested folders, a folder nobody may list, a FIFO named like a photo and
symlink loops. The walk and the reads run in a child process (as a non-root user where this
machine allows it, so the locked folder really is locked) that reports time and peak memory.

Run: ``python -m tests.reliability.scale`` (``--files 10000``, ``--gui`` to also open the
folder in the real main window offscreen). A small version runs in ``make test``
(tests/reliability/test_scale.py).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.reliability.child import can_run_as, run_child

BUDGET_MB = 600  # the performance issue's memory budget
NOBODY = 65534


@dataclass
class Tree:
    root: Path
    files: int = 0  # every file created (the FIFO and symlinks not counted)
    photos: int = 0  # supported photos the walk should find (outside the locked folder)
    damaged: int = 0  # among ``photos``: ones read_photo must refuse
    others: int = 0  # non-photo files
    locked_photos: int = 0  # photos inside the folder nobody may list
    locked: Path | None = None


def _seeds() -> dict[str, bytes]:
    from PIL import Image

    from tests.core.conftest import camera_jpeg

    png = io.BytesIO()
    Image.new("RGB", (48, 32), (20, 140, 90)).save(png, "PNG")
    jpeg = camera_jpeg(size=(96, 64))
    return {
        "jpg": jpeg,
        "png": png.getvalue(),
        "damaged.jpg": jpeg[: len(jpeg) // 3],  # cut inside the image data or header
        "empty.jpg": b"",
    }


def build_tree(root: Path, total: int, seed: int = 1) -> Tree:
    """``total`` files under ``root``: ~60 % photos, nested three deep, plus the traps."""
    rng = random.Random(seed)
    seeds = _seeds()
    tree = Tree(root)
    folders = [root]
    for i in range(max(3, total // 250)):
        parent = rng.choice(folders[: 1 + len(folders) // 2])
        folders.append(parent / f"day {i:03d}")
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    locked = root / "locked"
    locked.mkdir()
    for n in range(3):
        (locked / f"private_{n}.jpg").write_bytes(seeds["jpg"])
        tree.files += 1
        tree.locked_photos += 1
    tree.locked = locked
    others = [".xmp", ".txt", ".CR2", ".mov", ".json", ""]
    while tree.files < total:
        folder = rng.choice(folders)
        n = tree.files
        roll = rng.random()
        if roll < 0.55:
            (folder / f"IMG_{n:05d}.jpg").write_bytes(seeds["jpg"])
            tree.photos += 1
        elif roll < 0.60:
            (folder / f"scan_{n:05d}.png").write_bytes(seeds["png"])
            tree.photos += 1
        elif roll < 0.62:
            kind = "damaged.jpg" if roll < 0.615 else "empty.jpg"
            (folder / f"broken_{n:05d}.jpg").write_bytes(seeds[kind])
            tree.photos += 1
            tree.damaged += 1
        elif roll < 0.64:
            (folder / f".hidden_{n:05d}.jpg").write_bytes(seeds["jpg"])
            tree.others += 1
        else:
            suffix = rng.choice(others)
            (folder / f"note_{n:05d}{suffix}").write_bytes(b"not a photo\n" * 4)
            if suffix == ".CR2":  # named as a RAW (issue 14): a photo the reads refuse
                tree.photos += 1
                tree.damaged += 1
            else:
                tree.others += 1
        tree.files += 1
    # Traps: a FIFO named like a photo (opening it would block forever), symlink loops.
    os.mkfifo(root / "pipe.jpg")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (folders[-1] / "up").symlink_to("..", target_is_directory=True)
    (root / "self.jpg").symlink_to(root / "self.jpg")
    (root / "dangling.jpg").symlink_to(root / "nowhere.jpg")
    locked.chmod(0)
    for path in [root, *folders]:
        path.chmod(0o755)
    return tree


_MEASURE = """
import time, threading
from pathlib import Path
from editor.core.errors import PhotoCaptionError
from editor.core.metadata import read_photo
from editor.core.scan import scan_paths
from editor.core.thumbnails import embedded_thumbnail

root = Path(sys.argv[1])
longest_gap = 0.0
last = time.perf_counter()
started = last
found, problems, batches = [], [], 0
for batch in scan_paths([root]):
    now = time.perf_counter()
    longest_gap = max(longest_gap, now - last)
    last = now
    batches += 1
    found.extend(batch.paths)
    problems.extend((str(p), why) for p, why in batch.problems)
walk_s = time.perf_counter() - started
read_ok = refused = thumbs = 0
reasons = {}
started = time.perf_counter()
for path in found:
    try:
        read_photo(path)
        read_ok += 1
        if embedded_thumbnail(path) is not None:
            thumbs += 1
    except PhotoCaptionError as err:
        refused += 1
        reasons[str(err)] = reasons.get(str(err), 0) + 1
read_s = time.perf_counter() - started
_done({
    "found": len(found), "unique": len(set(found)), "problems": problems, "batches": batches,
    "walk_s": walk_s, "longest_batch_gap_s": longest_gap, "read_ok": read_ok,
    "refused": refused, "reasons": reasons, "thumbnails": thumbs, "read_s": read_s,
    "as_uid": __import__("os").geteuid(),
})
"""


def measure(tree: Tree, timeout: float = 600.0) -> tuple[dict[str, object], float]:
    """Walk and read the tree in a child; as a non-root user when possible."""
    uid = NOBODY if can_run_as(NOBODY) else None
    return run_child(_MEASURE, str(tree.root), timeout=timeout, as_user=uid)


def check(tree: Tree, stats: dict[str, object], peak_mb: float) -> list[str]:
    """What is wrong with a run (empty when it passed)."""
    wrong = []
    enforced = stats["as_uid"] != 0
    want = tree.photos + (0 if enforced else tree.locked_photos)
    if stats["found"] != want or stats["unique"] != want:
        wrong.append(f"found {stats['found']} ({stats['unique']} unique) photos, want {want}")
    problems = {Path(p).name for p, _ in stats["problems"]}  # type: ignore[attr-defined]
    if enforced and "locked" not in problems:
        wrong.append(f"the locked folder is not reported: {stats['problems']}")
    if stats["refused"] != tree.damaged:
        wrong.append(f"refused {stats['refused']}, want the {tree.damaged} damaged files")
    if peak_mb >= BUDGET_MB:
        wrong.append(f"peak RSS {peak_mb:.0f} MB over the {BUDGET_MB} MB budget")
    return wrong


def gui_open(root: Path, expected: int, timeout_s: float = 120.0) -> dict[str, float]:
    """Open ``root`` in the real main window offscreen; time to first rows and to all read."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from editor.app import build_window
    from editor.core.library import ItemState

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        win = build_window(settings, Path(tmp) / "cache")
        win.resize(1200, 800)
        win.show()
        worst = [0.0]
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            worst[0] = max(worst[0], now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        started = time.perf_counter()
        win.open_paths([root])
        first = all_read = 0.0
        while time.perf_counter() - started < timeout_s:
            app.processEvents()
            lib = win.library
            if not first and len(lib):
                first = time.perf_counter() - started
            if (
                len(lib) >= expected
                and not win.loader.busy
                and all(it.state is not ItemState.LOADING for it in lib.items)
            ):
                all_read = time.perf_counter() - started
                break
            time.sleep(0.002)
        timer.stop()
        count = len(win.library)
        win.close_discarding()
        win.deleteLater()
        app.processEvents()
    return {"photos": count, "first_rows_s": first, "all_read_s": all_read,
            "longest_gui_gap_s": worst[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--gui", action="store_true", help="also open it in the main window")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="photocaption-scale-"))
    try:
        work.chmod(0o755)
        started = time.perf_counter()
        tree = build_tree(work / "card", args.files)
        print(f"built {tree.files} files in {time.perf_counter() - started:.1f} s: "
              f"{tree.photos} photos ({tree.damaged} damaged), {tree.others} other files, "
              f"{tree.locked_photos} photos in a locked folder, a FIFO, 4 symlink traps")
        stats, peak = measure(tree)
        print(json.dumps({k: v for k, v in stats.items() if k != "problems"}, indent=1))
        print(f"reported as skipped: {stats['problems']}")
        print(f"peak RSS {peak:.0f} MB (budget {BUDGET_MB} MB); "
              f"run as uid {stats['as_uid']}")
        wrong = check(tree, stats, peak)
        if args.gui:
            if tree.locked:
                tree.locked.chmod(0o755)  # the GUI runs as root here: the lock is not enforced
            gui = gui_open(tree.root, tree.photos + tree.locked_photos)
            print(f"main window: {gui}")
            if gui["photos"] != tree.photos + tree.locked_photos or not gui["all_read_s"]:
                wrong.append(f"the window did not finish opening the folder: {gui}")
        for line in wrong:
            print(f"FAIL: {line}")
        print(json.dumps(asdict(tree), default=str))
        return 1 if wrong else 0
    finally:
        for path in work.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
