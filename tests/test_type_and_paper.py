"""Type and paper: a real bold for Simplified Chinese, the large-print edition, paper sizes, and page breaks that
never leave the disclaimer, a table's header or a caption alone. Checked on the PDFs themselves (pypdfium2: the text
of each page, font sizes, pixels)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from fontTools.ttLib import TTFont

from pdf_bytes import embedded_fonts
from polyleaf import localize
from polyleaf.config.model import load_config
from polyleaf.errors import ConfigError
from polyleaf.render import pdf as pdf_module
from polyleaf.render.fonts import font_faces_css, font_stack
from polyleaf.render.html import render_leaflet_html
from polyleaf.render.meta import LeafletImage, LeafletMeta
from polyleaf.render.pdf import render_pdf
from polyleaf.render.webfonts import font_characters, subset_woff2
from polyleaf.source.parse.markdown import parse_markdown
from release_helpers import manifest, one_leaflet_project, release, review, run

FILLER = (
    "The clinic checks the results of every scan with you at the next visit, and explains what they mean for the "
    "treatment you have chosen."
)
DISCLAIMER = "**Disclaimer:** This leaflet is for information only and does not replace the advice of your doctor."
CHINESE = {
    "Guide": "指南",
    "Diagnosis": "诊断",
    "The results are **checked** by your doctor.": "检查结果由您的医生**仔细核对**。",
    DISCLAIMER: "**提示：** 本手册仅供参考，不能代替医生的建议。",
}
CHINESE_BODY = "# Guide\n\nThe results are **checked** by your doctor.\n\n## Diagnosis\n"


def leaflet(
    body: str,
    *,
    language: str = "en",
    translations: dict[str, str] | None = None,
    edition: str = "standard",
    page_size: str = "A4",
    images: tuple[LeafletImage, ...] = (),
) -> str:
    """The HTML of a released leaflet of Markdown ``body``, with a contact block."""
    from polyleaf.catalog.model import Translation

    reviewed = {msgid: Translation(text, True) for msgid, text in (translations or {}).items()}
    disclaimer = parse_markdown(DISCLAIMER, Path("source/disclaimer.md"))
    shared = localize.edition(language, "en", True, disclaimer, reviewed, {})
    localized = localize.localize(parse_markdown(body, Path("source/guide.md")), reviewed, shared)
    meta = LeafletMeta(
        updated=dt.date(2026, 1, 2),
        project="Northside Clinic",
        contact="Telephone 0123 456 789\nnorthside.example.org",
        page_size=page_size,
        edition=edition,
        images=images,
    )
    return render_leaflet_html(localized, meta)


def page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", " ") for page in document]
    finally:
        document.close()


def without_text(page: str) -> str:
    """A page's text less its running header and footer (project, title, language, date, page number)."""
    for furniture in ("Northside Clinic", "Guide", "English", "January 2, 2026", "Language", "Updated"):
        page = page.replace(furniture, "")
    return re.sub(r"\d+ / \d+|·", "", page).strip()


@pytest.fixture(autouse=True)
def _font_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield


# --- a real bold for Simplified Chinese -------------------------------------------------------------------------


def test_chinese_headings_and_strong_are_set_in_an_embedded_bold_face() -> None:
    pdf = render_pdf(leaflet(CHINESE_BODY, language="zh_Hans", translations=CHINESE))
    fonts = embedded_fonts(pdf)
    assert "Noto-Sans-SC-polyleaf-Bold" in fonts, fonts  # a bold face of its own, not a regular one emboldened
    assert {"Noto-Sans-SC-polyleaf", "Noto-Serif-SC-polyleaf"} <= fonts
    text = "".join(page_texts(pdf))
    assert "仔细核对" in text and "诊断" in text


def _pixels(html: str) -> bytes:
    document = pypdfium2.PdfDocument(render_pdf(html))
    try:
        return bytes(document[0].render(scale=1.5).to_pil().convert("L").tobytes())
    finally:
        document.close()


