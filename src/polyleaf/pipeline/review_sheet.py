"""``polyleaf review-sheet``: the bilingual review sheet of a language, as HTML, PDF and Word, and which sheet a PO
state matches (``check``).

A sheet shows the PO files as they are on disk (what a translator sent), in the order of the source documents,
each distinct English sentence of a document once, the standard disclaimer and the leaflet's own words last when
the sheet covers every document. Its *version* is the SHA-256 of that PO state: every entry of the catalogs it
shows — English, translation, fuzzy flag, the previous English of a changed one — so it changes when a translation
or a state changes, and not when a run rewrites a QA note or a date. Every sheet written is recorded in
``build/review/sheets.json`` (its version, date, documents, and a short hash of each entry); ``check`` says, for
each language that has sheets, which one the PO files match now, or which entries changed since the last one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from polyleaf import clock
from polyleaf.catalog.model import Catalog, EntryState
from polyleaf.catalog.tmcomments import memory_suggestion
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.fsio import project_lock, read_or_none, write_if_changed
from polyleaf.glossary import load_glossary
from polyleaf.jsonio import load_json
from polyleaf.pipeline.catalogs import Catalogs, read_catalogs
from polyleaf.pipeline.review import check_catalog
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources
from polyleaf.po.pocomments import short_hash
from polyleaf.project import DISCLAIMER, INTERFACE
from polyleaf.qa import Diagnostic
from polyleaf.render.review_sheet import SheetInfo, SheetRow
from polyleaf.source.document import Document

#: The folder of the sheets, below the build folder.
REVIEW_DIR = "review"
#: The record of the sheets written: ``build/review/sheets.json``.
RECORD = "sheets.json"
#: How many versions of one sheet (a language and its documents) the record keeps.
_KEPT = 20
#: The check that reports which sheet a PO state matches.
SHEET_CHECK = "review-sheet"


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
    with project_lock(config.root):
        for language in languages:
            mine = {name: catalogs[language, name] for name in names if (language, name) in catalogs}
            findings = {
                name: [d for d in check_catalog(config, glossary, cat, language) if _shown_finding(d)]
                for name, cat in mine.items()
            }
            rows = sheet_rows([*documents, *shared], mine, findings)
            version = state_version(mine)
            info = SheetInfo(language, config.source_language, config.publisher, version, _today(), config.page_size)
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


def _today() -> str:
    return clock.now().date().isoformat()


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


# ----------------------------------------------------------------------------------------------- versions


def _states(catalogs: dict[str, Catalog]) -> Iterator[tuple[str, str, str, EntryState]]:
    """(catalog, entry key, entry state, entry) of every active entry, in file order: what a version covers."""
    for name in sorted(catalogs):
        for entry in catalogs[name].entries():
            key = json.dumps([entry.msgctxt, entry.msgid], ensure_ascii=False)
            state = json.dumps([entry.msgstr, entry.fuzzy, entry.previous_msgid], ensure_ascii=False)
            yield name, key, state, entry


def state_version(catalogs: dict[str, Catalog]) -> str:
    """The SHA-256 of the PO state of ``catalogs``: every entry's English, translation, fuzzy flag and previous
    English (not its comments, line numbers or dates)."""
    digest = hashlib.sha256()
    for name, key, state, _entry in _states(catalogs):
        digest.update(json.dumps([name, key, state], ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def entry_hashes(catalogs: dict[str, Catalog]) -> dict[str, str]:
    """A short hash of each entry's state, by a short hash of its catalog and English: what ``check`` compares to
    say which entries changed since a sheet."""
    return {short_hash(f"{name}\x04{key}"): short_hash(state) for name, key, state, _entry in _states(catalogs)}


def _record_path(config: Config) -> Path:
    return config.build_dir / REVIEW_DIR / RECORD


def _records(config: Config) -> list[dict[str, object]]:
    """The sheets recorded (an unreadable record is no record: it only ever informs)."""
    try:
        data = load_json(read_or_none(_record_path(config)) or b"[]")
    except (PolyleafError, ValueError):
        return []
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def sheets_recorded(config: Config) -> bool:
    """Whether any sheet was recorded (``check`` reads the PO files for ``sheet_diagnostics`` only then)."""
    return bool(_records(config))


def record(
    config: Config,
    language: str,
    documents: tuple[str, ...],
    version: str,
    entries: dict[str, str],
    files: Sequence[Path | None],
) -> None:
    """Add a sheet to ``build/review/sheets.json`` (a version already recorded for it is moved to the end)."""
    items = [
        item
        for item in _records(config)
        if not (
            item.get("language") == language
            and item.get("documents") == list(documents)
            and item.get("version") == version
        )
    ]
    items.append(
        {
            "language": language,
            "documents": list(documents),
            "version": version,
            "written": _today(),
            "files": [config.relative(path).as_posix() for path in files if path is not None],
            "entries": entries,
        }
    )
    same = [item for item in items if item.get("language") == language and item.get("documents") == list(documents)]
    dropped = {id(item) for item in same[:-_KEPT]}
    kept = [item for item in items if id(item) not in dropped]
    data = json.dumps(kept, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
    write_if_changed(_record_path(config), data, within=config.build_dir)


# ----------------------------------------------------------------------------------------------- check


def sheet_diagnostics(config: Config, catalogs: Catalogs, documents: Sequence[str], every: bool) -> list[Diagnostic]:
    """For each sheet recorded (of a language and its documents) that the PO files ``catalogs`` (as on disk) cover,
    whether they match one of its versions — which one —, or how many entries changed since the last one.
    ``documents``: the documents ``catalogs`` hold; ``every``: all of them (a sheet of every document is checked)."""
    found: list[Diagnostic] = []
    sheets: dict[tuple[str, tuple[str, ...]], list[dict[str, object]]] = {}
    for item in _records(config):
        sheets.setdefault((str(item.get("language")), _names(item.get("documents"))), []).append(item)
    for (language, names), versions in sheets.items():
        covered = set(names) <= set(documents) if names else every
        wanted = list(names) or [*documents, DISCLAIMER, INTERFACE]
        mine = {name: catalogs[language, name] for name in wanted if (language, name) in catalogs}
        if not covered or not mine:
            continue
        version = state_version(mine)
        matching = [item for item in versions if item.get("version") == version]
        last = matching[-1] if matching else versions[-1]
        files = _names(last.get("files"))
        where = Path(files[-1]) if files else config.relative(_record_path(config))
        if matching:
            message = (
                f"the PO files of {language} match this review sheet (version {version[:12]}, {last.get('written')})"
            )
        else:
            changed = _changed(config, mine, last.get("entries"))
            listed = f": {', '.join(changed[:5])}{', …' if len(changed) > 5 else ''}" if changed else ""
            message = (
                f"the PO files of {language} (version {version[:12]}) match no review sheet: {len(changed)} "
                f"entr{'y' if len(changed) == 1 else 'ies'} changed since this one (version "
                f"{str(last.get('version'))[:12]}, {last.get('written')}){listed}"
            )
        found.append(Diagnostic(where, 0, "info", SHEET_CHECK, message, ""))
    return found


def _names(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _changed(config: Config, catalogs: dict[str, Catalog], recorded: object) -> list[str]:
    """``path:line`` of each entry whose state differs from ``recorded`` (entry hashes), new entries included."""
    before = recorded if isinstance(recorded, dict) else {}
    return [
        f"{config.relative(catalogs[name].path).as_posix()}:{entry.line}"
        for name, key, state, entry in _states(catalogs)
        if before.get(short_hash(f"{name}\x04{key}")) != short_hash(state)
    ]
