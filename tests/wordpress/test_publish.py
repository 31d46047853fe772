"""`photocaption publish` against a real WordPress: read back through the REST API.

The expected markup below is written out by hand from Gutenberg's image block save.js and its
fixtures (WordPress 6.1+), independently of editor/core/publish/blocks.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from editor.core.export import ExportItem
from editor.core.metadata import read_photo, write_photo
from editor.core.model import PhotoMetadata
from editor.core.publish import (
    MediaPublished,
    PublishFinished,
    PublishOptions,
    publish_photos,
)
from tests.conftest import write_photo_file
from tests.wordpress.wp_server import WordPressSite, free_port

ROOT = Path(__file__).resolve().parents[2]

# (file name, colour, fields); handed to the CLI in the order C, A, B: the story order.
PHOTOS = {
    "c.jpg": ((200, 40, 40), PhotoMetadata(
        title='Café "Zoë" <night> & day',
        caption="Rain on the square & <b>no bold</b>\nsecond line ✓",
        alt_text='A red door, "open" & wet',
        extended_description="Long text > short & sweet",
        creator=("Zoë O'Brien",))),
    "a.jpg": ((40, 160, 40), PhotoMetadata(
        title="평양 만수대", caption="해질녘 — dusk", alt_text="두 개의 동상",
        creator=("김철수",))),
    "b.jpg": ((40, 40, 200), PhotoMetadata(
        title="", caption="A plain caption", alt_text="Blue wall", creator=("Jane Doe",),
        credit="Agency X")),
}
ORDER = ("c.jpg", "a.jpg", "b.jpg")

# What WordPress must hold, written out by hand (HTML: & and < escaped; lines joined by <br>).
EXPECTED = {
    "c.jpg": {
        "title": 'Café "Zoë" &lt;night> &amp; day',
        "alt_text": 'A red door, "open" & wet',
        "caption": "Rain on the square &amp; &lt;b>no bold&lt;/b><br>second line ✓<br>"
                   "Photo: Zoë O'Brien",
        "description": "Long text &gt; short &amp; sweet",
        "alt_attr": "A red door, &quot;open&quot; &amp; wet",
    },
    "a.jpg": {
        "title": "평양 만수대", "alt_text": "두 개의 동상",
        "caption": "해질녘 — dusk<br>Photo: 김철수", "description": "해질녘 — dusk",
        "alt_attr": "두 개의 동상",
    },
    "b.jpg": {
        "title": "a-plain-caption", "alt_text": "Blue wall",
        "caption": "A plain caption<br>Photo: Jane Doe", "description": "A plain caption",
        "alt_attr": "Blue wall",
    },
}

TEMPLATE = (
    '<!-- wp:image {{"id":{id},"sizeSlug":"large","linkDestination":"none"}} -->\n'
    '<figure class="wp-block-image size-large"><img src="{src}" alt="{alt}" '
    'class="wp-image-{id}"/><figcaption class="wp-element-caption">{caption}</figcaption>'
    "</figure>\n<!-- /wp:image -->"
)
BLOCK = re.compile(r"<!-- wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?) (\{.*?\}) -->\n"
                   r"(.*?)\n<!-- /wp:\1 -->", re.DOTALL)


class Rest:
    def __init__(self, site: WordPressSite) -> None:
        self.site = site
        token = base64.b64encode(f"{site.user}:{site.app_password}".encode()).decode()
        self.auth = f"Basic {token}"

    def call(self, route: str, **params: str) -> tuple[Any, dict[str, str]]:
        query = "&".join(f"{k}={v}" for k, v in {"context": "edit", **params}.items())
        req = urllib.request.Request(f"{self.site.url}/?rest_route={route}&{query}",
                                     headers={"Authorization": self.auth})
        with urllib.request.urlopen(req, timeout=30) as answer:
            return json.loads(answer.read()), dict(answer.headers)

    def get(self, route: str, **params: str) -> Any:
        return self.call(route, **params)[0]

    def count(self, route: str, **params: str) -> int:
        return int(self.call(route, per_page="1", **params)[1]["X-WP-Total"])


def make_folder(folder: Path) -> dict[str, Path]:
    paths = {}
    for name, (colour, meta) in PHOTOS.items():
        path = write_photo_file(folder / name, size=(1600, 1067), color=colour)
        write_photo(path, meta)
        paths[name] = path
    return paths


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "editor", "publish", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def published(wordpress: WordPressSite, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, Any]:
    """The three photos published once through the CLI, with what the test needs."""
    root = tmp_path_factory.mktemp("publish")
    paths = make_folder(root / "photos")
    env = dict(os.environ, WP_TEST_PASSWORD=wordpress.app_password,
               XDG_DATA_HOME=str(root / "data"))
    rest = Rest(wordpress)
    before = {"media": rest.count("/wp/v2/media"),
              "posts": rest.count("/wp/v2/posts", status="draft")}
    hashes = {n: hashlib.sha256(p.read_bytes()).hexdigest() for n, p in paths.items()}
    args = [*(str(paths[n]) for n in ORDER), "--site", wordpress.url, "--user", wordpress.user,
            "--app-password-env", "WP_TEST_PASSWORD", "--post-title", "Rain & <dusk>",
            "--long-edge", "1200"]
    done = run_cli(args, env)
    return {"paths": paths, "env": env, "args": args, "rest": rest, "before": before,
            "hashes": hashes, "run": done}


def post_id_of(stdout: str) -> int:
    match = re.search(r"post (\d+)", stdout)
    assert match, stdout
    return int(match.group(1))


def test_publish_uploads_fields_and_a_valid_block_post(published: dict[str, Any],
                                                       wordpress: WordPressSite) -> None:
    done, rest = published["run"], published["rest"]
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert wordpress.app_password not in done.stdout + done.stderr
    post_id = post_id_of(done.stdout)
    assert f"{wordpress.url}/wp-admin/post.php?post={post_id}&action=edit" in done.stdout
    assert f"{wordpress.url}/?p={post_id}&preview=true" in done.stdout
    assert rest.count("/wp/v2/media") == published["before"]["media"] + 3
    assert rest.count("/wp/v2/posts", status="draft") == published["before"]["posts"] + 1

    post = rest.get(f"/wp/v2/posts/{post_id}")
    assert post["status"] == "draft"
    assert post["title"]["raw"] == "Rain &amp; &lt;dusk>"
    content = post["content"]["raw"]
    blocks = BLOCK.findall(content)
    assert len(blocks) == 3 and all(name == "image" for name, _, _ in blocks)
    assert content == "\n\n".join(m.group(0) for m in BLOCK.finditer(content))
    expected_blocks = []
    for (_, attrs, html), name in zip(blocks, ORDER, strict=True):
        media_id = json.loads(attrs)["id"]
        assert list(json.loads(attrs)) == ["id", "sizeSlug", "linkDestination"]
        media = rest.get(f"/wp/v2/media/{media_id}")
        want = EXPECTED[name]
        assert media["alt_text"] == want["alt_text"]
        assert media["caption"]["raw"] == want["caption"]
        assert media["title"]["raw"] == want["title"]
        assert media["description"]["raw"] == want["description"]
        assert media["media_details"]["width"] == 1200  # uploaded at the long edge asked
        assert media["source_url"].endswith(".jpg")
        src = media["media_details"]["sizes"]["large"]["source_url"]
        expected_blocks.append(TEMPLATE.format(id=media_id, src=src, alt=want["alt_attr"],
                                               caption=want["caption"]))
        assert f'class="wp-image-{media_id}"' in html
    # Byte for byte what the block editor saves, in story order.
    assert content == "\n\n".join(expected_blocks)
    # WordPress recognises its own images when rendering: responsive srcset added to each.
    rendered = post["content"]["rendered"]
    assert rendered.count("<figure class=\"wp-block-image size-large\">") == 3
    assert rendered.count("srcset=") == 3
    # The originals were only read.
    for name, path in published["paths"].items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == published["hashes"][name]


def test_republish_updates_the_same_media_and_post(published: dict[str, Any]) -> None:
    rest, paths = published["rest"], published["paths"]
    first_id = post_id_of(published["run"].stdout)
    first_blocks = BLOCK.findall(rest.get(f"/wp/v2/posts/{first_id}")["content"]["raw"])
    ids = [json.loads(attrs)["id"] for _, attrs, _ in first_blocks]
    media_before = rest.count("/wp/v2/media")
    posts_before = rest.count("/wp/v2/posts", status="draft")
    meta = read_photo(paths["a.jpg"]).metadata
    write_photo(paths["a.jpg"], meta.replace(caption="A new caption & more"))

    again = run_cli(published["args"], published["env"])
    assert again.returncode == 0, again.stderr
    assert post_id_of(again.stdout) == first_id
    assert "Updated post" in again.stdout
    assert rest.count("/wp/v2/media") == media_before
    assert rest.count("/wp/v2/posts", status="draft") == posts_before
    media = rest.get(f"/wp/v2/media/{ids[1]}")
    assert media["caption"]["raw"] == "A new caption &amp; more<br>Photo: 김철수"
    content = rest.get(f"/wp/v2/posts/{first_id}")["content"]["raw"]
    assert [json.loads(a)["id"] for _, a, _ in BLOCK.findall(content)] == ids
    assert ">A new caption &amp; more<br>Photo: 김철수</figcaption>" in content


def test_new_pixels_replace_the_media_item(wordpress: WordPressSite, tmp_path: Path) -> None:
    rest = Rest(wordpress)
    path = write_photo_file(tmp_path / "p.jpg", size=(800, 600), color=(10, 10, 10))
    write_photo(path, PhotoMetadata(title="Pixels", caption="c", alt_text="a"))
    items = [ExportItem(path, read_photo(path).metadata)]
    options = PublishOptions(site=wordpress.url, user=wordpress.user,
                             app_password=wordpress.app_password, state_dir=tmp_path / "state")
    first = [e for e in publish_photos(items, options) if isinstance(e, MediaPublished)]
    assert [e.action for e in first] == ["uploaded"]
    count = rest.count("/wp/v2/media")
    write_photo_file(path, size=(800, 600), color=(250, 250, 0))  # new pixels
    write_photo(path, PhotoMetadata(title="Pixels", caption="c", alt_text="a"))
    items = [ExportItem(path, read_photo(path).metadata)]
    second = [e for e in publish_photos(items, options) if isinstance(e, MediaPublished)]
    assert [e.action for e in second] == ["replaced"]
    assert second[0].media_id != first[0].media_id
    assert rest.count("/wp/v2/media") == count  # the old item was deleted
    with pytest.raises(urllib.error.HTTPError):
        rest.get(f"/wp/v2/media/{first[0].media_id}")


def test_cancel_keeps_what_was_uploaded_and_a_retry_continues(
        wordpress: WordPressSite, tmp_path: Path) -> None:
    paths = make_folder(tmp_path / "photos")
    items = [ExportItem(paths[n], read_photo(paths[n]).metadata) for n in ORDER]
    options = PublishOptions(site=wordpress.url, user=wordpress.user,
                             app_password=wordpress.app_password, state_dir=tmp_path / "state")
    cancel = threading.Event()
    events = []
    for event in publish_photos(items, options, cancel):
        events.append(event)
        if isinstance(event, MediaPublished):
            cancel.set()
    result = events[-1].result
    assert isinstance(events[-1], PublishFinished) and result.cancelled
    assert result.post_id is None and len(result.media) == 1
    retry = list(publish_photos(items, options))
    actions = [e.action for e in retry if isinstance(e, MediaPublished)]
    assert actions == ["updated", "uploaded", "uploaded"]
    assert retry[-1].result.post_id is not None and not retry[-1].result.error


def test_wrong_password_is_one_clear_line(wordpress: WordPressSite, tmp_path: Path) -> None:
    paths = make_folder(tmp_path / "photos")
    rest = Rest(wordpress)
    count = rest.count("/wp/v2/media")
    env = dict(os.environ, WP_TEST_PASSWORD="abcd efgh ijkl mnop qrst uvwx",
               XDG_DATA_HOME=str(tmp_path / "data"))
    done = run_cli([str(paths["a.jpg"]), "--site", wordpress.url, "--user", wordpress.user,
                    "--app-password-env", "WP_TEST_PASSWORD"], env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "abcd efgh" not in done.stderr + done.stdout
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("photocaption:")]
    assert len(lines) == 1 and "refused the user name or application password" in lines[0]
    assert "401" in lines[0]
    assert rest.count("/wp/v2/media") == count


def test_server_down_is_one_clear_line(tmp_path: Path) -> None:
    paths = make_folder(tmp_path / "photos")
    env = dict(os.environ, WP_TEST_PASSWORD="x", XDG_DATA_HOME=str(tmp_path / "data"))
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done = run_cli([str(paths["b.jpg"]), "--site", url, "--user", "admin",
                    "--app-password-env", "WP_TEST_PASSWORD"], env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"photocaption: publish: cannot reach {url} (Connection refused)" in done.stderr


def test_ctrl_c_cancels_cleanly(wordpress: WordPressSite, tmp_path: Path) -> None:
    paths = [write_photo_file(tmp_path / "photos" / f"{n}.jpg", size=(1400, 900),
                              color=(n * 30, 90, 120)) for n in range(6)]
    env = dict(os.environ, WP_TEST_PASSWORD=wordpress.app_password,
               XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "editor", "publish", *map(str, paths), "--site", wordpress.url,
         "--user", wordpress.user, "--app-password-env", "WP_TEST_PASSWORD"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("[1/6]"):
            proc.send_signal(signal.SIGINT)
            break
    out, err = proc.communicate(timeout=60)
    err = "".join(lines) + err
    assert proc.returncode == 130, err
    assert "cancelling" in err and "publish cancelled" in err and "Traceback" not in err
    uploaded = int(re.search(r"(\d+) photos? in the media library", out).group(1))  # type: ignore[union-attr]
    assert 1 <= uploaded < 6 and "Created post" not in out
