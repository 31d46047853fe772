"""Templates: variable expansion, applying to a photo (keywords added), JSON round trip."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.core.model import GPS, PhotoMetadata, PhotoRecord
from editor.core.templates import (
    Template,
    apply_template,
    dump_templates,
    expand_text,
    load_templates,
    template_from_metadata,
)

WHEN = datetime(2023, 7, 9, 18, 30, tzinfo=timezone(timedelta(hours=9)))


def expand(text: str, **kw: object) -> str:
    args: dict[str, object] = {"filename": "/shoot/DSC_0042.JPG", "date": WHEN,
                               "creator": "Jane Doe", "n": 3}
    args.update(kw)
    return expand_text(text, **args)  # type: ignore[arg-type]


def test_every_variable() -> None:
    assert expand("{filename}|{date}|{year}|{creator}|{n}") == "DSC_0042|2023-07-09|2023|Jane Doe|3"


def test_unknown_variables_and_escapes_are_kept() -> None:
    assert expand("{nope} {{n}} {{{n}}} }} { n } {") == "{nope} {n} {3} } { n } {"


def test_missing_date_and_creator() -> None:
    out = expand("[{date}] © {year} {creator}", date=None, creator=())
    assert out == f"[] © {date.today().year} "


def test_creator_sequence_uses_first() -> None:
    assert expand("{creator}", creator=("김민지", "Jane")) == "김민지"


def test_korean_and_emoji_text_around_variables() -> None:
    assert expand("서울 📷 {n}번째 사진 — {filename} ✨") == "서울 📷 3번째 사진 — DSC_0042 ✨"


@given(st.text())
def test_text_without_braces_is_unchanged(text: str) -> None:
    text = text.replace("{", "").replace("}", "")
    assert expand(text) == text


def record(name: str, md: PhotoMetadata) -> PhotoRecord:
    return PhotoRecord(path=Path("/shoot") / name, metadata=md, writable=True)


def test_apply_expands_per_photo_and_adds_keywords() -> None:
    template = Template("Agency", {
        "creator": ("Jane Doe",),
        "copyright": "© {year} {creator}",
        "caption": "{filename} ({n}/2)",
        "keywords": ("Seoul", "{year}", "market"),
        "credit": "Jane Doe / Northlight",
    })
    photos = [
        PhotoMetadata(keywords=("market", "night"), date_taken=WHEN, credit="old"),
        PhotoMetadata(keywords=("SEOUL",)),
    ]
    out = [apply_template(template, md, record(f"IMG_{i}.jpg", md), i)
           for i, md in enumerate(photos, start=1)]
    assert out[0].copyright == "© 2023 Jane Doe"
    assert out[0].caption == "IMG_1 (1/2)"
    assert out[0].keywords == ("market", "night", "Seoul", "2023")
    assert out[0].credit == "Jane Doe / Northlight"
    assert out[0].date_taken == WHEN  # fields not in the template are kept
    assert out[1].caption == "IMG_2 (2/2)"
    assert out[1].keywords == ("SEOUL", str(date.today().year), "market")
    assert out[1].creator == ("Jane Doe",)


def test_apply_creator_variable_uses_photo_creator_when_template_has_none() -> None:
    template = Template("c", {"copyright": "© {creator}", "usage_terms": "Ask {creator}"})
    md = PhotoMetadata(creator=("민지",), copyright="x")
    out = apply_template(template, md, record("a.jpg", md), 1)
    assert out.copyright == "© 민지" and out.usage_terms == "Ask 민지"


def test_apply_non_text_fields() -> None:
    template = Template("t", {"rating": 5, "gps": GPS(1.5, 2.5), "date_taken": WHEN})
    md = PhotoMetadata(rating=1)
    out = apply_template(template, md, record("a.jpg", md), 1)
    assert (out.rating, out.gps, out.date_taken) == (5, GPS(1.5, 2.5), WHEN)


def test_json_round_trip() -> None:
    templates = [
        Template("Agency 📷", {"creator": ("Jane", "김민지"), "keywords": ("a",), "credit": "©"}),
        Template("Full", {"gps": GPS(48.8, 2.3, 35.0), "date_taken": WHEN, "rating": 3}),
    ]
    text = dump_templates(templates)
    json.loads(text)  # really JSON
    assert load_templates(text) == templates
    assert Template.from_dict(templates[0].to_dict()).values["creator"] == ("Jane", "김민지")


def test_load_skips_bad_entries() -> None:
    text = json.dumps([{"name": "ok", "values": {"credit": "x"}}, {"name": "bad field",
                      "values": {"nope": 1}}, {"values": {}}, "junk",
                      {"name": "bad type", "values": {"keywords": "not a list"}}])
    assert [t.name for t in load_templates(text)] == ["ok"]
    assert load_templates("not json") == []
    assert load_templates("{}") == []


@pytest.mark.parametrize("values", [{"nope": "x"}, {"credit": 3}, {"rating": 9}, {"keywords": "a"}])
def test_invalid_values_raise(values: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Template("t", values)


def test_template_is_immutable_hashable_and_from_metadata() -> None:
    md = PhotoMetadata(creator=("Jane",), credit="Credit", keywords=("k",), caption="not included")
    template = template_from_metadata("T", md)
    assert set(template.values) == {"creator", "credit", "copyright", "usage_terms", "keywords"}
    assert "caption" not in template.values
    with pytest.raises(TypeError):
        template.values["credit"] = "y"  # type: ignore[index]
    assert hash(template) == hash(template_from_metadata("T", md))
    assert template.renamed("U").name == "U" and template.renamed("U").values == template.values
