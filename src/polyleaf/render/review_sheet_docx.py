"""The bilingual review sheet as a Word document: what a clinician who works in Word fills in on screen.

The same rows as the HTML/PDF sheet (render/review_sheet.py), in one table whose header row repeats on every page,
landscape, with the sheet's version in every page's header and footer so that a returned file names the PO state
it was made from. The translation column is marked with its language (and, for Arabic and other right-to-left
scripts, right-to-left paragraphs and runs), so that Word picks the right fonts, spell checker and direction; the
comment column is empty and editable. The file's bytes depend only on the rows (zip entry dates are fixed), so a
sheet written again from the same PO state is the same file.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime

from docx import Document as new_docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it.token import Token

from polyleaf import locale
from polyleaf.render.fonts import font_stack
from polyleaf.render.review_sheet import STATE_NAMES, SheetInfo, SheetRow
from polyleaf.source.inline_structure import inline_parser

#: Paper sizes (portrait width, height) a sheet is laid out on; others fall back to A4.
_PAPER = {"A4": (Mm(210), Mm(297)), "A5": (Mm(148), Mm(210)), "LETTER": (Mm(215.9), Mm(279.4))}
#: Column widths in per cent of the text width: #, English, translation, state, QA, comment (as the HTML sheet).
_WIDTHS = (5, 27, 29, 12, 10, 17)
_HEADERS = ("#", "English", "", "State", "QA", "Comment")
_SIDE_MARGIN = Mm(12)
_GREY = RGBColor(0x5B, 0x67, 0x70)
#: The date written into every zip entry, so that the same sheet is the same bytes.
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def render_review_sheet_docx(rows: list[SheetRow], info: SheetInfo) -> bytes:
    """The sheet as the bytes of a ``.docx`` file."""
    document = new_docx()
    _set_up_pages(document, info)
    _write_properties(document, info)
    rtl = locale.direction(info.language) == "rtl"
    title = document.add_heading(level=1)
    title.add_run("Bilingual review sheet · ")
    _mark_language(title.add_run(locale.autonym(info.language)), info.language, rtl)
    document.add_paragraph(_about(rows, info)).runs[0].font.size = Pt(8)
    document.add_paragraph(
        "Read each English sentence and its translation; write corrections or questions in the Comment column. The "
        "translator applies them in the PO files. The version printed on every page is a hash of the PO files this "
        "sheet shows: polyleaf check tells whether they still say what this sheet says."
    ).runs[0].font.size = Pt(9)
    table = document.add_table(rows=1, cols=len(_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _header_row(table.rows[0], info, rtl)
    for row, sheet_row in zip(_new_rows(table, len(rows)), rows, strict=True):
        _add_row(row, sheet_row, info, rtl)
    paper = _PAPER.get(info.page_size.upper(), _PAPER["A4"])
    width = paper[1] - 2 * _SIDE_MARGIN
    table.autofit = False
    _set_widths(table, [int(width * share / 100) for share in _WIDTHS])
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_dates(buffer.getvalue())


def _set_up_pages(document: WordDocument, info: SheetInfo) -> None:
    section = document.sections[0]
    portrait = _PAPER.get(info.page_size.upper(), _PAPER["A4"])
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = portrait[1], portrait[0]
    section.left_margin = section.right_margin = _SIDE_MARGIN
    section.top_margin = section.bottom_margin = Mm(16)
    short = info.version[:12]
    english = locale.english_name(info.language)
    header = f"Bilingual review sheet · {info.project} · {english} ({info.language}) · version {short}"
    footer = f"Sheet version {short} · {info.generated} · polyleaf check tells whether the PO files still match it"
    for paragraph, text in ((section.header.paragraphs[0], header), (section.footer.paragraphs[0], footer)):
        run = paragraph.add_run(text)
        run.font.size = Pt(7.5)
        run.font.color.rgb = _GREY


def _write_properties(document: WordDocument, info: SheetInfo) -> None:
    """Title, author and the version as the file's properties (no dates: the sheet's date is printed on it)."""
    properties = document.core_properties
    properties.title = f"Bilingual review sheet · {locale.english_name(info.language)} ({info.language})"
    properties.author = properties.last_modified_by = info.project
    properties.subject = f"sheet version {info.version}"
    properties.revision = 1
    properties.created = properties.modified = datetime(2000, 1, 1)


def _about(rows: list[SheetRow], info: SheetInfo) -> str:
    counts = {state: sum(1 for row in rows if row.kind != "document" and row.state == state) for state in STATE_NAMES}
    return (
        f"{info.project} · {locale.english_name(info.language)} ({info.language}) · {info.generated} · sheet version "
        f"{info.version[:12]} · {counts['reviewed']} reviewed, {counts['machine']} machine-translated, "
        f"{counts['changed']} with changed English, {counts['untranslated']} not translated"
    )


def _header_row(row: _Row, info: SheetInfo, rtl: bool) -> None:
    """The column names, a header row Word repeats on every page."""
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, name in zip(row.cells, _HEADERS, strict=True):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(name or locale.autonym(info.language))
        run.bold = True
        run.font.size = Pt(8)
        if not name:
            _mark_language(run, info.language, rtl)
        _shade(cell, "D7E3EA")


def _add_row(row: _Row, sheet_row: SheetRow, info: SheetInfo, rtl: bool) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never cut by a page break
    cells = row.cells
    if sheet_row.kind == "document":
        merged = _one_cell(row)
        paragraph = merged.paragraphs[0]
        paragraph.add_run(sheet_row.english).bold = True
        paragraph.add_run(f" ({sheet_row.document})").font.color.rgb = _GREY
        _shade(merged, "E4ECF0")
        return
    bold = sheet_row.kind == "heading"
    _text(cells[0].paragraphs[0], str(sheet_row.number), bold=True)
    if sheet_row.where:
        _text(cells[0].add_paragraph(), sheet_row.where, size=6.5)
    _marked_up(cells[1].paragraphs[0], sheet_row.english, bold=bold)
    translation = cells[2].paragraphs[0]
    _in_language(_marked_up(translation, sheet_row.translation, bold=bold), translation, info.language, rtl)
    for source, text in sheet_row.suggestions:
        _text(cells[2].add_paragraph(), source, size=6.5)
        suggestion = cells[2].add_paragraph()
        _in_language(_marked_up(suggestion, text, size=8), suggestion, info.language, rtl)
    _text(cells[3].paragraphs[0], STATE_NAMES.get(sheet_row.state, sheet_row.state), size=8)
    if sheet_row.previous:
        _marked_up(cells[3].add_paragraph(), f"“{sheet_row.previous}”", size=8)
    for number, finding in enumerate(sheet_row.findings):
        paragraph = cells[4].paragraphs[0] if number == 0 else cells[4].add_paragraph()
        _text(paragraph, finding, size=7)
    if bold:
        for cell in cells[:3]:
            _shade(cell, "EEF3F6")


def _set_widths(table: Table, widths: list[int]) -> None:
    """The columns' widths in the grid, which LibreOffice reads, and in each cell, which Word reads (a cell spanning
    columns takes its last column's, as setting each column's cells one column after another leaves it)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    in_grid = [column.width for column in table.columns]  # as the grid keeps them (in twips)
    for tr in table._tbl.tr_lst:
        end = 0
        for tc in tr.tc_lst:
            end += tc.grid_span
            tc.width = in_grid[end - 1]


