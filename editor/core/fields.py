"""The field table: every editable field, its kind, and every place it lives in EXIF, XMP and IIM.

The EXIF and XMP codecs (``codecs/exif.py``, ``codecs/xmp.py``) and the IIM codec read their
mappings from this table and declare none of their own; the CLI flags and the GUI's editors are
driven from it too. Each location has a ``Role``: stores are read (in the order listed, first
non-empty wins) and written; the other roles are copies of the same fact kept in step on write
and never read (see ``Role``). Adding a flat text field is one row here plus one attribute of
``model.PhotoMetadata``.
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


class Role(Enum):
    """What a location is for. Only ``STORE`` and ``PRESENT`` are sources of a value."""

    STORE = "store"  # read in precedence order; written (added when absent)
    PRESENT = "present"  # read; updated or removed where the file has it, never added
    MIRROR = "mirror"  # never read; updated or removed in step where the file has it
    FOLLOW = "follow"  # never read; moved with the value only where it held the old value
    PRUNE = "prune"  # a hierarchy of a list (A|B|leaf): items whose leaf left the list go

    @property
    def read(self) -> bool:
        return self in (Role.STORE, Role.PRESENT)


class ExifEncoding(Enum):
    ASCII = "ascii"  # TIFF ASCII, written as UTF-8 (MWG); lists joined with ``ExifTag.sep``
    XP = "xp"  # Windows XP* tags: UTF-16LE in a BYTE array; lists joined with ``sep``
    DATETIME = "datetime"  # "YYYY:MM:DD HH:MM:SS" plus its OffsetTime*/SubSecTime* companions
    SHORT = "short"  # one unsigned 16-bit number (Rating)
    GPS_IFD = "gps_ifd"  # the position tags of the GPS IFD as a whole


@dataclass(frozen=True)
class ExifTag:
    """One EXIF tag holding (a copy of) a field."""

    ifd: str  # "IFD0", "Exif" or "GPS"
    tag: int  # 0x010E
    name: str  # "ImageDescription", for messages and tests
    encoding: ExifEncoding
    role: Role = Role.STORE
    sep: str = "; "  # how list items are joined in this tag (split on ";" and "," on read)
    offset_tag: int | None = None  # DATETIME: the OffsetTime* tag that carries the UTC offset
    subsec_tag: int | None = None  # DATETIME: the SubSecTime* tag that carries the fraction
    boilerplate: bool = False  # camera filler ("SONY DSC") here reads as empty


class XmpKind(Enum):
    SIMPLE = "simple"
    LANG_ALT = "lang_alt"  # rdf:Alt of xml:lang items; x-default is the value
    BAG = "bag"
    SEQ = "seq"
    STRUCT_MEMBER = "struct_member"  # a simple value inside a struct (``XmpProp.path``)


@dataclass(frozen=True)
class XmpProp:
    """One XMP property holding (a copy of) a field."""

    ns_uri: str
    prefix: str  # preferred prefix when the namespace must be declared
    local_name: str
    kind: XmpKind
    role: Role = Role.STORE
    # STRUCT_MEMBER: the enclosing struct properties as (namespace URI, local name), outermost
    # first: ((NS_IPTC_CORE, "CreatorContactInfo"),) for Iptc4xmpCore:CiEmailWork.
    path: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.ns_uri, self.local_name)


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
    exif: tuple[ExifTag, ...] = ()  # in precedence order for reading
    xmp: tuple[XmpProp, ...] = ()  # in precedence order for reading
    iim: tuple[IimDataset, ...] = ()  # record-2 datasets, in the order they are written
    help: str = ""


NS_DC = "http://purl.org/dc/elements/1.1/"
NS_IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
NS_PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
NS_XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
NS_XMP = "http://ns.adobe.com/xap/1.0/"
NS_EXIF = "http://ns.adobe.com/exif/1.0/"
NS_TIFF = "http://ns.adobe.com/tiff/1.0/"
NS_LR = "http://ns.adobe.com/lightroom/1.0/"
NS_MEDIAPRO = "http://ns.iview-multimedia.com/mediapro/1.0/"

_A, _XP, _DT = ExifEncoding.ASCII, ExifEncoding.XP, ExifEncoding.DATETIME
_S, _LA, _BAG, _SEQ = XmpKind.SIMPLE, XmpKind.LANG_ALT, XmpKind.BAG, XmpKind.SEQ


def _dc(local: str, kind: XmpKind, role: Role = Role.STORE) -> XmpProp:
    return XmpProp(NS_DC, "dc", local, kind, role)


def _tiff(local: str, kind: XmpKind) -> XmpProp:
    return XmpProp(NS_TIFF, "tiff", local, kind, Role.MIRROR)


def _exif_ns(local: str, role: Role = Role.STORE) -> XmpProp:
    return XmpProp(NS_EXIF, "exif", local, _S, role)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        "Title",
        FieldKind.TEXT,
        exif=(ExifTag("IFD0", 0x9C9B, "XPTitle", _XP),),
        xmp=(_dc("title", _LA),),
        iim=(IimDataset(5, "ObjectName", 64),),
        help="A short title for the photo (not the IPTC headline).",
    ),
    FieldSpec(
        "caption",
        "Caption",
        FieldKind.MULTILINE,
        exif=(
            ExifTag("IFD0", 0x010E, "ImageDescription", _A, boilerplate=True),
            ExifTag("IFD0", 0x9C9C, "XPComment", _XP),
        ),
        xmp=(_dc("description", _LA), _tiff("ImageDescription", _LA)),
        iim=(IimDataset(120, "Caption-Abstract", 2000),),
        help="Who, what, where, when: the text printed under the photo.",
    ),
    FieldSpec(
        "alt_text",
        "Alt text",
        FieldKind.MULTILINE,
        xmp=(XmpProp(NS_IPTC_CORE, "Iptc4xmpCore", "AltTextAccessibility", _LA),),
        help="What the photo shows, for people who cannot see it (about 150 characters).",
    ),
    FieldSpec(
        "extended_description",
        "Extended description",
        FieldKind.MULTILINE,
        xmp=(XmpProp(NS_IPTC_CORE, "Iptc4xmpCore", "ExtDescrAccessibility", _LA),),
        help="A longer description for accessibility, when alt text is not enough.",
    ),
    FieldSpec(
        "keywords",
        "Keywords",
        FieldKind.LIST,
        exif=(ExifTag("IFD0", 0x9C9E, "XPKeywords", _XP, sep=";"),),
        xmp=(
            _dc("subject", _BAG),
            XmpProp(NS_LR, "lr", "hierarchicalSubject", _BAG, Role.PRUNE),
            XmpProp(NS_MEDIAPRO, "mediapro", "CatalogSets", _BAG, Role.PRUNE),
        ),
        iim=(IimDataset(25, "Keywords", 64, repeatable=True),),
        help="Words people search for. Separate them with semicolons; known keywords complete.",
    ),
    FieldSpec(
        "creator",
        "Creator",
        FieldKind.LIST,
        exif=(ExifTag("IFD0", 0x013B, "Artist", _A), ExifTag("IFD0", 0x9C9D, "XPAuthor", _XP)),
        xmp=(_dc("creator", _SEQ), _tiff("Artist", _S)),
        iim=(IimDataset(80, "By-line", 32, repeatable=True),),
        help="The photographer.",
    ),
    FieldSpec(
        "credit",
        "Credit line",
        FieldKind.TEXT,
        xmp=(XmpProp(NS_PHOTOSHOP, "photoshop", "Credit", _S),),
        iim=(IimDataset(110, "Credit", 32),),
        help='How the photo must be credited, e.g. "Jane Doe / Agency".',
    ),
    FieldSpec(
        "copyright",
        "Copyright",
        FieldKind.TEXT,
        exif=(ExifTag("IFD0", 0x8298, "Copyright", _A),),
        xmp=(_dc("rights", _LA), _tiff("Copyright", _LA)),
        iim=(IimDataset(116, "CopyrightNotice", 128),),
        help='The copyright notice, e.g. "© 2024 Jane Doe".',
    ),
    FieldSpec(
        "usage_terms",
        "Usage terms",
        FieldKind.MULTILINE,
        xmp=(XmpProp(NS_XMP_RIGHTS, "xmpRights", "UsageTerms", _LA),),
        help='How others may use the photo, e.g. "Editorial use only".',
    ),
    FieldSpec(
        "date_taken",
        "Date taken",
        FieldKind.DATETIME,
        exif=(
            ExifTag("Exif", 0x9003, "DateTimeOriginal", _DT, offset_tag=0x9011, subsec_tag=0x9291),
            ExifTag(
                "Exif",
                0x9004,
                "DateTimeDigitized",
                _DT,
                Role.FOLLOW,
                offset_tag=0x9012,
                subsec_tag=0x9292,
            ),
        ),
        xmp=(
            XmpProp(NS_PHOTOSHOP, "photoshop", "DateCreated", _S),
            _exif_ns("DateTimeOriginal", Role.MIRROR),
            XmpProp(NS_XMP, "xmp", "CreateDate", _S, Role.FOLLOW),
            _exif_ns("DateTimeDigitized", Role.FOLLOW),
        ),
        iim=(IimDataset(55, "DateCreated", None), IimDataset(60, "TimeCreated", None)),
        help="When the photo was taken, with the camera's UTC offset if known.",
    ),
    FieldSpec(
        "gps",
        "GPS position",
        FieldKind.GPS,
        exif=(ExifTag("GPS", 0, "GPS*", ExifEncoding.GPS_IFD),),
        # The GPS value codec reads and writes these components by local name.
        xmp=tuple(
            _exif_ns(local)
            for local in (
                "GPSLatitude",
                "GPSLongitude",
                "GPSAltitude",
                "GPSAltitudeRef",
                "GPSVersionID",
            )
        ),
        help=(
            "Where the photo was taken: latitude, longitude in decimal degrees"
            " (altitude optional)."
        ),
    ),
    FieldSpec(
        "rating",
        "Rating",
        FieldKind.RATING,
        # Microsoft's, not standard EXIF: kept in step where a file has it, else XMP only.
        exif=(ExifTag("IFD0", 0x4746, "Rating", ExifEncoding.SHORT, Role.PRESENT),),
        xmp=(XmpProp(NS_XMP, "xmp", "Rating", _S),),
        help="0 to 5 stars. Type 0-5 while the stars have focus; Delete removes the rating.",
    ),
)
FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
TEXT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in FIELDS if f.kind in (FieldKind.TEXT, FieldKind.MULTILINE)
)
LIST_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind is FieldKind.LIST)
