"""The bundled sample photos and ``editor.demo.copy_samples``."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import piexif
import pytest
from PIL import Image

from editor.demo import SAMPLES_DIR, bundled_samples, copy_samples


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_samples_are_bundled() -> None:
    assert len(bundled_samples()) == 8


def test_copy_samples_copies_byte_identical_and_leaves_repo_alone(tmp_path: Path) -> None:
    before = _digests(bundled_samples())
    dest = copy_samples(tmp_path / "scratch")
    copied = _digests(sorted(dest.glob("*.jpg")))
    assert copied == before
    assert _digests(bundled_samples()) == before
    assert dest.resolve() != SAMPLES_DIR.resolve()


def test_copy_samples_defaults_to_a_fresh_temp_folder() -> None:
    first, second = copy_samples(), copy_samples()
    try:
        assert first != second
        assert first.name.startswith("photocaption-samples-")
        assert sorted(p.name for p in first.iterdir()) == [p.name for p in bundled_samples()]
    finally:
        shutil.rmtree(first)
        shutil.rmtree(second)


@pytest.mark.parametrize("path", bundled_samples(), ids=lambda p: p.name)
def test_sample_opens_and_has_camera_exif(path: Path) -> None:
    with Image.open(path) as image:
        image.load()
        assert image.format == "JPEG"
        assert max(image.size) <= 1600
    exif = piexif.load(str(path))
    assert exif["0th"][piexif.ImageIFD.Make]
    assert exif["Exif"][piexif.ExifIFD.DateTimeOriginal]
    assert exif["thumbnail"]


def test_exactly_one_sample_is_rotated() -> None:
    orientations = [
        piexif.load(str(p))["0th"].get(piexif.ImageIFD.Orientation, 1) for p in bundled_samples()
    ]
    assert orientations.count(6) == 1
    assert set(orientations) == {1, 6}


def test_main_opens_the_cli_on_a_scratch_copy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys
    import types

    from editor import demo

    calls: list[list[str]] = []
    fake_cli = types.ModuleType("editor.cli")
    fake_cli.main = lambda argv: calls.append(argv) or 3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "editor.cli", fake_cli)
    try:
        assert demo.main() == 3
        (folder,) = calls[0]
        assert folder in capsys.readouterr().out
        assert _digests(sorted(Path(folder).glob("*.jpg"))) == _digests(bundled_samples())
    finally:
        if calls:
            shutil.rmtree(calls[0][0])
