"""File > Publish…: upload the photos to WordPress as a draft post of captioned image blocks.

The site, user, profile and status are remembered in the settings; the application password
only in the system keyring (``editor.core.publish.keys``), never in a file: with no keyring it
is kept for this session and the dialog says so. Publishing runs ``publish_photos`` on a worker
pool with a cancel event; its events arrive on the GUI thread one by one: the progress bar, the
list of what was uploaded, and at the end the post's edit link. The photos' values (and story
order) are taken when Publish is pressed, unsaved edits included.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import PhotoCaptionError
from editor.core.export import ExportItem, ExportOptions
from editor.core.export.profiles import all_profiles, find_profile
from editor.core.model import PhotoMetadata
from editor.core.publish import (
    STATUSES,
    MediaPublished,
    PhotoNotPublished,
    PublishEvent,
    PublishFinished,
    PublishOptions,
    PublishResult,
    PublishStarted,
    default_title,
    publish_photos,
)
from editor.core.publish.keys import get_password, set_password
from editor.core.publish.wp import normalize_site
from editor.gui.workers import TaskHandle, WorkerPool

Items = list[tuple[Path, PhotoMetadata]]


def for_people(text: str) -> str:
    """The core's message (worded for the command line) in the dialog's terms."""
    text = re.sub(r"use --site (\S+)", r"use \1 as the site address", text)
    text = text.replace("check --user and create", "check the user name, or create")
    text = text.replace("lower --long-edge", "choose a profile with a smaller size or a "
                        "file-size limit")
    return text


class PublishDialog(QDialog):
    """Publish ``items`` (path, values) to a WordPress site; ``current`` gives their values now."""

    published = Signal(object)  # PublishResult

    def __init__(self, items: Items, parent: QWidget | None = None,
                 settings: dict[str, object] | None = None, pool: WorkerPool | None = None,
                 current: Callable[[list[Path]], Items] | None = None,
                 state_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publish to WordPress")
        self._paths = [Path(p) for p, _ in items]
        self._items = [ExportItem(Path(p), m) for p, m in items]
        self._current = current
        self._settings = dict(settings or {})
        self._pool = pool or WorkerPool(1, "publish", self, nice=0)
        self._state_dir = state_dir
        self._cancel = threading.Event()
        self._worker: TaskHandle | None = None
        self._running = False
        self._session_password: dict[tuple[str, str], str] = {}
        self.result_value: PublishResult | None = None
        self._build()
        self._restore()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        n = len(self._items)
        self.intro = QLabel(f"{n} photo{'s' if n != 1 else ''}, in story order, become a post "
                            "of image blocks with their alt text, captions and credits.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.site = QLineEdit()
        self.site.setPlaceholderText("https://example.org")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("xxxx xxxx xxxx xxxx xxxx xxxx")
        self.password.setToolTip("A WordPress Application Password (Users > Profile > "
                                 "Application Passwords), not the login password")
        self.remember = QCheckBox("Keep it in the system keyring")
        self.remember.setChecked(True)
        self.password_note = QLabel("")
        self.password_note.setWordWrap(True)
        self.password_note.hide()  # shown when there is something to say about the password
        self.profile = QComboBox()
        for profile in all_profiles():
            self.profile.addItem(profile.title, profile.name)
        self.title = QLineEdit()
        self.title.setPlaceholderText(default_title(self._items))
        self.status_combo = QComboBox()
        for status in STATUSES:
            self.status_combo.addItem({"draft": "Draft", "pending": "Pending review"}[status],
                                      status)
        form.addRow("Site:", self.site)
        form.addRow("User name:", self.user)
        form.addRow("Application password:", self.password)
        keep = QVBoxLayout()
        keep.setContentsMargins(0, 0, 0, 0)
        keep.addWidget(self.remember)
        keep.addWidget(self.password_note)
        form.addRow("", keep)
        form.addRow("Profile:", self.profile)
        form.addRow("Post title:", self.title)
        form.addRow("Status:", self.status_combo)
        layout.addLayout(form)
        for edit in (self.site, self.user, self.password):
            edit.textChanged.connect(self._update_buttons)
        self.site.editingFinished.connect(self._load_password)
        self.user.editingFinished.connect(self._load_password)

        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, n))
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.uploaded = QListWidget()
        self.uploaded.setObjectName("publishedList")
        self.uploaded.setMaximumHeight(140)
        layout.addWidget(self.uploaded)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setOpenExternalLinks(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox()
        self.publish_button = self.buttons.addButton("Publish",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = self.buttons.addButton("Open in browser",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.hide()
        self.publish_button.clicked.connect(self.start_publish)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.open_button.clicked.connect(self._open_post)
        layout.addWidget(self.buttons)

    def _restore(self) -> None:
        s = self._settings
        self.site.setText(str(s.get("site", "")))
        self.user.setText(str(s.get("user", "")))
        index = self.profile.findData(str(s.get("profile", "wordpress")))
        self.profile.setCurrentIndex(max(0, index))
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(s.get("status"))))
        self._load_password()
        self._update_buttons()

    def settings(self) -> dict[str, object]:
        """What to remember (never the password)."""
        return {"site": self.site.text().strip(), "user": self.user.text().strip(),
                "profile": self.profile.currentData(), "status": self.status_combo.currentData()}

    # --- the password ---------------------------------------------------------------------------

    def _site(self) -> str:
        try:
            return normalize_site(self.site.text())
        except PhotoCaptionError:
            return ""

    @Slot()
    def _load_password(self) -> None:
        site, user = self._site(), self.user.text().strip()
        if not site or not user or self.password.text():
            return
        kept = self._session_password.get((site, user))
        value, why = (kept, "") if kept else get_password(user, site)
        if value:
            self.password.setText(value)
            self._note("From the system keyring." if not kept else "")
        elif why:
            self._note(f"Cannot read the keyring: {why}.")

    def _note(self, text: str) -> None:
        self.password_note.setText(text)
        self.password_note.setVisible(bool(text))

    def _keep_password(self, site: str, user: str, password: str) -> None:
        self._session_password[(site, user)] = password
        if not self.remember.isChecked():
            return
        why = set_password(user, site, password)
        self._note("Kept in the system keyring." if not why
                   else f"Not kept: {why}; it is used for this session only.")

    # --- publishing ---------------------------------------------------------------------------

    @Slot()
    def _update_buttons(self) -> None:
        ready = bool(self.site.text().strip() and self.user.text().strip()
                     and self.password.text().strip() and self._items)
        self.publish_button.setEnabled(ready and not self._running)
        for widget in (self.site, self.user, self.password, self.profile, self.title,
                       self.status_combo):
            widget.setEnabled(not self._running)

    def options(self) -> PublishOptions:
        """The options as the widgets say; PhotoCaptionError for a bad address or profile."""
        site = normalize_site(self.site.text())
        export = find_profile(str(self.profile.currentData())).apply(
            ExportOptions(out_dir=Path(".")))
        return PublishOptions(site=site, user=self.user.text().strip(),
                              app_password=self.password.text().strip(),
                              post_title=self.title.text().strip(),
                              status=str(self.status_combo.currentData()), export=export,
                              state_dir=self._state_dir)

    @Slot()
    def start_publish(self) -> None:
        if self._running:
            return
        try:
            options = self.options()
        except PhotoCaptionError as err:
            self._say(for_people(str(err)))
            return
        if self._current is not None:  # the values (and story order) of this moment
            now = self._current(self._paths)
            if now:
                self._items = [ExportItem(Path(p), m) for p, m in now]
        self._keep_password(options.site, options.user, options.app_password)
        self._cancel = threading.Event()
        self.result_value = None
        self.uploaded.clear()
        self.open_button.hide()
        self.progress.setMaximum(max(1, len(self._items)))
        self.progress.setValue(0)
        self._say(f"Connecting to {options.site}…")
        self._running = True
        self._worker = self._pool.submit(publish_photos, list(self._items), options,
                                         self._cancel, on_item=self._on_event,
                                         on_done=self._on_done, on_error=self._on_error)
        self.cancel_button.setText("Cancel")
        self._update_buttons()

    def _on_event(self, event: object) -> None:
        assert isinstance(event, PublishEvent)
        self.progress.setMaximum(max(1, event.total))
        self.progress.setValue(event.done)
        if isinstance(event, PublishStarted):
            self._say(f"Publishing to {event.site}…")
        elif isinstance(event, MediaPublished):
            self.uploaded.addItem(f"{event.source.name} → media {event.media_id} "
                                  f"({event.action})")
        elif isinstance(event, PhotoNotPublished):
            self.uploaded.addItem(f"{event.source.name}: not published: "
                                  f"{for_people(event.reason)}")
        elif isinstance(event, PublishFinished):
            self._show_result(event.result)

    def _on_done(self, _result: object) -> None:
        self._running = False
        if self.result_value is None and self._cancel.is_set():
            self._say("Cancelled.")
        self.cancel_button.setText("Close")
        self._update_buttons()

    def _on_error(self, reason: str) -> None:
        self._running = False
        self._say(f"Not published: {for_people(reason)}")
        self.cancel_button.setText("Close")
        self._update_buttons()

    def _show_result(self, result: PublishResult) -> None:
        self.result_value = result
        n = len(result.media)
        lines = [f"{n} photo{'s' if n != 1 else ''} in the media library of {result.site}."]
        if result.post_id:
            verb = "Created" if result.post_created else "Updated"
            lines.append(f'{verb} post {result.post_id}: <a href="{_html(result.edit_url)}">'
                         f"{_html(result.edit_url)}</a>")
        if result.cancelled:
            lines.append("Cancelled: what was uploaded is listed; Publish again continues.")
        if result.error:
            lines.append(f"Stopped: {for_people(result.error)}")
            if n:
                lines.append("Publish again to continue from here.")
        if result.failures and not result.error:
            lines.append(f"{len(result.failures)} photo(s) could not be published (listed).")
        self._say("<br>".join(_html(line) if "<a " not in line else line for line in lines),
                  rich=True)
        self.open_button.setVisible(bool(result.edit_url))
        self.published.emit(result)

    def _say(self, text: str, rich: bool = False) -> None:
        self.message.setText(text if rich else _html(text))

    def summary_text(self) -> str:
        doc = re.sub(r"<br>", "\n", self.message.text())
        return re.sub(r"<[^>]+>", "", doc).replace("&lt;", "<").replace("&gt;", ">") \
            .replace("&amp;", "&")

    @Slot()
    def _open_post(self) -> None:
        if self.result_value is not None and self.result_value.edit_url:
            QDesktopServices.openUrl(QUrl(self.result_value.edit_url))

    @Slot()
    def _cancel_or_close(self) -> None:
        if self._running:
            self._cancel.set()
            self._say("Cancelling after the current step…")
            return
        self.reject()

    def done(self, result: int) -> None:
        """Closing stops the publish and waits for it: no task outlives the dialog."""
        self._cancel.set()
        if self._running:
            self._pool.pool.waitForDone()
        if self._worker is not None:
            self._pool.cancel(self._worker)
        self._running = False
        super().done(result)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
