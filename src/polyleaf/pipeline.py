"""The only module that composes stages: parse → extract → update → translate → check → build.

Every public function here is what a CLI command calls. Each one reads everything it needs first (so a bad
PO or source file stops the run before anything is written), computes the new file contents, then writes
them atomically — only the files whose content really changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import __version__, catalog, locale
from polyleaf.catalog import Catalog, CatalogStats, Fill, TemplateEntry, Translation
from polyleaf.config import Config
from polyleaf.document import Document, Segment, read_source
from polyleaf.errors import CatalogError, ConfigError, RenderError, SourceError
from polyleaf.fsio import last_change, project_lock, remove_stale_temp_files, write_if_changed
from polyleaf.render import DEFAULT_LABELS

if TYPE_CHECKING:
    from polyleaf.mt.engine import Engine
    from polyleaf.mt.glossary import Glossary
    from polyleaf.mt.run import MtResult
    from polyleaf.qa import Diagnostic
    from polyleaf.render import IndexEntry, LeafletLink

DISCLAIMER = "disclaimer"
INTERFACE = "interface"
SOURCE_SUFFIXES = (".txt", ".md", ".markdown")

#: Strings of the leaflet itself (not of any article), translated like everything else in interface.po.
INTERFACE_MESSAGES: Mapping[str, str] = {
    "draft": "Draft: this translation has not been fully reviewed yet.",
    "not_reviewed": "Segments not reviewed",
    **DEFAULT_LABELS,
}

#: The interface words a released leaflet shows: a clinic's leaflet must not carry unreviewed (or English) words.
RELEASE_LABELS = ("language", "updated", "disclaimer")

ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass(frozen=True, slots=True)
class Sources:
    """The parsed source articles and the standard disclaimer."""

    documents: tuple[Document, ...]
    disclaimer: Document


@dataclass(slots=True)
class Report:
    """What a command did, for the CLI to print (or dump as JSON)."""

    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    filled_from_tm: dict[str, int] = field(default_factory=dict)
    filled_from_mt: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One line of ``polyleaf status``: counts, QA errors in reviewed entries, and why it can't be released."""

    language: str
    document: str
    stats: CatalogStats
    qa_errors: int = 0
    blocker: str = ""
    summary: str = ""  # the blocker in a few words, for the terminal table


# ----------------------------------------------------------------------------------------------- layout


def template_path(config: Config, name: str) -> Path:
    return config.locales_dir / "templates" / f"{name}.pot"


def catalog_path(config: Config, language: str, name: str) -> Path:
    return config.locales_dir / language / "LC_MESSAGES" / f"{name}.po"


def output_dir(config: Config, release: bool) -> Path:
    """Drafts go to ``build/``, releases to ``build/release/``: a clinic never picks up a draft by mistake."""
    return config.build_dir / "release" if release else config.build_dir


def output_path(config: Config, language: str, name: str, extension: str, release: bool = False) -> Path:
    return output_dir(config, release) / language / f"{name}.{extension}"


# ----------------------------------------------------------------------------------------------- parse


def load_sources(config: Config, only: Sequence[str] = ()) -> Sources:
    """Parse every article in ``source_dir`` (or the ones named in ``only``) and the disclaimer."""
    if not config.disclaimer.is_file():
        raise ConfigError("the standard disclaimer file does not exist", config.relative(config.disclaimer))
    disclaimer = _read(config, config.disclaimer)
    try:
        paths = sorted(
            path
            for path in config.source_dir.iterdir()
            if path.is_file() and not path.name.startswith(".") and path.resolve() != config.disclaimer.resolve()
        )
    except OSError as error:
        raise SourceError(
            f"cannot list the source files: {error.strerror or error}", config.relative(config.source_dir)
        ) from None
    documents = []
    for path in paths:
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            raise SourceError(
                f"unsupported source file type {path.suffix or '(none)'!r} (use .txt or .md)",
                config.relative(path),
            )
        if path.stem in (DISCLAIMER, INTERFACE):
            raise SourceError(f"{path.stem!r} is a reserved catalog name; rename the file", config.relative(path))
        documents.append(_read(config, path))
    names = [document.name for document in documents]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SourceError(f"two source files share the name {duplicates[0]!r}", config.relative(config.source_dir))
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ConfigError(f"no source document named {unknown[0]!r} (known: {', '.join(names)})")
        documents = [document for document in documents if document.name in only]
    return Sources(tuple(documents), disclaimer)


def _read(config: Config, path: Path) -> Document:
    return read_source(path, config.relative(path), segmentation=config.segmentation)


def disclaimer_text(document: Document) -> str:
    return " ".join(segment.text for segment in document.segments)


