"""XMP packet codec: read our fields from an XMP packet and merge edits into it with minimal change.

Owns the XMP side of the field table (see ``fields.py``): ``parse_xmp`` turns packet bytes into
``XmpValues``; ``merge_xmp`` rewrites only the properties of the named fields and keeps every
other property, namespace prefix, structure, comment and ``rdf:Description`` of the packet.
Pure and Qt-free: bytes in, bytes/values out; the container (JPEG APP1, WebP chunk) is elsewhere.

Parsing goes through defusedxml with DTDs forbidden, so entity bombs and external entities raise
``MetadataFormatError`` immediately. UTF-8 and UTF-16/32 packets (with or without BOM) are read.

Text policy: XML 1.0 cannot hold U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, lone surrogates,
U+FFFE and U+FFFF. ``clean_text`` removes those characters before writing (tab, LF and CR are
kept; CR is written as ``&#xD;`` so it survives XML line-end normalisation). A text value that
is empty after cleaning removes the property; empty keywords/creators are dropped from lists.

Lenient values: an unparseable date, GPS coordinate or rating reads as ``None`` rather than
failing the whole packet (the rest of the caption stays readable).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from typing import Final
from xml.dom import Node
from xml.dom.minidom import Attr, Document, Element
from xml.parsers.expat import ExpatError

import defusedxml.minidom
from defusedxml import DefusedXmlException

from editor.core.errors import MetadataFormatError
from editor.core.fields import FIELD_NAMES
from editor.core.model import GPS, PhotoMetadata

__all__ = [
    "XMP_APP1_HEADER",
    "XmpValues",
    "clean_text",
    "merge_xmp",
    "packet_too_big_for_jpeg",
    "parse_xmp",
]

XMP_APP1_HEADER: Final = b"http://ns.adobe.com/xap/1.0/\x00"
_JPEG_MAX_PACKET: Final = 65535 - 2 - len(XMP_APP1_HEADER)
_PADDING_BYTES: Final = 2048

NS_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_X: Final = "adobe:ns:meta/"
NS_XML: Final = "http://www.w3.org/XML/1998/namespace"
NS_XMLNS: Final = "http://www.w3.org/2000/xmlns/"
NS_DC: Final = "http://purl.org/dc/elements/1.1/"
NS_IPTC_CORE: Final = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
NS_PHOTOSHOP: Final = "http://ns.adobe.com/photoshop/1.0/"
NS_XMP_RIGHTS: Final = "http://ns.adobe.com/xap/1.0/rights/"
NS_XMP: Final = "http://ns.adobe.com/xap/1.0/"
NS_EXIF: Final = "http://ns.adobe.com/exif/1.0/"

# Preferred prefix for each namespace we may have to declare.
_DEFAULT_PREFIX: Final = {
    NS_RDF: "rdf",
    NS_X: "x",
    NS_DC: "dc",
    NS_IPTC_CORE: "Iptc4xmpCore",
    NS_PHOTOSHOP: "photoshop",
    NS_XMP_RIGHTS: "xmpRights",
    NS_XMP: "xmp",
    NS_EXIF: "exif",
}

_PropName = tuple[str, str]  # (namespace URI, local name)

_LANG_ALT_FIELDS: Final[dict[str, _PropName]] = {
    "title": (NS_DC, "title"),
    "caption": (NS_DC, "description"),
    "alt_text": (NS_IPTC_CORE, "AltTextAccessibility"),
    "extended_description": (NS_IPTC_CORE, "ExtDescrAccessibility"),
    "copyright": (NS_DC, "rights"),
    "usage_terms": (NS_XMP_RIGHTS, "UsageTerms"),
}
_LIST_FIELDS: Final[dict[str, tuple[_PropName, str]]] = {
    "keywords": ((NS_DC, "subject"), "Bag"),
    "creator": ((NS_DC, "creator"), "Seq"),
}
_CREDIT: Final = (NS_PHOTOSHOP, "Credit")
_DATE: Final = (NS_PHOTOSHOP, "DateCreated")
_RATING: Final = (NS_XMP, "Rating")
_GPS_LAT: Final = (NS_EXIF, "GPSLatitude")
_GPS_LON: Final = (NS_EXIF, "GPSLongitude")
_GPS_ALT: Final = (NS_EXIF, "GPSAltitude")
_GPS_ALT_REF: Final = (NS_EXIF, "GPSAltitudeRef")
_GPS_VERSION: Final = (NS_EXIF, "GPSVersionID")

_PACKET_ID: Final = "W5M0MpCehiHzreSzNTczkc9d"


@dataclass(frozen=True)
class XmpValues:
    """Our fields as found in an XMP packet; ``None`` means the property is absent."""

    title: str | None = None
    caption: str | None = None
    alt_text: str | None = None
    extended_description: str | None = None
    keywords: tuple[str, ...] | None = None
    creator: tuple[str, ...] | None = None
    credit: str | None = None
    copyright: str | None = None
    usage_terms: str | None = None
    date_taken: datetime | None = None
    gps: GPS | None = None
    rating: int | None = None


# --------------------------------------------------------------------------- text & packets

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, lone
    surrogates, U+FFFE, U+FFFF). Everything else, including emoji and U+007F-U+009F, is kept."""
    return _INVALID_XML_CHARS.sub("", text)


