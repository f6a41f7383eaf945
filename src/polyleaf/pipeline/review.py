"""The review state of the translations: QA diagnostics (``check``), release readiness, and ``status``.

``release_verdict`` is the one rule that decides whether a document may be published in a language: the release
build applies it and ``status`` shows it, so a coordinator sees beforehand why a leaflet would be withheld.
QA (``polyleaf.qa``) and the status page's renderer are imported inside the functions that use them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.catalog.model import Catalog, CatalogStats, EntryState, notes_as_breaks, parse_po, po_bytes, split_notes
from polyleaf.catalog.tmcomments import reviewed_words
from polyleaf.clinic import credits, needed_texts
from polyleaf.config import Config
from polyleaf.errors import LockError
from polyleaf.fsio import project_lock
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.labels import INTERFACE_MESSAGES, callout_labels, credit_labels, release_labels, untranslated_labels
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs, read_catalogs, read_orphans
from polyleaf.pipeline.readability import readability_warnings
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources, make_templates, source_paths
from polyleaf.project import DISCLAIMER, INTERFACE, catalog_path, check_readable
from polyleaf.source.document import Document
from polyleaf.terms import term_pattern

if TYPE_CHECKING:
    from polyleaf.pipeline.qa_cache import CheckCache
    from polyleaf.qa import CheckContext, Diagnostic


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One line of ``polyleaf status``: counts, QA errors in reviewed entries, and why it can't be released."""

    language: str
    document: str
    stats: CatalogStats
    qa_errors: int = 0
    blocker: str = ""
    summary: str = ""  # the blocker in a few words, for the terminal table
    waived: int = 0  # QA findings reviewers waived (``#, ignore-<check>``) in this document
    errors: tuple[Diagnostic, ...] = ()  # the QA errors (path:line), for build/status.html
    #: Source words of the reviewed entries by where their translation came from (``tmcomments.ORIGINS``).
    reviewed_by_source: Mapping[str, int] = field(default_factory=dict)

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
            "qa_waived": self.waived,
            "reviewed_words_by_source": dict(self.reviewed_by_source),
        }


# ----------------------------------------------------------------------------------------------- check


def check_catalog(config: Config, glossary: Glossary, cat: Catalog, language: str) -> list[Diagnostic]:
    """QA diagnostics for every translated entry of one catalog (fuzzy ones at a lower severity); from the
    ``qa_cache`` when one is active and knows them."""
    from polyleaf import qa
    from polyleaf.pipeline import qa_cache

    context = _context(config, glossary, language, plain_text=cat.path.stem == INTERFACE)

    def entries() -> list[qa.EntryView]:
        return [
            qa.EntryView(
                entry.msgid,
                entry.msgstr,
                entry.line,
                entry.fuzzy,
                flags=frozenset(entry.flags),
                translator_comment="\n".join(notes_as_breaks(entry.comments)[0]),
            )
            for entry in cat.entries()
        ]

    path = config.relative(cat.path)
    cache = qa_cache.ACTIVE.get()
    if cache is None:
        return qa.check_catalog_entries(entries(), context, path)
    return cache.diagnostics(
        path, (cat.po, entries), context, lambda views: qa.check_catalog_entries(views, context, path, cache.memo)
    )


def _context(config: Config, glossary: Glossary, language: str, *, plain_text: bool = False) -> CheckContext:
    from polyleaf import qa

    return qa.CheckContext(
        source_language=config.source_language,
        target_language=language,
        dnt_terms=glossary.dnt_terms,
        required_terms=glossary.required_for(language),
        plain_text=plain_text,
    )


