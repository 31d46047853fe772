"""XMP packet codec: read our fields from an XMP packet and merge edits into it with minimal change.

Reads and writes the XMP side of the field table (``fields.py``: ``XmpProp`` rows with a kind and
a role; this module declares no property of its own): ``parse_xmp`` turns packet bytes into
``XmpValues``; ``merge_xmp`` rewrites only the properties of the named fields (stores, mirrors,
followers, hierarchies) and keeps every other property, namespace prefix, structure, comment and
``rdf:Description`` of the packet. Value types (dates, GPS, ratings) are coded by field kind.
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
from typing import Any, Final
from xml.dom import Node
from xml.dom.minidom import Attr, Document, Element
from xml.parsers.expat import ExpatError

import defusedxml.minidom
from defusedxml import DefusedXmlException

from editor.core import fields
from editor.core.errors import MetadataFormatError
from editor.core.fields import FieldKind, FieldSpec, Role, XmpKind, XmpProp
from editor.core.model import GPS, PhotoMetadata
from editor.core.partial_dates import PartialDate, partial

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

_PropName = tuple[str, str]  # (namespace URI, local name)


def _default_prefix(uri: str) -> str | None:
    """The preferred prefix for a namespace we may have to declare: the field table's."""
    if uri == NS_RDF:
        return "rdf"
    if uri == NS_X:
        return "x"
    for spec in fields.FIELDS:
        for prop in spec.xmp:
            if prop.ns_uri == uri:
                return prop.prefix
    return None


_PACKET_ID: Final = "W5M0MpCehiHzreSzNTczkc9d"


