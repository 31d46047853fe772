"""Outlet profiles in the export dialog: choose, save as, rename, delete; export with one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.core.export import Sharpen
from editor.core.export.profiles import find_profile, user_profiles
from tests.gui.test_export_dialog import make_dialog


def test_profiles_fill_the_form_and_are_saved_renamed_deleted(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dialog = make_dialog(qtbot, tmp_path, count=2)
    names = [dialog.profile.itemData(i) for i in range(dialog.profile.count())]
    assert names == ["blog", "responsive", "archive", "wordpress"]
    assert not dialog.profile_delete.isEnabled()  # built in
    dialog.profile.setCurrentIndex(names.index("archive"))
    assert dialog.long_edge.value() == 0 and dialog.quality.value() == 95
    # Shape an outlet and keep it.
    dialog.long_edge.setValue(900)
    dialog.quality.setValue(75)
    dialog.max_kb.setValue(90)
    dialog.sharpen.setCurrentIndex(dialog.sharpen.findData("standard"))
    dialog.base_url.setText("https://img.example.org/x")
    dialog.content_width.setValue(700)
    dialog.name_template.setText("{index}-{slug}")
    assert dialog.save_profile_as("Daily Planet")
    assert dialog.profile.currentData() == "Daily Planet" and dialog.profile_delete.isEnabled()
    saved = find_profile("Daily Planet").options
    assert (saved.long_edge, saved.quality, saved.max_kb, saved.sharpen, saved.base_url,
            saved.content_width, saved.name_template) == (
        900, 75, 90, Sharpen.STANDARD, "https://img.example.org/x", 700, "{index}-{slug}")
    assert not dialog.save_profile_as("blog")  # built-in names are refused, in words
    assert "built-in" in dialog.summary_text()
    # Another profile changes the form; choosing ours back restores it.
    dialog.profile.setCurrentIndex(0)
    assert dialog.long_edge.value() == 1600 and dialog.max_kb.value() == 0
    dialog.profile.setCurrentIndex(dialog.profile.findData("Daily Planet"))
    assert dialog.long_edge.value() == 900 and dialog.max_kb.value() == 90
    assert dialog.rename_profile("Planet")
    assert [p.name for p in user_profiles()] == ["Planet"]
    # Export with it: the cap and the names hold.
    with qtbot.waitSignal(dialog.exported, timeout=30000) as blocker:
        dialog.export_button.click()
    result = blocker.args[0]
    assert [o.name[:4] for p in result.photos for o in p.outputs] == ["001-", "002-"]
    assert all(o.bytes <= 90 * 1024 for p in result.photos for o in p.outputs)
    record = json.loads((tmp_path / "out" / "manifest.json").read_text())["options"]
    assert record["sharpen"] == "standard" and record["content_width"] == 700
    html = (tmp_path / "out" / "article.html").read_text()
    assert 'src="https://img.example.org/x/001-' in html
    assert dialog.settings()["profile"] == "Planet"
    assert dialog.delete_profile(confirm=False)
    assert user_profiles() == [] and dialog.profile.currentData() == "blog"
