"""Publishing without WordPress: error lines, markup, the state file, a failing fake server."""

from __future__ import annotations

import argparse
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from editor.cli_publish import find_password
from editor.core.export import ExportItem
from editor.core.model import PhotoMetadata
from editor.core.publish import (
    MediaPublished,
    PhotoNotPublished,
    PublishError,
    PublishFinished,
    PublishOptions,
    publish_photos,
)
from editor.core.publish.blocks import caption_html, image_block
from editor.core.publish.state import PublishState, image_hash, state_path
from editor.core.publish.wp import PublishCancelled, WordPressClient, explain, normalize_site
from tests.conftest import write_photo_file

SITE = "https://example.org"


def test_http_errors_become_one_clear_line() -> None:
    e401 = explain(401, b'{"code":"incorrect_password","message":"The provided password is '
                   b'an invalid application password."}', SITE)
    assert "refused the user name or application password" in str(e401) and e401.fatal
    e413 = explain(413, b"<html>Request Entity Too Large</html>", SITE)
    assert "upload limit" in str(e413) and not e413.fatal
    too_big = explain(400, b'{"code":"rest_upload_unknown_error","message":"The uploaded file '
                      b'exceeds the upload_max_filesize directive in php.ini."}', SITE)
    assert "upload limit" in str(too_big) and not too_big.fatal
    e500 = explain(502, b"Bad gateway", SITE)
    assert "server error (HTTP 502)" in str(e500) and e500.fatal
    assert all("\n" not in str(e) for e in (e401, e413, too_big, e500))


def test_site_addresses() -> None:
    assert normalize_site("example.org/blog/") == "https://example.org/blog"
    assert normalize_site(" http://127.0.0.1:8080/ ") == "http://127.0.0.1:8080"
    with pytest.raises(PublishError):
        normalize_site("ftp://example.org")


def test_image_block_markup_and_escaping() -> None:
    caption = caption_html('A & B <i>x</i> "q"\nline 2', "Photo: Zoë")
    assert caption == 'A &amp; B &lt;i>x&lt;/i> "q"<br>line 2<br>Photo: Zoë'
    block = image_block(7, "https://e.org/a-1024x683.jpg?x=1&y=2", 'a "b" <c> & d', caption)
    assert block == (
        '<!-- wp:image {"id":7,"sizeSlug":"large","linkDestination":"none"} -->\n'
        '<figure class="wp-block-image size-large"><img src="https://e.org/a-1024x683.jpg?x=1'
        '&amp;y=2" alt="a &quot;b&quot; &lt;c&gt; &amp; d" class="wp-image-7"/><figcaption '
        'class="wp-element-caption">A &amp; B &lt;i>x&lt;/i> "q"<br>line 2<br>Photo: Zoë'
        "</figcaption></figure>\n<!-- /wp:image -->")
    assert "<figcaption" not in image_block(3, "u", "", "")


def test_image_hash_ignores_metadata_but_not_pixels() -> None:
    def jpeg(colour: tuple[int, int, int], **kw: object) -> bytes:
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), colour).save(buf, "JPEG", quality=90, **kw)
        return buf.getvalue()

    plain = jpeg((10, 20, 30))
    tagged = jpeg((10, 20, 30), comment=b"a caption")
    assert plain != tagged and image_hash(plain) == image_hash(tagged)
    assert image_hash(jpeg((200, 20, 30))) != image_hash(plain)


def test_state_is_saved_atomically_and_a_damaged_one_starts_afresh(tmp_path: Path) -> None:
    state = PublishState.load(SITE, tmp_path)
    state.photos["/p/a.jpg"] = {"media_id": 5, "image_hash": "h"}
    state.posts["k"] = 9
    state.save()
    assert [p.name for p in tmp_path.iterdir()] == [state_path(SITE, tmp_path).name]
    again = PublishState.load(SITE, tmp_path)
    assert again.photos == state.photos and again.posts == {"k": 9}
    assert PublishState.load("https://other.example", tmp_path).photos == {}
    state.path.write_text("{not json")
    assert PublishState.load(SITE, tmp_path).photos == {}


