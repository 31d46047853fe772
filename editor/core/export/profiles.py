"""Outlet profiles: named, saved export settings (one per outlet: a blog, a CMS, an archive).

A profile is a name and the export options that shape the files and snippets (sizes, formats,
quality, metadata preset, snippet kinds, credit and name templates, content width, base URL,
file-size cap, sharpening); the output folder, overwrite and burn-in stay per export. The
built-in profiles (the former presets plus "wordpress", publishing's default) cannot be changed;
the photographer's own are small JSON files in ``$XDG_CONFIG_HOME/photocaption/profiles``
(default ``~/.config``), one per profile, written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.core.errors import PhotoCaptionError, UnsafeWriteError
from editor.core.export.types import (
    PRESETS,
    ExportOptions,
    MetadataPreset,
    Sharpen,
)
from editor.core.safe_write import replace_own_file

# The ExportOptions fields a profile holds, in the order its JSON file lists them.
PROFILE_FIELDS = (
    "long_edge", "sizes", "formats", "quality", "metadata", "keep_location", "keep_place_names",
    "keep_persons", "ai_disclosure", "snippets", "credit_template", "name_template",
    "content_width", "base_url", "max_kb", "sharpen",
)
_BOOLS = {"keep_location", "keep_place_names", "keep_persons", "ai_disclosure"}
_TUPLES = {"sizes", "formats", "snippets"}
_OPTIONAL_INTS = {"long_edge", "content_width", "max_kb"}


class ProfileError(PhotoCaptionError):
    """A profile that cannot be found, saved, renamed or deleted (one sentence)."""


@dataclass(frozen=True)
class Profile:
    name: str
    options: ExportOptions  # only PROFILE_FIELDS matter; out_dir is a placeholder
    builtin: bool = False
    label: str = ""  # for people; "" shows the name

    @property
    def title(self) -> str:
        return self.label or self.name

    def apply(self, options: ExportOptions) -> ExportOptions:
        """``options`` with this profile's settings (folder, overwrite, burn-in kept)."""
        return options.replace(**{f: getattr(self.options, f) for f in PROFILE_FIELDS})

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        for f in PROFILE_FIELDS:
            value = getattr(self.options, f)
            out[f] = list(value) if f in _TUPLES else str(value) if f in (
                "metadata", "sharpen") else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """The profile a JSON file holds; ProfileError when a value is of the wrong kind."""
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ProfileError("a profile without a name")
        changes: dict[str, object] = {}
        try:
            for f in PROFILE_FIELDS:
                if f not in data:
                    continue  # an older file: the default
                value = data[f]
                if f in _TUPLES:
                    if not isinstance(value, list):
                        raise TypeError(f)
                    changes[f] = tuple(int(v) if f == "sizes" else str(v) for v in value)
                elif f in _OPTIONAL_INTS:
                    changes[f] = None if value is None else int(value)
                elif f == "quality":
                    changes[f] = int(value)
                elif f in _BOOLS:
                    if not isinstance(value, bool):
                        raise TypeError(f)
                    changes[f] = value
                elif f == "metadata":
                    changes[f] = MetadataPreset(str(value))
                elif f == "sharpen":
                    changes[f] = Sharpen(str(value))
                else:
                    changes[f] = str(value)
            options = ExportOptions(out_dir=Path("."), **changes)  # type: ignore[arg-type]
        except (TypeError, ValueError) as err:
            raise ProfileError(f"profile {name!r} has an unreadable setting ({err})") from None
        return cls(name.strip(), options)


BUILTIN: tuple[Profile, ...] = (
    *(Profile(p.key, p.apply(ExportOptions(out_dir=Path("."))), True, p.label) for p in PRESETS),
    Profile("wordpress", ExportOptions(out_dir=Path("."), long_edge=2048, quality=85), True,
            "WordPress upload (one 2048 px JPEG)"),
)
BUILTIN_BY_NAME = {p.name: p for p in BUILTIN}


def config_home() -> Path:
    env = os.environ.get("XDG_CONFIG_HOME", "").strip()
    return Path(env) if env and Path(env).is_absolute() else Path.home() / ".config"


def profiles_dir() -> Path:
    return config_home() / "photocaption" / "profiles"


def _file(name: str, folder: Path) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "profile"
    digest = hashlib.sha256(name.casefold().encode("utf-8")).hexdigest()[:8]
    return folder / f"{slug}-{digest}.json"


def user_profiles(folder: Path | None = None) -> list[Profile]:
    """The photographer's profiles, by name; unreadable files are left out."""
    folder = folder or profiles_dir()
    out: dict[str, Profile] = {}
    try:
        files = sorted(folder.glob("*.json"))
    except OSError:
        return []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            profile = Profile.from_dict(data if isinstance(data, dict) else {})
        except (OSError, ValueError, ProfileError):
            continue
        if profile.name.casefold() not in {n.casefold() for n in BUILTIN_BY_NAME}:
            out[profile.name.casefold()] = profile
    return sorted(out.values(), key=lambda p: p.name.casefold())


def all_profiles(folder: Path | None = None) -> list[Profile]:
    return [*BUILTIN, *user_profiles(folder)]


def find_profile(name: str, folder: Path | None = None) -> Profile:
    """The profile called ``name`` (any case); ProfileError naming the choices if none."""
    profiles = all_profiles(folder)
    for profile in profiles:
        if profile.name.casefold() == name.strip().casefold():
            return profile
    names = ", ".join(p.name for p in profiles)
    raise ProfileError(f"no export profile called {name!r} (there are: {names})")


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ProfileError("a profile needs a name")
    if len(name) > 80:
        raise ProfileError("a profile name can be at most 80 characters")
    if name.casefold() in {n.casefold() for n in BUILTIN_BY_NAME}:
        raise ProfileError(f"{name!r} is a built-in profile; choose another name")
    return name


def save_profile(name: str, options: ExportOptions, folder: Path | None = None) -> Profile:
    """Save (or replace) the photographer's profile ``name`` with ``options``' settings."""
    folder = folder or profiles_dir()
    profile = Profile(_check_name(name), options.replace(out_dir=Path(".")))
    path = _file(profile.name, folder)
    text = json.dumps(profile.to_dict(), ensure_ascii=False, indent=1) + "\n"
    try:
        replace_own_file(path, text.encode("utf-8"), ".profile-")
    except OSError as err:
        raise UnsafeWriteError(f"cannot save the profile in {folder} "
                               f"({err.strerror or err})") from err
    return profile


def delete_profile(name: str, folder: Path | None = None) -> None:
    folder = folder or profiles_dir()
    profile = find_profile(name, folder)
    if profile.builtin:
        raise ProfileError(f"{profile.name!r} is built in and cannot be deleted")
    try:
        _file(profile.name, folder).unlink(missing_ok=True)
    except OSError as err:
        raise ProfileError(f"cannot delete the profile ({err.strerror or err})") from err


def rename_profile(old: str, new: str, folder: Path | None = None) -> Profile:
    folder = folder or profiles_dir()
    profile = find_profile(old, folder)
    if profile.builtin:
        raise ProfileError(f"{profile.name!r} is built in and cannot be renamed")
    new_name = _check_name(new)
    if new_name.casefold() != profile.name.casefold() and any(
            p.name.casefold() == new_name.casefold() for p in user_profiles(folder)):
        raise ProfileError(f"there is already a profile called {new_name!r}")
    saved = save_profile(new_name, profile.options, folder)
    if _file(profile.name, folder) != _file(new_name, folder):
        delete_profile(profile.name, folder)
    return saved
