"""The IPTC set of issue 13, end to end: every new field read back by ``show --json``, exiftool
and exiv2; Location Shown/Created as a fallback; clearing; IIM added by default; 2:105's title
fallback; a file's size over 100 saves.

Each field's expected XMP and IIM places are derived from the field table, so a row that moves
is checked where it moved to; exiftool and exiv2 are independent readers (skipped when absent).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from editor.core import fields as ft
from editor.core.fields import FIELD_BY_NAME, FieldKind, Role, XmpKind, XmpProp
from editor.core.metadata import IimPolicy, read_photo, write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import (
    EXIFTOOL,
    FULL,
    camera_jpeg,
    exiftool_json,
    needs_exiftool,
    sample,
)
from tests.core.conftest import SAMPLES as SAMPLE_DIR

EXIV2 = shutil.which("exiv2")
needs_exiv2 = pytest.mark.skipif(EXIV2 is None, reason="exiv2 not on PATH")

# The fields issue 13 added (everything FULL sets that the first twelve fields did not).
NEW_FIELDS: tuple[str, ...] = (
    "headline", "caption_writer", "persons_shown", "event", "sublocation", "city", "state",
    "country", "country_code", "creator_job_title", "web_statement", "licensor_name",
    "licensor_url", "creator_address", "creator_city", "creator_region", "creator_postal_code",
    "creator_country", "creator_email", "creator_phone", "creator_url", "digital_source_type",
    "instructions", "job_id", "source",
)  # fmt: skip

# Samples: JPEG with IIM (two charsets), JPEG without IIM, TIFF, PNG, WebP.
SAMPLES = (
    "exiftool-ExifTool.jpg",
    "exiv2-Reagan.jpg",
    "ianare-Canon_PowerShot_S40.jpg",
    "exiv2-test.tiff",
    "pillow-exif.png",
    "exiv2-exiv2-bug1199.webp",
)
# IIM is added to JPEGs; a TIFF keeps it in step only where it has it (this one has none).
IIM_SUFFIXES = (".jpg", ".jpeg")

# exiftool's family-1 XMP group and exiv2's XMP prefix per namespace.
_EXIFTOOL_GROUP = {
    ft.NS_PHOTOSHOP: "XMP-photoshop",
    ft.NS_IPTC_CORE: "XMP-iptcCore",
    ft.NS_IPTC_EXT: "XMP-iptcExt",
    ft.NS_XMP_RIGHTS: "XMP-xmpRights",
    ft.NS_PLUS: "XMP-plus",
}
_EXIV2_PREFIX = {
    ft.NS_PHOTOSHOP: "photoshop",
    ft.NS_IPTC_CORE: "iptc",
    ft.NS_IPTC_EXT: "iptcExt",
    ft.NS_XMP_RIGHTS: "xmpRights",
    ft.NS_PLUS: "plus",
}
# exiv2's names of the IIM datasets (exiftool uses the IIM names of the table).
_EXIV2_IIM = {
    105: "Headline", 122: "Writer", 92: "SubLocation", 90: "City", 95: "ProvinceState",
    101: "CountryName", 100: "CountryCode", 85: "BylineTitle", 40: "SpecialInstructions",
    103: "TransmissionReference", 115: "Source",
}  # fmt: skip


def _store(name: str) -> XmpProp:
    spec = FIELD_BY_NAME[name]
    return next(p for p in spec.xmp if p.role is Role.STORE)


def _text(md: PhotoMetadata, name: str) -> str | list[str]:
    value = getattr(md, name)
    return list(value) if isinstance(value, tuple) else str(value)


# --------------------------------------------------------------------------- readers


def _show_json(*paths: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "editor", "show", "--json", *map(str, paths)],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr.decode()
    rows = json.loads(out.stdout.decode("utf-8"))
    assert isinstance(rows, list)
    return rows


def _json_value(row: dict[str, Any], name: str) -> Any:
    spec = FIELD_BY_NAME[name]
    if spec.group:
        return row[spec.group][spec.group_key]
    return row[name]


def _exiftool_struct(path: Path) -> dict[str, Any]:
    return exiftool_json(path, "-a", "-G1", "-struct")


def _exiftool_xmp(row: dict[str, Any], prop: XmpProp) -> Any:
    """The value of a table property in exiftool's -struct output (None when absent)."""
    group = _EXIFTOOL_GROUP[prop.ns_uri]
    if prop.kind is not XmpKind.STRUCT_MEMBER:
        return row.get(f"{group}:{prop.local_name}")
    step = prop.path[0]
    holder = row.get(f"{_EXIFTOOL_GROUP[step[0]]}:{step[1]}")
    if isinstance(holder, list):
        holder = holder[0] if holder else None
    return holder.get(prop.local_name) if isinstance(holder, dict) else None


