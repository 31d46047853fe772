"""RAW files and XMP sidecars (issue 14): recognised by content and name, never written; captions
go to a sidecar that is merged, never replaced; damaged RAW refused with a reason."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.raw_files import write_raw
from editor.cli import main as cli_main
from editor.core.errors import FileChangedError, PhotoCaptionError, UnreadableFileError
from editor.core.formats import raw
from editor.core.metadata import read_photo, write_photo
from editor.core.sidecar import SidecarName, StorePolicy
from editor.core.thumbnails import (
    ThumbnailError,
    decode_thumbnail,
    embedded_thumbnail,
    load_preview,
)
from tests.core.conftest import EXIFTOOL, SAMPLES, needs_exiftool

RAW_SAMPLES = SAMPLES / "raw"
needs_raw_samples = pytest.mark.skipif(not RAW_SAMPLES.is_dir(), reason="no RAW samples")

SAMPLE_KINDS = {
    "exiftool-CanonRaw.cr2": "CR2",
    "exiftool-CanonRaw.cr3": "CR3",
    "exiftool-CanonRaw.crw": "CRW",
    "exiftool-DNG.dng": "DNG",
    "exiftool-FujiFilm.raf": "RAF",
    "exiftool-Nikon.nef": "NEF",
    "exiftool-Panasonic.rw2": "RW2",
}

DARKTABLE_SIDECAR = b"""<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:darktable="http://darktable.sf.net/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    crs:Exposure2012="+0.35"
    crs:WhiteBalance="As Shot"
    darktable:xmp_version="5"
    darktable:history_end="2">
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:operation="exposure" darktable:enabled="1" darktable:params="0000a040"/>
     <rdf:li darktable:operation="colorin" darktable:enabled="1" darktable:params="gz09eJ"/>
    </rdf:Seq>
   </darktable:history>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Old title</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy_samples(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in SAMPLE_KINDS:
        shutil.copy(RAW_SAMPLES / name, folder / name)
        (folder / name).chmod(0o644)
    return folder


def _exiftool(path: Path, *tags: str) -> dict[str, object]:
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-j", "-struct", "-G1", *tags, str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return dict(json.loads(out)[0])


# --- recognition ----------------------------------------------------------------------------


@needs_raw_samples
def test_every_sample_raw_is_recognised_and_shown_with_its_store(tmp_path: Path) -> None:
    folder = _copy_samples(tmp_path)
    for name, kind in SAMPLE_KINDS.items():
        path = folder / name
        assert raw.identify(path, path.read_bytes()[:4096]) == kind
        record = read_photo(path)
        assert record.format == kind
        assert record.writable, (name, record.read_only_reason)
        expected_store = "file" if kind == "DNG" else "sidecar"
        assert record.metadata_store == expected_store, name
        if expected_store == "sidecar":
            assert record.sidecar == path.with_suffix(".xmp")
    assert read_photo(folder / "exiftool-Nikon.nef").camera.model == "NIKON D70"
    assert read_photo(folder / "exiftool-FujiFilm.raf").camera.model == "FinePix S5Pro"
    cr3 = read_photo(folder / "exiftool-CanonRaw.cr3")  # its CMT1/CMT2 boxes, as exiftool
    assert cr3.camera.model == "Canon EOS M50" and cr3.camera.iso == 12800
    assert cr3.camera.lens == "EF-M15-45mm f/3.5-6.3 IS STM"
    assert (cr3.width, cr3.height) == (6000, 4000)
    assert cr3.metadata.date_taken is not None
    assert cr3.metadata.date_taken.isoformat() == "2018-02-21T12:08:56+00:00"


def test_raw_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    dng = write_raw(tmp_path / "renamed.tif", dng=True)
    assert raw.identify(dng, dng.read_bytes()) == "DNG"
    nef = write_raw(tmp_path / "x.NEF")
    assert raw.identify(nef, nef.read_bytes()) == "NEF"
    # A plain TIFF stays a TIFF.
    tif = tmp_path / "plain.tif"
    tif.write_bytes(nef.read_bytes())
    assert raw.identify(tif, tif.read_bytes()) is None
    assert raw.sniff_kind(b"\x00\x00\x00\x18ftypcrx \x00\x00\x00\x01") == "CR3"
    assert raw.sniff_kind(b"FUJIFILMCCD-RAW 0201") == "RAF"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.NEF", b"II*\x00\xff\xff\xff\x7f" + b"\x00" * 64),
        ("text.CR3", b"this is not a raw file at all\n" * 4),
        ("zeros.ARW", b"\x00" * 4096),
        ("cut.raf", b"FUJIFILMCCD-RAW 0201FF383501" + b"\x00" * 40),
    ],
)
def test_damaged_raw_is_refused_with_a_reason_and_nothing_written(
    tmp_path: Path, name: str, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as info:
        read_photo(path)
    assert "damaged" in str(info.value) or "not a" in str(info.value)
    with pytest.raises(PhotoCaptionError):
        write_photo(path, read_photo_or_empty())
    assert cli_main(["set", str(path), "--caption", "x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"photocaption: {path}: ") and "Traceback" not in err
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no sidecar, no temp file
    with pytest.raises(PhotoCaptionError):
        decode_thumbnail(path, 256)


def read_photo_or_empty():  # type: ignore[no-untyped-def]
    from editor.core.model import PhotoMetadata

    return PhotoMetadata(caption="x")


# --- sidecars ---------------------------------------------------------------------------------


@needs_raw_samples
@needs_exiftool
def test_caption_goes_to_a_new_sidecar_and_every_raw_stays_byte_identical(tmp_path: Path) -> None:
    folder = _copy_samples(tmp_path)
    for name, kind in SAMPLE_KINDS.items():
        if kind == "DNG":
            continue
        path = folder / name
        before = _sha(path)
        record = read_photo(path)
        caption = f"Harbour at dawn — {kind} 평양"
        after = write_photo(
            path,
            record.metadata.replace(caption=caption, keywords=("dawn", "harbour")),
            expected=record.stamp,
        )
        assert _sha(path) == before, name
        assert after.metadata.caption == caption
        side = path.with_suffix(".xmp")
        got = _exiftool(side, "-XMP:all")
        assert got["XMP-dc:Description"] == caption, name
        assert got["XMP-dc:Subject"] == ["dawn", "harbour"]
        assert side.read_bytes().startswith(b"<?xpacket begin=")
        assert b"\n" + b" " * 99 not in side.read_bytes()  # no in-file padding in a sidecar


@needs_exiftool
def test_existing_sidecar_is_merged_keeping_develop_settings_and_history(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "DSC_0001.NEF")
    side = tmp_path / "DSC_0001.xmp"
    side.write_bytes(DARKTABLE_SIDECAR)
    keep = ("-XMP-crs:all", "-XMP-darktable:all")
    before_tags = _exiftool(side, *keep)
    raw_sha = _sha(path)
    record = read_photo(path)
    assert record.metadata.title == "Old title" and record.sidecar == side
    write_photo(path, record.metadata.replace(caption="New caption", title="New title"),
                expected=record.stamp)
    assert _sha(path) == raw_sha
    after_tags = _exiftool(side, *keep)
    assert after_tags == before_tags
    assert before_tags["XMP-crs:Exposure2012"] == "+0.35"
    assert len(before_tags["XMP-darktable:History"]) == 2  # type: ignore[arg-type]
    got = _exiftool(side, "-XMP-dc:all")
    assert got["XMP-dc:Title"] == "New title" and got["XMP-dc:Description"] == "New caption"


@needs_raw_samples
def test_sample_sidecar_keeps_its_other_properties(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "IMG_1.CR2")
    side = tmp_path / "IMG_1.xmp"
    shutil.copy(RAW_SAMPLES / "exiftool-XMP3.xmp", side)
    side.chmod(0o644)
    from editor.core.codecs import xmp

    props_before = set(xmp.properties(side.read_bytes()))
    record = read_photo(path)
    write_photo(path, record.metadata.replace(caption="c"), expected=record.stamp)
    props_after = set(xmp.properties(side.read_bytes()))
    assert props_before <= props_after
    assert b"a custom property value" in side.read_bytes() and b"Phil Harvey" in side.read_bytes()


def test_fullname_sidecar_is_read_and_chosen_by_policy(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "a.ARW")
    policy = StorePolicy(sidecar_name=SidecarName.FULLNAME)
    record = read_photo(path, policy=policy)
    assert record.sidecar == tmp_path / "a.ARW.xmp"
    write_photo(path, record.metadata.replace(caption="full"), policy=policy)
    assert (tmp_path / "a.ARW.xmp").is_file() and not (tmp_path / "a.xmp").exists()
    # Read under the default policy too (darktable's name), and written where it is.
    again = read_photo(path)
    assert again.metadata.caption == "full" and again.sidecar == tmp_path / "a.ARW.xmp"
    write_photo(path, again.metadata.replace(caption="again"))
    assert not (tmp_path / "a.xmp").exists()
    assert read_photo(path).metadata.caption == "again"


def test_sidecar_wins_over_the_raw_with_a_warning(tmp_path: Path) -> None:
    inner = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
        b'<rdf:li xml:lang="x-default">In the RAW</rdf:li></rdf:Alt></dc:description>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    path = write_raw(tmp_path / "p.PEF", xmp=inner)
    assert read_photo(path).metadata.caption == "In the RAW"
    (tmp_path / "p.xmp").write_bytes(inner.replace(b"In the RAW", b"In the sidecar"))
    record = read_photo(path)
    assert record.metadata.caption == "In the sidecar"
    assert any("Caption" in w and "sidecar" in w and "differ" in w for w in record.warnings)


def test_sidecar_changed_since_read_is_not_overwritten(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "c.NEF")
    side = tmp_path / "c.xmp"
    side.write_bytes(DARKTABLE_SIDECAR)
    record = read_photo(path)
    side.write_bytes(DARKTABLE_SIDECAR.replace(b"+0.35", b"+0.70"))
    with pytest.raises(FileChangedError):
        write_photo(path, record.metadata.replace(caption="x"), expected=record.stamp)
    assert b"+0.70" in side.read_bytes() and b"x</rdf:li>" not in side.read_bytes()


def test_damaged_sidecar_makes_the_photo_read_only_and_is_kept(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "d.NEF")
    side = tmp_path / "d.xmp"
    side.write_bytes(b"<x:xmpmeta><rdf:RDF>unclosed")
    record = read_photo(path)
    assert not record.writable and "d.xmp is damaged" in record.read_only_reason
    with pytest.raises(PhotoCaptionError):
        write_photo(path, record.metadata.replace(caption="x"))
    assert side.read_bytes() == b"<x:xmpmeta><rdf:RDF>unclosed"


@needs_exiftool
def test_dng_is_written_in_place_or_to_a_sidecar_by_choice(tmp_path: Path) -> None:
    dng = write_raw(tmp_path / "in.dng", dng=True)
    record = read_photo(dng)
    assert record.format == "DNG" and record.metadata_store == "file"
    write_photo(dng, record.metadata.replace(caption="in place"), expected=record.stamp)
    assert _exiftool(dng, "-XMP-dc:Description")["XMP-dc:Description"] == "in place"
    assert not (tmp_path / "in.xmp").exists()

    other = write_raw(tmp_path / "side.dng", dng=True)
    policy = StorePolicy(dng_sidecar=True)
    sha = _sha(other)
    record = read_photo(other, policy=policy)
    assert record.metadata_store == "sidecar"
    write_photo(other, record.metadata.replace(caption="beside"), policy=policy)
    assert _sha(other) == sha
    assert _exiftool(tmp_path / "side.xmp")["XMP-dc:Description"] == "beside"


def test_clearing_a_field_the_raw_itself_holds_says_it_still_shows(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "e.NEF")
    record = read_photo(path)
    assert record.metadata.date_taken is not None  # from the RAW's own EXIF
    after = write_photo(path, record.metadata.replace(date_taken=None, caption="c"))
    assert after.metadata.date_taken == record.metadata.date_taken
    assert any("Date taken" in w and "never written" in w for w in after.warnings)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_show_says_where_metadata_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_raw(tmp_path / "f.NEF")
    assert cli_main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "NEF" in out and "in the XMP sidecar f.xmp (created on the first save)" in out
    assert cli_main(["set", str(path), "--caption", "x", "--sidecar-name", "fullname"]) == 0
    capsys.readouterr()
    assert cli_main(["show", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)[0]
    assert data["metadata_store"] == "sidecar" and data["sidecar"].endswith("f.NEF.xmp")
    assert data["caption"] == "x" and data["writable"] is True


# --- thumbnails -------------------------------------------------------------------------------


def test_thumbnails_come_from_the_embedded_jpegs_upright(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "g.NEF", orientation=6, preview_sizes=(640, 1200))
    grid = embedded_thumbnail(path)
    assert grid is not None and grid.size == (107, 160)  # the 160 px IFD1 JPEG, turned upright
    sharp = decode_thumbnail(path, 384)
    assert sharp.size == (256, 384)
    # Orientation 6: the left (red) half of the sensor image is at the top once upright.
    red = sharp.getpixel((128, 20))
    white = sharp.getpixel((128, 360))
    assert red[0] > 150 and red[2] < 100 and min(white) > 200  # type: ignore[index]
    preview = load_preview(path, 2000)
    assert preview.size == (800, 1200)  # the largest embedded JPEG


def test_raw_without_a_usable_preview_says_why(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "h.CR2", preview_sizes=(), thumbnail_px=None)
    assert embedded_thumbnail(path) is None
    with pytest.raises(ThumbnailError, match="no usable embedded preview"):
        decode_thumbnail(path, 256)


# --- export -----------------------------------------------------------------------------------


@needs_exiftool
def test_export_from_a_raw_uses_its_embedded_preview_and_sidecar_caption(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "card"
    nef = write_raw(folder / "DSC_0001.NEF", size=(1800, 1200), orientation=6,
                    preview_sizes=(640, 1800))
    bare = write_raw(folder / "DSC_0002.NEF", preview_sizes=(), thumbnail_px=None)
    record = read_photo(nef)
    write_photo(nef, record.metadata.replace(title="Quay at dawn", caption="Boats at dawn"))
    sha = _sha(nef)
    out = tmp_path / "web"
    assert cli_main(["export", str(folder), "--out", str(out), "--long-edge", "1024"]) == 1
    captured = capsys.readouterr()
    assert "DSC_0001.NEF: made from the camera's embedded 1800 px preview" in captured.out
    assert f"{bare}: cannot export this RAW: this NEF has no usable embedded preview" in (
        captured.err
    )
    copy = out / "quay-at-dawn.jpg"
    got = _exiftool(copy, "-XMP-dc:Description", "-IFD0:ImageDescription", "-ImageSize",
                    "-IFD0:Make")
    assert got["XMP-dc:Description"] == "Boats at dawn"
    assert got["IFD0:ImageDescription"] == "Boats at dawn"
    assert got["Composite:ImageSize"] == "683x1024"  # upright: the RAW's orientation applied
    assert _sha(nef) == sha


def test_previews_beyond_the_head_read_are_found(tmp_path: Path) -> None:
    # The IFD1 thumbnail stored after 2 MB of sensor data: only the directories are in the head.
    path = write_raw(tmp_path / "big.NEF", raw_bytes=2 << 20, preview_sizes=(1200,))
    assert path.stat().st_size > raw.RAW_HEAD_BYTES
    thumb = embedded_thumbnail(path)
    assert thumb is not None and thumb.size == (160, 107)


def test_a_sidecar_opened_on_its_own_says_what_it_is(tmp_path: Path) -> None:
    side = tmp_path / "IMG_1.xmp"
    side.write_bytes(DARKTABLE_SIDECAR)
    with pytest.raises(PhotoCaptionError, match="XMP sidecar; open the photo"):
        read_photo(side)


# --- RAW+JPEG pairs ---------------------------------------------------------------------------


@needs_exiftool
def test_a_pair_saved_once_lands_in_the_jpeg_and_the_raw_sidecar(
    tmp_path: Path, make_photo  # type: ignore[no-untyped-def]
) -> None:
    from editor.core.saving import SaveJob, save_one

    jpeg = make_photo("IMG_7.JPG", folder=tmp_path)
    nef = write_raw(tmp_path / "IMG_7.NEF")
    (tmp_path / "IMG_7.xmp").write_bytes(
        DARKTABLE_SIDECAR.replace(b"Old title", b"RAW's own title")
    )
    sha = _sha(nef)
    before = read_photo(jpeg)
    edited = before.metadata.replace(caption="Pier at dusk")
    outcome = save_one(
        SaveJob(jpeg, edited, before.stamp, companions=(nef,), fields=frozenset({"caption"}))
    )
    assert not isinstance(outcome, str), outcome
    assert not [w for w in outcome.warnings if "RAW" in w]
    assert _exiftool(jpeg, "-XMP-dc:Description")["XMP-dc:Description"] == "Pier at dusk"
    side = _exiftool(tmp_path / "IMG_7.xmp", "-XMP-dc:all", "-XMP-crs:all")
    assert side["XMP-dc:Description"] == "Pier at dusk"
    assert side["XMP-dc:Title"] == "RAW's own title"  # only the edited field goes to the RAW
    assert side["XMP-crs:Exposure2012"] == "+0.35"
    assert _sha(nef) == sha


def test_a_pair_whose_raw_cannot_be_written_saves_the_jpeg_with_a_note(
    tmp_path: Path, make_photo  # type: ignore[no-untyped-def]
) -> None:
    from editor.core.saving import SaveJob, save_one

    jpeg = make_photo("IMG_8.JPG", folder=tmp_path)
    nef = write_raw(tmp_path / "IMG_8.NEF")
    (tmp_path / "IMG_8.xmp").write_bytes(b"<x:xmpmeta><rdf:RDF>unclosed")
    before = read_photo(jpeg)
    outcome = save_one(SaveJob(jpeg, before.metadata.replace(caption="c"), before.stamp,
                               companions=(nef,), fields=frozenset({"caption"})))
    assert not isinstance(outcome, str)
    assert outcome.metadata.caption == "c"
    assert any("the RAW IMG_8.NEF was not updated" in w for w in outcome.warnings)
    assert (tmp_path / "IMG_8.xmp").read_bytes() == b"<x:xmpmeta><rdf:RDF>unclosed"


def test_damaged_raws_never_raise_anything_but_a_reason(tmp_path: Path) -> None:
    """Truncated and bit-flipped RAWs (samples and generated): reading, thumbnails and saving
    either work or give a PhotoCaptionError; the RAW is never written."""
    import random

    sources = [write_raw(tmp_path / "gen.NEF", orientation=6),
               write_raw(tmp_path / "gen.CR2", preview_sizes=(640,))]
    if RAW_SAMPLES.is_dir():
        sources += [RAW_SAMPLES / name for name in SAMPLE_KINDS if name != "exiftool-DNG.dng"]
    rng = random.Random(14)
    for i in range(300):
        src = rng.choice(sources)
        data = bytearray(src.read_bytes())
        if rng.random() < 0.4:
            data = data[: rng.randrange(0, len(data))]
        else:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / "fuzz" / f"f{i}{src.suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bytes(data))
        with contextlib.suppress(PhotoCaptionError):
            read_photo(path)
        with contextlib.suppress(PhotoCaptionError):
            embedded_thumbnail(path)
        with contextlib.suppress(PhotoCaptionError):
            decode_thumbnail(path, 256)
        with contextlib.suppress(PhotoCaptionError):
            write_photo(path, read_photo(path).metadata.replace(caption="x"))
        assert path.read_bytes() == bytes(data)


EXIFTOOL_STYLE_SIDECAR = b"""<?xpacket begin='\xef\xbb\xbf' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/' x:xmptk='Image::ExifTool 12.57'>
<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>

 <rdf:Description rdf:about=''
  xmlns:crs='http://ns.adobe.com/camera-raw-settings/1.0/'>
  <crs:Exposure2012>+0.35</crs:Exposure2012>
 </rdf:Description>

 <rdf:Description rdf:about=''
  xmlns:xmp='http://ns.adobe.com/xap/1.0/'>
  <xmp:Rating>3</xmp:Rating>
 </rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>
"""


CONTACT_SIDECAR = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    crs:Exposure2012="+0.50">
   <Iptc4xmpCore:CreatorContactInfo rdf:parseType="Resource">
    <Iptc4xmpCore:CiEmailWork>jane@example.org</Iptc4xmpCore:CiEmailWork>
   </Iptc4xmpCore:CreatorContactInfo>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


@needs_exiftool
def test_a_field_in_a_namespace_the_sidecar_lacks_is_saved(tmp_path: Path) -> None:
    """A sidecar as exiftool writes it (one Description per namespace, no photoshop: one):
    saving a headline, credit and date added photoshop's namespace declaration, which the
    check of the untouched properties took for a change ("a sidecar property that was not
    edited would have changed"), so nothing could be saved. Develop settings stay."""
    from datetime import datetime

    path = write_raw(tmp_path / "DSC_0001.NEF")
    side = tmp_path / "DSC_0001.xmp"
    side.write_bytes(EXIFTOOL_STYLE_SIDECAR)
    raw_before = path.read_bytes()
    md = read_photo(path).metadata
    new = dataclasses.replace(md, headline="Tram 28 at dawn", credit="Rob Whitworth",
                              date_taken=datetime(2008, 8, 6, 16, 21, 56))
    write_photo(path, new)
    assert path.read_bytes() == raw_before
    out = json.loads(subprocess.run(
        [EXIFTOOL, "-j", "-Headline", "-Credit", "-DateCreated", "-Exposure2012", "-Rating",
         str(side)], capture_output=True, text=True, check=True).stdout)[0]
    assert out["Headline"] == "Tram 28 at dawn" and out["Credit"] == "Rob Whitworth"
    assert str(out["DateCreated"]).startswith("2008:08:06 16:21:56")
    assert str(out["Exposure2012"]) in ("+0.35", "0.35") and out["Rating"] == 3


@needs_exiftool
def test_struct_fields_save_into_an_existing_sidecar(tmp_path: Path) -> None:
    """Licensor (plus:Licensor, a Seq of structs) and the creator's contact info
    (Iptc4xmpCore:CreatorContactInfo) were not recognised as ours by the check of untouched
    sidecar properties, so saving them into an existing sidecar always failed."""
    path = write_raw(tmp_path / "DSC_0001.NEF")
    side = tmp_path / "DSC_0001.xmp"
    side.write_bytes(EXIFTOOL_STYLE_SIDECAR)
    md = read_photo(path).metadata
    write_photo(path, dataclasses.replace(md, licensor_name="Trial Agency",
                                          licensor_url="https://agency.example/buy",
                                          creator_email="rob@example.org"))
    out = json.loads(subprocess.run(
        [EXIFTOOL, "-j", "-struct", "-Licensor", "-CreatorContactInfo", "-Exposure2012",
         str(side)], capture_output=True, text=True, check=True).stdout)[0]
    assert out["Licensor"] == [{"LicensorName": "Trial Agency",
                                "LicensorURL": "https://agency.example/buy"}]
    assert out["CreatorContactInfo"] == {"CiEmailWork": "rob@example.org"}
    assert str(out["Exposure2012"]) in ("+0.35", "0.35")


def test_a_struct_member_is_saved_into_a_sidecar_struct_that_holds_others(
    tmp_path: Path,
) -> None:
    """The creator's city goes into an existing CreatorContactInfo beside the e-mail (the save
    used to be refused: the struct counted as a property not edited)."""
    path = write_raw(tmp_path / "DSC_0002.NEF")
    side = tmp_path / "DSC_0002.xmp"
    side.write_bytes(CONTACT_SIDECAR)
    raw_sha = _sha(path)
    record = read_photo(path)
    write_photo(path, record.metadata.replace(creator_city="Lyon"), expected=record.stamp)
    assert _sha(path) == raw_sha
    got = _exiftool(side, "-XMP-iptcCore:all", "-XMP-crs:all")
    assert got["XMP-iptcCore:CreatorContactInfo"] == {
        "CiEmailWork": "jane@example.org", "CiAdrCity": "Lyon"
    }
    assert got["XMP-crs:Exposure2012"] == "+0.50"


@needs_raw_samples
def test_a_nef_renamed_tif_is_still_a_raw_and_never_written(tmp_path: Path) -> None:
    """A NEF (plain TIFF magic, CFA sensor data in a SubIFD) named .tif was taken for a TIFF
    and rewritten in place; it must be recognised by its sensor data and get a sidecar."""
    path = tmp_path / "DSC_0003.tif"
    shutil.copy(RAW_SAMPLES / "exiftool-Nikon.nef", path)
    path.chmod(0o644)
    assert raw.identify(path, path.read_bytes()) == "NEF"
    raw_sha = _sha(path)
    record = read_photo(path)
    write_photo(path, record.metadata.replace(caption="Renamed"), expected=record.stamp)
    assert _sha(path) == raw_sha
    assert read_photo(path).metadata.caption == "Renamed"
    assert (tmp_path / "DSC_0003.xmp").is_file()
    for plain in ("exiv2-test.tiff", "ianare-Crémieux11.tiff"):  # ordinary TIFFs stay TIFFs
        if (SAMPLES / plain).is_file():
            assert raw.identify(SAMPLES / plain, (SAMPLES / plain).read_bytes()) is None
