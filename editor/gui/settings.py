"""The app's persistent settings: one typed dataclass and one adapter to QSettings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QSettings

from editor.core.library import Filter, SortKey
from editor.core.metadata import IimPolicy
from editor.core.templates import Template, dump_templates, load_templates

MAX_RECENT = 10
IIM_POLICIES = tuple(p.value for p in IimPolicy)  # "always", "when_present"
THEMES = ("system", "light", "dark")
THUMB_MIN, THUMB_MAX, THUMB_DEFAULT = 96, 320, 144


@dataclass
class Settings:
    geometry: bytes = b""
    window_state: bytes = b""
    splitter: list[int] = field(default_factory=list)
    thumb_size: int = THUMB_DEFAULT
    recent_folders: list[str] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    keep_mtime: bool = False
    sidecar_fullname: bool = False  # new XMP sidecars named IMG_1.NEF.xmp (else IMG_1.xmp)
    raw_jpeg_apart: bool = False  # RAW+JPEG pairs shown as two photos (else as one)
    dng_sidecar: bool = False  # DNG metadata kept in an XMP sidecar (else in the DNG)
    sort: SortKey = SortKey.NAME
    filter: Filter = Filter.ALL
    export: dict[str, object] = field(default_factory=dict)  # the export dialog's choices
    # Preferences (Edit > Preferences)
    iim_policy: str = IimPolicy.ALWAYS.value  # "always" or "when_present": see iim_policy()
    list_separator: str = "; "
    spell_language: str = "en"
    code_file: str = ""  # the code-replacement list; "" = codes.txt in the app's data folder
    code_delimiter: str = "="
    theme: str = "system"
    publish: dict[str, object] = field(default_factory=dict)  # site, user, profile (no password)
    panel_sections: dict[str, bool] = field(default_factory=dict)  # section -> open (panel)

    def add_recent(self, folder: str) -> None:
        self.recent_folders = [folder] + [f for f in self.recent_folders if f != folder]
        del self.recent_folders[MAX_RECENT:]


def _bytes(value: object) -> bytes:
    if isinstance(value, QByteArray):
        return bytes(value.data())
    if isinstance(value, bytes):
        return value
    return b""


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _str_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return []


def _bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return default


def iim_policy(settings: Settings) -> IimPolicy:
    """The IIM policy preference, as saving takes it (``SaveJob.iim_policy``)."""
    try:
        return IimPolicy(settings.iim_policy)
    except ValueError:
        return IimPolicy.ALWAYS


def _choice(value: object, choices: tuple[str, ...], default: str) -> str:
    text = str(value) if value is not None else default
    return text if text in choices else default


class SettingsStore:
    """Reads and writes ``Settings`` through a QSettings; tolerant of missing or bad values."""

    def __init__(self, qsettings: QSettings) -> None:
        self._qs = qsettings

    def load(self) -> Settings:
        qs = self._qs
        s = Settings()
        s.geometry = _bytes(qs.value("window/geometry"))
        s.window_state = _bytes(qs.value("window/state"))
        s.splitter = [_int(v, 0) for v in _str_list(qs.value("window/splitter"))]
        s.thumb_size = min(
            THUMB_MAX, max(THUMB_MIN, _int(qs.value("grid/thumb_size"), THUMB_DEFAULT))
        )
        s.recent_folders = _str_list(qs.value("recent_folders"))[:MAX_RECENT]
        s.templates = load_templates(str(qs.value("templates", "[]") or "[]"))
        s.keep_mtime = _bool(qs.value("save/keep_mtime"), False)
        s.iim_policy = _choice(qs.value("save/iim_policy"), IIM_POLICIES, "always")
        s.list_separator = str(qs.value("text/list_separator", "; ") or "; ")
        s.spell_language = str(qs.value("spelling/language", "en") or "en")
        s.code_file = str(qs.value("codes/file", "") or "")
        s.code_delimiter = str(qs.value("codes/delimiter", "=") or "=")
        s.theme = _choice(qs.value("view/theme"), THEMES, "system")
        s.sidecar_fullname = _bool(qs.value("save/sidecar_fullname"), False)
        s.raw_jpeg_apart = _bool(qs.value("grid/raw_jpeg_apart"), False)
        s.dng_sidecar = _bool(qs.value("save/dng_sidecar"), False)
        try:
            export = json.loads(str(qs.value("export", "{}") or "{}"))
        except ValueError:
            export = {}
        s.export = export if isinstance(export, dict) else {}
        try:
            publish = json.loads(str(qs.value("publish", "{}") or "{}"))
        except ValueError:
            publish = {}
        s.publish = publish if isinstance(publish, dict) else {}
        try:
            sections = json.loads(str(qs.value("panel/sections", "{}") or "{}"))
        except ValueError:
            sections = {}
        if isinstance(sections, dict):
            s.panel_sections = {str(k): v for k, v in sections.items() if isinstance(v, bool)}
        try:
            s.sort = SortKey(str(qs.value("grid/sort", SortKey.NAME.value)))
        except ValueError:
            s.sort = SortKey.NAME
        try:
            s.filter = Filter(str(qs.value("grid/filter", Filter.ALL.value)))
        except ValueError:
            s.filter = Filter.ALL
        return s

    def save(self, s: Settings) -> None:
        qs = self._qs
        qs.setValue("window/geometry", QByteArray(s.geometry))
        qs.setValue("window/state", QByteArray(s.window_state))
        qs.setValue("window/splitter", [str(v) for v in s.splitter])
        qs.setValue("grid/thumb_size", s.thumb_size)
        qs.setValue("recent_folders", list(s.recent_folders))
        qs.setValue("templates", dump_templates(s.templates))
        qs.setValue("save/keep_mtime", s.keep_mtime)
        qs.setValue("save/iim_policy", s.iim_policy)
        qs.setValue("text/list_separator", s.list_separator)
        qs.setValue("spelling/language", s.spell_language)
        qs.setValue("codes/file", s.code_file)
        qs.setValue("codes/delimiter", s.code_delimiter)
        qs.setValue("view/theme", s.theme)
        qs.setValue("save/sidecar_fullname", s.sidecar_fullname)
        qs.setValue("grid/raw_jpeg_apart", s.raw_jpeg_apart)
        qs.setValue("save/dng_sidecar", s.dng_sidecar)
        qs.setValue("grid/sort", s.sort.value)
        qs.setValue("grid/filter", s.filter.value)
        qs.setValue("export", json.dumps(s.export, ensure_ascii=False, default=str))
        qs.setValue("publish", json.dumps(s.publish, ensure_ascii=False, default=str))
        qs.setValue("panel/sections", json.dumps(s.panel_sections, ensure_ascii=False))
        qs.sync()