def _exiv2(path: Path) -> dict[str, str]:
    """exiv2 -pa as key -> value (continuation lines of multi-line values joined with \\n)."""
    assert EXIV2 is not None
    out = subprocess.run(
        [EXIV2, "-pa", str(path)], capture_output=True, check=False, timeout=60
    ).stdout.decode("utf-8", "replace")
    found: dict[str, str] = {}
    last = ""
    for line in out.splitlines():
        match = re.match(r"^((?:Xmp|Iptc|Exif)\.\S+)\s+\S+\s+\d+ +(.*)$", line)
        if match:
            last = match.group(1)
            found.setdefault(last, match.group(2))
        elif last:
            found[last] += "\n" + line
    return found


def _exiv2_xmp_key(prop: XmpProp) -> str:
    prefix = _EXIV2_PREFIX[prop.ns_uri]
    if prop.kind is not XmpKind.STRUCT_MEMBER:
        return f"Xmp.{prefix}.{prop.local_name}"
    step = prop.path[0]
    index = "[1]" if len(step) > 2 and step[2] else ""
    return f"Xmp.{_EXIV2_PREFIX[step[0]]}.{step[1]}{index}/{prop.prefix}:{prop.local_name}"


def _exiv2_expected(md: PhotoMetadata, name: str, prop: XmpProp) -> str:
    value = getattr(md, name)
    if isinstance(value, tuple):
        return ", ".join(value)
    if prop.kind is XmpKind.LANG_ALT:
        return f'lang="x-default" {value}'
    return str(value)


# --------------------------------------------------------------------------- fixtures


def _generated(tmp_path: Path) -> Path:
    path = tmp_path / "generated.jpg"
    path.write_bytes(camera_jpeg())
    return path


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """FULL written into copies of the samples (the ones present) and a generated JPEG."""
    work = tmp_path_factory.mktemp("iptc_set")
    paths = {"generated.jpg": _generated(work)}
    for name in SAMPLES:
        source = SAMPLE_DIR / name
        if source.is_file():
            paths[name] = work / name
            shutil.copyfile(source, paths[name])
    for path in paths.values():
        write_photo(path, FULL)
    return paths


CASES = ("generated.jpg", *SAMPLES)


def _case(written: dict[str, Path], name: str) -> Path:
    if name not in written:
        sample(name)  # skips with the reason
    return written[name]


# --------------------------------------------------------------------------- round trip


def test_show_json_reads_every_new_field(written: dict[str, Path]) -> None:
    rows = {Path(r["path"]).name: r for r in _show_json(*written.values())}
    for name, path in written.items():
        row = rows[path.name]
        for field in NEW_FIELDS:
            assert _json_value(row, field) == _text(FULL, field), (name, field)


@needs_exiftool
@pytest.mark.parametrize("case", CASES)
def test_exiftool_reads_every_new_field(written: dict[str, Path], case: str) -> None:
    path = _case(written, case)
    row = _exiftool_struct(path)
    has_iim = path.suffix.lower() in IIM_SUFFIXES
    for field in NEW_FIELDS:
        spec = FIELD_BY_NAME[field]
        expected = _text(FULL, field)
        got = _exiftool_xmp(row, _store(field))
        if isinstance(expected, list) and not isinstance(got, list):
            got = [got]
        got = [str(g) for g in got] if isinstance(got, list) else str(got)
        assert got == expected, (field, "XMP")
        if has_iim:
            for entry in spec.iim:
                assert str(row.get(f"IPTC:{entry.name}")) == expected, (field, entry.name)
    # the structs hold exactly their members
    contact = row["XMP-iptcCore:CreatorContactInfo"]
    assert contact["CiEmailWork"] == FULL.creator_email
    assert contact["CiAdrExtadr"] == FULL.creator_address
    assert row["XMP-plus:Licensor"] == [
        {"LicensorName": FULL.licensor_name, "LicensorURL": FULL.licensor_url}
    ]


