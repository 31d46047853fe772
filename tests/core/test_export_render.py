"""Export snippets rendered by real renderers: Hugo builds article.hugo.md, markdown-it (CommonMark)
renders article.md, html.parser reads article.html; captions, credits and alt text holding every
Markdown, HTML and shortcode metacharacter come out exactly as written."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editor.core.export.snippets import article_html, article_hugo, article_md
from editor.core.export.types import OutputFile, PhotoExport
from editor.core.model import PhotoMetadata

METACHARS = "( ) * [ ] _ \\ ` # | < > & \" ' {{ }} {{< >}} {{% %}}"
CASES: list[tuple[str, str, str]] = [  # caption, alt text, credit line
    (METACHARS, METACHARS, "Photo: " + METACHARS),
    ('A "quoted" *live* [link](http://x.org) <b>bold</b> &amp; &#42;', 'Alt "1" <&>', "© Jane"),
    ("Alt text ends in a backslash", "path C:\\photos\\", "Photo: A_B"),
    ("# not a heading", "- not a list", "1. not a list"),
    ("> not a quote -- or --- a dash... <<guillemets>> 'single'", "![img](x)", "+ plus"),
    ("`code` and ``more`` \\* \\\\", "back`tick \"quote\"", "~~strike~~ ==mark== ^sup^"),
    ("Mid \\\" backslash-quote \\` backslash-tick", "plain `tick` only", "x \\"),
    ("Ümlaut 平壤 😀 émigré", "No punctuation at all", ""),
    ("", "- dash first", "1. not a list"),
    ("", "10) paren", "- not a list either"),
]


def _photos() -> list[PhotoExport]:
    return [
        PhotoExport(i, Path(f"p{i}.jpg"), f"p{i}", PhotoMetadata(caption=cap, alt_text=alt),
                    credit, (OutputFile(f"p{i}.jpg", "jpeg", 64, 48, 1),))
        for i, (cap, alt, credit) in enumerate(CASES)
    ]


def _expected_caption(caption: str, credit: str) -> str:
    return " ".join(p for p in (caption, credit) if p)


class _Figures(HTMLParser):
    """Each figure's img alt, the text of its caption (figcaption, or a paragraph after a
    Markdown image) and the text of its <em>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alts: list[str | None] = []
        self.captions: list[str] = []
        self.ems: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))
            return
        if tag in ("figcaption", "em") or (tag == "p" and "figcaption" not in self._in):
            if tag == "p" and self.alts and len(self.captions) < len(self.alts):
                self.captions.append("")
            if tag == "em":
                self.ems.append("")
            if tag == "figcaption":
                self.captions.append("")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if "figcaption" in self._in or ("p" in self._in and self.captions):
            self.captions[-1] += data
        if "em" in self._in:
            self.ems[-1] += data


def _parse(html: str) -> _Figures:
    parser = _Figures()
    parser.feed(html)
    parser.close()
    return parser


def test_article_html_round_trips_exactly() -> None:
    figures = _parse(article_html(_photos()))
    assert figures.alts == [alt for _, alt, _ in CASES]
    assert [" ".join(c.split()) for c in figures.captions] == [
        _expected_caption(cap, credit) for cap, _, credit in CASES
    ]


def test_article_md_renders_exactly_in_commonmark() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(article_md(_photos()))
    figures = _parse(html)
    assert figures.alts == [alt for _, alt, _ in CASES]
    assert figures.ems == [cap for cap, _, _ in CASES if cap]  # the caption, emphasised
    assert [c.strip() for c in figures.captions if c.strip()] == [
        _expected_caption(cap, credit) for cap, _, credit in CASES
    ]
    assert "\\(" not in html and "<b>" not in html


@pytest.fixture(scope="module")
def hugo_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.skip("hugo is not installed")
    site = tmp_path_factory.mktemp("hugo-site")
    (site / "content").mkdir()
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "http://example.org/"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home"]\n',
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text("<main>{{ .Content }}</main>\n")
    page = "---\ntitle: Export\n---\n" + article_hugo(_photos())
    (site / "content" / "article.md").write_text(page, encoding="utf-8")
    done = subprocess.run([hugo, "--quiet", "-s", str(site)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return (site / "public" / "article" / "index.html").read_text(encoding="utf-8")


def test_hugo_renders_alt_and_caption_exactly(hugo_html: str) -> None:
    figures = _parse(hugo_html)
    # Hugo's lexer cannot carry a backtick, a quote and a backslash in one value: only the
    # first case holds all three, and there the backtick alone becomes a look-alike.
    alts = [alt.replace("`", "\u02cb") if i == 0 else alt for i, (_, alt, _) in enumerate(CASES)]
    assert figures.alts == alts
    # the shortcode runs caption and attr together (and trims any space between them)
    assert [c.strip() for c in figures.captions] == [cap + credit for cap, _, credit in CASES]
    assert "<b>" not in hugo_html and "<em>" not in hugo_html and "&ldquo;" not in hugo_html


def test_hugo_alt_that_cannot_be_quoted_exactly_only_swaps_backticks() -> None:
    alt = "all three: ` \" \\"
    photo = PhotoExport(0, Path("a.jpg"), "a", PhotoMetadata(alt_text=alt), "",
                        (OutputFile("a.jpg", "jpeg", 64, 48, 1),))
    assert "alt=`all three: \u02cb \" \\`" in article_hugo([photo])
