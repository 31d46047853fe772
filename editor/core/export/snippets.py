"""Article snippets for exported photos: article.html, index.html, article.md, Hugo, manifest."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

from editor.core.export.jsonld import jsonld_script
from editor.core.export.naming import printable
from editor.core.export.types import MIME, OutputFile, PhotoExport
from editor.core.model import PhotoMetadata

_SOURCE_ORDER = ("avif", "webp", "jpeg")
_MD_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")  # all ASCII punctuation
_MD_ESCAPE = re.compile(r"[\\`*_{}\[\]()#+!|~]")  # inline syntax; & < > become entities
_MD_BLOCK_START = re.compile(r"^(\d{1,9}(?=\.)|(?=-))")  # "1." or "-" would open a list

STYLESHEET = """\
body{max-width:52rem;margin:2rem auto;padding:0 1rem;font:1.05rem/1.6 Georgia,serif;color:#222}
header{font:.9rem/1.4 system-ui,sans-serif;color:#666;border-bottom:1px solid #ddd}
figure{margin:2.5rem 0}
img{display:block;max-width:100%;height:auto;background:#eee}
figcaption{font:.92rem/1.45 system-ui,sans-serif;color:#444;margin-top:.6rem}
figcaption .credit{color:#777;font-size:.85em;margin-left:.4em}
figcaption .disclosure{display:block;color:#777;font-size:.85em;font-style:italic}
"""


def credit_line(template: str, metadata: PhotoMetadata, now: datetime | None = None) -> str:
    """Fill ``{creator}``, ``{credit}``, ``{copyright}``, ``{year}``, ``{title}``, ``{headline}``,
    ``{city}``, ``{country}``, ``{source}``; falls back to the credit field, else "", when the
    template names a field the photo lacks."""
    year = metadata.date_taken.year if metadata.date_taken else (now or datetime.now()).year
    values = {
        "creator": ", ".join(c for c in metadata.creator if c.strip()),
        "credit": metadata.credit.strip(),
        "copyright": metadata.copyright.strip(),
        "title": metadata.title.strip(),
        "year": str(year),
        "headline": metadata.headline.strip(),
        "city": metadata.city.strip(),
        "country": metadata.country.strip(),
        "source": metadata.source.strip(),
    }
    used = re.findall(r"\{([a-z]+)\}", template)
    if all(values.get(name) for name in used):
        return re.sub(r"\{([a-z]+)\}", lambda m: values.get(m.group(1), ""), template).strip()
    return values["credit"]


def _group(outputs: Sequence[OutputFile]) -> dict[str, list[OutputFile]]:
    groups: dict[str, list[OutputFile]] = {}
    for out in outputs:
        groups.setdefault(out.format, []).append(out)
    for files in groups.values():
        files.sort(key=lambda f: f.width)
    return groups


def file_url(name: str, base_url: str = "") -> str:
    """The URL of an exported file: its name, or under ``base_url`` (the images' home)."""
    return f"{base_url.rstrip('/')}/{quote(name)}" if base_url else quote(name)


def _srcset(files: Sequence[OutputFile], base_url: str = "") -> str:
    return ", ".join(f"{file_url(f.name, base_url)} {f.width}w" for f in files)


def main_image(photo: PhotoExport) -> OutputFile:
    """The file ``src`` points at: the largest JPEG, else the largest of the first format."""
    groups = _group(photo.outputs)
    fmt = "jpeg" if "jpeg" in groups else photo.outputs[0].format
    return groups[fmt][-1]


def figure_html(photo: PhotoExport, indent: str = "", base_url: str = "",
                content_width: int | None = None) -> str:
    """One ``<figure>``; ``sizes`` says the image fills ``content_width`` CSS px (default: its
    own width) or the viewport below that; ``base_url`` prefixes the file names."""
    m = photo.metadata
    groups = _group(photo.outputs)
    main = main_image(photo)
    responsive = len(groups[main.format]) > 1
    width = content_width or main.width
    sizes = f"(max-width: {width}px) 100vw, {width}px"
    img = [f'src="{escape(file_url(main.name, base_url))}"']
    if responsive:
        img += [f'srcset="{escape(_srcset(groups[main.format], base_url))}"', f'sizes="{sizes}"']
    img += [f'width="{main.width}"', f'height="{main.height}"', f'alt="{escape(m.alt_text)}"',
            'loading="lazy"', 'decoding="async"']
    img_tag = f"<img {' '.join(img)}>"
    lines = [f"{indent}<figure>"]
    others = [f for f in _SOURCE_ORDER if f in groups and f != main.format]
    if others:
        lines.append(f"{indent}  <picture>")
        for fmt in others:
            size_attr = f' sizes="{sizes}"' if responsive else ""
            lines.append(f'{indent}    <source type="{MIME[fmt]}" '
                         f'srcset="{escape(_srcset(groups[fmt], base_url))}"{size_attr}>')
        lines.append(f"{indent}    {img_tag}")
        lines.append(f"{indent}  </picture>")
    else:
        lines.append(f"{indent}  {img_tag}")
    caption = "<br>\n".join(escape(line) for line in m.caption.strip().splitlines())
    credit = f'<span class="credit">{escape(photo.credit_line)}</span>' if photo.credit_line else ""
    disclosure = (f'<span class="disclosure">{escape(photo.disclosure)}</span>'
                  if photo.disclosure else "")
    if caption or credit or disclosure:
        text = " ".join(p for p in (caption, credit) if p)
        if disclosure:
            text = f"{text}\n{indent}  {disclosure}" if text else disclosure
        lines.append(f"{indent}  <figcaption>{text}</figcaption>")
    lines.append(f"{indent}</figure>")
    return "\n".join(lines)


def article_html(photos: Sequence[PhotoExport], base_url: str = "",
                 content_width: int | None = None) -> str:
    """One figure per photo, each followed by its ImageObject JSON-LD (``jsonld``)."""
    return "\n\n".join(
        f"{figure_html(p, '', base_url, content_width)}\n"
        f"{jsonld_script(p, file_url(main_image(p).name, base_url))}"
        for p in photos
    ) + "\n"


def index_html(photos: Sequence[PhotoExport], title: str = "Export preview") -> str:
    figures = "\n\n".join(figure_html(p, "  ") for p in photos)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{STYLESHEET}</style>\n</head>\n<body>\n"
        f"<header><p>{escape(title)}: {len(photos)} photos as <code>article.html</code> "
        "shows them.</p></header>\n<main>\n"
        f"{figures}\n</main>\n</body>\n</html>\n"
    )


def md_text(text: str) -> str:
    """CommonMark-safe inline text on one line: ``& < >`` as entities, the marks of inline
    syntax backslash-escaped, and a leading list marker too, so no HTML, emphasis, link, code
    or entity comes alive and a renderer shows exactly ``text`` (whitespace runs folded)."""
    flat = _MD_ESCAPE.sub(lambda m: "\\" + m.group(), " ".join(text.split()))
    flat = _MD_BLOCK_START.sub(lambda m: m.group() + "\\", flat)
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_entities(text: str) -> str:
    """Markdown for Hugo's ``markdownify``: every ASCII punctuation mark as a numeric character
    reference, so neither Markdown syntax, HTML, Goldmark's typographer (smart quotes, dashes)
    nor Hugo's shortcode lexer sees anything but literal text (no backslash, quote or backtick is
    left, so the value can always be quoted)."""
    return _MD_PUNCT.sub(lambda m: f"&#{ord(m.group())};", " ".join(text.split()))


def _caption_md(photo: PhotoExport) -> str:
    parts = []
    if photo.metadata.caption.strip():
        parts.append(f"*{md_text(photo.metadata.caption)}*")
    if photo.credit_line:
        parts.append(md_text(photo.credit_line))
    if photo.disclosure:
        parts.append(f"({md_text(photo.disclosure)})")
    return " ".join(parts)


def article_md(photos: Sequence[PhotoExport], base_url: str = "") -> str:
    blocks = []
    for photo in photos:
        main = main_image(photo)
        url = file_url(main.name, base_url).replace("(", "%28").replace(")", "%29")
        block = f"![{md_text(photo.metadata.alt_text)}]({url})"
        caption = _caption_md(photo)
        blocks.append(f"{block}\n\n{caption}" if caption else block)
    return "\n\n".join(blocks) + "\n"


def _hugo_literal(value: str) -> str:
    """A Hugo shortcode parameter whose value arrives exactly as ``value`` (one line).

    Hugo's lexer keeps a raw `...` string verbatim; a "..." string keeps backslashes verbatim
    unless it holds an escaped quote, in which case it drops every backslash. A value with a
    backtick and also a backslash next to a quote or backtick cannot be written exactly: its
    backticks become U+02CB (a look-alike), the only change ever made.
    """
    if "`" not in value:
        return f"`{value}`"
    if "\\" not in value:
        return '"' + value.replace('"', '\\"') + '"'
    if '"' not in value and not value.endswith("\\") and "\\`" not in value:
        return f'"{value}"'
    return "`" + value.replace("`", "\u02cb") + "`"


def article_hugo(photos: Sequence[PhotoExport], base_url: str = "") -> str:
    """``{{< figure >}}`` shortcodes: alt is used literally, caption and attr are markdownified
    (hence written as entity-escaped Markdown)."""
    blocks = []
    for photo in photos:
        main = main_image(photo)
        m = photo.metadata
        alt = _hugo_literal(" ".join(m.alt_text.split()))
        src = file_url(main.name, base_url).replace('"', "%22")
        params = [f'src="{src}"', f"alt={alt}"]
        caption = md_entities(" ".join(p for p in (m.caption, photo.disclosure) if p.strip()))
        if caption:
            params.append(f'caption="{caption}"')
        if photo.credit_line.strip():
            params.append(f'attr="{md_entities(photo.credit_line)}"')
        params += [f'width="{main.width}"', f'height="{main.height}"']
        blocks.append("{{< figure " + " ".join(params) + " >}}")
    return "\n\n".join(blocks) + "\n"


def manifest(photos: Sequence[PhotoExport], failures: Sequence[tuple[Path, str]],
             options: dict[str, object]) -> str:
    entries = []
    for p in photos:
        m = p.metadata
        entries.append({
            "source": printable(str(p.source)),
            "name": p.base,
            "title": m.title,
            "caption": m.caption,
            "alt_text": m.alt_text,
            "credit": m.credit,
            "credit_line": p.credit_line,
            "creator": list(m.creator),
            "copyright": m.copyright,
            "outputs": [
                {"file": o.name, "format": o.format, "width": o.width, "height": o.height,
                 "bytes": o.bytes}
                for o in p.outputs
            ],
            "removed": list(p.removed),
            "warnings": list(p.warnings),
        })
    doc = {
        "generator": "PhotoCaption",
        "version": 1,
        "options": options,
        "photos": entries,
        "failed": [{"source": printable(str(path)), "reason": reason} for path, reason in failures],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
