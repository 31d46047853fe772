"""The grid's models pass pytest-qt's model tester while photos stream in, sort and filter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from editor.core.library import Filter, PhotoLibrary, SortKey
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.gui.main_window import MainWindow
from editor.gui.photo_model import PhotoModel, PhotoSortFilterModel, Role
from editor.gui.thumbnailer import Thumbnailer
from editor.gui.workers import WorkerPool
from tests.gui.conftest import loaded


def test_models_pass_model_tester_on_a_loaded_window(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    window: MainWindow,
    make_photo: Callable[..., Path],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    for i in range(6):
        make_photo(f"p{i}.jpg", folder=tmp_path / "m", caption="c" if i % 2 else None)
    window.open_paths([tmp_path / "m"])
    qtbot.waitUntil(loaded(window, 6), timeout=10000)
    qtmodeltester.check(window.model, force_py=True)
    ModelTester(request.config).check(window.proxy, force_py=True)


def test_model_and_proxy_through_inserts_edits_sort_filter_and_reset(
    qtbot: QtBot, qtmodeltester: ModelTester, request: pytest.FixtureRequest
) -> None:
    pool = WorkerPool(1, "t")
    thumbs = Thumbnailer(pool, None)
    library = PhotoLibrary()
    model = PhotoModel(library, thumbs)
    proxy = PhotoSortFilterModel(model)
    qtmodeltester.check(model, force_py=True)
    ModelTester(request.config).check(proxy, force_py=True)  # one tester per model
    paths = [Path(f"/x/IMG_{n}.jpg") for n in (3, 1, 2)]
    assert model.add_paths(paths) == paths
    assert model.add_paths(paths) == []
    for n, p in enumerate(paths):
        md = PhotoMetadata(caption="c" if n else "")
        library.set_record(p, PhotoRecord(p, md, writable=True))
    assert [proxy.index(r, 0).data(Role.PATH).name for r in range(3)] == [
        "IMG_1.jpg", "IMG_2.jpg", "IMG_3.jpg"
    ]
    proxy.set_filter(Filter.MISSING_CAPTION)
    assert proxy.rowCount() == 1
    proxy.set_pinned([paths[1]])
    assert proxy.rowCount() == 2
    library.set_field([paths[0]], "caption", "now captioned")
    assert proxy.rowCount() == 1  # left the filter, not pinned
    proxy.set_filter(Filter.ALL)
    proxy.set_sort_key(SortKey.CAPTURE_ORDER)
    assert [proxy.index(r, 0).data(Role.PATH) for r in range(3)] == paths
    model.remove_paths([paths[1]])
    assert proxy.rowCount() == 2
    model.clear()
    assert proxy.rowCount() == 0
    assert model.roleNames()[int(Role.CAPTION)] == b"caption"
    pool.shutdown()
