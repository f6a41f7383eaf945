"""Leaflets and index pages on the web (issue 13, items 13 and 15).

Each leaflet's page links its PDF, its language's index and the same leaflet in the other languages (``hreflang``
alternates, and visible links by each language's own name); index pages speak their language through
``interface.po``; and every page reads on a 390 px phone: a viewport, no fixed widths wider than the screen,
tables scrolling inside their own box. Chromium, where installed, measures that nothing scrolls sideways.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, Node, content_project, copied_project, parse
from polyleaf.config.model import load_config
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.sources import Selection
from release_helpers import release, review, translated_everything

#: A reviewer's Arabic for every word polyleaf puts on a page (no Latin letter in any of them).
ARABIC = {
    "draft": "مسودة: لم تتم مراجعة هذه الترجمة بالكامل بعد.",
    "not_reviewed": "مقاطع لم تتم مراجعتها",
    "draft_banner": "مسودة — ليست للمرضى",
    "qa_error": "خطأ في ضبط الجودة",
    "qa_errors": "مقاطع فيها أخطاء في ضبط الجودة",
    "language": "اللغة",
    "updated": "آخر تحديث",
    "disclaimer": "إخلاء المسؤولية",
    "unreviewed_legend": "المقاطع المعلَّمة بشريط في الهامش لم يراجعها مترجم بعد.",
    "untranslated_note": "المقاطع المسطّرة بنقاط لم تُترجم بعد، وتظهر بلغتها الأصلية.",
    "untranslated_note_text": "المقاطع الواقعة بين [[ و ]] لم تُترجم بعد، وتظهر بلغتها الأصلية.",
    "reference": "المرجع",
    "version": "الإصدار",
    "review_by": "المراجعة القادمة",
    "contact": "للتواصل",
    "written_by": "كتبه",
    "approved_by": "اعتمده",
    "translated_by": "ترجمه",
    "sources": "المصادر",
    "history": "التغييرات",
    "index_link": "جميع النشرات",
    "pdf_link": "نسخة للطباعة",
    "other_languages": "لغات أخرى",
    "available_in": "متوفرة باللغات",
    "web_version": "اقرأ هذه النشرة على الإنترنت",
    "site_title": "نشرات المرضى",
    "languages": "اللغات",
    "leaflets": "النشرات",
    "all_languages": "جميع اللغات",
    "reviewed": "تمت المراجعة",
    "draft_badge": "مسودة",
    "no_leaflets": "لا توجد نشرات بعد.",
    "format_html": "صفحة ويب",
    "format_pdf": "ملف للطباعة",
    "format_large_print": "ملف بخط كبير",
    "format_txt": "نص",
    "format_md": "نص منسق",
    "status_link": "حالة الترجمة",
    "callout_note": "ملاحظة",
    "callout_tip": "نصيحة",
    "callout_important": "مهم",
    "callout_warning": "تحذير",
    "callout_caution": "تنبيه",
}
BY_TEXT = {INTERFACE_MESSAGES[key]: text for key, text in ARABIC.items()}
PHONE = 390


def page(root: Path, language: str, name: str = ARTICLE, *, released: bool = False) -> Node:
    folder = root / "build" / ("release" if released else "") / language
    return parse((folder / f"{name}.{language}.html").read_text(encoding="utf-8"))


def visible_text(node: Node, skip: tuple[str, ...] = ("style", "title")) -> str:
    """The text a reader sees (style and head elements aside)."""
    return "".join(
        child if isinstance(child, str) else visible_text(child, skip)
        for child in node.children
        if isinstance(child, str) or child.tag not in skip
    )


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project in three languages after one run (PDFs too), shared by the module: ``built`` copies it."""
    config = 'source_language = "en"\nlanguages = ["es", "ar", "zh_Hans"]\nformats = ["txt", "html", "pdf"]\n'
    root = content_project(tmp_path_factory.mktemp("web") / "project", config)
    runner.run(load_config(root), engine_factory=lambda config: FakeEngine())
    return root


