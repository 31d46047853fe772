"""File > Publish… in the real window against the real WordPress: read back through REST."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest
from pytestqt.qtbot import QtBot

from editor.gui.main_window import MainWindow
from editor.gui.publish_dialog import PublishDialog
from tests.gui.conftest import loaded, window  # noqa: F401  (the real-window fixture)
from tests.wordpress.test_publish import BLOCK, EXPECTED, Rest, make_folder
from tests.wordpress.wp_server import WordPressSite


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps passwords in this process only (never on disk)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def publish(qtbot: QtBot, dialog: PublishDialog) -> Any:
    with qtbot.waitSignal(dialog.published, timeout=180000) as blocker:
        dialog.publish_button.click()
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=10000)
    return blocker.args[0]


def test_publish_dialog_uploads_in_story_order_and_republishes_in_place(
        qtbot: QtBot, window: MainWindow, wordpress: WordPressSite,  # noqa: F811
        memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paths = make_folder(tmp_path / "photos")
    window.open_paths([tmp_path / "photos"])
    qtbot.waitUntil(loaded(window, 3), timeout=15000)
    # Story order C, A, B (the grid shows names: a, b, c).
    window.model.move_story([paths["c.jpg"]], paths["a.jpg"])
    assert [p.name for p in window.model.story_paths()] == ["c.jpg", "a.jpg", "b.jpg"]
    window.grid.clearSelection()  # nothing selected: every photo
    qtbot.waitUntil(lambda: window.shown_paths == [])
    rest = Rest(wordpress)
    media_before = rest.count("/wp/v2/media")
    drafts_before = rest.count("/wp/v2/posts", status="draft")

    window.act_publish.trigger()
    dialog = window._publish_dialog
    assert isinstance(dialog, PublishDialog) and dialog.isVisible()
    dialog.site.setText(wordpress.url)
    dialog.user.setText(wordpress.user)
    dialog.password.setText(wordpress.app_password)
    dialog.title.setText("Rain & <dusk> (dialog)")
    assert dialog.profile.currentData() == "wordpress"
    # An edit typed after the dialog opened (not saved) is what gets published.
    window.library.set_field([paths["b.jpg"]], "alt_text", "Blue wall, typed later")
    result = publish(qtbot, dialog)
    assert not result.error and not result.failures and result.post_created
    assert memory_keyring.store == {("photocaption", f"{wordpress.user}@{wordpress.url}"):
                                    wordpress.app_password}
    listed = [dialog.uploaded.item(i).text() for i in range(dialog.uploaded.count())]
    assert [line.split(" ")[0] for line in listed] == ["c.jpg", "a.jpg", "b.jpg"]
    assert all("(uploaded)" in line for line in listed)
    assert result.edit_url in dialog.summary_text() and dialog.open_button.isVisible()
    assert rest.count("/wp/v2/media") == media_before + 3
    assert rest.count("/wp/v2/posts", status="draft") == drafts_before + 1

    post = rest.get(f"/wp/v2/posts/{result.post_id}")
    assert post["title"]["raw"] == "Rain &amp; &lt;dusk> (dialog)"
    ids = [json.loads(attrs)["id"] for _, attrs, _ in BLOCK.findall(post["content"]["raw"])]
    assert ids == [media_id for _, media_id in result.media]
    for media_id, name in zip(ids, ("c.jpg", "a.jpg", "b.jpg"), strict=True):
        media = rest.get(f"/wp/v2/media/{media_id}")
        want = dict(EXPECTED[name])
        if name == "b.jpg":
            want["alt_text"] = "Blue wall, typed later"
        assert media["alt_text"] == want["alt_text"]
        assert media["caption"]["raw"] == want["caption"]
        assert media["title"]["raw"] == want["title"]
        assert media["media_details"]["width"] == 1600  # the profile's 2048 px is no upscale
    assert 'alt="Blue wall, typed later"' in post["content"]["raw"]

    # Publishing again updates the same media items and post.
    again = publish(qtbot, dialog)
    assert again.post_id == result.post_id and not again.post_created
    listed = [dialog.uploaded.item(i).text() for i in range(dialog.uploaded.count())]
    assert all("(updated)" in line for line in listed) and len(listed) == 3
    assert rest.count("/wp/v2/media") == media_before + 3
    assert rest.count("/wp/v2/posts", status="draft") == drafts_before + 1
    dialog.close()
    assert window.settings.publish["site"] == wordpress.url
    assert "password" not in json.dumps(window.settings.publish).lower()

    # A new dialog takes the password from the keyring; a wrong one is a clear sentence.
    window.act_publish.trigger()
    second = window._publish_dialog
    assert isinstance(second, PublishDialog)
    assert second.password.text() == wordpress.app_password
    second.remember.setChecked(False)
    second.password.setText("abcd efgh ijkl mnop qrst uvwx")
    second.start_publish()
    qtbot.waitUntil(lambda: second.publish_button.isEnabled(), timeout=60000)
    said = second.summary_text()
    assert "refused the user name or application password" in said and "401" in said
    assert "check the user name" in said and "--user" not in said
    assert rest.count("/wp/v2/media") == media_before + 3
    second.close()


def test_cancel_keeps_the_list_and_publish_again_continues(
        qtbot: QtBot, wordpress: WordPressSite, memory_keyring: MemoryKeyring, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from editor.core.metadata import read_photo

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paths = make_folder(tmp_path / "photos")
    items = [(paths[n], read_photo(paths[n]).metadata) for n in ("a.jpg", "b.jpg", "c.jpg")]
    dialog = PublishDialog(items, settings={"site": wordpress.url, "user": wordpress.user},
                           state_dir=tmp_path / "state")
    qtbot.addWidget(dialog)
    dialog.remember.setChecked(False)
    dialog.password.setText(wordpress.app_password)

    def cancel_after_first(*_args: object) -> None:
        if dialog.uploaded.count() == 1:
            dialog.cancel_button.click()  # Cancel while running

    dialog.uploaded.model().rowsInserted.connect(cancel_after_first)
    # The worker waits after its first photo until Cancel has been pressed on the GUI thread,
    # so exactly one photo is uploaded whatever the machine's load.
    from editor.core import publish as core

    real = core._Publisher.publish_one
    calls: list[int] = []

    def one_then_wait(self: Any, *args: Any) -> Any:
        calls.append(1)
        if len(calls) > 1 and self.cancel is not None:
            assert self.cancel.wait(20), "Cancel was not pressed"
            raise core.PublishCancelled  # as the client does when cancel is set mid-upload
        return real(self, *args)

    monkeypatch.setattr(core._Publisher, "publish_one", one_then_wait)
    first = publish(qtbot, dialog)
    monkeypatch.setattr(core._Publisher, "publish_one", real)
    assert first.cancelled and first.post_id is None and len(first.media) == 1
    assert dialog.uploaded.count() == 1 and "Publish again continues" in dialog.summary_text()
    assert dialog.progress.value() == 1 and dialog.cancel_button.text() == "Close"
    assert memory_keyring.store == {}  # "keep it" was unticked
    dialog.uploaded.model().rowsInserted.disconnect(cancel_after_first)
    second = publish(qtbot, dialog)
    listed = [dialog.uploaded.item(i).text() for i in range(dialog.uploaded.count())]
    assert [line.rsplit("(", 1)[1] for line in listed] == ["updated)", "uploaded)", "uploaded)"]
    assert second.post_id and second.post_created and not second.cancelled
    dialog.close()