@needs_exiv2
@pytest.mark.parametrize("case", CASES)
def test_exiv2_reads_every_new_field(written: dict[str, Path], case: str) -> None:
    path = _case(written, case)
    found = _exiv2(path)
    has_iim = path.suffix.lower() in IIM_SUFFIXES
    for field in NEW_FIELDS:
        prop = _store(field)
        assert found.get(_exiv2_xmp_key(prop)) == _exiv2_expected(FULL, field, prop), field
        if has_iim:
            for entry in FIELD_BY_NAME[field].iim:
                key = f"Iptc.Application2.{_EXIV2_IIM[entry.number]}"
                assert found.get(key) == getattr(FULL, field), (field, key)


def test_new_fields_through_the_cli(tmp_path: Path) -> None:
    """``set`` with every new flag, then ``show --json``: each value back as given."""
    path = _generated(tmp_path)
    md = FULL
    flags = {
        "headline": "--headline", "caption_writer": "--caption-writer",
        "event": "--event", "sublocation": "--sublocation", "city": "--city",
        "state": "--state", "country": "--country", "country_code": "--country-code",
        "creator_job_title": "--creator-job-title", "web_statement": "--web-statement",
        "licensor_name": "--licensor-name", "licensor_url": "--licensor-url",
        "creator_address": "--creator-address", "creator_city": "--creator-city",
        "creator_region": "--creator-region", "creator_postal_code": "--creator-postal-code",
        "creator_country": "--creator-country", "creator_email": "--creator-email",
        "creator_phone": "--creator-phone", "creator_url": "--creator-url",
        "instructions": "--instructions", "job_id": "--job-id", "source": "--source",
    }  # fmt: skip
    args = [arg for name, flag in flags.items() for arg in (flag, str(getattr(md, name)))]
    args += ["--person-shown", "; ".join(md.persons_shown)]
    args += ["--digital-source-type", "trainedAlgorithmicMedia"]
    out = subprocess.run(
        [sys.executable, "-m", "editor", "set", str(path), *args],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr.decode()
    (row,) = _show_json(path)
    for name in flags:
        assert _json_value(row, name) == getattr(md, name), name
    assert row["persons_shown"] == list(md.persons_shown)
    assert row["digital_source_type"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    )


# --------------------------------------------------------------------------- Location structs


def _exiftool_set(path: Path, *assignments: str) -> None:
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-overwrite_original", "-q", *assignments, str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr.decode()


@needs_exiftool
def test_location_structs_read_when_flat_fields_absent(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    _exiftool_set(
        path,
        "-XMP-iptcExt:LocationShownCity=Paris",
        "-XMP-iptcExt:LocationShownCountryName=França",
        "-XMP-iptcExt:LocationShownSublocation=Montmartre",
        "-XMP-iptcExt:LocationShownProvinceState=Île-de-France",
        "-XMP-iptcExt:LocationShownCountryCode=FR",
        "-XMP-iptcExt:LocationCreatedCity=Berlin",
    )
    md = read_photo(path).metadata
    # Shown comes first; Created is read only for what Shown lacks.
    assert (md.city, md.country, md.sublocation, md.state, md.country_code) == (
        "Paris",
        "França",
        "Montmartre",
        "Île-de-France",
        "FR",
    )


@needs_exiftool
def test_location_structs_move_only_where_they_agreed(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    _exiftool_set(
        path,
        "-XMP-iptcExt:LocationShownCity=Paris",
        "-XMP-iptcExt:LocationShownCountryName=France",
        "-XMP-iptcExt:LocationCreatedCity=Berlin",
        "-XMP-iptcExt:LocationCreatedCountryName=France",
    )
    md = read_photo(path).metadata
    assert md.city == "Paris"
    write_photo(path, md.replace(city="Lyon 里昂", country="Frankreich"))
    row = _exiftool_struct(path)
    shown = row["XMP-iptcExt:LocationShown"][0]
    created = row["XMP-iptcExt:LocationCreated"][0]
    assert shown["City"] == "Lyon 里昂"  # held the old city: moved
    assert created["City"] == "Berlin"  # another place: kept
    assert shown["CountryName"] == created["CountryName"] == "Frankreich"  # both agreed
    assert row["XMP-photoshop:City"] == "Lyon 里昂"  # the flat field is written too
    assert read_photo(path).metadata.city == "Lyon 里昂"


@needs_exiftool
def test_flat_fields_win_over_structs_and_structs_left_when_they_differ(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    _exiftool_set(path, "-XMP-photoshop:City=Rome", "-XMP-iptcExt:LocationShownCity=Paris")
    md = read_photo(path).metadata
    assert md.city == "Rome"
    write_photo(path, md.replace(city="Napoli"))
    row = _exiftool_struct(path)
    assert row["XMP-photoshop:City"] == "Napoli"
    assert row["XMP-iptcExt:LocationShown"][0]["City"] == "Paris"


@needs_exiftool
def test_clearing_a_struct_fallback_removes_the_structs(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    _exiftool_set(path, "-XMP-iptcExt:LocationShownCity=Paris")
    md = read_photo(path).metadata
    write_photo(path, md.replace(city=""))
    row = _exiftool_struct(path)
    assert "XMP-iptcExt:LocationShown" not in row
    assert b"Paris" not in path.read_bytes()
    assert read_photo(path).metadata.city == ""


# --------------------------------------------------------------------------- clearing


def _unique_texts(md: PhotoMetadata) -> list[bytes]:
    """The UTF-8 bytes of each new field's value that are long enough to be unmistakable."""
    texts: list[str] = []
    for name in NEW_FIELDS:
        value = getattr(md, name)
        texts += list(value) if isinstance(value, tuple) else [str(value)]
    return [t.encode("utf-8") for t in texts if len(t.encode("utf-8")) >= 6]


@needs_exiftool
@pytest.mark.parametrize("case", CASES)
def test_clearing_every_new_field_leaves_no_trace(
    written: dict[str, Path], case: str, tmp_path: Path
) -> None:
    source = _case(written, case)
    path = tmp_path / source.name
    shutil.copyfile(source, path)
    cleared = FULL.replace(**{name: () if name == "persons_shown" else "" for name in NEW_FIELDS})
    write_photo(path, cleared)
    md = read_photo(path).metadata
    for name in NEW_FIELDS:
        assert not getattr(md, name), name
    row = _exiftool_struct(path)
    has_iim = path.suffix.lower() in IIM_SUFFIXES
    for name in NEW_FIELDS:
        spec = FIELD_BY_NAME[name]
        for prop in spec.xmp:
            assert _exiftool_xmp(row, prop) is None, (name, prop.local_name)
        for entry in spec.iim if has_iim else ():
            if entry.fallback:
                # 2:105 now holds the title (WordPress's title), read back as no headline
                assert row.get(f"IPTC:{entry.name}") == FULL.title
            else:
                assert f"IPTC:{entry.name}" not in row, (name, entry.name)
    # no empty struct or array is left behind
    for key in ("XMP-iptcCore:CreatorContactInfo", "XMP-plus:Licensor"):
        assert key not in row, key
    data = path.read_bytes()
    for marker in (b"CreatorContactInfo", b"plus:Licensor", b"PersonInImage", b"CiEmailWork"):
        assert marker not in data, marker
    kept = "\n".join(str(v) for v in dataclasses.astuple(cleared)).encode("utf-8")
    for old in _unique_texts(FULL):
        if old not in kept:  # e.g. a person shown who is also the creator stays as creator
            assert old not in data, old


# --------------------------------------------------------------------------- IIM by default


@needs_exiftool
def test_iim_added_by_default_holds_every_iim_field(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    assert "IPTC:CodedCharacterSet" not in exiftool_json(path, "-a", "-G1")
    write_photo(path, FULL)
    row = exiftool_json(path, "-a", "-G1")
    assert row["IPTC:CodedCharacterSet"] == "UTF8"
    for spec in ft.FIELDS:
        if not spec.iim:
            continue
        value = getattr(FULL, spec.name)
        if spec.kind is FieldKind.DATETIME:
            assert row["IPTC:DateCreated"] == value.strftime("%Y:%m:%d")
            assert row["IPTC:TimeCreated"] == value.strftime("%H:%M:%S+09:00")
            continue
        for entry in spec.iim:
            got = row.get(f"IPTC:{entry.name}")
            if isinstance(value, tuple):
                got = got if isinstance(got, list) else [got]
                assert [str(g) for g in got] == list(value), spec.name
            else:
                assert str(got) == value, spec.name


@needs_exiftool
def test_no_iptc_does_not_add_iim(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "editor", "set", str(path), "--no-iptc",
         "--headline", "Kopf", "--title", "Titel", "--city", "Köln"],
        capture_output=True, check=False, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr.decode()
    row = exiftool_json(path, "-a", "-G1")
    assert not [k for k in row if k.startswith(("IPTC:", "Photoshop:"))]
    assert row["XMP-photoshop:Headline"] == "Kopf"
    # and the policy keeps IIM in step where the file has it
    write_photo(path, FULL.replace(title="T"), iim_policy=IimPolicy.WHEN_PRESENT)
    assert not [k for k in exiftool_json(path, "-a", "-G1") if k.startswith("IPTC:")]


# --------------------------------------------------------------------------- 2:105


@needs_exiftool
def test_headline_dataset_holds_the_title_when_no_headline(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    write_photo(path, PhotoMetadata(title="Ténéré at dusk"))
    row = exiftool_json(path, "-a", "-G1")
    assert row["IPTC:Headline"] == row["IPTC:ObjectName"] == "Ténéré at dusk"
    assert "XMP-photoshop:Headline" not in row
    md = read_photo(path).metadata
    assert (md.headline, md.title) == ("", "Ténéré at dusk")
    (shown,) = _show_json(path)
    assert shown["headline"] == ""

    write_photo(path, md.replace(headline="Sahara: the long road"))
    row = exiftool_json(path, "-a", "-G1")
    assert row["IPTC:Headline"] == row["XMP-photoshop:Headline"] == "Sahara: the long road"
    assert read_photo(path).metadata.headline == "Sahara: the long road"

    write_photo(path, read_photo(path).metadata.replace(headline="", title="Agadez"))
    row = exiftool_json(path, "-a", "-G1")
    assert row["IPTC:Headline"] == "Agadez"
    assert read_photo(path).metadata.headline == ""
    assert b"Sahara" not in path.read_bytes()


# --------------------------------------------------------------------------- lifetime


def test_hundred_saves_with_every_field_keep_the_size(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    variants = [
        FULL,
        FULL.replace(headline="Autre titre — 다른", city="Busan 부산", licensor_name="Other Ltd"),
    ]
    sizes: list[int] = []
    for n in range(100):
        write_photo(path, variants[n % 2])
        sizes.append(path.stat().st_size)
    assert set(sizes[2::2]) == {sizes[0]}, "the file grew over saves of the same values"
    assert set(sizes[3::2]) == {sizes[1]}
    assert read_photo(path).metadata == dataclasses.replace(variants[1])


@needs_exiftool
def test_struct_edits_keep_other_members_and_items(tmp_path: Path) -> None:
    """Only the table's members of the first item change: LicensorID/Email, WorldRegion and the
    second items stay as they were."""
    path = _generated(tmp_path)
    _exiftool_set(
        path,
        "-XMP-plus:Licensor={LicensorID=ID-1,LicensorName=First,LicensorEmail=a@b.c}",
        "-XMP-plus:Licensor+={LicensorName=Second,LicensorURL=http://second/}",
        "-XMP-iptcExt:LocationShown={City=Paris,CountryName=France,WorldRegion=Europe}",
        "-XMP-iptcExt:LocationShown+={City=Lyon}",
    )
    md = read_photo(path).metadata
    assert (md.licensor_name, md.city, md.country) == ("First", "Paris", "France")
    write_photo(
        path, md.replace(licensor_name="", licensor_url="http://new/", city="Marseille", country="")
    )
    row = _exiftool_struct(path)
    assert row["XMP-plus:Licensor"] == [
        {"LicensorEmail": "a@b.c", "LicensorID": "ID-1", "LicensorURL": "http://new/"},
        {"LicensorName": "Second", "LicensorURL": "http://second/"},
    ]
    assert row["XMP-iptcExt:LocationShown"] == [
        {"City": "Marseille", "WorldRegion": "Europe"},
        {"City": "Lyon"},
    ]
    md = read_photo(path).metadata
    assert (md.licensor_name, md.licensor_url, md.city, md.country) == (
        "",
        "http://new/",
        "Marseille",
        "",
    )
