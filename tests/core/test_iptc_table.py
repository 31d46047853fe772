"""The IIM codec takes its mapping from the field table, and states one length rule."""

from __future__ import annotations

import dataclasses
import inspect
import subprocess
from pathlib import Path

import pytest

from editor.core import fields
from editor.core.codecs import iptc
from editor.core.codecs.iptc import (
    build_app13,
    iim_bytes,
    iim_limit,
    iim_overflow,
    iim_overflows,
    parse_app13,
)
from editor.core.fields import IimDataset
from editor.core.metadata import read_photo, write_photo
from editor.core.model import GPS, PhotoMetadata
from tests.core.conftest import EXIFTOOL, camera_jpeg, exiftool_json, needs_exiftool
from tests.core.test_iptc import app13, datasets_of, ds, iim_of, resource


def patch_table(monkeypatch: pytest.MonkeyPatch, **rows: tuple[IimDataset, ...]) -> None:
    """Give the named rows these IIM datasets, as a change to fields.py would."""
    new = tuple(
        dataclasses.replace(f, iim=rows[f.name]) if f.name in rows else f for f in fields.FIELDS
    )
    monkeypatch.setattr(fields, "FIELDS", new)
    monkeypatch.setattr(fields, "FIELD_BY_NAME", {f.name: f for f in new})


def test_codec_declares_no_field_datasets() -> None:
    source = inspect.getsource(iptc)
    for spec in fields.FIELDS:
        for entry in spec.iim:
            assert f'"{entry.name}"' not in source  # the names (and numbers) live in fields.py
    assert all(spec.kind in iptc._IIM_KINDS for spec in fields.FIELDS if spec.iim)


def test_moving_a_dataset_in_the_table_moves_it_in_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patch_table(monkeypatch, caption=(IimDataset(40, "SpecialInstructions", 256),))
    payload, _ = build_app13(None, PhotoMetadata(caption="moved"), ["caption"])
    sets = datasets_of(iim_of(payload))
    assert (2, 40, b"moved") in sets and not [s for s in sets if s[:2] == (2, 120)]
    other = app13(resource(0x0404, ds(2, 120, b"old place")))
    assert parse_app13(other).caption is None
    assert parse_app13(payload).caption == "moved"


def test_a_field_gaining_datasets_needs_no_codec_change(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_table(
        monkeypatch,
        usage_terms=(IimDataset(7, "EditStatus", 256),),
        title=(IimDataset(5, "ObjectName", 64), IimDataset(12, "SubjectReference", 256)),
    )
    md = PhotoMetadata(usage_terms="u" * 300, title="T" * 100)
    payload, warnings = build_app13(None, md, ["usage_terms", "title"])
    sets = datasets_of(iim_of(payload))
    assert (2, 7, b"u" * 256) in sets
    assert (2, 5, b"T" * 64) in sets and (2, 12, b"T" * 100) in sets
    assert parse_app13(payload).found == {"title": "T" * 64, "usage_terms": "u" * 256}
    assert iim_limit("usage_terms") == 256 and iim_limit("title") == 64
    assert len(warnings) == 2 and warnings == tuple(iim_overflows(md))
    # the title's first dataset in table order wins when reading
    only_headline = app13(resource(0x0404, ds(2, 12, b"Head")))
    assert parse_app13(only_headline).title == "Head"


def test_values_by_field_name() -> None:
    assert parse_app13(app13(resource(0x0404, ds(2, 0, b"\x00\x04")))).found is None
    city_only = parse_app13(app13(resource(0x0404, ds(2, 65, b"Seoul"))))
    assert city_only.found == {} and city_only.caption is None and city_only.alt_text is None
    with pytest.raises(AttributeError):
        _ = city_only.not_a_field


# --------------------------------------------------------------------------- lengths


def test_limits_and_overflow_messages() -> None:
    assert iim_limit("title") == 64 and iim_limit("caption") == 2000
    assert iim_limit("alt_text") is None and iim_limit("date_taken") is None
    assert iim_bytes("가" * 21) == 63 and iim_bytes("a\x00b") == 2  # counted once cleaned
    assert iim_overflow("title", "가" * 21) == []  # 63 bytes
    (message,) = iim_overflow("title", "가" * 30)
    assert "ObjectName" in message and "90 bytes" in message and "first 63" in message
    assert len(iim_overflow("keywords", ("k" * 65, "ok", "é" * 33))) == 2
    assert iim_overflow("creator", ()) == [] and iim_overflow("alt_text", "x" * 9000) == []
    assert iim_overflow("rating", 5) == [] and iim_overflow("gps", GPS(1.0, 2.0)) == []


def test_save_cuts_with_the_same_rule() -> None:
    md = PhotoMetadata(
        title="가" * 30, caption="x" * 2001, keywords=("k" * 65,), creator=("é" * 20,)
    )
    _, warnings = build_app13(None, md, ["title", "caption", "keywords", "creator"])
    assert list(warnings) == iim_overflows(md) and len(warnings) == 4


LONG = PhotoMetadata(
    title="Title " + "가" * 40,
    caption="Caption " + "é" * 1200,
    keywords=("k" * 80, "short"),
    creator=("Jane Doe-" + "x" * 40,),
    credit="Credit " + "c" * 40,
    copyright="© " + "r" * 200,
)


@needs_exiftool
def test_over_long_values_saved_cut_in_iim_whole_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "long.jpg"
    path.write_bytes(camera_jpeg())
    record = write_photo(path, LONG)
    assert sum("IPTC keeps the first" in w for w in record.warnings) == 6
    assert EXIFTOOL is not None
    validate = subprocess.run(
        [EXIFTOOL, "-validate", "-warning", "-a", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "Validate" in validate and "too long" not in validate, validate
    got = exiftool_json(path, "-a", "-G1", "-XMP:all", "-IPTC:all", "-IFD0:all")
    assert got["XMP-dc:Title"] == LONG.title and got["XMP-dc:Description"] == LONG.caption
    assert got["IFD0:ImageDescription"] == LONG.caption and got["IFD0:XPTitle"] == LONG.title
    assert got["XMP-photoshop:Credit"] == LONG.credit and got["IFD0:Copyright"] == LONG.copyright
    assert got["XMP-dc:Subject"] == list(LONG.keywords)
    assert got["IFD0:Artist"] == LONG.creator[0]
    assert got["IPTC:ObjectName"] == "Title " + "가" * 19  # 63 bytes of 64
    assert len(got["IPTC:Caption-Abstract"].encode()) == 2000
    assert got["IPTC:Keywords"] == ["k" * 64, "short"]
    assert got["IPTC:By-line"] == ("Jane Doe-" + "x" * 40)[:32]
    # show's warnings say the same, and the file reads back whole (XMP wins over the cut IIM)
    again = read_photo(path)
    assert again.metadata == LONG.replace(
        date_taken=again.metadata.date_taken, gps=again.metadata.gps
    )
    assert sum("IPTC keeps the first" in w for w in again.warnings) == 6
    assert not [w for w in again.warnings if "disagree" in w]
