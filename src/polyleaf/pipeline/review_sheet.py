"""``polyleaf review-sheet``: the bilingual review sheet of a language, as HTML, PDF and Word (which sheet a PO state
matches, for ``check``, is ``sheet_versions``).

A sheet shows the PO files as they are on disk (what a translator sent), in the order of the source documents,
each distinct English sentence of a document once, the standard disclaimer and the leaflet's own words last when
the sheet covers every document. Its *version* is the SHA-256 of that PO state: every entry of the catalogs it
shows — English, translation, fuzzy flag, the previous English of a changed one — so it changes when a translation
or a state changes, and not when a run rewrites a QA note or a date. Every sheet written is recorded in
``build/review/sheets.json`` (its version, date, documents, and a short hash of each entry); ``check`` says, for
each language that has sheets, which one the PO files match now, or which entries changed since the last one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from polyleaf.catalog.model import Catalog, EntryState
from polyleaf.catalog.tmcomments import memory_suggestion
from polyleaf.config.model import Config
from polyleaf.fsio import project_lock, write_if_changed
from polyleaf.glossary import load_glossary
from polyleaf.pipeline.catalogs import read_catalogs
from polyleaf.pipeline.review import check_catalog
from polyleaf.pipeline.sheet_versions import REVIEW_DIR, entry_hashes, record, state_version, today
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources
from polyleaf.project import DISCLAIMER, INTERFACE
from polyleaf.qa.model import Diagnostic
from polyleaf.render.review_sheet import SheetInfo, SheetRow
from polyleaf.source.document import Document


@dataclass(frozen=True, slots=True)
class Written:
    """A sheet written: its language, documents, version, and files."""

    language: str
    documents: tuple[str, ...]
    version: str
    html: Path
    pdf: Path | None
    docx: Path
    rows: int


def review_sheets(config: Config, selection: Selection = EVERYTHING, *, pdf: bool = True) -> list[Written]:
    """Write the review sheet of every selected language (HTML and Word, and PDF unless ``pdf`` is false) and
    record it."""
    from polyleaf.render.pdf import render_pdf
    from polyleaf.render.review_sheet import render_review_sheet
    from polyleaf.render.review_sheet_docx import render_review_sheet_docx

    languages = selection.languages_of(config)
    sources = load_sources(config, selection.documents)
    documents = list(sources.documents)
    shared = [] if selection.documents else [sources.disclaimer]
    names = [document.name for document in documents] + ([DISCLAIMER, INTERFACE] if shared else [])
    catalogs = read_catalogs(config, languages, names)
    glossary = load_glossary(config.glossary)
    written = []
    with project_lock(config.root, config.written_folders):
        for language in languages:
            mine = {name: catalogs[language, name] for name in names if (language, name) in catalogs}
            findings = {
                name: [d for d in check_catalog(config, glossary, cat, language) if _shown_finding(d)]
                for name, cat in mine.items()
            }
            rows = sheet_rows([*documents, *shared], mine, findings)
            version = state_version(mine)
            info = SheetInfo(language, config.source_language, config.publisher, version, today(), config.page_size)
            html_path, pdf_path, docx_path = sheet_paths(config, language, selection.documents)
            _copy_fonts(config, language)
            html = render_review_sheet(rows, info, "../../fonts/")
            write_if_changed(html_path, html.encode("utf-8"), within=config.build_dir)
            write_if_changed(docx_path, render_review_sheet_docx(rows, info), within=config.build_dir)
            made_pdf = None
            if pdf:
                data = render_pdf(render_review_sheet(rows, info), base_url=html_path.parent)
                write_if_changed(pdf_path, data, within=config.build_dir)
                made_pdf = pdf_path
            record(
                config,
                language,
                tuple(selection.documents),
                version,
                entry_hashes(mine),
                [docx_path, html_path, made_pdf],
            )
            count = sum(1 for row in rows if row.kind != "document")
            written.append(
                Written(language, tuple(selection.documents), version, html_path, made_pdf, docx_path, count)
            )
    return written


def _shown_finding(diagnostic: Diagnostic) -> bool:
    return diagnostic.severity in ("error", "warning") and not diagnostic.waived


def sheet_paths(config: Config, language: str, documents: Sequence[str]) -> tuple[Path, Path, Path]:
    """``build/review/<lang>/review-sheet.<lang>.{html,pdf,docx}``; a sheet of some documents names them."""
    stem = "review-sheet" + "".join(f".{name}" for name in documents)
    folder = config.build_dir / REVIEW_DIR / language
    base = folder / f"{stem}.{language}"
    return base.with_name(base.name + ".html"), base.with_name(base.name + ".pdf"), base.with_name(base.name + ".docx")


def _copy_fonts(config: Config, language: str) -> None:
    """The font files the sheet's web page links (``build/fonts/``, where the leaflets' pages find them too)."""
    from polyleaf.pipeline.output import FONTS_DIR
    from polyleaf.render.fonts import font_stack

    for face in dict.fromkeys((*font_stack(config.source_language).faces, *font_stack(language).faces)):
        write_if_changed(config.build_dir / FONTS_DIR / face.path.name, face.path.read_bytes(), within=config.build_dir)


# ----------------------------------------------------------------------------------------------- rows


def sheet_rows(
    documents: Sequence[Document], catalogs: dict[str, Catalog], findings: dict[str, list[Diagnostic]]
) -> list[SheetRow]:
    """The rows of one language's sheet: a row naming each document and its PO file, then its title, headings and
    sentences in order (each distinct English once); then the leaflet's own words when ``catalogs`` has them."""
    rows: list[SheetRow] = []
    number = 0
    for document in documents:
        name = document.name
        cat = catalogs.get(name)
        entries = {entry.msgid: entry for entry in cat.entries()} if cat is not None else {}
        notes: dict[str, list[str]] = {}
        for diagnostic in findings.get(name, []):
            notes.setdefault(diagnostic.msgid, []).append(f"[{diagnostic.check}] {diagnostic.message}")
        heading = "Disclaimer (every leaflet)" if name == DISCLAIMER else document.title
        po_file = f"{name}.po" if cat is None else cat.path.name
        rows.append(SheetRow("document", english=heading, document=po_file))
        seen: set[str] = set()
        for kind, text in _segments(document):
            if text in seen:
                continue
            seen.add(text)
            number += 1
            rows.append(_row(kind, number, text, entries.get(text), (cat, notes.get(text, []))))
    interface = catalogs.get(INTERFACE)
    if interface is not None:
        rows.append(SheetRow("document", english="The leaflet's own words", document=interface.path.name))
        for entry in interface.entries():
            number += 1
            rows.append(_row("segment", number, entry.msgid, entry, (interface, [])))
    return rows


