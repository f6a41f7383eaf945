"""The only module that composes stages: parse → extract → update → translate → check → build.

Every public function here is what a CLI command calls. Each one reads everything it needs first (so a bad
PO or source file stops the run before anything is written), computes the new file contents, then writes
them atomically — only the files whose content really changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polyleaf import catalog, locale
from polyleaf.catalog import Catalog, CatalogStats, Fill, TemplateEntry, Translation
from polyleaf.config import Config
from polyleaf.document import Document, Segment, read_source
from polyleaf.errors import ConfigError, SourceError
from polyleaf.fsio import project_lock, write_if_changed

DISCLAIMER = "disclaimer"
INTERFACE = "interface"
SOURCE_SUFFIXES = (".txt", ".md", ".markdown")

#: Strings of the leaflet itself (not of any article), translated like everything else in interface.po.
INTERFACE_MESSAGES: Mapping[str, str] = {
    "draft": "Draft: this translation has not been fully reviewed yet.",
    "not_reviewed": "Segments not reviewed",
    "updated": "Updated",
    "language": "Language",
    "disclaimer": "Disclaimer",
}

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


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One line of ``polyleaf status``."""

    language: str
    document: str
    stats: CatalogStats


# ----------------------------------------------------------------------------------------------- layout


def template_path(config: Config, name: str) -> Path:
    return config.locales_dir / "templates" / f"{name}.pot"


def catalog_path(config: Config, language: str, name: str) -> Path:
    return config.locales_dir / language / "LC_MESSAGES" / f"{name}.po"


def output_path(config: Config, language: str, name: str, extension: str) -> Path:
    return config.build_dir / language / f"{name}.{extension}"


# ----------------------------------------------------------------------------------------------- parse


def load_sources(config: Config, only: Sequence[str] = ()) -> Sources:
    """Parse every article in ``source_dir`` (or the ones named in ``only``) and the disclaimer."""
    if not config.disclaimer.is_file():
        raise ConfigError("the standard disclaimer file does not exist", config.relative(config.disclaimer))
    disclaimer = _read(config, config.disclaimer)
    paths = sorted(
        path
        for path in config.source_dir.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.resolve() != config.disclaimer.resolve()
    )
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


def fill_from_memory(catalogs: Mapping[tuple[str, str], Catalog], language: str) -> int:
    """Fill empty entries with reviewed translations of the same msgid from any catalog of the language."""
    memory: dict[str, tuple[str, str]] = {}
    for (lang, name), cat in sorted(catalogs.items()):
        if lang != language:
            continue
        for msgid, translation in cat.translations().items():
            if translation.reviewed:
                memory.setdefault(msgid, (translation.text, name))
    filled = 0
    for (lang, _name), cat in catalogs.items():
        if lang != language:
            continue
        fills = [
            Fill(msgid, memory[msgid][0], f"{catalog.TM_COMMENT} reviewed in {memory[msgid][1]}.po", fuzzy=False)
            for msgid in cat.untranslated()
            if msgid in memory
        ]
        filled += cat.fill(fills)
    return filled


def machine_translate_language(
    config: Config,
    catalogs: Mapping[tuple[str, str], Catalog],
    language: str,
    engine: object,
    progress: Callable[[int], None] | None,
) -> int:
    """Fill every remaining empty entry of ``language`` with MT (each distinct text once), fuzzy + provenance."""
    from polyleaf.mt.glossary import load_glossary
    from polyleaf.mt.run import machine_translate

    pending = sorted({msgid for (lang, _), cat in catalogs.items() if lang == language for msgid in cat.untranslated()})
    if not pending:
        return 0
    glossary = load_glossary(config.glossary)
    results = machine_translate(
        engine,  # type: ignore[arg-type]
        pending,
        config.source_language,
        language,
        glossary,
        progress=progress,
    )
    fills = [
        Fill(result.source_text, result.text, f"{catalog.MT_COMMENT} {result.provenance}")
        for result in results
        if result.text.strip()
    ]
    filled = 0
    for (lang, _), cat in catalogs.items():
        if lang == language:
            filled += cat.fill(fills)
    return filled


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
    engine_factory: Callable[[Config], object] | None = None,
    progress: ProgressFactory | None = None,
) -> Report:
    """The main job; ``steps`` picks the stages (``extract`` alone writes only templates)."""
    report = Report()
    with project_lock(config.root):
        languages = selection.languages_of(config)
        sources = load_sources(config, selection.documents)
        report.warnings.extend(disclaimer_warnings(sources))
        templates = make_templates(config, sources)
        existing = read_catalogs(config, languages, templates) if steps - {"extract"} else {}
        writes: list[tuple[Path, bytes]] = []
        for name, template in templates.items() if "extract" in steps else ():
            data = catalog.bytes_if_changed(catalog.template_to_bytes(template), template_path(config, name))
            if data is not None:
                writes.append((template_path(config, name), data))
        catalogs: dict[tuple[str, str], Catalog] = {}
        if steps & {"update", "translate", "build"}:
            catalogs = merge_catalogs(config, templates, existing, languages)
        if "translate" in steps:
            _translate(config, catalogs, languages, report, engine_factory, progress)
        if steps & {"update", "translate"}:
            for cat in catalogs.values():
                data = catalog.bytes_if_changed(cat.to_bytes(catalog.now()), cat.path)
                if data is not None:
                    writes.append((cat.path, data))
        for path, data in writes:
            write_if_changed(path, data)
            report.written.append(path)
        if "build" in steps:
            report.written.extend(build(config, sources, catalogs, languages))
    return report