def disclaimer_warnings(sources: Sources) -> list[str]:
    """A document's own disclaimer is replaced by the standard one; say so when the wording differs."""
    standard = _normalized(disclaimer_text(sources.disclaimer))
    warnings = []
    for document in sources.documents:
        for block in document.blocks:
            own = " ".join(segment.text for segment in block.segments)
            if block.is_disclaimer and _normalized(own) != standard:
                warnings.append(
                    f"{document.path}:{block.line}: disclaimer wording differs from the standard one "
                    f"({sources.disclaimer.path}); leaflets use the standard disclaimer"
                )
    return warnings


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


# ----------------------------------------------------------------------------------------------- extract


def template_entries(document: Document, *, skip_disclaimer: bool = True) -> list[TemplateEntry]:
    """One entry per distinct segment text (identical sentences share an entry), in document order.

    A document's disclaimer block is left out: the disclaimer has its own catalog shared by every document.
    """
    references: dict[str, list[tuple[str, int]]] = {}
    comments: dict[str, list[str]] = {}
    for block in document.blocks:
        if block.is_disclaimer and skip_disclaimer:
            continue
        for segment in block.segments:
            references.setdefault(segment.text, []).append((document.path.as_posix(), segment.line))
            comment = document.comment_for(segment)
            if comment not in comments.setdefault(segment.text, []):
                comments[segment.text].append(comment)
    return [TemplateEntry(msgid, tuple(refs), tuple(comments[msgid])) for msgid, refs in references.items()]


def interface_entries() -> list[TemplateEntry]:
    return [TemplateEntry(text, (), (f"leaflet interface: {key}",)) for key, text in INTERFACE_MESSAGES.items()]


def make_templates(config: Config, sources: Sources) -> dict[str, Catalog]:
    """catalog name → template, for every document plus the disclaimer and interface catalogs."""
    entries = {document.name: template_entries(document) for document in sources.documents}
    entries[DISCLAIMER] = template_entries(sources.disclaimer, skip_disclaimer=False)
    entries[INTERFACE] = interface_entries()
    return {
        name: catalog.build_template(items, config.project_name, template_path(config, name))
        for name, items in entries.items()
    }


# ----------------------------------------------------------------------------------------------- update


def read_catalogs(config: Config, languages: Iterable[str], names: Iterable[str]) -> dict[tuple[str, str], Catalog]:
    """Every existing PO file for these languages and catalogs, strictly parsed (errors stop the run)."""
    found = {}
    for language in languages:
        for name in names:
            path = catalog_path(config, language, name)
            if path.exists():
                found[language, name] = catalog.read_po(path)
    return found


def merge_catalogs(
    config: Config,
    templates: Mapping[str, Catalog],
    existing: Mapping[tuple[str, str], Catalog],
    languages: Iterable[str],
) -> dict[tuple[str, str], Catalog]:
    """msgmerge every template into every language's PO (in memory)."""
    return {
        (language, name): catalog.update(
            template,
            existing.get((language, name)),
            language,
            catalog_path(config, language, name),
            config.project_name,
        )
        for language in languages
        for name, template in templates.items()
    }


# ----------------------------------------------------------------------------------------------- translate

#: The translate stage saves its work after every chunk of this many distinct texts of a language: an interrupted
#: run (Ctrl-C, ``kill -9``, a power cut) loses at most one chunk, and the next run carries on from there because
#: filled entries are no longer empty. Big enough that the engine still decodes in full token-budget batches.
CHUNK_SEGMENTS = 128
#: How often a save may be retried when a translator keeps saving the same PO file while polyleaf writes it.
SAVE_ATTEMPTS = 5


def memory_fills(catalogs: Mapping[tuple[str, str], Catalog], language: str) -> list[Fill]:
    """Translation memory: for every empty entry of ``language``, a reviewed translation of the same msgid from
    any catalog of the language (not fuzzy: a translator already approved that exact text)."""
    memory: dict[str, tuple[str, str]] = {}
    for (lang, name), cat in sorted(catalogs.items()):
        if lang != language:
            continue
        for msgid, translation in cat.translations().items():
            if translation.reviewed:
                memory.setdefault(msgid, (translation.text, name))
    wanted = {msgid for (lang, _), cat in catalogs.items() if lang == language for msgid in cat.untranslated()}
    return [
        Fill(msgid, text, f"{catalog.TM_COMMENT} reviewed in {name}.po", fuzzy=False)
        for msgid, (text, name) in sorted(memory.items())
        if msgid in wanted
    ]


def fill_language(catalogs: Mapping[tuple[str, str], Catalog], language: str, fills: Sequence[Fill]) -> int:
    """Put ``fills`` into the empty entries of every catalog of ``language``; how many entries were filled."""
    return sum(cat.fill(fills) for (lang, _), cat in catalogs.items() if lang == language)


