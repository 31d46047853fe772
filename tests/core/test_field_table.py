"""The field table drives the EXIF and XMP codecs: no codec declares a mapping of its own.

Two kinds of check: the codecs' source holds no namespace URI nor tag number of a field (they can
only come from ``fields.py``), and a row added to the table (a synthetic "headline" field) is read
and written by both codecs with no other change, as exiftool confirms.
"""

from __future__ import annotations

import ast
import dataclasses
import subprocess
from pathlib import Path

import pytest

from editor.core import fields
from editor.core.codecs import exif, xmp
from editor.core.fields import (
    ExifEncoding,
    ExifTag,
    FieldKind,
    FieldSpec,
    Role,
    XmpKind,
    XmpProp,
)
from editor.core.formats import jpeg
from editor.core.model import PhotoMetadata
from tests.core.conftest import EXIFTOOL, camera_jpeg, exiftool_json, needs_exiftool

CODECS = Path(xmp.__file__).parent
# Namespaces of the XML/RDF syntax itself, not of any field.
SYNTAX_URIS = {xmp.NS_RDF, xmp.NS_X, xmp.NS_XML, xmp.NS_XMLNS}


def _constants(path: Path) -> list[object]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]


def test_xmp_codec_declares_no_namespace_or_property_of_a_field() -> None:
    table_uris = {p.ns_uri for f in fields.FIELDS for p in f.xmp}
    # The GPS value codec composes a position from its parts, which the table names.
    gps_parts = {p.local_name for p in fields.FIELD_BY_NAME["gps"].xmp}
    table_locals = {p.local_name for f in fields.FIELDS for p in f.xmp} - gps_parts
    strings = [c for c in _constants(CODECS / "xmp.py") if isinstance(c, str)]
    uris = [s for s in strings if "://" in s or s.startswith(("urn:", "adobe:"))]
    assert set(uris) <= SYNTAX_URIS
    assert not (set(uris) & table_uris)
    assert not (set(strings) & table_locals)


def test_exif_codec_declares_no_tag_number_of_a_field() -> None:
    numbers: set[int] = set()
    for spec in fields.FIELDS:
        for tag in spec.exif:
            if tag.encoding is not ExifEncoding.GPS_IFD:  # the GPS IFD's parts are the codec's
                numbers |= {t for t in (tag.tag, tag.offset_tag, tag.subsec_tag) if t is not None}
    ints = {c for c in _constants(CODECS / "exif.py") if type(c) is int}
    assert not (ints & numbers), sorted(hex(n) for n in ints & numbers)


def test_every_row_is_well_formed() -> None:
    for spec in fields.FIELDS:
        assert any(t.role.read for t in spec.exif) or not spec.exif, spec.name
        assert any(p.role.read for p in spec.xmp), spec.name  # XMP holds every field
        for prop in spec.xmp:
            assert prop.kind is not XmpKind.STRUCT_MEMBER or prop.path
            assert prop.role is not Role.PRUNE or spec.kind is FieldKind.LIST
        for tag in spec.exif:
            assert tag.ifd in ("IFD0", "Exif", "GPS")
            assert tag.encoding is not ExifEncoding.DATETIME or spec.kind is FieldKind.DATETIME


# A synthetic flat text field: one row and one model attribute, nothing else.
HEADLINE = FieldSpec(
    "headline",
    "Headline",
    FieldKind.TEXT,
    exif=(ExifTag("IFD0", 0x9C9F, "XPSubject", ExifEncoding.XP),),
    xmp=(XmpProp("http://ns.adobe.com/photoshop/1.0/", "photoshop", "Headline", XmpKind.SIMPLE),),
)
WithHeadline = dataclasses.make_dataclass(
    "WithHeadline", [("headline", str, "")], bases=(PhotoMetadata,), frozen=True
)


@pytest.fixture
def extra_row(monkeypatch: pytest.MonkeyPatch) -> None:
    table = (*fields.FIELDS, HEADLINE)
    monkeypatch.setattr(fields, "FIELDS", table)
    monkeypatch.setattr(fields, "FIELD_BY_NAME", {f.name: f for f in table})
    monkeypatch.setattr(fields, "FIELD_NAMES", tuple(f.name for f in table))