def bind_waivers(config: Config, glossary: Glossary, cat: Catalog, language: str) -> int:
    """Bind every waiver not bound yet to the English it was given for, the translation and what its check finds
    (``qa.waivers``), so that it stops applying when any of them changes; how many entries changed. On a fuzzy
    entry whose English changed (``#| msgid``) that is the previous English: the waiver was given for the old
    translation."""
    from polyleaf import qa

    context = _context(config, glossary, language, plain_text=cat.path.stem == INTERFACE)
    checks = {check.id: check.function for check in qa.CHECKS if not (context.plain_text and check.id == "markup")}
    bound: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in cat.entries():
        if not any(qa.WAIVER_PREFIX in line.lower() for line in (*entry.flags, *entry.comments)):
            continue
        english = entry.previous_msgid if entry.fuzzy and entry.previous_msgid is not None else entry.msgid
        target = entry.msgstr

        def findings(check: str, english: str = english, target: str = target) -> list[str]:
            return checks[check](english, target, context) if check in checks and target.strip() else []

        lines, notes = notes_as_breaks(entry.comments)
        comments = qa.bind(lines, entry.flags, english, target, findings)
        if comments is not None:  # each QA note where it was (``bind`` changes lines in place, adds at the end)
            bound[entry.msgctxt, entry.msgid] = tuple(
                line for index, comment in enumerate(comments) for line in notes.get(index, (comment,))
            )
    return cat.set_comments(bound)


def qa_notes(config: Config, glossary: Glossary, cat: Catalog, language: str) -> dict[str, list[str]]:
    """msgid → the QA notes (``# qa: <finding> [<check>]``) a translator should see on it: every unwaived finding of
    the checks that are errors in a reviewed entry (numbers, doses, markup, terms, lost placeholders…), on translated
    entries — machine output included, where they are only warnings until someone reviews it."""
    from polyleaf import qa

    error_checks = {check.id for check in qa.CHECKS if check.severity == "error"}
    translated = {entry.msgid for entry in cat.entries() if entry.msgstr}
    notes: dict[str, list[str]] = {}
    for diagnostic in check_catalog(config, glossary, cat, language):
        noted = diagnostic.check in error_checks or diagnostic.check == qa.WAIVER_CHECK
        if noted and not diagnostic.waived and diagnostic.msgid in translated:
            notes.setdefault(diagnostic.msgid, []).append(f"{diagnostic.message} [{diagnostic.check}]")
    return notes


def check(config: Config, selection: Selection = EVERYTHING) -> list[Diagnostic]:
    """QA over the PO files as they are on disk (line numbers point into them); no PO file is written. Then the
    checks across a language's catalogs (``consistency``), the source's plain language (``pipeline.readability``)
    and which review sheet the PO files match (``review_sheet``).

    What it finds is kept in ``build/.cache`` by the bytes it was found from (``qa_cache.CheckCache``), so a check
    with nothing changed parses and checks nothing; catalogs the last run checked as they are are answered from its
    QA cache, and what this check computes fills that cache for the next run."""
    from polyleaf.pipeline.qa_cache import CheckCache, QaCache, active
    from polyleaf.pipeline.review_sheet import sheet_diagnostics, sheets_recorded

    languages = selection.languages_of(config)
    documents = [path.stem for path in source_paths(config, selection.documents)]
    files = PoFiles(config, languages, [*documents, DISCLAIMER, INTERFACE])
    glossary = load_glossary(config.glossary)
    answers, checked = CheckCache(config), QaCache(config)
    with active(checked):
        found = [diagnostic for key in files.keys for diagnostic in _checked_file(files, glossary, key, answers)]
    found += [
        diagnostic
        for language in dict.fromkeys(language for language, _name in files.keys)
        for diagnostic in _language_consistency(files, glossary, language, answers)
    ]
    readability = readability_warnings(config, selection, answers)
    every = not selection.documents
    sheets = sheet_diagnostics(config, files.parsed, documents, every) if sheets_recorded(config) else []
    answers.commit()
    checked.commit()
    return licence_warnings(config, languages) + found + readability + sheets


class PoFiles:
    """The PO files ``check`` reads: their bytes read (and hashed) at once, each parsed only when it is needed."""

    def __init__(self, config: Config, languages: Sequence[str], names: Sequence[str]) -> None:
        self.config = config
        self._bytes: dict[tuple[str, str], tuple[Path, bytes]] = {}
        for language in languages:
            for name in names:
                path = catalog_path(config, language, name)
                if path.exists() or path.is_symlink():
                    check_readable(config, path, "locales_dir")
                    self._bytes[language, name] = (path, po_bytes(path))
        self._parsed: dict[tuple[str, str], Catalog] = {}

    @property
    def keys(self) -> list[tuple[str, str]]:
        """(language, catalog name) of every file, in the order ``read_catalogs`` gives."""
        return list(self._bytes)

    def digest(self, key: tuple[str, str]) -> str:
        """The SHA-256 of the file's bytes."""
        from polyleaf.pipeline.qa_cache import bytes_digest

        return bytes_digest(self._bytes[key][1])

    def shown(self, key: tuple[str, str]) -> str:
        """The file's path as diagnostics show it."""
        return self.config.relative(self._bytes[key][0]).as_posix()

    def catalog(self, key: tuple[str, str]) -> Catalog:
        """The file parsed from the bytes that were read (strictly: errors name ``path:line``)."""
        if key not in self._parsed:
            path, raw = self._bytes[key]
            self._parsed[key] = parse_po(raw, path)
        return self._parsed[key]

    @property
    def parsed(self) -> Catalogs:
        """Every file, parsed."""
        return Catalogs({key: self.catalog(key) for key in self._bytes})