def test_upload_stops_between_chunks_when_cancelled() -> None:
    cancel = threading.Event()
    client = WordPressClient(SITE, "u", "p", cancel=cancel)
    chunks = client._chunks(bytes(300_000))
    next(chunks)
    cancel.set()
    with pytest.raises(PublishCancelled):
        next(chunks)


def test_password_from_env_or_a_clear_keyring_message(monkeypatch: pytest.MonkeyPatch) -> None:
    args = argparse.Namespace(app_password_env="PC_TEST_PW", user="admin")
    monkeypatch.setenv("PC_TEST_PW", " abcd efgh ")
    assert find_password(args, SITE) == "abcd efgh"
    monkeypatch.delenv("PC_TEST_PW")
    with pytest.raises(PublishError, match="PC_TEST_PW is not set"):
        find_password(args, SITE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with pytest.raises(PublishError, match="keyring") as err:
        find_password(argparse.Namespace(app_password_env=None, user="admin"), SITE)
    assert "--app-password-env" in str(err.value)


class _FakeWordPress(BaseHTTPRequestHandler):
    """Answers like WordPress; the second upload gets ``fail_status``."""

    uploads = 0
    fail_status = 500

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send(200, {"id": 1, "name": "admin"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if "media" in self.path and self.headers["Content-Type"] == "image/jpeg":
            type(self).uploads += 1
            if type(self).uploads == 2:
                self._send(self.fail_status, {"code": "x", "message": "Boom."})
                return
            self._send(201, {"id": 100 + self.uploads, "source_url": "http://f/a.jpg"})
            return
        self._send(200, {"id": 100 + self.uploads, "source_url": "http://f/a.jpg"})


@pytest.fixture
def fake_site() -> Iterator[tuple[str, type[_FakeWordPress]]]:
    handler = type("Handler", (_FakeWordPress,), {"uploads": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _items(tmp_path: Path) -> list[ExportItem]:
    return [ExportItem(write_photo_file(tmp_path / f"{n}.jpg", size=(200, 100)),
                       PhotoMetadata(title=f"Photo {n}", caption="c", alt_text="a"))
            for n in range(3)]


@pytest.mark.parametrize(("status", "fatal"), [(500, True), (413, False)])
def test_server_error_stops_and_keeps_what_was_uploaded(
        fake_site: tuple[str, type[_FakeWordPress]], tmp_path: Path, status: int,
        fatal: bool) -> None:
    url, handler = fake_site
    handler.fail_status = status
    options = PublishOptions(site=url, user="admin", app_password="pw",
                             state_dir=tmp_path / "state")
    events = list(publish_photos(_items(tmp_path), options))
    uploaded = [e for e in events if isinstance(e, MediaPublished)]
    failed = [e for e in events if isinstance(e, PhotoNotPublished)]
    result = events[-1].result
    assert isinstance(events[-1], PublishFinished)
    assert uploaded[0].media_id == 101 and len(failed) == 1
    assert ("server error (HTTP 500: Boom.)" if fatal else "upload limit") in failed[0].reason
    if fatal:  # stops: the third photo is not tried, no post; the record keeps the first
        assert len(uploaded) == 1 and result.post_id is None
        assert "HTTP 500" in result.error
    else:  # only that photo failed; the others go on and the post is made
        assert len(uploaded) == 2 and result.post_id is not None and not result.error
    saved = PublishState.load(url, tmp_path / "state")
    assert sorted(v["media_id"] for v in saved.photos.values())[0] == 101


def test_a_redirect_to_another_address_is_named(
        fake_site: tuple[str, type[_FakeWordPress]]) -> None:
    url, handler = fake_site
    port = url.rsplit(":", 1)[1]

    def redirect(self: _FakeWordPress) -> None:
        if self.headers["Host"].startswith("localhost"):
            self._send(200, {"id": 1})
            return
        self.send_response(301)
        self.send_header("Location", f"http://localhost:{port}{self.path}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    handler.do_GET = redirect  # type: ignore[method-assign]
    client = WordPressClient(url, "admin", "pw")
    with pytest.raises(PublishError, match=f"redirects to http://localhost:{port}; use --site"):
        client.me()