class XmpValues:
    """Our fields as found in an XMP packet, one attribute per row of the field table;
    ``None`` means the property is absent."""

    __slots__ = ("_values",)

    def __init__(self, **values: Any) -> None:
        names = [spec.name for spec in fields.FIELDS]
        unknown = set(values) - set(names)
        if unknown:
            raise TypeError(f"unknown field name(s): {', '.join(sorted(unknown))}")
        self._values: dict[str, Any] = {name: values.get(name) for name in names}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, XmpValues) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(self._values.items()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"XmpValues({shown})"


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
    if hour is None:  # a date without a time keeps its precision: no invented midnight or zone
        try:
            return partial(int(year), month and int(month), day and int(day))
        except ValueError:
            return None
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


def _struct_body(elem: Element) -> Element | None:
    """Where a struct property's members are: its rdf:Description, or the property element
    itself (rdf:parseType="Resource" or member attributes); None when it is no struct."""
    if elem.hasAttributeNS(NS_RDF, "resource"):
        return None
    for child in _child_elements(elem):
        if _is(child, NS_RDF, "Description"):
            return child
        if child.namespaceURI == NS_RDF:
            return None  # an rdf:Alt/Bag/Seq: an array, not a struct
    return elem


def _step(step: tuple[str, ...]) -> tuple[_PropName, str]:
    """A struct path step as (property name, array kind): "" for a plain struct."""
    return (step[0], step[1]), (step[2] if len(step) > 2 else "")


def _step_body(elem: Element, array: str) -> Element | None:
    """The member holder of one path step: the struct itself, or the first struct item of an
    array of structs (``array`` "Bag"/"Seq"); None when the element is neither."""
    if not array:
        return _struct_body(elem)
    container = _container(elem)
    if container is None:  # written as a single struct where an array belongs: read it so
        return _struct_body(elem)
    if container.localName == "Alt":
        return None
    items = _items(container)
    return _struct_body(items[0]) if items else None


def _struct_holders(
    descriptions: list[Element], path: tuple[tuple[str, ...], ...]
) -> list[Element]:
    """The elements holding the members of the struct at ``path`` (empty when it is absent)."""
    holders = descriptions
    for raw in path:
        key, array = _step(raw)
        bodies = [
            body
            for occ in _occurrences(holders, key)
            if occ.element is not None and (body := _step_body(occ.element, array)) is not None
        ]
        holders = bodies[:1]
    return holders


def _prop_occurrences(descriptions: list[Element], prop: XmpProp) -> list[_Occurrence]:
    if prop.kind is XmpKind.STRUCT_MEMBER:
        return _occurrences(_struct_holders(descriptions, prop.path), prop.key)
    return _occurrences(descriptions, prop.key)


def _read_prop(occ: _Occurrence, prop: XmpProp) -> str | tuple[str, ...] | None:
    """The raw value of one occurrence, as the property's XMP kind holds it."""
    if prop.kind is XmpKind.LANG_ALT:
        return _read_lang_alt(occ)
    if prop.kind in (XmpKind.BAG, XmpKind.SEQ):
        return _read_list(occ)
    return _read_simple(occ)  # SIMPLE, STRUCT_MEMBER


def _text(raw: str | tuple[str, ...]) -> str:
    return raw if isinstance(raw, str) else (raw[0] if raw else "")


def _decode_value(kind: FieldKind, raw: str | tuple[str, ...] | None) -> Any:
    """A field value of ``kind`` from a raw XMP value (None stays None)."""
    if raw is None:
        return None
    if kind is FieldKind.LIST:
        return raw if isinstance(raw, tuple) else (raw,)
    if kind is FieldKind.DATETIME:
        return parse_xmp_date(_text(raw))
    if kind is FieldKind.RATING:
        return _parse_rating(_text(raw))
    return _text(raw)


def _field_value(descriptions: list[Element], spec: FieldSpec, roles: tuple[Role, ...]) -> Any:
    """The value of the first property of ``spec`` with one of ``roles`` that the packet has."""
    if spec.kind is FieldKind.GPS:
        return _read_gps(descriptions, spec)
    for prop in spec.xmp:
        if prop.role in roles:
            value = _prop_value(descriptions, spec.kind, prop)
            if value is not None:
                return value
    return None


def _prop_value(descriptions: list[Element], kind: FieldKind, prop: XmpProp) -> Any:
    """The value of ``prop`` as a field of ``kind``, or None when the packet lacks it."""
    occs = _prop_occurrences(descriptions, prop)
    return _decode_value(kind, _read_prop(occs[0], prop)) if occs else None


_SOURCES: Final = tuple(r for r in Role if r.read)


def parse_xmp(packet: bytes) -> XmpValues:
    """Read our fields from an XMP packet. Raises ``MetadataFormatError`` if it is not XMP."""
    doc = _parse_document(packet)
    descriptions = _descriptions(_rdf_root(doc))
    return XmpValues(
        **{spec.name: _field_value(descriptions, spec, _SOURCES) for spec in fields.FIELDS}
    )


def _gps_props(spec: FieldSpec) -> dict[str, XmpProp]:
    return {prop.local_name: prop for prop in spec.xmp}


def _read_gps(descriptions: list[Element], spec: FieldSpec) -> GPS | None:
    props = _gps_props(spec)

    def simple(local: str) -> str | None:
        prop = props.get(local)
        occs = [] if prop is None else _occurrences(descriptions, prop.key)
        return _read_simple(occs[0]) if occs else None

    lat_text, lon_text = simple("GPSLatitude"), simple("GPSLongitude")
    if lat_text is None or lon_text is None:
        return None
    lat = _parse_coord(lat_text, "N", "S")
    lon = _parse_coord(lon_text, "E", "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    alt: float | None = None
    alt_text = simple("GPSAltitude")
    if alt_text is not None:
        alt = _parse_rational(alt_text)
        if alt is not None and (simple("GPSAltitudeRef") or "").strip() == "1":
            alt = -alt
    return GPS(lat, lon, alt)


# --------------------------------------------------------------------------- writing


def format_xmp_date(value: datetime) -> str:
    """ISO 8601 as XMP wants it: seconds always, fraction if any, ±hh:mm offset when known;
    a date known only to the day (month, year) is written as just that."""
    if isinstance(value, PartialDate):
        return value.isoformat()
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
        candidates = [p for p in (self._prefix_used_anywhere(uri), _default_prefix(uri)) if p]
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
        self,
        prop: _PropName,
        occs: list[_Occurrence],
        fill: Callable[[Element], None],
        home: Element | None = None,
    ) -> None:
        """Remove every occurrence of ``prop`` and add a fresh element where the first one was
        (else in ``home``, else in the Description that suits its namespace)."""
        keep_at: tuple[Element, Node | None] | None = None
        for occ in occs:
            if keep_at is None:
                anchor = occ.element.nextSibling if occ.element is not None else None
                keep_at = (occ.description, anchor)
            self._remove(occ)
        if keep_at is None:
            keep_at = (home if home is not None else self.target_description(prop[0]), None)
        desc, before = keep_at
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
                # A language item that repeated x-default (en-US beside it) is the same fact:
                # it follows. Other languages hold translations and stay as they are.
                before = _text_of(default)
                for li in items:
                    if li is not default and _text_of(li) == before:
                        self._set_text(li, text)
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

    def set_simple(self, prop: _PropName, value: str | None, within: Element | None = None) -> None:
        """Set (or remove, when empty) a simple property of the packet, or of the struct
        whose members ``within`` holds."""
        occs = _occurrences([within] if within is not None else self.descriptions(), prop)
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
        self._replace_with_element(prop, occs, lambda e: self._set_text(e, value), within)

    def struct_holder(self, path: tuple[tuple[str, ...], ...], create: bool) -> Element | None:
        """The element holding the members of the struct at ``path``; created (as
        rdf:parseType="Resource", inside a one-item rdf:Bag/Seq for an array step) when absent
        and ``create``, else None."""
        holders = self.descriptions()
        for depth, raw in enumerate(path):
            found = _struct_holders(holders, (raw,))
            if found:
                holders = found
                continue
            if not create:
                return None
            key, array = _step(raw)
            home = holders[0] if depth else self.target_description(key[0])
            # An existing property of another shape (a simple value where a struct belongs)
            # gives way, as a list gives way to a list.
            occs = _occurrences([home], key)
            self._replace_with_element(key, occs, lambda e: None, home)
            elem = _occurrences([home], key)[0].element
            assert elem is not None
            rdf = self._rdf_prefix(home)
            if array:
                container = self.doc.createElementNS(NS_RDF, f"{rdf}:{array}")
                item = self.doc.createElementNS(NS_RDF, f"{rdf}:li")
                depth_here = self._depth(elem)
                container.appendChild(self.doc.createTextNode("\n" + " " * (depth_here + 2)))
                container.appendChild(item)
                container.appendChild(self.doc.createTextNode("\n" + " " * (depth_here + 1)))
                elem.appendChild(self.doc.createTextNode("\n" + " " * (depth_here + 1)))
                elem.appendChild(container)
                elem.appendChild(self.doc.createTextNode("\n" + " " * depth_here))
                elem = item
            elem.setAttributeNS(NS_RDF, f"{rdf}:parseType", "Resource")
            holders = [elem]
        return holders[0] if holders else None

    def drop_if_empty(self, holder: Element) -> None:
        """Remove a struct (or struct item of an array) that no longer has any member, then the
        array and the enclosing structs it leaves empty."""
        node = holder
        while node.parentNode is not self.rdf:  # a top-level rdf:Description stays
            struct = node if not _is(node, NS_RDF, "Description") else node.parentNode
            if not isinstance(struct, Element) or any(True for _ in _child_elements(node)):
                return
            members = [
                a for a in node.attributes.values() if a.namespaceURI not in (NS_XMLNS, NS_RDF)
            ]
            parent = struct.parentNode
            if members or not isinstance(parent, Element):
                return
            self._remove(_Occurrence(parent, element=struct))
            if parent.namespaceURI == NS_RDF and parent.localName in ("Bag", "Seq"):
                prop = parent.parentNode  # the array property
                if _items(parent) or not isinstance(prop, Element):
                    return
                outer = prop.parentNode
                if not isinstance(outer, Element):
                    return
                self._remove(_Occurrence(outer, element=prop))
                parent = outer
            node = parent

    def remove_all(self, uri: str, prefix: str) -> None:
        """Remove every property in namespace ``uri`` whose local name starts with ``prefix``."""
        for desc in self.descriptions():
            for attr in list(desc.attributes.values()):
                if attr.namespaceURI == uri and attr.localName.startswith(prefix):
                    self._remove(_Occurrence(desc, attr=attr))
            for child in list(_child_elements(desc)):
                if child.namespaceURI == uri and child.localName.startswith(prefix):
                    self._remove(_Occurrence(desc, element=child))

    def has(self, prop: XmpProp) -> bool:
        return bool(_prop_occurrences(self.descriptions(), prop))

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


def _checked_fields(names_in: Iterable[str]) -> list[str]:
    names = list(names_in)
    unknown = [n for n in names if n not in fields.FIELD_BY_NAME]
    if unknown:
        raise MetadataFormatError(f"unknown field name(s): {', '.join(map(repr, unknown))}")
    return names


def _encode(kind: FieldKind, prop: XmpProp, value: Any) -> str | tuple[str, ...]:
    """``value`` (of field ``kind``) as ``prop`` holds it; "" or () removes the property."""
    if kind is FieldKind.LIST:
        items = tuple(t for t in (clean_text(v) for v in value) if t)
        if prop.kind in (XmpKind.BAG, XmpKind.SEQ):
            return items
        return "; ".join(items)
    if value is None:
        return ""
    if kind is FieldKind.DATETIME:
        text = format_xmp_date(value)
    elif kind is FieldKind.RATING:
        text = str(int(value))
    else:
        text = clean_text(str(value))
    return (text,) if text and prop.kind in (XmpKind.BAG, XmpKind.SEQ) else text


def _write(editor: _Editor, prop: XmpProp, encoded: str | tuple[str, ...]) -> None:
    if prop.kind is XmpKind.LANG_ALT:
        editor.set_lang_alt(prop.key, _text(encoded))
    elif prop.kind in (XmpKind.BAG, XmpKind.SEQ):
        items = encoded if isinstance(encoded, tuple) else ((encoded,) if encoded else ())
        editor.set_list(prop.key, "Bag" if prop.kind is XmpKind.BAG else "Seq", items)
    elif prop.kind is XmpKind.SIMPLE:
        editor.set_simple(prop.key, _text(encoded))
    else:  # STRUCT_MEMBER
        text = _text(encoded)
        holder = editor.struct_holder(prop.path, create=bool(text))
        if holder is not None:
            editor.set_simple(prop.key, text, within=holder)
            if not text:
                editor.drop_if_empty(holder)


def _same_fact(kind: FieldKind, a: Any, b: Any) -> bool:
    """Whether two decoded values are the same fact (dates: same moment to the second)."""
    if a is None or b is None:
        return False
    if kind is FieldKind.DATETIME:
        if a.replace(tzinfo=None, microsecond=0) != b.replace(tzinfo=None, microsecond=0):
            return False
        return a.tzinfo is None or b.tzinfo is None or a.utcoffset() == b.utcoffset()
    return bool(a == b)


def _prune(editor: _Editor, prop: XmpProp, removed: set[str]) -> None:
    """Drop the hierarchy items (``A|B|leaf``) of ``prop`` whose leaf is in ``removed``."""
    occs = _prop_occurrences(editor.descriptions(), prop)
    if not occs or not removed:
        return
    items = _read_list(occs[0]) or ()
    kept = tuple(i for i in items if i.split("|")[-1].strip() not in removed)
    if kept != items:
        _write(editor, prop, kept)


def _merge_field(editor: _Editor, spec: FieldSpec, value: Any, previous: Any = None) -> None:
    """Write ``value`` to every location of ``spec``, each as its role says."""
    descriptions = editor.descriptions()
    # The value before this edit, as the packet's own stores (then mirrors) held it.
    old = _field_value(descriptions, spec, (*_SOURCES, Role.MIRROR))
    if old is None:
        old = previous  # the packet lacks the fact: the value the other stores gave
    followers = [
        prop
        for prop in spec.xmp
        if prop.role in (Role.FOLLOW, Role.FALLBACK)
        and _same_fact(spec.kind, old, _prop_value(descriptions, spec.kind, prop))
    ]
    for prop in spec.xmp:
        if prop.role is Role.PRUNE:
            if spec.kind is FieldKind.LIST and old:
                new_items = {clean_text(v) for v in value}
                _prune(editor, prop, {o for o in old if o not in new_items})
            continue
        if prop.role in (Role.MIRROR, Role.PRESENT) and not editor.has(prop):
            continue
        if prop.role in (Role.FOLLOW, Role.FALLBACK) and prop not in followers:
            continue
        _write(editor, prop, _encode(spec.kind, prop, value))


def merge_xmp(
    existing: bytes | None,
    values: PhotoMetadata,
    fields_in: Iterable[str],
    *,
    previous: PhotoMetadata | None = None,
) -> bytes:
    """A complete new packet: ``existing`` with only the properties of ``fields_in`` set from
    ``values`` (empty/None removes them). Raises ``MetadataFormatError`` if ``existing`` cannot
    be parsed (it is never silently replaced) or a field name is unknown. ``existing`` None,
    empty or only whitespace/NULs starts a fresh packet.

    Every location the field table names for a field is kept in step (see ``fields.Role``):
    stores are written, mirrors updated or removed where present (tiff:ImageDescription),
    followers moved only where they held the old value (xmp:CreateDate), hierarchies pruned of
    removed list items (lr:hierarchicalSubject). Lang-alt fields update the ``x-default`` item
    (added first if missing) and any item that repeated it; removing such a field removes the
    whole property, other languages included. Lists are rewritten whole. ``gps=None`` removes
    every ``exif:GPS*`` property; a position without altitude removes GPSAltitude/-Ref. A bare
    ``rdf:RDF`` packet is wrapped in ``x:xmpmeta``.

    ``previous`` (the file's values before the edit, from every store) tells the followers and
    hierarchies what the old value was when the packet itself does not hold it.

    The packet carries ~2 KB of padding; if it would not fit a JPEG APP1 segment the padding is
    shrunk (possibly to none). Check ``packet_too_big_for_jpeg`` on the result.
    """
    names = _checked_fields(fields_in)
    editor = _Editor(existing)
    for name in names:
        spec = fields.FIELD_BY_NAME[name]
        value = getattr(values, name)
        if spec.kind is FieldKind.GPS:
            _merge_gps(editor, value, spec)
        else:
            old = None if previous is None else getattr(previous, name, None)
            _merge_field(editor, spec, value, old)
    return editor.serialize()


def _merge_gps(editor: _Editor, gps: GPS | None, spec: FieldSpec) -> None:
    props = {local: prop.key for local, prop in _gps_props(spec).items()}
    if gps is None:
        uris = {uri for uri, _ in props.values()}
        for uri in uris:
            editor.remove_all(uri, "GPS")
        return
    if not (math.isfinite(gps.lat) and math.isfinite(gps.lon)) or (
        abs(gps.lat) > 90 or abs(gps.lon) > 180
    ):
        raise MetadataFormatError(f"GPS position out of range: {gps.lat}, {gps.lon}")
    if not editor.has(_gps_props(spec)["GPSVersionID"]):
        editor.set_simple(props["GPSVersionID"], "2.2.0.0")
    editor.set_simple(props["GPSLatitude"], format_xmp_coord(gps.lat, "N", "S"))
    editor.set_simple(props["GPSLongitude"], format_xmp_coord(gps.lon, "E", "W"))
    if gps.alt is None or not math.isfinite(gps.alt):
        editor.set_simple(props["GPSAltitude"], None)
        editor.set_simple(props["GPSAltitudeRef"], None)
    else:
        alt, ref = _format_altitude(gps.alt)
        editor.set_simple(props["GPSAltitude"], alt)
        editor.set_simple(props["GPSAltitudeRef"], ref)


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