def fill_from_memory(catalogs: Mapping[tuple[str, str], Catalog], language: str) -> int:
    """Fill empty entries with reviewed translations of the same msgid from any catalog of the language."""
    return fill_language(catalogs, language, memory_fills(catalogs, language))


def pending_texts(catalogs: Mapping[tuple[str, str], Catalog], language: str) -> list[str]:
    """The distinct msgids still empty in some catalog of ``language``, longest first (see ``translate_chunks``)."""
    return longest_first(
        {msgid for (lang, _), cat in catalogs.items() if lang == language for msgid in cat.untranslated()}
    )


def longest_first(texts: Iterable[str]) -> list[str]:
    """Distinct ``texts``, longest first: the engine's own decoding order. Cut into chunks, each chunk then holds
    texts of similar length, so its token-budget batches stay as full as in one pass over everything."""
    return sorted(set(texts), key=lambda text: (-len(text), text))


def chunked(texts: Sequence[str], size: int) -> list[Sequence[str]]:
    """``texts`` cut into consecutive chunks of at most ``size`` (the last one may be smaller)."""
    size = max(1, size)
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def translate_chunks(
    engine: Engine,
    texts: Iterable[str],
    source: str,
    target: str,
    glossary: Glossary,
    *,
    chunk_size: int = CHUNK_SEGMENTS,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[MtResult]]:
    """Machine-translate the distinct ``texts`` (longest first) one chunk at a time, yielding each chunk's
    results as soon as it is done, so the caller can save them before the next chunk starts."""
    from polyleaf.mt.run import machine_translate

    for chunk in chunked(longest_first(texts), chunk_size):
        yield machine_translate(engine, chunk, source, target, glossary, progress=progress)


def machine_translate_language(
    config: Config,
    catalogs: Mapping[tuple[str, str], Catalog],
    language: str,
    engine: Engine,
    progress: Callable[[int], None] | None,
    *,
    chunk_size: int = CHUNK_SEGMENTS,
    checkpoint: Callable[[Sequence[Fill]], None] | None = None,
) -> int:
    """Fill every remaining empty entry of ``language`` with MT (each distinct text once), fuzzy + provenance.

    The texts are translated in chunks of ``chunk_size``; after each chunk the catalogs are filled and
    ``checkpoint(fills)`` is called (``run`` saves the PO files there), so an interrupted run keeps all but the
    chunk in progress. ``catalogs`` is looked up again after each checkpoint (a checkpoint may replace a catalog
    by a re-read one).
    """
    from polyleaf.mt.glossary import load_glossary

    pending = pending_texts(catalogs, language)
    if not pending:
        return 0
    glossary = load_glossary(config.glossary)
    filled = 0
    chunks = translate_chunks(
        engine, pending, config.source_language, language, glossary, chunk_size=chunk_size, progress=progress
    )
    for results in chunks:
        fills = [
            Fill(result.source_text, result.text, f"{catalog.MT_COMMENT} {result.provenance}")
            for result in results
            if result.text.strip()
        ]
        filled += fill_language(catalogs, language, fills)
        if checkpoint is not None:
            checkpoint(fills)
    return filled


class Workspace:
    """The PO files a run works on, what each held on disk when this run last read or wrote it, and the fills
    polyleaf made, so that every save can protect a translator who saved the same file meanwhile.

    ``save`` writes a catalog only when its content changed (dates aside), atomically, and only if the file on
    disk is still what this run last saw (compared just before the replace). If a translator saved it in the
    meantime, their file is re-read and merged again: ``catalog.update`` with the template keeps every one of
    their entries (reviewed, edited, un-fuzzied, commented) and the recorded fills go only into entries still
    empty on disk; then the save is tried again. A file that no longer parses is not touched: the run stops with
    its ``path:line: message``.
    """

    def __init__(
        self,
        config: Config,
        templates: Mapping[str, Catalog],
        catalogs: dict[tuple[str, str], Catalog],
        existing: Mapping[tuple[str, str], Catalog],
    ) -> None:
        self.config = config
        self.templates = templates
        self.catalogs = catalogs
        self.on_disk: dict[tuple[str, str], bytes | None] = {
            key: existing[key].loaded if key in existing else None for key in catalogs
        }
        self.fills: dict[str, list[Fill]] = {}
        self.written: list[Path] = []

    def fill(self, language: str, fills: Sequence[Fill]) -> int:
        """Fill empty entries of ``language`` and remember the fills for re-merges."""
        self.record(language, fills)
        return fill_language(self.catalogs, language, fills)

    def record(self, language: str, fills: Sequence[Fill]) -> None:
        self.fills.setdefault(language, []).extend(fills)

    def save_language(self, language: str) -> None:
        for key in sorted(self.catalogs):
            if key[0] == language:
                self.save(key)

    def save_all(self) -> None:
        for key in sorted(self.catalogs):
            self.save(key)

    def save(self, key: tuple[str, str]) -> None:
        from polyleaf.fsio import ChangedOnDisk, replace_if_unchanged

        path = catalog_path(self.config, *key)
        for _attempt in range(SAVE_ATTEMPTS):
            data = self.catalogs[key].to_bytes(catalog.now())
            previous = self.on_disk[key]
            if catalog.same_but_dates(data, previous):
                return
            try:
                replace_if_unchanged(path, data, previous)
            except ChangedOnDisk as changed:
                self._remerge(key, changed.current)
                continue
            self.on_disk[key] = data
            if path not in self.written:
                self.written.append(path)
            return
        raise CatalogError(
            f"the file keeps changing while polyleaf saves it ({SAVE_ATTEMPTS} attempts); run polyleaf again",
            self.config.relative(path),
        )

    def _remerge(self, key: tuple[str, str], current: bytes | None) -> None:
        """Take the translator's version of the file as the new base and re-apply this run's fills."""
        language, name = key
        path = catalog_path(self.config, language, name)
        theirs = None
        if current is not None:
            try:
                theirs = catalog.parse_po(current, path)
            except CatalogError as error:
                raise CatalogError(
                    f"{error.message} (the file was changed during this run; polyleaf did not overwrite it)",
                    self.config.relative(path),
                    error.line,
                ) from None
        merged = catalog.update(self.templates[name], theirs, language, path, self.config.project_name)
        merged.fill(self.fills.get(language, []))
        self.catalogs[key] = merged
        self.on_disk[key] = current


