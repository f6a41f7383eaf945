"""Full Markdown in every leaflet: GFM tables cell by cell, numbered and nested lists, images, front matter,
footnotes and link titles survive into .md, HTML and PDF; HTML comments reach none of them (nor a catalog); sentences
are spaced by their own language."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import Node, cli, parse, polyleaf, set_translation
from polyleaf import localize
from polyleaf.catalog.model import Translation
from polyleaf.pipeline.output import local_image
from polyleaf.render.html import render_leaflet_html
from polyleaf.render.meta import LeafletImage, LeafletMeta
from polyleaf.render.text import render_text
from polyleaf.source.document import Document, assemble
from polyleaf.source.parse.markdown import parse_markdown

SOURCE = """\
---
title: Dosing guide
description: "How to take it: safely"
tags: [a, b]
---

# Taking your medicine <!-- check title -->

<!-- reviewer: check dose with Dr. Lee -->

Take 2 tablets <!-- was 3 --> daily. Do not ex<!-- x -->ceed the dose.[^1] See [the guide][guide] and ~~old advice~~.

| Time | Dose \\| amount | Note |
|:-----|:------:|-----:|
| Morning | 2 tablets | With food. Really. |
| Evening | ✓ | |

3. Third step.
4. Fourth step.
   - nested one
   - nested two

Between the lists.

1. Another list.

![Dosing chart](img/chart.png "Weekly schedule")

[^1]: Ask your pharmacist.
[^2]: Never referenced.

