"""A sentence's markup is its own (issue 20 item 3, issue 21 item 6, the second hostile test's section C).

Sentences of one paragraph are written side by side: with no space between them (Chinese, Japanese), or one
ending in a bare URL, an open bracket or a lone delimiter, a CommonMark renderer used to pair one sentence's
markup with its neighbour's (``**请勿驾驶。****请勿饮酒。**`` printed asterisks, a URL took in the next
sentence, ``[esto`` + ``](https://evil.example)`` made a link). The leaflets render each sentence on its own
(HTML, PDF) or write the join so that it renders so (``.md``: ``confined``); ``check`` reports what a sentence
shows on its own, which is then what the page shows. Also here: reference labels, footnote labels, raw HTML and
URLs a translation changes or adds, and the ``.md`` escapes that must not cancel each other.

The tables are held out: sentences and translations written for these tests, in several languages and scripts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from helpers import Node, cli, parse, po_path, translate
from polyleaf.po.poread import parse_po_file
from polyleaf.qa.model import CheckContext
from polyleaf.qa.registry import check_entry
from polyleaf.source.inline_confined import JOINER, confined

# --- the join, on its own ------------------------------------------------------------------------------------

#: Sentences as a paragraph may hold them: markup at their edges, in several scripts, and hostile pieces.
POOL = [
    "**请勿驾驶。**",
    "请勿饮酒。",
    "*Отдыхайте.*",
    "**لا تقد السيارة.**",
    "~~旧建议~~",
    "`check`",
    "``a`b``",
    "请访问https://example.org/help",
    "請參閱www.nhs.uk",
    "请发邮件至help@example.org",
    "[详情](https://example.org/d)",
    "[guía][guide]",
    "停下!",
    "注意&amp",
    ";然后",
    "Lea [esto",
    "](https://evil.example) luego.",
    "2*3",
    "*ojo",
    "ojo*",
    "请勿<b",
    "onclick=x>",
    "<https://example.org/a>",
    "**警告：**&#x5982;果",
    "结束\\",
    "_نص_",
    "[nota]",
    "(https://evil.example/p)",
    "参见https",
    "://evil.example/x",
    "x `y",
    "&#x41",
    "见<!--",
    "-->之后",
    "**粗体**字",
]
GAPS = ["", " ", "\n"]
REFERENCES = {"GUIDE": {"href": "https://example.org/g", "title": ""}}


def _renderer() -> Any:
    """A CommonMark renderer with GitHub's inline extensions and raw HTML, as a Markdown leaflet's readers have."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"html": True, "xhtmlOut": False})


def _inline(renderer: Any, text: str) -> str:
    return str(renderer.renderInline(text, {"references": REFERENCES}))


def test_sentences_side_by_side_render_as_each_does_alone() -> None:
    """Every pair of the pool with no space or a space between them, and triples with a line break too."""
    renderer = _renderer()
    cases = [([a, b], [gap]) for a, b in product(POOL, repeat=2) for gap in GAPS[:2]]
    triples = zip(POOL, POOL[1:] + POOL[:1], POOL[2:] + POOL[:2], strict=True)
    cases += [([a, b, c], [gap, gap]) for a, b, c in triples for gap in GAPS]
    for texts, gaps in cases:
        written, joins = confined(texts, gaps)
        assert [_inline(renderer, t) for t in written] == [_inline(renderer, t) for t in texts], texts
        for gap, join in zip(gaps, joins, strict=True):
            assert join == gap or (not gap and join in (JOINER, " ")), (texts, gaps, joins)
        together = written[0] + "".join(join + text for join, text in zip(joins, written[1:], strict=True))
        apart = _inline(renderer, texts[0]) + "".join(
            _inline(renderer, join) + _inline(renderer, text) for join, text in zip(joins, texts[1:], strict=True)
        )
        assert _inline(renderer, together) == apart, (texts, gaps, together)