def test_the_bold_face_draws_simplified_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bold comes from the Pan-CJK font (Japanese forms by default): the page's language picks the Simplified
    ones through 'locl'. 骨 and 直 are drawn differently in Japan and China."""
    monkeypatch.setattr(pdf_module, "check_fonts", lambda language: None)  # no Japanese stack here: same faces
    faces = font_faces_css([font_stack("zh_Hans")], None)

    def page(lang: str) -> str:
        style = f'{faces} p {{ font-family: "Noto Sans SC polyleaf"; font-weight: bold; font-size: 40pt }}'
        return f'<html lang="{lang}"><head><style>{style}</style></head><body><p>骨直</p></body></html>'

    simplified, japanese, again = _pixels(page("zh-Hans")), _pixels(page("ja")), _pixels(page("zh-Hans"))
    assert simplified == again
    assert simplified != japanese


def test_the_bold_face_has_a_small_web_subset() -> None:
    bold = next(face for face in font_stack("zh_Hans").faces if face.weight == "700")
    assert bold.family == "Noto Sans SC polyleaf" and bold.path.suffix == ".otf"
    digest = hashlib.sha256(bold.path.read_bytes()).hexdigest()
    wanted = frozenset(map(ord, "诊断仔细核对指南"))
    assert wanted <= frozenset(font_characters(bold.path, digest))
    subset = subset_woff2(bold.path, digest, wanted)
    assert subset.startswith(b"wOF2") and len(subset) < 100_000, len(subset)
    simplified = subset_woff2(bold.path, digest, frozenset(map(ord, "骨直")))
    with TTFont(io.BytesIO(simplified)) as font:  # a browser draws Simplified forms from the subset too
        cmap = font.getBestCmap()
        forms = _simplified_forms(font)
        assert all(forms.get(cmap[ord(char)], cmap[ord(char)]) != cmap[ord(char)] for char in "骨直"), forms


def _simplified_forms(font: TTFont) -> dict[str, str]:
    """glyph → glyph: what the font's 'locl' feature substitutes for Simplified Chinese (language system ZHS)."""
    table = font["GSUB"].table
    forms: dict[str, str] = {}
    for script in table.ScriptList.ScriptRecord:
        for system in (record for record in script.Script.LangSysRecord if record.LangSysTag == "ZHS "):
            for index in system.LangSys.FeatureIndex:
                feature = table.FeatureList.FeatureRecord[index]
                if feature.FeatureTag != "locl":
                    continue
                for lookup in feature.Feature.LookupListIndex:
                    for subtable in table.LookupList.Lookup[lookup].SubTable:
                        forms.update(getattr(getattr(subtable, "ExtSubTable", subtable), "mapping", {}))
    return forms


# --- the large-print edition and paper sizes ----------------------------------------------------------------------


def _body_font_size(pdf: bytes, needle: str) -> float:
    """The font size (pt) of the first character of ``needle`` on the first page that has it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            at = text.find(needle)
            if at >= 0:
                # WeasyPrint draws in CSS pixels (a page scaled by 0.75): pdfium gives the size in them
                return round(float(pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, at)) * 0.75, 2)
        raise AssertionError(f"{needle!r} is on no page")
    finally:
        document.close()


@pytest.mark.parametrize(
    ("language", "translations", "needle"),
    [
        ("en", {}, "The results"),
        ("zh_Hans", CHINESE, "检查结果"),
        ("es", {"The results are **checked** by your doctor.": "Su médico **revisa** los resultados."}, "Su médico"),
    ],
)
def test_large_print_sets_the_body_at_16_pt_or_more(language: str, translations: dict[str, str], needle: str) -> None:
    standard = _body_font_size(render_pdf(leaflet(CHINESE_BODY, language=language, translations=translations)), needle)
    large = _body_font_size(
        render_pdf(leaflet(CHINESE_BODY, language=language, translations=translations, edition="large-print")), needle
    )
    assert standard < 14 <= 16 <= large, (standard, large)


def _ended_leaflet(body: str, language: str = "en", **meta: Any) -> bytes:
    """The PDF of a released leaflet of Markdown ``body`` that ends with credits, the languages line, the web
    page's address and the contact block (``meta``: more LeafletMeta fields)."""
    from polyleaf.catalog.model import Translation
    from polyleaf.config.leaflet import Authorship

    reviewed = {"Guide": Translation("دليل", True)} if language == "ar" else {}
    disclaimer = parse_markdown(DISCLAIMER, Path("source/disclaimer.md"))
    shared = localize.edition(language, "en", True, disclaimer, reviewed, {})
    localized = localize.localize(parse_markdown(body, Path("source/guide.md")), reviewed, shared)
    fields: dict[str, Any] = {
        "updated": dt.date(2026, 1, 2),
        "project": "Northside Clinic",
        "contact": "Telephone 0123 456 789",
        "authorship": Authorship(author="Spine team", sources=("NICE guideline NG59",)),
        "languages": ("en", "ar"),
        "web_url": f"https://leaflets.example.org/pil/{language}/guide.{language}.html",
    }
    return render_pdf(render_leaflet_html(localized, LeafletMeta(**(fields | meta))))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_large_print_sets_the_end_of_the_leaflet_at_14_pt_or_more(language: str) -> None:
    """The credits, the web page's address (typed by hand from paper) and the languages line are read by the
    same reader as the body: in the large-print edition they are at 14 pt or more, like the contact block."""
    pdf = _ended_leaflet("# Guide\n", language, edition="large-print")
    needles = ("Spine", "NICE", "leaflets.example", "Available", "0123")  # credits, address, languages, contact
    sizes = {needle: _body_font_size(pdf, needle) for needle in needles}
    assert min(sizes.values()) >= 14, sizes


