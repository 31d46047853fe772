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
class IimDataset:
    """One IPTC-IIM record-2 dataset that holds (part of) a field."""

    number: int  # record 2 dataset number: 120 for Caption-Abstract
    name: str  # the IIM name, for messages: "Caption-Abstract"
    max_bytes: int | None  # the IIM standard's byte limit; None for fixed-form values
    repeatable: bool = False  # Keywords, By-line: one dataset per list item


@dataclass(frozen=True)
class FieldSpec:
    name: str  # attribute of PhotoMetadata
    label: str  # for people
    kind: FieldKind
    exif: tuple[str, ...] = ()  # "IFD0:ImageDescription", "Exif:DateTimeOriginal", "GPS:*"
    xmp: tuple[str, ...] = ()  # "dc:description", ...
    iim: tuple[IimDataset, ...] = ()  # record-2 datasets, in the order they are written
    help: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        "Title",
        FieldKind.TEXT,
        exif=("IFD0:XPTitle",),
        xmp=("dc:title",),
        iim=(IimDataset(5, "ObjectName", 64),),
        help="A short headline for the photo.",
    ),
    FieldSpec(
        "caption",
        "Caption",
        FieldKind.MULTILINE,
        exif=("IFD0:ImageDescription", "IFD0:XPComment"),
        xmp=("dc:description",),
        iim=(IimDataset(120, "Caption-Abstract", 2000),),
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
        iim=(IimDataset(25, "Keywords", 64, repeatable=True),),
    ),
    FieldSpec(
        "creator",
        "Creator",
        FieldKind.LIST,
        exif=("IFD0:Artist", "IFD0:XPAuthor"),
        xmp=("dc:creator",),
        iim=(IimDataset(80, "By-line", 32, repeatable=True),),
        help="The photographer.",
    ),
    FieldSpec(
        "credit",
        "Credit line",
        FieldKind.TEXT,
        xmp=("photoshop:Credit",),
        iim=(IimDataset(110, "Credit", 32),),
        help='How the photo must be credited, e.g. "Jane Doe / Agency".',
    ),
    FieldSpec(
        "copyright",
        "Copyright",
        FieldKind.TEXT,
        exif=("IFD0:Copyright",),
        xmp=("dc:rights",),
        iim=(IimDataset(116, "CopyrightNotice", 128),),
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
        iim=(IimDataset(55, "DateCreated", None), IimDataset(60, "TimeCreated", None)),
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
