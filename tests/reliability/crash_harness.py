"""Crash during save: kill a saving child process with SIGKILL at random moments, then check
that every original is either its old bytes or a complete, valid new version.

Run: ``python -m tests.reliability.crash_harness --kills 200`` (``make reliability``). A short run
is part of ``make test`` (tests/reliability/test_crash.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from editor.core import formats
from editor.core.errors import PhotoCaptionError
from editor.core.metadata import read_photo
from editor.core.safe_write import is_temp_file

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"
CAPTIONS = [f"Crash test caption {i} — 충돌 {i}" for i in range(1000)]

# The child saves a new caption into the file again and again until it is killed.
_CHILD = """
import sys
from editor.core.metadata import read_photo, write_photo
path, start = sys.argv[1], int(sys.argv[2])
captions = [f"Crash test caption {i} — 충돌 {i}" for i in range(1000)]
i = start
print("ready", flush=True)
while True:
    record = read_photo(path)
    write_photo(path, record.metadata.replace(caption=captions[i % 1000]), expected=record.stamp)
    i += 1
"""


@dataclass
class Outcome:
    kills: int = 0
    old_bytes: int = 0
    new_version: int = 0
    damaged: list[str] = field(default_factory=list)
    temp_files_left: int = 0


def writable_samples(limit: int | None = None) -> list[Path]:
    """Shared samples the engine writes (skips the ones it refuses)."""
    if not SAMPLES.is_dir():
        return []
    found = []
    for path in sorted(SAMPLES.iterdir()):
        try:
            if read_photo(path).writable:
                found.append(path)
        except PhotoCaptionError:
            continue
    return found[:limit] if limit else found


def generated_photos(folder: Path, count: int = 3) -> list[Path]:
    """A few camera-like JPEGs of a few MB, so kills land inside big writes too."""
    from bench.generate import build_set

    return build_set(count, folder / "generated", (3000, 2000))


def layout_photos(folder: Path) -> list[Path]:
    """One photo of each valid but unusual layout (second XMP packet, Extended XMP, ...)."""
    from tests.reliability.layouts import all_layouts

    paths = []
    for name, data in all_layouts().items():
        path = folder / f"layout-{name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _check(path: Path, original: bytes, original_image: bytes, outcome: Outcome) -> None:
    data = path.read_bytes()
    if data == original:
        outcome.old_bytes += 1
        return
    try:
        record = read_photo(path)
        module = formats.MODULES[record.format]
        same_image = module.image_data(data) == original_image
        valid = same_image and record.metadata.caption in CAPTIONS
    except (PhotoCaptionError, KeyError):
        valid = False
    if valid and shutil.which("exiftool"):
        # The independent reader must read the new version without an error.
        out = subprocess.run(
            ["exiftool", "-q", "-q", "-j", "-Error", "-XMP-dc:Description", str(path)],
            capture_output=True,
            text=True,
        ).stdout
        valid = '"Error"' not in out and "Crash test caption" in out
    if valid:
        outcome.new_version += 1
    else:
        outcome.damaged.append(path.name)


def run(kills: int, sources: list[Path], seed: int = 1, max_delay: float = 0.25) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory(prefix="photocaption-crash-") as tmp:
        work = Path(tmp)
        for n in range(kills):
            source = sources[n % len(sources)]
            target = work / f"{n:04d}{source.suffix}"
            shutil.copyfile(source, target)
            # Each trial starts from the last state of the previous one for this source, so
            # kills also land in files that already hold our metadata.
            original = target.read_bytes()
            module = formats.MODULES[formats.sniff(original) or "JPEG"]
            original_image = module.image_data(original)
            child = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(target), str(rng.randrange(1000))],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert child.stdout is not None
            child.stdout.readline()  # "ready": imports done, saving starts now
            time.sleep(rng.uniform(0, max_delay))
            child.send_signal(signal.SIGKILL)
            child.wait()
            child.stdout.close()
            outcome.kills += 1
            _check(target, original, original_image, outcome)
            outcome.temp_files_left += sum(1 for p in work.iterdir() if is_temp_file(p))
            for p in work.iterdir():
                if is_temp_file(p):
                    p.unlink()
            target.unlink()
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as gen:
        sources = writable_samples() + generated_photos(Path(gen)) + layout_photos(Path(gen))
        digest_before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
        start = time.perf_counter()
        outcome = run(args.kills, sources, args.seed)
        elapsed = time.perf_counter() - start
        untouched = all(
            hashlib.sha256(p.read_bytes()).hexdigest() == h for p, h in digest_before.items()
        )
    print(f"files: {len(sources)} ({len(writable_samples())} shared samples + generated + layouts)")
    print(f"kills: {outcome.kills} in {elapsed:.0f} s")
    print(f"old bytes intact: {outcome.old_bytes}; complete new version: {outcome.new_version}")
    print(f"damaged: {len(outcome.damaged)} {outcome.damaged[:10]}")
    print(f"temp files left behind by a kill (hidden, ignored by scans): {outcome.temp_files_left}")
    print(f"source files untouched: {untouched}")
    return 0 if not outcome.damaged and untouched else 1


if __name__ == "__main__":
    raise SystemExit(main())