# ----------------------------------------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class Selection:
    """What a command works on: languages and documents (empty = all configured)."""

    languages: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def languages_of(self, config: Config) -> tuple[str, ...]:
        if not self.languages:
            return config.languages
        chosen = tuple(locale.normalize(code) for code in self.languages)
        unknown = [code for code in chosen if code not in config.languages]
        if unknown:
            raise ConfigError(
                f"language {unknown[0]!r} is not configured (configured: {', '.join(config.languages)})",
                config.relative(config.config_file),
            )
        return chosen


def run(
    config: Config,
    selection: Selection = Selection(),
    *,
    steps: frozenset[str] = frozenset({"extract", "update", "translate", "build"}),
    engine_factory: Callable[[Config], Engine] | None = None,
    progress: ProgressFactory | None = None,
    release: bool = False,
    formats: Sequence[str] | None = None,
    chunk_size: int = CHUNK_SEGMENTS,
) -> Report:
    """The main job; ``steps`` picks the stages (``extract`` alone writes only templates).

    Everything is read and parsed first, so a bad source or PO file stops the run before anything is written.
    Then the templates and the updated PO files are saved (with translation-memory fills), then machine
    translation saves each language's PO files after every ``chunk_size`` texts, then the build runs.
    """
    report = Report()
    with project_lock(config.root):
        remove_stale_temp_files(config.locales_dir)  # only runs write there, and this one holds the lock
        remove_stale_temp_files(config.build_dir, older_than=60.0)  # ``status`` writes here without the lock
        languages = selection.languages_of(config)
        sources = load_sources(config, selection.documents)
        report.warnings.extend(disclaimer_warnings(sources))
        templates = make_templates(config, sources)
        existing = read_catalogs(config, languages, templates) if steps - {"extract"} else {}
        catalogs: dict[tuple[str, str], Catalog] = {}
        if steps & {"update", "translate", "build"}:
            catalogs = merge_catalogs(config, templates, existing, languages)
        work = Workspace(config, templates, catalogs, existing)
        for name, template in templates.items() if "extract" in steps else ():
            path = template_path(config, name)
            data = catalog.bytes_if_changed(catalog.template_to_bytes(template), path)
            if data is not None and write_if_changed(path, data):
                report.written.append(path)
        if "translate" in steps:
            for language in languages:
                fills = memory_fills(work.catalogs, language)
                report.filled_from_tm[language] = work.fill(language, fills)
        if steps & {"update", "translate"}:
            work.save_all()
        if "translate" in steps:
            _translate(config, work, languages, report, engine_factory, progress, chunk_size)
        report.written.extend(work.written)
        if "build" in steps:
            built = build(config, sources, work.catalogs, languages, release=release, formats=formats)
            report.written.extend(built.written)
            report.withheld.extend(built.withheld)
            report.warnings.extend(built.warnings)
            report.published.extend(f"{item.language}/{item.document}" for item in built.published)
    return report


