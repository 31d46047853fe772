"""Export engine end to end: presets, sizes, orientation, sRGB, names, snippets, cancel, safety."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from editor.core.export import (
    PRESET_BY_KEY,
    ExportFinished,
    ExportItem,
    ExportOptions,
    ExportOptionsError,
    ExportResult,
    MetadataPreset,
    PhotoExported,
    PhotoFailed,
    export_photos,
    preview_removal,
)
from editor.core.export.files import TEMP_SUFFIX
from tests.core.test_export_support import CAPTIONS, make_photo, make_set


def run(items: list[ExportItem], options: ExportOptions,
        cancel: threading.Event | None = None) -> ExportResult:
    events = list(export_photos(items, options, cancel))
    finished = events[-1]
    assert isinstance(finished, ExportFinished)
    return finished.result


class ImgParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict[str, str | None]] = []
        self.sources: list[dict[str, str | None]] = []
        self.captions: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.imgs.append(dict(attrs))
        elif tag == "source":
            self.sources.append(dict(attrs))
        elif tag == "figcaption":
            self._in_caption = True
            self.captions.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.captions[-1] += data


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def items(tmp_path: Path) -> list[ExportItem]:
    return make_set(tmp_path / "originals")


def check_srcset(out: Path, srcset: str) -> None:
    for entry in srcset.split(", "):
        name, width = entry.rsplit(" ", 1)
        with Image.open(out / name) as im:
            assert f"{im.width}w" == width


@pytest.mark.parametrize("preset", ["blog", "responsive", "archive"])
def test_each_preset_exports_a_complete_article_set(
        tmp_path: Path, items: list[ExportItem], preset: str) -> None:
    before = {item.path: digest(item.path) for item in items}
    out = tmp_path / "out"
    options = PRESET_BY_KEY[preset].apply(ExportOptions(out, snippets=("html", "md", "hugo")))
    result = run(items, options)

    assert not result.failures and not result.cancelled
    assert {item.path: digest(item.path) for item in items} == before  # originals untouched
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if n.startswith(".")]
    assert {"article.html", "index.html", "article.md", "article.hugo.md", "manifest.json"} <= set(
        names)
    expected_long = {"blog": 1600, "responsive": 1600, "archive": None}[preset]
    originals = [(900, 600), (400, 600), (900, 600), (2000, 1000)]
    for photo, (ow, oh) in zip(result.photos, originals, strict=True):
        for output in photo.outputs:
            with Image.open(out / output.name) as im:
                assert im.size == (output.width, output.height)
                assert output.bytes == (out / output.name).stat().st_size
                assert im.getexif().get(0x0112) == 1
                icc = ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"]))
                assert "sRGB" in ImageCms.getProfileDescription(icc)
            assert output.width <= ow and output.height <= oh  # never enlarged
            assert abs(output.width / output.height - ow / oh) < 0.01
            if expected_long and not options.sizes:
                assert max(output.width, output.height) == min(expected_long, max(ow, oh))
    if preset == "responsive":
        assert [o.name for o in result.photos[3].outputs if o.format == "jpeg"] == [
            f"con-photo-{w}w.jpg" for w in (1600, 1024, 640)]
        assert {o.format for o in result.photos[0].outputs} == {"jpeg", "webp"}
        assert [o.width for o in result.photos[0].outputs if o.format == "webp"] == [900, 640]

    html = (out / "article.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    parser = ImgParser()
    parser.feed(html)
    assert len(parser.imgs) == len(items)
    for img, item in zip(parser.imgs, items, strict=True):
        assert img["alt"] == item.metadata.alt_text
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        src = out / str(img["src"])
        assert src.parent == out
        with Image.open(src) as im:
            assert (str(im.width), str(im.height)) == (img["width"], img["height"])
        if options.sizes and item is not items[1]:  # the 400 px wide photo has one size
            check_srcset(out, str(img["srcset"]))
    for source in parser.sources:
        assert source["type"] == "image/webp"
        check_srcset(out, str(source["srcset"]))
    assert parser.captions[0].startswith(CAPTIONS[0].caption)
    assert "Photo: Jane Doe" in parser.captions[0]
    assert parser.captions[1].startswith(CAPTIONS[1].caption)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(p["source"]) for p in manifest["photos"]] == [i.path for i in items]
    for entry, item, photo in zip(manifest["photos"], items, result.photos, strict=True):
        assert entry["alt_text"] == item.metadata.alt_text
        assert entry["caption"] == item.metadata.caption
        assert entry["title"] == item.metadata.title
        assert entry["credit"] == item.metadata.credit
        files = {o["file"]: o for o in entry["outputs"]}
        assert set(files) == {o.name for o in photo.outputs}
        for name, record in files.items():
            assert record["bytes"] == (out / name).stat().st_size
            with Image.open(out / name) as im:
                assert (im.width, im.height) == (record["width"], record["height"])
                assert im.format.lower() == record["format"]

    md = (out / "article.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert f"![{CAPTIONS[1].alt_text}]" in md
    hugo = (out / "article.hugo.md").read_text(encoding="utf-8")
    assert hugo.count("{{< figure ") == len(items)


def test_orientation_is_applied_to_pixels(tmp_path: Path, items: list[ExportItem]) -> None:
    result = run(items[1:2], ExportOptions(tmp_path / "out"))
    (output,) = result.photos[0].outputs
    with Image.open(tmp_path / "out" / output.name) as im:
        assert im.size == (400, 600)  # stored 600x400, Orientation 6 = rotate 90° clockwise
        rgb = im.convert("RGB")
        red = rgb.getpixel((im.width - 10, 10))
        assert red[0] > 200 and red[2] < 50  # the stored top-left marker is now top-right
        for corner in ((10, 10), (10, im.height - 10), (im.width - 10, im.height - 10)):
            assert rgb.getpixel(corner)[2] > 90


def test_wide_gamut_profile_is_converted_to_srgb(tmp_path: Path, items: list[ExportItem]) -> None:
    result = run(items[2:3], ExportOptions(tmp_path / "out"))
    with Image.open(tmp_path / "out" / result.photos[0].outputs[0].name) as im:
        r, g, b = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
    assert r < 15 and 140 < g < 162 and 64 < b < 86  # (50,150,80) in the wide profile


def test_file_names_are_slugs_inside_the_output_folder(
        tmp_path: Path, items: list[ExportItem]) -> None:
    out = tmp_path / "out"
    result = run(items, ExportOptions(out))
    bases = [p.base for p in result.photos]
    assert bases[0] == "enter-pyongyang-mansudae-at-dusk"
    assert bases[1] and bases[1].isascii() and bases[1] == bases[1].lower()
    assert bases[2] == "etc-passwd"
    assert bases[3] == "con-photo"
    for path in out.iterdir():
        assert path.resolve().parent == out.resolve()
    assert not (tmp_path / "etc").exists()


def test_duplicate_titles_get_numbered(tmp_path: Path) -> None:
    src = make_photo(tmp_path / "a.jpg", size=(100, 80))
    items = [ExportItem(src, CAPTIONS[0])] * 3
    result = run(items, ExportOptions(tmp_path / "out", snippets=()))
    assert [p.base for p in result.photos] == [
        "enter-pyongyang-mansudae-at-dusk", "enter-pyongyang-mansudae-at-dusk-2",
        "enter-pyongyang-mansudae-at-dusk-3"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[0] == "enter-pyongyang-" \
        "mansudae-at-dusk-2.jpg"


def test_never_overwrites_unless_asked(tmp_path: Path, items: list[ExportItem]) -> None:
    out = tmp_path / "out"
    first = run(items[:1], ExportOptions(out))
    name = first.photos[0].outputs[0].name
    stamp = (out / name).stat().st_mtime_ns
    events = list(export_photos(items[:1], ExportOptions(out)))
    failed = [e for e in events if isinstance(e, PhotoFailed)]
    assert failed and "already exists" in failed[0].reason
    assert (out / name).stat().st_mtime_ns == stamp
    again = run(items[:1], ExportOptions(out, overwrite=True))
    assert not again.failures and again.photos[0].outputs[0].name == name


def test_cancel_midway_leaves_no_partial_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    items = [ExportItem(make_photo(src / f"p{i}.jpg", size=(1200, 800)),
                        CAPTIONS[0].replace(title=f"Photo {i}")) for i in range(10)]
    out = tmp_path / "out"
    cancel = threading.Event()
    options = ExportOptions(out, sizes=(320, 640), formats=("jpeg", "webp"), jobs=2)
    exported = 0
    result = None
    for event in export_photos(items, options, cancel):
        if isinstance(event, PhotoExported):
            exported += 1
            cancel.set()
        if isinstance(event, ExportFinished):
            result = event.result
    assert result is not None and result.cancelled
    assert len(result.photos) < len(items)
    assert not result.snippet_files
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if n.startswith(".") or n.endswith(TEMP_SUFFIX)]
    expected = {o.name for p in result.photos for o in p.outputs}
    assert names == expected  # whole photos only: every output of a photo, or none
    for name in names:
        with Image.open(out / name) as im:
            im.load()


def test_closing_the_generator_stops_the_workers(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    items = [ExportItem(make_photo(src / f"p{i}.jpg", size=(800, 600)), CAPTIONS[0])
             for i in range(6)]
    out = tmp_path / "out"
    events = export_photos(items, ExportOptions(out, jobs=2))
    next(events)
    next(events)
    events.close()
    assert not [p for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert not [t for t in threading.enumerate() if t.name.startswith("export")]


def test_unreadable_photo_fails_alone(tmp_path: Path, items: list[ExportItem]) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    result = run([items[0], ExportItem(broken, CAPTIONS[1])], ExportOptions(tmp_path / "out"))
    assert len(result.photos) == 1
    assert result.failures and result.failures[0][0] == broken
    assert "\n" not in result.failures[0][1]


def test_options_are_checked_before_any_work(tmp_path: Path, items: list[ExportItem]) -> None:
    with pytest.raises(ExportOptionsError):
        list(export_photos(items, ExportOptions(tmp_path / "out", formats=("gif",))))
    with pytest.raises(ExportOptionsError):
        list(export_photos(items, ExportOptions(tmp_path / "out", quality=0)))
    assert not (tmp_path / "out").exists()


def test_removal_preview_and_summary(tmp_path: Path, items: list[ExportItem]) -> None:
    options = ExportOptions(tmp_path / "out")
    preview = preview_removal(items, options)
    assert preview[0].startswith("GPS position, camera serial number, lens serial number")
    assert preview[0].endswith("removed from all photos")
    everything = options.replace(metadata=MetadataPreset.ALL, keep_location=True)
    assert preview_removal(items, everything) == []
    result = run(items, options)
    assert result.removed_summary == tuple(preview)


def test_alt_text_warnings_are_reported(tmp_path: Path, items: list[ExportItem]) -> None:
    result = run(items, ExportOptions(tmp_path / "out"))
    warned = {path for path, _ in result.alt_text_warnings}
    assert items[2].path in warned  # empty alt text
    assert items[3].path in warned  # "Image of..." and same as caption
    assert items[0].path not in warned