[guide]: https://example.org/guide "The full guide"
"""
DISCLAIMER = "**Disclaimer:** not advice."
SPANISH = {
    "Dosing guide": "Guía de dosis",
    "How to take it: safely": 'Cómo tomarlo: con "cuidado"',
    "Taking your medicine": "Cómo tomar su medicamento",
    "Take 2 tablets daily.": "Tome 2 comprimidos al día.",
    "Time": "Hora",
    "Dose \\| amount": "Dosis | cantidad",
    "With food. Really.": "Con comida. De verdad.",
    "Third step.": "Tercer paso.",
    "nested one": "anidado uno",
    "Dosing chart": "Gráfico [de] dosis",
    "Weekly schedule": 'Calendario "semanal"',
    "Ask your pharmacist.": "Pregunte a su farmacéutico.",
    "Never referenced.": "Nunca citada.",
    "The full guide": "La guía completa",
}
CHART = LeafletImage("img/chart.png", "img/chart.png", "0" * 64)


def document(text: str = SOURCE) -> Document:
    return parse_markdown(text, Path("source/guide.md"))


def localized(
    translations: Mapping[str, str], language: str = "es", *, release: bool = False, text: str = SOURCE
) -> localize.LocalizedDocument:
    reviewed = {msgid: Translation(msgstr, True) for msgid, msgstr in translations.items()}
    disclaimer = parse_markdown(DISCLAIMER, Path("source/disclaimer.md"))
    shared = localize.edition(language, "en", release, disclaimer, {}, {})
    return localize.localize(document(text), reviewed, shared)


def html_of(leaflet: localize.LocalizedDocument, images: tuple[LeafletImage, ...] = (CHART,)) -> Node:
    return parse(render_leaflet_html(leaflet, LeafletMeta(updated=dt.date(2026, 1, 2), images=images)))


def msgids(doc: Document) -> list[str]:
    return [segment.text for segment in doc.segments]


# --- 1. HTML comments -----------------------------------------------------------------------------------------------


def test_comments_are_in_no_segment_and_round_trip() -> None:
    doc = document()
    assert assemble(doc, lambda segment: segment.text) == SOURCE
    assert not any("<!--" in text or "reviewer" in text for text in msgids(doc))
    assert "Taking your medicine" in msgids(doc)
    assert "Take 2 tablets daily." in msgids(doc)
    assert "Do not exceed the dose.[^1]" in msgids(doc)  # a comment inside a word joins it up again
    assert [doc.text[a:b].strip() for a, b in doc.comments] == [
        "<!-- check title -->",
        "<!-- reviewer: check dose with Dr. Lee -->",
        "<!-- was 3 -->",
        "<!-- x -->",
    ]
    assert [block.kind for block in doc.blocks].count("comment") == 1


@pytest.mark.parametrize("release", [False, True], ids=["draft", "release"])
def test_comments_reach_no_leaflet(release: bool) -> None:
    leaflet = localized(SPANISH, release=release)
    page = render_leaflet_html(leaflet, LeafletMeta(updated=dt.date(2026, 1, 2)))
    text = render_text(leaflet)
    for output in (page, text):
        assert "<!--" not in output and "Dr. Lee" not in output and "was 3" not in output
    assert "# Cómo tomar su medicamento\n\n" in text
    assert "Take 2 tablets daily." not in text and "Tome 2 comprimidos al día. \\[\\[Do not exceed" in text
    assert "\n\n\n" not in text  # the comment's line went with it


# --- 2. tables ------------------------------------------------------------------------------------------------------


def test_a_table_is_one_segment_per_cell() -> None:
    doc = document()
    (table,) = [block for block in doc.blocks if block.kind == "table"]
    assert [segment.text for segment in table.segments] == [
        "Time",
        "Dose \\| amount",
        "Note",
        "Morning",
        "2 tablets",
        "With food. Really.",  # never split into sentences
        "Evening",
    ]
    assert table.table is not None
    assert table.table.align == ("left", "center", "right")
    assert [[cell.text for cell in row] for row in table.table.rows][2] == ["Evening", "✓", ""]
    assert doc.comment_for(table.segments[5]) == 'table 1, row 1, column 3 — section "Taking your medicine"'


def test_a_translated_table_is_rebuilt_exactly() -> None:
    text = render_text(localized(SPANISH))
    # what the draft leaves in English is marked (the note at the top says how)
    assert "| Hora | Dosis \\| cantidad | \\[\\[Note\\]\\] |\n|:-----|:------:|-----:|\n" in text
    assert "| \\[\\[Morning\\]\\] | \\[\\[2 tablets\\]\\] | Con comida. De verdad. |\n" in text
    assert "| \\[\\[Evening\\]\\] | ✓ | |\n" in text


def test_a_table_is_a_real_table_in_html() -> None:
    page = html_of(localized(SPANISH, "ar"))
    (table,) = page.iter("table")
    assert len(table.iter("thead")) == 1
    assert [th.text() for th in table.find("thead").iter("th")] == ["Hora", "Dosis | cantidad", "Note"]
    rows = table.find("tbody").iter("tr")
    assert [len(row.iter("td")) for row in rows] == [3, 3]
    assert [td.attrs.get("class") for td in rows[0].iter("td")] == ["align-start", "align-center", "align-end"]
    assert rows[0].iter("td")[2].text() == "Con comida. De verdad."


def _table_box(page: Node) -> Node:
    (box,) = [div for div in page.iter("div") if div.attrs.get("class") == "table"]
    return box


def test_a_table_carries_its_own_review_mark_not_its_last_cells() -> None:
    """A draft marks an unreviewed table as a whole; a cell's language marks stay on that cell."""
    last_cell_english = {msgid: text for msgid, text in SPANISH.items() if text != "Con comida. De verdad."}
    table_div = _table_box(html_of(localized(last_cell_english)))
    assert table_div.attrs.get("data-reviewed") == "false"
    assert "lang" not in table_div.attrs and "data-untranslated" not in table_div.attrs
    english_cells = [td.text() for td in table_div.iter("td") if td.attrs.get("lang") == "en"]
    assert english_cells == ["Morning", "2 tablets", "With food. Really.", "Evening"]
    released = _table_box(html_of(localized(SPANISH, release=True)))
    assert "data-reviewed" not in released.attrs


