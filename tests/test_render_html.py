"""HTML leaflet and index pages: structure, language and direction, drafts, escaping, inline markup, link safety."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from helpers import Node, parse
from polyleaf.errors import RenderError
from polyleaf.localize import LocalizedBlock, LocalizedDocument
from polyleaf.render.fonts import WebFont, WebFonts
from polyleaf.render.html import render_leaflet_html
from polyleaf.render.index import render_language_index, render_site_index
from polyleaf.render.inline import render_inline
from polyleaf.render.meta import Alternate, IndexEntry, LeafletLink, LeafletMeta, PageLinks
from polyleaf.source.document import Document


def norm(text: str) -> str:
    return " ".join(text.split())


# --- sample leaflets -------------------------------------------------------------------------------------------------

UPDATED = dt.date(2026, 3, 5)


@dataclass(frozen=True)
class Sample:
    title: str
    heading: str
    sentences: tuple[str, str]
    item: str
    disclaimer: str
    notice: str
    labels: tuple[tuple[str, str], ...]


SAMPLES: dict[str, Sample] = {
    "es": Sample(
        title="Un nuevo enfoque para el dolor de espalda crónico",
        heading="Cómo funciona el procedimiento",
        sentences=(
            "El dolor lumbar crónico afecta a millones de personas en todo el mundo.",
            "El procedimiento se realiza normalmente de forma **ambulatoria**.",
        ),
        item="Pregunte a su médico por los riesgos y los beneficios.",
        disclaimer=(
            "**Descargo de responsabilidad:** *Este artículo es solo informativo y no constituye consejo médico.*"
        ),
        notice="Borrador: 2 de 6 segmentos sin revisar",
        labels=(("language", "Idioma"), ("updated", "Actualizado")),
    ),
    "ar": Sample(
        title="نهج جديد لتخفيف آلام الظهر المزمنة",
        heading="فهم آلية العمل",
        sentences=(
            "يصيب ألم أسفل الظهر المزمن الملايين حول العالم.",
            "يُجرى الإجراء عادةً في **العيادات الخارجية**.",
        ),
        item="ناقش المخاطر والفوائد مع طبيبك.",
        disclaimer="**إخلاء المسؤولية:** *هذه المقالة لأغراض إعلامية فقط ولا تُعدّ استشارة طبية.*",
        notice="مسودة: لم تتم مراجعة 2 من أصل 6 مقاطع",
        labels=(("language", "اللغة"), ("updated", "آخر تحديث")),
    ),
    "zh_Hans": Sample(
        title="缓解慢性背痛的新方法",
        heading="了解作用机制",
        sentences=(
            "慢性腰痛影响着全世界数以百万计的人。",
            "该手术通常在**门诊**进行。",
        ),
        item="请与医生讨论可能的风险和益处。",
        disclaimer="**免责声明：** *本文仅供参考，不构成医疗建议。*",
        notice="草稿：6 个片段中有 2 个尚未审校",
        labels=(("language", "语言"), ("updated", "更新日期")),
    ),
    "vi": Sample(
        title="Một phương pháp mới giúp giảm đau lưng mạn tính",
        heading="Hiểu về cơ chế tác động",
        sentences=(
            "Đau thắt lưng mạn tính ảnh hưởng đến hàng triệu người trên khắp thế giới.",
            "Thủ thuật thường được thực hiện **ngoại trú**.",
        ),
        item="Hãy trao đổi với bác sĩ về những rủi ro và lợi ích.",
        disclaimer="**Tuyên bố miễn trừ trách nhiệm:** *Bài viết này chỉ nhằm mục đích cung cấp thông tin.*",
        notice="Bản nháp: 2 trên 6 đoạn chưa được duyệt",
        labels=(("language", "Ngôn ngữ"), ("updated", "Cập nhật")),
    ),
    "ru": Sample(
        title="Новый подход к лечению хронической боли в спине",
        heading="Как работает процедура",
        sentences=(
            "Хроническая боль в пояснице затрагивает миллионы людей во всём мире.",
            "Процедура обычно проводится **амбулаторно**.",
        ),
        item="Обсудите с врачом возможные риски и пользу.",
        disclaimer="**Отказ от ответственности:** *Эта статья носит исключительно информационный характер.*",
        notice="Черновик: 2 из 6 сегментов не проверены",
        labels=(("language", "Язык"), ("updated", "Обновлено")),
    ),
}

EXPECTED = {
    "es": ("es", "ltr", "español", "5 de marzo de 2026"),
    "ar": ("ar", "rtl", "العربية", "5 مارس 2026"),
    "zh_Hans": ("zh-Hans", "ltr", "中文 (简体)", "2026年3月5日"),
    "vi": ("vi", "ltr", "Tiếng Việt", "5 tháng 3, 2026"),
    "ru": ("ru", "ltr", "русский", "5 марта 2026 г."),
}


def source_document(name: str) -> Document:
    """A source without text: these tests render localized blocks directly."""
    return Document(path=Path(f"{name}.txt"), format="txt", text="", blocks=())


def make_leaflet(
    language: str, *, draft: bool = True, blocks: tuple[LocalizedBlock, ...] | None = None
) -> LocalizedDocument:
    sample = SAMPLES[language]
    if blocks is None:
        blocks = (
            LocalizedBlock("title", sample.title),
            LocalizedBlock("paragraph", sample.sentences[0]),
            LocalizedBlock("heading", sample.heading, level=2),
            LocalizedBlock("paragraph", sample.sentences[1], reviewed=False),
            LocalizedBlock("list_item", sample.item),
            LocalizedBlock("list_item", sample.item, reviewed=False),
            LocalizedBlock("separator", "—"),
        )
    return LocalizedDocument(
        source=source_document("bvna-chronic-low-back-pain"),
        language=language,
        title=sample.title,
        blocks=blocks,
        disclaimer=sample.disclaimer,
        labels=sample.labels,
        unreviewed=2 if draft else 0,
        total=6,
        release=not draft,
        draft_notice=sample.notice if draft else "",
        draft_banner="DRAFT — not for patients" if draft else "",
    )


META = LeafletMeta(updated=UPDATED, project="Northside Spine Clinic")


def render(leaflet: LocalizedDocument, meta: LeafletMeta = META) -> Node:
    return parse(render_leaflet_html(leaflet, meta))


def main_of(doc: Node) -> Node:
    return doc.find("main")


# --- leaflet ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_lang_dir_title_and_header(language: str) -> None:
    lang, direction, autonym, day = EXPECTED[language]
    sample = SAMPLES[language]
    doc = render(make_leaflet(language))
    html = doc.find("html")
    assert html.attrs["lang"] == lang
    assert html.attrs["dir"] == direction
    assert doc.find("title").text() == sample.title
    h1s = doc.iter("h1")
    assert len(h1s) == 1
    assert norm(h1s[0].text()) == sample.title
    header = doc.find("header")
    assert h1s[0] in header.iter("h1")
    header_text = norm(header.text())
    assert autonym in header_text
    assert day in header_text
    assert dict(sample.labels)["updated"] in header_text
    assert doc.find("time").attrs["datetime"] == "2026-03-05"


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_sentences_headings_and_lists(language: str) -> None:
    sample = SAMPLES[language]
    main = main_of(render(make_leaflet(language)))
    paragraphs = [norm(p.text()) for p in main.elements if p.tag == "p"]
    assert paragraphs[0] == sample.sentences[0]
    assert paragraphs[1] == sample.sentences[1].replace("**", "")
    assert [norm(h.text()) for h in main.iter("h2")] == [sample.heading]
    (ul,) = main.iter("ul")
    assert [norm(li.text()) for li in ul.elements] == [sample.item, sample.item]
    assert [child.tag for child in main.elements] == ["p", "h2", "p", "ul", "aside"]  # trailing separator dropped


def test_disclaimer_is_a_note_box_at_the_end() -> None:
    main = main_of(render(make_leaflet("es")))
    aside = main.elements[-1]
    assert aside.tag == "aside"
    assert aside.attrs["class"] == "disclaimer"
    assert aside.attrs["role"] == "note"
    assert norm(aside.find("strong").text()) == "Descargo de responsabilidad:"
    assert norm(aside.find("em").text()).startswith("Este artículo es solo informativo")
    assert len(render(make_leaflet("es")).iter("aside")) == 1


def test_draft_has_band_and_marks() -> None:
    doc = render(make_leaflet("ar", draft=True))
    body = doc.find("body")
    band = body.elements[0]
    assert band.attrs.get("role") == "status"
    assert SAMPLES["ar"].notice in norm(band.text())
    marked = [node for node in doc.iter() if node.attrs.get("data-reviewed") == "false"]
    assert [node.tag for node in marked] == ["p", "li"]
    assert "draft" in (doc.find("html").attrs["class"] or "")


def test_release_has_no_band_and_no_marks() -> None:
    html = render_leaflet_html(make_leaflet("ar", draft=False), META)
    doc = parse(html)
    assert not [node for node in doc.iter() if node.attrs.get("role") == "status"]
    assert "data-reviewed" not in html
    assert "draft-band" not in html.split("</style>")[1]
    assert "string(draft)" not in html  # the running draft notice exists only in drafts


def test_title_block_review_state_marks_h1_in_draft() -> None:
    blocks = (LocalizedBlock("title", SAMPLES["es"].title, reviewed=False), LocalizedBlock("paragraph", "Hola."))
    assert render(make_leaflet("es", blocks=blocks)).find("h1").attrs.get("data-reviewed") == "false"
    assert "data-reviewed" not in render(make_leaflet("es", draft=False, blocks=blocks)).find("h1").attrs


def test_heading_levels_are_ranked_from_h2() -> None:
    blocks = (
        LocalizedBlock("title", "Título"),
        LocalizedBlock("heading", "Sección", level=2),
        LocalizedBlock("heading", "Subsección", level=3),
        LocalizedBlock("paragraph", "Texto."),
        LocalizedBlock("heading", "Otra sección", level=2),
    )
    main = main_of(render(make_leaflet("es", blocks=blocks)))
    assert [(node.tag, node.text()) for node in main.elements if node.tag.startswith("h")] == [
        ("h2", "Sección"),
        ("h3", "Subsección"),
        ("h2", "Otra sección"),
    ]
    # Markdown documents whose sections start at ### still get h2 (no skipped levels).
    deep = (LocalizedBlock("heading", "A", level=3), LocalizedBlock("heading", "B", level=4))
    assert [n.tag for n in main_of(render(make_leaflet("es", blocks=deep))).elements][:2] == ["h2", "h3"]


def test_blocks_of_every_kind() -> None:
    blocks = (
        LocalizedBlock("title", "Título"),
        LocalizedBlock("list_item", "uno"),
        LocalizedBlock("list_item", "dos"),
        LocalizedBlock("paragraph", "entre listas"),
        LocalizedBlock("list_item", "tres"),
        LocalizedBlock("blockquote", "«Una cita.»"),
        LocalizedBlock("separator", "---"),
        LocalizedBlock("code", "x = 1 < 2\n"),
        LocalizedBlock("html", '<div onclick="x()">hola</div>'),
    )
    main = main_of(render(make_leaflet("es", blocks=blocks)))
    assert [n.tag for n in main.elements] == ["ul", "p", "ul", "blockquote", "hr", "pre", "pre", "aside"]
    assert [len(ul.elements) for ul in main.iter("ul")] == [2, 1]
    assert norm(main.find("blockquote").text()) == "«Una cita.»"
    code, html_block = main.iter("pre")
    assert code.find("code").text() == "x = 1 < 2"
    assert html_block.find("code").text() == '<div onclick="x()">hola</div>'
    assert not main.iter("div")


def test_block_text_cannot_inject_markup() -> None:
    evil = '<script>alert("x")</script> <img src=x onerror=alert(1)> **ok**'
    blocks = (
        LocalizedBlock("title", "<script>t()</script>"),
        LocalizedBlock("paragraph", evil),
        LocalizedBlock("heading", "<iframe src=//e.com>", level=2),
        LocalizedBlock("list_item", "</li></ul><script>z()</script>"),
        LocalizedBlock("html", "<script>h()</script>"),
    )
    leaflet = replace(
        make_leaflet("es", blocks=blocks),
        title="<script>t()</script>",
        disclaimer="<b onmouseover=x>Aviso</b>",
        draft_notice="<script>n()</script>",
        labels=(("updated", "<script>l()</script>"),),
    )
    html = render_leaflet_html(leaflet, replace(META, project="<script>p()</script>"))
    doc = parse(html)
    for tag in ("script", "img", "iframe", "b"):
        assert not doc.iter(tag), tag
    assert not [node for node in doc.iter() if any(name.startswith("on") for name in node.attrs)]
    paragraph = main_of(doc).find("p")
    assert paragraph.text().startswith('<script>alert("x")</script>')
    assert paragraph.find("strong").text() == "ok"
    assert doc.find("h1").text() == "<script>t()</script>"


def test_inline_markdown_becomes_inline_html() -> None:
    text = "Use **bold**, *italic*, _also italic_, `code <x>` and [the clinic](https://example.org/a?b=1&c=2)."
    html = str(render_inline(text))
    assert html == (
        "Use <strong>bold</strong>, <em>italic</em>, <em>also italic</em>, <code>code &lt;x&gt;</code> and "
        '<a href="https://example.org/a?b=1&amp;c=2">the clinic</a>.'
    )


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[a](http://example.org/)", "http://example.org/"),
        ("[a](HTTPS://example.org/x)", "HTTPS://example.org/x"),
        ("[a](mailto:info@example.org)", "mailto:info@example.org"),
        ("<https://example.org/auto>", "https://example.org/auto"),
        ("[a](javascript:alert(1))", None),
        ("[a](JaVaScRiPt&#58;alert(1))", None),
        ("[a](data:text/html;base64,PHNjcmlwdD4=)", None),
        ("[a](vbscript:msgbox)", None),
        ("[a](/relative/path)", None),
        ("[a](//evil.example.org)", None),
        ("[a](file:///etc/passwd)", None),
        ("![a](https://example.org/tracker.png)", None),
    ],
)
def test_only_http_https_and_mailto_links_survive(text: str, href: str | None) -> None:
    doc = render(make_leaflet("es", blocks=(LocalizedBlock("paragraph", text),)))
    paragraph = main_of(doc).find("p")
    links = paragraph.iter("a")
    if href is None:
        assert links == []
        assert paragraph.iter("img") == []
        assert norm(paragraph.text()) == "a"
    else:
        assert [link.attrs["href"] for link in links] == [href]
    for node in doc.iter():
        for name in ("href", "src"):
            value = node.attrs.get(name)
            assert value is None or value.lower().startswith(("http:", "https:", "mailto:")), value


def test_labels_are_localized_with_english_fallbacks() -> None:
    leaflet = make_leaflet("es")
    header = norm(render(leaflet).find("header").text())
    assert "Idioma" in header
    assert "Actualizado" in header
    bare = norm(render(replace(leaflet, labels=())).find("header").text())
    assert "Language" in bare
    assert "Updated" in bare


def test_block_in_another_language_gets_its_own_lang_and_dir() -> None:
    blocks = (
        LocalizedBlock("paragraph", SAMPLES["ar"].sentences[0]),
        LocalizedBlock(
            "paragraph", "Chronic low back pain remains a pervasive condition.", reviewed=False, language="en"
        ),
    )
    main = main_of(render(make_leaflet("ar", blocks=blocks)))
    arabic, english = main.iter("p")[:2]
    assert "lang" not in arabic.attrs
    assert english.attrs["lang"] == "en"
    assert english.attrs["dir"] == "ltr"
    assert english.attrs["class"] == "script-latn"
    # Same script (English source text in a Spanish draft): lang only.
    spanish = main_of(render(make_leaflet("es", blocks=blocks[1:]))).find("p")
    assert spanish.attrs["lang"] == "en"
    assert "dir" not in spanish.attrs


@pytest.mark.parametrize(
    ("language", "css_class", "family"),
    [
        ("es", "script-latn", '"Noto Serif"'),
        ("vi", "script-latn", '"Noto Serif"'),
        ("ru", "script-cyrl", '"Noto Serif"'),
        ("ar", "script-arab", '"Noto Naskh Arabic"'),
        ("zh_Hans", "script-hans", '"Noto Serif CJK SC"'),
    ],
)
def test_font_stack_follows_the_script(language: str, css_class: str, family: str) -> None:
    html = render_leaflet_html(make_leaflet(language), META)
    doc = parse(html)
    assert css_class in (doc.find("html").attrs["class"] or "").split()
    style = doc.find("style").text()
    assert f"font-family: {family}" in style
    if language == "zh_Hans":
        assert '"Noto Sans CJK SC"' in style
    if language == "ar":
        assert '"Noto Sans Arabic"' in style


def test_print_stylesheet_is_inline_and_offline() -> None:
    html = render_leaflet_html(make_leaflet("ar"), META)
    style = parse(html).find("style").text()
    assert "size: A4;" in style
    assert 'counter(page) " / " counter(pages)' in style
    assert "break-after: avoid" in style
    assert "border-inline-start" in style
    # The only URLs are font files: subsets beside the page for a browser; for printing, the installed packaged
    # fonts of the families the system lacks (none where Debian's Noto fonts are installed).
    asked = WebFonts()
    render_leaflet_html(make_leaflet("ar"), META, asked)
    subsets = {face: WebFont(f"../fonts/{face.path.stem}.woff2", "U+20-7E") for face in asked.asked}
    linked = re.findall(
        r"url\(([^)]*)\)", parse(render_leaflet_html(make_leaflet("ar"), META, WebFonts(subsets))).find("style").text()
    )
    assert linked and all(url.startswith('"../fonts/') and url.endswith('.woff2"') for url in linked), linked
    printed = re.findall(r"url\(([^)]*)\)", style)
    assert all(url.startswith('"file:///') for url in printed), printed
    assert {unquote(url.rsplit("/", 1)[1]).rsplit(".", 1)[0] for url in printed} <= {face.path.stem for face in subsets}
    assert "@import" not in style
    assert "<link" not in html
    letter = parse(render_leaflet_html(make_leaflet("es"), replace(META, page_size="letter"))).find("style").text()
    assert "size: Letter;" in letter


def test_rtl_page_margin_boxes_are_mirrored() -> None:
    ltr = parse(render_leaflet_html(make_leaflet("es", draft=False), META)).find("style").text()
    rtl = parse(render_leaflet_html(make_leaflet("ar", draft=False), META)).find("style").text()
    assert "@top-left {\n    content: string(project)" in ltr
    assert "@top-right {\n    content: string(project)" in rtl


def test_unknown_page_size_is_an_error() -> None:
    with pytest.raises(RenderError, match="page size"):
        render_leaflet_html(make_leaflet("es"), replace(META, page_size="A6"))


def test_metadata_for_pdf() -> None:
    doc = render(make_leaflet("zh_Hans"))
    metas = {node.attrs.get("name"): node.attrs.get("content") for node in doc.iter("meta") if "name" in node.attrs}
    assert metas["author"] == "Northside Spine Clinic"
    assert (metas["generator"] or "").startswith("polyleaf ")
    assert metas["dcterms.modified"] == "2026-03-05"


# --- index pages -----------------------------------------------------------------------------------------------------


def test_site_index_lists_languages_by_autonym() -> None:
    entries = [IndexEntry("es", 2, 1), IndexEntry("ar", 2), IndexEntry("zh_Hans", 1)]
    doc = parse(render_site_index(entries, project="Northside <Spine> Clinic"))
    assert doc.find("html").attrs["lang"] == "en"
    items = doc.find("ul").elements
    assert len(items) == 3
    found = []
    for li in items:
        link = li.find("a")
        name = link.find("span")
        found.append((link.attrs["href"], name.attrs["lang"], name.attrs["dir"], name.text(), norm(li.text())))
    assert [row[:4] for row in found] == [
        ("es/index.html", "es", "ltr", "español"),
        ("ar/index.html", "ar", "rtl", "العربية"),
        ("zh_Hans/index.html", "zh-Hans", "ltr", "中文 (简体)"),
    ]
    assert "Spanish" in found[0][4]
    assert "Arabic" in found[1][4]
    assert "Chinese (Simplified)" in found[2][4]
    assert doc.find("title").text() == "Patient leaflets · Northside <Spine> Clinic"


def test_language_index_links_formats_and_states() -> None:
    draft = make_leaflet("ar")
    release = replace(make_leaflet("ar", draft=False), source=source_document("other"), title="**عنوان** آخر")
    links = [
        LeafletLink.from_document(draft, ["bvna-chronic-low-back-pain.html", "bvna-chronic-low-back-pain.pdf"]),
        LeafletLink.from_document(release, ["other.pdf"]),
    ]
    doc = parse(render_language_index("ar", links, labels=(("reviewed", "تمت المراجعة"),)))
    html = doc.find("html")
    assert (html.attrs["lang"], html.attrs["dir"]) == ("ar", "rtl")
    assert doc.find("h1").text() == "العربية"
    assert doc.find("a").attrs["href"] == "../index.html"
    first, second = doc.find("ul").elements
    assert first.attrs["class"] == "draft"
    assert [a.attrs["href"] for a in first.iter("a")] == [
        "bvna-chronic-low-back-pain.html",
        "bvna-chronic-low-back-pain.html",
        "bvna-chronic-low-back-pain.pdf",
    ]
    assert SAMPLES["ar"].notice in norm(first.text())
    assert second.attrs["class"] == "release"
    assert [a.attrs["href"] for a in second.iter("a")] == ["other.pdf", "other.pdf"]
    assert norm(second.find("a").text()) == "عنوان آخر"
    assert "تمت المراجعة" in norm(second.text())


def test_language_index_without_leaflets() -> None:
    doc = parse(render_language_index("vi", []))
    assert doc.find("html").attrs["lang"] == "vi"
    assert "No leaflets yet." in norm(doc.find("main").text())


# --- the clinic's identity and the web page's links ------------------------------------------------------------------

CLINIC = replace(
    META,
    reference="NSC-PIL-014",
    version="2.1",
    review_by=dt.date(2027, 6, 30),
    contact="12 Harbour Road\nTelephone 020 7946 0000",
)


def footer_content(html: str) -> str:
    """The ``content`` of the page's first bottom margin box (where a printed sheet says which version it is)."""
    match = re.search(r"@bottom-(?:left|right) \{\s*content: ([^;]*);", parse(html).find("style").text())
    assert match
    return match.group(1)