def packet_too_big_for_jpeg(packet: bytes) -> bool:
    """True when ``packet`` does not fit in one JPEG APP1 segment after ``XMP_APP1_HEADER``."""
    return len(packet) > _JPEG_MAX_PACKET


def _decode_packet(packet: bytes) -> str:
    """Decode packet bytes to text: UTF-8 (default), or UTF-16/32 by BOM or ``<`` pattern."""
    if not isinstance(packet, bytes | bytearray | memoryview):
        raise MetadataFormatError("XMP packet must be bytes")
    data = bytes(packet)
    encoding = "utf-8"
    if data.startswith((b"\x00\x00\xfe\xff", b"\x00\x00\x00<")):
        encoding = "utf-32-be"
    elif data.startswith((b"\xff\xfe\x00\x00", b"<\x00\x00\x00")):
        encoding = "utf-32-le"
    elif data.startswith((b"\xfe\xff", b"\x00<")):
        encoding = "utf-16-be"
    elif data.startswith((b"\xff\xfe", b"<\x00")):
        encoding = "utf-16-le"
    if encoding.startswith("utf-16"):
        if len(data) % 2:
            data = data[:-1]
    elif encoding.startswith("utf-32"):
        data = data[: len(data) - len(data) % 4]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise MetadataFormatError(f"XMP packet is not valid {encoding.upper()}: {exc}") from None
    text = text.lstrip("\ufeff").strip("\x00 \t\r\n")
    # Drop anything after the trailer (some writers leave garbage or NULs behind it).
    end = text.rfind("<?xpacket end=")
    if end >= 0:
        close = text.find("?>", end)
        if close >= 0:
            text = text[: close + 2]
    return text


def _parse_document(packet: bytes) -> Document:
    text = _decode_packet(packet)
    if not text:
        raise MetadataFormatError("XMP packet is empty")
    try:
        return defusedxml.minidom.parseString(text, forbid_dtd=True)
    except DefusedXmlException as exc:
        reason = type(exc).__name__
        raise MetadataFormatError(f"XMP packet refused (unsafe XML): {reason}") from None
    except ExpatError as exc:
        raise MetadataFormatError(f"XMP packet is not well-formed XML: {exc}") from None
    except (ValueError, RecursionError, UnicodeError) as exc:
        raise MetadataFormatError(f"XMP packet cannot be parsed: {exc}") from None


def _child_elements(node: Node) -> Iterator[Element]:
    for child in node.childNodes:
        if child.nodeType == Node.ELEMENT_NODE:
            yield child  # type: ignore[misc]


def _is(node: Element, uri: str, local: str) -> bool:
    return node.namespaceURI == uri and node.localName == local


def _find_rdf(doc: Document) -> Element | None:
    """The ``rdf:RDF`` element: the root, or a child/grandchild of ``x:xmpmeta`` (no deep search,
    so absurdly nested documents cannot exhaust the stack)."""
    root = doc.documentElement
    if root is None:
        return None
    if _is(root, NS_RDF, "RDF"):
        return root
    level = [root]
    for _ in range(2):
        nxt: list[Element] = []
        for node in level:
            for child in _child_elements(node):
                if _is(child, NS_RDF, "RDF"):
                    return child
                nxt.append(child)
        level = nxt
    return None