def test_an_untranslated_table_in_another_script_has_one_class_attribute() -> None:
    """An English table on a Chinese page is set in the Latin face: its class names both, in one attribute (a
    second ``class`` attribute is ignored by browsers, and the table lost its layout or its face)."""
    page = render_leaflet_html(localized({}, "zh_Hans"), LeafletMeta(updated=dt.date(2026, 1, 2), images=(CHART,)))
    (opening,) = [tag for tag in page.split("<div")[1:] if "table" in tag.split(">")[0]]
    assert opening.split(">")[0].count("class=") == 1
    (box,) = [div for div in parse(page).iter("div") if "table" in (div.attrs.get("class") or "").split()]
    assert len((box.attrs.get("class") or "").split()) == 2  # "table" and the Latin face's class
    assert box.attrs.get("lang") == "en"


# --- 3. ordered lists -----------------------------------------------------------------------------------------------


def test_ordered_lists_keep_their_numbers_and_nesting() -> None:
    main = html_of(localized({})).find("main")
    lists = [element for element in main.elements if element.tag in ("ol", "ul")]
    assert [(element.tag, element.attrs.get("start")) for element in lists] == [("ol", "3"), ("ol", None)]
    first = lists[0]
    items = [element for element in first.elements if element.tag == "li"]
    assert len(items) == 2
    assert items[1].find("ul").text().split() == ["nested", "one", "nested", "two"]
    assert "counter-reset: list-item 2" in str(first.attrs.get("style"))  # WeasyPrint ignores start=


def test_lists_that_follow_each_other_are_not_merged() -> None:
    text = "- a\n- b\n\n1. one\n2. two\n\n* c\n"
    main = html_of(localized({}, text=text)).find("main")
    assert [element.tag for element in main.elements if element.tag in ("ol", "ul")] == ["ul", "ol", "ul"]


# --- 4. images ------------------------------------------------------------------------------------------------------


def test_an_image_has_its_alt_and_title_as_segments() -> None:
    doc = document()
    (image,) = [block for block in doc.blocks if block.kind == "image"]
    assert [segment.text for segment in image.segments] == ["Dosing chart", "Weekly schedule"]
    assert image.roles == ("alt", "title")
    assert image.image is not None and image.image.src == "img/chart.png"
    assert doc.images == ("img/chart.png",)
    assert doc.comment_for(image.segments[0]).startswith("image 1, alt")


def test_an_image_is_shown_with_its_translated_alt_and_title() -> None:
    leaflet = localized(SPANISH)
    (figure,) = html_of(leaflet).iter("figure")
    img = figure.find("img")
    assert img.attrs["src"] == "img/chart.png"
    assert img.attrs["alt"] == "Gráfico [de] dosis"
    assert figure.find("figcaption").text() == 'Calendario "semanal"'
    assert '![Gráfico \\[de\\] dosis](img/chart.png "Calendario \\"semanal\\"")' in render_text(leaflet)


def test_an_image_that_was_not_copied_is_its_alt_text() -> None:
    page = html_of(localized(SPANISH), images=())
    assert page.iter("img") == []
    assert "Gráfico [de] dosis" in page.find("main").text()


def test_a_translation_cannot_point_an_image_elsewhere() -> None:
    text = "# T\n\nSee ![chart](img/chart.png) here.\n"
    translated = {"See ![chart](img/chart.png) here.": "Vea ![gráfico](../../secret.png) aquí."}
    page = html_of(localized(translated, text=text))
    assert page.iter("img") == []
    assert "Vea gráfico aquí." in page.find("main").text()
    own = html_of(localized({"See ![chart](img/chart.png) here.": "Vea ![gráfico](img/chart.png) aquí."}, text=text))
    assert [img.attrs["src"] for img in own.iter("img")] == ["img/chart.png"]