def _translate(
    config: Config,
    work: Workspace,
    languages: Sequence[str],
    report: Report,
    engine_factory: Callable[[Config], Engine] | None,
    progress: ProgressFactory | None,
    chunk_size: int,
) -> None:
    """Machine-translate what translation memory left empty, saving each language's PO files chunk by chunk."""
    engine = (engine_factory or default_engine)(config)
    missing: list[str] = []
    for language in languages:
        if not engine.supports(config.source_language, language):
            missing.append(language)
            report.skipped[language] = "no translation model installed"
            continue
        pending = len(pending_texts(work.catalogs, language))
        callback = progress(language, pending) if progress and pending else None

        def checkpoint(fills: Sequence[Fill], language: str = language) -> None:
            work.record(language, fills)
            work.save_language(language)

        report.filled_from_mt[language] = machine_translate_language(
            config, work.catalogs, language, engine, callback, chunk_size=chunk_size, checkpoint=checkpoint
        )
    if missing:
        report.notes.append(
            f"nothing was machine-translated for {', '.join(missing)}: no argos translation package is installed "
            f"for {config.source_language}→{', '.join(missing)} (install one with "
            "`polyleaf models install FILE.argosmodel`)"
        )


def default_engine(config: Config) -> Engine:
    from polyleaf.mt.argos import ArgosEngine

    return ArgosEngine(config.mt)


# ----------------------------------------------------------------------------------------------- build


@dataclass(frozen=True, slots=True)
class Published:
    """One document published by a release build, as recorded in ``build/release.json``."""

    language: str
    document: str
    source_sha256: str
    catalog_sha256: str
    disclaimer_sha256: str  # the disclaimer's catalog: its translation is part of every leaflet
    interface_sha256: str  # the leaflet's own words (interface.po)
    date: str


@dataclass(slots=True)
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)


