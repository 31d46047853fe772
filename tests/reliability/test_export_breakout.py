"""Export with captions built to break out: every file stays inside the output folder with a
safe name, and the HTML/Markdown/JSON carry the text escaped (tests/core/test_export*.py cover
``../../etc/passwd`` and ``CON`` titles and escaping of a few characters; this is the rest)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editor.core.export import (
    ExportFinished,
    ExportItem,
    ExportOptions,
    PhotoExported,
    export_photos,
)
from editor.core.export.naming import is_reserved
from editor.core.model import PhotoMetadata
from tests.core.test_export_support import make_photo

HOSTILE = [
    "/etc/cron.d/evil",
    "C:\\Windows\\System32\\drivers",
    "..\\..\\boot.ini",
    "....//....//x",
    "NUL",
    "COM1.txt",
    "lpt9",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "nul\x00byte.jpg",
    "photo\u202egpj.exe",  # right-to-left override: looks like "photoexe.jpg"
    "\u200f\u202b\u2066",  # only direction marks
    "~/.ssh/authorized_keys",
    ".htaccess",
    "-rf --no-preserve-root",
    "{slug}{stem}{index}../",
]


class Strict(HTMLParser):
    """Collects tags, attributes and text; anything executable is a finding."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text = ""
        self.scripts: list[str] = []  # the text of each <script> (only JSON-LD is allowed)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag == "script":
            assert attrs == [("type", "application/ld+json")], attrs
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.scripts.append("")  # text after it is not script text

    def handle_data(self, data: str) -> None:
        if self.scripts and self.lasttag == "script" and self.scripts[-1] == "":
            self.scripts[-1] = data
            return
        self.text += data


@pytest.mark.parametrize("template", ["{slug}", "{title}", "../{title}/{stem}", "/{creator}"])
def test_hostile_captions_stay_inside_and_escaped(tmp_path: Path, template: str) -> None:
    (tmp_path / "originals").mkdir()
    src = make_photo(tmp_path / "originals" / "IMG_0001.jpg", size=(120, 80))
    items = [
        ExportItem(
            src,
            PhotoMetadata(
                title=text,
                caption=f"{text} — caption",
                alt_text=f"alt {text}",
                creator=(text,),
            ),
        )
        for text in HOSTILE
    ]
    out = tmp_path / "web"
    options = ExportOptions(
        out, long_edge=64, name_template=template, snippets=("html", "md", "hugo"), jobs=1
    )
    events = list(export_photos(items, options))
    result = events[-1]
    assert isinstance(result, ExportFinished)
    assert len([e for e in events if isinstance(e, PhotoExported)]) == len(HOSTILE)

    # Files: direct children of the output folder, nothing written anywhere else.
    everything = sorted(p for p in tmp_path.rglob("*"))
    outside = [p for p in everything if p.is_file() and p.parent not in (out, src.parent)]
    assert outside == []
    assert [p for p in out.iterdir() if p.is_dir()] == []
    names = [p.name for p in out.iterdir()]
    assert len(names) == len(HOSTILE) + len(result.result.snippet_files)
    for name in names:
        assert name.isascii() and name.isprintable(), name
        assert not name.startswith((".", "-", "~")), name
        assert not is_reserved(name), name
        assert "\u202e" not in name and "\x00" not in name
    bases = [p.base for p in result.result.photos]
    assert len(set(b.lower() for b in bases)) == len(bases)  # unique, even case-insensitively

    # HTML: the only tags are the ones the exporter writes; the hostile text is data.
    # (article.html's <script type="application/ld+json"> holds data only: checked below)
    allowed = {"figure", "picture", "source", "img", "figcaption", "span", "html", "head",
               "meta", "title", "style", "body", "header", "p", "code", "main", "script"}
    for page in ("article.html", "index.html"):
        parser = Strict()
        parser.feed((out / page).read_text(encoding="utf-8"))
        assert set(parser.tags) <= allowed, set(parser.tags) - allowed
        assert not [a for a, _ in parser.attrs if a.startswith("on")]
        assert "<script>alert(1)</script>" in parser.text  # shown as text, not run
        scripts = [json.loads(s) for s in parser.scripts if s.strip()]
        assert len(scripts) == (len(HOSTILE) if page == "article.html" else 0)
        if scripts:  # every hostile creator name arrives as data, unchanged
            assert [d["creator"]["name"] for d in scripts] == HOSTILE
        srcs = [v for a, v in parser.attrs if a in ("src", "srcset") and v]
        for value in srcs:
            for part in value.split(", "):
                assert part.split(" ")[0] in names
    md = (out / "article.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img src=x" not in md
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["title"] for e in manifest["photos"]] == HOSTILE
