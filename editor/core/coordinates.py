"""Positions typed or pasted by people: decimal degrees and degrees-minutes-seconds.

Accepts what cameras, maps and websites print: ``48.8584, 2.2945``, ``48.8584 N 2.2945 E``,
``48°51'30"N 2°17'40"E``, ``N 48° 51.5' E 2° 17.67'``, ``48 51 30 N, 2 17 40 E``, with typographic
primes (′ ″ ’ ”) too, and an optional altitude after a comma or semicolon.
"""

from __future__ import annotations

import math
import re

_NUMBER = r"\d+(?:\.\d+)?"
_ANGLE = re.compile(
    rf"""^\s*(?P<pre>[NSEW])?\s*
    (?P<sign>[-+])?\s*(?P<deg>{_NUMBER})\s*(?:°|º|˚|deg|d)?\s*
    (?:(?P<min>{_NUMBER})\s*(?:'|′|’|‘|min|m)?\s*
       (?:(?P<sec>{_NUMBER})\s*(?:"|″|”|“|''|′′|sec|s)?\s*)?)?
    (?P<post>[NSEW])?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_angle(text: str, positive: str, negative: str) -> float | None:
    """Degrees from "48.8584", "-2.29", "48.8584 N", "S 33.9", "48°51'30.2\"N"; None if not one.

    Minutes and seconds must be below 60, and a hemisphere letter must be one of ``positive``
    / ``negative`` (a latitude cannot say E)."""
    match = _ANGLE.match(text)
    if not match:
        return None
    pre, sign, deg, minutes, seconds, post = match.group("pre", "sign", "deg", "min", "sec", "post")
    if pre and post:
        return None
    letter = (pre or post or "").upper()
    if letter and letter not in (positive, negative):
        return None
    if letter and sign:
        return None
    m = float(minutes) if minutes else 0.0
    s = float(seconds) if seconds else 0.0
    if m >= 60 or s >= 60 or (minutes and "." in minutes and seconds):
        return None
    value = float(deg) + m / 60 + s / 3600
    if letter == negative or sign == "-":
        value = -value
    return value if math.isfinite(value) else None


def _split_by_hemisphere(text: str) -> list[str] | None:
    prefix = re.match(r"^([NSns][^EWew]*?)\s+([EWew].*)$", text)
    if prefix:
        return list(prefix.groups())
    suffix = re.match(r"^(.*?[NSns])\s+(.*[EWew])$", text)
    return list(suffix.groups()) if suffix else None


def split_position(text: str) -> list[str]:
    """The latitude, longitude (and altitude) parts of a typed position.

    Commas or semicolons separate parts; hemisphere letters separate latitude from longitude
    (``48°51'30"N 2°17'40"E``, ``N 48.8 E 2.3``, ``48.8 N 2.3 E, 35 m``); else whitespace
    does (``48.8584 2.2945``)."""
    text = text.strip()
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*", text) if p.strip()]
    if len(parts) <= 2 and parts:
        pair = _split_by_hemisphere(parts[0])
        if pair:
            return pair + parts[1:]
    if len(parts) == 1:
        return text.split()
    return parts