def _new_rows(table: Table, count: int) -> Iterator[_Row]:
    """``count`` rows added to the table one by one, each a copy of an empty one (python-docx's ``add_row`` makes
    each of its cells from its XML text)."""
    if count:
        empty = table.add_row()._tr  # type: ignore[no-untyped-call]  # python-docx does not annotate it
        blank = copy.deepcopy(empty)
        yield _Row(empty, table)
    for _ in range(count - 1):
        tr = copy.deepcopy(blank)
        table._tbl.append(tr)
        yield _Row(tr, table)


def _one_cell(row: _Row) -> _Cell:
    """The new, empty row's cells merged into one, as ``_Cell.merge`` merges them: the first takes the others' grid
    columns, and they go (its width is set with every cell's: ``_set_widths``). ``merge`` finds the row by walking
    every row of the table: a library's sheet, a title row per document, took a time growing with the square of
    its rows."""
    first, *others = row._tr.tc_lst
    for other in others:
        first.grid_span += other.grid_span
        row._tr.remove(other)
    return _Cell(first, row.table)


def _text(paragraph: Paragraph, text: str, *, bold: bool = False, size: float = 9) -> Run:
    run = paragraph.add_run(text)
    run._r.insert(0, copy.deepcopy(_run_properties(bold, size)))
    return run


