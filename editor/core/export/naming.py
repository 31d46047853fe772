"""Safe output file names for exported copies: ASCII slugs, templates, de-duplication."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

MAX_BASE = 60
FALLBACK_BASE = "photo"

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
    | {"com¹", "com²", "com³", "lpt¹", "lpt²", "lpt³"}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def transliterate(text: str) -> str:
    """ASCII approximation of ``text``: anyascii when installed, else accents stripped."""
    try:
        from anyascii import anyascii
    except ImportError:  # optional dependency: fall back to dropping what is not Latin
        decomposed = unicodedata.normalize("NFKD", text)
        return (
            "".join(c for c in decomposed if not unicodedata.combining(c))
            .encode("ascii", "ignore")
            .decode("ascii")
        )
    return str(anyascii(text))


def slugify(text: str, max_len: int = MAX_BASE) -> str:
    """Lower-case, hyphenated ASCII; cut at a word boundary to at most ``max_len``; may be ""."""
    slug = _NOT_SLUG.sub("-", transliterate(text).lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[: max_len + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[1:] else slug[:max_len]
        slug = slug.strip("-")
    return slug


def is_reserved(base: str) -> bool:
    """True for names Windows refuses whatever the extension (CON, nul.txt, COM1...)."""
    return base.split(".")[0].rstrip(" ").lower() in _WINDOWS_RESERVED


def safe_base(text: str, max_len: int = MAX_BASE) -> str:
    """A slug usable as a file name anywhere: never empty, reserved, hidden or a path."""
    base = slugify(text, max_len) or FALLBACK_BASE
    if is_reserved(base):
        base = f"{base}-photo"
    return base


def render_name(template: str, values: Mapping[str, str]) -> str:
    """Fill ``{slug}``, ``{stem}``, ``{index}``, ``{date}``... then make the result a safe base."""

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), "")

    filled = _PLACEHOLDER.sub(fill, template)
    return safe_base(filled)


def title_source(title: str, caption: str, original: Path) -> str:
    """What the slug is made from: the title, else the caption, else the original's name."""
    for text in (title, caption):
        if slugify(text):
            return text
    return original.stem


def dedupe(bases: Iterable[str]) -> list[str]:
    """Append -2, -3... so no two bases are equal (case-insensitively), keeping the order."""
    used: set[str] = set()
    out: list[str] = []
    for base in bases:
        candidate, n = base, 2
        while candidate.lower() in used:
            candidate = f"{base}-{n}"
            n += 1
        used.add(candidate.lower())
        out.append(candidate)
    return out


def output_name(base: str, ext: str, width: int | None) -> str:
    """``base.ext``, or ``base-800w.ext`` in a responsive set."""
    return f"{base}-{width}w.{ext}" if width is not None else f"{base}.{ext}"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would not be a direct child of ``folder``."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"unsafe file name {name!r}")
    return folder / name


def printable(text: str) -> str:
    """``text`` with the bytes of a name that was not UTF-8 (lone surrogates, as Python reads
    them) written as ``\\xe9``, so it can be printed or stored in UTF-8 (JSON, a terminal)."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no byte stands for
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
