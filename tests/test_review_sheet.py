"""The bilingual review sheet (issue 24 item 3): ``polyleaf review-sheet`` writes, per language, an HTML page and a
PDF in ``build/review/`` — segment number, English, translation, state, QA findings, an empty comment column, in
document order, headings as section rows, right-to-left and Chinese laid out as in the leaflets, its version on
every page — and ``check`` says which sheet the PO files match once a translator applied a clinician's marks.
Through the command line, in process.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from arabic_leaflets import comparable, words
from helpers import REPO, Node, copied_project, parse, po_path
from pdf_bytes import embedded_fonts
from polyleaf.catalog import model as catalog
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from tm_library import Sentence, leaflet, name_of, review, write_library

FIRST, SECOND = 0, 17  # ibuprofen for the knee, paracetamol for the shoulder
CHANGED = leaflet(FIRST)[4].texts["en"]  # "Take ibuprofen with food to protect your stomach."
NEW_ENGLISH = CHANGED.replace("Take", "Always take")
DOSE = leaflet(FIRST)[2]  # "Take 600 mg of ibuprofen every 12 hours."
SECOND_DOSE = leaflet(SECOND)[2]  # "Take 800 mg of paracetamol every 12 hours."
MRI = leaflet(FIRST)[11].texts["en"]  # "An MRI scan may be needed if the pain in your knee does not improve."
MRI_AR = "قد تحتاج إلى فحص MRI إذا لم يتحسن ألم الركبة."


def invoke(root: Path, *arguments: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *arguments])


def with_translation(sentences: list[Sentence], language: str) -> list[Sentence]:
    return [sentence for sentence in sentences if sentence.texts[language]]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two leaflets in es, ar and zh_Hans: the first two thirds of what the library translates reviewed, the rest
    machine translations, untranslated where the library has nothing; then one English sentence edited."""
    root = tmp_path_factory.mktemp("sheet") / "project"
    (root / "source").mkdir(parents=True)
    (root / "locales").mkdir()
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    config = 'project_name = "Clinic"\nlanguages = ["es", "ar", "zh_Hans"]\nformats = ["txt"]\n'
    (root / "polyleaf.toml").write_text(config, encoding="utf-8")
    written = write_library(root / "source", (FIRST, SECOND))
    runner.run(load_config(root), steps=frozenset({"extract", "update"}))
    for language in ("es", "ar", "zh_Hans"):
        for name, sentences in written.items():
            translated = with_translation(sentences, language)
            half = len(translated) * 2 // 3
            po = po_path(root, language, name)
            review(po, {sentence.texts["en"]: sentence.texts[language] for sentence in translated[:half]})
            machine = {sentence.texts["en"]: sentence.texts[language] for sentence in translated[half:]}
            review(po, machine, fuzzy=True, comment="mt: fake en-x 1")
    review(po_path(root, "ar", name_of(FIRST)), {MRI: MRI_AR})
    source = root / "source" / f"{name_of(FIRST)}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(CHANGED, NEW_ENGLISH), encoding="utf-8")
    runner.run(load_config(root), steps=frozenset({"extract", "update"}))
    return root


def sheet_rows(root: Path, language: str, stem: str = "review-sheet") -> list[Node]:
    html = (root / "build" / "review" / language / f"{stem}.{language}.html").read_text(encoding="utf-8")
    return parse(html).find("tbody").iter("tr")


def cells(row: Node) -> dict[str, Node]:
    return {str(cell.attrs.get("class")): cell for cell in row.iter("td")}


def numbered(rows: list[Node]) -> list[Node]:
    return [row for row in rows if "document" not in str(row.attrs.get("class"))]


def english(row: Node) -> str:
    return " ".join(cells(row)["english"].text().split())


