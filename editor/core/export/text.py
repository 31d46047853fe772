"""Burn a credit (corner watermark) and a caption band into exported pixels, with font fallback."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from editor.core.export.types import BurnIn

BUNDLED_FONT = Path(__file__).resolve().parents[3] / "resources" / "fonts" / "DejaVuSans.ttf"
_SYSTEM_PRIMARY = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial.ttf"),
    Path("C:/Windows/Fonts/arial.ttf"),
)
# Fonts that draw scripts DejaVu cannot (CJK above all); the first that exists and has the glyph.
FALLBACK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/malgun.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
    "C:/Windows/Fonts/seguisym.ttf",
)
_lock = threading.Lock()  # FreeType faces are not safe to share across threads while loading


def primary_font_path() -> Path | None:
    for path in (BUNDLED_FONT, *_SYSTEM_PRIMARY):
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=16)
def _notdef(path: str) -> bytes:
    mask = _font(path, 24).getmask("\U0010fffd")
    return bytes(mask)


@functools.lru_cache(maxsize=8192)
def has_glyph(path: str, char: str) -> bool:
    """True if the font at ``path`` draws ``char`` (its rendering differs from the missing box)."""
    if char.isspace():
        return True
    try:
        return bytes(_font(path, 24).getmask(char)) != _notdef(path)
    except OSError:
        return False


@functools.lru_cache(maxsize=1024)
def _fontconfig_for(char: str) -> str | None:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(
            [fc_list, f":charset={ord(char):x}", "file"], capture_output=True, text=True,
            timeout=5, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in out.splitlines() if line.strip())
    return next((f for f in files if f.lower().endswith((".ttf", ".otf", ".ttc"))), None)


def font_for(char: str, primary: str) -> str | None:
    """The first font that draws ``char``: the primary, known fallbacks, then fontconfig."""
    with _lock:
        if has_glyph(primary, char):
            return primary
        for candidate in FALLBACK_FONTS:
            if Path(candidate).is_file() and has_glyph(candidate, char):
                return candidate
        found = _fontconfig_for(char)
        if found and has_glyph(found, char):
            return found
    return None


class TextSetter:
    """Lays out one line of mixed-script text as runs in the fonts that can draw them."""

    def __init__(self, size: int) -> None:
        path = primary_font_path()
        self.primary = str(path) if path else ""
        self.size = max(8, size)
        self.missing: set[str] = set()

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont | ImageFont.ImageFont]]:
        if not self.primary:
            return [(text, ImageFont.load_default(self.size))]
        out: list[tuple[str, str]] = []
        for char in text:
            path = font_for(char, self.primary)
            if path is None:
                self.missing.add(char)
                path = self.primary
            if out and out[-1][1] == path:
                out[-1] = (out[-1][0] + char, path)
            else:
                out.append((char, path))
        with _lock:
            return [(run, _font(path, self.size)) for run, path in out]

    def width(self, text: str) -> float:
        return sum(font.getlength(run) for run, font in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str,
             fill: tuple[int, ...], **kwargs: object) -> None:
        """Draw ``text`` with its baseline at ``xy``'s y."""
        x, y = xy
        for run, font in self.runs(text):
            draw.text((x, y), run, font=font, fill=fill, anchor="ls", **kwargs)  # type: ignore[arg-type]
            x += font.getlength(run)

    def wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.width(candidate) <= width or not line:
                    line = candidate
                else:
                    lines.append(line)
                    line = word
                while self.width(line) > width and len(line) > 1:  # a word wider than the line
                    cut = len(line) - 1
                    while cut > 1 and self.width(line[:cut]) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line)
        return lines


def burn_in(image: Image.Image, burn: BurnIn, caption: str, credit: str) -> tuple[
        Image.Image, set[str]]:
    """Return the image with the credit and/or caption drawn in, and characters no font had."""
    missing: set[str] = set()
    long_edge = max(image.size)
    base = image.convert("RGBA")
    if burn.credit and credit:
        setter = TextSetter(round(long_edge * burn.credit_size))
        overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        margin = round(long_edge * burn.margin)
        text_w = setter.width(credit)
        x = margin if "left" in burn.corner else base.width - margin - text_w
        y = margin + setter.size if "top" in burn.corner else base.height - margin
        alpha = round(255 * max(0.0, min(1.0, burn.opacity)))
        shadow = max(1, setter.size // 14)
        setter.draw(draw, (x + shadow, y + shadow), credit, (0, 0, 0, alpha // 2))
        setter.draw(draw, (x, y), credit, (255, 255, 255, alpha))
        base = Image.alpha_composite(base, overlay)
        missing |= setter.missing
    if burn.caption and caption:
        setter = TextSetter(round(long_edge * burn.caption_size))
        pad = max(4, round(setter.size * 0.7))
        text = caption if burn.credit or not credit else f"{caption}  {credit}"
        lines = setter.wrap(text, base.width - 2 * pad)
        line_h = round(setter.size * 1.3)
        band_h = 2 * pad + line_h * len(lines)
        framed = Image.new("RGBA", (base.width, base.height + band_h), (17, 17, 17, 255))
        framed.paste(base, (0, 0))
        draw = ImageDraw.Draw(framed)
        y = base.height + pad + setter.size
        for line in lines:
            setter.draw(draw, (pad, y), line, (240, 240, 240, 255))
            y += line_h
        base = framed
        missing |= setter.missing
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    return base.convert(mode) if mode == "RGB" else base, missing


def describe_missing(chars: Sequence[str] | set[str]) -> str:
    sample = "".join(sorted(chars))[:12]
    return f"no installed font can draw some characters of the burned-in text ({sample})"
