"""Story order: moving photos within the order, and remembering it per folder."""

from __future__ import annotations

from pathlib import Path

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