def test_the_sheet_lists_every_segment_in_document_order_with_its_state(project: Path, tmp_path: Path) -> None:
    root = copied_project(project, tmp_path)
    result = invoke(root, "review-sheet", "--lang", "es", "--no-pdf", "--json")
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert Path(record["html"]) == root / "build" / "review" / "es" / "review-sheet.es.html"
    assert record["pdf"] is None
    rows = sheet_rows(root, "es")
    documents = [" ".join(row.text().split()) for row in rows if "document" in str(row.attrs.get("class"))]
    assert documents[0].startswith("Ibuprofen for knee pain (leaflet-00000.po)")
    assert documents[1].startswith("Paracetamol for shoulder pain (leaflet-00017.po)")
    assert documents[2:] == ["Disclaimer (every leaflet) (disclaimer.po)", "The leaflet's own words (interface.po)"]
    segments = numbered(rows)
    assert record["segments"] == len(segments)
    assert [int(cells(row)["number"].text().split("line")[0]) for row in segments] == list(range(1, len(segments) + 1))
    expected = [sentence.texts["en"] for sentence in leaflet(FIRST)]
    expected[expected.index(CHANGED)] = NEW_ENGLISH
    assert [english(row) for row in segments[: len(expected)]] == expected  # the title first, then in order
    kinds = [str(row.attrs["class"]).split()[0] for row in segments[: len(expected)]]
    assert kinds == ["heading" if sentence.kind != "sentence" else "segment" for sentence in leaflet(FIRST)]
    states = {english(row): str(row.attrs["class"]).split()[1] for row in segments}
    translated = with_translation(leaflet(FIRST), "es")
    assert states[translated[0].texts["en"]] == "state-reviewed"
    assert states[translated[-1].texts["en"]] == "state-machine"
    assert states[NEW_ENGLISH] == "state-changed"
    assert states["Segments not reviewed"] == "state-untranslated"
    assert any("informational purposes only" in text for text in states)  # the disclaimer is reviewed too
    changed = next(row for row in segments if english(row) == NEW_ENGLISH)
    assert CHANGED in cells(changed)["state"].text()  # the English its translation was made for
    assert all(not cells(row)["comment"].children for row in segments)


def test_right_to_left_and_findings_quoting_arabic_are_laid_out_for_print(project: Path, tmp_path: Path) -> None:
    root = copied_project(project, tmp_path)
    wrong = DOSE.texts["ar"].replace("600", "60")
    review(po_path(root, "ar", name_of(FIRST)), {DOSE.texts["en"]: wrong})
    result = invoke(root, "review-sheet", "--lang", "ar", "--doc", name_of(FIRST), "--no-pdf")
    assert result.exit_code == 0, result.output
    rows = numbered(sheet_rows(root, "ar", f"review-sheet.{name_of(FIRST)}"))
    by_english = {english(row): cells(row) for row in rows}
    dose = by_english[DOSE.texts["en"]]
    assert dose["translation"].attrs["lang"] == "ar" and dose["translation"].attrs["dir"] == "rtl"
    assert dose["english"].attrs["lang"] == "en"
    finding = dose["qa"].find("li")
    assert "[numbers]" in finding.text()
    assert [span.attrs.get("dir") for span in finding.iter("span")] == ["rtl"]  # "ملغ" reads right to left
    assert [span.text() for span in by_english[MRI]["translation"].iter("span") if span.attrs.get("dir")] == ["MRI"]
    assert len(rows) == len(leaflet(FIRST))  # a sheet of one document: no disclaimer, no leaflet's own words


#: What the names of the fonts of each script have in them (installed or packaged with polyleaf).
SCRIPT_FONTS = {"ar": ("Arabic", "Amiri"), "zh_Hans": ("-SC", "CJK")}


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


@pytest.mark.slow
def test_the_pdf_of_arabic_and_chinese_prints_the_version_on_every_page(project: Path, tmp_path: Path) -> None:
    root = copied_project(project, tmp_path)
    result = invoke(root, "review-sheet", "--lang", "ar", "--lang", "zh_Hans", "--json")
    assert result.exit_code == 0, result.output
    for record in json.loads(result.stdout):
        language = record["language"]
        pdf = Path(record["pdf"])
        pages = page_texts(pdf)
        assert len(pages) > 1
        assert all(record["version"][:12] in page for page in pages)
        assert all("English" in page and "Comment" in page for page in pages)  # the header row repeats
        title = leaflet(FIRST)[0].texts[language]
        assert words(title) in words(comparable(pages[0]))
        fonts = embedded_fonts(pdf.read_bytes())
        assert any(script in name for name in fonts for script in SCRIPT_FONTS[language]), fonts


def sheet_findings(root: Path) -> list[dict[str, object]]:
    result = invoke(root, "check", "--lang", "es", "--json")
    assert result.exit_code in (0, 1), result.output
    return [item for item in json.loads(result.stdout) if item["check"] == "review-sheet"]


