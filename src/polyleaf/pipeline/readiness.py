"""Release readiness: ``release_verdict``, the one rule that decides whether a document may be published in a
language, and ``status``, which shows every verdict before a release build applies it, so a coordinator sees
beforehand why a leaflet would be withheld. The status page's renderer is imported inside ``status``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from polyleaf.catalog.model import Catalog, CatalogStats, EntryState
from polyleaf.catalog.tmcomments import reviewed_words
from polyleaf.clinic import credits, needed_texts
from polyleaf.config.model import Config
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.labels import INTERFACE_MESSAGES, callout_labels, credit_labels, release_labels, untranslated_labels
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs, read_catalogs, read_orphans
from polyleaf.pipeline.review import check_catalog
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources, make_templates, source_paths
from polyleaf.project import DISCLAIMER, INTERFACE
from polyleaf.source.document import Document
from polyleaf.terms import term_pattern

if TYPE_CHECKING:
    from polyleaf.qa.model import Diagnostic


@dataclass(frozen=True, slots=True)
class CatalogFacts:
    """What a status row shows of its catalog itself (``catalog_facts``): taken by a build while the catalog is at
    hand, the dashboard's rows do not read it again (a library's catalogs are not all held)."""

    stats: CatalogStats
    errors: tuple[Diagnostic, ...]  # the QA errors of its reviewed entries
    origins: Mapping[str, int]  # ``StatusRow.reviewed_by_source``


def catalog_facts(config: Config, glossary: Glossary, cat: Catalog, language: str) -> CatalogFacts:
    errors = tuple(d for d in check_catalog(config, glossary, cat, language) if d.severity == "error")
    return CatalogFacts(cat.stats(), errors, reviewed_words(cat, config.tm.min_similarity))


@dataclass(frozen=True, slots=True)
class Decided:
    """What a build decided over catalogs that do not change after it, by (language, document): each leaflet's
    release verdict and its catalog's ``CatalogFacts`` (``rows_and_blockers`` does not decide them again)."""

    verdicts: Mapping[tuple[str, str], Verdict] = field(default_factory=dict)
    facts: Mapping[tuple[str, str], CatalogFacts] = field(default_factory=dict)


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


@dataclass(frozen=True, slots=True)
class Known:
    """The dashboard's rows a run of some documents does not compute: every document's name in order, the other
    documents' rows and what their verdicts hold against the shared catalogs (``pipeline.library``)."""

    documents: tuple[str, ...]
    rows: Mapping[tuple[str, str], StatusRow]
    against: Mapping[tuple[str, str], tuple[Blocker, ...]]


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
    return rows_and_blockers(config, documents, (merged, orphans), glossary)[0]


def rows_and_blockers(
    config: Config,
    documents: Sequence[Document],
    catalogs: tuple[Catalogs, Catalogs],
    glossary: Glossary,
    known: Known | None = None,
    decided: Decided | None = None,
) -> tuple[list[StatusRow], dict[tuple[str, str], tuple[Blocker, ...]]]:
    """``rows_of`` (``catalogs``: merged and orphans), with what each document's verdict holds against it; for a
    run of some documents, the other documents' rows and blockers are ``known`` (``pipeline.library``). What the
    build already ``decided`` over these catalogs is not decided again."""
    merged, orphans = catalogs
    languages = dict.fromkeys(language for language, _name in merged)
    decided = decided or Decided()
    verdicts = {
        (language, document.name): decided.verdicts[language, document.name]
        if (language, document.name) in decided.verdicts
        else release_verdict(config, glossary, merged, document, language)
        for language in languages
        for document in documents
        if (language, document.name) in merged
    }
    blockers = {key: verdict.blockers for key, verdict in verdicts.items()}
    keys: list[tuple[str, str]] = list(merged)
    if known is not None:  # in the order of a run of every document
        fresh = blockers
        blockers = {
            (language, name): fresh.get((language, name), known.against.get((language, name), ()))
            for language in languages
            for name in known.documents
        }
        keys = [(language, name) for language in languages for name in (*known.documents, DISCLAIMER, INTERFACE)]
    rows = []
    for language, name in keys:
        if (language, name) not in merged:
            rows.append(known.rows[language, name])  # type: ignore[union-attr]  # keys name only what is known
            continue
        facts = decided.facts.get((language, name)) or catalog_facts(config, glossary, merged[language, name], language)
        summary, blocker, waived = "", "", 0
        if (language, name) in verdicts:
            verdict = verdicts[language, name]
            summary, blocker, waived = verdict.summary, verdict.reason, len(verdict.waived)
        elif name in (DISCLAIMER, INTERFACE):
            against = [
                found
                for (verdict_language, _document), held in blockers.items()
                if verdict_language == language
                for found in held
                if found.catalog == name
            ]
            if against:  # "disclaimer not reviewed" on a document's row is "not reviewed" on the disclaimer's
                summary, blocker = against[0].summary.removeprefix(f"{name} "), against[0].reason
        errors = facts.errors
        rows.append(
            StatusRow(language, name, facts.stats, len(errors), blocker, summary, waived, errors, facts.origins)
        )
    for (language, name), cat in orphans.items():
        reason = "orphaned: its source file is gone; its reviewed text is translation memory for the others"
        rows.append(StatusRow(language, name, cat.stats(), 0, reason, "orphaned"))
    return rows, blockers