@pytest.mark.usefixtures("extra_row")
def test_a_new_row_round_trips_through_both_codecs() -> None:
    md = WithHeadline(caption="Cap", headline="Big news — 한국 😀")
    packet = xmp.merge_xmp(None, md, ["caption", "headline"])
    values = xmp.parse_xmp(packet)
    assert values.headline == "Big news — 한국 😀" and values.caption == "Cap"
    patch = exif.build_patch(md, frozenset({"headline"}), "<", "0232")
    block = exif.apply_patch(exif.empty_block("<"), patch, 1, 1, "JPEG")
    assert exif.read_exif(block).values == {"headline": "Big news — 한국 😀"}


@needs_exiftool
@pytest.mark.usefixtures("extra_row")
def test_a_new_row_is_what_exiftool_reads(tmp_path: Path) -> None:
    md = WithHeadline(headline="Big news — 한국")
    data = camera_jpeg()
    blocks = jpeg.extract(data)
    assert blocks.exif is not None
    patch = exif.build_patch(md, frozenset({"headline"}), "<", "0232")
    new_exif = exif.apply_patch(blocks.exif, patch, blocks.width, blocks.height, "JPEG")
    head, sos = jpeg.replace_head(data, exif=new_exif, xmp=xmp.merge_xmp(None, md, ["headline"]))
    path = tmp_path / "headline.jpg"
    path.write_bytes(head + data[sos:])
    tags = exiftool_json(path, "-G1")
    assert tags["XMP-photoshop:Headline"] == "Big news — 한국"
    assert tags["IFD0:XPSubject"] == "Big news — 한국"
    assert EXIFTOOL is not None
    validate = subprocess.run(
        [EXIFTOOL, "-validate", "-warning", "-s3", str(path)], capture_output=True, timeout=60
    )
    assert b"XPSubject" not in validate.stdout


# A synthetic struct member: the creator's work e-mail inside Iptc4xmpCore:CreatorContactInfo.
NS_IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
EMAIL = FieldSpec(
    "headline",  # reuses the synthetic model attribute
    "Work e-mail",
    FieldKind.TEXT,
    xmp=(
        XmpProp(
            NS_IPTC_CORE,
            "Iptc4xmpCore",
            "CiEmailWork",
            XmpKind.STRUCT_MEMBER,
            path=((NS_IPTC_CORE, "CreatorContactInfo"),),
        ),
    ),
)


@pytest.fixture
def email_row(monkeypatch: pytest.MonkeyPatch) -> None:
    table = (*fields.FIELDS, EMAIL)
    monkeypatch.setattr(fields, "FIELDS", table)
    monkeypatch.setattr(fields, "FIELD_BY_NAME", {f.name: f for f in table})
    monkeypatch.setattr(fields, "FIELD_NAMES", tuple(f.name for f in table))


@needs_exiftool
@pytest.mark.usefixtures("email_row")
def test_a_struct_member_row_keeps_its_siblings(tmp_path: Path) -> None:
    path = tmp_path / "contact.jpg"
    path.write_bytes(camera_jpeg())
    assert EXIFTOOL is not None
    subprocess.run(
        [EXIFTOOL, "-q", "-overwrite_original", "-XMP-iptcCore:CreatorCity=Paris", str(path)],
        check=True,
        timeout=60,
    )
    data = path.read_bytes()
    old = jpeg.extract(data).xmp
    assert xmp.parse_xmp(old or b"").headline is None
    packet = xmp.merge_xmp(old, WithHeadline(headline="jane@example.org"), ["headline"])
    assert xmp.parse_xmp(packet).headline == "jane@example.org"
    head, sos = jpeg.replace_head(data, xmp=packet)
    path.write_bytes(head + data[sos:])
    tags = exiftool_json(path, "-G1")
    assert tags["XMP-iptcCore:CreatorWorkEmail"] == "jane@example.org"
    assert tags["XMP-iptcCore:CreatorCity"] == "Paris"
    # In a packet without the struct, it is created; cleared, the member (then struct) goes.
    fresh = xmp.merge_xmp(None, WithHeadline(headline="a@b.c"), ["headline"])
    assert xmp.parse_xmp(fresh).headline == "a@b.c"
    cleared = xmp.merge_xmp(fresh, WithHeadline(), ["headline"])
    assert xmp.parse_xmp(cleared).headline is None
    assert b"CreatorContactInfo" not in cleared
    kept = xmp.merge_xmp(packet, WithHeadline(), ["headline"])
    assert b"CiEmailWork" not in kept and b"CiAdrCity" in kept