@pytest.mark.parametrize(("language", "edition"), [("en", "large-print"), ("ar", "standard")])
def test_a_long_contact_line_wraps_inside_an_a5_page(language: str, edition: str) -> None:
    """An e-mail address has no place to break a line: without one, it ran off the page and was cut."""
    address = "spine.and.musculoskeletal.rehabilitation.enquiries@northside-university-hospitals.example.org"
    pdf = _ended_leaflet("# Guide\n", language, contact=address, page_size="A5", edition=edition)
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            width = page.get_width()
            textpage = page.get_textpage()
            rights = [textpage.get_charbox(index)[2] for index in range(textpage.count_chars())]
            assert max(rights) <= width - 20, (max(rights), width)
    finally:
        document.close()


@pytest.mark.parametrize("changes", [27, 30])
def test_an_end_too_long_to_come_with_the_text_never_leaves_the_contact_block_alone(changes: int) -> None:
    """Credits, the languages line and the contact block longer than what the last page has left (a long change
    history here; large print or A5 in practice): without the groups, page 3 holds the contact block alone."""
    from polyleaf.config.leaflet import Authorship, Change

    history = tuple(Change(f"1.{n}", dt.date(2025, 1, 1 + n), f"Change number {n}.") for n in range(changes))
    pdf = _ended_leaflet(_ending(36), authorship=Authorship(author="Spine team", history=history))
    pages = page_texts(pdf)
    last = without_text(pages[-1])
    assert "Telephone 0123 456 789" in last and "Read this leaflet online" in last, pages[-1]


@pytest.mark.parametrize(("size", "points"), [("A5", (420, 595)), ("Legal", (612, 1008)), ("A4", (595, 842))])
def test_page_sizes(size: str, points: tuple[int, int]) -> None:
    document = pypdfium2.PdfDocument(render_pdf(leaflet(CHINESE_BODY, page_size=size)))
    try:
        assert tuple(round(value) for value in document[0].get_size()) == points
    finally:
        document.close()


def _project(root: Path, settings: str) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "source" / "disclaimer.txt").write_text(DISCLAIMER + "\n", encoding="utf-8")
    (root / "polyleaf.toml").write_text(f'languages = ["es"]\n{settings}', encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('page_size = "A6"\n', "page_size must be one of A4, A5, Letter, Legal, not 'A6'"),
        ('[leaflet]\neditions = ["standard", "big"]\n', "leaflet.editions: unknown edition 'big'"),
        ("[leaflet]\neditions = []\n", "leaflet.editions: must name each edition once, at least one"),
        ('[leaflet]\neditions = ["large-print", "large-print"]\n', "must name each edition once"),
        ('[leaflet]\neditions = "large-print"\n', "leaflet.editions must be a list of strings"),
    ],
)
def test_bad_paper_settings_are_one_line_errors(tmp_path: Path, settings: str, message: str) -> None:
    root = _project(tmp_path / "p", settings)
    with pytest.raises(ConfigError) as error:
        load_config(root)
    assert message in str(error.value)
    assert error.value.line == len(settings.splitlines()) + 1, error.value.line  # the line that says it