def test_the_identity_line_is_localized_and_printed_on_every_page() -> None:
    labels = (("reference", "编号"), ("version", "版本"), ("review_by", "复审日期"))
    leaflet = replace(make_leaflet("zh_Hans"), labels=SAMPLES["zh_Hans"].labels + labels)
    html = render_leaflet_html(leaflet, CLINIC)
    identity = next(node for node in parse(html).iter("p") if "identity" in (node.attrs.get("class") or ""))
    assert norm(identity.text()) == "编号 NSC-PIL-014 版本 2.1 复审日期 2027年6月30日"
    assert identity.find("time").attrs["datetime"] == "2027-06-30"
    footer = footer_content(html).replace("\u2068", "").replace("\u2069", "")
    assert footer.endswith('"\\a" "编号：NSC-PIL-014 · 版本：2.1 · 复审日期：2027年6月30日"')  # the language's colon
    english = footer_content(render_leaflet_html(make_leaflet("es"), CLINIC))
    assert "Reference: NSC-PIL-014" in english  # a label not translated yet is English, with its colon
    assert "identity" not in render_leaflet_html(make_leaflet("es"), META)  # nothing set: no line


def test_settings_cannot_escape_the_stylesheet_or_the_page() -> None:
    hostile = '";} body { display: none } </style><script>alert(1)</script>'
    html = render_leaflet_html(make_leaflet("es"), replace(CLINIC, reference=hostile, project=hostile))
    doc = parse(html)
    assert doc.iter("script") == [] and len(doc.iter("style")) == 1
    assert "</style><script>" not in doc.find("style").text()
    escaped = "Reference: \\22 ;} body { display: none } \\3c /style\\3e \\3c script\\3e alert(1)"
    assert escaped in doc.find("style").text()  # inside one CSS string: hex escapes
    assert hostile in norm(doc.find("header").text())