#: A re-run that adds a leaflet and reads web pages only: its three PDFs would take longer than the test.
WEB_ONLY = Outputs(formats=("txt", "html"))


@pytest.fixture
def built(first_build: Path, tmp_path: Path) -> Path:
    return copied_project(first_build, tmp_path)


# ----------------------------------------------------------------------------------------------- links


@pytest.mark.slow
def test_a_leaflet_links_its_pdf_its_index_and_itself_in_every_other_language(built: Path) -> None:
    for language in ("es", "ar", "zh_Hans"):
        doc = page(built, language)
        folder = built / "build" / language
        alternates = {
            link.attrs["hreflang"]: link.attrs["href"]
            for link in doc.find("head").iter("link")
            if link.attrs.get("rel") == "alternate" and "hreflang" in link.attrs
        }
        assert alternates == {
            "es": f"../es/{ARTICLE}.es.html",
            "ar": f"../ar/{ARTICLE}.ar.html",
            "zh-Hans": f"../zh_Hans/{ARTICLE}.zh_Hans.html",
        }
        nav = doc.find("nav")
        links = {a.attrs.get("class"): a for a in nav.iter("a")}
        assert links["index-link"].attrs["href"] == "index.html"
        assert links["pdf-link"].attrs["href"] == f"{ARTICLE}.{language}.pdf"
        others = [a for a in nav.iter("a") if "hreflang" in a.attrs]
        assert [a.attrs["hreflang"] for a in others] == [
            tag for tag in alternates if tag != doc.find("html").attrs["lang"]
        ]
        names = {"es": "español", "ar": "العربية", "zh-Hans": "中文 (简体)"}
        for a in others:
            assert a.text() == names[str(a.attrs["hreflang"])]  # by its own name, in its own language and direction
            assert a.attrs["lang"] == a.attrs["hreflang"]
            assert a.attrs["dir"] == ("rtl" if a.attrs["hreflang"] == "ar" else "ltr")
        for a in nav.iter("a"):
            assert (folder / str(a.attrs["href"])).resolve().is_file(), a.attrs["href"]


