"""Where a field is stored, derived from the field table, for tooltips: "XMP photoshop:Headline"."""

from __future__ import annotations

from editor.core.fields import FIELDS, FieldSpec, Role, StructStep

# Namespace URI -> the prefix the table declares for it (struct paths carry only the URI).
_PREFIXES: dict[str, str] = {p.ns_uri: p.prefix for f in FIELDS for p in f.xmp}


def _step(step: StructStep | tuple[str, str]) -> str:
    if isinstance(step, StructStep):
        name = f"{_PREFIXES.get(step.ns_uri, '?')}:{step.local_name}"
        return f"{name}[1]" if step.array else name
    ns_uri, local = step
    return f"{_PREFIXES.get(ns_uri, '?')}:{local}"


def storage_places(spec: FieldSpec) -> list[str]:
    """The places a value is read from and written to, in the table's order (copies kept in
    step, such as tiff:ImageDescription, are left out): ["EXIF Artist", "XMP dc:creator", ...]."""
    places = [f"EXIF {t.name}" for t in spec.exif if t.role.read]
    for prop in spec.xmp:
        if prop.role not in (Role.STORE, Role.PRESENT):
            continue
        path = "/".join([*(_step(s) for s in prop.path), f"{prop.prefix}:{prop.local_name}"])
        places.append(f"XMP {path}")
    places += [f"IPTC 2:{d.number:02d} {d.name}" for d in spec.iim]
    return places


def field_tooltip(spec: FieldSpec) -> str:
    """The field's help, then where it is stored: what a photographer and a developer both ask."""
    places = storage_places(spec)
    if len(places) > 6:  # GPS: five XMP components
        places = [*places[:6], "…"]
    where = "Stored in " + ", ".join(places) if places else ""
    fallbacks = list(dict.fromkeys(
        _step(p.path[0]).removesuffix("[1]") for p in spec.xmp if p.role is Role.FALLBACK and p.path
    ))
    if fallbacks:
        where += "; read from " + " or ".join(fallbacks) + " when those are empty"
    return "\n\n".join(part for part in (spec.help, where) if part)