def _checked_file(files: PoFiles, glossary: Glossary, key: tuple[str, str], answers: CheckCache) -> list[Diagnostic]:
    language, name = key
    context = _context(files.config, glossary, language)
    inputs = [
        files.shown(key),
        context.source_language,
        context.target_language,
        list(context.dnt_terms),
        sorted(context.required_terms.items()),
        files.digest(key),
    ]
    return answers.answer(
        f"catalogs/{language}/{name}",
        inputs,
        lambda: check_catalog(files.config, glossary, files.catalog(key), language),
    )


def _language_consistency(files: PoFiles, glossary: Glossary, language: str, answers: CheckCache) -> list[Diagnostic]:
    keys = sorted((key for key in files.keys if key[0] == language), key=lambda key: key[1])
    inputs = [_other_terms(glossary, language), *([files.shown(key), files.digest(key)] for key in keys)]
    return answers.answer(
        f"consistency/{language}",
        inputs,
        lambda: consistency(files.config, glossary, Catalogs({key: files.catalog(key) for key in keys})),
    )


def licence_warnings(config: Config, languages: Sequence[str]) -> list[Diagnostic]:
    """A warning for each language a non-commercial model translates when ``[leaflet] commercial = true``."""
    if not config.leaflet.commercial:
        return []
    from polyleaf.pipeline.models import non_commercial_models
    from polyleaf.qa.model import Diagnostic

    text = config.config_file.read_text(encoding="utf-8", errors="replace").splitlines()
    line = next((number for number, row in enumerate(text, 1) if row.strip().startswith("commercial")), 1)
    return [
        Diagnostic(
            config.relative(config.config_file),
            line,
            "warning",
            "licence",
            f"leaflets are commercial ([leaflet] commercial = true), but {language} is machine-translated with "
            f"{model}, whose licence does not allow commercial use",
            "",
        )
        for language, model in sorted(non_commercial_models(config, languages).items())
    ]


def consistency(config: Config, glossary: Glossary, catalogs: Catalogs) -> list[Diagnostic]:
    """The findings of the checks that compare all reviewed entries of a language (``qa.consistency``)."""
    from polyleaf.qa.consistency import Place, consistency_diagnostics
    from polyleaf.qa.waivers import markers_of

    found: list[Diagnostic] = []
    for language in dict.fromkeys(language for language, _name in catalogs):
        places = [
            Place(
                shown,
                entry.line,
                entry.msgid,
                entry.msgstr,
                entry.msgctxt,
                markers_of(entry.flags, "\n".join(split_notes(entry.comments)[0])),
            )
            for shown, cat in ((config.relative(cat.path), cat) for _name, cat in catalogs.of_language(language))
            for entry in cat.entries()
            if entry.state == "reviewed" and not entry.plural
        ]
        found += consistency_diagnostics(places, _other_terms(glossary, language))
    return found


def _other_terms(glossary: Glossary, language: str) -> list[str]:
    """The glossary terms with no required translation in ``language`` that are not do-not-translate terms (the
    consistency checks want each translated one way)."""
    required = glossary.required_for(language)
    return [row.term for row in glossary.entries if row.term not in required and row.term not in glossary.dnt_terms]


# ----------------------------------------------------------------------------------------------- release


