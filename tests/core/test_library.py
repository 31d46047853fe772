"""PhotoLibrary: original vs edited, dirty, revert, save results, vocabulary, sort and filter."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from editor.core.library import Filter, ItemState, PhotoLibrary, SortKey
from editor.core.model import FileStamp, PhotoMetadata, PhotoRecord


def record(path: Path, writable: bool = True, **md: object) -> PhotoRecord:
    return PhotoRecord(
        path=path,
        metadata=PhotoMetadata(**md),  # type: ignore[arg-type]
        writable=writable,
        read_only_reason="" if writable else "the folder is read-only",
        stamp=FileStamp(1, 1, "x"),
    )


@pytest.fixture
def lib() -> PhotoLibrary:
    library = PhotoLibrary()
    paths = [Path(f"/p/IMG_{n}.jpg") for n in (10, 2, 1)]
    assert library.add(paths) == paths
    assert library.add([paths[0], Path("/p/IMG_2.jpg")]) == []
    for p in paths:
        library.set_record(p, record(p, caption="c" if p.name == "IMG_1.jpg" else ""))
    return library


def test_set_field_dirty_and_revert(lib: PhotoLibrary) -> None:
    seen: list[list[Path]] = []
    lib.add_listener(lambda paths: seen.append(list(paths)))
    a, b, _ = lib.paths
    assert not lib.has_unsaved
    assert lib.set_field([a, b], "creator", ("Jane",)) == [a, b]
    assert lib.set_field([a, b], "creator", ("Jane",)) == []  # no change, no noise
    assert lib.dirty_paths() == [a, b]
    assert seen == [[a, b]]
    lib.set_field([a], "creator", ())
    assert lib.dirty_paths() == [b]  # back to the original value: clean again
    assert lib.revert([b]) == [b]
    assert not lib.has_unsaved
    with pytest.raises(KeyError):
        lib.set_field([a], "nonsense", 1)


def test_mark_saved_keeps_edits_made_during_the_save(lib: PhotoLibrary) -> None:
    a = lib.paths[0]
    lib.set_field([a], "caption", "first")
    snapshot = lib.item(a).edited
    lib.set_field([a], "caption", "second")  # typed while the save ran
    lib.mark_saved(a, snapshot, record(a, caption="first"))
    item = lib.item(a)
    assert item.original.caption == "first"
    assert item.edited.caption == "second" and item.dirty


def test_save_error_and_read_errors_are_problems(lib: PhotoLibrary) -> None:
    a, b, c = lib.paths
    lib.set_save_error(a, "disk full")
    assert lib.item(a).problems() == ["Not saved: disk full"]
    lib.set_error(b, "not a JPEG")
    assert lib.item(b).state is ItemState.ERROR and not lib.item(b).dirty
    assert lib.set_field([b], "caption", "x") == []
    lib.set_record(c, record(c, writable=False))
    assert lib.item(c).problems() == ["Read-only: the folder is read-only"]
    assert not lib.item(c).writable
    assert lib.filtered_paths(Filter.PROBLEMS) == [a, b, c]


def test_reload_keeps_unsaved_edits(lib: PhotoLibrary) -> None:
    a = lib.paths[0]
    lib.set_field([a], "caption", "mine")
    lib.set_record(a, record(a, caption="theirs"))
    assert lib.item(a).edited.caption == "mine"
    assert lib.item(a).original.caption == "theirs"


def test_vocabulary_sort_and_filter(lib: PhotoLibrary) -> None:
    a, b, c = lib.paths
    lib.set_field([a], "keywords", ("river", "Dusk"))
    lib.set_field([b], "keywords", ("dusk", "aerial"))
    assert lib.keyword_vocabulary() == ["aerial", "Dusk", "river"]
    assert [p.name for p in lib.sorted_paths(SortKey.NAME)] == [
        "IMG_1.jpg", "IMG_2.jpg", "IMG_10.jpg"
    ]
    lib.set_field([a], "date_taken", datetime(2020, 1, 1))
    lib.set_field([c], "date_taken", datetime(2021, 1, 1))
    assert lib.sorted_paths(SortKey.DATE_TAKEN) == [a, c, b]
    # Capture order ignores edits: the camera's own times, then file order.
    assert lib.sorted_paths(SortKey.CAPTURE_ORDER) == [a, b, c]
    assert lib.filtered_paths(Filter.MISSING_CAPTION) == [a, b]
    assert lib.filtered_paths(Filter.UNSAVED) == [a, b, c]
    assert lib.filtered_paths(Filter.MISSING_ALT_TEXT) == [a, b, c]
    lib.remove([b])
    assert lib.paths == [a, c] and lib.row(c) == 1


def test_capture_order_uses_subseconds(tmp_path: Path) -> None:
    lib = PhotoLibrary()
    x, y = Path("/x.jpg"), Path("/y.jpg")
    lib.add([x, y])
    lib.set_record(x, record(x, date_taken=datetime(2024, 1, 1, 12, 0, 0, 500000)))
    lib.set_record(y, record(y, date_taken=datetime(2024, 1, 1, 12, 0, 0, 100000)))
    assert lib.sorted_paths(SortKey.CAPTURE_ORDER) == [y, x]


def test_running_answers_match_a_full_scan_through_any_sequence_of_changes() -> None:
    """Unsaved paths, photos still loading and the vocabulary are kept up to date as items
    change; after every step they must equal what scanning every item gives."""
    import random

    rng = random.Random(3)
    lib = PhotoLibrary()
    pool = [Path(f"/p/{n}.jpg") for n in range(10)]
    words = ["Dusk", "dusk", "river", "Aerial", "aerial", "boat"]

    def scan_vocabulary() -> set[str]:
        return {w.casefold() for it in lib.items for w in it.edited.keywords}

    for step in range(800):
        op, p = rng.random(), rng.choice(pool)
        kws = tuple(rng.sample(words, rng.randint(0, 3)))
        if op < 0.15:
            lib.add([p])
        elif op < 0.3:
            lib.set_record(p, record(p, keywords=kws, caption=rng.choice(["", "c"])))
        elif op < 0.55:
            lib.set_field([p], "keywords", kws)
        elif op < 0.65:
            lib.set_field([p], "caption", rng.choice(["", "c", "d"]))
        elif op < 0.72 and p in lib and lib.item(p).dirty:
            lib.mark_saved(p, lib.item(p).edited, record(p, **{
                "keywords": lib.item(p).edited.keywords, "caption": lib.item(p).edited.caption}))
        elif op < 0.78:
            lib.set_error(p, "broken")
        elif op < 0.84:
            lib.revert([p])
        elif op < 0.94:
            lib.remove([p])
        elif op < 0.96:
            lib.clear()
        assert lib.dirty_paths() == [it.path for it in lib.items if it.dirty], step
        assert lib.unsaved_count == sum(it.dirty for it in lib.items)
        assert lib.has_unsaved == any(it.dirty for it in lib.items)
        assert lib.loading_count == sum(it.state is ItemState.LOADING for it in lib.items)
        vocabulary = lib.keyword_vocabulary()
        assert {w.casefold() for w in vocabulary} == scan_vocabulary(), step
        assert len(vocabulary) == len(scan_vocabulary())
        assert vocabulary == sorted(vocabulary, key=str.casefold)
        in_use = {w for it in lib.items for w in it.edited.keywords}
        assert set(vocabulary) <= in_use  # each shown spelling is one still in use


def test_read_results_are_announced_once_for_the_whole_chunk() -> None:
    lib = PhotoLibrary()
    a, b, c = (Path(f"/p/{n}.jpg") for n in "abc")
    lib.add([a, b, c])
    seen: list[list[Path]] = []
    lib.add_listener(lambda paths: seen.append(list(paths)))
    lib.set_read_results([(a, record(a, caption="x")), (b, "not a JPEG"), (Path("/gone.jpg"), "x")])
    assert seen == [[a, b]]  # one announcement; a path not in the set is ignored
    assert lib.item(a).edited.caption == "x" and lib.item(b).error == "not a JPEG"
    assert lib.item(b).state is ItemState.ERROR and lib.loading_count == 1