def _rdf_root(doc: Document) -> Element | None:
    rdf = _find_rdf(doc)
    if rdf is None:
        root = doc.documentElement
        if root is not None and root.namespaceURI == NS_X:
            return None  # an empty x:xmpmeta
        raise MetadataFormatError("XMP packet has no rdf:RDF element")
    return rdf


def _descriptions(rdf: Element | None) -> list[Element]:
    if rdf is None:
        return []
    return [c for c in _child_elements(rdf) if _is(c, NS_RDF, "Description")]


def _text_of(node: Element) -> str:
    return "".join(
        c.data  # type: ignore[attr-defined]
        for c in node.childNodes
        if c.nodeType in (Node.TEXT_NODE, Node.CDATA_SECTION_NODE)
    )


# --------------------------------------------------------------------------- reading


@dataclass
class _Occurrence:
    description: Element
    attr: Attr | None = None
    element: Element | None = None


def _occurrences(descriptions: list[Element], prop: _PropName) -> list[_Occurrence]:
    found: list[_Occurrence] = []
    uri, local = prop
    for desc in descriptions:
        attr = desc.getAttributeNodeNS(uri, local)
        if attr is not None:
            found.append(_Occurrence(desc, attr=attr))
        for child in _child_elements(desc):
            if _is(child, uri, local):
                found.append(_Occurrence(desc, element=child))
    return found


def _container(elem: Element) -> Element | None:
    for child in _child_elements(elem):
        if child.namespaceURI == NS_RDF and child.localName in ("Alt", "Bag", "Seq"):
            return child
    return None


def _items(container: Element) -> list[Element]:
    return [c for c in _child_elements(container) if _is(c, NS_RDF, "li")]


def _lang(li: Element) -> str:
    return li.getAttributeNS(NS_XML, "lang") or ""


def _read_simple(occ: _Occurrence) -> str | None:
    if occ.attr is not None:
        return occ.attr.value
    assert occ.element is not None
    elem = occ.element
    resource = elem.getAttributeNS(NS_RDF, "resource")
    if resource:
        return resource
    container = _container(elem)
    if container is not None:
        items = _items(container)
        return _text_of(items[0]) if items else None
    if any(True for _ in _child_elements(elem)):
        return None  # a struct: not a simple value
    return _text_of(elem)


def _read_lang_alt(occ: _Occurrence) -> str | None:
    if occ.element is not None:
        container = _container(occ.element)
        if container is not None:
            items = _items(container)
            if not items:
                return None
            for li in items:
                if _lang(li).lower() == "x-default":
                    return _text_of(li)
            return _text_of(items[0])
    return _read_simple(occ)


def _read_list(occ: _Occurrence) -> tuple[str, ...] | None:
    if occ.element is not None:
        container = _container(occ.element)
        if container is not None:
            return tuple(_text_of(li) for li in _items(container))
    value = _read_simple(occ)
    return None if value is None else (value,)


_DATE_RE = re.compile(
    r"^\s*(\d{4})(?:[-:](\d{2})(?:[-:](\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_xmp_date(text: str) -> datetime | None:
    """An XMP date ("2024", "2024-05", "2024-05-01T10:20:30.5+02:00", ...) or None if invalid."""
    match = _DATE_RE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, frac, tz = match.groups()
    tzinfo: timezone | None = None
    if tz:
        if tz == "Z":
            tzinfo = UTC
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if offset >= timedelta(hours=24):
                return None
            tzinfo = timezone(sign * offset)
    try:
        return datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=tzinfo,
        )
    except ValueError:
        return None


_COORD_RE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(?:,\s*(\d+(?:\.\d+)?)\s*(?:,\s*(\d+(?:\.\d+)?)\s*)?)?([NSEWnsew])\s*$"
)


def _parse_coord(text: str, positive: str, negative: str) -> float | None:
    match = _COORD_RE.match(text)
    if match:
        deg, minutes, seconds, ref = match.groups()
        ref = ref.upper()
        if ref not in (positive, negative):
            return None
        value = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        return -value if ref == negative else value
    try:
        value = float(text.strip())  # signed decimal degrees, written by a few tools
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_rational(text: str) -> float | None:
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            value = float(Fraction(int(num.strip()), int(den.strip())))
        else:
            value = float(text.strip())
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _parse_rating(text: str) -> int | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return max(-1, min(5, round(value)))


