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
from typing import NamedTuple


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
    # read when the stores are empty; moved with the value only where it held the old value
    # (Location Shown/Created: the same place when it agrees, another place when it does not)
    FALLBACK = "fallback"

    @property
    def read(self) -> bool:
        return self in (Role.STORE, Role.PRESENT, Role.FALLBACK)


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


class StructStep(NamedTuple):
    """One step of a struct member's path: a struct property, or an array of structs whose
    first item holds the member (``array`` "Bag" or "Seq", as plus:Licensor's rdf:Seq)."""

    ns_uri: str
    local_name: str
    array: str = ""


@dataclass(frozen=True)
class XmpProp:
    """One XMP property holding (a copy of) a field."""

    ns_uri: str
    prefix: str  # preferred prefix when the namespace must be declared
    local_name: str
    kind: XmpKind
    role: Role = Role.STORE
    # STRUCT_MEMBER: the enclosing struct properties, outermost first, as StructStep or plain
    # (namespace URI, local name): ((NS_IPTC_CORE, "CreatorContactInfo"),) for CiEmailWork.
    path: tuple[StructStep | tuple[str, str], ...] = ()

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
    # When the field is empty the dataset holds this other field's value instead (2:105
    # Headline holds the title, which WordPress shows); read back as empty when it equals it.
    fallback: str = ""
    # "alpha3": the value is an ISO 3166 country code, written in its three-letter form
    alpha3: bool = False


@dataclass(frozen=True)
class FieldSpec:
    name: str  # attribute of PhotoMetadata
    label: str  # for people
    kind: FieldKind
    exif: tuple[ExifTag, ...] = ()  # in precedence order for reading
    xmp: tuple[XmpProp, ...] = ()  # in precedence order for reading
    iim: tuple[IimDataset, ...] = ()  # record-2 datasets, in the order they are written
    help: str = ""
    section: str = ""  # where the panel shows it: one of SECTIONS
    group: str = ""  # members of one XMP struct shown and printed together: "creator_contact"

    @property
    def full_label(self) -> str:
        """The label where the group is not shown around it: "Contact e-mail"."""
        prefix = GROUP_LABELS.get(self.group, "")
        if not prefix or self.label.startswith(prefix):
            return self.label
        return f"{prefix} {self.label[0].lower()}{self.label[1:]}"

    @property
    def group_key(self) -> str:
        """The member's key within its group (``show --json``): "email" for creator_email."""
        return self.name.removeprefix(GROUP_PREFIXES.get(self.group, ""))


NS_DC = "http://purl.org/dc/elements/1.1/"
NS_IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
NS_PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
NS_XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
NS_XMP = "http://ns.adobe.com/xap/1.0/"
NS_EXIF = "http://ns.adobe.com/exif/1.0/"
NS_TIFF = "http://ns.adobe.com/tiff/1.0/"
NS_LR = "http://ns.adobe.com/lightroom/1.0/"
NS_MEDIAPRO = "http://ns.iview-multimedia.com/mediapro/1.0/"
NS_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
NS_PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"

# Struct groups: how their members are labelled outside the group, and the prefix of their names.
GROUP_LABELS: dict[str, str] = {"creator_contact": "Contact", "licensor": "Licensor"}
GROUP_PREFIXES: dict[str, str] = {"creator_contact": "creator_", "licensor": "licensor_"}

# The panel's sections, in order (``FieldSpec.section``); "" is the panel's head (the rating).
SECTIONS: tuple[str, ...] = (
    "Description",
    "Keywords",
    "People and event",
    "Date and location",
    "Rights and licensing",
    "Provenance",
    "Workflow",
)

_A, _XP, _DT = ExifEncoding.ASCII, ExifEncoding.XP, ExifEncoding.DATETIME
_S, _LA, _BAG, _SEQ = XmpKind.SIMPLE, XmpKind.LANG_ALT, XmpKind.BAG, XmpKind.SEQ