@pytest.mark.slow
def test_the_pdf_is_laid_out_without_the_web_pages_links(built: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    pdf = built / "build" / "es" / f"{ARTICLE}.es.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "español" in text  # the leaflet's own words are there
    assert INTERFACE_MESSAGES["index_link"] not in text and INTERFACE_MESSAGES["other_languages"] not in text


def other_languages(doc: Node) -> list[str]:
    """The visible links of a leaflet's page to the same leaflet in other languages."""
    return [a.attrs["href"] or "" for a in doc.find("nav").iter("a") if "hreflang" in a.attrs]


def test_a_release_links_only_the_languages_it_publishes(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE)
    release(project)
    doc = page(project, "es", released=True)
    assert [link.attrs["hreflang"] for link in doc.find("head").iter("link") if "hreflang" in link.attrs] == ["es"]
    assert other_languages(doc) == []  # ar is withheld
    review(project, "ar", ARTICLE)
    release(project, documents=(ARTICLE,))
    assert other_languages(page(project, "es", released=True)) == [f"../ar/{ARTICLE}.ar.html"]
    # a release of one language (--lang ar) links the others that are published already
    runner.run(
        load_config(project),
        Selection(languages=("ar",)),
        steps=frozenset({"build"}),
        outputs=Outputs(release=True),
    )
    assert other_languages(page(project, "ar", released=True)) == [f"../es/{ARTICLE}.es.html"]


# ----------------------------------------------------------------------------------------------- index pages


@pytest.mark.slow
def test_index_pages_speak_their_language_once_interface_po_is_reviewed(built: Path) -> None:
    review(built, "ar", "interface", text=lambda language, msgid: BY_TEXT[msgid])
    runner.run(load_config(built), steps=frozenset({"build"}))
    index = parse((built / "build" / "ar" / "index.html").read_text(encoding="utf-8"))
    assert (index.find("html").attrs["lang"], index.find("html").attrs["dir"]) == ("ar", "rtl")
    for node in index.iter():
        if node.attrs.get("class") in ("title", "project"):  # titles (machine-translated: Latin) and the project
            node.children.clear()
    words = visible_text(index.find("body"))
    assert not re.search(r"[A-Za-z]", words), words  # no English, not even a format's name
    assert ARABIC["leaflets"] in words and ARABIC["format_html"] in words and ARABIC["all_languages"] in words
    assert ARABIC["draft"] in words  # the draft notice, in Arabic too
    leaflet = visible_text(page(built, "ar").find("nav"))
    assert ARABIC["index_link"] in leaflet and ARABIC["pdf_link"] in leaflet and ARABIC["other_languages"] in leaflet
    # the site index is in the source language, and lists each language by its own name
    site = parse((built / "build" / "index.html").read_text(encoding="utf-8"))
    assert site.find("html").attrs["lang"] == "en"
    assert INTERFACE_MESSAGES["languages"] in visible_text(site.find("body"))


@pytest.mark.slow
def test_an_untranslated_title_on_an_index_is_marked_as_english(built: Path) -> None:
    (built / "source" / "plain.txt").write_text("A plain title\nOne sentence.\n", encoding="utf-8")
    runner.run(load_config(built), engine_factory=lambda config: FakeEngine(pairs=()), outputs=WEB_ONLY)
    index = parse((built / "build" / "ar" / "index.html").read_text(encoding="utf-8"))
    (title,) = [a for a in index.iter("a") if a.text() == "A plain title"]
    assert (title.attrs["lang"], title.attrs["dir"]) == ("en", "ltr")


# ----------------------------------------------------------------------------------------------- phones

WIDE = """# A leaflet with a deliberately long title about antidisestablishmentarianism

| Medicine | Morning dose | Midday dose | Evening dose | Night dose | Notes for the patient |
|---|---|---|---|---|---|
| Paracetamol-containing-preparation | 2 tablets | 1 tablet | 2 tablets | none | with food, never with alcohol |

1. Take the first dose.
2. Take the second dose.

A very long address: https://example.org/a/very/long/path/that/would/push/the/page/sideways/on/a/phone/screen.
"""


def style_of(doc: Node) -> str:
    return doc.find("style").text()


def media_blocks(css: str, condition: str) -> list[str]:
    """The bodies of the ``@media`` rules whose condition contains ``condition`` (nested braces included)."""
    found = []
    for match in re.finditer(r"@media([^{]*)\{", css):
        if condition not in match.group(1):
            continue
        depth, position = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[position], 0)
            position += 1
        found.append(css[match.end() : position - 1])
    return found