def parse_xmp(packet: bytes) -> XmpValues:
    """Read our fields from an XMP packet. Raises ``MetadataFormatError`` if it is not XMP."""
    doc = _parse_document(packet)
    descriptions = _descriptions(_rdf_root(doc))

    def first(prop: _PropName) -> _Occurrence | None:
        occs = _occurrences(descriptions, prop)
        return occs[0] if occs else None

    values: dict[str, object] = {}
    for name, prop in _LANG_ALT_FIELDS.items():
        occ = first(prop)
        values[name] = None if occ is None else _read_lang_alt(occ)
    for name, (prop, _kind) in _LIST_FIELDS.items():
        occ = first(prop)
        values[name] = None if occ is None else _read_list(occ)
    occ = first(_CREDIT)
    values["credit"] = None if occ is None else _read_simple(occ)
    occ = first(_DATE)
    date_text = None if occ is None else _read_simple(occ)
    values["date_taken"] = None if date_text is None else parse_xmp_date(date_text)
    occ = first(_RATING)
    rating_text = None if occ is None else _read_simple(occ)
    values["rating"] = None if rating_text is None else _parse_rating(rating_text)
    values["gps"] = _read_gps(first)
    return XmpValues(**values)  # type: ignore[arg-type]


def _read_gps(first: Callable[[_PropName], _Occurrence | None]) -> GPS | None:
    def simple(prop: _PropName) -> str | None:
        occ = first(prop)
        return None if occ is None else _read_simple(occ)

    lat_text, lon_text = simple(_GPS_LAT), simple(_GPS_LON)
    if lat_text is None or lon_text is None:
        return None
    lat = _parse_coord(lat_text, "N", "S")
    lon = _parse_coord(lon_text, "E", "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    alt: float | None = None
    alt_text = simple(_GPS_ALT)
    if alt_text is not None:
        alt = _parse_rational(alt_text)
        if alt is not None and (simple(_GPS_ALT_REF) or "").strip() == "1":
            alt = -alt
    return GPS(lat, lon, alt)


# --------------------------------------------------------------------------- writing


def format_xmp_date(value: datetime) -> str:
    """ISO 8601 as XMP wants it: seconds always, fraction if any, ±hh:mm offset when known."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    offset = value.utcoffset()
    if offset is not None:
        minutes = round(offset.total_seconds() / 60)
        if minutes == 0:
            text += "Z"
        else:
            sign = "-" if minutes < 0 else "+"
            hours, mins = divmod(abs(minutes), 60)
            text += f"{sign}{hours:02d}:{mins:02d}"
    return text


def format_xmp_coord(value: float, positive: str, negative: str) -> str:
    """Degrees as "DDD,MM.mmmmmmK" (XMP spec GPSCoordinate form)."""
    micro_minutes = round(abs(value) * 60 * 1_000_000)
    degrees, micro = divmod(micro_minutes, 60 * 1_000_000)
    minutes, frac = divmod(micro, 1_000_000)
    ref = negative if value < 0 else positive
    return f"{degrees},{minutes:02d}.{frac:06d}{ref}"


def _format_altitude(alt: float) -> tuple[str, str]:
    ratio = Fraction(round(abs(alt) * 1000), 1000)
    return f"{ratio.numerator}/{ratio.denominator}", "1" if alt < 0 else "0"


class _Editor:
    """Edits one parsed packet in place; keeps everything it is not told to change."""

    def __init__(self, existing: bytes | None) -> None:
        if existing is not None and _decode_packet(existing):
            self.doc = _parse_document(existing)
            rdf = _find_rdf(self.doc)
            if rdf is None:
                _rdf_root(self.doc)  # raises unless the root is an empty x:xmpmeta
                rdf = self._new_rdf(self.doc.documentElement)
        else:
            self.doc = defusedxml.minidom.parseString(
                f'<x:xmpmeta xmlns:x="{NS_X}" x:xmptk="PhotoCaption"/>', forbid_dtd=True
            )
            rdf = self._new_rdf(self.doc.documentElement)
        self.rdf = rdf

    # -- structure helpers

    def _new_rdf(self, parent: Element) -> Element:
        rdf = self.doc.createElementNS(NS_RDF, "rdf:RDF")
        rdf.setAttributeNS(NS_XMLNS, "xmlns:rdf", NS_RDF)
        parent.appendChild(self.doc.createTextNode("\n "))
        parent.appendChild(rdf)
        parent.appendChild(self.doc.createTextNode("\n"))
        return rdf

    def descriptions(self) -> list[Element]:
        return _descriptions(self.rdf)

    def _rdf_prefix(self, at: Element) -> str:
        return self.prefix_for(NS_RDF, at)

    def _declared(self, node: Element) -> dict[str, str]:
        """prefix -> URI for the namespace declarations in scope at ``node``."""
        scopes: list[Element] = []
        current: Node | None = node
        while current is not None and current.nodeType == Node.ELEMENT_NODE:
            scopes.append(current)  # type: ignore[arg-type]
            current = current.parentNode
        mapping: dict[str, str] = {}
        for elem in reversed(scopes):
            for attr in elem.attributes.values():
                if attr.namespaceURI == NS_XMLNS:
                    prefix = attr.localName if attr.prefix == "xmlns" else ""
                    mapping[prefix] = attr.value
        return mapping

    def _prefix_used_anywhere(self, uri: str) -> str | None:
        stack: list[Element] = [self.doc.documentElement]
        while stack:
            elem = stack.pop()
            for attr in elem.attributes.values():
                if attr.namespaceURI == NS_XMLNS and attr.prefix == "xmlns" and attr.value == uri:
                    return str(attr.localName)
            stack.extend(_child_elements(elem))
        return None

    def prefix_for(self, uri: str, at: Element) -> str:
        """A prefix bound to ``uri`` at ``at``; declares one on ``at`` if none is in scope."""
        in_scope = self._declared(at)
        for prefix, bound in in_scope.items():
            if bound == uri and prefix:
                return prefix
        candidates = [p for p in (self._prefix_used_anywhere(uri), _DEFAULT_PREFIX.get(uri)) if p]
        base = candidates[0] if candidates else "ns"
        prefix, n = base, 1
        while prefix in in_scope or prefix in ("xml", "xmlns"):
            prefix, n = f"{base}{n}", n + 1
        at.setAttributeNS(NS_XMLNS, f"xmlns:{prefix}", uri)
        return prefix

    def target_description(self, uri: str) -> Element:
        """Where to add a new property: a Description already using ``uri``, else the first."""
        descs = self.descriptions()
        for desc in descs:
            if any(p == uri for p in self._declared(desc).values()):
                return desc
        if descs:
            return descs[0]
        desc = self.doc.createElementNS(NS_RDF, f"{self._rdf_prefix(self.rdf)}:Description")
        desc.setAttributeNS(NS_RDF, f"{self._rdf_prefix(self.rdf)}:about", "")
        self.rdf.appendChild(self.doc.createTextNode("\n  "))
        self.rdf.appendChild(desc)
        self.rdf.appendChild(self.doc.createTextNode("\n "))
        return desc

    @staticmethod
    def _depth(node: Node) -> int:
        depth = 0
        while node.parentNode is not None and node.parentNode.nodeType == Node.ELEMENT_NODE:
            depth += 1
            node = node.parentNode
        return depth

    def _new_property(self, desc: Element, prop: _PropName) -> Element:
        uri, local = prop
        return self.doc.createElementNS(uri, f"{self.prefix_for(uri, desc)}:{local}")

    def _insert_property(self, desc: Element, elem: Element, before: Node | None) -> None:
        indent = "\n" + " " * (self._depth(desc) + 1)
        if before is not None:
            desc.insertBefore(self.doc.createTextNode(indent), before)
            desc.insertBefore(elem, before)
            return
        last = desc.lastChild
        if last is not None and last.nodeType == Node.TEXT_NODE and not last.data.strip():
            desc.insertBefore(self.doc.createTextNode(indent), last)
            desc.insertBefore(elem, last)
        else:
            desc.appendChild(self.doc.createTextNode(indent))
            desc.appendChild(elem)
            desc.appendChild(self.doc.createTextNode("\n" + " " * self._depth(desc)))

    def _remove(self, occ: _Occurrence) -> None:
        if occ.attr is not None:
            occ.description.removeAttributeNode(occ.attr)
        elif occ.element is not None:
            elem = occ.element
            prev = elem.previousSibling
            if prev is not None and prev.nodeType == Node.TEXT_NODE and not prev.data.strip():
                occ.description.removeChild(prev)
            occ.description.removeChild(elem)

    def _set_text(self, elem: Element, text: str) -> None:
        for child in list(elem.childNodes):
            elem.removeChild(child)
        if text:
            elem.appendChild(self.doc.createTextNode(text))

    def _build_container(
        self, prop_elem: Element, kind: str, items: list[tuple[str, str | None]]
    ) -> None:
        """Fill ``prop_elem`` with an rdf:Alt/Bag/Seq holding ``items`` (text, xml:lang)."""
        rdf = self._rdf_prefix(prop_elem.parentNode or self.rdf)  # type: ignore[arg-type]
        depth = self._depth(prop_elem) if prop_elem.parentNode is not None else 3
        container = self.doc.createElementNS(NS_RDF, f"{rdf}:{kind}")
        for text, lang in items:
            li = self.doc.createElementNS(NS_RDF, f"{rdf}:li")
            if lang is not None:
                li.setAttributeNS(NS_XML, "xml:lang", lang)
            if text:
                li.appendChild(self.doc.createTextNode(text))
            container.appendChild(self.doc.createTextNode("\n" + " " * (depth + 2)))
            container.appendChild(li)
        container.appendChild(self.doc.createTextNode("\n" + " " * (depth + 1)))
        prop_elem.appendChild(self.doc.createTextNode("\n" + " " * (depth + 1)))
        prop_elem.appendChild(container)
        prop_elem.appendChild(self.doc.createTextNode("\n" + " " * depth))

    def _replace_with_element(
        self, prop: _PropName, occs: list[_Occurrence], fill: Callable[[Element], None]
    ) -> None:
        """Remove every occurrence of ``prop`` and add a fresh element where the first one was."""
        keep_at: tuple[Element, Node | None] | None = None
        for occ in occs:
            if keep_at is None:
                anchor = occ.element.nextSibling if occ.element is not None else None
                keep_at = (occ.description, anchor)
            self._remove(occ)
        desc, before = keep_at if keep_at else (self.target_description(prop[0]), None)
        if before is not None and before.parentNode is not desc:
            before = None
        elem = self._new_property(desc, prop)
        self._insert_property(desc, elem, before)
        fill(elem)

    # -- property setters

    def set_lang_alt(self, prop: _PropName, text: str) -> None:
        occs = _occurrences(self.descriptions(), prop)
        if not text:
            for occ in occs:
                self._remove(occ)
            return
        # Best case: an existing rdf:Alt — update (or add) only its x-default item.
        for i, occ in enumerate(occs):
            if occ.element is None:
                continue
            container = _container(occ.element)
            if container is None or container.localName != "Alt":
                continue
            items = _items(container)
            default = next((li for li in items if _lang(li).lower() == "x-default"), None)
            if default is not None:
                self._set_text(default, text)
            else:
                rdf = container.prefix or self._rdf_prefix(container)
                li = self.doc.createElementNS(NS_RDF, f"{rdf}:li")
                li.setAttributeNS(NS_XML, "xml:lang", "x-default")
                li.appendChild(self.doc.createTextNode(text))
                first_child = container.firstChild
                indent = "\n" + " " * (self._depth(container) + 1)
                container.insertBefore(li, first_child)
                container.insertBefore(self.doc.createTextNode(indent), li)
            for j, other in enumerate(occs):
                if j != i:
                    self._remove(other)
            return
        self._replace_with_element(
            prop, occs, lambda e: self._build_container(e, "Alt", [(text, "x-default")])
        )

    def set_list(self, prop: _PropName, kind: str, items: tuple[str, ...]) -> None:
        occs = _occurrences(self.descriptions(), prop)
        if not items:
            for occ in occs:
                self._remove(occ)
            return
        self._replace_with_element(
            prop, occs, lambda e: self._build_container(e, kind, [(t, None) for t in items])
        )

    def set_simple(self, prop: _PropName, value: str | None) -> None:
        occs = _occurrences(self.descriptions(), prop)
        if value is None or value == "":
            for occ in occs:
                self._remove(occ)
            return
        if occs:
            first, rest = occs[0], occs[1:]
            for occ in rest:
                self._remove(occ)
            if first.attr is not None:
                first.attr.value = value  # attribute form: update in place
                return
            assert first.element is not None
            if not any(True for _ in _child_elements(first.element)) and not (
                first.element.hasAttributeNS(NS_RDF, "resource")
            ):
                self._set_text(first.element, value)
                return
        self._replace_with_element(prop, occs, lambda e: self._set_text(e, value))

    def remove_gps(self) -> None:
        for desc in self.descriptions():
            for attr in list(desc.attributes.values()):
                if attr.namespaceURI == NS_EXIF and attr.localName.startswith("GPS"):
                    self._remove(_Occurrence(desc, attr=attr))
            for child in list(_child_elements(desc)):
                if child.namespaceURI == NS_EXIF and child.localName.startswith("GPS"):
                    self._remove(_Occurrence(desc, element=child))

    # -- output

    def serialize(self) -> bytes:
        root = self.doc.documentElement
        parts: list[str] = [f'<?xpacket begin="\ufeff" id="{_PACKET_ID}"?>\n']
        if _is(root, NS_RDF, "RDF"):
            parts.append(f'<x:xmpmeta xmlns:x="{NS_X}">\n')
            _serialize_node(root, parts)
            parts.append("\n</x:xmpmeta>")
        else:
            for node in self.doc.childNodes:
                if node.nodeType == Node.PROCESSING_INSTRUCTION_NODE:
                    if node.target == "xpacket":  # type: ignore[attr-defined]
                        continue
                    _serialize_node(node, parts)
                    parts.append("\n")
                elif node.nodeType == Node.ELEMENT_NODE:
                    _serialize_node(node, parts)
        body = "".join(parts).encode("utf-8")
        trailer = b'\n<?xpacket end="w"?>'
        padding = b"\n" + (b" " * 99 + b"\n") * (_PADDING_BYTES // 100)
        packet = body + padding + trailer
        if packet_too_big_for_jpeg(packet):
            room = max(0, _JPEG_MAX_PACKET - len(body) - len(trailer))
            packet = body + padding[:room] + trailer
        return packet


def _escape_text(text: str) -> str:
    return (
        clean_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#xD;")
    )


def _escape_attr(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;").replace("\t", "&#x9;").replace("\n", "&#xA;")


def _serialize_node(start: Node, out: list[str]) -> None:
    """Write ``start`` as XML (iteratively, so deep trees cannot overflow the stack)."""
    stack: list[tuple[Node, bool]] = [(start, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append(f"</{node.tagName}>")  # type: ignore[attr-defined]
            continue
        kind = node.nodeType
        if kind == Node.ELEMENT_NODE:
            out.append(f"<{node.tagName}")  # type: ignore[attr-defined]
            for attr in node.attributes.values():  # type: ignore[attr-defined]
                out.append(f' {attr.name}="{_escape_attr(attr.value)}"')
            if not node.childNodes:
                out.append("/>")
                continue
            out.append(">")
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.childNodes))
        elif kind in (Node.TEXT_NODE, Node.CDATA_SECTION_NODE):
            out.append(_escape_text(node.data))  # type: ignore[attr-defined]
        elif kind == Node.COMMENT_NODE:
            data = clean_text(node.data).replace("--", "- -")  # type: ignore[attr-defined]
            out.append(f"<!--{data}-->")
        elif kind == Node.PROCESSING_INSTRUCTION_NODE:
            out.append(f"<?{node.target} {node.data}?>")  # type: ignore[attr-defined]


def _checked_fields(fields: Iterable[str]) -> list[str]:
    names = list(fields)
    unknown = [n for n in names if n not in FIELD_NAMES]
    if unknown:
        raise MetadataFormatError(f"unknown field name(s): {', '.join(map(repr, unknown))}")
    return names


def merge_xmp(existing: bytes | None, values: PhotoMetadata, fields: Iterable[str]) -> bytes:
    """A complete new packet: ``existing`` with only the properties of ``fields`` set from
    ``values`` (empty/None removes them). Raises ``MetadataFormatError`` if ``existing`` cannot
    be parsed (it is never silently replaced) or a field name is unknown. ``existing`` None,
    empty or only whitespace/NULs starts a fresh packet.

    Lang-alt fields update only the ``x-default`` item (added first if missing); removing such a
    field removes the whole property, other languages included. Lists are rewritten whole.
    ``gps=None`` removes every ``exif:GPS*`` property; a position without altitude removes
    GPSAltitude/GPSAltitudeRef. A bare ``rdf:RDF`` packet is wrapped in ``x:xmpmeta``.

    The packet carries ~2 KB of padding; if it would not fit a JPEG APP1 segment the padding is
    shrunk (possibly to none). Check ``packet_too_big_for_jpeg`` on the result.
    """
    names = _checked_fields(fields)
    editor = _Editor(existing)
    for name in names:
        if name in _LANG_ALT_FIELDS:
            editor.set_lang_alt(_LANG_ALT_FIELDS[name], clean_text(getattr(values, name)))
        elif name in _LIST_FIELDS:
            prop, kind = _LIST_FIELDS[name]
            items = tuple(t for t in (clean_text(v) for v in getattr(values, name)) if t)
            editor.set_list(prop, kind, items)
        elif name == "credit":
            editor.set_simple(_CREDIT, clean_text(values.credit))
        elif name == "date_taken":
            date = values.date_taken
            editor.set_simple(_DATE, None if date is None else format_xmp_date(date))
        elif name == "rating":
            rating = values.rating
            editor.set_simple(_RATING, None if rating is None else str(int(rating)))
        elif name == "gps":
            _merge_gps(editor, values.gps)
    return editor.serialize()


def _merge_gps(editor: _Editor, gps: GPS | None) -> None:
    if gps is None:
        editor.remove_gps()
        return
    if not (math.isfinite(gps.lat) and math.isfinite(gps.lon)) or (
        abs(gps.lat) > 90 or abs(gps.lon) > 180
    ):
        raise MetadataFormatError(f"GPS position out of range: {gps.lat}, {gps.lon}")
    if not _occurrences(editor.descriptions(), _GPS_VERSION):
        editor.set_simple(_GPS_VERSION, "2.2.0.0")
    editor.set_simple(_GPS_LAT, format_xmp_coord(gps.lat, "N", "S"))
    editor.set_simple(_GPS_LON, format_xmp_coord(gps.lon, "E", "W"))
    if gps.alt is None or not math.isfinite(gps.alt):
        editor.set_simple(_GPS_ALT, None)
        editor.set_simple(_GPS_ALT_REF, None)
    else:
        alt, ref = _format_altitude(gps.alt)
        editor.set_simple(_GPS_ALT, alt)
        editor.set_simple(_GPS_ALT_REF, ref)


# --------------------------------------------------------------------------- filtering


def _top_level(editor: _Editor) -> Iterator[tuple[str, str, _Occurrence]]:
    """Every top-level property of the packet: (namespace URI, local name, where it is)."""
    for desc in editor.descriptions():
        for attr in list(desc.attributes.values()):
            uri = attr.namespaceURI or ""
            if uri and uri not in (NS_XMLNS, NS_RDF, NS_XML):
                yield uri, attr.localName, _Occurrence(desc, attr=attr)
        for child in list(_child_elements(desc)):
            yield child.namespaceURI or "", child.localName, _Occurrence(desc, element=child)


def properties(packet: bytes) -> list[tuple[str, str]]:
    """The top-level properties of ``packet`` as (namespace URI, local name), in order.

    Raises ``MetadataFormatError`` if the packet cannot be parsed."""
    return [(uri, local) for uri, local, _ in _top_level(_Editor(packet))]


def filter_properties(packet: bytes, keep: Callable[[str, str], bool]) -> bytes:
    """``packet`` without the top-level properties for which ``keep(namespace URI, local name)``
    is false; a removed struct or array goes whole. Everything else is kept as it is.

    Raises ``MetadataFormatError`` if the packet cannot be parsed."""
    editor = _Editor(packet)
    for uri, local, occ in _top_level(editor):
        if not keep(uri, local):
            editor._remove(occ)
    return editor.serialize()