def test_a_join_that_needs_nothing_is_left_as_it_is() -> None:
    assert confined(["请勿驾驶。", "请勿饮酒。"], [""]) == (["请勿驾驶。", "请勿饮酒。"], [""])
    assert confined(["**No conduzca.**", "**No beba.**"], [" "]) == (["**No conduzca.**", "**No beba.**"], [" "])
    assert confined(["**请勿驾驶。**", "**请勿饮酒。**"], [""]) == (["**请勿驾驶。**", "**请勿饮酒。**"], [JOINER])


# --- the .md writer's escapes ----------------------------------------------------------------------------------

#: Translations of a plain sentence ("Do not crush it.") that hold raw HTML or escapes, as a list item's text.
ESCAPES = [
    "<div>No lo triture.</div>",
    "\\<div>No lo triture.\\</div>",  # the translator escaped it already
    "\\\\<div>No lo triture.</div>",  # an escaped backslash, then a tag
    "<script>alert(1)</script> No lo triture.",
    "No lo <b>triture</b>.",
    "No lo triture <img src=x onerror=alert(1)>.",
    "# No lo triture.",
    "No lo triture.\\",
    "No lo triture `<b>`.",
]


@pytest.mark.parametrize("translation", ESCAPES)
def test_the_markdown_escapes_are_correct_and_idempotent(translation: str) -> None:
    from polyleaf.render.text import neutralized

    written = neutralized(translation, "Do not crush it.", "md", starts_line=True)
    assert neutralized(written, "Do not crush it.", "md", starts_line=True) == written
    shown = parse(f"<main>{_renderer().render(f'- {written}')}</main>").find("main")
    assert [e.tag for e in shown.iter() if e.tag not in ("main", "ul", "li", "code")] == [], written
    assert "No lo" in shown.text() and "triture" in shown.text()
    assert ("<" in shown.text()) == ("<" in translation)  # a tag shows as text, with its brackets


def test_a_tag_the_source_has_stays_and_one_it_has_not_is_escaped() -> None:
    from polyleaf.render.text import neutralized

    source = "Press <kbd>Enter</kbd> to continue."
    written = neutralized("Pulse <kbd>Intro</kbd> <kbd onclick=x>Y</kbd>.", source, "md", starts_line=True)
    assert written == "Pulse <kbd>Intro</kbd> \\<kbd onclick=x>Y\\</kbd>."


# --- QA: what a sentence shows on its own --------------------------------------------------------------------

LANGUAGES = ["es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar"]
#: Per language: "read" (a verb), "advice" (a noun), "key" (a noun), "water" and its sentence end.
WORDS = {
    "es": ("Lea", "los consejos", "la tecla", "agua", "."),
    "fr": ("Lisez", "les conseils", "la touche", "eau", "."),
    "pt_BR": ("Leia", "os conselhos", "a tecla", "água", "."),
    "ru": ("Прочитайте", "советы", "клавишу", "воду", "."),
    "zh_Hans": ("阅读", "建议", "按键", "水", "。"),
    "vi": ("Đọc", "lời khuyên", "phím", "nước", "."),
    "ar": ("اقرأ", "النصائح", "المفتاح", "الماء", "."),
}
GLUED = {"zh_Hans"}  # written with no space around Latin text


def _words(language: str) -> tuple[str, ...]:
    return WORDS[language]


def _gap(language: str) -> str:
    return "" if language in GLUED else " "


