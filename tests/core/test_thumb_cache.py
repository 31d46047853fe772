"""The shared thumbnail cache follows the freedesktop.org Thumbnail Managing Standard: where the
files go, what they are called and carry, when they are used, permissions, failures, the bound."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest
from PIL import Image

from editor.core import thumb_cache
from editor.core.thumb_cache import FAIL_DIR, ThumbCache, default_cache_dir, file_uri

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _photo(path: Path, size: tuple[int, int] = (900, 600), colour: str = "teal") -> Path:
    Image.new("RGB", size, colour).save(path, quality=90)
    return path


def _md5_name(path: Path) -> str:
    return hashlib.md5(file_uri(path).encode()).hexdigest() + ".png"


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="XDG platforms only")
def test_default_folder_is_xdg_cache_home_thumbnails(
    private_cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_cache_dir() == private_cache_home / "thumbnails"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/invalid")
    assert default_cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "thumbnails"


def test_uri_is_escaped_as_glib_does(tmp_path: Path) -> None:
    # g_filename_to_uri keeps !$&'()*+,-./:=@_~ and escapes the rest, bytes in upper-case hex.
    path = tmp_path / "a b#c%d?é;[x]&'(y)+,=@~.jpg"
    uri = file_uri(path)
    assert uri.startswith("file:///")
    assert uri.endswith("/a%20b%23c%25d%3F%C3%A9%3B%5Bx%5D&'(y)+,=@~.jpg")


def test_entry_is_an_md5_named_png_with_the_standard_keys(tmp_path: Path) -> None:
    root = tmp_path / "thumbnails"
    cache = ThumbCache(root)
    photo = _photo(tmp_path / "p.jpg")
    image = Image.new("RGB", (512, 341), "red")
    cache.put(photo, 384, image)  # 384 px is held in x-large (512)
    entry = root / "x-large" / _md5_name(photo)
    assert entry.is_file()
    with Image.open(entry) as png:
        assert png.format == "PNG" and png.size == (512, 341)
        assert png.info["Thumb::URI"] == file_uri(photo)
        assert png.info["Thumb::MTime"] == str(int(photo.stat().st_mtime))
        assert png.info["Thumb::Size"] == str(photo.stat().st_size)
        assert png.info["Software"].startswith("PhotoCaption")
    cache.put(photo, 200, Image.new("RGB", (256, 171), "red"))
    assert (root / "large" / _md5_name(photo)).is_file()
    assert not list(root.rglob(".photocaption-*"))  # no temp file left behind


@posix_only
def test_files_are_0600_and_folders_0700(tmp_path: Path) -> None:
    root = tmp_path / "cache" / "thumbnails"
    cache = ThumbCache(root)
    photo = _photo(tmp_path / "p.jpg")
    old = os.umask(0o022)
    try:
        cache.put(photo, 256, Image.new("RGB", (256, 171)))
        cache.put_failure(photo, "broken")
    finally:
        os.umask(old)
    for path in [root, root / "large", root / "fail", root / "fail" / FAIL_DIR]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in root.rglob("*.png"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_hit_needs_the_same_uri_and_mtime(tmp_path: Path) -> None:
    cache = ThumbCache(tmp_path / "thumbnails")
    photo = _photo(tmp_path / "p.jpg")
    cache.put(photo, 384, Image.new("RGB", (512, 341), "red"))
    hit = cache.get(photo, 384)
    assert hit is not None and hit.size == (384, 256)  # shrunk to what was asked
    assert hit.getpixel((10, 10)) == (255, 0, 0)
    assert cache.get(photo, 600) is None  # xx-large has none, and a smaller one is not enlarged
    st = photo.stat()
    with photo.open("ab") as fh:  # rewritten within the same second: the size tells
        fh.write(b"\0")
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.get(photo, 384) is None
    cache.put(photo, 384, Image.new("RGB", (512, 341), "red"))
    assert cache.get(photo, 384) is not None
    st = photo.stat()
    os.utime(photo, (st.st_atime, st.st_mtime + 5))  # the photo changed
    assert cache.get(photo, 384) is None
    moved = photo.rename(tmp_path / "q.jpg")
    assert cache.get(moved, 384) is None  # another URI


def test_a_larger_size_serves_a_smaller_request(tmp_path: Path) -> None:
    cache = ThumbCache(tmp_path / "thumbnails")
    photo = _photo(tmp_path / "p.jpg")
    cache.put(photo, 512, Image.new("RGB", (512, 341), "blue"))
    hit = cache.get(photo, 200)
    assert hit is not None and hit.size == (200, 133)


def test_another_programs_valid_thumbnail_is_used_and_a_wrong_one_is_not(tmp_path: Path) -> None:
    """Entries written by a file manager (their own Software, maybe none) are read the same way."""
    from PIL import PngImagePlugin

    root = tmp_path / "thumbnails"
    (root / "large").mkdir(parents=True)
    photo = _photo(tmp_path / "p.jpg")
    info = PngImagePlugin.PngInfo()
    info.add_text("Thumb::URI", file_uri(photo))
    info.add_text("Thumb::MTime", str(int(photo.stat().st_mtime)))
    Image.new("RGB", (256, 171), "green").save(root / "large" / _md5_name(photo), pnginfo=info)
    hit = ThumbCache(root).get(photo, 256)
    assert hit is not None and hit.getpixel((0, 0)) == (0, 128, 0)
    # One larger than its folder's size is not the standard's: not used (nor decoded).
    Image.new("RGB", (4000, 3000)).save(root / "large" / _md5_name(photo), pnginfo=info)
    assert ThumbCache(root).get(photo, 256) is None
    Image.new("RGB", (256, 171), "green").save(root / "large" / _md5_name(photo), pnginfo=info)
    other = _photo(tmp_path / "o.jpg")
    # A PNG under the right name but for another file is not used.
    (root / "large" / _md5_name(photo)).rename(root / "large" / _md5_name(other))
    assert ThumbCache(root).get(other, 256) is None


def test_failures_are_remembered_until_the_file_changes(tmp_path: Path) -> None:
    root = tmp_path / "thumbnails"
    cache = ThumbCache(root)
    photo = tmp_path / "bad.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    assert cache.failed(photo) is None
    cache.put_failure(photo, "bad.jpg: cannot decode image")
    entry = root / "fail" / FAIL_DIR / _md5_name(photo)
    assert entry.is_file()
    assert cache.failed(photo) == "bad.jpg: cannot decode image"
    st = photo.stat()
    os.utime(photo, (st.st_atime, st.st_mtime + 5))
    assert cache.failed(photo) is None


def test_unwritable_cache_is_a_miss_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "thumbnails"
    blocker.write_text("a file where the folder should be")
    cache = ThumbCache(blocker)
    photo = _photo(tmp_path / "p.jpg")
    cache.put(photo, 256, Image.new("RGB", (256, 171)))
    cache.put_failure(photo, "x")
    assert cache.get(photo, 256) is None and cache.failed(photo) is None


def test_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    root = tmp_path / "thumbnails"
    cache = ThumbCache(root)
    photo = _photo(tmp_path / "p.jpg")
    cache.put(photo, 256, Image.new("RGB", (256, 171)))
    entry = root / "large" / _md5_name(photo)
    entry.write_bytes(entry.read_bytes()[:200])  # cut inside the pixels
    assert cache.get(photo, 256) is None


def test_prune_deletes_our_oldest_entries_and_never_other_programs(tmp_path: Path) -> None:
    root = tmp_path / "thumbnails"
    photos = [_photo(tmp_path / f"{i}.jpg", colour=f"#{i * 40:02x}8040") for i in range(5)]
    cache = ThumbCache(root, max_bytes=10**9)
    for i, photo in enumerate(photos):
        cache.put(photo, 256, Image.effect_noise((256, 171), 50 + i).convert("RGB"))
        entry = root / "large" / _md5_name(photo)
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))  # entry i is the i-th oldest
    theirs = root / "large" / ("0" * 32 + ".png")
    Image.new("RGB", (256, 171)).save(theirs)  # a file manager's: no Software of ours
    os.utime(theirs, (1, 1))  # older than all of ours
    sizes = [(root / "large" / _md5_name(p)).stat().st_size for p in photos]
    cache.max_bytes = sum(sizes[3:])  # room for the two newest only
    cache.prune()
    kept = [(root / "large" / _md5_name(p)).exists() for p in photos]
    assert kept == [False, False, False, True, True]
    assert theirs.exists()


def test_prune_runs_by_itself_as_entries_are_written(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(thumb_cache, "_PRUNE_EVERY", 4)
    root = tmp_path / "thumbnails"
    cache = ThumbCache(root, max_bytes=1)
    for i in range(4):
        cache.put(_photo(tmp_path / f"{i}.jpg"), 256, Image.new("RGB", (256, 171)))
    assert not list((root / "large").glob("*.png"))
