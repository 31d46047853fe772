"""A real WordPress reads an original saved with the defaults as ``publish.wp_meta`` says.

The original is uploaded as it is (no export) through the REST API, and the media item's
``media_details.image_meta`` is compared with the six keys ``wp_meta`` decodes and with the
fields that were saved. Values avoid ``<`` and ``&``, which WordPress's final wp_kses_post pass
(not modelled by ``wp_meta``) would rewrite.
"""

from __future__ import annotations

import base64
import json
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from editor.core.metadata import write_photo
from editor.core.model import PhotoMetadata
from editor.core.publish.wp_meta import WpImageMeta, read_wp_meta
from tests.conftest import write_photo_file
from tests.wordpress.wp_server import WordPressSite

SAVED = PhotoMetadata(
    headline="Dawn at Jagalchi — 자갈치 시장",
    title="jagalchi-dawn",
    caption="Fishmongers set out the morning catch at Jagalchi market, Busan. Café « crème ».",
    keywords=("Busan", "시장", "fish market"),
    creator=("Kim Ji-won",),
    credit="Kim Ji-won / Agence Éclair",
    copyright="© 2026 Kim Ji-won",
    date_taken=datetime(2026, 3, 14, 6, 12, 9, tzinfo=timezone(timedelta(hours=9))),
    city="Busan",
    country="대한민국",
)


def _upload(site: WordPressSite, path: Path) -> dict[str, Any]:
    token = base64.b64encode(f"{site.user}:{site.app_password}".encode()).decode()
    request = urllib.request.Request(
        f"{site.url}/?rest_route=/wp/v2/media",
        data=path.read_bytes(),
        method="POST",
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "image/jpeg",
            "Content-Disposition": f'attachment; filename="{path.name}"',
        },
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        media = json.loads(answer.read())
    assert isinstance(media, dict)
    return media


def _as_meta(image_meta: dict[str, Any]) -> WpImageMeta:
    stamp = image_meta.get("created_timestamp")
    return WpImageMeta(
        title=image_meta["title"],
        caption=image_meta["caption"],
        credit=image_meta["credit"],
        copyright=image_meta["copyright"],
        keywords=tuple(image_meta["keywords"]),
        created_timestamp=int(stamp) if stamp and int(stamp) else None,
    )


def test_saved_original_reads_as_wp_meta_says(wordpress: WordPressSite, tmp_path: Path) -> None:
    path = write_photo_file(tmp_path / "jagalchi.jpg", size=(800, 533), date="2001:01:01 00:00:00")
    write_photo(path, SAVED)
    expected = read_wp_meta(path)
    assert SAVED.date_taken is not None
    assert expected == WpImageMeta(
        title=SAVED.headline,
        caption=SAVED.caption,
        credit=SAVED.credit,
        copyright=SAVED.copyright,
        keywords=SAVED.keywords,
        created_timestamp=int(SAVED.date_taken.timestamp()),
    )
    media = _upload(wordpress, path)
    assert _as_meta(media["media_details"]["image_meta"]) == expected
    assert media["title"]["raw"] == SAVED.headline  # the media item's title comes from it


def test_saved_original_without_headline_shows_the_title(
    wordpress: WordPressSite, tmp_path: Path
) -> None:
    path = write_photo_file(tmp_path / "no-headline.jpg", size=(640, 427))
    write_photo(path, SAVED.replace(headline="", credit="", title="Jagalchi at dawn"))
    media = _upload(wordpress, path)
    seen = _as_meta(media["media_details"]["image_meta"])
    assert seen == read_wp_meta(path)
    assert (seen.title, seen.credit) == ("Jagalchi at dawn", "Kim Ji-won")
