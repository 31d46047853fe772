"""reconcile.py: MWG precedence, disagreement warnings, IIM truncation, time-zone merge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from editor.core.codecs.reconcile import reconcile, same_value
from editor.core.model import GPS

KST = timezone(timedelta(hours=9))


def test_xmp_preferred_and_disagreement_named() -> None:
    md, warnings = reconcile({"XMP": {"caption": "from xmp"}, "EXIF": {"caption": "from exif"}})
    assert md.caption == "from xmp"
    assert warnings == ["Caption: XMP and EXIF disagree; showing the XMP value"]


def test_agreement_gives_no_warning() -> None:
    md, warnings = reconcile(
        {"XMP": {"caption": "same  text"}, "EXIF": {"caption": "same text"}, "IPTC": {}}
    )
    assert md.caption == "same  text" and warnings == []


def test_exif_then_iptc_when_xmp_missing() -> None:
    md, _ = reconcile({"EXIF": {"title": ""}, "IPTC": {"title": "iim"}})
    assert md.title == "iim"


def test_iim_truncation_tolerated() -> None:
    long = "x" * 300
    md, warnings = reconcile({"XMP": {"caption": long}, "IPTC": {"caption": long[:200]}})
    assert md.caption == long and warnings == []
    _, warnings = reconcile({"XMP": {"caption": long}, "IPTC": {"caption": "other"}})
    assert warnings and "IPTC" in warnings[0]


def test_date_zone_merge() -> None:
    naive = datetime(2024, 5, 1, 10, 20, 30)
    zoned = naive.replace(tzinfo=KST)
    md, warnings = reconcile({"XMP": {"date_taken": naive}, "EXIF": {"date_taken": zoned}})
    assert md.date_taken == zoned and md.date_taken.tzinfo is not None and warnings == []
    other = naive.replace(tzinfo=UTC)
    _, warnings = reconcile({"XMP": {"date_taken": zoned}, "EXIF": {"date_taken": other}})
    assert warnings


def test_same_value_gps_and_lists() -> None:
    assert same_value("gps", GPS(1.0, 2.0, 3.0), GPS(1.0000001, 2.0, 3.001))
    assert not same_value("gps", GPS(1.0, 2.0), GPS(1.001, 2.0))
    assert same_value("keywords", ("a  b",), ("a b",))
    assert not same_value("keywords", ("a",), ("a", "b"))
