"""The grid's models pass pytest-qt's model tester while photos stream in, sort and filter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from editor.core.library import Filter, PhotoLibrary, SortKey
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.gui.main_window import MainWindow
from editor.gui.photo_model import PhotoFilterModel, PhotoModel, Role
from editor.gui.thumbnailer import Thumbnailer
from editor.gui.workers import WorkerPool
from tests.gui.conftest import GridModels, loaded


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
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    request: pytest.FixtureRequest,
    grid_models: GridModels,
) -> None:
    library, model, proxy = grid_models.library, grid_models.model, grid_models.proxy
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


def _names(proxy: PhotoFilterModel) -> list[str]:
    return [proxy.index(r, 0).data(Role.PATH).name for r in range(proxy.rowCount())]


def test_rows_arriving_out_of_order_are_inserted_in_place(
    qtbot: QtBot, qtmodeltester: ModelTester, grid_models: GridModels
) -> None:
    model, proxy = grid_models.model, grid_models.proxy
    qtmodeltester.check(model, force_py=True)
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    model.add_paths([Path(f"/x/IMG_{n}.jpg") for n in (2, 10, 30)])
    model.add_paths([Path(f"/x/IMG_{n}.jpg") for n in (31, 11, 1, 12, 40)])
    assert _names(proxy) == [f"IMG_{n}.jpg" for n in (1, 2, 10, 11, 12, 30, 31, 40)]
    # One insert per place the new photos go (after 30: two; after 10: two; before 2: one),
    # the last place first so that the earlier places keep their row numbers.
    assert inserts == [(0, 2), (3, 4), (2, 3), (0, 0)]
    model.remove_paths([Path("/x/IMG_10.jpg"), Path("/x/IMG_11.jpg"), Path("/x/IMG_40.jpg")])
    assert _names(proxy) == [f"IMG_{n}.jpg" for n in (1, 2, 12, 30, 31)]
    assert model.row_of(Path("/x/IMG_31.jpg")) == 4


def test_a_changed_date_moves_the_photo_and_keeps_the_selection(
    qtbot: QtBot, grid_models: GridModels
) -> None:
    from datetime import datetime

    from PySide6.QtCore import QItemSelectionModel

    library, model, proxy = grid_models.library, grid_models.model, grid_models.proxy
    paths = [Path(f"/x/{n}.jpg") for n in "abc"]
    model.add_paths(paths)
    for day, p in zip((3, 1, 2), paths, strict=True):
        md = PhotoMetadata(date_taken=datetime(2025, 6, day, 12))
        library.set_record(p, PhotoRecord(p, md, writable=True))
    proxy.set_sort_key(SortKey.DATE_TAKEN)
    assert _names(proxy) == ["b.jpg", "c.jpg", "a.jpg"]
    selection = QItemSelectionModel(proxy)
    selection.select(proxy.index_of(paths[1]), QItemSelectionModel.SelectionFlag.Select)
    library.set_field([paths[1]], "date_taken", datetime(2025, 6, 9, 12))
    assert _names(proxy) == ["c.jpg", "a.jpg", "b.jpg"]
    assert [proxy.path_at(i) for i in selection.selectedIndexes()] == [paths[1]]
    proxy.set_sort_key(SortKey.NAME)
    assert _names(proxy) == ["a.jpg", "b.jpg", "c.jpg"]
    assert [proxy.path_at(i) for i in selection.selectedIndexes()] == [paths[1]]


def test_inserting_with_no_filter_asks_the_model_nothing(qtbot: QtBot) -> None:
    # Every call back into Python from the proxy costs the GUI thread a GIL hand-over; with no
    # filter, a thousand new rows must not cost a thousand of them.
    asked: list[int] = []

    class Counting(PhotoModel):
        def data(self, index: Any, role: int = 0) -> Any:
            asked.append(role)
            return super().data(index, role)

    pool = WorkerPool(1, "t")
    model = Counting(PhotoLibrary(), Thumbnailer(pool, None))
    proxy = PhotoFilterModel(model)
    model.add_paths([Path(f"/x/IMG_{n}.jpg") for n in range(1000)])
    assert proxy.rowCount() == 1000 and asked == []
    proxy.set_filter(Filter.MISSING_CAPTION)
    assert asked.count(int(Role.SHOWN)) == 1000  # the subclass does see the calls
    assert proxy.rowCount() == 0  # nothing read yet, so nothing is known to miss a caption
    pool.shutdown()
