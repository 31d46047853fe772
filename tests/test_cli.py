"""photocaption show / set, in-process and as a subprocess: exit codes, one-line errors, no
tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editor import __version__, cli
from editor.core.metadata import read_photo
from tests.core.conftest import camera_jpeg

KEYS = {
    "title", "caption", "alt_text", "extended_description", "keywords", "creator", "credit",
    "copyright", "usage_terms", "date_taken", "gps", "rating", "camera", "width", "height",
    "format", "writable", "warnings",
}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editor", *args],
        capture_output=True, text=True, timeout=60, check=False,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(camera_jpeg())
    return path


def test_show_json_keys_and_values(photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", "--json", str(photo)]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert set(row) >= KEYS
    assert row["format"] == "JPEG" and (row["width"], row["height"]) == (64, 48)
    assert row["camera"]["make"] == "FakeCam" and row["date_taken"] == "2020-01-02T03:04:05"
    assert abs(row["gps"]["lat"] - (48 + 51 / 60 + 24 / 3600)) < 1e-6 and row["writable"]


def test_show_text(photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", str(photo)]) == 0
    out = capsys.readouterr().out
    assert str(photo) in out and "Caption:" in out and "FakeCam" in out


def test_set_writes_and_clears(photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["set", str(photo), "--caption", "평양 <&> 😀", "--keywords", "a; b", "--rating", "3"]
    assert cli.main([*args, "--date", "2024-05-01T10:20:30+09:00", "--gps=-33.5,151.25,12"]) == 0
    md = read_photo(photo).metadata
    assert md.caption == "평양 <&> 😀" and md.keywords == ("a", "b") and md.rating == 3
    assert md.gps is not None and md.gps.lat == -33.5 and md.gps.alt == 12
    assert md.date_taken is not None and md.date_taken.utcoffset() is not None
    assert cli.main(["set", str(photo), "--caption", "", "--clear-gps"]) == 0
    md = read_photo(photo).metadata
    assert md.caption == "" and md.gps is None and md.keywords == ("a", "b")
    assert "Traceback" not in capsys.readouterr().err


def test_one_failing_file_among_several(tmp_path: Path) -> None:
    good1, good2 = tmp_path / "a.jpg", tmp_path / "c.jpg"
    bad = tmp_path / "b.jpg"
    good1.write_bytes(camera_jpeg())
    good2.write_bytes(camera_jpeg())
    data = camera_jpeg()
    bad.write_bytes(data[: len(data) // 2])  # truncated in the image data
    before = bad.read_bytes()
    out = run("set", str(good1), str(bad), str(good2), "--caption", "hello")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"photocaption: {bad}: ")
    assert bad.read_bytes() == before
    assert read_photo(good1).metadata.caption == read_photo(good2).metadata.caption == "hello"


def test_messages_follow_the_order_given_and_a_file_given_twice_is_handled_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [tmp_path / f"{n}.jpg" for n in "abcdef"]
    for path in names:
        path.write_bytes(camera_jpeg())
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    link = tmp_path / "link-to-a.jpg"
    link.symlink_to(names[0])
    files = [broken, *names, broken, link]
    assert cli.main(["set", *map(str, files), "--caption", "in order"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert [line.split(": ")[1] for line in err] == [str(broken), str(broken), str(link)]
    assert "given more than once" in err[1] and "written once" not in err[1]
    assert f"the same file as {names[0]}; handled once" in err[2]
    assert all(read_photo(p).metadata.caption == "in order" for p in names)


def test_a_polite_kill_while_saving_finishes_what_is_in_flight_and_leaves_no_temp(
    tmp_path: Path,
) -> None:
    import signal
    import time

    files = [tmp_path / f"{i:03d}.jpg" for i in range(400)]
    data = camera_jpeg()
    for path in files:
        path.write_bytes(data)
    child = subprocess.Popen(
        [sys.executable, "-m", "editor", "set", *map(str, files), "--caption", "killed"],
        stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and all(
        read_photo(p).metadata.caption != "killed" for p in files[:5]
    ):
        time.sleep(0.01)  # wait until it is saving
    child.send_signal(signal.SIGTERM)
    _out, err = child.communicate(timeout=60)
    if child.returncode == 0:
        pytest.skip("all 400 were saved before the signal arrived")
    assert child.returncode == 130, err
    assert "interrupted after writing" in err and "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left
    captions = [read_photo(p).metadata.caption for p in files]
    assert set(captions) <= {"", "killed"} and "" in captions
    claimed = int(err.split("interrupted after writing ")[1].split()[0])
    assert claimed == captions.count("killed")  # the saves in flight finished and are counted


@pytest.mark.parametrize(
    "extra",
    [["--gps", "100,200"], ["--gps", "abc"], ["--date", "yesterday"], ["--rating", "9"],
     ["--rating", "x"]],
)  # fmt: skip
def test_bad_values_no_traceback(photo: Path, extra: list[str]) -> None:
    before = photo.read_bytes()
    out = run("set", str(photo), *extra)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert out.stderr.strip() and len(out.stderr.strip().splitlines()) == 1
    assert photo.read_bytes() == before


def test_bad_files_no_traceback(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"\x00\x01garbage" * 50)
    for target in (tmp_path, tmp_path / "missing.jpg", garbage):
        for args in (("show", str(target)), ("set", str(target), "--caption", "x")):
            out = run(*args)
            assert out.returncode != 0, args
            assert "Traceback" not in out.stderr
            assert out.stderr.strip().startswith(f"photocaption: {target}: ")


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and __version__ in out.stdout


def test_export_into_an_ancestor_of_the_input_folder(tmp_path: Path) -> None:
    trip = tmp_path / "trip"
    originals = trip / "originals"
    originals.mkdir(parents=True)
    for name in ("a.jpg", "b.jpg"):
        (originals / name).write_bytes(camera_jpeg())
    before = {p.name: p.read_bytes() for p in originals.iterdir()}
    for attempt in ("first", "again"):  # the second run must not take the first run's copies
        out = run("export", str(originals), "--out", str(trip), "--overwrite")
        assert out.returncode == 0, (attempt, out.stderr)
        doc = json.loads((trip / "manifest.json").read_text(encoding="utf-8"))
        assert sorted(Path(p["source"]).name for p in doc["photos"]) == ["a.jpg", "b.jpg"]
        assert all(Path(p["source"]).parent == originals for p in doc["photos"])
    copies = [p for p in trip.iterdir() if p.suffix == ".jpg"]
    assert len(copies) == 2 and (trip / "article.html").is_file()
    assert {p.name: p.read_bytes() for p in originals.iterdir()} == before


def test_export_of_the_output_folder_itself_says_why(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(camera_jpeg())
    out = run("export", str(tmp_path), "--out", str(tmp_path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"photocaption: {tmp_path}: is the output folder" in out.stderr


def run_bytes(*args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """The CLI under a strict UTF-8 locale, arguments passed as given (bytes reach it raw)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "editor", *args], capture_output=True, timeout=60, check=False,
        cwd=Path(__file__).resolve().parents[1], env=env,
    )  # fmt: skip


