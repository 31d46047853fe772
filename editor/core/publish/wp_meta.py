"""What WordPress reads from an uploaded image: ``wp_read_image_metadata`` re-implemented (Qt-free).

WordPress never reads XMP. Its rules, from wp-admin/includes/image.php of WordPress 6.1.9 (the
Debian package in /usr/share/wordpress), in order:

- IIM (JPEG only: PHP's getimagesize hands over the APP13 segment, iptcparse splits it):
  title = 2:105 Headline, else 2:05 ObjectName; caption = 2:120, which is also the title when
  there is none yet and it is under 80 bytes; credit = 2:110 Credit, else 2:80 By-line;
  created_timestamp = strtotime(2:55 + " " + 2:60) when both are present; copyright = 2:116;
  keywords = every 2:25. Only the first dataset of each number counts, except keywords.
- EXIF (JPEG and TIFF: exif_read_data), only where IIM left a key empty: ImageDescription is
  the title when under 80 bytes, and the caption (after UserComment); without ImageDescription
  XPComment ("Comments") is the caption; credit = Artist, else XPAuthor ("Author"); copyright =
  Copyright; created_timestamp = DateTimeDigitized (not DateTimeOriginal), read as UTC.
- PHP's ``empty()``: "" and "0" count as absent; values are trimmed (" \\t\\n\\r\\0\\x0B");
  text that is not UTF-8 is taken as Latin-1 (WordPress's seems_utf8/utf8_encode); PHP decodes
  XP* tags from UCS-2 into ISO-8859-15 (exif.encode_unicode), so characters outside it read "?".

Not modelled: WordPress finally passes every value through ``wp_kses_post`` (HTML filtering,
``&`` becomes ``&amp;``), and the camera/exposure keys. ``read_wp_meta`` never raises on a
damaged file: what cannot be parsed reads as absent, as PHP's silenced errors do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import piexif

from editor.core import formats
from editor.core.codecs import iptc
from editor.core.errors import PhotoCaptionError

__all__ = ["WpImageMeta", "read_wp_meta", "wp_meta_from_bytes"]

_PHP_TRIM = " \t\n\r\0\x0b"
_SHORT_TITLE = 80  # bytes: a shorter caption or ImageDescription doubles as the title


@dataclass(frozen=True)
class WpImageMeta:
    """The keys of ``media_details.image_meta`` that come from a file's text metadata."""

    title: str = ""
    caption: str = ""
    credit: str = ""
    copyright: str = ""
    keywords: tuple[str, ...] = ()
    created_timestamp: int | None = None  # seconds since 1970 (UTC); None where WP has 0


def _empty(value: str | bytes | None) -> bool:
    """PHP's ``empty()`` for a string."""
    return value is None or value in ("", "0", b"", b"0")


def _text(raw: bytes) -> str:
    """Bytes as WordPress ends up with them: UTF-8 when they are, else Latin-1 (utf8_encode)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _trim(text: str) -> str:
    return text.strip(_PHP_TRIM)


def _iim_timestamp(date: str, time: str) -> int | None:
    """strtotime("CCYYMMDD HHMMSS±HHMM") with PHP's default zone UTC; None when it fails."""
    date, time = date.strip(), time.strip()
    try:
        day = datetime.strptime(date[:8], "%Y%m%d")
        clock = datetime.strptime(time[:6], "%H%M%S")
    except ValueError:
        return None
    zone = UTC
    rest = time[6:]
    if len(rest) == 5 and rest[0] in "+-" and rest[1:].isdigit():
        offset = timedelta(hours=int(rest[1:3]), minutes=int(rest[3:5]))
        zone = timezone(-offset if rest[0] == "-" else offset)
    elif rest or len(date) != 8:
        return None
    moment = day.replace(hour=clock.hour, minute=clock.minute, second=clock.second, tzinfo=zone)
    return int(moment.timestamp())