def test_an_images_address_names_its_file_whatever_characters_the_name_has() -> None:
    """The copied file is named by the decoded path: the page's ``src`` encodes it again, or a ``#`` or ``?`` in
    the name would cut the address short (no image, in a browser and in the PDF) and a ``%25`` would name another
    file."""
    sources = ["img/a%23b.png", "img/why%3F.png", "img/50%2525.png", "img/my%20caf%C3%A9.png"]
    text = "# T\n\n" + " ".join(f"![{number}]({src})" for number, src in enumerate(sources)) + "\n"
    found = [local_image(src) for src in sources]
    images = tuple(LeafletImage(src, path.as_posix(), "0") for src, path in zip(sources, found, strict=True) if path)
    shown = [img.attrs["src"] for img in html_of(localized({}, text=text), images).iter("img")]
    assert [unquote(urlsplit(src).path) for src in shown] == [
        "img/a#b.png",
        "img/why?.png",
        "img/50%25.png",
        "img/my café.png",
    ]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("img/chart.png", "img/chart.png"),
        ("./img/My%20chart.JPG", "img/My chart.JPG"),
        ("chart.webp", "chart.webp"),
        ("https://example.org/chart.png", None),
        ("//example.org/chart.png", None),
        ("/etc/chart.png", None),
        ("../chart.png", None),
        ("img/../../chart.png", None),
        ("img/chart.svg", None),
        ("data:image/png;base64,AAAA", None),
        ("img/chart.png?x=1", None),
    ],
)
def test_which_images_a_leaflet_may_show(src: str, expected: str | None) -> None:
    found = local_image(src)
    assert (found.as_posix() if found is not None else None) == expected


# --- 5. front matter ------------------------------------------------------------------------------------------------


def test_front_matter_stays_first_and_is_no_heading() -> None:
    leaflet = localized(SPANISH)
    text = render_text(leaflet)
    assert text.startswith(
        '---\ntitle: Guía de dosis\ndescription: "Cómo tomarlo: con \\"cuidado\\""\ntags: [a, b]\n---\n\n'
        "> **DRAFT — not for patients**\n>\n> Draft"
    )
    assert text.endswith("\n\n> **DRAFT — not for patients**\n")  # the last line says it too
    page = html_of(leaflet)
    assert "tags" not in page.find("main").text() and "Guía de dosis" not in page.find("main").text()
    assert [h.text() for h in page.iter("h1")] == ["Cómo tomar su medicamento"]


def test_front_matter_values_round_trip_and_stay_valid_yaml() -> None:
    source = "---\ntitle: Plain title\ndescription: 'Single quoted'\nkeep: 1\n---\n\nText here.\n"
    doc = document(source)
    assert assemble(doc, lambda segment: segment.text) == source
    assert msgids(doc)[:2] == ["Plain title", "Single quoted"]
    text = render_text(localized({"Plain title": "Título: el plan", "Single quoted": "Es 'eso'"}, text=source))
    assert text.startswith("---\ntitle: \"Título: el plan\"\ndescription: 'Es ''eso'''\nkeep: 1\n---\n")
    assert localized({"Plain title": "Título"}, text=source).title == "Título"  # no heading: the front matter's


# --- 6. footnotes and link definitions ------------------------------------------------------------------------------


def test_footnotes_are_kept_translated_and_numbered() -> None:
    doc = document()
    assert doc.footnotes == ("1", "2")
    leaflet = localized(SPANISH)
    page = html_of(leaflet)
    notes = page.find("section")
    assert notes.attrs["class"] == "footnotes"
    assert [(li.attrs["id"], " ".join(li.text().split())) for li in notes.iter("li")] == [
        ("fn-1", "Pregunte a su farmacéutico."),
        ("fn-2", "Nunca citada."),  # never referenced, still kept
    ]
    first = next(p for p in page.find("main").iter("p") if p.attrs.get("class") != "untranslated-note")
    (ref,) = first.iter("sup")
    assert ref.find("a").attrs["href"] == "#fn-1"
    text = render_text(leaflet)
    assert "[^1]: Pregunte a su farmacéutico.\n[^2]: Nunca citada.\n" in text


def test_link_definition_titles_are_translated() -> None:
    doc = document()
    (definition,) = [block for block in doc.blocks if block.kind == "link_definition"]
    assert [segment.text for segment in definition.segments] == ["The full guide"]
    leaflet = localized(SPANISH)
    link = next(a for a in html_of(leaflet).iter("a") if a.text() == "the guide")
    assert link.attrs == {"href": "https://example.org/guide", "title": "La guía completa"}
    assert '[guide]: https://example.org/guide "La guía completa"\n' in render_text(leaflet)