def test_the_contact_block_and_its_label() -> None:
    leaflet = replace(make_leaflet("ar"), labels=(*SAMPLES["ar"].labels, ("contact", "للتواصل")))
    footer = render(leaflet, CLINIC).find("footer")
    assert footer.attrs["aria-label"] == "للتواصل"
    lines = footer.elements[-1].elements  # one line each, in the direction of its own text (no dir="auto")
    assert [line.text() for line in lines] == CLINIC.contact.splitlines()
    assert [line.attrs["dir"] for line in lines] == ["ltr", "ltr"]
    arabic = render(leaflet, replace(CLINIC, contact="٣ شارع الميناء\nTelephone 020 7946 0000")).find("footer")
    assert [line.attrs["dir"] for line in arabic.elements[-1].elements] == ["rtl", "ltr"]


def test_the_print_version_has_no_viewport_and_no_links() -> None:
    links = PageLinks(pdf="x.es.pdf", alternates=(Alternate("es", "x.es.html"), Alternate("ar", "../ar/x.ar.html")))
    web = render_leaflet_html(make_leaflet("es"), META, WebFonts({}), links)
    assert 'name="viewport"' in web and "<nav" in web
    printed = render_leaflet_html(make_leaflet("es"), META)
    assert 'name="viewport"' not in printed and "<nav" not in printed  # nor a /viewport entry in the PDF's info
    nav = parse(web).find("nav")
    assert [a.text() for a in nav.iter("a")] == ["All leaflets", "PDF for printing", "العربية"]  # not itself


def test_qa_findings_print_in_the_bundled_fonts_alone() -> None:
    """A draft's QA finding is set in the leaflet's Latin font; on a machine without system fonts every character
    of it must be in the packaged Noto Sans (it has no U+2192 arrow: QA's "2.5 mg → 25 mg" prints "->")."""
    from fontTools.ttLib import TTFont

    from polyleaf.render.fonts import packaged_faces
    from polyleaf.render.html_body import printable_findings

    (regular, *_) = [face for face in packaged_faces("Noto Sans") if face.style == "normal"]
    cmap = TTFont(regular.path, lazy=True).getBestCmap()
    printed = printable_findings(["[numbers] 2.5 mg → 25 mg: a number differs", "[units] “mg” … missing"])
    assert printed == "[numbers] 2.5 mg -> 25 mg: a number differs; [units] “mg” … missing"
    assert all(ord(character) in cmap for character in printed)