def test_a5_and_large_print_are_accepted(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", 'page_size = "A5"\n[leaflet]\neditions = ["standard", "large-print"]\n')
    config = load_config(root)
    assert config.page_size == "A5" and config.leaflet.editions == ("standard", "large-print")
    assert load_config(_project(tmp_path / "q", "")).leaflet.editions == ("standard",)


@pytest.mark.slow  # PDFs in several editions, built and released
def test_large_print_is_built_indexed_released_and_removed_like_the_other_files(tmp_path: Path) -> None:
    root = one_leaflet_project(tmp_path / "p", "Dosage\nKeep the tablets away from children.\n", ["es"])
    config_file = root / "polyleaf.toml"
    config_file.write_text(
        'languages = ["es"]\nformats = ["html", "pdf"]\n[leaflet]\neditions = ["standard", "large-print"]\n',
        encoding="utf-8",
    )
    review(root, "es", "dose")
    run(root)
    draft = root / "build" / "es"
    assert (draft / "dose.es.pdf").is_file() and (draft / "dose.es.large-print.pdf").is_file()
    index = (draft / "index.html").read_text(encoding="utf-8")
    assert 'href="dose.es.large-print.pdf">ES: Large-print PDF<' in index  # a label of interface.po
    assert _body_font_size((draft / "dose.es.large-print.pdf").read_bytes(), "ES: Keep") >= 16

    report = release(root)
    assert report.published == ["es/dose"], report.withheld
    files = manifest(root)[0]["files"]
    assert set(files) == {"es/dose.es.html", "es/dose.es.pdf", "es/dose.es.large-print.pdf"}
    released = root / "build" / "release" / "es" / "dose.es.large-print.pdf"
    assert hashlib.sha256(released.read_bytes()).hexdigest() == files["es/dose.es.large-print.pdf"]

    config_file.write_text('languages = ["es"]\nformats = ["html", "pdf"]\n', encoding="utf-8")
    run(root)
    release(root)
    assert not (draft / "dose.es.large-print.pdf").exists()  # an edition no longer configured leaves no file
    assert not released.exists()
    assert set(manifest(root)[0]["files"]) == {"es/dose.es.html", "es/dose.es.pdf"}


# --- page breaks --------------------------------------------------------------------------------------------------


def _ending(words: int) -> str:
    """Five paragraphs, then one of ``words`` words: the text's end falls anywhere on the second page."""
    last = " ".join(f"word{index}" for index in range(words))
    return "# Guide\n\n" + "\n\n".join(f"Paragraph {n}. {FILLER} {FILLER}" for n in range(5)) + f"\n\nLast {last}."


@pytest.mark.parametrize("words", [36, 48, 60, 72, 84])
def test_the_disclaimer_and_contact_never_stand_alone_on_the_last_page(words: int) -> None:
    """Without the rule these endings leave the contact block (36, 48 words) or the disclaimer and the contact
    block (60 to 84 words) alone on page 2."""
    pages = page_texts(render_pdf(leaflet(_ending(words))))
    assert len(pages) == 2
    last = without_text(pages[-1])
    assert "Telephone 0123 456 789" in last and "Disclaimer:" in last
    before = last.split("Disclaimer:")[0]
    assert re.search(r"word\d+", before), last  # the end of the text came along


ROWS = "\n".join(f"| Row{row} morning | Row{row} two tablets |" for row in range(1, 7))
TABLE = f"| Time | Dose |\n|---|---|\n{ROWS}"


@pytest.mark.parametrize("words", [10, 20, 30, 40, 50, 60])
def test_a_table_keeps_two_rows_with_its_header_on_every_page(words: int) -> None:
    """Without the rules, 10 words before the table leave row 6 alone on page 2 and 60 leave row 1 alone under
    the header on page 1."""
    body = _ending(words) + f"\n\n{TABLE}\n\nAfter the table."
    pages = page_texts(render_pdf(leaflet(body)))
    shown = [(("Time" in page and "Dose" in page), re.findall(r"Row(\d) two", page)) for page in pages]
    on_pages = [(header, rows) for header, rows in shown if rows or header]
    assert sum(len(rows) for _header, rows in on_pages) == 6
    for header, rows in on_pages:
        assert header and len(rows) >= 2, shown


def test_a_caption_stays_with_its_image_and_nearer_to_it_than_to_the_next_block(tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "img").mkdir()
    Image.new("RGB", (600, 400), (40, 90, 140)).save(tmp_path / "img" / "chart.png")
    chart = LeafletImage("img/chart.png", "img/chart.png", "0" * 64)
    table = "| Time | Dose |\n|---|---|\n| a | b |\n| c | d |"
    for words in (0, 300):
        body = _ending(words) + f'\n\n![Chart](img/chart.png "Weekly caption")\n\n{table}\n'
        document = pypdfium2.PdfDocument(render_pdf(leaflet(body, images=(chart,)), base_url=tmp_path))
        try:
            for page in document:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                images = [obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
                if "Weekly caption" not in text:
                    assert not images
                    continue
                assert len(images) == 1  # the caption is on its image's page
                image_bottom = images[0].get_bounds()[1]
                caption = textpage.get_charbox(text.index("Weekly caption"))  # left, bottom, right, top
                header = textpage.get_charbox(text.index("Time"))
                assert image_bottom - caption[3] < caption[1] - header[3]  # nearer the image than the table
        finally:
            document.close()
