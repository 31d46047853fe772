"""`photocaption export` end to end: folder in, files + summary out, clean errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.metadata import write_photo
from tests.core.test_export_support import CAPTIONS, make_photo


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "photos"
    src.mkdir()
    for n, meta in enumerate(CAPTIONS[:3], 1):
        path = make_photo(src / f"IMG_{n:04d}.jpg", size=(800, 533))
        write_photo(path, meta.replace(gps=None))
    (src / "notes.txt").write_text("not a photo")
    return src


def test_exports_a_folder_and_prints_a_summary(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["export", str(folder), "--out", str(out), "--sizes", "320,640",
                 "--format", "jpeg", "--format", "webp", "--snippets", "html,md,hugo"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "3 photos exported" in captured.out
    assert "removed from all photos" in captured.out
    assert "Alt text to review:" in captured.out  # IMG_0003 has none
    assert "[3/3]" in captured.err and "Traceback" not in captured.err
    names = {p.name for p in out.iterdir()}
    assert "enter-pyongyang-mansudae-at-dusk-640w.webp" in names
    assert {"article.html", "index.html", "article.md", "article.hugo.md",
            "manifest.json"} <= names
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["photos"][0]["caption"] == CAPTIONS[0].caption
    assert manifest["options"]["formats"] == ["jpeg", "webp"]


def test_nothing_to_export_is_one_clear_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["export", str(empty), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == ["photocaption: export: nothing to export: no readable photos in the given "
                   "paths"]


def test_broken_and_unsupported_files_give_path_reason_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0garbage")
    text = tmp_path / "notes.txt"
    text.write_text("x")
    code = main(["export", str(broken), str(text), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"photocaption: {text}: not a supported image" in err
    assert f"photocaption: {broken}: " in err
    assert "Traceback" not in err


def test_existing_files_are_not_overwritten(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["export", str(folder), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(folder), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "already exists" in captured.err
    assert "nothing could be exported" in captured.err
    assert main(["export", str(folder), "--out", str(out), "--overwrite"]) == 0


def test_preset_flags_and_burn_in(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["export", str(folder / "IMG_0001.jpg"), "--out", str(out), "--preset", "blog",
                 "--long-edge", "400", "--quality", "70", "--burn-credit", "--burn-caption",
                 "--credit", "© {year} {creator}", "--name", "{index}-{slug}",
                 "--snippets", "none"])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [
        "001-enter-pyongyang-mansudae-at-dusk.jpg", "manifest.json"]
    from PIL import Image

    with Image.open(out / "001-enter-pyongyang-mansudae-at-dusk.jpg") as im:
        assert im.width == 400 and im.height > 267  # the caption band adds height


def test_bad_option_values_are_usage_errors(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(folder), "--out", str(tmp_path / "o"), "--format", "gif"])
    err = capsys.readouterr().err
    assert code == 1 and "unknown format 'gif'" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["export", str(folder), "--out", str(tmp_path / "o"), "--sizes", "big"])
