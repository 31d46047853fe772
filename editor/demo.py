"""``python -m editor.demo``: open the app on a scratch copy of the bundled sample photos.

The repository's ``resources/samples`` are never opened directly, so trying the app cannot
change them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "samples"


def bundled_samples() -> list[Path]:
    """The bundled sample JPEGs, sorted by name."""
    return sorted(SAMPLES_DIR.glob("*.jpg"))


def copy_samples(dest: Path | None = None) -> Path:
    """Copy every bundled sample into ``dest`` (default: a fresh temp folder) and return it."""
    samples = bundled_samples()
    if not samples:
        raise FileNotFoundError(f"no sample photos in {SAMPLES_DIR}")
    if dest is None:
        dest = Path(tempfile.mkdtemp(prefix="photocaption-samples-"))
    else:
        dest.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        shutil.copyfile(sample, dest / sample.name)
    return dest


def main() -> int:
    """Copy the samples to a scratch folder, say where, and open the GUI on it."""
    from editor.cli import main as cli_main

    folder = copy_samples()
    print(f"PhotoCaption demo: working on copies of the sample photos in {folder}", flush=True)
    return int(cli_main([str(folder)]) or 0)


if __name__ == "__main__":
    sys.exit(main())
