"""Export and the IPTC set (issue 13): what the presets carry, the place-name and persons
switches and their privacy preview, generative-AI provenance and disclosure, the per-figure
ImageObject JSON-LD of article.html, and the credit template's new variables.

Metadata is read back with exiftool (skipped when absent); snippets go through html.parser,
json.loads, markdown-it-py (CommonMark) and Hugo, as the suite's other render tests do.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from editor.cli import main
from editor.core.export import (
    ExportFinished,
    ExportItem,
    ExportOptions,
    ExportResult,
    export_photos,
    preview_removal,
)
from editor.core.export.jsonld import image_object, is_generative_ai, script_json
from editor.core.export.snippets import article_html, article_hugo, article_md, credit_line
from editor.core.export.types import AI_DISCLOSURE, MetadataPreset, OutputFile, PhotoExport
from editor.core.metadata import write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import FULL, camera_jpeg, exiftool_json, needs_exiftool

AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
AI_COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"


def _original(folder: Path, name: str, md: PhotoMetadata) -> ExportItem:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(camera_jpeg(size=(96, 64)))
    write_photo(path, md)
    return ExportItem(path, md)


def _export(items: list[ExportItem], out: Path, **options: Any) -> ExportResult:
    events = list(export_photos(items, ExportOptions(out, jobs=1, **options)))
    finished = events[-1]
    assert isinstance(finished, ExportFinished)
    assert not finished.result.failures, finished.result.failures
    return finished.result


def _first_file(result: ExportResult, index: int = 0, fmt: str = "jpeg") -> Path:
    photo = result.photos[index]
    return result.out_dir / next(o.name for o in photo.outputs if o.format == fmt)


# --------------------------------------------------------------------------- presets, switches


@needs_exiftool
def test_caption_and_rights_carries_headline_rights_and_provenance(tmp_path: Path) -> None:
    item = _original(tmp_path / "src", "full.jpg", FULL)
    result = _export([item], tmp_path / "out")
    tags = exiftool_json(_first_file(result), "-a", "-G1", "-struct")
    assert tags["XMP-photoshop:Headline"] == tags["IPTC:Headline"] == FULL.headline
    assert tags["XMP-xmpRights:WebStatement"] == FULL.web_statement
    assert tags["XMP-plus:Licensor"] == [
        {"LicensorName": FULL.licensor_name, "LicensorURL": FULL.licensor_url}
    ]
    assert tags["XMP-iptcCore:CreatorContactInfo"]["CiEmailWork"] == FULL.creator_email
    assert tags["XMP-photoshop:AuthorsPosition"] == FULL.creator_job_title
    assert tags["XMP-iptcExt:DigitalSourceType"] == FULL.digital_source_type
    # place names and persons are off by default, and so are the internal workflow notes
    for gone in ("XMP-photoshop:City", "IPTC:City", "XMP-iptcCore:CountryCode",
                 "XMP-iptcExt:PersonInImage", "XMP-photoshop:Instructions",
                 "IPTC:SpecialInstructions", "XMP-photoshop:TransmissionReference"):  # fmt: skip
        assert gone not in tags, gone
    assert not [k for k in tags if k.startswith("GPS:")]
    removed = " ".join(result.removed_summary)
    assert "place names" in removed and "names of people shown" in removed


@needs_exiftool
def test_switches_keep_place_names_and_persons_without_gps(tmp_path: Path) -> None:
    item = _original(tmp_path / "src", "full.jpg", FULL)
    only_places = _export([item], tmp_path / "a", keep_place_names=True)
    tags = exiftool_json(_first_file(only_places), "-a", "-G1")
    assert tags["XMP-photoshop:City"] == tags["IPTC:City"] == FULL.city
    assert tags["IPTC:Country-PrimaryLocationCode"] == FULL.country_code
    assert tags["XMP-iptcCore:Location"] == FULL.sublocation
    assert "XMP-iptcExt:PersonInImage" not in tags
    assert not [k for k in tags if k.startswith("GPS:") or "GPSLatitude" in k]

    both = _export([item], tmp_path / "b", keep_place_names=True, keep_persons=True)
    tags = exiftool_json(_first_file(both), "-a", "-G1")
    assert tags["XMP-iptcExt:PersonInImage"] == list(FULL.persons_shown)
    assert not [k for k in tags if k.startswith("GPS:")]
    assert "GPS position" in " ".join(both.removed_summary)
    assert "place names" not in " ".join(both.removed_summary)


def test_privacy_preview_follows_the_switches(tmp_path: Path) -> None:
    items = [_original(tmp_path / "src", "full.jpg", FULL)]
    base = ExportOptions(tmp_path / "out")
    text = " ".join(preview_removal(items, base))
    assert "place names" in text and "names of people shown" in text and "GPS" in text
    text = " ".join(preview_removal(items, base.replace(keep_place_names=True)))
    assert "place names" not in text and "names of people shown" in text
    text = " ".join(preview_removal(items, base.replace(keep_persons=True)))
    assert "place names" in text and "names of people shown" not in text
    text = " ".join(preview_removal(items, base.replace(metadata=MetadataPreset.ALL)))
    assert "place names" not in text and "people" not in text and "GPS" in text


@needs_exiftool
def test_cli_switches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item = _original(tmp_path / "src", "full.jpg", FULL)
    out = tmp_path / "out"
    code = main(["export", str(item.path), "--out", str(out), "--keep-place-names",
                 "--keep-persons", "--snippets", "none"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    (copy,) = out.glob("*.jpg")
    tags = exiftool_json(copy, "-a", "-G1")
    assert tags["IPTC:City"] == FULL.city
    assert tags["XMP-iptcExt:PersonInImage"] == list(FULL.persons_shown)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["keep_place_names"] is True
    assert manifest["options"]["keep_persons"] is True


# --------------------------------------------------------------------------- generative AI


def test_generative_ai_terms() -> None:
    assert is_generative_ai(AI) and is_generative_ai(AI_COMPOSITE)
    assert is_generative_ai("trainedAlgorithmicMedia")
    assert not is_generative_ai(FULL.digital_source_type)  # digitalCapture
    assert not is_generative_ai("http://cv.iptc.org/newscodes/digitalsourcetype/digitalArt")
    assert not is_generative_ai("")


@needs_exiftool
@pytest.mark.parametrize("preset", list(MetadataPreset))
def test_ai_source_type_travels_in_every_preset(tmp_path: Path, preset: MetadataPreset) -> None:
    md = PhotoMetadata(title="Synthetic skyline", digital_source_type=AI_COMPOSITE)
    item = _original(tmp_path / "src", "ai.jpg", md)
    result = _export([item], tmp_path / "out", metadata=preset, formats=("jpeg", "webp"))
    for fmt in ("jpeg", "webp"):
        tags = exiftool_json(_first_file(result, fmt=fmt), "-a", "-G1")
        assert tags["XMP-iptcExt:DigitalSourceType"] == AI_COMPOSITE, fmt


class _Page(HTMLParser):
    """The figcaptions' text, the disclosure spans and the JSON-LD scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.captions: list[str] = []
        self.disclosures: list[str] = []
        self.scripts: list[str] = []
        self._where: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "figcaption":
            self.captions.append("")
            self._where.append("caption")
        elif tag == "span" and a.get("class") == "disclosure":
            self.disclosures.append("")
            self._where.append("disclosure")
        elif tag == "script" and a.get("type") == "application/ld+json":
            self.scripts.append("")
            self._where.append("script")
        else:
            self._where.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._where:
            self._where.pop()

    def handle_data(self, data: str) -> None:
        if "caption" in self._where:
            self.captions[-1] += data
        if "disclosure" in self._where:
            self.disclosures[-1] += data
        if "script" in self._where:
            self.scripts[-1] += data


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_disclosure_line_under_ai_photos_only(tmp_path: Path) -> None:
    items = [
        _original(tmp_path / "src", "ai.jpg", PhotoMetadata(
            caption="A skyline that never was", creator=("Jane Doe",), digital_source_type=AI)),
        _original(tmp_path / "src", "photo.jpg", PhotoMetadata(
            caption="A real street", creator=("Jane Doe",),
            digital_source_type=FULL.digital_source_type)),
    ]  # fmt: skip
    result = _export(items, tmp_path / "out")
    assert [p.disclosure for p in result.photos] == [AI_DISCLOSURE, ""]
    page = _page((tmp_path / "out" / "article.html").read_text(encoding="utf-8"))
    assert page.disclosures == [AI_DISCLOSURE]
    assert " ".join(page.captions[0].split()) == (
        f"A skyline that never was Photo: Jane Doe {AI_DISCLOSURE}"
    )
    assert AI_DISCLOSURE not in page.captions[1]
    assert AI_DISCLOSURE in (tmp_path / "out" / "article.md").read_text(encoding="utf-8")

    off = _export(items, tmp_path / "off", ai_disclosure=False)
    assert [p.disclosure for p in off.photos] == ["", ""]
    assert AI_DISCLOSURE not in (tmp_path / "off" / "article.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- JSON-LD

HOSTILE = PhotoMetadata(
    caption="Caption",
    creator=("Zoë </script><!-- O'Brien", "김철수"),
    credit='Agency "X" & <b>Co</b>',
    copyright="© 2026 </SCRIPT> \u2028 line",
    web_statement="https://example.com/licence?a=1&b=</script>",
    licensor_url="https://example.com/buy/é",
)


def _photo(md: PhotoMetadata, name: str = "p.jpg", credit: str = "") -> PhotoExport:
    return PhotoExport(0, Path(name), "p", md, credit, (OutputFile(name, "jpeg", 64, 48, 1),))


def test_jsonld_escaped_for_a_script_element() -> None:
    html = article_html([_photo(HOSTILE, "a b.jpg")])
    (script,) = _page(html).scripts
    assert "</" not in script and "<!--" not in script and "\u2028" not in script
    assert html.count("</script>") == 1
    data = json.loads(script)
    assert data == {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "contentUrl": "a%20b.jpg",
        "creator": [
            {"@type": "Person", "name": "Zoë </script><!-- O'Brien"},
            {"@type": "Person", "name": "김철수"},
        ],
        "creditText": HOSTILE.credit,
        "copyrightNotice": HOSTILE.copyright,
        "license": HOSTILE.web_statement,
        "acquireLicensePage": HOSTILE.licensor_url,
    }
    assert json.loads(script_json({"x": "</script>"})) == {"x": "</script>"}


def test_jsonld_only_keys_with_values() -> None:
    data = image_object(_photo(PhotoMetadata(creator=("Jane Doe",))), "p.jpg")
    assert data == {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "contentUrl": "p.jpg",
        "creator": {"@type": "Person", "name": "Jane Doe"},
    }
    # without a credit field, the credit line is the credit text
    data = image_object(_photo(PhotoMetadata(), credit="Photo: Jane"), "p.jpg")
    assert data["creditText"] == "Photo: Jane" and "creator" not in data


def test_exported_article_jsonld_matches_the_fields(tmp_path: Path) -> None:
    items = [_original(tmp_path / "src", "full.jpg", FULL),
             _original(tmp_path / "src", "bare.jpg", PhotoMetadata(title="Bare"))]  # fmt: skip
    result = _export(items, tmp_path / "out", sizes=(48, 96))
    page = _page((tmp_path / "out" / "article.html").read_text(encoding="utf-8"))
    full, bare = (json.loads(s) for s in page.scripts)
    largest = max((o for o in result.photos[0].outputs if o.format == "jpeg"),
                  key=lambda o: o.width)  # fmt: skip
    assert full["contentUrl"] == largest.name
    assert (tmp_path / "out" / full["contentUrl"]).is_file()
    assert full["creator"] == [{"@type": "Person", "name": n} for n in FULL.creator]
    assert full["creditText"] == FULL.credit
    assert full["copyrightNotice"] == FULL.copyright
    assert full["license"] == FULL.web_statement
    assert full["acquireLicensePage"] == FULL.licensor_url
    assert set(bare) == {"@context", "@type", "contentUrl"}
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "ld+json" not in index  # the preview page shows the figures only


# --------------------------------------------------------------------------- credit template


def test_credit_template_new_variables() -> None:
    md = FULL
    line = credit_line("{headline} · {city}, {country} · {source}", md)
    assert line == f"{md.headline} · {md.city}, {md.country} · {md.source}"
    # a named field the photo lacks falls back to the credit field, as before
    assert credit_line("{city}: {creator}", md.replace(city="")) == md.credit


# --------------------------------------------------------------------------- real renderers

DISCLOSED = PhotoMetadata(
    caption="Dream *city* <b>", alt_text="A city", digital_source_type=AI, creator=("Jane",)
)


def _disclosed() -> PhotoExport:
    outputs = (OutputFile("p.jpg", "jpeg", 64, 48, 1),)
    return PhotoExport(
        0, Path("p.jpg"), "p", DISCLOSED, "Photo: Jane", outputs, disclosure=AI_DISCLOSURE
    )


def test_markdown_disclosure_renders_in_commonmark() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(article_md([_disclosed()]))
    text = " ".join(_text_of(html).split())
    assert text == f"Dream *city* <b> Photo: Jane ({AI_DISCLOSURE})"
    assert "<b>" not in html


def _text_of(html: str) -> str:
    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.text = ""

        def handle_data(self, data: str) -> None:
            self.text += data

    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text


def test_hugo_disclosure_renders(tmp_path: Path) -> None:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.skip("hugo is not installed")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "http://example.org/"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home"]\n',
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text("<main>{{ .Content }}</main>\n")
    page = "---\ntitle: Export\n---\n" + article_hugo([_disclosed()])
    (site / "content" / "article.md").write_text(page, encoding="utf-8")
    done = subprocess.run([hugo, "--quiet", "-s", str(site)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    html = (site / "public" / "article" / "index.html").read_text(encoding="utf-8")
    captions = _page(html).captions
    assert [c.strip() for c in captions] == [f"Dream *city* <b> {AI_DISCLOSURE}Photo: Jane"]


def test_jsonld_content_url_follows_the_base_url() -> None:
    html = article_html([_photo(PhotoMetadata(creator=("Jane",)), "a b.jpg")],
                        base_url="https://cdn.example.org/2026/trip/")  # fmt: skip
    (script,) = _page(html).scripts
    assert json.loads(script)["contentUrl"] == "https://cdn.example.org/2026/trip/a%20b.jpg"