def _dc(local: str, kind: XmpKind, role: Role = Role.STORE) -> XmpProp:
    return XmpProp(NS_DC, "dc", local, kind, role)


def _tiff(local: str, kind: XmpKind) -> XmpProp:
    return XmpProp(NS_TIFF, "tiff", local, kind, Role.MIRROR)


def _exif_ns(local: str, role: Role = Role.STORE) -> XmpProp:
    return XmpProp(NS_EXIF, "exif", local, _S, role)


def _ps(local: str) -> XmpProp:
    return XmpProp(NS_PHOTOSHOP, "photoshop", local, _S)


def _location_members(member: str) -> tuple[XmpProp, ...]:
    """The same place inside Location Shown and Location Created (arrays of Location structs,
    their first item): read when the flat field is missing, moved with it where they agreed."""
    return tuple(
        XmpProp(
            NS_IPTC_EXT,
            "Iptc4xmpExt",
            member,
            XmpKind.STRUCT_MEMBER,
            Role.FALLBACK,
            path=(StructStep(NS_IPTC_EXT, holder, "Bag"),),
        )
        for holder in ("LocationShown", "LocationCreated")
    )


def _contact(local: str) -> tuple[XmpProp, ...]:
    return (
        XmpProp(
            NS_IPTC_CORE,
            "Iptc4xmpCore",
            local,
            XmpKind.STRUCT_MEMBER,
            path=(StructStep(NS_IPTC_CORE, "CreatorContactInfo"),),
        ),
    )


def _licensor(local: str) -> tuple[XmpProp, ...]:
    return (
        XmpProp(
            NS_PLUS,
            "plus",
            local,
            XmpKind.STRUCT_MEMBER,
            path=(StructStep(NS_PLUS, "Licensor", "Seq"),),
        ),
    )


def _iim(number: int, name: str, max_bytes: int, fallback: str = "") -> tuple[IimDataset, ...]:
    return (IimDataset(number, name, max_bytes, fallback=fallback),)


_DESC, _KW, _PEOPLE, _WHEN_WHERE, _RIGHTS, _PROV, _WORK = SECTIONS

