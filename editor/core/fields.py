"""The field table: every editable field, its kind, and where it lives in EXIF, XMP and IPTC-IIM.

Readers, writers, the CLI flags and the GUI's editors are all driven from this one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class FieldKind(Enum):
    TEXT = "text"  # one line
    MULTILINE = "multiline"  # free text, may hold newlines
    LIST = "list"  # tuple[str, ...]
    DATETIME = "datetime"  # datetime, naive or with a UTC offset
    GPS = "gps"  # GPS | None
    RATING = "rating"  # int 0..5 | None


@dataclass(frozen=True)
class FieldSpec:
    name: str  # attribute of PhotoMetadata
    label: str  # for people
    kind: FieldKind
    exif: tuple[str, ...] = ()  # "IFD0:ImageDescription", "Exif:DateTimeOriginal", "GPS:*"
    xmp: tuple[str, ...] = ()  # "dc:description", ...
    iptc: tuple[str, ...] = ()  # IIM dataset names, "2:120 Caption-Abstract", ...
    help: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        "Title",
        FieldKind.TEXT,
        exif=("IFD0:XPTitle",),
        xmp=("dc:title",),
        iptc=("2:05 ObjectName",),
        help="A short headline for the photo.",
    ),
    FieldSpec(
        "caption",
        "Caption",
        FieldKind.MULTILINE,
        exif=("IFD0:ImageDescription", "IFD0:XPComment"),
        xmp=("dc:description",),
        iptc=("2:120 Caption-Abstract",),
        help="Who, what, where, when: the text printed under the photo.",
    ),
    FieldSpec(
        "alt_text",
        "Alt text",
        FieldKind.MULTILINE,
        xmp=("Iptc4xmpCore:AltTextAccessibility",),
        help="What the photo shows, for people who cannot see it (about 150 characters).",
    ),
    FieldSpec(
        "extended_description",
        "Extended description",
        FieldKind.MULTILINE,
        xmp=("Iptc4xmpCore:ExtDescrAccessibility",),
        help="A longer description for accessibility, when alt text is not enough.",
    ),
    FieldSpec(
        "keywords",
        "Keywords",
        FieldKind.LIST,
        exif=("IFD0:XPKeywords",),
        xmp=("dc:subject",),
        iptc=("2:25 Keywords",),
    ),
    FieldSpec(
        "creator",
        "Creator",
        FieldKind.LIST,
        exif=("IFD0:Artist", "IFD0:XPAuthor"),
        xmp=("dc:creator",),
        iptc=("2:80 By-line",),
        help="The photographer.",
    ),
    FieldSpec(
        "credit",
        "Credit line",
        FieldKind.TEXT,
        xmp=("photoshop:Credit",),
        iptc=("2:110 Credit",),
        help='How the photo must be credited, e.g. "Jane Doe / Agency".',
    ),
    FieldSpec(
        "copyright",
        "Copyright",
        FieldKind.TEXT,
        exif=("IFD0:Copyright",),
        xmp=("dc:rights",),
        iptc=("2:116 CopyrightNotice",),
    ),
    FieldSpec(
        "usage_terms",
        "Usage terms",
        FieldKind.MULTILINE,
        xmp=("xmpRights:UsageTerms",),
    ),
    FieldSpec(
        "date_taken",
        "Date taken",
        FieldKind.DATETIME,
        exif=("Exif:DateTimeOriginal", "Exif:OffsetTimeOriginal"),
        xmp=("photoshop:DateCreated",),
        iptc=("2:55 DateCreated", "2:60 TimeCreated"),
    ),
    FieldSpec(
        "gps",
        "GPS position",
        FieldKind.GPS,
        exif=("GPS:*",),
        xmp=("exif:GPSLatitude", "exif:GPSLongitude", "exif:GPSAltitude"),
    ),
    FieldSpec(
        "rating",
        "Rating",
        FieldKind.RATING,
        exif=("IFD0:Rating",),
        xmp=("xmp:Rating",),
    ),
)

FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
TEXT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in FIELDS if f.kind in (FieldKind.TEXT, FieldKind.MULTILINE)
)
LIST_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind is FieldKind.LIST)
