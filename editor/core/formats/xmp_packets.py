"""XMP that a container holds in more than one piece: merged for reading, split for JPEG.

A JPEG may carry a second standard XMP packet (some tools append one instead of editing the
first) and Extended XMP (XMP spec part 3: the properties that do not fit the 64 KB main packet,
in GUID-linked APP1 chunks, the main packet naming the GUID in xmpNote:HasExtendedXMP). Readers
combine them, so the engine does too: ``merge`` gives one packet (the first holding a property
wins), and ``split`` turns a packet too large for one segment back into main + extension.
Works on the XML tree only; the values are the codecs' business.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar
from xml.dom import Node
from xml.dom.minidom import Attr, Document, Element
from xml.parsers.expat import ExpatError

import defusedxml.minidom
from defusedxml import DefusedXmlException

from editor.core.errors import MetadataFormatError

NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_X = "adobe:ns:meta/"
NS_XMLNS = "http://www.w3.org/2000/xmlns/"
NS_XML = "http://www.w3.org/XML/1998/namespace"
NS_XMP_NOTE = "http://ns.adobe.com/xmp/note/"
HAS_EXTENDED = (NS_XMP_NOTE, "HasExtendedXMP")
_PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"
_HEADER = f'<?xpacket begin="\ufeff" id="{_PACKET_ID}"?>\n'.encode()
_TRAILER = b'\n<?xpacket end="w"?>'
_PADDING = 2048

_T = TypeVar("_T")

Key = tuple[str, str]  # (namespace URI, local name) of a top-level property


def _decode(packet: bytes) -> str:
    try:
        text = packet.decode("utf-8")
    except UnicodeDecodeError as err:
        raise MetadataFormatError(f"XMP packet is not valid UTF-8 ({err})") from None
    text = text.lstrip("\ufeff").strip("\x00 \t\r\n")
    end = text.rfind("<?xpacket end=")
    if end >= 0 and (close := text.find("?>", end)) >= 0:
        text = text[: close + 2]
    return text


def _parse(packet: bytes) -> Document:
    try:
        return defusedxml.minidom.parseString(_decode(packet), forbid_dtd=True)
    except (DefusedXmlException, ExpatError, ValueError, RecursionError) as err:
        raise MetadataFormatError(f"XMP packet cannot be parsed ({type(err).__name__})") from None


def _elements(node: Node) -> list[Element]:
    return [c for c in node.childNodes if c.nodeType == Node.ELEMENT_NODE]  # type: ignore[misc]


def _rdf(doc: Document) -> Element:
    root = doc.documentElement
    if root is not None and (root.namespaceURI, root.localName) == (NS_RDF, "RDF"):
        return root
    if root is not None and (root.namespaceURI, root.localName) == (NS_X, "xmpmeta"):
        for child in _elements(root):
            if (child.namespaceURI, child.localName) == (NS_RDF, "RDF"):
                return child
    raise MetadataFormatError("XMP packet has no rdf:RDF element")


def _descriptions(doc: Document) -> list[Element]:
    return [
        d for d in _elements(_rdf(doc)) if (d.namespaceURI, d.localName) == (NS_RDF, "Description")
    ]


def _is_property_attr(attr: Attr) -> bool:
    return attr.namespaceURI not in (NS_XMLNS, NS_RDF, NS_XML, None) and attr.prefix != "xmlns"


def _properties(desc: Element) -> list[tuple[Key, Attr | Element]]:
    out: list[tuple[Key, Attr | Element]] = [
        ((a.namespaceURI, a.localName), a) for a in desc.attributes.values() if _is_property_attr(a)
    ]
    out.extend(((e.namespaceURI or "", e.localName or ""), e) for e in _elements(desc))
    return out


def _keys(doc: Document) -> dict[Key, str]:
    """Each top-level property's key and its qualified name."""
    return {key: node.nodeName for desc in _descriptions(doc) for key, node in _properties(desc)}