def test_strikethrough_and_autolinks() -> None:
    text = "# T\n\nNot ~~this~~ but www.example.org and <https://example.org/a>.\n"
    main = html_of(localized({}, text=text)).find("main")
    assert main.find("s").text() == "this"
    assert [a.attrs["href"] for a in main.iter("a")] == ["http://www.example.org", "https://example.org/a"]


# --- 8. spacing by language -----------------------------------------------------------------------------------------

SPACING = "# T\n\nThe pain is chronic LBP. Studies have shown it. Third one. Fourth one.\n"


def test_english_fallback_in_chinese_is_spaced_and_chinese_is_not() -> None:
    translated = {"The pain is chronic LBP.": "疼痛是慢性腰痛。", "Third one.": "第三个。", "Fourth one.": "第四个。"}
    leaflet = localized(translated, "zh_Hans", text=SPACING)
    (paragraph,) = [block for block in leaflet.blocks if block.kind == "paragraph"]
    assert paragraph.text == "疼痛是慢性腰痛。Studies have shown it. 第三个。第四个。"
    assert "疼痛是慢性腰痛。\\[\\[Studies have shown it.\\]\\] 第三个。第四个。\n" in render_text(leaflet)
    untranslated = localized({}, "zh_Hans", text=SPACING)
    assert "chronic LBP. Studies have shown it. Third one." in untranslated.blocks[1].text


def test_labels_take_the_languages_colon() -> None:
    disclaimer = parse_markdown(DISCLAIMER, Path("source/disclaimer.md"))
    words = {"Segments not reviewed": Translation("未审核的段落", True)}
    shared = localize.edition("zh_Hans", "en", False, disclaimer, {}, words)
    leaflet = localize.localize(document(SPACING), {}, shared)
    assert leaflet.draft_notice.endswith("未审核的段落：6/6")  # 5 sentences and the disclaimer
    english = localize.localize(document(SPACING), {}, localize.edition("zh_Hans", "en", False, disclaimer, {}, {}))
    assert english.draft_notice.endswith("Segments not reviewed: 6/6")  # an English label keeps its colon
    assert localize.labelled("Label", "1/2", "es") == "Label: 1/2"


def test_cjk_text_is_not_justified() -> None:
    page = render_leaflet_html(localized({}, "zh_Hans", text=SPACING), LeafletMeta(updated=dt.date(2026, 1, 2)))
    assert "text-align: justify" not in page


# --- through polyleaf run -------------------------------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.mark.slow
def test_polyleaf_run_builds_every_construct(project: Path) -> None:
    (project / "source" / "guide.md").write_text(SOURCE, encoding="utf-8")
    (project / "source" / "img").mkdir()
    (project / "source" / "img" / "chart.png").write_bytes(PNG)
    config = project / "polyleaf.toml"
    config.write_text(config.read_text().replace('["txt", "html"]', '["txt", "html", "pdf"]'), encoding="utf-8")
    result = polyleaf(project, "run")
    assert result.returncode == 0, result.stderr
    pot = (project / "locales" / "templates" / "guide.pot").read_text(encoding="utf-8")
    assert "reviewer" not in pot and "<!--" not in pot
    assert 'msgid "With food. Really."' in pot and 'msgid "Weekly schedule"' in pot
    po = project / "locales" / "es" / "LC_MESSAGES" / "guide.po"
    set_translation(po, "With food. Really.", '"Con comida. De verdad."')
    assert polyleaf(project, "build").returncode == 0
    build = project / "build" / "es"
    assert (build / "img" / "chart.png").read_bytes() == PNG
    page = parse((build / "guide.es.html").read_text(encoding="utf-8"))
    assert [len(row.iter("th")) + len(row.iter("td")) for row in page.find("table").iter("tr")] == [3, 3, 3]
    assert page.find("img").attrs["src"] == "img/chart.png"
    assert page.find("ol").attrs["start"] == "3"
    markdown = (build / "guide.es.md").read_text(encoding="utf-8")
    # a draft marks what is left in English between [[ and ]], as its web page underlines it
    assert markdown.startswith('---\ntitle: "[[Dosing guide]]"\n') and "Dr. Lee" not in markdown
    assert "| \\[\\[Morning\\]\\] | \\[\\[2 tablets\\]\\] | Con comida. De verdad. |" in markdown
    pdf = build / "guide.es.pdf"
    if not pdf.exists() or shutil.which("pdftotext") is None:
        pytest.skip("PDF not built here (fonts or poppler missing): " + result.stdout[-200:])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Dr. Lee" not in text and "reviewer" not in text
    row = next(line for line in text.splitlines() if "Morning" in line)
    assert row.split() == ["Morning", "2", "tablets", "Con", "comida.", "De", "verdad."]


