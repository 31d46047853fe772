"""Per-figure schema.org ``ImageObject`` JSON-LD for article.html, and the generative-AI check.

Google Images reads ``license`` and ``acquireLicensePage`` for its "Licensable" badge, and
``creator``, ``creditText`` and ``copyrightNotice`` for its image credits. Only keys with values
are written. The JSON is made safe inside an HTML ``<script>``: ``<``, ``>`` and ``&`` are
written as JSON escapes (``\\u003c``...), as are U+2028/U+2029, so ``</script>`` or ``<!--``
can never appear raw and ``json.loads`` of the script's text gives back the values as typed.
"""

from __future__ import annotations

import json
from typing import Any

from editor.core.export.types import AI_DISCLOSURE, PhotoExport
from editor.core.model import PhotoMetadata
from editor.core.vocabulary import DIGITAL_SOURCE_TYPE_PREFIX

__all__ = ["disclosure_line", "image_object", "is_generative_ai", "jsonld_script"]

# The NewsCodes digital source types that mean "made with generative AI".
GENERATIVE_AI_TERMS = frozenset({"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"})

_SCRIPT_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def is_generative_ai(digital_source_type: str) -> bool:
    """Whether a digital source type (URI or bare term) marks generative-AI media."""
    term = digital_source_type.strip().removeprefix(DIGITAL_SOURCE_TYPE_PREFIX)
    return term in GENERATIVE_AI_TERMS


def disclosure_line(metadata: PhotoMetadata, enabled: bool) -> str:
    """The figcaption's disclosure for a generative-AI photo, "" otherwise or when disabled."""
    return AI_DISCLOSURE if enabled and is_generative_ai(metadata.digital_source_type) else ""


def image_object(photo: PhotoExport, content_url: str) -> dict[str, Any]:
    """The ImageObject of one exported photo; keys without a value are left out."""
    m = photo.metadata
    creators = [{"@type": "Person", "name": name.strip()} for name in m.creator if name.strip()]
    values: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "contentUrl": content_url,
        "creator": creators[0] if len(creators) == 1 else creators,
        "creditText": m.credit.strip() or photo.credit_line.strip(),
        "copyrightNotice": m.copyright.strip(),
        "license": m.web_statement.strip(),
        "acquireLicensePage": m.licensor_url.strip(),
    }
    return {key: value for key, value in values.items() if value}


def script_json(value: Any) -> str:
    """``value`` as JSON that can sit inside an HTML <script> element unchanged."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(_SCRIPT_SAFE.get(ch, ch) for ch in text)


def jsonld_script(photo: PhotoExport, content_url: str, indent: str = "") -> str:
    """``<script type="application/ld+json">`` holding ``image_object`` for ``content_url``."""
    body = script_json(image_object(photo, content_url))
    body = "\n".join(indent + line for line in body.splitlines())
    return f'{indent}<script type="application/ld+json">\n{body}\n{indent}</script>'