def _namespace_declarations(node: Node) -> dict[str, str]:
    """Every xmlns declaration in scope at ``node`` (nearest wins)."""
    chain: list[Element] = []
    current: Node | None = node
    while current is not None and current.nodeType == Node.ELEMENT_NODE:
        chain.append(current)  # type: ignore[arg-type]
        current = current.parentNode
    found: dict[str, str] = {}
    for element in reversed(chain):
        for attr in element.attributes.values():
            if attr.name == "xmlns" or attr.name.startswith("xmlns:"):
                found[attr.name] = attr.value
    return found


def _new_description(doc: Document, declarations: dict[str, str]) -> Element:
    desc = doc.createElementNS(NS_RDF, "rdf:Description")
    desc.setAttributeNS(NS_RDF, "rdf:about", "")
    for name, uri in declarations.items():
        desc.setAttributeNS(NS_XMLNS, name, uri)
    return desc


def _text(node: Attr | Element) -> str:
    return node.value if isinstance(node, Attr) else " ".join(node.toxml().split())


def _remove(doc: Document, key: Key) -> None:
    for desc in _descriptions(doc):
        for k, node in _properties(desc):
            if k == key:
                if isinstance(node, Attr):
                    desc.removeAttributeNode(node)
                else:
                    desc.removeChild(node)


def _prune(doc: Document) -> None:
    """Drop descriptions left without properties (and the whitespace before them), so that
    merging and splitting again and again does not pile up empty ones."""
    for desc in _descriptions(doc):
        if _properties(desc):
            continue
        before = desc.previousSibling
        parent = desc.parentNode
        assert parent is not None
        parent.removeChild(desc)
        if before is not None and before.nodeType == Node.TEXT_NODE and not before.data.strip():  # type: ignore[attr-defined]
            parent.removeChild(before)