@pytest.mark.slow
def test_check_says_which_sheet_the_po_files_match(project: Path, tmp_path: Path) -> None:
    root = copied_project(project, tmp_path)
    assert sheet_findings(root) == []  # no sheet yet
    first = json.loads(invoke(root, "review-sheet", "--lang", "es", "--no-pdf", "--json").stdout)[0]["version"]
    [matching] = sheet_findings(root)
    assert matching["path"] == "build/review/es/review-sheet.es.html"
    assert f"match this review sheet (version {first[:12]}" in str(matching["message"])
    po = po_path(root, "es", name_of(SECOND))
    review(po, {SECOND_DOSE.texts["en"]: "Tome 800 mg."})
    [changed] = sheet_findings(root)
    message = str(changed["message"])
    line = next(entry.line for entry in catalog.read_po(po).entries() if entry.msgstr == "Tome 800 mg.")
    assert "match no review sheet: 1 entry changed" in message
    assert f"locales/es/LC_MESSAGES/{name_of(SECOND)}.po:{line}" in message
    second = json.loads(invoke(root, "review-sheet", "--lang", "es", "--no-pdf", "--json").stdout)[0]["version"]
    assert second != first
    assert invoke(root, "update").exit_code == 0  # a run rewrites comments and dates, not the state
    [again] = sheet_findings(root)
    assert f"match this review sheet (version {second[:12]}" in str(again["message"])


def test_a_broken_po_file_is_one_line_naming_it_and_no_sheet_is_written(project: Path, tmp_path: Path) -> None:
    root = copied_project(project, tmp_path)
    po = po_path(root, "es", name_of(FIRST))
    po.write_text(po.read_text(encoding="utf-8") + 'msgid "unterminated\n', encoding="utf-8")
    result = invoke(root, "review-sheet", "--lang", "es", "--no-pdf")
    assert result.exit_code != 0
    [line] = result.output.strip().splitlines()
    assert f"locales/es/LC_MESSAGES/{name_of(FIRST)}.po:" in line
    assert not (root / "build" / "review").exists()


def word_rows(path: Path) -> list[list[str]]:
    """The text of each cell of the Word sheet's table, header row first (a merged row: one cell)."""
    import docx

    [table] = docx.Document(str(path)).tables
    rows = []
    for row in table.rows:
        merged: dict[int, str] = {}  # a merged cell appears once per column it spans
        for cell in row.cells:
            merged.setdefault(id(cell._tc), cell.text)
        rows.append(list(merged.values()))
    return rows


def test_the_word_sheet_has_the_rows_of_the_html_sheet_and_marks_arabic_right_to_left(
    project: Path, tmp_path: Path
) -> None:
    import docx
    from docx.oxml.ns import qn

    root = copied_project(project, tmp_path)
    result = invoke(root, "review-sheet", "--lang", "ar", "--no-pdf", "--json")
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    path = root / "build" / "review" / "ar" / "review-sheet.ar.docx"
    assert Path(record["docx"]) == path
    html_rows = sheet_rows(root, "ar")
    rows = word_rows(path)
    assert rows[0][:2] == ["#", "English"] and rows[0][-1] == "Comment"
    assert len(rows) == 1 + len(html_rows)
    documents = [row[0] for row in rows[1:] if len(row) == 1]
    assert documents[0] == "Ibuprofen for knee pain (leaflet-00000.po)"
    segments = [row for row in rows[1:] if len(row) == 6]
    assert [row[1] for row in segments] == [english(row) for row in numbered(html_rows)]
    by_english = {row[1]: row for row in segments}
    assert by_english[MRI][2] == MRI_AR
    assert by_english[NEW_ENGLISH][3].startswith("the English changed") and CHANGED in by_english[NEW_ENGLISH][3]
    assert all(row[5] == "" for row in segments)  # the comment column is the clinician's
    word = docx.Document(str(path))
    version = record["version"][:12]
    assert version in word.sections[0].header.paragraphs[0].text
    assert version in word.sections[0].footer.paragraphs[0].text
    [table] = word.tables
    mri = next(row for row in table.rows if row.cells[1].text == MRI).cells[2].paragraphs[0]
    assert mri._p.pPr.find(qn("w:bidi")) is not None  # a right-to-left paragraph
    properties = mri.runs[0]._r.rPr
    assert properties.find(qn("w:rtl")) is not None and properties.find(qn("w:lang")).get(qn("w:bidi")) == "ar"
    english_run = next(row for row in table.rows if row.cells[1].text == MRI).cells[1].paragraphs[0].runs[0]._r
    assert english_run.rPr is None or english_run.rPr.find(qn("w:rtl")) is None


