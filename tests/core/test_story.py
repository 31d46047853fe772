"""Story order: moving photos within the order, and remembering it per folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.story import load_order, moved, save_order, save_paths, step, story_file

A, B, C, D = (Path(f"/p/{n}.jpg") for n in "abcd")


def test_moved_puts_the_block_before_the_target_in_its_own_order() -> None:
    assert moved([A, B, C, D], [D, B], A) == [B, D, A, C]
    assert moved([A, B, C, D], [A], None) == [B, C, D, A]
    assert moved([A, B, C, D], [B, C], C) == [A, B, C, D]  # onto itself: unchanged


def test_step_moves_one_place_and_stops_at_the_ends() -> None:
    assert step([A, B, C, D], [C], -1) == [A, C, B, D]
    assert step([A, B, C, D], [B], +1) == [A, C, B, D]
    assert step([A, B, C, D], [C], +1) == [A, B, D, C]
    assert step([A, B, C, D], [A], -1) == [A, B, C, D]
    assert step([A, B, C, D], [D], +1) == [A, B, C, D]
    assert step([A, B, C, D], [B, C], +1) == [A, D, B, C]


def test_saved_order_is_per_folder_and_outside_it(tmp_path: Path) -> None:
    folder = tmp_path / "trip"
    folder.mkdir()
    data = tmp_path / "data"
    save_paths([folder / "c.jpg", tmp_path / "x.jpg", folder / "a.jpg"], data)
    assert load_order(folder, data) == ["c.jpg", "a.jpg"]
    assert load_order(tmp_path, data) == ["x.jpg"]
    assert list(folder.iterdir()) == []  # nothing written into the photo folder
    assert story_file(folder, data).parent == data
    story_file(folder, data).write_text("{broken", encoding="utf-8")
    assert load_order(folder, data) == []  # damaged: no order, no error
    save_order(folder, ["b.jpg"], data)
    assert load_order(folder, data) == ["b.jpg"]


def test_story_sorted_follows_each_folders_saved_order(tmp_path: Path) -> None:
    from editor.core.story import story_sorted

    one, two = tmp_path / "one", tmp_path / "two"
    save_order(one, ["c.jpg", "a.jpg"], tmp_path)
    paths = [one / "a.jpg", one / "b.jpg", one / "c.jpg", two / "x.jpg", two / "w.jpg"]
    assert [p.name for p in story_sorted(paths, tmp_path)] == [
        "c.jpg", "a.jpg", "b.jpg", "x.jpg", "w.jpg"]


def test_cli_export_of_a_folder_follows_its_story_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from editor.cli import main
    from editor.core.metadata import write_photo
    from editor.core.model import PhotoMetadata
    from tests.core.test_export_support import make_photo

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "trip"
    folder.mkdir()
    for name in ("a", "b", "c"):
        write_photo(make_photo(folder / f"{name}.jpg", size=(300, 200)),
                    PhotoMetadata(title=f"Photo {name}"))
    save_order(folder, ["c.jpg", "a.jpg", "b.jpg"])
    assert main(["export", str(folder), "--out", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "article.html").read_text()
    assert [html.index(f"photo-{n}.jpg") for n in "cab"] == sorted(
        html.index(f"photo-{n}.jpg") for n in "cab")
    # Files named one by one keep the order given.
    files = [str(folder / f"{n}.jpg") for n in "bac"]
    assert main(["export", *files, "--out", str(tmp_path / "o2")]) == 0
    html = (tmp_path / "o2" / "article.html").read_text()
    assert html.index("photo-b.jpg") < html.index("photo-a.jpg") < html.index("photo-c.jpg")
    capsys.readouterr()