def _translate(
    config: Config,
    catalogs: Mapping[tuple[str, str], Catalog],
    languages: Sequence[str],
    report: Report,
    engine_factory: Callable[[Config], object] | None,
    progress: ProgressFactory | None,
) -> None:
    for language in languages:
        report.filled_from_tm[language] = fill_from_memory(catalogs, language)
    engine = (engine_factory or default_engine)(config)
    missing: list[str] = []
    for language in languages:
        if not engine.supports(config.source_language, language):  # type: ignore[attr-defined]
            missing.append(language)
            report.skipped[language] = "no translation model installed"
            continue
        pending = len({m for (lang, _), c in catalogs.items() if lang == language for m in c.untranslated()})
        callback = progress(language, pending) if progress and pending else None
        report.filled_from_mt[language] = machine_translate_language(config, catalogs, language, engine, callback)
    if missing:
        report.notes.append(
            f"nothing was machine-translated for {', '.join(missing)}: no argos translation package is installed "
            f"for {config.source_language}→{', '.join(missing)} (install one with "
            "`polyleaf models install FILE.argosmodel`)"
        )


def default_engine(config: Config) -> object:
    from polyleaf.mt.argos import ArgosEngine

    return ArgosEngine(config.mt)


# ----------------------------------------------------------------------------------------------- build


def build(
    config: Config,
    sources: Sources,
    catalogs: Mapping[tuple[str, str], Catalog],
    languages: Sequence[str],
    formats: Sequence[str] | None = None,
) -> list[Path]:
    """Draft build: every segment shows the best text there is (reviewed, else MT/fuzzy, else source)."""
    from polyleaf.render.leaflet import make_leaflet
    from polyleaf.render.text import render_text

    written: list[Path] = []
    formats = tuple(formats or config.formats)
    for language in languages:
        disclaimer_tr = catalogs[language, DISCLAIMER].translations()
        interface_tr = catalogs[language, INTERFACE].translations()
        disclaimer_local = _localized_text(sources.disclaimer, disclaimer_tr)
        labels = {key: _reviewed_or(interface_tr, text) for key, text in INTERFACE_MESSAGES.items()}
        for document in sources.documents:
            doc_tr = catalogs[language, document.name].translations()
            localize = _localizer(document, doc_tr, disclaimer_tr, sources.disclaimer)
            unreviewed = sum(1 for segment in document.segments if not localize(segment)[1])
            unreviewed += sum(1 for segment in sources.disclaimer.segments if not _best(disclaimer_tr, segment)[1])
            total = len(document.segments) + (0 if document.has_disclaimer() else len(sources.disclaimer.segments))
            notice = f"{labels['draft']} {labels['not_reviewed']}: {unreviewed}/{total}" if unreviewed else ""
            if "txt" in formats:
                text = render_text(
                    document,
                    lambda segment, localize=localize: localize(segment)[0],  # type: ignore[misc]
                    disclaimer=None if document.has_disclaimer() else disclaimer_local,
                    notice=notice or None,
                )
                path = output_path(config, language, document.name, document.format)
                if write_if_changed(path, text.encode("utf-8")):
                    written.append(path)
            if "html" in formats or "pdf" in formats:
                leaflet = make_leaflet(
                    document,
                    localize,
                    language=language,
                    script=locale.script(language),
                    disclaimer=disclaimer_local,
                    draft=bool(unreviewed),
                    draft_notice=notice,
                    updated=_updated(config, document),
                    page_size=config.page_size,
                    labels=labels,
                )
                written.extend(_write_leaflet(config, leaflet, formats))
    return written


def _write_leaflet(config: Config, leaflet: object, formats: Sequence[str]) -> list[Path]:
    from polyleaf.render.html import render_leaflet_html

    written = []
    html = render_leaflet_html(leaflet)  # type: ignore[arg-type]
    name, language = leaflet.document, leaflet.language  # type: ignore[attr-defined]
    if "html" in formats:
        path = output_path(config, language, name, "html")
        if write_if_changed(path, html.encode("utf-8")):
            written.append(path)
    if "pdf" in formats:
        from polyleaf.render.pdf import render_pdf

        path = output_path(config, language, name, "pdf")
        if write_if_changed(path, render_pdf(html, base_url=path.parent)):
            written.append(path)
    return written


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
    """The source's last change (or SOURCE_DATE_EPOCH when set, for reproducible builds)."""
    epoch = catalog.now()
    path = config.root / document.path
    try:
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except OSError:
        return epoch.date()
    return min(modified, epoch).date()


# ----------------------------------------------------------------------------------------------- status


def status(config: Config, selection: Selection = Selection()) -> list[StatusRow]:
    """Counts per language and catalog as they would be after ``update`` (nothing is written)."""
    languages = selection.languages_of(config)
    sources = load_sources(config, selection.documents)
    templates = make_templates(config, sources)
    existing = read_catalogs(config, languages, templates)
    merged = merge_catalogs(config, templates, existing, languages)
    return [StatusRow(language, name, cat.stats()) for (language, name), cat in merged.items()]