def _exif_timestamp(value: str) -> int | None:
    """wp_exif_date2ts("YYYY:MM:DD HH:MM:SS"): the time read as UTC."""
    try:
        moment = datetime.strptime(value.strip()[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return int(moment.replace(tzinfo=UTC).timestamp())


def _ascii_tag(ifd: dict[int, object], tag: int) -> str | None:
    """An EXIF ASCII tag as PHP returns it (up to the first NUL), or None when absent."""
    value = ifd.get(tag)
    if not isinstance(value, bytes):
        return None
    return _text(value.split(b"\x00", 1)[0])


def _xp_tag(ifd: dict[int, object], tag: int) -> str | None:
    """An XP* tag as PHP decodes it: UCS-2LE into ISO-8859-15 ("?" for the rest), then
    WordPress's utf8_encode of those bytes."""
    value = ifd.get(tag)
    if isinstance(value, tuple):
        value = bytes(value)
    if not isinstance(value, bytes):
        return None
    text = value.decode("utf-16-le", "replace").split("\x00", 1)[0]
    return _text(text.encode("iso-8859-15", "replace"))


def _user_comment(ifd: dict[int, object]) -> str | None:
    value = ifd.get(piexif.ExifIFD.UserComment)
    if not isinstance(value, bytes) or len(value) < 8:
        return None
    code, body = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        return _text(body.decode("utf-16-be", "replace").encode("iso-8859-15", "replace"))
    return _text(body.split(b"\x00", 1)[0])


def _iim(app13: bytes | None) -> dict[int, list[bytes]]:
    found: dict[int, list[bytes]] = {}
    try:
        entries = iptc.datasets(app13)
    except PhotoCaptionError:
        return {}
    for record, number, value in entries:
        if record == 2:
            found.setdefault(number, []).append(value)
    return found


def _exif(block: bytes | None) -> tuple[dict[int, object], dict[int, object]]:
    if not block:
        return {}, {}
    try:
        loaded = piexif.load(block)
    except Exception:
        return {}, {}
    return loaded.get("0th") or {}, loaded.get("Exif") or {}


def wp_meta_from_bytes(data: bytes) -> WpImageMeta:
    """What WordPress 6.1's ``wp_read_image_metadata`` reads from the image file ``data``."""
    spec = formats.spec_for(data[:16])
    if spec is None or spec.name not in ("JPEG", "TIFF"):
        return WpImageMeta()
    try:
        blocks = spec.extract(data)
    except PhotoCaptionError:
        return WpImageMeta()
    meta: dict[str, object] = {
        "title": "", "caption": "", "credit": "", "copyright": "", "keywords": (),
        "created_timestamp": None,
    }  # fmt: skip

    iim = _iim(blocks.app13) if spec.name == "JPEG" else {}

    def first(number: int) -> bytes | None:
        values = iim.get(number)
        return values[0] if values else None

    if not _empty(first(105)):
        meta["title"] = _trim(_text(first(105) or b""))
    elif not _empty(first(5)):
        meta["title"] = _trim(_text(first(5) or b""))
    if not _empty(first(120)):
        caption = _trim(_text(first(120) or b""))
        if not meta["title"] and len(caption.encode("utf-8")) < _SHORT_TITLE:
            meta["title"] = caption
        meta["caption"] = caption
    for number in (110, 80):
        if not _empty(first(number)):
            meta["credit"] = _trim(_text(first(number) or b""))
            break
    if not _empty(first(55)) and not _empty(first(60)):
        meta["created_timestamp"] = _iim_timestamp(
            (first(55) or b"").decode("latin-1"), (first(60) or b"").decode("latin-1")
        )
    if not _empty(first(116)):
        meta["copyright"] = _trim(_text(first(116) or b""))
    if not _empty(first(25)):
        meta["keywords"] = tuple(_text(v) for v in iim[25])

    ifd0, exif_ifd = _exif(blocks.exif)
    description = _ascii_tag(ifd0, piexif.ImageIFD.ImageDescription)
    if not _empty(description):
        assert description is not None
        if not meta["title"] and len(description.encode("utf-8")) < _SHORT_TITLE:
            meta["title"] = _trim(description)
        comment = _user_comment(exif_ifd)
        if not meta["caption"] and not _empty(comment):
            meta["caption"] = _trim(comment or "")
        if not meta["caption"]:
            meta["caption"] = _trim(description)
    elif not meta["caption"]:
        comments = _xp_tag(ifd0, piexif.ImageIFD.XPComment)
        if not _empty(comments):
            meta["caption"] = _trim(comments or "")
    if not meta["credit"]:
        for value in (
            _ascii_tag(ifd0, piexif.ImageIFD.Artist),
            _xp_tag(ifd0, piexif.ImageIFD.XPAuthor),
        ):
            if not _empty(value):
                meta["credit"] = _trim(value or "")
                break
    copyright_tag = _ascii_tag(ifd0, piexif.ImageIFD.Copyright)
    if not meta["copyright"] and not _empty(copyright_tag):
        meta["copyright"] = _trim(copyright_tag or "")
    digitized = _ascii_tag(exif_ifd, piexif.ExifIFD.DateTimeDigitized)
    if not meta["created_timestamp"] and not _empty(digitized):
        meta["created_timestamp"] = _exif_timestamp(digitized or "")
    return WpImageMeta(**meta)  # type: ignore[arg-type]


def read_wp_meta(path: str | os.PathLike[str]) -> WpImageMeta:
    """``wp_meta_from_bytes`` of the file at ``path`` (an unreadable file reads as nothing)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return WpImageMeta()
    return wp_meta_from_bytes(data)
