"""Slugs for exported file names: ASCII, short, unique, never reserved, hidden or a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.core.export.naming import (
    MAX_BASE,
    dedupe,
    inside,
    is_reserved,
    output_name,
    render_name,
    safe_base,
    slugify,
    title_source,
)


def test_issue_example() -> None:
    assert slugify("Enter Pyongyang — Mansudae at dusk") == "enter-pyongyang-mansudae-at-dusk"
    assert output_name("enter-pyongyang-mansudae-at-dusk", "jpg", 800) == \
        "enter-pyongyang-mansudae-at-dusk-800w.jpg"


@pytest.mark.parametrize(("text", "expected"), [
    ("Café crème, Zürich", "cafe-creme-zurich"),
    ("../../etc/passwd", "etc-passwd"),
    ("CON", "con-photo"),
    ("nul", "nul-photo"),
    ("COM1", "com1-photo"),
    ("...", "photo"),
    (".hidden", "hidden"),
    ("", "photo"),
    ("a\x00b/c\\d", "a-b-c-d"),
])
def test_safe_base(text: str, expected: str) -> None:
    assert safe_base(text) == expected


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= MAX_BASE and not slug.endswith("-") and slug.endswith("word")


def test_title_then_caption_then_file_name() -> None:
    assert title_source("T", "C", Path("x.jpg")) == "T"
    assert title_source("", "C", Path("x.jpg")) == "C"
    assert title_source("!!", "", Path("IMG_1.jpg")) == "IMG_1"


def test_dedupe_counts_and_ignores_case() -> None:
    assert dedupe(["a", "a", "a-2", "A"]) == ["a", "a-2", "a-2-2", "A-3"]


def test_templates_cannot_make_paths() -> None:
    assert render_name("{date}/{slug}", {"slug": "x", "date": "2024-05-01"}) == "2024-05-01-x"
    assert render_name("{unknown}", {}) == "photo"
    with pytest.raises(ValueError):
        inside(Path("/out"), "../x")


@given(st.text())
def test_any_text_gives_a_safe_name(text: str) -> None:
    base = safe_base(text)
    assert base and base.isascii() and len(base) <= MAX_BASE + len("-photo")
    assert not base.startswith((".", "-")) and "/" not in base and "\\" not in base
    assert not is_reserved(base)
    assert inside(Path("/out"), output_name(base, "jpg", None)).parent == Path("/out")
