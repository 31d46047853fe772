"""Article snippets and credit lines: escaping, srcset/picture, Markdown and Hugo quoting."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from editor.core.export.snippets import article_hugo, article_md, credit_line, figure_html
from editor.core.export.types import OutputFile, PhotoExport
from editor.core.model import PhotoMetadata

META = PhotoMetadata(caption='A <b>"quoted"</b> & [linked](x) *caption*', alt_text='Alt "1" <&>',
                     creator=("Jane Doe", "Kim"), credit="Agency", copyright="© Jane",
                     date_taken=datetime(2021, 6, 5, 9, 0))


def photo(*outputs: OutputFile, credit: str = "Photo: Jane Doe") -> PhotoExport:
    return PhotoExport(0, Path("a.jpg"), "a", META, credit, outputs)


def test_credit_templates() -> None:
    assert credit_line("Photo: {creator}", META) == "Photo: Jane Doe, Kim"
    assert credit_line("{credit}", META) == "Agency"
    assert credit_line("© {year} {creator}", META) == "© 2021 Jane Doe, Kim"
    assert credit_line("Photo: {creator}", PhotoMetadata(credit="Agency")) == "Agency"
    assert credit_line("Photo: {creator}", PhotoMetadata()) == ""


def test_single_image_figure() -> None:
    html = figure_html(photo(OutputFile("a.jpg", "jpeg", 1600, 1067, 10)))
    assert '<img src="a.jpg" width="1600" height="1067" alt="Alt &quot;1&quot; &lt;&amp;&gt;"' \
        in html
    assert "srcset" not in html and "<picture>" not in html
    assert "&lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp;" in html
    assert '<span class="credit">Photo: Jane Doe</span>' in html


def test_responsive_multi_format_figure_uses_picture() -> None:
    outs = [OutputFile(f"a-{w}w.{ext}", fmt, w, w // 2, 1) for w in (1600, 640)
            for fmt, ext in (("jpeg", "jpg"), ("webp", "webp"))]
    html = figure_html(photo(*outs))
    assert '<source type="image/webp" srcset="a-640w.webp 640w, a-1600w.webp 1600w"' in html
    assert 'src="a-1600w.jpg" srcset="a-640w.jpg 640w, a-1600w.jpg 1600w"' in html
    assert 'sizes="(max-width: 1600px) 100vw, 1600px"' in html
    assert html.index("<source") < html.index("<img")


def test_markdown_and_hugo_never_pass_html_or_syntax_through() -> None:
    p = photo(OutputFile("a.jpg", "jpeg", 10, 10, 1))
    md = article_md([p])
    assert md.startswith("![Alt \"1\" &lt;&amp;&gt;](a.jpg)")
    assert "<b>" not in md and r"\[linked\]\(x\) \*caption\*" in md
    hugo = article_hugo([p])  # alt literal in a raw string; caption and attr as entities
    assert hugo.startswith('{{< figure src="a.jpg" alt=`Alt "1" <&>`')
    assert 'attr="Photo&#58; Jane Doe"' in hugo and 'width="10"' in hugo
    assert "&#91;linked&#93;&#40;x&#41; &#42;caption&#42;" in hugo