@dataclass(frozen=True, slots=True)
class Blocker:
    """One reason a leaflet is withheld, and the catalog it is about (the document's, ``disclaimer`` or
    ``interface``), so that the status of a shared catalog tells what it withholds."""

    catalog: str
    summary: str  # a few words, for the terminal table
    reason: str  # in full, with where to look (``path:line``)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a document may be published in a language: every reason why not (the first is the one shown), the
    QA errors of the reviewed entries its leaflet shows, and the findings reviewers waived on it (recorded in
    ``build/release.json``)."""

    blockers: tuple[Blocker, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    waived: tuple[Diagnostic, ...] = ()

    @property
    def summary(self) -> str:
        return self.blockers[0].summary if self.blockers else ""

    @property
    def reason(self) -> str:
        return self.blockers[0].reason if self.blockers else ""


def release_verdict(
    config: Config, glossary: Glossary, catalogs: Catalogs, document: Document, language: str
) -> Verdict:
    """The one rule that decides whether ``document`` may be published in ``language`` (``build --release`` applies
    it; ``status``, its ``--json`` and the dashboard show it).

    Its reviewed share reaches the threshold; no unreviewed segment states a quantity (a dose, a count, a
    duration) or is safety text (a block quote, a glossary safety term): a release never shows those in the source
    language, whatever the threshold; the disclaimer and the leaflet's own words are reviewed (and the note that
    explains untranslated passages, when there are some); the reviewed entries of the document, the disclaimer and
    the leaflet's words pass QA, waived findings aside. Every blocker is listed, so the shared catalogs' status
    is true even when the document itself is not ready.
    """
    name = document.name
    doc_catalog, disclaimer_catalog = catalogs[language, name], catalogs[language, DISCLAIMER]
    interface_catalog = catalogs[language, INTERFACE]
    unreviewed = [entry for entry in doc_catalog.entries() if entry.state != "reviewed"]
    blockers = [*_document_blockers(config, glossary, doc_catalog, document, unreviewed)]
    if disclaimer_catalog.stats().reviewed < disclaimer_catalog.stats().segments:
        reason = f"the disclaimer is not reviewed in {language}"
        blockers.append(Blocker(DISCLAIMER, "disclaimer not reviewed", reason))
    interface = interface_catalog.translations()
    needed = (
        *release_labels(config, name),
        *callout_labels(document),
        *credit_labels(*credits(config, document, language, doc_catalog)),
        *(untranslated_labels(config) if unreviewed else ()),
    )
    unreviewed_labels = [
        key for key in needed if not (found := interface.get(INTERFACE_MESSAGES[key])) or not found.reviewed
    ]
    if unreviewed_labels:
        words = ", ".join(repr(INTERFACE_MESSAGES[key]) for key in unreviewed_labels)
        reason = f"the leaflet's own words ({words}) are not reviewed in interface.po"
        blockers.append(Blocker(INTERFACE, "labels not reviewed", reason))
    unreviewed_clinic = [
        text for text in needed_texts(config, document) if not (found := interface.get(text)) or not found.reviewed
    ]
    if unreviewed_clinic:
        words = ", ".join(repr(text) for text in unreviewed_clinic)
        reason = f"the clinic's words ({words}) are not reviewed in interface.po"
        blockers.append(Blocker(INTERFACE, "clinic's words not reviewed", reason))
    diagnostics: list[Diagnostic] = []
    for catalog_name, cat in ((name, doc_catalog), (DISCLAIMER, disclaimer_catalog), (INTERFACE, interface_catalog)):
        checked = check_catalog(config, glossary, cat, language)
        diagnostics += checked
        errors = [diagnostic for diagnostic in checked if diagnostic.severity == "error"]
        if errors:
            counted = f"{len(errors)} QA error{'s' if len(errors) > 1 else ''}"
            blockers.append(Blocker(catalog_name, counted, f"{counted} in reviewed entries, first: {errors[0]}"))
    return Verdict(
        tuple(blockers),
        tuple(diagnostic for diagnostic in diagnostics if diagnostic.severity == "error"),
        tuple(diagnostic for diagnostic in diagnostics if diagnostic.waived),
    )


def _document_blockers(
    config: Config, glossary: Glossary, doc_catalog: Catalog, document: Document, unreviewed: Sequence[EntryState]
) -> list[Blocker]:
    """Why the document's own catalog is not ready: below the threshold (then only that), else the unreviewed
    quantities and safety text."""
    name, stats = document.name, doc_catalog.stats()
    if stats.percent_reviewed < config.release.threshold:
        missing = stats.segments - stats.reviewed
        first = _where(config, doc_catalog, unreviewed[0].msgid)
        reason = (
            f"{missing} of {stats.segments} segments not reviewed "
            f"(release threshold {config.release.threshold:g}% reviewed), first: {first}"
        )
        return [Blocker(name, f"{missing} not reviewed", reason)]
    safety = safety_texts(document, glossary)
    never_untranslated = (  # what, the noun for it (one, several), the unreviewed entries that are such text
        ("with a dose, count or duration", ("quantity", "quantities"), _states_a_quantity),
        ("in a block quote or with a glossary safety term", ("warning", "warnings"), lambda text, _: text in safety),
    )
    blockers = []
    for what, nouns, test in never_untranslated:
        found = [entry for entry in unreviewed if test(entry.msgid, config.source_language)]
        if found:
            count, several = len(found), len(found) > 1
            reason = (
                f"{count} unreviewed segment{'s' if several else ''} {what} (never published untranslated, whatever "
                f"the threshold), first: {_where(config, doc_catalog, found[0].msgid)}"
            )
            blockers.append(Blocker(name, f"{count} {nouns[several]} not reviewed", reason))
    return blockers


def safety_texts(document: Document, glossary: Glossary) -> frozenset[str]:
    """The segments of ``document`` that are safety text: every segment inside a block quote (a warning) but a
    callout that is not urgent (``> [!NOTE]``, ``> [!TIP]``), and every segment that mentions a glossary safety
    term."""
    pattern = term_pattern(glossary.safety_terms)
    return frozenset(
        segment.text
        for block in document.blocks
        for segment in block.segments
        if (block.callout.urgent if block.callout else block.kind == "blockquote" or block.quoted)
        or (pattern is not None and pattern.search(segment.text))
    )


def _states_a_quantity(text: str, language: str) -> bool:
    """Whether ``text`` gives a number (not a mere "a"/"one"): a dose, a count, a duration, a percentage, a year, a
    time of day."""
    from polyleaf.qa.quantities import reading

    read = reading(text, language)
    return any(not quantity.optional for quantity in read.quantities) or any(time.sure for time in read.clocks)


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
    current = [*templates, *(path.stem for path in source_paths(config))]
    orphans, _unreadable = read_orphans(config, languages, current)
    return rows_of(config, sources.documents, merged, orphans, load_glossary(config.glossary))


def rows_of(
    config: Config, documents: Sequence[Document], merged: Catalogs, orphans: Catalogs, glossary: Glossary
) -> list[StatusRow]:
    """The rows of ``status`` for catalogs as ``update`` leaves them (``merged``) and the ``orphans``.

    A document's readiness is its release verdict; a shared catalog's (the disclaimer, the leaflet's own words) is
    what the verdicts of its language's documents hold against it: ready unless a release would withhold a leaflet
    because of it."""
    verdicts = {
        (language, document.name): release_verdict(config, glossary, merged, document, language)
        for language in dict.fromkeys(language for language, _name in merged)
        for document in documents
        if (language, document.name) in merged
    }
    rows = []
    for (language, name), cat in merged.items():
        errors = tuple(d for d in check_catalog(config, glossary, cat, language) if d.severity == "error")
        summary, blocker, waived = "", "", 0
        if (language, name) in verdicts:
            verdict = verdicts[language, name]
            summary, blocker, waived = verdict.summary, verdict.reason, len(verdict.waived)
        elif name in (DISCLAIMER, INTERFACE):
            against = [
                found
                for (verdict_language, _document), verdict in verdicts.items()
                if verdict_language == language
                for found in verdict.blockers
                if found.catalog == name
            ]
            if against:  # "disclaimer not reviewed" on a document's row is "not reviewed" on the disclaimer's
                summary, blocker = against[0].summary.removeprefix(f"{name} "), against[0].reason
        origins = reviewed_words(cat, config.tm.min_similarity)
        rows.append(StatusRow(language, name, cat.stats(), len(errors), blocker, summary, waived, errors, origins))
    for (language, name), cat in orphans.items():
        reason = "orphaned: its source file is gone; its reviewed text is translation memory for the others"
        rows.append(StatusRow(language, name, cat.stats(), 0, reason, "orphaned"))
    return rows
