"""The grid works out which rows are on screen from its geometry, the same rows Qt paints."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from editor.gui.photo_grid import PhotoGrid
from editor.gui.photo_model import PhotoFilterModel
from tests.gui.conftest import GridModels


def _rows_qt_places_on_screen(grid: PhotoGrid, proxy: PhotoFilterModel) -> list[int]:
    viewport = QRect(0, 0, grid.viewport().width(), grid.viewport().height())
    return [
        row
        for row in range(proxy.rowCount())
        if grid.visualRect(proxy.index(row, 0)).intersects(viewport)
    ]


def test_visible_rows_match_the_laid_out_rows_at_the_top_and_after_scrolling(
    qtbot: QtBot, grid_models: GridModels
) -> None:
    model, proxy = grid_models.model, grid_models.proxy
    grid = PhotoGrid(proxy, grid_models.thumbnails)
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    grid.show()
    qtbot.waitExposed(grid)
    model.add_paths([Path(f"/nowhere/IMG_{n:03d}.jpg") for n in range(300)])
    first = grid.visible_rows()
    assert len(first) > 0  # known at once, before Qt has laid the rows out
    qtbot.waitUntil(lambda: grid.visualRect(proxy.index(299, 0)).isValid())
    for scroll in (0, 1, 377, grid.verticalScrollBar().maximum()):
        grid.verticalScrollBar().setValue(scroll)
        expected = _rows_qt_places_on_screen(grid, proxy)
        assert list(grid.visible_rows()) == expected, scroll
    assert list(first) == list(range(len(first)))


def test_a_paint_draws_a_few_new_cells_and_the_next_paints_draw_the_rest(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, grid_models: GridModels
) -> None:
    import time

    from editor.core.model import PhotoMetadata, PhotoRecord
    from editor.gui import thumbnail_delegate

    library, model = grid_models.library, grid_models.model
    grid = PhotoGrid(grid_models.proxy, grid_models.thumbnails)
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    paths = [Path(f"/nowhere/IMG_{n:03d}.jpg") for n in range(60)]
    model.add_paths(paths)
    for p in paths:  # read: each cell shows its own name and caption, so each is drawn anew
        library.set_record(p, PhotoRecord(p, PhotoMetadata(caption=p.stem), writable=True))
    rendered: list[Path | None] = []
    per_paint: list[int] = []
    original = thumbnail_delegate.ThumbnailDelegate._render

    def slow_render(self: object, card: thumbnail_delegate.Card, *args: object) -> object:
        time.sleep(0.003)  # a slow machine: 3 ms per new cell
        rendered.append(card.path)
        return original(self, card, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(thumbnail_delegate.ThumbnailDelegate, "_render", slow_render)
    original_paint = PhotoGrid.paintEvent

    def counting_paint(self: PhotoGrid, event: object) -> None:
        before = len(rendered)
        original_paint(self, event)  # type: ignore[arg-type]
        per_paint.append(len(rendered) - before)

    monkeypatch.setattr(PhotoGrid, "paintEvent", counting_paint)
    grid.show()
    visible = set(paths[: len(grid.visible_rows())])
    assert len(visible) > 10
    qtbot.waitUntil(lambda: visible <= set(rendered), timeout=5000)
    budget_cells = int(thumbnail_delegate.FRAME_BUDGET_S / 0.003) + 1
    assert max(per_paint) <= budget_cells + 1  # the blank card may be drawn once as well
    assert len([n for n in per_paint if n]) >= 2  # the rest came in later paints


def test_inserting_rows_does_not_paint_an_empty_grid(
    qtbot: QtBot, grid_models: GridModels
) -> None:
    """QListView forgets every cell's place on an insert until its batched layout runs again;
    a paint in between drew nothing (a blank frame while a folder streams in)."""
    from editor.gui.thumbnail_delegate import ThumbnailDelegate

    model, proxy = grid_models.model, grid_models.proxy
    grid = PhotoGrid(proxy, grid_models.thumbnails)
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    grid.show()
    qtbot.waitExposed(grid)
    qtbot.wait(20)
    delegate = grid.itemDelegate()
    assert isinstance(delegate, ThumbnailDelegate)
    model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(0, 2000, 2)])
    grid.executeDelayedItemsLayout()  # the first batch of 200 placed, the next ones to come
    grid.viewport().repaint()
    assert delegate.drawn is not None  # a cell was drawn
    delegate.drawn = None
    # Rows sorted in among the others, then a paint before any event is processed.
    model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(1, 2000, 2)])
    grid.viewport().repaint()
    assert delegate.drawn is not None


def test_rows_added_below_the_screen_do_not_repaint_it_and_are_laid_out_soon(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, grid_models: GridModels
) -> None:
    """Every layout repaints the whole viewport; a folder streaming in adds rows every pass
    (issue 17: 38 full repaints of 8-27 ms in the first second of 5,000 photos). Rows that
    land below the screen change nothing on it: they are laid out together, a little later."""
    from editor.gui import photo_grid

    paints: list[int] = []
    original_paint = PhotoGrid.paintEvent

    def counting_paint(self: PhotoGrid, event: object) -> None:
        paints.append(1)
        original_paint(self, event)  # type: ignore[arg-type]

    monkeypatch.setattr(PhotoGrid, "paintEvent", counting_paint)  # before the grid is made
    model, proxy = grid_models.model, grid_models.proxy
    grid = PhotoGrid(proxy, grid_models.thumbnails)
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    grid.show()
    qtbot.waitExposed(grid)
    model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(100)])
    qtbot.waitUntil(lambda: grid.visualRect(proxy.index(99, 0)).isValid())
    qtbot.wait(50)
    assert paints  # the counter counts
    paints.clear()
    for start in range(100, 1000, 100):  # nine passes of rows below the screen
        model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(start, start + 100)])
        qtbot.wait(5)  # rows streaming in: less than QUIET_LAYOUT_MS apart
    assert len(paints) <= 1
    bar = grid.verticalScrollBar()
    qtbot.wait(photo_grid.QUIET_LAYOUT_MS + 50)  # no more rows: laid out by now
    assert grid.visualRect(proxy.index(999, 0)).isValid()
    bar.setValue(bar.maximum())  # the new rows can be scrolled to
    assert grid.visible_rows().stop == 1000
    qtbot.wait(50)
    # A row sorted in on screen repaints at once.
    paints.clear()
    model.add_paths([Path("/nowhere/IMG_0990a.jpg")])  # row 991, on screen
    qtbot.waitUntil(lambda: len(paints) >= 1, timeout=1000)


def test_scrolling_to_the_end_right_after_rows_arrive_reaches_the_last_row(
    qtbot: QtBot, grid_models: GridModels
) -> None:
    """Rows below the screen wait for a late layout; End (or any scroll to a row) lays them
    out first instead of stopping at the old end."""
    model, proxy = grid_models.model, grid_models.proxy
    grid = PhotoGrid(proxy, grid_models.thumbnails)
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    grid.show()
    qtbot.waitExposed(grid)
    model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(60)])
    qtbot.waitUntil(lambda: grid.visualRect(proxy.index(59, 0)).isValid())
    model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(60, 150)])
    assert not grid.visualRect(proxy.index(149, 0)).isValid()  # waiting for its layout
    grid.scrollToBottom()
    assert grid.visible_rows().stop == 150
    bar = grid.verticalScrollBar()
    bar.setValue(0)
    model.add_paths([Path(f"/nowhere/IMG_{n:04d}.jpg") for n in range(150, 190)])
    grid.scrollTo(proxy.index(189, 0))  # End and selecting a photo by code go through here
    assert grid.visible_rows().stop == 190