def rule(css: str, selector: str) -> str:
    match = re.search(rf"(?:^|\}}|\*/)\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    assert match, selector
    return match.group(1)


@pytest.mark.slow
def test_every_page_has_a_viewport_and_a_phone_layout(built: Path) -> None:
    (built / "source" / "wide.md").write_text(WIDE, encoding="utf-8")
    runner.run(load_config(built), engine_factory=lambda config: FakeEngine(), outputs=WEB_ONLY)
    build = built / "build"
    pages = [build / "es" / "wide.es.html", build / "ar" / "index.html", build / "index.html", build / "status.html"]
    for path in pages:
        doc = parse(path.read_text(encoding="utf-8"))
        viewport = [meta for meta in doc.iter("meta") if meta.attrs.get("name") == "viewport"]
        assert [meta.attrs["content"] for meta in viewport] == ["width=device-width, initial-scale=1"], path
        css = style_of(doc)
        phone = [block for block in media_blocks(css, "max-width") if "body" in block]
        assert phone, path  # narrower screens get their own rules
        widths = [float(value) for value in re.findall(r"@media[^{]*max-width:\s*([\d.]+)(?:em|rem)", css)]
        assert widths and all(width * 16 >= PHONE for width in widths)  # the phone rules apply at 390 px
    leaflet = style_of(parse((build / "es" / "wide.es.html").read_text(encoding="utf-8")))
    (small_screen,) = media_blocks(leaflet, "screen and (max-width")
    body = rule(small_screen, "body")
    assert "margin: 0" in body and "max-width: none" in body and "border: 0" in body
    assert "overflow-x: auto" in rule(leaflet, ".table") and "max-width: 100%" in rule(leaflet, ".table")
    assert "white-space: nowrap" in rule(leaflet, ".meta-item")  # a date is never broken across lines
    assert "overflow-wrap: break-word" in rule(leaflet, "h1")
    table = parse((build / "es" / "wide.es.html").read_text(encoding="utf-8")).find("table")
    wrapper = [div for div in parse((build / "es" / "wide.es.html").read_text(encoding="utf-8")).iter("div")]
    assert any(div.attrs.get("class") == "table" and table.tag in [c.tag for c in div.elements] for div in wrapper)
    status = style_of(parse((build / "status.html").read_text(encoding="utf-8")))
    (cards,) = [block for block in media_blocks(status, "max-width") if "tr {" in block]
    assert "display: grid" in rule(cards, "tr")  # the dashboard's rows are cards on a phone (test_dashboard lays
    assert "overflow-wrap: anywhere" in rule(status, "td")  # it out in Chromium), and long names break


MEASURE = """<script>
(function () {
  var root = document.documentElement;
  var broken = [];
  document.querySelectorAll('.meta-item, time').forEach(function (item) {
    var tops = {};  /* one rectangle per line (and per bidi run): lines differ in their top */
    Array.prototype.forEach.call(item.getClientRects(), function (box) { tops[Math.round(box.top)] = true; });
    if (Object.keys(tops).length > 1) { broken.push(item.textContent); }
  });
  parent.postMessage(JSON.stringify({width: root.clientWidth, scroll: root.scrollWidth, broken: broken}), '*');
})();
</script>
"""
#: Chromium's headless window is at least 500 px wide whatever ``--window-size`` says, so the page is laid out in
#: a 390 px frame (its media queries see 390 px) and reports its sizes to the frame around it.
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<script>
addEventListener('message', function (event) { document.body.setAttribute('data-measured', event.data); });
</script>
<iframe src="{src}" style="width:{width}px;height:900px;border:0"></iframe></body></html>
"""


def measured(path: Path, chromium: str) -> dict[str, object]:
    """The page's width and scroll width in a 390 px frame, as Chromium lays it out (a script added to a copy)."""
    import json

    copy = path.with_name(f".measure-{path.name}")
    copy.write_text(path.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    frame = path.with_name(".measure-frame.html")
    frame.write_text(FRAME.replace("{src}", copy.name).replace("{width}", str(PHONE)), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--window-size=500,900",
                "--virtual-time-budget=10000",
                "--dump-dom",
                frame.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    copy.unlink()
    frame.unlink()
    found = re.search(r'data-measured="([^"]*)"', result.stdout)
    assert found, result.stderr[-500:]
    value: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"'))
    return value


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.slow
@pytest.mark.skipif(  # before the project is built
    CHROMIUM is None, reason="Chromium is not installed: the CSS rules are checked by test_every_page_has_a_viewport…"
)
@pytest.mark.parametrize("language", ["es", "ar", "zh_Hans"])
def test_nothing_scrolls_sideways_on_a_390_px_phone(built: Path, language: str) -> None:
    chromium = CHROMIUM
    assert chromium is not None
    (built / "source" / "wide.md").write_text(WIDE, encoding="utf-8")
    runner.run(load_config(built), engine_factory=lambda config: FakeEngine())
    build = built / "build"
    for path in (build / language / f"wide.{language}.html", build / language / "index.html", build / "status.html"):
        sizes = measured(path, chromium)
        assert PHONE - 20 <= int(str(sizes["width"])) <= PHONE, (path, sizes)  # less a scroll bar, where drawn
        assert sizes["scroll"] == sizes["width"], (path, sizes)
        assert sizes["broken"] == [], (path, sizes)  # dates and meta items on one line each