def _serialize(doc: Document, *, wrapper: bool, padding: int = _PADDING) -> bytes:
    _prune(doc)
    root = doc.documentElement
    assert root is not None
    if (root.namespaceURI, root.localName) == (NS_RDF, "RDF"):
        body = f'<x:xmpmeta xmlns:x="{NS_X}">{root.toxml()}</x:xmpmeta>'.encode()
    else:
        body = root.toxml().encode()
    if not wrapper:
        return body
    pad = b"\n" + (b" " * 99 + b"\n") * (padding // 100) if padding >= 100 else b""
    return _HEADER + body + pad + _TRAILER


def _no_recursion(func: Callable[..., _T]) -> Callable[..., _T]:
    """minidom serializes recursively: absurdly deep (hostile) XML becomes a format error."""

    @functools.wraps(func)
    def guarded(*args: object, **kwargs: object) -> _T:
        try:
            return func(*args, **kwargs)
        except RecursionError:
            raise MetadataFormatError("XMP packet is nested too deeply") from None

    return guarded


@_no_recursion
def merge(packets: Sequence[bytes], *, drop: Sequence[Key] = ()) -> tuple[bytes, list[str]]:
    """One packet with every top-level property of ``packets``; where several hold the same
    property, the first one's value is kept. Returns the packet and the names of properties whose
    later copies differed (and were not used). ``drop`` properties are removed from the result.
    Raises MetadataFormatError when a packet cannot be parsed."""
    docs = [_parse(p) for p in packets]
    first = docs[0]
    present = {key: "" for key in _keys(first)}
    values = {key: _text(node) for d in _descriptions(first) for key, node in _properties(d)}
    differing: list[str] = []
    rdf = _rdf(first)
    for doc in docs[1:]:
        for desc in _descriptions(doc):
            new_desc = _new_description(first, _namespace_declarations(desc))
            added = False
            for key, node in _properties(desc):
                if key in present:
                    if values.get(key) != _text(node) and node.nodeName not in differing:
                        differing.append(node.nodeName)
                    continue
                if isinstance(node, Attr):
                    new_desc.setAttributeNS(node.namespaceURI, node.name, node.value)
                else:
                    new_desc.appendChild(first.importNode(node, True))
                present[key] = ""
                values[key] = _text(node)
                added = True
            if added:
                rdf.appendChild(new_desc)
    for key in drop:
        _remove(first, key)
    return _serialize(first, wrapper=True), differing


@_no_recursion
def holds(packet: bytes, key: Key) -> str | None:
    """The text of a simple top-level property, or None (also when the packet does not parse)."""
    try:
        doc = _parse(packet)
        for desc in _descriptions(doc):
            for k, node in _properties(desc):
                if k == key:
                    return node.value if isinstance(node, Attr) else _inner_text(node)
    except MetadataFormatError:
        return None
    return None


def _inner_text(node: Element) -> str:
    return "".join(
        c.data
        for c in node.childNodes
        if c.nodeType == Node.TEXT_NODE  # type: ignore[attr-defined]
    ).strip()


@_no_recursion
def without(packet: bytes, key: Key) -> bytes:
    """``packet`` with the top-level property ``key`` removed (re-serialized only if present)."""
    doc = _parse(packet)
    if key not in _keys(doc):
        return packet
    _remove(doc, key)
    return _serialize(doc, wrapper=True)


@_no_recursion
def split(packet: bytes, limit: int) -> tuple[bytes, bytes | None, str]:
    """``packet`` as a main packet of at most ``limit`` bytes and an extension (XMP spec part 3):
    the largest top-level properties move to the extension until the main packet fits; the main
    packet names the extension's GUID (the MD5 of its bytes, upper-case hex) in
    xmpNote:HasExtendedXMP. Returns (main, extension or None when it all fits, GUID or "").
    Raises MetadataFormatError when even an empty main packet would not fit."""
    doc = _parse(packet)
    _remove(doc, HAS_EXTENDED)
    whole = _serialize(doc, wrapper=True)
    if len(whole) <= limit:
        return whole, None, ""
    ext_doc = _parse(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="' + NS_RDF.encode()
                     + b'"/></x:xmpmeta>')  # fmt: skip
    ext_rdf = _rdf(ext_doc)
    placeholder = "0" * 32
    note = _new_description(doc, {"xmlns:xmpNote": NS_XMP_NOTE})
    marker = doc.createElementNS(NS_XMP_NOTE, "xmpNote:HasExtendedXMP")
    marker.appendChild(doc.createTextNode(placeholder))
    note.appendChild(marker)
    rdf = _rdf(doc)
    rdf.insertBefore(note, rdf.firstChild)
    movable = sorted(
        (
            (len(node.toxml().encode()), desc, node)
            for desc in _descriptions(doc)
            if desc is not note
            for _, node in _properties(desc)
            if isinstance(node, Element)
        ),
        key=lambda item: -item[0],
    )
    homes: dict[int, Element] = {}
    for _size, desc, node in movable:
        if len(_serialize(doc, wrapper=True, padding=0)) <= limit:
            break
        home = homes.get(id(desc))
        if home is None:
            home = _new_description(ext_doc, _namespace_declarations(desc))
            ext_rdf.appendChild(home)
            homes[id(desc)] = home
        desc.removeChild(node)
        home.appendChild(ext_doc.importNode(node, True))
    if len(_serialize(doc, wrapper=True, padding=0)) > limit:
        raise MetadataFormatError("the XMP main packet does not fit a JPEG segment")
    extension = _serialize(ext_doc, wrapper=False)
    guid = hashlib.md5(extension, usedforsecurity=False).hexdigest().upper()
    marker.firstChild.data = guid  # type: ignore[union-attr]
    room = limit - len(_serialize(doc, wrapper=True, padding=0))
    main = _serialize(doc, wrapper=True, padding=min(_PADDING, max(0, room - 1)) // 100 * 100)
    return main, extension, guid
