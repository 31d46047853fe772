"""photocaption set / show with the IPTC set (issue 13): flags, checked vocabularies, the JSON
shape, and IIM written by default (``--no-iptc`` opts out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor import cli
from editor.core.codecs import iptc
from editor.core.formats import jpeg
from editor.core.metadata import read_photo
from editor.core.vocabulary import DIGITAL_SOURCE_TYPE_PREFIX
from tests.core.conftest import camera_jpeg

EVERY_FLAG = {
    "--headline": "Fête à Séoul", "--caption-writer": "JD", "--person-shown": "김철수; Zoë",
    "--event": "Festival 2026", "--sublocation": "Myeong-dong", "--city": "Séoul",
    "--state": "Seoul", "--country": "Corée", "--country-code": "kor",
    "--creator-job-title": "Staff", "--web-statement": "https://example.com/terms",
    "--licensor-name": "Agence", "--licensor-url": "https://example.com/buy",
    "--creator-address": "1 rue X", "--creator-city": "Lyon", "--creator-region": "Rhône",
    "--creator-postal-code": "69001", "--creator-country": "France",
    "--creator-email": "jane@example.com", "--creator-phone": "+33 1", "--creator-url":
    "https://jane.example.com", "--digital-source-type": "trainedAlgorithmicMedia",
    "--instructions": "Embargo", "--job-id": "J-1", "--source": "Archive",
}  # fmt: skip


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(camera_jpeg())
    return path


def _show_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert cli.main(["show", "--json", str(path)]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert isinstance(row, dict)
    return row


def test_every_flag_lands_in_show_json(photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [item for pair in EVERY_FLAG.items() for item in pair]
    assert cli.main(["set", str(photo), *args]) == 0
    assert capsys.readouterr().out == "1 file written\n"
    row = _show_json(photo, capsys)
    assert row["headline"] == "Fête à Séoul" and row["persons_shown"] == ["김철수", "Zoë"]
    assert row["country_code"] == "KOR"  # checked and upper-cased
    assert row["creator_contact"] == {
        "address": "1 rue X", "city": "Lyon", "region": "Rhône", "postal_code": "69001",
        "country": "France", "email": "jane@example.com", "phone": "+33 1",
        "url": "https://jane.example.com",
    }  # fmt: skip
    assert row["licensor"] == {"name": "Agence", "url": "https://example.com/buy"}
    assert row["digital_source_type"] == DIGITAL_SOURCE_TYPE_PREFIX + "trainedAlgorithmicMedia"
    assert not any(key.startswith(("creator_", "licensor_")) for key in row if key not in (
        "creator_job_title", "creator_contact"))  # fmt: skip
    for key in ("instructions", "job_id", "source", "event", "caption_writer", "web_statement"):
        assert row[key]
    assert cli.main(["show", str(photo)]) == 0
    text = capsys.readouterr().out
    assert "Contact e-mail:" in text and "Created by generative AI" in text


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--digital-source-type", "aiGenerated", "trainedAlgorithmicMedia"),
        ("--country-code", "XX", "ISO 3166"),
    ],
)
def test_unknown_vocabulary_is_a_clear_error(
    photo: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str, message: str
) -> None:
    before = photo.read_bytes()
    assert cli.main(["set", str(photo), flag, value]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert photo.read_bytes() == before


def test_full_uri_accepted_and_empty_clears(
    photo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = DIGITAL_SOURCE_TYPE_PREFIX + "negativeFilm"
    assert cli.main(["set", str(photo), "--digital-source-type", uri]) == 0
    assert read_photo(photo).metadata.digital_source_type == uri
    assert cli.main(["set", str(photo), "--digital-source-type", ""]) == 0
    assert read_photo(photo).metadata.digital_source_type == ""
    assert b"negativeFilm" not in photo.read_bytes()


def _iim(path: Path) -> dict[int, list[bytes]]:
    app13 = jpeg.extract(path.read_bytes()).app13
    found: dict[int, list[bytes]] = {}
    for record, number, value in iptc.datasets(app13):
        if record == 2:
            found.setdefault(number, []).append(value)
    return found


def test_iim_added_by_default_with_every_field_and_title_as_headline(photo: Path) -> None:
    assert not _iim(photo)
    # Only the caption is edited; the new IIM carries the creator already in EXIF too.
    assert cli.main(["set", str(photo), "--creator", "Ann", "--title", "Le titre"]) == 0
    assert cli.main(["set", str(photo), "--caption", "Légende"]) == 0
    iim = _iim(photo)
    assert iim[120] == ["Légende".encode()] and iim[80] == [b"Ann"]
    assert iim[5] == [b"Le titre"] and iim[105] == [b"Le titre"]
    assert read_photo(photo).metadata.headline == ""  # the title there is not a headline
    assert cli.main(["set", str(photo), "--headline", "Une"]) == 0
    assert _iim(photo)[105] == [b"Une"] and read_photo(photo).metadata.headline == "Une"


def test_no_iptc_adds_none_but_keeps_existing_in_step(photo: Path) -> None:
    assert cli.main(["set", str(photo), "--caption", "one", "--no-iptc"]) == 0
    assert not _iim(photo)
    assert cli.main(["set", str(photo), "--caption", "two"]) == 0
    assert _iim(photo)[120] == [b"two"]
    assert cli.main(["set", str(photo), "--caption", "three", "--no-iptc"]) == 0
    assert _iim(photo)[120] == [b"three"]  # present: kept in step


def test_a_long_title_reaches_2_105_whole_and_still_reads_as_no_headline(photo: Path) -> None:
    title = "Évora " + "x" * 120  # 127 bytes: cut to 64 in 2:05 ObjectName
    assert cli.main(["set", str(photo), "--title", title]) == 0
    iim = _iim(photo)
    assert len(iim[5][0]) <= 64 and title.encode().startswith(iim[5][0])
    assert iim[105] == [title.encode()]  # WordPress shows the whole title
    md = read_photo(photo).metadata
    assert md.headline == "" and md.title == title
    assert not any("Headline" in w for w in read_photo(photo).warnings)


def test_a_tiff_without_iim_gets_it_in_tag_33723(tmp_path: Path) -> None:
    from PIL import Image

    from editor.core.formats import tiff

    path = tmp_path / "scan.tif"
    Image.new("RGB", (32, 24), "navy").save(path)
    pixels = tiff.image_data(path.read_bytes())
    assert cli.main(["set", str(path), "--caption", "Légende", "--headline", "Une"]) == 0
    blocks = tiff.extract(path.read_bytes())
    values = iptc.parse_app13(blocks.app13 or b"")
    assert (values.caption, values.headline) == ("Légende", "Une")
    assert tiff.image_data(path.read_bytes()) == pixels
    assert cli.main(["set", str(path), "--caption", "Deux"]) == 0  # kept in step from now on
    assert iptc.parse_app13(tiff.extract(path.read_bytes()).app13 or b"").caption == "Deux"


def test_country_code_is_three_letters_in_iim_and_agrees_with_xmp(photo: Path) -> None:
    assert cli.main(["set", str(photo), "--country-code", "kr"]) == 0
    assert _iim(photo)[100] == [b"KOR"]  # IIM 2:100 takes ISO 3166 alpha-3
    record = read_photo(photo)
    assert record.metadata.country_code == "KR"  # XMP keeps what was typed
    assert not any("Country code" in w for w in record.warnings)  # "KR" and "KOR" agree
