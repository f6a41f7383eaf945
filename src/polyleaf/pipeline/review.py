"""The review state of the translations: QA diagnostics (``check``), the waivers reviewers give, and the QA notes
a translator sees. Whether a document may be published is ``readiness.release_verdict``.
QA (``polyleaf.qa``) is imported inside the functions that use it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf.catalog.model import Catalog, parse_po, po_bytes
from polyleaf.catalog.notes import notes_as_breaks, split_notes
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.fsio import project_lock
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.readability import readability_warnings
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.pipeline.sources import EVERYTHING, Selection, source_paths
from polyleaf.project import DISCLAIMER, INTERFACE, catalog_path, check_readable

if TYPE_CHECKING:
    from polyleaf.pipeline.qa_cache import CheckCache, QaCache
    from polyleaf.qa.model import CheckContext, Diagnostic


def check_catalog(config: Config, glossary: Glossary, cat: Catalog, language: str) -> list[Diagnostic]:
    """QA diagnostics for every translated entry of one catalog (fuzzy ones at a lower severity); from the
    ``qa_cache`` when one is active and knows them."""
    from polyleaf.pipeline import qa_cache
    from polyleaf.qa.model import EntryView
    from polyleaf.qa.registry import check_catalog_entries

    context = _context(config, glossary, language, plain_text=cat.path.stem == INTERFACE)

    def entries() -> list[EntryView]:
        return [
            EntryView(
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
        return check_catalog_entries(entries(), context, path)
    return cache.diagnostics(
        path, (cat.po, entries), context, lambda views: check_catalog_entries(views, context, path, cache.memo)
    )


def _context(config: Config, glossary: Glossary, language: str, *, plain_text: bool = False) -> CheckContext:
    from polyleaf.qa.model import CheckContext

    return CheckContext(
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
    from polyleaf.qa.registry import CHECKS
    from polyleaf.qa.waivers import WAIVER_PREFIX, bind

    context = _context(config, glossary, language, plain_text=cat.path.stem == INTERFACE)
    checks = {check.id: check.function for check in CHECKS if not (context.plain_text and check.id == "markup")}
    bound: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in cat.entries():
        if not any(WAIVER_PREFIX in line.lower() for line in (*entry.flags, *entry.comments)):
            continue
        english = entry.previous_msgid if entry.fuzzy and entry.previous_msgid is not None else entry.msgid
        target = entry.msgstr

        def findings(check: str, english: str = english, target: str = target) -> list[str]:
            return checks[check](english, target, context) if check in checks and target.strip() else []

        lines, notes = notes_as_breaks(entry.comments)
        comments = bind(lines, entry.flags, english, target, findings)
        if comments is not None:  # each QA note where it was (``bind`` changes lines in place, adds at the end)
            bound[entry.msgctxt, entry.msgid] = tuple(
                line for index, comment in enumerate(comments) for line in notes.get(index, (comment,))
            )
    return cat.set_comments(bound)


def qa_notes(config: Config, glossary: Glossary, cat: Catalog, language: str) -> dict[str, list[str]]:
    """msgid → the QA notes (``# qa: <finding> [<check>]``) a translator should see on it: every unwaived finding of
    the checks that are errors in a reviewed entry (numbers, doses, markup, terms, lost placeholders…), on translated
    entries — machine output included, where they are only warnings until someone reviews it."""
    from polyleaf.qa.registry import CHECKS
    from polyleaf.qa.waivers import WAIVER_CHECK

    error_checks = {check.id for check in CHECKS if check.severity == "error"}
    translated = {entry.msgid for entry in cat.entries() if entry.msgstr}
    notes: dict[str, list[str]] = {}
    for diagnostic in check_catalog(config, glossary, cat, language):
        noted = diagnostic.check in error_checks or diagnostic.check == WAIVER_CHECK
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
    from polyleaf.pipeline.sheet_versions import sheet_diagnostics, sheets_recorded

    languages = selection.languages_of(config)
    documents = [path.stem for path in source_paths(config, selection.documents)]
    files = PoFiles(config, languages, [*documents, DISCLAIMER, INTERFACE])
    glossary = load_glossary(config.glossary)
    answers, checked = CheckCache(config), QaCache(config)
    elsewhere = _checked_on_workers(files, glossary, answers, checked)
    with active(checked):
        by_file = {
            key: _checked_file(files, glossary, key, answers, elsewhere.get(key))
            for key in _document_after_document(files.keys)
        }
    found = [diagnostic for key in files.keys for diagnostic in by_file[key]]
    found += [
        diagnostic
        for language in dict.fromkeys(language for language, _name in files.keys)
        for diagnostic in _language_consistency(files, glossary, language, answers, elsewhere.get(language))
    ]
    segments = SegmentCache(config)
    readability = readability_warnings(config, segments, selection, answers)
    every = not selection.documents
    sheets = sheet_diagnostics(config, files.parsed, documents, every) if sheets_recorded(config) else []
    if not files.changed_meanwhile:  # else what was found is of no one version of the files
        _commit_unless_locked(config, answers, checked, segments)
    return licence_warnings(config, languages) + found + readability + sheets


#: The bytes of PO files to check that pay for a worker process: a worker takes ~0.3 s to start, a PO file ~1.5 s
#: of QA per MB (10,000 dose sentences are 2.4 MB).
BYTES_PER_WORKER = 2**20


def _checked_on_workers(
    files: PoFiles, glossary: Glossary, answers: CheckCache, checked: QaCache
) -> dict[object, list[Diagnostic]]:
    """What the PO files no cache knows, and their languages' consistency, find, found a language per task on worker
    processes (the configuration's ``workers``) when they are enough to pay for starting them: by the file's key,
    and by the language for its consistency. What the workers' QA found is staged in ``checked``; a language a
    worker could not check (a file changed or unreadable since) is left to ``check``, which says so."""
    from polyleaf.execution.workers import LocalPool, default_workers, running

    config = files.config
    if config.workers == 1 or sum(files.sizes.values()) < 2 * BYTES_PER_WORKER:
        return {}  # too little to read in any case: no cache looked up twice
    wanted: dict[str, list[str]] = {}
    for key in files.keys:
        if answers.known(*_file_question(files, glossary, key)) is None:
            wanted.setdefault(key[0], []).append(key[1])
    size = sum(files.sizes[language, name] for language, names in wanted.items() for name in names)
    workers = min(config.workers or default_workers(), len(wanted), size // BYTES_PER_WORKER)
    if workers < 2:
        return {}
    tasks = [
        (
            config,
            glossary,
            language,
            {key[1]: files.digest(key) for key in files.keys if key[0] == language},
            names,
            answers.known(*_consistency_question(files, glossary, language)) is None,
        )
        for language, names in sorted(wanted.items(), key=lambda item: -sum(files.sizes[item[0], n] for n in item[1]))
    ]
    found: dict[object, list[Diagnostic]] = {}
    with running(LocalPool(workers, (__name__, "polyleaf.pipeline.qa_cache", "polyleaf.qa.registry"))) as pool:
        for index, result in pool.unordered(language_task, tasks):
            if result is not None:
                language = tasks[index][2]
                found |= {(language, name): diagnostics for name, diagnostics in result[0].items()}
                if result[1] is not None:
                    found[language] = result[1]
                checked.store.adopt(result[2])
    return found


def language_task(
    config: Config, glossary: Glossary, language: str, digests: dict[str, str], names: list[str], agreement: bool
) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic] | None, dict[str, bytes]] | None:
    """A worker's part of ``check``: the diagnostics of the PO files ``names`` of ``language``, its ``consistency``
    (if ``agreement``), and the QA cache's entries staged meanwhile; None when the language's files are not those
    ``digests`` name (by their SHA-256) or one cannot be read."""
    from polyleaf.pipeline.qa_cache import QaCache, active

    checked = QaCache(config)
    try:
        files = PoFiles(config, [language], list(digests))
        if {name: files.digest((language, name)) for _language, name in files.keys} != digests:
            return None
        with active(checked):
            found = {name: check_catalog(config, glossary, files.catalog((language, name)), language) for name in names}
        agreed = consistency(config, glossary, files.parsed, language) if agreement else None
    except (PolyleafError, OSError):  # ``check`` reads the file again, and says what is wrong as it always does
        return None
    return None if files.changed_meanwhile else (found, agreed, checked.store.staged())


def _commit_unless_locked(config: Config, *caches: CheckCache | QaCache | SegmentCache) -> None:
    """Keep what ``check`` found in the caches while holding the project lock, or not at all: a run holding it counts
    the bytes of the QA cache (``cache.Store``), and an entry written behind its back would make that count short;
    and only a killed holder of the lock leaves temp files in ``build/`` (``fsio.project_lock``)."""
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(project_lock(config.root, config.written_folders))
        except PolyleafError:  # a run holds it, or the project cannot be written: a cache only saves time
            return
        for cache in caches:
            cache.commit()


def _document_after_document(keys: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (language, catalog) ``keys`` with every language of a catalog together: QA reads a source sentence once for
    all its languages, and keeps only so many read (``qa.text.SOURCE_SENTENCES_KEPT``); language after language, a
    library with more sentences than that would read each of them again for every language."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        grouped.setdefault(key[1], []).append(key)
    return [key for group in grouped.values() for key in group]


class PoFiles:
    """The PO files ``check`` reads: each read and hashed at once, parsed when it is needed. No file's bytes are held
    (a national library's are gigabytes), only so many parsed (``Catalogs``); a file parsed later is read again, and
    one that changed since it was hashed sets ``changed_meanwhile``: what was found is then not kept."""

    def __init__(self, config: Config, languages: Sequence[str], names: Sequence[str]) -> None:
        from polyleaf.pipeline.qa_cache import bytes_digest

        self.config = config
        self.changed_meanwhile = False
        self._files: dict[tuple[str, str], tuple[Path, str]] = {}
        #: each file's bytes when ``check`` began
        self.sizes: dict[tuple[str, str], int] = {}
        self._parsed = Catalogs()
        for language in languages:
            for name in names:
                path = catalog_path(config, language, name)
                if path.exists() or path.is_symlink():
                    check_readable(config, path, "locales_dir")
                    raw = po_bytes(path)
                    self._files[language, name] = (path, bytes_digest(raw))
                    self.sizes[language, name] = len(raw)
                    self._parsed.add_later((language, name), functools.partial(self._parse, (language, name)))

    @property
    def keys(self) -> list[tuple[str, str]]:
        """(language, catalog name) of every file, in the order ``read_catalogs`` gives."""
        return list(self._files)

    def digest(self, key: tuple[str, str]) -> str:
        """The SHA-256 of the file's bytes when ``check`` began."""
        return self._files[key][1]

    def shown(self, key: tuple[str, str]) -> str:
        """The file's path as diagnostics show it."""
        return self.config.relative(self._files[key][0]).as_posix()

    def catalog(self, key: tuple[str, str]) -> Catalog:
        """The file parsed (strictly: errors name ``path:line``)."""
        return self._parsed[key]

    def _parse(self, key: tuple[str, str]) -> Catalog:
        from polyleaf.pipeline.qa_cache import bytes_digest

        path, digest = self._files[key]
        check_readable(self.config, path, "locales_dir")  # a link swapped in since it was hashed is refused too
        raw = po_bytes(path)
        self.changed_meanwhile |= bytes_digest(raw) != digest
        return parse_po(raw, path)

    @property
    def parsed(self) -> Catalogs:
        """Every file, each parsed as it is reached."""
        return self._parsed


def _checked_file(
    files: PoFiles, glossary: Glossary, key: tuple[str, str], answers: CheckCache, found: list[Diagnostic] | None
) -> list[Diagnostic]:
    """The diagnostics of one PO file: kept by ``answers``, else ``found`` (by a worker), else checked here."""
    return answers.answer(
        *_file_question(files, glossary, key),
        lambda: found if found is not None else check_catalog(files.config, glossary, files.catalog(key), key[0]),
    )


def _file_question(files: PoFiles, glossary: Glossary, key: tuple[str, str]) -> tuple[str, list[Any]]:
    """What ``CheckCache`` knows a PO file's diagnostics by: its name and inputs."""
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
    return f"catalogs/{language}/{name}", inputs


def _language_consistency(
    files: PoFiles, glossary: Glossary, language: str, answers: CheckCache, found: list[Diagnostic] | None
) -> list[Diagnostic]:
    return answers.answer(
        *_consistency_question(files, glossary, language),
        lambda: found if found is not None else consistency(files.config, glossary, files.parsed, language),
    )


def _consistency_question(files: PoFiles, glossary: Glossary, language: str) -> tuple[str, list[Any]]:
    keys = sorted((key for key in files.keys if key[0] == language), key=lambda key: key[1])
    inputs = [_other_terms(glossary, language), *([files.shown(key), files.digest(key)] for key in keys)]
    return f"consistency/{language}", inputs


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


def consistency(config: Config, glossary: Glossary, catalogs: Catalogs, language: str) -> list[Diagnostic]:
    """The findings of the checks that compare all reviewed entries of ``language`` (``qa.consistency``); its
    catalogs are parsed one after another, and only their reviewed entries are held."""
    from polyleaf.qa.consistency import Place, consistency_diagnostics
    from polyleaf.qa.waivers import markers_of

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
    return consistency_diagnostics(places, _other_terms(glossary, language))


def _other_terms(glossary: Glossary, language: str) -> list[str]:
    """The glossary terms with no required translation in ``language`` that are not do-not-translate terms (the
    consistency checks want each translated one way)."""
    required = glossary.required_for(language)
    return [row.term for row in glossary.entries if row.term not in required and row.term not in glossary.dnt_terms]
