"""Publish three sample photos to a scratch WordPress and screenshot the post as it renders.

    python -m tests.wordpress.screenshot_post [OUT]   (default docs/published-post.jpg)

Copies of three photos from the developer samples (/work/shared/samples; the originals are not
touched) get a title, caption, alt text and creator, are published as a draft post through
``publish_photos`` in story order (harbour, wisteria, farmhouse), and then, on this throwaway
site only, the post is switched to "publish" so that a browser without a login sees it exactly
as WordPress renders it (a draft's preview needs a login cookie, which an application password
cannot give). Headless Chromium takes the screenshot; the REST read-back of the first media
item is printed as JSON. The site is stopped and removed at the end.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from PIL import Image

from editor.core.export import ExportItem
from editor.core.metadata import read_photo, write_photo
from editor.core.publish import PublishFinished, PublishOptions, publish_photos
from tests.wordpress.wp_server import start_site

SAMPLES = Path("/work/shared/samples")
ROOT = Path(__file__).resolve().parents[2]
STORY = (
    ("ianare-HMD_Nokia_8.3_5G.jpg", "Ferries at the harbour mouth",
     "Morning ferries wait at the terminal while a cruise ship leaves the bay.",
     "A wide blue bay under a clear sky; a white cruise ship and a ferry at a low city "
     "waterfront"),
    ("ianare-iphone_hdr_YES.jpg", "Wisteria in April",
     "The garden's wisteria, in full bloom over the old fence posts & rails.",
     "Long hanging clusters of pale purple wisteria flowers in front of dark cypress trees"),
    ("ianare-DSCN0010.jpg", "The farmhouse below the pines",
     "An empty stone farmhouse between the vineyards, seen from the hill in autumn.",
     "A small ruined stone house among green umbrella pines, with a rust-brown tree in front"),
)


def rest(site_url: str, auth: str, route: str, data: dict[str, object] | None = None) -> object:
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(f"{site_url}/?rest_route={route}&context=edit", data=body,
                                 headers={"Authorization": auth,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as answer:
        return json.loads(answer.read())


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "published-post.jpg"
    if not all((SAMPLES / name).is_file() for name, *_ in STORY):
        print(f"the sample photos are not in {SAMPLES}", file=sys.stderr)
        return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium to take the screenshot", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="pc-shot-"))
    site = start_site()
    try:
        items = []
        for name, title, caption, alt in STORY:
            copy = work / name
            shutil.copy2(SAMPLES / name, copy)
            meta = read_photo(copy).metadata.replace(
                title=title, caption=caption, alt_text=alt, creator=("Jane Doe",),
                copyright="© 2024 Jane Doe")
            write_photo(copy, meta)
            items.append(ExportItem(copy, read_photo(copy).metadata))
        options = PublishOptions(site=site.url, user=site.user, app_password=site.app_password,
                                 post_title="Three days by the bay", state_dir=work / "state")
        result = None
        for event in publish_photos(items, options):
            if isinstance(event, PublishFinished):
                result = event.result
        assert result is not None and result.post_id, result
        auth = "Basic " + base64.b64encode(f"{site.user}:{site.app_password}".encode()).decode()
        media = rest(site.url, auth, f"/wp/v2/media/{result.media[0][1]}")
        assert isinstance(media, dict)
        print(json.dumps({k: media[k] for k in ("id", "alt_text", "caption", "title",
                                                 "description", "source_url")},
                         ensure_ascii=False, indent=1))
        print(f"draft: {result.edit_url}")
        rest(site.url, auth, f"/wp/v2/posts/{result.post_id}", {"status": "publish"})
        out.parent.mkdir(parents=True, exist_ok=True)
        shot = work / "shot.png"  # php -S serves one file at a time: give the page 20 s
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--virtual-time-budget=20000", f"--screenshot={shot}",
                        "--window-size=1100,1900",
                        f"{site.url}/?p={result.post_id}"], check=True, capture_output=True,
                       timeout=120)
        with Image.open(shot) as im:
            im.convert("RGB").save(out, quality=85, optimize=True, progressive=True)
        print(f"screenshot: {out}")
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
