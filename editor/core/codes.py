"""Code replacement, as in Photo Mechanic: ``=rw=`` typed in a text field becomes "Rob Whitworth".

The list is a text file of ``code<TAB>replacement`` lines (Photo Mechanic's format; further
tab-separated columns are ignored, as are blank lines and lines without a tab). A code is
matched exactly first, then ignoring case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from editor.core.safe_write import replace_own_file

DEFAULT_DELIMITER = "="
CODES_NAME = "codes.txt"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def parse_codes(text: str) -> dict[str, str]:
    """``{code: replacement}`` from Photo Mechanic's tab-separated text (later lines win)."""
    codes: dict[str, str] = {}
    for line in text.splitlines():
        line = line.lstrip("\ufeff")
        if "\t" not in line:
            continue
        code, replacement = line.split("\t")[:2]
        code = code.strip()
        if code:
            codes[code] = replacement.strip()
    return codes


def dump_codes(codes: Mapping[str, str]) -> str:
    return "".join(f"{code}\t{text}\n" for code, text in codes.items() if code.strip())


def read_codes(path: Path) -> dict[str, str]:
    """The codes in ``path``; an absent or unreadable file is an empty list. Tries UTF-8, then
    Windows-1252 (Photo Mechanic on Windows writes that)."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_codes(text)


def write_codes(path: Path, codes: Mapping[str, str]) -> None:
    """Replace ``path`` atomically with ``codes``."""
    replace_own_file(path, dump_codes(codes).encode("utf-8"), ".codes-")


def lookup(codes: Mapping[str, str], code: str) -> str | None:
    if code in codes:
        return codes[code]
    folded = code.casefold()
    for key, value in codes.items():
        if key.casefold() == folded:
            return value
    return None


def expand_at(
    text: str, cursor: int, codes: Mapping[str, str], delimiter: str = DEFAULT_DELIMITER
) -> tuple[int, int, str] | None:
    """If ``text`` just before ``cursor`` ends with a delimited known code (``=rw=``), the span
    to replace and its replacement: ``(start, end, replacement)``; else None."""
    if not delimiter or not codes or not text[:cursor].endswith(delimiter):
        return None
    head = text[: cursor - len(delimiter)]
    start = head.rfind(delimiter)
    if start < 0:
        return None
    code = head[start + len(delimiter) :]
    if not code or any(c.isspace() for c in code):
        return None
    replacement = lookup(codes, code)
    if replacement is None:
        return None
    return start, cursor, replacement


def words_of(codes: Mapping[str, str]) -> set[str]:
    """The words of the replacements (names, places): the spell checker accepts them."""
    return {w.lower() for text in codes.values() for w in _WORD.findall(text)}


