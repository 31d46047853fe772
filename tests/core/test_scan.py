"""Folder walking: recursion, hidden and non-image skipping, batches, unreadable folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.core.scan import natural_key, scan_paths


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_walks_recursively_skipping_hidden_and_non_images(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.jpg")
    b = touch(tmp_path / "sub" / "b.JPEG")
    touch(tmp_path / ".hidden.jpg")
    touch(tmp_path / ".cache" / "c.jpg")
    touch(tmp_path / "notes.txt")
    c = touch(tmp_path / "sub" / "deeper" / "c.png")
    found = [p for batch in scan_paths([tmp_path]) for p in batch.paths]
    assert found == [a, b, c]


def test_batches_and_no_duplicates(tmp_path: Path) -> None:
    files = [touch(tmp_path / f"IMG_{i}.jpg") for i in range(10)]
    batches = list(scan_paths([tmp_path, tmp_path / "IMG_3.jpg", tmp_path], batch_size=4))
    assert [len(b.paths) for b in batches] == [4, 4, 2]
    flat = [p for b in batches for p in b.paths]
    assert flat == sorted(files, key=lambda p: natural_key(p.name))
    assert flat[2].name == "IMG_2.jpg" and flat[-1].name == "IMG_9.jpg"


def test_files_given_directly_and_missing_paths(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.jpg")
    batches = list(scan_paths([a, tmp_path / "nope"]))
    assert [p for b in batches for p in b.paths] == [a]
    assert [f for b in batches for f in b.folders] == []
    assert [f for b in scan_paths([tmp_path, a]) for f in b.folders] == [tmp_path]
    assert [str(p) for b in batches for p, _ in b.problems] == [str(tmp_path / "nope")]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_unreadable_subfolder_is_reported_not_raised(tmp_path: Path) -> None:
    touch(tmp_path / "ok.jpg")
    locked = tmp_path / "locked"
    touch(locked / "x.jpg")
    locked.chmod(0)
    try:
        batches = list(scan_paths([tmp_path]))
    finally:
        locked.chmod(0o755)
    assert [p.name for b in batches for p in b.paths] == ["ok.jpg"]
    assert [p for b in batches for p, _ in b.problems] == [locked]


def test_unreadable_subfolder_via_monkeypatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "ok.jpg")
    touch(tmp_path / "locked" / "x.jpg")
    real = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr("editor.core.scan.os.scandir", scandir)
    batches = list(scan_paths([tmp_path]))
    assert [p.name for b in batches for p in b.paths] == ["ok.jpg"]
    assert [(p.name, why) for b in batches for p, why in b.problems] == [
        ("locked", "Permission denied")
    ]


def test_cancel_stops_the_walk(tmp_path: Path) -> None:
    for i in range(20):
        touch(tmp_path / f"{i}.jpg")
    assert list(scan_paths([tmp_path], cancelled=lambda: True)) == []


def test_natural_order_copes_with_digits_int_cannot_read() -> None:
    from editor.core.scan import natural_key

    names = ["photo².jpg", "photo10.jpg", "photo9.jpg", "IMG_٣.jpg"]
    assert sorted(names, key=natural_key)[:2] == ["IMG_٣.jpg", "photo9.jpg"]


def _natural_key_by_characters(name: str) -> tuple[object, ...]:
    """The character-by-character definition the regex version must agree with."""
    parts: list[object] = []
    digits = text = ""
    for ch in name.casefold():
        if ch.isdecimal():
            if text:
                parts.append((1, text))
                text = ""
            digits += ch
        else:
            if digits:
                parts.append((0, int(digits)))
                digits = ""
            text += ch
    if digits:
        parts.append((0, int(digits)))
    if text:
        parts.append((1, text))
    return tuple(parts)


def test_natural_key_agrees_with_its_definition_on_awkward_names() -> None:
    import random

    from editor.core.scan import natural_key

    rng = random.Random(5)
    alphabet = "aZ_ .-09٣²½ßİ"  # ASCII and Arabic-Indic digits, superscript, fraction, casefolds
    names = ["", "0", "IMG_0001.JPG", "10abc", "abc10", "a01b002", "٣٣.jpg", "x²y"]
    names += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    for name in names:
        assert natural_key(name) == _natural_key_by_characters(name), name


def test_extension_check_agrees_with_path_suffix() -> None:
    from editor.core.metadata import SUPPORTED_EXTENSIONS, is_supported_image

    names = ["a.jpg", "A.JPEG", "..jpg", ".jpg", "a.", "a", "x.tar.png", "dir.jpg/file",
             "dir/..webp", "photo.Tif", "b.jpg.txt", "/abs/c.heic", "weird..JPG"]  # fmt: skip
    for name in names:
        assert is_supported_image(name) == (
            Path(name).suffix.lower() in SUPPORTED_EXTENSIONS
        ), name


def test_a_file_and_a_symlink_to_it_are_one_photo_but_hard_links_stay_two(
    tmp_path: Path,
) -> None:
    from tests.core.conftest import camera_jpeg

    shoot, other, outside = (tmp_path / n for n in ("shoot", "other", "outside"))
    for folder in (shoot, other, outside):
        folder.mkdir()
    for path in (shoot / "a.jpg", shoot / "b.jpg", other / "x.jpg", outside / "y.jpg"):
        path.write_bytes(camera_jpeg())
    (shoot / "0-link-to-a.jpg").symlink_to("a.jpg")  # sorts before its target
    (shoot / "z-link-to-b.jpg").symlink_to(shoot / "b.jpg")  # and after
    os.link(shoot / "b.jpg", shoot / "c-hard-link-of-b.jpg")
    (shoot / "1-link-to-x.jpg").symlink_to(other / "x.jpg")
    (shoot / "2-link-to-y.jpg").symlink_to(outside / "y.jpg")
    (shoot / "3-link-to-y.jpg").symlink_to(outside / "y.jpg")
    alias = tmp_path / "alias"
    alias.symlink_to(other)

    def names(roots: list[Path]) -> list[str]:
        return [p.name for batch in scan_paths(roots) for p in batch.paths]

    # The real files under their own names, whatever the order; a hard link is another name.
    assert names([shoot]) == [
        "1-link-to-x.jpg", "2-link-to-y.jpg", "a.jpg", "b.jpg", "c-hard-link-of-b.jpg"
    ]  # fmt: skip
    # With "other" dropped too, x.jpg comes under its own name, not the link's.
    assert names([shoot, other]) == [
        "2-link-to-y.jpg", "a.jpg", "b.jpg", "c-hard-link-of-b.jpg", "x.jpg"
    ]  # fmt: skip
    assert names([other, alias]) == ["x.jpg"]  # one folder reached twice is walked once
    assert names([shoot / "a.jpg", shoot / "0-link-to-a.jpg"]) == ["a.jpg"]
    assert names([shoot / "0-link-to-a.jpg"]) == ["0-link-to-a.jpg"]  # all the user gave


def test_files_that_are_not_photos_are_listed_as_skipped_and_summarised(tmp_path: Path) -> None:
    from editor.core.scan import skipped_summary

    (tmp_path / "a.jpg").write_bytes(b"x")
    (tmp_path / "b.NEF").write_bytes(b"x")
    (tmp_path / "clip.MOV").write_bytes(b"x")
    (tmp_path / "clip2.mov").write_bytes(b"x")
    (tmp_path / "a.xmp").write_bytes(b"x")
    (tmp_path / ".hidden.txt").write_bytes(b"x")
    batches = list(scan_paths([tmp_path]))
    found = [p.name for b in batches for p in b.paths]
    skipped = [p.name for b in batches for p in b.skipped]
    assert found == ["a.jpg", "b.NEF"]
    assert sorted(skipped) == ["clip.MOV", "clip2.mov"]
    summary = skipped_summary([tmp_path / n for n in skipped], [tmp_path / "b.NEF"])
    assert summary == "3 skipped: 2 .MOV, 1 damaged .NEF"
    assert skipped_summary([]) == ""


def test_raw_beside_a_jpeg_of_the_same_name_travels_with_it(tmp_path: Path) -> None:
    for name in ("IMG_1.JPG", "IMG_1.NEF", "img_2.jpeg", "IMG_2.CR2", "IMG_2.DNG", "IMG_3.NEF",
                 "IMG_4.jpg"):
        (tmp_path / name).write_bytes(b"x")
    batches = list(scan_paths([tmp_path], pair_raw=True))
    paths = sorted(p.name for b in batches for p in b.paths)
    pairs = sorted((j.name, r.name) for b in batches for j, r in b.pairs)
    # One RAW per JPEG (the first by name); the other RAW stays a photo of its own.
    assert pairs == [("IMG_1.JPG", "IMG_1.NEF"), ("img_2.jpeg", "IMG_2.CR2")]
    assert paths == ["IMG_1.JPG", "IMG_2.DNG", "IMG_3.NEF", "IMG_4.jpg", "img_2.jpeg"]
    apart = sorted(p.name for b in scan_paths([tmp_path]) for p in b.paths)
    assert len(apart) == 7
