"""Round-trip every file of ../shared/samples: write every field, then check with exiftool.

The work is done once per session (see samples_report.run_samples); each check is its own test
per file so a failure names the file and what went wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.errors import PhotoCaptionError
from editor.core.metadata import read_photo
from tests.core import samples_report
from tests.core.conftest import EXIFTOOL, FULL, SAMPLES, needs_exiftool, needs_samples, sample_files

pytestmark = [pytest.mark.samples, needs_samples]

NAMES = sample_files() or ["(no samples)"]
Result = samples_report.SampleResult
Results = dict[str, Result]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return samples_report.run_samples(tmp_path_factory.mktemp("samples"))


def _result(results: Results, name: str) -> Result:
    return results[name]


@pytest.mark.parametrize("name", NAMES)
def test_read_back_by_engine_and_exiftool(results: Results, name: str) -> None:
    r = _result(results, name)
    if r.refused:
        pytest.skip(f"refused: {r.error}")
    assert r.problems["readback"] == []


@needs_exiftool
@pytest.mark.parametrize("name", NAMES)
def test_only_edited_tags_change(results: Results, name: str) -> None:
    r = _result(results, name)
    if r.refused:
        pytest.skip(f"refused: {r.error}")
    assert r.problems["tags"] == []


@pytest.mark.parametrize("name", NAMES)
def test_image_data_identical(results: Results, name: str) -> None:
    r = _result(results, name)
    if r.refused:
        pytest.skip(f"refused: {r.error}")
    assert r.problems["image"] == []


@needs_exiftool
@pytest.mark.parametrize("name", NAMES)
def test_no_new_validate_warnings(results: Results, name: str) -> None:
    r = _result(results, name)
    if r.refused:
        pytest.skip(f"refused: {r.error}")
    assert r.problems["warnings"] == []


@pytest.mark.parametrize("name", NAMES)
def test_refused_files_untouched_with_one_line_reason(results: Results, name: str) -> None:
    r = _result(results, name)
    if not r.refused:
        # It really was written (into the photo, or for HEIC into its sidecar: issue 14).
        assert r.before.read_bytes() != r.after.read_bytes() or (
            r.sidecar is not None and r.sidecar.is_file()
        )
        return
    assert r.error_type is not None and issubclass(r.error_type, PhotoCaptionError)
    assert r.after.read_bytes() == r.before.read_bytes()
    assert r.error.strip() and "\n" not in r.error.strip()
    assert r.problems["refused"] == []


def test_known_refusals(results: Results) -> None:
    """The files README.md describes as unwritable are refused, not written."""
    for name in ("exiv2-pr_1994_poc2.jpg", "pillow-truncated_jpeg.jpg", "piexif-notjpeg.jpg"):
        if name in results:
            assert results[name].refused, name
    if "exiv2-pr_1994_poc2.jpg" in results:
        assert "64 KB" in results["exiv2-pr_1994_poc2.jpg"].error


@pytest.mark.parametrize("name", NAMES)
def test_writable_flag_matches_outcome(results: Results, name: str) -> None:
    """read_photo must not promise a write that write_photo then refuses as damaged."""
    r = _result(results, name)
    if not r.refused or "truncated" not in r.error:
        return
    assert not read_photo(SAMPLES / name).writable


@needs_exiftool
def test_cli_show_json_reads_back(results: Results) -> None:
    import json
    import subprocess
    import sys

    written = [r.after for r in results.values() if not r.refused][:3]
    if not written:
        pytest.skip("nothing written")
    out = subprocess.run(
        [sys.executable, "-m", "editor", "show", "--json", *map(str, written)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == len(written)
    for row in rows:
        assert row["title"] == FULL.title
        assert row["caption"] == FULL.caption
        assert row["keywords"] == list(FULL.keywords)
        assert row["creator"] == list(FULL.creator)
        assert row["rating"] == FULL.rating
        assert FULL.date_taken is not None and FULL.gps is not None
        assert row["date_taken"] == FULL.date_taken.isoformat()
        assert abs(row["gps"]["lat"] - FULL.gps.lat) < 1e-6
        assert EXIFTOOL is not None and Path(row["path"]).exists()
