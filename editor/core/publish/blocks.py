"""Gutenberg markup for the post: exactly what the block editor saves for a core/image block.

From Gutenberg's ``packages/block-library/src/image/save.js`` and its fixtures (WordPress 6.1+,
which added ``wp-element-caption``), for an image picked from the media library at the "large"
size with no link::

    <!-- wp:image {"id":7,"sizeSlug":"large","linkDestination":"none"} -->
    <figure class="wp-block-image size-large"><img src="URL" alt="ALT" class="wp-image-7"/>\
<figcaption class="wp-element-caption">CAPTION</figcaption></figure>
    <!-- /wp:image -->

Escaping follows ``@wordpress/escape-html``: attribute values escape ``& " < >``; the caption is
rich text, so it escapes ``&`` and ``<`` and joins lines with ``<br>``. Markup that matches
byte for byte is what the editor re-serializes, so the post opens without "This block contains
unexpected or invalid content". Checked once with the editor's own code (Node, jsdom,
``@wordpress/blocks`` ``parse()`` with ``@wordpress/block-library`` 8.35's image block): every
block, with quotes, ampersands, angle brackets, Hangul and line breaks, ``isValid``.
"""

from __future__ import annotations

import json
import re


def attr(text: str) -> str:
    """An attribute value as the editor writes it."""
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def rich_text(text: str) -> str:
    """Plain text as RichText saves it: ``&`` and ``<`` escaped, line breaks as ``<br>``."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return "<br>".join(line.replace("&", "&amp;").replace("<", "&lt;") for line in lines if line)


def caption_html(caption: str, credit: str) -> str:
    """The figcaption's content: the caption, then the credit line on its own line."""
    return "<br>".join(part for part in (rich_text(caption), rich_text(credit)) if part)


def block_attrs(media_id: int, size_slug: str) -> str:
    """The block comment's JSON, keys in the block's attribute order, as serializeAttributes."""
    text = json.dumps({"id": media_id, "sizeSlug": size_slug, "linkDestination": "none"},
                      separators=(",", ":"), ensure_ascii=False)
    return (text.replace("--", "\\u002d\\u002d").replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))


def image_block(media_id: int, src: str, alt: str, caption: str, size_slug: str = "large") -> str:
    """One core/image block; ``caption`` is already HTML (see :func:`caption_html`)."""
    figcaption = f'<figcaption class="wp-element-caption">{caption}</figcaption>' if caption \
        else ""
    return (
        f"<!-- wp:image {block_attrs(media_id, size_slug)} -->\n"
        f'<figure class="wp-block-image size-{size_slug}"><img src="{attr(src)}" '
        f'alt="{attr(alt)}" class="wp-image-{media_id}"/>{figcaption}</figure>\n'
        "<!-- /wp:image -->"
    )


def post_content(blocks: list[str]) -> str:
    """Blocks separated by a blank line, as the editor joins top-level blocks."""
    return "\n\n".join(blocks)


BLOCK_RE = re.compile(
    r"<!-- wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)(?: (?P<attrs>\{.*?\}))? -->\n?"
    r"(?P<html>.*?)\n?<!-- /wp:(?P=name) -->",
    re.DOTALL,
)
"""Top-level, non-void blocks of the block grammar (enough for posts we write)."""