@pytest.mark.parametrize(
    "gps",
    ["48.85,2.35,nan", "48.85,2.35,inf", "48.85,2.35,-inf", "48.85,2.35,1e300", "nan,2.35",
     "48.85,inf", "1e300,2", "48.85,2.35,1e7", "-91,0", "0,180.5", "48.85", "1,2,3,4"],
)  # fmt: skip
def test_gps_that_is_not_a_position_is_a_usage_error(photo: Path, gps: str) -> None:
    before = photo.read_bytes()
    out = run_bytes("set", str(photo), f"--gps={gps}")
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert err.startswith("photocaption: GPS") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and photo.read_bytes() == before


def test_caption_bytes_that_are_not_utf8_are_refused(photo: Path) -> None:
    assert cli.main(["set", str(photo), "--caption", "kept"]) == 0
    before = photo.read_bytes()
    out = run_bytes("set", "--caption", b"caf\xe9", str(photo))
    err = out.stderr.decode()
    assert out.returncode == 2 and "Traceback" not in err
    assert err.strip() == ("photocaption: --caption is not UTF-8 text (it holds the byte \\xe9); "
                           "give it in UTF-8, as this system expects")
    assert photo.read_bytes() == before and read_photo(photo).metadata.caption == "kept"
    ok = run_bytes("set", "--caption", "café".encode(), str(photo))  # UTF-8 still works
    assert ok.returncode == 0 and read_photo(photo).metadata.caption == "café"


def test_show_and_export_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    name = folder + b"/caf\xe9.jpg"
    with open(name, "wb") as f:
        f.write(camera_jpeg())
    shown = f"{tmp_path}/caf\\xe9.jpg"
    out = run_bytes("show", name)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().splitlines()[0] == shown and b"FakeCam" in out.stdout
    out = run_bytes("show", "--json", name)
    assert out.returncode == 0 and json.loads(out.stdout)[0]["path"] == shown
    out = run_bytes("export", name, "--out", folder + b"/out", "--snippets", "html,md,hugo")
    assert out.returncode == 0, out.stderr
    assert b"Traceback" not in out.stderr and b"caf\\xe9.jpg" in out.stderr
    doc = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [p["source"] for p in doc["photos"]] == [shown]
    for snippet in ("article.html", "index.html", "article.md", "article.hugo.md"):
        assert (tmp_path / "out" / snippet).read_text(encoding="utf-8")


def test_set_gps_in_degrees_minutes_seconds(photo: Path) -> None:
    """Issue 15 item 7: --gps takes the position as cameras and maps print it."""
    assert cli.main(["set", str(photo), "--gps", "33°52'30\"S 151°12'36\"E"]) == 0
    md = read_photo(photo).metadata
    assert md.gps is not None
    assert abs(md.gps.lat - -33.875) < 1e-6 and abs(md.gps.lon - 151.21) < 1e-6
    exiftool = shutil.which("exiftool")
    if exiftool is not None:
        out = subprocess.run([exiftool, "-n", "-j", "-GPS:GPSLatitude", "-GPS:GPSLongitude",
                              "-GPS:GPSLatitudeRef", str(photo)], capture_output=True, check=True)
        tags = json.loads(out.stdout)[0]
        assert abs(tags["GPSLatitude"] - 33.875) < 1e-6 and tags["GPSLatitudeRef"] == "S"
        assert abs(tags["GPSLongitude"] - 151.21) < 1e-6


def test_export_of_a_folder_reports_what_was_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "card"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(camera_jpeg())
    (folder / "clip.MOV").write_bytes(b"x")
    (folder / "broken.CR2").write_bytes(b"x" * 64)
    (folder / "a.xmp").write_bytes(b"<x/>")
    assert cli.main(["export", str(folder), "--out", str(tmp_path / "web")]) == 0
    err = capsys.readouterr().err
    assert "broken.CR2: not a CR2 file" in err
    assert "photocaption: export: 2 skipped: 1 .MOV, 1 damaged .CR2" in err