def build(
    config: Config,
    sources: Sources,
    catalogs: Mapping[tuple[str, str], Catalog],
    languages: Sequence[str],
    *,
    release: bool = False,
    formats: Sequence[str] | None = None,
) -> BuildResult:
    """Build every document in every language.

    Draft: each segment shows the best text there is (reviewed, else MT/fuzzy, else source) and the document
    says it is a draft. Release: reviewed text only; a document is withheld (with its reason) unless its
    reviewed share reaches the threshold, its reviewed entries pass QA and the disclaimer is reviewed.
    """
    from polyleaf.render import IndexEntry

    result = BuildResult()
    formats = tuple(formats or config.formats)
    site: list[IndexEntry] = []
    updated = {document.name: _updated(config, document) for document in sources.documents}
    for language in languages:
        disclaimer_tr = _usable(catalogs[language, DISCLAIMER].translations(), release)
        labels = {
            key: _reviewed_or(catalogs[language, INTERFACE].translations(), text)
            for key, text in INTERFACE_MESSAGES.items()
        }
        links: list[LeafletLink] = []
        for document in sources.documents:
            doc_catalog = catalogs[language, document.name]
            if release:
                _summary, reason = _release_blocker(config, catalogs, document.name, language)
                if reason:
                    result.withheld.append(f"{language}/{document.name}: {reason}")
                    _unpublish(config, language, document.name)
                    continue
            leaflet_link = _build_document(
                config,
                document,
                sources.disclaimer,
                _usable(doc_catalog.translations(), release),
                disclaimer_tr,
                labels,
                language,
                formats,
                release,
                result,
                updated[document.name],
            )
            if leaflet_link is not None:
                links.append(leaflet_link)
            if release:
                result.published.append(
                    _published(config, document, catalogs, language)
                )
        if "html" in formats and (links or not release):
            _render_cached(
                config,
                output_path(config, language, "index", "html", release),
                (language, tuple(links), config.project_name),
                partial(_language_index, config, language, links),
                result,
            )
        if links or not release:
            site.append(IndexEntry(language, len(links), sum(1 for link in links if link.draft)))
    if "html" in formats:
        _render_cached(
            config,
            output_dir(config, release) / "index.html",
            (tuple(site), config.project_name, config.source_language),
            partial(_site_index, config, site),
            result,
        )
    if release:
        covered = {(language, document.name) for language in languages for document in sources.documents}
        manifest_path = config.build_dir / "release.json"
        records, retired = _manifest(manifest_path, result.published, covered, _source_names(config))
        for language, name in retired:
            _unpublish(config, language, name)
        for language in languages:  # no leaflet left in a language: no index page pointing at removed files
            if not any(record["language"] == language for record in records):
                output_path(config, language, "index", "html", release=True).unlink(missing_ok=True)
        manifest = (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        _write(manifest_path, manifest, result)
    return result


_IDENTITY = ("language", "document", "source_sha256", "catalog_sha256", "disclaimer_sha256", "interface_sha256")


def _manifest(
    path: Path, published: Sequence[Published], covered: set[tuple[str, str]], documents: set[str]
) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
    """release.json's records after this build, and the (language, document) releases to remove.

    What this build covered is replaced by what it published; entries it did not cover (``--lang``/``--doc``)
    are kept unless their source file was deleted. An entry built from the same source and catalogs as before
    keeps its original date (no churn).
    """
    try:
        old_records = [dict(record) for record in json.loads(path.read_text(encoding="utf-8"))]
        previous = {tuple(record.get(key) for key in _IDENTITY): record["date"] for record in old_records}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        old_records, previous = [], {}
    records: list[dict[str, str]] = []
    retired: list[tuple[str, str]] = []
    for record in old_records:
        where = (record.get("language"), record.get("document"))
        if where in covered:
            continue
        if where[1] in documents:
            records.append(record)
        else:
            retired.append((str(where[0]), str(where[1])))
    for item in published:
        record = dataclasses.asdict(item)
        record["date"] = previous.get(tuple(record[key] for key in _IDENTITY), item.date)
        records.append(record)
    records.sort(key=lambda record: (record["language"], record["document"]))
    return records, retired


def _source_names(config: Config) -> set[str]:
    """The names of every source document there is (whatever ``--doc`` selected)."""
    return {path.stem for path in config.source_dir.iterdir() if path.suffix.lower() in SOURCE_SUFFIXES}


def _build_document(
    config: Config,
    document: Document,
    disclaimer: Document,
    translations: Mapping[str, Translation],
    disclaimer_tr: Mapping[str, Translation],
    labels: Mapping[str, str],
    language: str,
    formats: Sequence[str],
    release: bool,
    result: BuildResult,
    updated: dt.date,
) -> LeafletLink | None:
    from polyleaf.render import LeafletLink
    from polyleaf.render.leaflet import make_leaflet
    from polyleaf.render.text import render_text

    localize = _localizer(document, translations, disclaimer_tr, disclaimer)
    counted = [segment for block in document.blocks if not block.is_disclaimer for segment in block.segments]
    unreviewed = sum(1 for segment in counted if not localize(segment)[1])
    unreviewed += sum(1 for segment in disclaimer.segments if not _best(disclaimer_tr, segment)[1])
    total = len(counted) + len(disclaimer.segments)
    draft = not release and unreviewed > 0
    notice = f"{labels['draft']} {labels['not_reviewed']}: {unreviewed}/{total}" if draft else ""
    disclaimer_local = _localized_text(disclaimer, disclaimer_tr)
    files: list[str] = []
    if "txt" in formats:
        text = render_text(
            document,
            lambda segment: localize(segment)[0],
            disclaimer=None if document.has_disclaimer() else disclaimer_local,
            notice=notice or None,
        )
        path = output_path(config, language, document.name, document.format, release)
        _write(path, text.encode("utf-8"), result)
        files.append(path.name)
    if "html" not in formats and "pdf" not in formats:
        return None

    leaflet = make_leaflet(
        document,
        localize,
        language=language,
        source_language=config.source_language,
        script=locale.script(language),
        disclaimer=disclaimer_local,
        draft=draft,
        draft_notice=notice,
        unreviewed=unreviewed,
        total=total,
        updated=updated,
        page_size=config.page_size,
        labels=labels,
        project=config.project_name,
    )
    rendered: dict[str, str] = {}

    def html() -> str:  # rendered at most once, and only when an output is out of date
        if "html" not in rendered:
            from polyleaf.render.html import render_leaflet_html

            rendered["html"] = render_leaflet_html(leaflet)
        return rendered["html"]

    def html_bytes() -> bytes:
        return html().encode("utf-8")

    def pdf(path: Path) -> bytes:
        from polyleaf.render.pdf import render_pdf

        return render_pdf(html(), base_url=path.parent)

    for fmt in ("html", "pdf"):
        if fmt not in formats:
            continue
        path = output_path(config, language, document.name, fmt, release)
        try:
            _render_cached(
                config,
                path,
                leaflet,
                html_bytes if fmt == "html" else partial(pdf, path),
                result,
            )
        except RenderError as error:  # e.g. a font missing here: the other formats are still useful
            result.warnings.append(f"{config.relative(path)}: not built: {error.message}")
            continue
        files.append(path.name)
    offered_first = {".html": 0, ".pdf": 1}
    files.sort(key=lambda name: offered_first.get(Path(name).suffix, 2))
    return LeafletLink.from_leaflet(leaflet, files)


def _render_cached(
    config: Config, path: Path, inputs: object, render: Callable[[], bytes], result: BuildResult
) -> None:
    """Write ``render()`` to ``path`` unless the file was already rendered from equal ``inputs``.

    Rendering (Jinja, and WeasyPrint above all) is the slow part of a re-run; the ``repr`` of the frozen
    input dataclasses, with the polyleaf version, is the cache key kept in ``build/.cache``.
    """
    key = hashlib.sha256(f"{__version__}\n{inputs!r}".encode()).hexdigest()
    stamp = _stamp(config, path)
    if path.is_file() and _read_stamp(stamp) == key:
        return
    _write(path, render(), result)
    write_if_changed(stamp, key.encode("ascii"))


def _language_index(config: Config, language: str, links: Sequence[LeafletLink]) -> bytes:
    from polyleaf.render.index import render_language_index

    return render_language_index(language, links, project=config.project_name).encode("utf-8")


def _site_index(config: Config, site: Sequence[IndexEntry]) -> bytes:
    from polyleaf.render.index import render_site_index

    page = render_site_index(site, project=config.project_name, source_language=config.source_language)
    return page.encode("utf-8")


def _stamp(config: Config, output: Path) -> Path:
    """Where the hash of what an output was rendered from is kept (``build/.cache/…``, out of the clinic's way)."""
    return config.build_dir / ".cache" / f"{output.relative_to(config.build_dir)}.sha256"


def _read_stamp(stamp: Path) -> str:
    try:
        return stamp.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _unpublish(config: Config, language: str, name: str) -> None:
    """Remove a previous release of a document that may no longer be published."""
    folder = output_path(config, language, name, "x", release=True).parent
    for extension in ("txt", "md", "html", "pdf"):
        (folder / f"{name}.{extension}").unlink(missing_ok=True)


def _write(path: Path, data: bytes, result: BuildResult) -> None:
    if write_if_changed(path, data):
        result.written.append(path)


def _usable(translations: Mapping[str, Translation], release: bool) -> dict[str, Translation]:
    """A release uses reviewed translations only; a draft uses every translation there is."""
    return {msgid: tr for msgid, tr in translations.items() if tr.reviewed or not release}


def _release_blocker(
    config: Config, catalogs: Mapping[tuple[str, str], Catalog], name: str, language: str
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
        key for key in RELEASE_LABELS if not (found := interface.get(INTERFACE_MESSAGES[key])) or not found.reviewed
    ]
    if unreviewed_labels:
        words = ", ".join(repr(INTERFACE_MESSAGES[key]) for key in unreviewed_labels)
        return "labels not reviewed", f"the leaflet's own words ({words}) are not reviewed in interface.po"
    errors = [
        diagnostic
        for cat in (doc_catalog, disclaimer_catalog)
        for diagnostic in check_catalog(config, cat, language)
        if diagnostic.severity == "error"
    ]
    if errors:
        count = f"{len(errors)} QA error{'s' if len(errors) > 1 else ''}"
        return count, f"{count} in reviewed entries, first: {errors[0]}"
    return "", ""


def _where(config: Config, cat: Catalog, msgid: str) -> str:
    """``path:line`` of an entry in the PO file a translator opens."""
    line = _disk_lines(cat).get(msgid, 0)
    return f"{config.relative(cat.path)}:{line}" if line else str(config.relative(cat.path))


def _disk_lines(cat: Catalog) -> dict[str, int]:
    """msgid → line of its entry in the PO file on disk. A merged catalog lives in memory only and its entries
    have no line, but diagnostics must point where the translator will look."""
    if not cat.path.is_file():
        return {}
    return {entry.msgid: entry.line for entry in catalog.read_po(cat.path).entries()}


def _published(
    config: Config, document: Document, catalogs: Mapping[tuple[str, str], Catalog], language: str
) -> Published:
    source = (config.root / document.path).read_bytes()
    return Published(
        language=language,
        document=document.name,
        source_sha256=hashlib.sha256(source).hexdigest(),
        catalog_sha256=catalogs[language, document.name].fingerprint(),
        disclaimer_sha256=catalogs[language, DISCLAIMER].fingerprint(),
        interface_sha256=catalogs[language, INTERFACE].fingerprint(),
        date=catalog.now().date().isoformat(),
    )


def _best(translations: Mapping[str, Translation], segment: Segment) -> tuple[str, bool]:
    found = translations.get(segment.text)
    if found is None:
        return segment.text, False
    return found.text, found.reviewed


def _reviewed_or(translations: Mapping[str, Translation], text: str) -> str:
    found = translations.get(text)
    return found.text if found is not None and found.reviewed else text


def _localized_text(document: Document, translations: Mapping[str, Translation]) -> str:
    return " ".join(_best(translations, segment)[0] for segment in document.segments)


def _localizer(
    document: Document,
    translations: Mapping[str, Translation],
    disclaimer_translations: Mapping[str, Translation],
    disclaimer: Document,
) -> Callable[[Segment], tuple[str, bool]]:
    """(text, reviewed) per segment; a document's own disclaimer block shows the standard disclaimer."""
    in_disclaimer = {
        segment.start: block for block in document.blocks if block.is_disclaimer for segment in block.segments
    }
    standard = _localized_text(disclaimer, disclaimer_translations)
    standard_reviewed = all(_best(disclaimer_translations, s)[1] for s in disclaimer.segments)

    def localize(segment: Segment) -> tuple[str, bool]:
        block = in_disclaimer.get(segment.start)
        if block is None:
            return _best(translations, segment)
        if segment.index == 0:
            return standard, standard_reviewed
        return "", standard_reviewed

    return localize


def _updated(config: Config, document: Document) -> dt.date:
    """The source's last change (git commit or file time), never after SOURCE_DATE_EPOCH when that is set."""
    epoch = catalog.now()
    try:
        return min(last_change(config.root / document.path), epoch).date()
    except OSError:
        return epoch.date()


# ----------------------------------------------------------------------------------------------- check


def check_catalog(config: Config, cat: Catalog, language: str) -> list[Diagnostic]:
    """QA diagnostics for every translated entry of one catalog (fuzzy ones at a lower severity)."""
    from polyleaf import qa
    from polyleaf.mt.glossary import load_glossary

    glossary = load_glossary(config.glossary)
    context = qa.CheckContext(
        source_language=config.source_language,
        target_language=language,
        dnt_terms=glossary.dnt_terms,
        required_terms=glossary.required_for(language),
    )
    states = cat.entries()
    lines = _disk_lines(cat) if any(not entry.line for entry in states) else {}
    entries = [
        qa.EntryView(entry.msgid, entry.msgstr, entry.line or lines.get(entry.msgid, 0), entry.fuzzy)
        for entry in states
    ]
    return qa.check_catalog_entries(entries, context, config.relative(cat.path))


def check(config: Config, selection: Selection = Selection()) -> list[Diagnostic]:
    """QA over the PO files as they are on disk (line numbers point into them); nothing is written."""
    languages = selection.languages_of(config)
    sources = load_sources(config, selection.documents)
    names = [document.name for document in sources.documents] + [DISCLAIMER, INTERFACE]
    existing = read_catalogs(config, languages, names)
    return [
        diagnostic
        for (language, _name), cat in sorted(existing.items())
        for diagnostic in check_catalog(config, cat, language)
    ]


# ----------------------------------------------------------------------------------------------- status


def status(config: Config, selection: Selection = Selection()) -> list[StatusRow]:
    """Counts per language and catalog as they would be after ``update``, with release readiness.

    Nothing is changed but ``build/status.html``, the same table as a page for coordinators.
    """
    from polyleaf.render.status import render_status_page

    languages = selection.languages_of(config)
    sources = load_sources(config, selection.documents)
    templates = make_templates(config, sources)
    existing = read_catalogs(config, languages, templates)
    merged = merge_catalogs(config, templates, existing, languages)
    documents = {document.name: document for document in sources.documents}
    rows = []
    for (language, name), cat in merged.items():
        errors = sum(1 for d in check_catalog(config, cat, language) if d.severity == "error")
        summary, blocker = "", ""
        if name in documents:
            summary, blocker = _release_blocker(config, merged, name, language)
        elif name == DISCLAIMER and cat.stats().reviewed < cat.stats().segments:
            summary, blocker = "not reviewed", "not reviewed: every release needs it"
        elif name == DISCLAIMER and errors:
            summary, blocker = "QA errors", "QA errors in reviewed entries: every release needs it"
        rows.append(StatusRow(language, name, cat.stats(), errors, blocker, summary))
    page = render_status_page(rows, project=config.project_name, generated=catalog.now().strftime("%Y-%m-%d %H:%M UTC"))
    write_if_changed(config.build_dir / "status.html", page.encode("utf-8"))
    return rows


# ----------------------------------------------------------------------------------------------- models


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """Whether the configured source → target pair can be machine-translated, and with what."""

    language: str
    provenance: str  # "" when no installed package covers the pair


def installed_models() -> list[tuple[str, str, str]]:
    """(from, to, version) of every installed argos package."""
    from polyleaf.mt import argos

    return argos.installed_pairs()


def model_coverage(config: Config) -> list[ModelStatus]:
    from polyleaf.mt.argos import ArgosEngine

    engine = ArgosEngine(config.mt)
    return [
        ModelStatus(
            language,
            engine.provenance(config.source_language, language)
            if engine.supports(config.source_language, language)
            else "",
        )
        for language in config.languages
    ]


def install_model(path: Path) -> str:
    """Install a ``.argosmodel`` file offline; returns its pair and version."""
    from polyleaf.mt import argos

    package = argos.install_package(path)
    return f"{package.pair} {package.version}"


def download_models(config: Config, languages: Sequence[str]) -> list[str]:
    """Fetch from the argos index what the languages need (fails in one line when offline)."""
    from polyleaf.mt import argos

    chosen = Selection(tuple(languages)).languages_of(config) if languages else config.languages
    return [f"{p.pair} {p.version}" for p in argos.download_packages(chosen, source=config.source_language)]