@functools.cache
def _run_properties(bold: bool, size: float) -> CT_RPr:
    """The properties of a run in bold or not, of ``size`` points, made once (python-docx looks for where each
    one goes among every property a run may have: a third of a sheet's time went into setting these two)."""
    run = Run(OxmlElement("w:r"), None)  # type: ignore[arg-type]  # no paragraph: only its properties are kept
    run.bold = bold
    run.font.size = Pt(size)
    properties = run._r.rPr
    assert properties is not None
    return properties


#: markdown-it token types that switch a run style on or off.
_STYLES = {"strong": "bold", "em": "italic", "s": "strike", "link": "underline"}


def _marked_up(paragraph: Paragraph, text: str, *, bold: bool = False, size: float = 9) -> list[Run]:
    """Inline Markdown as Word runs: strong, emphasis, strikethrough and links styled (a link's target after its
    text when the text is not the target), code in a fixed-width font; the markup itself never shown."""
    runs: list[Run] = []
    on: set[str] = {"bold"} if bold else set()
    link = ("", 0)  # the open link's target, and its first run
    for token in _inline_tokens(text):
        kind = token.type.removesuffix("_open").removesuffix("_close")
        if kind in _STYLES:
            opening = token.type.endswith("_open")
            (on.add if opening else on.discard)(_STYLES[kind])
            if kind == "link" and opening:
                link = (str(token.attrGet("href") or ""), len(runs))
            elif kind == "link" and link[0] not in "".join(run.text for run in runs[link[1] :]):
                runs.append(_text(paragraph, f" ({link[0]})", size=size))
            continue
        shown = {"softbreak": " ", "hardbreak": "\n"}.get(token.type, token.content)
        if not shown:
            continue
        run = _text(paragraph, shown, bold="bold" in on, size=size)
        run.italic = "italic" in on or None
        run.font.strike = "strike" in on or None
        run.underline = "underline" in on or None
        if token.type == "code_inline":
            run.font.name = "DejaVu Sans Mono"
        runs.append(run)
    return runs or [_text(paragraph, "", bold=bold, size=size)]


def _inline_tokens(text: str) -> list[Token]:
    parser = inline_parser()
    return [child for token in parser.parseInline(text, {}) for child in token.children or []]


def _in_language(runs: list[Run], paragraph: Paragraph, language: str, rtl: bool) -> None:
    """A translation's paragraph and runs marked with its language, right to left where the script is."""
    for run in runs:
        _mark_language(run, language, rtl)
    if rtl:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))


def _mark_language(run: Run, language: str, rtl: bool) -> None:
    """``w:lang`` (and ``w:rtl``) on a run, and the leaflets' body family for its script as its font."""
    properties = run._r.get_or_add_rPr()
    family = font_stack(language).body[0]
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), family)
    properties.insert(0, fonts)
    if rtl:
        properties.append(OxmlElement("w:rtl"))
    tag = OxmlElement("w:lang")
    bcp47 = locale.html_lang(language)
    tag.set(qn("w:bidi" if rtl else ("w:eastAsia" if font_stack(language).script == "Hans" else "w:val")), bcp47)
    properties.append(tag)


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with a fixed date on every entry (python-docx stamps the time of writing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
