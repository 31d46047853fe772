"""Code replacement: Photo Mechanic's file format and expansion at the cursor."""

from __future__ import annotations

from pathlib import Path

from editor.core.codes import expand_at, parse_codes, read_codes, words_of, write_codes

PM_FILE = (
    "rw\tRob Whitworth\tRW\textra\n"
    "\n"
    "no tab here\n"
    "pyo\tPyongyang, North Korea\n"
    "  gw \tGwangju \n"
)


def test_photo_mechanic_format_extra_columns_ignored() -> None:
    assert parse_codes(PM_FILE) == {
        "rw": "Rob Whitworth",
        "pyo": "Pyongyang, North Korea",
        "gw": "Gwangju",
    }


def test_expands_only_a_delimited_known_code_just_before_the_cursor() -> None:
    codes = parse_codes(PM_FILE)
    text = "Photo: =rw="
    assert expand_at(text, len(text), codes) == (7, 11, "Rob Whitworth")
    assert expand_at("=RW=", 4, codes) == (0, 4, "Rob Whitworth")  # case-insensitive fallback
    assert expand_at("=xx=", 4, codes) is None  # unknown
    assert expand_at("a = b =", 7, codes) is None  # spaces: not a code
    assert expand_at("=rw", 3, codes) is None  # not closed yet
    assert expand_at("=rw= and", 8, codes) is None  # cursor elsewhere
    assert expand_at("#rw#", 4, codes, delimiter="#") == (0, 4, "Rob Whitworth")
    assert expand_at("=rw=", 4, codes, delimiter="#") is None


def test_round_trip_and_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "codes.txt"
    write_codes(path, {"zk": "Zürich Kunsthaus"})
    assert read_codes(path) == {"zk": "Zürich Kunsthaus"}
    path.write_bytes("zk\tZ\xfcrich\r\n".encode("latin-1"))
    assert read_codes(path) == {"zk": "Zürich"}
    assert read_codes(tmp_path / "absent.txt") == {}


def test_replacement_words_count_as_spelt() -> None:
    assert words_of(parse_codes(PM_FILE)) >= {"whitworth", "pyongyang", "gwangju"}
