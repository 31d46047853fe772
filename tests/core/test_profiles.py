"""Outlet profiles, the per-image file-size cap and output sharpening."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from editor.cli import main
from editor.core.export import ExportFinished as Finished
from editor.core.export import ExportItem, ExportOptions, MetadataPreset, Sharpen, export_photos
from editor.core.export.images import SHARPEN, encode_capped
from editor.core.export.metadata import copy_metadata, read_source
from editor.core.export.profiles import (
    BUILTIN_BY_NAME,
    Profile,
    ProfileError,
    all_profiles,
    delete_profile,
    find_profile,
    rename_profile,
    save_profile,
)
from editor.core.model import PhotoMetadata
from tests.core.test_export_support import make_photo


def noise_photo(path: Path, size: tuple[int, int] = (1200, 800)) -> Path:
    Image.effect_noise(size, 20).convert("RGB").save(path, "JPEG", quality=95)
    return path


def run(items: list[ExportItem], options: ExportOptions):  # type: ignore[no-untyped-def]
    events = list(export_photos(items, options))
    last = events[-1]
    assert isinstance(last, Finished)
    return last.result


def test_size_cap_finds_the_highest_quality_that_fits(tmp_path: Path) -> None:
    src = noise_photo(tmp_path / "n.jpg")
    meta = copy_metadata(read_source(src), PhotoMetadata(caption="x"),
                         MetadataPreset.CAPTION_AND_RIGHTS, False)
    with Image.open(src) as im:
        im.load()
        full, q = encode_capped(im, "jpeg", 90, meta, [], None)
        assert q == 90 and len(full) > 300 * 1024
        warnings: list[str] = []
        capped, q = encode_capped(im, "jpeg", 90, meta, warnings, 200)
        assert len(capped) <= 200 * 1024 and 10 <= q < 90 and not warnings
        above, _ = encode_capped(im, "jpeg", q + 1, meta, [], None)
        assert len(above) > 200 * 1024  # one step better would not fit: the best that fits
        tiny, q = encode_capped(im, "jpeg", 90, meta, warnings, 1)
        assert q == 10 and len(tiny) < len(capped)
        assert warnings and "stays over 1 KB" in warnings[0]


def test_export_honours_the_cap_for_every_file(tmp_path: Path) -> None:
    src = noise_photo(tmp_path / "n.jpg")
    items = [ExportItem(src, PhotoMetadata(title="Noise", alt_text="Grey noise"))]
    result = run(items, ExportOptions(tmp_path / "out", sizes=(640, 1200),
                                      formats=("jpeg", "webp"), max_kb=120))
    outputs = result.photos[0].outputs
    assert len(outputs) == 4
    for out in outputs:
        size = (tmp_path / "out" / out.name).stat().st_size
        assert size <= 120 * 1024 and size == out.bytes
    record = json.loads((tmp_path / "out" / "manifest.json").read_text())["options"]
    assert record["max_kb"] == 120


def _detail(path: Path) -> float:
    with Image.open(path) as im:
        edges = im.convert("L").filter(ImageFilter.FIND_EDGES)
        return float(ImageStat.Stat(edges).mean[0])


def test_sharpening_levels_add_detail_in_order(tmp_path: Path) -> None:
    src = make_photo(tmp_path / "s.jpg", size=(2400, 1600))
    item = [ExportItem(src, PhotoMetadata(title="Stripes"))]
    detail = {}
    for level in Sharpen:
        out = tmp_path / level.value
        run(item, ExportOptions(out, long_edge=800, quality=95, sharpen=level, snippets=()))
        detail[level] = _detail(out / "stripes.jpg")
    assert detail[Sharpen.NONE] < detail[Sharpen.LOW] < detail[Sharpen.STANDARD] \
        < detail[Sharpen.HIGH]
    assert set(SHARPEN) == {Sharpen.LOW, Sharpen.STANDARD, Sharpen.HIGH}
    assert ExportOptions(tmp_path, sharpen=True).sharpen is Sharpen.LOW  # the old flag


def test_base_url_and_content_width_shape_the_snippets(tmp_path: Path) -> None:
    src = make_photo(tmp_path / "a.jpg", size=(1600, 1000))
    items = [ExportItem(src, PhotoMetadata(title="Harbour", alt_text="Boats"))]
    run(items, ExportOptions(tmp_path / "out", sizes=(640, 1280), content_width=720,
                             base_url="https://cdn.example.org/trip/",
                             snippets=("html", "md", "hugo")))
    html = (tmp_path / "out" / "article.html").read_text()
    assert 'src="https://cdn.example.org/trip/harbour-1280w.jpg"' in html
    assert "https://cdn.example.org/trip/harbour-640w.jpg 640w" in html
    assert 'sizes="(max-width: 720px) 100vw, 720px"' in html
    md = (tmp_path / "out" / "article.md").read_text()
    assert "(https://cdn.example.org/trip/harbour-1280w.jpg)" in md
    index = (tmp_path / "out" / "index.html").read_text()
    assert 'src="harbour-1280w.jpg"' in index  # the local preview shows the local files
    with pytest.raises(Exception, match="base URL"):
        run(items, ExportOptions(tmp_path / "o2", base_url='x" onload="'))


def test_profiles_save_find_rename_delete(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    assert [p.name for p in all_profiles(folder)] == ["blog", "responsive", "archive",
                                                       "wordpress"]
    options = ExportOptions(Path("/ignored"), long_edge=None, sizes=(480, 960),
                            formats=("jpeg", "webp"), quality=77,
                            metadata=MetadataPreset.ALL, snippets=("hugo",),
                            credit_template="© {year} {creator}", name_template="{index}-{slug}",
                            content_width=680, base_url="https://img.example.org/a",
                            max_kb=250, sharpen=Sharpen.HIGH, keep_place_names=True,
                            keep_persons=True, ai_disclosure=False)
    saved = save_profile("  Daily  Planet ", options, folder)
    assert saved.name == "Daily Planet"
    found = find_profile("daily planet", folder)
    applied = found.apply(ExportOptions(tmp_path / "out", overwrite=True))
    assert applied.out_dir == tmp_path / "out" and applied.overwrite
    assert applied.replace(out_dir=options.out_dir, overwrite=False) == options
    data = json.loads(next(folder.glob("*.json")).read_text())
    assert data["sharpen"] == "high" and data["max_kb"] == 250 and data["sizes"] == [480, 960]
    assert (data["keep_place_names"], data["keep_persons"], data["ai_disclosure"]) == (
        True, True, False)
    assert Profile.from_dict(data) == found
    with pytest.raises(ProfileError, match="built-in"):
        save_profile("Blog", options, folder)
    renamed = rename_profile("Daily Planet", "Planet web", folder)
    assert renamed.options == found.options
    assert [p.name for p in all_profiles(folder)][4:] == ["Planet web"]
    with pytest.raises(ProfileError, match="there are: blog, responsive"):
        find_profile("Daily Planet", folder)
    with pytest.raises(ProfileError, match="cannot be deleted"):
        delete_profile("wordpress", folder)
    delete_profile("planet WEB", folder)
    assert list(folder.glob("*.json")) == []
    (folder / "bad.json").write_text('{"name": "Bad", "quality": "high"}')
    assert len(all_profiles(folder)) == 4  # an unreadable file is left out
    assert BUILTIN_BY_NAME["blog"].options.long_edge == 1600


def test_cli_export_with_a_saved_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    save_profile("Magazine", ExportOptions(Path("."), long_edge=500, formats=("webp",),
                                           snippets=("md",), max_kb=40,
                                           credit_template="{credit}"))
    src = tmp_path / "in"
    src.mkdir()
    make_photo(src / "a.jpg", size=(1500, 1000))
    code = main(["export", str(src), "--out", str(tmp_path / "out"), "--profile", "magazine",
                 "--quality", "70"])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["a.webp", "article.md", "manifest.json"]
    with Image.open(tmp_path / "out" / "a.webp") as im:
        assert max(im.size) == 500
    record = json.loads((tmp_path / "out" / "manifest.json").read_text())["options"]
    assert record["quality"] == 70 and record["max_kb"] == 40  # the flag overrides the profile
    code = main(["export", str(src), "--out", str(tmp_path / "o2"), "--profile", "nope"])
    err = capsys.readouterr().err
    assert code == 2 and "no export profile called 'nope'" in err and "Magazine" in err


def test_sharpen_difference_is_real(tmp_path: Path) -> None:
    """Low sharpening changes pixels only where there is detail (a flat image stays flat)."""
    flat = Image.new("RGB", (100, 100), (120, 130, 140))
    assert ImageChops.difference(flat, flat.filter(SHARPEN[Sharpen.HIGH])).getbbox() is None


def test_a_capped_copy_still_carries_its_caption(tmp_path: Path, exiftool: str) -> None:
    """The cap counts the metadata in; an independent reader finds the caption and alt text."""
    from tests.core.test_export_support import exiftool_json

    src = noise_photo(tmp_path / "n.jpg")
    meta = PhotoMetadata(title="Noise", caption="Grey noise, capped", alt_text="Grey speckles",
                         creator=("Jane Doe",))
    result = run([ExportItem(src, meta)], ExportOptions(tmp_path / "out", max_kb=100,
                                                        sharpen=Sharpen.HIGH))
    out = tmp_path / "out" / result.photos[0].outputs[0].name
    assert out.stat().st_size <= 100 * 1024
    tags = exiftool_json(out)[0]
    assert tags["XMP-dc:Description"] == "Grey noise, capped"
    assert tags["IFD0:ImageDescription"] == "Grey noise, capped"
    assert tags["XMP-iptcCore:AltTextAccessibility"] == "Grey speckles"
    assert tags["IPTC:Caption-Abstract"] == "Grey noise, capped"


def test_cli_publish_refuses_an_unknown_profile_before_any_network(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("WP_PW", "x")
    src = make_photo(tmp_path / "a.jpg")
    code = main(["publish", str(src), "--site", "http://127.0.0.1:9", "--user", "u",
                 "--app-password-env", "WP_PW", "--profile", "Nope"])
    err = capsys.readouterr().err
    assert code == 2 and "no export profile called 'Nope'" in err and "wordpress" in err
    assert "cannot reach" not in err