def test_the_word_sheet_is_the_same_file_until_a_translation_changes(project: Path, tmp_path: Path) -> None:
    root = copied_project(project, tmp_path)
    path = root / "build" / "review" / "es" / "review-sheet.es.docx"
    assert invoke(root, "review-sheet", "--lang", "es", "--no-pdf").exit_code == 0
    first = path.read_bytes()
    assert invoke(root, "review-sheet", "--lang", "es", "--no-pdf").exit_code == 0
    assert path.read_bytes() == first  # written again from the same PO state: the same bytes
    review(po_path(root, "es", name_of(FIRST)), {DOSE.texts["en"]: DOSE.texts["es"].replace("Tome", "Tomar")})
    assert invoke(root, "review-sheet", "--lang", "es", "--no-pdf").exit_code == 0
    changed = word_rows(path)
    assert path.read_bytes() != first
    assert [row[2] for row in changed if len(row) == 6 and row[1] == DOSE.texts["en"]] == [
        DOSE.texts["es"].replace("Tome", "Tomar")
    ]


def test_the_language_name_in_the_web_sheets_title_is_set_in_a_font_of_its_script(
    project: Path, tmp_path: Path
) -> None:
    """A browser has only the fonts the page declares: "中文 (简体)" in the title and the column head must use the
    Chinese face, not the English heading face (which has no Chinese: tofu on a machine without CJK fonts)."""
    import re

    from polyleaf.render.fonts import font_stack

    root = copied_project(project, tmp_path)
    assert invoke(root, "review-sheet", "--lang", "zh_Hans", "--no-pdf").exit_code == 0
    html = (root / "build" / "review" / "zh_Hans" / "review-sheet.zh_Hans.html").read_text(encoding="utf-8")
    rule = re.search(r"h1 span\[lang\], th span\[lang\] \{ font-family: ([^;]+);", html)
    assert rule is not None
    assert rule.group(1).startswith(f'"{font_stack("zh_Hans").heading[0]}"')
    assert parse(html).find("h1").find("span").attrs["lang"] == "zh-Hans"


def test_the_word_sheet_is_the_file_python_docx_makes_with_its_own_merge_and_column_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The title rows are merged and the cells sized without python-docx's walks over the whole table (each merge
    found its row among all of them: a library's sheet took a time growing with the square of its rows), rows are
    copies of an empty one and runs take copies of their properties: the file is the one python-docx's own calls
    make."""
    from collections.abc import Iterator

    from docx.shared import Pt
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from polyleaf.render import review_sheet_docx
    from polyleaf.render.review_sheet import SheetInfo, SheetRow

    rows = [
        row
        for number in range(1, 4)
        for row in (
            SheetRow("document", english=f"Leaflet {number}", document=f"leaflet-{number}.po"),
            SheetRow("heading", number, "Dosage", "Posología", "reviewed"),
            SheetRow("segment", number + 10, "Take **600 mg** daily.", "Tome **600 mg** al día.", "machine"),
            SheetRow("segment", number + 20, "See `code`.", "Vea `code`.", "changed", previous="See code."),
            SheetRow(
                "segment",
                number + 30,
                "Read [the label](https://example.org).",
                "Lea *la etiqueta*.",
                "machine",
                where=f"leaflet-{number}.po:{number * 7}",
                suggestions=(("argos", "Lea ~~la~~ etiqueta."), ("memory", "")),
                findings=("a number differs", "markup lost"),
            ),
        )
    ]
    # Arabic too (right-to-left runs and paragraphs), and a sheet with no rows
    sheets = {
        (language, count): review_sheet_docx.render_review_sheet_docx(
            rows[:count], SheetInfo(language, "en", "clinic", "0123456789abcdef", "7 December 2026")
        )
        for language in ("es", "ar")
        for count in (0, len(rows))
    }
    ours = sheets["es", len(rows)]

    def merged(row: _Row) -> object:
        return row.cells[0].merge(row.cells[-1])

    def widths(table: Table, given: list[int]) -> None:
        for column, width in zip(table.columns, given, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = column.width

    def new_rows(table: Table, count: int) -> Iterator[_Row]:
        return (table.add_row() for _ in range(count))  # type: ignore[no-untyped-call]

    def text(paragraph: Paragraph, text: str, *, bold: bool = False, size: float = 9) -> Run:
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        return run

    monkeypatch.setattr(review_sheet_docx, "_one_cell", merged)
    monkeypatch.setattr(review_sheet_docx, "_set_widths", widths)
    monkeypatch.setattr(review_sheet_docx, "_new_rows", new_rows)
    monkeypatch.setattr(review_sheet_docx, "_text", text)
    for (language, count), expected in sheets.items():
        info = SheetInfo(language, "en", "clinic", "0123456789abcdef", "7 December 2026")
        assert review_sheet_docx.render_review_sheet_docx(rows[:count], info) == expected
    with zipfile.ZipFile(io.BytesIO(ours)) as sheet:
        xml = sheet.read("word/document.xml").decode()
    assert xml.count('w:gridSpan w:val="6"') == 3 and xml.count("</w:tr>") == 1 + len(rows)
