"""Burned-in credit and caption band: bundled font, fallback for other scripts, or a warning."""

from __future__ import annotations

import pytest
from PIL import Image

from editor.core.export.text import BUNDLED_FONT, burn_in, font_for, primary_font_path
from editor.core.export.types import BurnIn


def test_bundled_font_and_licence_are_present() -> None:
    assert BUNDLED_FONT.is_file()
    assert (BUNDLED_FONT.parent / "DejaVuSans-LICENSE.txt").is_file()
    assert primary_font_path() == BUNDLED_FONT


def test_credit_is_drawn_in_the_chosen_corner() -> None:
    base = Image.new("RGB", (400, 300), (0, 0, 0))
    out, missing = burn_in(base, BurnIn(credit=True, corner="top-left", opacity=1.0), "",
                           "Photo: Jane")
    assert out.size == base.size and not missing
    assert out.crop((0, 0, 200, 60)).getextrema()[0][1] > 200  # white text top-left
    assert out.crop((200, 150, 400, 300)).getextrema()[0][1] == 0


def test_caption_band_grows_the_image_and_korean_falls_back_or_warns() -> None:
    base = Image.new("RGB", (600, 400), (90, 90, 90))
    caption = "평양 만수대 " * 8
    out, missing = burn_in(base, BurnIn(caption=True), caption, "Photo: Kim")
    assert out.width == 600 and out.height > 400 + 24  # several wrapped lines
    primary = str(primary_font_path())
    has_fallback = font_for("평", primary) is not None
    assert bool(missing) != has_fallback  # either drawn with a fallback font, or reported


def test_without_a_fallback_font_the_export_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    from editor.core.export import text as export_text

    mp = monkeypatch
    mp.setattr(export_text, "FALLBACK_FONTS", ())
    mp.setattr(export_text, "_fontconfig_for", lambda char: None)
    _out, missing = burn_in(Image.new("RGB", (300, 200)), BurnIn(caption=True), "평양", "")
    assert missing == {"평", "양"}
    assert "평" in export_text.describe_missing(missing)