def test_a_file_that_is_no_raster_image_is_not_shown_whatever_its_name(project: Path) -> None:
    """An SVG (or any other file) saved as ``chart.png`` is not copied: a browser shows no image for it, while
    WeasyPrint reads what it cannot read as a raster image as SVG, which may pull in other files. The leaflet shows
    the alt text and the run says why; a real PNG beside it is shown, a logo is checked the same way."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" height="9"/></svg>'
    (project / "polyleaf.toml").write_text(
        'languages = ["es"]\nformats = ["txt", "html"]\n[leaflet]\nlogo = "logo.png"\n', encoding="utf-8"
    )
    (project / "logo.png").write_bytes(svg)
    (project / "source" / "img").mkdir()
    (project / "source" / "img" / "chart.png").write_bytes(svg)
    (project / "source" / "img" / "photo.png").write_bytes(PNG)
    (project / "source" / "guide.md").write_text("# T\n\n![A chart](img/chart.png)\n\n![A photo](img/photo.png)\n")
    output = cli(project, "run")
    assert "image 'img/chart.png' not shown: not a PNG, JPEG, GIF or WebP image" in output
    assert "logo.png: logo not shown: not a PNG, JPEG, GIF or WebP image" in output
    build = project / "build"
    assert not (build / "es" / "img" / "chart.png").exists() and not (build / "assets" / "logo.png").exists()
    page = parse((build / "es" / "guide.es.html").read_text(encoding="utf-8"))
    assert [img.attrs["src"] for img in page.iter("img")] == ["img/photo.png"]
    assert "A chart" in page.find("main").text()


@pytest.mark.slow
def test_an_image_outside_the_project_is_not_copied(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (project / "source" / "guide.md").write_text("# T\n\n![A chart](img/chart.png)\n", encoding="utf-8")
    (project / "source" / "img").mkdir()
    (project / "source" / "img" / "chart.png").symlink_to(outside)
    result = polyleaf(project, "run")
    assert result.returncode == 0, result.stderr
    assert "image 'img/chart.png' not shown" in result.stdout + result.stderr
    assert not (project / "build" / "es" / "img" / "chart.png").exists()
    page = parse((project / "build" / "es" / "guide.es.html").read_text(encoding="utf-8"))
    assert page.iter("img") == [] and "A chart" in page.find("main").text()


@pytest.mark.slow
def test_an_image_beside_the_articles_is_an_asset_not_an_article(project: Path) -> None:
    """A picture saved straight into source/ is not refused as an unsupported article."""
    (project / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["txt", "html"]\n', encoding="utf-8")
    (project / "source" / "chart.png").write_bytes(PNG)
    (project / "source" / "chart-page.md").write_text("# Chart\n\n![Dosing chart](chart.png)\n", encoding="utf-8")
    result = polyleaf(project, "run")
    assert result.returncode == 0, result.stderr
    assert (project / "build" / "es" / "chart.png").read_bytes() == PNG
    assert not (project / "locales" / "templates" / "chart.pot").exists()
