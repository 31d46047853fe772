"""Typed positions: decimal degrees and degrees-minutes-seconds as cameras and maps print them."""

from __future__ import annotations

import pytest

from editor.core.coordinates import parse_angle, split_position

EIFFEL = (48.858333, 2.294444)


@pytest.mark.parametrize(
    "text",
    [
        "48°51'30\"N 2°17'40\"E",
        "48°51′30″N 2°17′40″E",
        "48° 51' 30\" N, 2° 17' 40\" E",
        "N 48°51'30\" E 2°17'40\"",
        "48 51 30 N, 2 17 40 E",
        "48.858333 N 2.294444 E",
        "48.858333, 2.294444",
        "48.858333 2.294444",
    ],
)
def test_positions_as_printed(text: str) -> None:
    parts = split_position(text)
    assert len(parts) == 2
    lat, lon = parse_angle(parts[0], "N", "S"), parse_angle(parts[1], "E", "W")
    assert lat == pytest.approx(EIFFEL[0], abs=1e-6)
    assert lon == pytest.approx(EIFFEL[1], abs=1e-6)


def test_hemispheres_minutes_and_refusals() -> None:
    assert parse_angle("33°52.5'S", "N", "S") == pytest.approx(-33.875)
    assert parse_angle("W 122° 25'", "E", "W") == pytest.approx(-122.416667, abs=1e-6)
    assert parse_angle("-33.9", "N", "S") == -33.9
    assert parse_angle("48°61'N", "N", "S") is None  # 61 minutes
    assert parse_angle("48°51'30\"E", "N", "S") is None  # a latitude cannot say E
    assert parse_angle("-48 S", "N", "S") is None  # sign and hemisphere both
    assert parse_angle("1e300", "N", "S") is None and parse_angle("inf", "N", "S") is None
    assert split_position("48.8584 N 2.2945 E, 35 m") == ["48.8584 N", "2.2945 E", "35 m"]