def _errors(source: str, translation: str, language: str, check: str) -> list[str]:
    findings = check_entry(source, translation, CheckContext("en", language), fuzzy=False)
    return [f.message for f in findings if f.check == check and f.severity == "error"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_changed_reference_label_is_an_error(language: str) -> None:
    read, advice, *_, stop = _words(language)
    source = "Read the [NHS advice][nhs] first."
    assert _errors(source, f"{read} [{advice}][nhs]{stop}", language, "markup") == []
    assert _errors(source, f"{read} [{advice}][NHS]{stop}", language, "markup") == []  # labels ignore case
    assert _errors(source, f"{read} [{advice}][nsh]{stop}", language, "markup") == [
        "link to [nhs]: missing or changed in the translation"
    ]
    shortcut = "Ask your [pharmacist]."
    assert _errors(shortcut, f"{read} [{advice}]{stop}", language, "markup") == [
        "link to [pharmacist]: missing or changed in the translation"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_changed_footnote_label_is_an_error_whatever_the_label(language: str) -> None:
    read, advice, *_, stop = _words(language)
    for label, changed in (("1", "nota"), ("note", "nota"), ("a", "b")):
        source = f"Most people recover.[^{label}]"
        assert _errors(source, f"{read} {advice}{stop}[^{label}]", language, "markup") == []
        assert _errors(source, f"{read} {advice}{stop}[^{changed}]", language, "markup") == [
            f"footnote [^{label}]: missing or changed in the translation (it refers to [^{changed}])"
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bracketed_word_a_translation_adds_is_an_error(language: str) -> None:
    """A document with ``[other]: https://evil.example`` would link it; without, it prints brackets."""
    read, advice, _key, water, stop = _words(language)
    errors = _errors("Take it with water.", f"{read} {water} [{advice}]{stop}", language, "markup")
    assert f"link to [{advice.casefold()}]: not in the source (a reference link; write \\[ and \\] for brackets)" in (
        errors
    )
    assert _errors("Take it with water.", f"{read} {water} \\[{advice}\\]{stop}", language, "markup") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unpaired_bracket_is_an_error(language: str) -> None:
    read, advice, _key, water, stop = _words(language)
    gap = _gap(language)
    assert _errors("Take it with water.", f"{read}{gap}{water}{gap}[{advice}", language, "markup") == [
        "[: printed as characters: no bracket pairs it, and next to a neighbouring sentence's it could make a link "
        "(write \\[ for a bracket)"
    ]
    closing = _errors("Call us on 111.", f"](https://evil.example){gap}{read} 111{stop}", language, "markup")
    assert closing[0].startswith("]: printed as characters")
    assert _errors("Call us on 111.", f"](https://evil.example){gap}{read} 111{stop}", language, "urls") == [
        "https://evil.example: not in the source (the leaflet links it)"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_raw_html_a_translation_adds_is_an_error(language: str) -> None:
    read, _advice, key, water, stop = _words(language)
    source = "Press <kbd>Enter</kbd> to continue."
    assert _errors(source, f"{read} <kbd>{key}</kbd>{stop}", language, "markup") == []
    assert _errors(source, f"{read} <kbd>{key}</kbd> <img src=x onerror=alert(1)>{stop}", language, "markup") == [
        "raw HTML not in the source: <img src=x onerror=alert(1)> (written as text in the leaflets)"
    ]
    assert _errors("Take it with water.", f"{read} {water} <b>{key}</b>{stop}", language, "markup") == [
        "raw HTML not in the source: <b>, </b> (written as text in the leaflets)"
    ]
    assert _errors("Take it with water.", f"{read} `<b>` {water}{stop}", language, "markup") == [
        "`: 0 in the source, 2 in the translation"  # code, not HTML
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_url_the_leaflet_links_differently_or_newly_is_an_error(language: str) -> None:
    read, advice, _key, water, stop = _words(language)
    gap = _gap(language)
    source = "See https://example.org/a_(b) for help."
    glued = f"{read}{gap}https://example.org/a_(b){gap}{advice}{stop}"
    assert _errors(source, glued, language, "urls") == []  # bounded where the source's ends
    broken = f"{read}{gap}https://example.org/a_(b{gap}{advice}{stop}"
    assert _errors(source, broken, language, "urls")[0].startswith(
        "https://example.org/a_(b): missing or changed in the translation (the leaflet links "
    )
    added = f"{read} {water}, https://evil.example{stop}"
    assert _errors("Take it with water.", added, language, "urls") == [
        "https://evil.example: not in the source (the leaflet links it)"
    ]


# --- through the command line: HTML, PDF, Markdown and check --------------------------------------------------

SIDES = """# Side by side

**Do not drive.** **Do not drink alcohol.**

**Sleep well.** Then rest.

Visit https://example.org/help. Then call us.

Stop! [Read this](https://example.org/read) first.

*Rest.* ~~Old advice.~~
"""
#: Good translations of SIDES, as each language writes them (Chinese: no space, full-width punctuation).
SIDE_TRANSLATIONS = {
    "zh_Hans": {
        "Side by side": "并列",
        "**Do not drive.**": "**请勿驾驶。**",
        "**Do not drink alcohol.**": "**请勿饮酒。**",
        "**Sleep well.**": "**好好睡觉。**",
        "Then rest.": "然后休息。",
        "Visit https://example.org/help.": "请访问https://example.org/help",
        "Then call us.": "然后致电我们。",
        "Stop!": "停下!",
        "[Read this](https://example.org/read) first.": "[请先阅读此处](https://example.org/read)。",
        "*Rest.*": "*休息。*",
        "~~Old advice.~~": "~~旧建议。~~",
    },
    "ar": {
        "Side by side": "جنبا إلى جنب",
        "**Do not drive.**": "**لا تقد السيارة.**",
        "**Do not drink alcohol.**": "**لا تشرب الكحول.**",
        "**Sleep well.**": "**نم جيدا.**",
        "Then rest.": "ثم استرح.",
        "Visit https://example.org/help.": "زر https://example.org/help.",
        "Then call us.": "ثم اتصل بنا.",
        "Stop!": "توقف!",
        "[Read this](https://example.org/read) first.": "[اقرأ هذا](https://example.org/read) أولا.",
        "*Rest.*": "*استرح.*",
        "~~Old advice.~~": "~~نصيحة قديمة.~~",
    },
    "es": {
        "Side by side": "Lado a lado",
        "**Do not drive.**": "**No conduzca.**",
        "**Do not drink alcohol.**": "**No beba alcohol.**",
        "**Sleep well.**": "**Duerma bien.**",
        "Then rest.": "Luego descanse.",
        "Visit https://example.org/help.": "Visite https://example.org/help.",
        "Then call us.": "Luego llámenos.",
        "Stop!": "¡Pare!",
        "[Read this](https://example.org/read) first.": "[Lea esto](https://example.org/read) primero.",
        "*Rest.*": "*Descanse.*",
        "~~Old advice.~~": "~~Consejo antiguo.~~",
    },
}
HOSTILE = """# Getting help

## Press the hash key

Take it with water. Call us on 111.

Rest well. Sleep early. Eat well.

Press <kbd>Enter</kbd> to continue.

- Do not crush it.
- Do not chew it.

Read the [NHS advice][nhs] first.

Ask your [pharmacist] for advice.

Most people recover in 6 weeks.[^note]

Take it with food.

| Dose | When |
|---|---|
| 1 tablet | morning |

[nhs]: https://www.nhs.uk/back-pain/
[pharmacist]: https://www.nhs.uk/pharmacy/
[other]: https://evil.example/other

[^note]: A 2020 review.
"""


def _hostile(language: str) -> dict[str, str]:
    """Translations of HOSTILE that break each class, in ``language``'s words."""
    read, advice, key, water, stop = _words(language)
    gap = _gap(language)
    return {
        "Getting help": advice,
        "Press the hash key": f"{read} {key} #",
        "Take it with water.": f"{read}{gap}{water}{gap}[{advice}",
        "Call us on 111.": f"](https://evil.example){gap}111{stop}",
        "Rest well.": f"[{read}",
        "Sleep early.": f"{water}",
        "Eat well.": f"](https://evil.example/3){stop}",
        "Press <kbd>Enter</kbd> to continue.": f"{read} <kbd>{key}</kbd> <img src=x onerror=alert(1)>{stop}",
        "Do not crush it.": f"<div>{water}{stop}</div>",
        "Do not chew it.": f"\\<div>{advice}{stop}\\</div>",
        "Read the [NHS advice][nhs] first.": f"{read} [{advice}][nsh]{stop}",
        "Ask your [pharmacist] for advice.": f"{read} [{advice}]{stop}",
        "Most people recover in 6 weeks.[^note]": f"{advice} 6{stop}[^nota]",
        "Take it with food.": f"{read} {water} [other]{stop}",
        "A 2020 review.": f"{advice} 2020{stop}",
        "morning": f"{water} \\\\| {key}",  # an escaped backslash, then a pipe
    }


DISCLAIMER = ("**This leaflet is general information.**", "**Ask your doctor.**")
DISCLAIMER_TRANSLATIONS = {
    "zh_Hans": ("**本传单仅供参考。**", "**请咨询医生。**"),
    "ar": ("**هذه النشرة معلومات عامة.**", "**استشر طبيبك.**"),
    "es": ("**Este folleto es informativo.**", "**Consulte a su médico.**"),
}
BUILT_LANGUAGES = ["zh_Hans", "ar", "es"]
#: Delimiters and character references: never text on a page.
LITERAL = re.compile(r"[*_~`]|&#|\[|\]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("confined")
    (project / "source").mkdir()
    (project / "source" / "disclaimer.txt").write_text(f"Disclaimer\n{' '.join(DISCLAIMER)}\n", "utf-8")
    (project / "source" / "sides.md").write_text(SIDES, "utf-8")
    (project / "source" / "hostile.md").write_text(HOSTILE, "utf-8")
    config = f'languages = {BUILT_LANGUAGES!r}\nformats = ["txt", "html"]\n'.replace("'", '"')
    (project / "polyleaf.toml").write_text(config, "utf-8")
    cli(project, "update")
    for language in BUILT_LANGUAGES:
        translate(po_path(project, language, "sides"), SIDE_TRANSLATIONS[language])
        translate(po_path(project, language, "hostile"), _hostile(language))
        disclaimer = dict(zip(DISCLAIMER, DISCLAIMER_TRANSLATIONS[language], strict=True))
        translate(po_path(project, language, "disclaimer"), {"Disclaimer": "—", **disclaimer})
    cli(project, "build")
    yield project


def _html_main(project: Path, language: str, name: str) -> Node:
    return parse((project / "build" / language / f"{name}.{language}.html").read_text("utf-8")).find("main")


def _markdown(project: Path, language: str, name: str) -> Node:
    """The Markdown leaflet as a CommonMark renderer with raw HTML (MkDocs, Hugo) shows it."""
    from mdit_py_plugins.footnote import footnote_plugin

    text = (project / "build" / language / f"{name}.{language}.md").read_text("utf-8")
    return parse(f"<main>{_renderer().use(footnote_plugin).render(text)}</main>").find("main")


#: The first sentence of each paragraph of SIDES.
SIDE_STARTS = ["**Do not drive.**", "**Sleep well.**", "Visit https://example.org/help.", "Stop!", "*Rest.*"]


def _unmarked(text: str) -> str:
    return re.sub(r"[*~]", "", text)


def _tags(node: Node) -> Counter[str]:
    return Counter(e.tag for e in node.iter() if e.tag in ("strong", "em", "s", "del", "code", "a", "img"))


@pytest.mark.slow
@pytest.mark.parametrize("language", BUILT_LANGUAGES)
@pytest.mark.parametrize("output", ["html", "md"])
def test_sentences_side_by_side_keep_their_own_markup(built: Path, language: str, output: str) -> None:
    page = _html_main(built, language, "sides") if output == "html" else _markdown(built, language, "sides")
    firsts = [_unmarked(SIDE_TRANSLATIONS[language][key]) for key in SIDE_STARTS]
    paragraphs = [next(p for p in page.iter("p") if p.text().strip().startswith(first)) for first in firsts]
    assert [_tags(p) for p in paragraphs] == [
        Counter({"strong": 2}),
        Counter({"strong": 1}),
        Counter({"a": 1}),
        Counter({"a": 1}),
        Counter({"em": 1, "s": 1}),
    ], [p.text() for p in paragraphs]
    assert [a.attrs["href"] for p in paragraphs for a in p.iter("a")] == [
        "https://example.org/help",
        "https://example.org/read",
    ]
    assert not LITERAL.findall(" ".join(p.text() for p in paragraphs))
    link = paragraphs[2].find("a").text()
    assert link == "https://example.org/help"  # the URL ends where the source's does


@pytest.mark.slow
@pytest.mark.parametrize("language", BUILT_LANGUAGES)
def test_the_standard_disclaimers_sentences_keep_their_own_markup(built: Path, language: str) -> None:
    html = parse((built / "build" / language / f"sides.{language}.html").read_text("utf-8"))
    box = next(aside for aside in html.iter("aside") if "disclaimer" in (aside.attrs.get("class") or ""))
    markdown = _markdown(built, language, "sides")
    shown = next(p for p in markdown.iter("p") if _unmarked(DISCLAIMER_TRANSLATIONS[language][1]) in p.text())
    for rendered in (box, shown):
        assert [strong.text() for strong in rendered.iter("strong")] == [
            _unmarked(text) for text in DISCLAIMER_TRANSLATIONS[language]
        ]
        assert not LITERAL.findall(rendered.text())


@pytest.mark.slow
def test_check_passes_the_sentences_side_by_side(built: Path) -> None:
    output = cli(built, "check", "--doc", "sides")
    assert not [line for line in output.splitlines() if " error " in line], output


@pytest.mark.slow
@pytest.mark.parametrize("language", BUILT_LANGUAGES)
@pytest.mark.parametrize("output", ["html", "md"])
def test_a_link_across_sentences_is_no_link(built: Path, language: str, output: str) -> None:
    page = _html_main(built, language, "hostile") if output == "html" else _markdown(built, language, "hostile")
    links = {(a.text(), a.attrs.get("href") or "") for a in page.iter("a")}
    made = [(text, href) for text, href in links if "evil.example" in href and text != href]
    assert made == [("other", "https://evil.example/other")], made  # a reference the document defines: QA's error


@pytest.mark.slow
@pytest.mark.parametrize("language", BUILT_LANGUAGES)
@pytest.mark.parametrize("output", ["html", "md"])
def test_raw_html_headings_and_cells_show_as_written(built: Path, language: str, output: str) -> None:
    read, advice, key, water, _stop = _words(language)
    page = _html_main(built, language, "hostile") if output == "html" else _markdown(built, language, "hostile")
    assert not page.iter("img")
    assert not [div for div in page.iter("div") if not div.attrs.get("class")]  # (a table's wrapper has one)
    assert not page.iter("b")
    assert any(f"<kbd>{key}</kbd>" in item.text() for item in page.iter("p")) or output == "md"
    items = [li.text() for li in page.iter("li")]
    assert any(f"<div>{water}" in item for item in items), items
    assert any(f"<div>{advice}" in item for item in items), items  # the translator's own escape kept, not undone
    headings = [h.text().strip() for h in page.iter("h2")]
    assert f"{read} {key} #" in headings, headings
    cells = [[cell.text() for cell in row.iter() if cell.tag in ("td", "th")] for row in page.iter("tr")]
    # (the draft leaves "1 tablet" in English: a .md leaflet marks it, as the note at its top says)
    assert cells[-1] == ["[[1 tablet]]", f"{water} \\| {key}"] or output == "html", cells


#: The entries of HOSTILE whose translation breaks nothing QA could see (the writers neutralise the last two).
HARMLESS = {"Getting help", "Sleep early.", "A 2020 review.", "Press the hash key", "Do not chew it.", "morning"}


@pytest.mark.slow
def test_check_reports_every_hostile_entry(built: Path) -> None:
    output = cli(built, "check", "--doc", "hostile")
    for language in BUILT_LANGUAGES:
        po = po_path(built, language, "hostile")
        lines = po.read_text("utf-8").splitlines()
        errors = [line for line in output.splitlines() if f"/{language}/" in line and " error " in line]
        flagged = {int(line.split(":")[1]) for line in errors}
        catalog = parse_po_file(po.read_bytes(), po)
        hostile = _hostile(language)
        expected = {m.line for m in catalog.messages if m.msgid in hostile and m.msgid not in HARMLESS}
        assert expected and expected <= flagged, (language, sorted(expected - flagged), errors, len(lines))


@pytest.mark.slow
def test_a_chinese_pdf_shows_no_delimiter(built: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed: apt-get install poppler-utils")
    cli(built, "build", "--lang", "zh_Hans", "--doc", "sides", "--format", "pdf")
    pdf = built / "build" / "zh_Hans" / "sides.zh_Hans.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "请勿驾驶。" in text
    assert "请访问https://example.org/help" in text.replace("\n", "")
    assert not re.findall(r"[*~`\[\]]", text)