def _segments(document: Document) -> Iterator[tuple[str, str]]:
    """(heading or segment, English) of every segment of the document, its title a heading; a leaflet's own
    disclaimer aside (the standard one's catalog translates it)."""
    for block in document.blocks:
        if block.is_disclaimer and document.name != DISCLAIMER:
            continue
        for segment in block.segments:
            yield ("heading" if block.kind in ("title", "heading") else "segment"), segment.text


def _row(
    kind: str, number: int, english: str, entry: EntryState | None, where: tuple[Catalog | None, list[str]]
) -> SheetRow:
    """A heading's or sentence's row, from its entry in the PO file (``where``: the catalog and QA findings)."""
    cat, notes = where
    if entry is None or cat is None:
        return SheetRow(kind, number, english, findings=("not in the PO file yet: run polyleaf update",))
    suggestions: list[tuple[str, str]] = []
    memory = memory_suggestion(entry.comments, entry.msgid) if entry.state != "reviewed" else None
    if memory is not None:
        how = ", adapted" if memory.adapted else ""
        suggestions.append((f"from translation memory ({memory.similarity} %{how}, {memory.catalog})", memory.text))
    return SheetRow(
        kind,
        number,
        english,
        entry.msgstr,
        entry.state,
        f"line {entry.line}",
        (entry.previous_msgid or "") if entry.state == "changed" else "",
        tuple(suggestions),
        tuple(notes),
    )