FIELDS: tuple[FieldSpec, ...] = (
    # --- Description
    FieldSpec(
        "headline",
        "Headline",
        FieldKind.TEXT,
        xmp=(_ps("Headline"),),
        iim=_iim(105, "Headline", 256, fallback="title"),
        help="A brief synopsis of the story, as a news headline (WordPress shows it as the title).",
        section=_DESC,
    ),
    FieldSpec(
        "title",
        "Title",
        FieldKind.TEXT,
        exif=(ExifTag("IFD0", 0x9C9B, "XPTitle", _XP),),
        xmp=(_dc("title", _LA),),
        iim=(IimDataset(5, "ObjectName", 64),),
        help="A short name for the photo, e.g. for its file name (not the headline).",
        section=_DESC,
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
        section=_DESC,
    ),
    FieldSpec(
        "alt_text",
        "Alt text",
        FieldKind.MULTILINE,
        xmp=(XmpProp(NS_IPTC_CORE, "Iptc4xmpCore", "AltTextAccessibility", _LA),),
        help="What the photo shows, for people who cannot see it (about 150 characters).",
        section=_DESC,
    ),
    FieldSpec(
        "extended_description",
        "Extended description",
        FieldKind.MULTILINE,
        xmp=(XmpProp(NS_IPTC_CORE, "Iptc4xmpCore", "ExtDescrAccessibility", _LA),),
        help="A longer description for accessibility, when alt text is not enough.",
        section=_DESC,
    ),
    FieldSpec(
        "caption_writer",
        "Description writer",
        FieldKind.TEXT,
        xmp=(_ps("CaptionWriter"),),
        iim=_iim(122, "Writer-Editor", 32),
        help="Who wrote or edited the caption (initials are common).",
        section=_DESC,
    ),
    # --- Keywords
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
        section=_KW,
    ),
    # --- People and event
    FieldSpec(
        "persons_shown",
        "Persons shown",
        FieldKind.LIST,
        xmp=(XmpProp(NS_IPTC_EXT, "Iptc4xmpExt", "PersonInImage", _BAG),),
        help="The names of the people shown, separated by semicolons.",
        section=_PEOPLE,
    ),
    FieldSpec(
        "event",
        "Event",
        FieldKind.TEXT,
        xmp=(XmpProp(NS_IPTC_EXT, "Iptc4xmpExt", "Event", _LA),),
        help='The event the photo shows, e.g. "Tour de France 2026, stage 9".',
        section=_PEOPLE,
    ),
    # --- Date and location
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
        section=_WHEN_WHERE,
    ),
    FieldSpec(
        "sublocation",
        "Sublocation",
        FieldKind.TEXT,
        xmp=(
            XmpProp(NS_IPTC_CORE, "Iptc4xmpCore", "Location", _S),
            *_location_members("Sublocation"),
        ),
        iim=_iim(92, "Sub-location", 32),
        help="The place within the city: a district, street, building or landmark.",
        section=_WHEN_WHERE,
    ),
    FieldSpec(
        "city",
        "City",
        FieldKind.TEXT,
        xmp=(_ps("City"), *_location_members("City")),
        iim=_iim(90, "City", 32),
        help="The city (or town, village) the photo shows.",
        section=_WHEN_WHERE,
    ),
    FieldSpec(
        "state",
        "Province/State",
        FieldKind.TEXT,
        xmp=(_ps("State"), *_location_members("ProvinceState")),
        iim=_iim(95, "Province-State", 32),
        help="The province, state or region the photo shows.",
        section=_WHEN_WHERE,
    ),
    FieldSpec(
        "country",
        "Country",
        FieldKind.TEXT,
        xmp=(_ps("Country"), *_location_members("CountryName")),
        iim=_iim(101, "Country-PrimaryLocationName", 64),
        help="The country the photo shows, by name.",
        section=_WHEN_WHERE,
    ),
    FieldSpec(
        "country_code",
        "Country code",
        FieldKind.TEXT,
        xmp=(
            XmpProp(NS_IPTC_CORE, "Iptc4xmpCore", "CountryCode", _S),
            *_location_members("CountryCode"),
        ),
        iim=(IimDataset(100, "Country-PrimaryLocationCode", 3, alpha3=True),),
        help='The ISO 3166 code of the country: "FR" or "FRA".',
        section=_WHEN_WHERE,
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
        section=_WHEN_WHERE,
    ),
    # --- Rights and licensing
    FieldSpec(
        "creator",
        "Creator",
        FieldKind.LIST,
        exif=(ExifTag("IFD0", 0x013B, "Artist", _A), ExifTag("IFD0", 0x9C9D, "XPAuthor", _XP)),
        xmp=(_dc("creator", _SEQ), _tiff("Artist", _S)),
        iim=(IimDataset(80, "By-line", 32, repeatable=True),),
        help="The photographer.",
        section=_RIGHTS,
    ),
    FieldSpec(
        "creator_job_title",
        "Creator's job title",
        FieldKind.TEXT,
        xmp=(_ps("AuthorsPosition"),),
        iim=_iim(85, "By-lineTitle", 32),
        help='The photographer\'s job title, e.g. "Staff photographer".',
        section=_RIGHTS,
    ),
    FieldSpec(
        "credit",
        "Credit line",
        FieldKind.TEXT,
        xmp=(XmpProp(NS_PHOTOSHOP, "photoshop", "Credit", _S),),
        iim=(IimDataset(110, "Credit", 32),),
        help='How the photo must be credited, e.g. "Jane Doe / Agency".',
        section=_RIGHTS,
    ),
    FieldSpec(
        "copyright",
        "Copyright",
        FieldKind.TEXT,
        exif=(ExifTag("IFD0", 0x8298, "Copyright", _A),),
        xmp=(_dc("rights", _LA), _tiff("Copyright", _LA)),
        iim=(IimDataset(116, "CopyrightNotice", 128),),
        help='The copyright notice, e.g. "© 2024 Jane Doe".',
        section=_RIGHTS,
    ),
    FieldSpec(
        "usage_terms",
        "Usage terms",
        FieldKind.MULTILINE,
        xmp=(XmpProp(NS_XMP_RIGHTS, "xmpRights", "UsageTerms", _LA),),
        help='How others may use the photo, e.g. "Editorial use only".',
        section=_RIGHTS,
    ),
    FieldSpec(
        "web_statement",
        "Web statement of rights",
        FieldKind.TEXT,
        xmp=(XmpProp(NS_XMP_RIGHTS, "xmpRights", "WebStatement", _S),),
        help="A web page stating the copyright and licence terms (a URL).",
        section=_RIGHTS,
    ),
    FieldSpec(
        "licensor_name",
        "Licensor",
        FieldKind.TEXT,
        xmp=_licensor("LicensorName"),
        help="Who licenses the photo: the photographer or an agency.",
        section=_RIGHTS,
        group="licensor",
    ),
    FieldSpec(
        "licensor_url",
        "Licensor URL",
        FieldKind.TEXT,
        xmp=_licensor("LicensorURL"),
        help="Where to license the photo (Google Images links to it as \"Get this image\").",
        section=_RIGHTS,
        group="licensor",
    ),
    *(
        FieldSpec(
            f"creator_{name}",
            label,
            FieldKind.MULTILINE if name == "address" else FieldKind.TEXT,
            xmp=_contact(local),
            help=help_text,
            section=_RIGHTS,
            group="creator_contact",
        )
        for name, label, local, help_text in (
            ("address", "Address", "CiAdrExtadr", "The creator's street address."),
            ("city", "City", "CiAdrCity", "The city of the creator's address."),
            ("region", "Region", "CiAdrRegion", "The state or province of the creator's address."),
            ("postal_code", "Postal code", "CiAdrPcode", "The postcode of the creator's address."),
            ("country", "Country", "CiAdrCtry", "The country of the creator's address."),
            ("email", "E-mail", "CiEmailWork", "The creator's work e-mail address(es)."),
            ("phone", "Phone", "CiTelWork", "The creator's work phone number(s)."),
            ("url", "Web site", "CiUrlWork", "The creator's web site(s)."),
        )
    ),
    # --- Provenance
    FieldSpec(
        "digital_source_type",
        "Digital source type",
        FieldKind.TEXT,
        xmp=(XmpProp(NS_IPTC_EXT, "Iptc4xmpExt", "DigitalSourceType", _S),),
        help=(
            "How the image was made: camera, scan, composite or generative AI (an IPTC"
            " NewsCodes URI)."
        ),
        section=_PROV,
    ),
    # --- Workflow
    FieldSpec(
        "instructions",
        "Instructions",
        FieldKind.MULTILINE,
        xmp=(_ps("Instructions"),),
        iim=_iim(40, "SpecialInstructions", 256),
        help="Instructions for the editor or publisher: embargoes, restrictions, notes.",
        section=_WORK,
    ),
    FieldSpec(
        "job_id",
        "Job ID",
        FieldKind.TEXT,
        xmp=(_ps("TransmissionReference"),),
        iim=_iim(103, "OriginalTransmissionReference", 32),
        help="The job or assignment identifier, for the photographer's and client's records.",
        section=_WORK,
    ),
    FieldSpec(
        "source",
        "Source",
        FieldKind.TEXT,
        xmp=(_ps("Source"),),
        iim=_iim(115, "Source", 32),
        help="Who holds the original: the photographer, agency or archive.",
        section=_WORK,
    ),
    # --- the panel's head
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
