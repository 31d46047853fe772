"""CameraFacts formats the camera once: its parts, and the summary built from them."""

from __future__ import annotations

import pytest

from editor.core.model import CameraFacts

FULL = CameraFacts(make="Canon", model="Canon EOS R5", lens="RF24-70mm F2.8 L",
                   exposure_time="1/250", f_number=8.0, iso=100, focal_length=50.0)


def test_parts_of_a_full_record() -> None:
    assert FULL.body() == "Canon EOS R5"  # the make is not said twice
    assert FULL.exposure() == "1/250 s f/8"
    assert FULL.iso_speed() == "100"
    assert FULL.focal() == "50 mm"
    assert FULL.summary() == "Canon EOS R5 · RF24-70mm F2.8 L · 1/250 s f/8 ISO 100 50 mm"


@pytest.mark.parametrize(
    ("facts", "body", "exposure", "summary"),
    [
        (CameraFacts(), "", "", ""),
        (CameraFacts(make="NIKON CORPORATION", model="NIKON D850"), "NIKON D850", "", "NIKON D850"),
        (CameraFacts(make="SONY", model="ILCE-7M3", f_number=2.8), "SONY ILCE-7M3", "f/2.8",
         "SONY ILCE-7M3 · f/2.8"),
        (CameraFacts(model="X100V", exposure_time="2", focal_length=23.5), "X100V", "2 s",
         "X100V · 2 s 23.5 mm"),
        (CameraFacts(make="Apple", iso=640), "Apple", "", "Apple · ISO 640"),
    ],
)
def test_missing_parts_leave_no_gaps(
    facts: CameraFacts, body: str, exposure: str, summary: str
) -> None:
    assert facts.body() == body
    assert facts.exposure() == exposure
    assert facts.summary() == summary


def test_human_size_uses_decimal_units() -> None:
    from editor.core.model import human_size

    assert human_size(812) == "812 bytes"
    assert human_size(4_200_000) == "4.2 MB"
    assert human_size(75_800) == "75.8 KB"
    assert human_size(3_000_000_000_000) == "3000.0 GB"
