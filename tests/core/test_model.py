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
