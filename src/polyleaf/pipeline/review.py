"""The review state of the translations: QA diagnostics (``check``), release readiness, and ``status``.

``release_blocker`` is the one rule that decides whether a document may be published in a language: the release
build applies it and ``status`` shows it, so a coordinator sees beforehand why a leaflet would be withheld.
QA (``polyleaf.qa``) and the status page's renderer are imported inside the functions that use them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from polyleaf.catalog import Catalog, CatalogStats
from polyleaf.config import Config
from polyleaf.errors import LockError
from polyleaf.fsio import project_lock
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.labels import INTERFACE_MESSAGES, release_labels
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs, read_catalogs
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources, make_templates, source_paths
from polyleaf.project import DISCLAIMER, INTERFACE

if TYPE_CHECKING:
    from polyleaf.qa import Diagnostic


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One line of ``polyleaf status``: counts, QA errors in reviewed entries, and why it can't be released."""

    language: str
    document: str
    stats: CatalogStats
    qa_errors: int = 0
    blocker: str = ""
    summary: str = ""  # the blocker in a few words, for the terminal table
    errors: tuple[Diagnostic, ...] = ()  # the QA errors (path:line), for build/status.html

    def as_json(self) -> dict[str, object]:
        """One record of ``polyleaf status --json``."""
        return {
            "language": self.language,
            "document": self.document,
            "segments": self.stats.segments,
            "words": self.stats.words,
            "reviewed": self.stats.reviewed,
            "machine_translated": self.stats.machine,
            "changed": self.stats.changed,
            "fuzzy": self.stats.fuzzy,
            "untranslated": self.stats.untranslated,
            "percent_reviewed": round(self.stats.percent_reviewed, 1),
            "qa_errors": self.qa_errors,
            "release_ready": not self.blocker,
            "blocker": self.blocker,
        }


# ----------------------------------------------------------------------------------------------- check


def check_catalog(config: Config, glossary: Glossary, cat: Catalog, language: str) -> list[Diagnostic]:
    """QA diagnostics for every translated entry of one catalog (fuzzy ones at a lower severity)."""
    from polyleaf import qa

    context = qa.CheckContext(
        source_language=config.source_language,
        target_language=language,
        dnt_terms=glossary.dnt_terms,
        required_terms=glossary.required_for(language),
    )
    entries = [qa.EntryView(entry.msgid, entry.msgstr, entry.line, entry.fuzzy) for entry in cat.entries()]
    return qa.check_catalog_entries(entries, context, config.relative(cat.path))


def check(config: Config, selection: Selection = EVERYTHING) -> list[Diagnostic]:
    """QA over the PO files as they are on disk (line numbers point into them); nothing is written."""
    languages = selection.languages_of(config)
    names = [path.stem for path in source_paths(config, selection.documents)] + [DISCLAIMER, INTERFACE]
    existing = read_catalogs(config, languages, names)
    glossary = load_glossary(config.glossary)
    return [
        diagnostic
        for (language, _name), cat in existing.items()
        for diagnostic in check_catalog(config, glossary, cat, language)
    ]


# ----------------------------------------------------------------------------------------------- release


def release_blocker(
    config: Config, glossary: Glossary, catalogs: Catalogs, name: str, language: str
) -> tuple[str, str]:
    """Why a document may not be published in ``language``: (a few words, the full reason); empty when it may."""
    doc_catalog, disclaimer_catalog = catalogs[language, name], catalogs[language, DISCLAIMER]
    stats = doc_catalog.stats()
    if stats.percent_reviewed < config.release.threshold:
        missing = stats.segments - stats.reviewed
        first = next((entry.msgid for entry in doc_catalog.entries() if entry.fuzzy or not entry.msgstr), "")
        return (
            f"{missing} not reviewed",
            f"{missing} of {stats.segments} segments not reviewed "
            f"(release threshold {config.release.threshold:g}% reviewed), first: {_where(config, doc_catalog, first)}",
        )
    if disclaimer_catalog.stats().reviewed < disclaimer_catalog.stats().segments:
        return "disclaimer not reviewed", f"the disclaimer is not reviewed in {language}"
    interface = catalogs[language, INTERFACE].translations()
    unreviewed_labels = [
        key
        for key in release_labels(config, name)
        if not (found := interface.get(INTERFACE_MESSAGES[key])) or not found.reviewed
    ]
    if unreviewed_labels:
        words = ", ".join(repr(INTERFACE_MESSAGES[key]) for key in unreviewed_labels)
        return "labels not reviewed", f"the leaflet's own words ({words}) are not reviewed in interface.po"
    errors = [
        diagnostic
        for cat in (doc_catalog, disclaimer_catalog)
        for diagnostic in check_catalog(config, glossary, cat, language)
        if diagnostic.severity == "error"
    ]
    if errors:
        count = f"{len(errors)} QA error{'s' if len(errors) > 1 else ''}"
        return count, f"{count} in reviewed entries, first: {errors[0]}"
    return "", ""


def _where(config: Config, cat: Catalog, msgid: str) -> str:
    """``path:line`` of an entry in the PO file a translator opens (catalogs keep the lines of the file they were
    read from through ``update``, and of the bytes they were last saved as)."""
    line = next((entry.line for entry in cat.entries() if entry.msgid == msgid), 0)
    return f"{config.relative(cat.path)}:{line}" if line else str(config.relative(cat.path))


# ----------------------------------------------------------------------------------------------- status


def status(config: Config, selection: Selection = EVERYTHING) -> list[StatusRow]:
    """Counts per language and catalog as they would be after ``update``, with release readiness.

    Nothing is changed but ``build/status.html`` (every language and document, whatever ``selection``), written
    holding the project lock; while a run holds it, that run rewrites the page when it ends.
    """
    from polyleaf.pipeline.dashboard import write_status_page

    rows = status_rows(config, selection)
    with contextlib.suppress(LockError), project_lock(config.root):
        write_status_page(config, rows if selection == EVERYTHING else status_rows(config))
    return rows


def status_rows(config: Config, selection: Selection = EVERYTHING) -> list[StatusRow]:
    """The rows of ``status``, computed from the files as they are; nothing is written."""
    languages = selection.languages_of(config)
    sources = load_sources(config, selection.documents)
    templates = make_templates(config, sources)
    existing = read_catalogs(config, languages, templates)
    merged = merge_catalogs(config, templates, existing, languages)
    glossary = load_glossary(config.glossary)
    documents = {document.name: document for document in sources.documents}
    rows = []
    for (language, name), cat in merged.items():
        errors = tuple(d for d in check_catalog(config, glossary, cat, language) if d.severity == "error")
        summary, blocker = "", ""
        if name in documents:
            summary, blocker = release_blocker(config, glossary, merged, name, language)
        elif name == DISCLAIMER and cat.stats().reviewed < cat.stats().segments:
            summary, blocker = "not reviewed", "not reviewed: every release needs it"
        elif name == DISCLAIMER and errors:
            summary, blocker = "QA errors", "QA errors in reviewed entries: every release needs it"
        rows.append(StatusRow(language, name, cat.stats(), len(errors), blocker, summary, errors))
    return rows
