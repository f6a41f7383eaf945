"""The only package that composes stages: parse → extract → update → translate → check → build.

The CLI calls this package: ``run`` (the main job), ``check``, ``status``, the model commands. Each reads
everything it needs first (so a bad PO or source file stops the run before anything is written), computes the new
file contents, then writes them atomically — only the files whose content really changed.

One module per concern: ``sources`` (parse, extract), ``catalogs`` (read and update the PO files, in memory),
``translate`` (translation memory, MT, saving PO files safely), ``journal`` (MT checkpoints), ``build`` (leaflets,
release, manifest), ``release`` (a release built aside and swapped in whole; ``verify-release``), ``review`` (QA,
release readiness, status), ``models`` (argos packages), ``segment_cache``,
``po_cache`` and ``qa_cache`` (what a re-run need not compute again, in ``build/.cache``), ``run_record`` (a run
with nothing to do: the project is as the last run left it). This module holds ``run``, the main job, and
re-exports the public names. Machine translation and PDFs run as tasks of ``polyleaf.execution.workers`` (local worker
processes) or ``polyleaf.execution.cluster`` (Dask); this process alone writes files.
``run`` looks the stages up in this namespace, so replacing e.g. ``pipeline.merge_catalogs`` or
``pipeline.default_engine`` (as tests do) changes what it calls. ``pipeline.build`` is the build module (the stage
is ``pipeline.build.build``): a function of the same name would hide the module.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from polyleaf.catalog import model as catalog
from polyleaf.catalog.template import template_to_bytes
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.execution.workers import (
    FROM_CONFIG,
    Executor,
    Inline,
    LocalPool,
    Parallel,
    dask_executor,
    default_workers,
    open_executor,
    running,
)
from polyleaf.fsio import project_lock, remove_stale_temp_files, write_if_changed
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline import build
from polyleaf.pipeline.build import DRAFT, Outputs
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs, read_catalogs, read_orphans
from polyleaf.pipeline.dashboard import write_status_page
from polyleaf.pipeline.fuzzy import suggest_from_memory
from polyleaf.pipeline.models import (
    ModelInfo,
    ModelStatus,
    download_models,
    install_any,
    install_model,
    installed_ctranslate2_models,
    installed_models,
    model_coverage,
    non_commercial_models,
    remove_model,
)
from polyleaf.pipeline.po_cache import ParsedCatalogs
from polyleaf.pipeline.qa_cache import QaCache
from polyleaf.pipeline.qa_cache import active as qa_cache_active
from polyleaf.pipeline.readiness import StatusRow, rows_of, status, status_rows
from polyleaf.pipeline.release import build_release, carry_over, replaced_whole
from polyleaf.pipeline.review import bind_waivers, check, qa_notes
from polyleaf.pipeline.run_record import Replay, RunRecord
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.pipeline.sources import (
    EVERYTHING,
    Selection,
    Sources,
    disclaimer_text,
    disclaimer_warnings,
    load_sources,
    make_templates,
    source_paths,
    template_entries,
)
from polyleaf.pipeline.translate import (
    CHUNK_SEGMENTS,
    EngineRecipe,
    Workspace,
    chunked,
    default_engine,
    memory_fills,
    mt_fills,
    pending_texts,
    translate_task,
)
from polyleaf.progress import Advance, ProgressFactory
from polyleaf.project import catalog_path, status_page_path, template_path

if TYPE_CHECKING:
    from polyleaf.execution.workers import RemoteExecutor
    from polyleaf.mt.engine import Engine

__all__ = [
    "CHUNK_SEGMENTS",
    "INTERFACE_MESSAGES",
    "Catalogs",
    "ModelInfo",
    "ModelStatus",
    "Outputs",
    "Parallel",
    "Report",
    "Selection",
    "Sources",
    "StatusRow",
    "check",
    "default_engine",
    "disclaimer_text",
    "download_models",
    "install_any",
    "install_model",
    "installed_ctranslate2_models",
    "installed_models",
    "load_sources",
    "make_templates",
    "merge_catalogs",
    "model_coverage",
    "non_commercial_models",
    "pending_texts",
    "remove_model",
    "run",
    "status",
    "status_rows",
    "template_entries",
]


@dataclass(slots=True)
class Report:
    """What a command did, for the CLI to print (or dump as JSON)."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # outputs no build makes any more
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the command failed (exit 1), though it finished its work
    filled_from_tm: dict[str, int] = field(default_factory=dict)
    #: Unreviewed entries that carry a fuzzy suggestion from translation memory (``pipeline.fuzzy``).
    suggested_from_tm: dict[str, int] = field(default_factory=dict)
    filled_from_mt: dict[str, int] = field(default_factory=dict)  # entries filled; the summary's unit
    #: Distinct English texts machine-translated: the work MT's progress counts (one text may fill many entries).
    translated_texts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    qa_errors: list[str] = field(default_factory=list)  # ``path:line: [check] message`` of reviewed entries

    def written_paths(self, root: Path, paths: Sequence[Path] | None = None) -> list[str]:
        """The files written (or ``paths``), relative to ``root`` where they are inside it."""
        chosen = self.written if paths is None else paths
        return [path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path) for path in chosen]

    def as_json(self, root: Path) -> dict[str, object]:
        """The ``--json`` output of the pipeline commands."""
        return {
            "written": self.written_paths(root),
            "removed": self.written_paths(root, self.removed),
            "notes": self.notes,
            "warnings": self.warnings,
            "errors": self.errors,
            "filled_from_tm": self.filled_from_tm,
            "suggested_from_tm": self.suggested_from_tm,
            "filled_from_mt": self.filled_from_mt,
            "machine_translated_texts": self.translated_texts,
            "skipped": self.skipped,
            "published": self.published,
            "withheld": self.withheld,
            "qa_errors": self.qa_errors,
        }


def run(
    config: Config,
    selection: Selection = EVERYTHING,
    *,
    steps: frozenset[str] = frozenset({"extract", "update", "translate", "build"}),
    engine_factory: Callable[[Config], Engine] | None = None,
    progress: ProgressFactory | None = None,
    outputs: Outputs = DRAFT,
    parallel: Parallel = FROM_CONFIG,
) -> Report:
    """The main job; ``steps`` picks the stages (``extract`` alone writes only templates).

    Everything is read and parsed first, so a bad source or PO file stops the run before anything is written.
    Then the templates and the updated PO files are saved (with translation-memory fills), then machine
    translation journals every ``CHUNK_SEGMENTS`` texts of a language and saves the language's PO files when it is
    done, then the build runs. Machine translation and rendering run where ``parallel`` says (local worker
    processes or a Dask cluster); this process alone writes files.
    """
    report = Report()
    report.notes.extend(f"{key} is outside the project: {path} (outside_root)" for key, path in config.outside)
    if config.project_name_from_folder:
        report.notes.append(
            f"{config.relative(config.config_file)} sets no project_name: the project is called "
            f"{config.project_name!r} after its folder (set project_name to keep it wherever the project is)"
        )
    with project_lock(config.root), qa_cache_active(QaCache(config)) as checked:
        remove_stale_temp_files(config.locales_dir)  # only runs write there, and this one holds the lock
        remove_stale_temp_files(config.build_dir)
        languages = selection.languages_of(config)
        factory = engine_factory or default_engine
        pdfs = "build" in steps and "pdf" in (outputs.formats or config.formats)
        record = RunRecord(config, (sorted(steps), selection, outputs), pdfs=pdfs)
        replay = record.replay(lambda skipped: not any(_supported(config, factory, skipped)))
        if replay is not None:
            return _replayed(replay)
        record.begin()
        scheduler = config.cluster.scheduler if parallel.scheduler is None else parallel.scheduler
        _check_settings(config, steps, outputs, scheduler)
        if "build" in steps and outputs.release:  # a partial release builds what it carries over too
            selection, leaflets, warnings = carry_over(config, selection, steps)
            languages, outputs = selection.languages_of(config), dataclasses.replace(outputs, leaflets=leaflets)
            report.warnings.extend(warnings)
        segments = SegmentCache(config)
        sources = load_sources(config, selection.documents, segments)
        report.warnings.extend(disclaimer_warnings(sources))
        templates = make_templates(config, sources)
        parsed = ParsedCatalogs(config)
        existing = read_catalogs(config, languages, templates, parsed) if steps - {"extract"} else Catalogs()
        catalogs = Catalogs()
        if steps & {"update", "translate", "build"}:
            catalogs = merge_catalogs(config, templates, existing, languages)
        glossary = load_glossary(config.glossary) if steps - {"extract"} else Glossary()
        work = Workspace(config, templates, catalogs, existing)
        for name, template in templates.items() if "extract" in steps else ():
            path = template_path(config, name)
            data = catalog.bytes_if_changed(template_to_bytes(template), path)
            if data is not None and write_if_changed(path, data, within=config.locales_dir, roots=config.write_roots):
                report.written.append(path)
        current = [*templates, *(path.stem for path in source_paths(config))]
        orphans: Catalogs | None = None
        if "translate" in steps:
            orphans, unreadable = read_orphans(config, languages, current)
            report.warnings.extend(unreadable)
            for language in languages:
                fills = memory_fills(work.catalogs, language, orphans)
                report.filled_from_tm[language] = work.fill(language, fills)
                suggested = suggest_from_memory(config, work.catalogs, language, glossary, orphans)
                report.suggested_from_tm[language] = suggested
        if steps & {"update", "translate"}:
            _annotate(work, glossary, languages)
            work.save_all()
        report.written.extend(work.written)
        if not steps & {"translate", "build"}:
            _commit(segments, parsed, work, checked)  # the run went through: keep its caches
            record.save(_replay_of(report), report.written)
            return report
        executor = open_executor(
            config.workers if parallel.workers is None else parallel.workers,
            scheduler,
            ("polyleaf.render.preload",) if pdfs else (),
        )
        settled = True  # a re-run would do nothing: see ``run_record``
        with running(executor):
            if "translate" in steps:
                settings = _MtSettings(factory(config), glossary, progress, CHUNK_SEGMENTS)
                written = len(work.written)
                _translate(work, languages, report, settings, (factory, executor))
                _annotate(work, glossary, languages)
                work.save_all()
                report.written.extend(path for path in work.written[written:] if path not in report.written)
                settled = not any(pending_texts(work.catalogs, language) for language in report.filled_from_mt)
            if "build" in steps:
                step = functools.partial(
                    build.build,
                    config,
                    sources,
                    work.catalogs,
                    languages,
                    glossary,
                    outputs=outputs,
                    rendering=build.Rendering(executor, progress),
                )
                built = build_release(config, step) if outputs.release else step()
                report.written.extend(built.written)
                report.removed.extend(built.removed)
                report.withheld.extend(built.withheld)
                report.qa_errors.extend(built.qa_errors)
                report.warnings.extend(built.warnings)
                report.published.extend(f"{item.language}/{item.document}" for item in built.published)
                everything = languages == config.languages and not selection.documents
                if orphans is None and everything:
                    orphans = read_orphans(config, languages, current)[0]
                state = (sources, work.catalogs, orphans, glossary) if everything and orphans is not None else None
                _dashboard(config, report, state)
                settled = settled and not built.unrendered
        _commit(segments, parsed, work, checked)
        if settled and not report.errors:
            replaced = replaced_whole(config) if "build" in steps and outputs.release else []
            record.save(_replay_of(report), [*report.written, *replaced])
    return report


def _check_settings(config: Config, steps: frozenset[str], outputs: Outputs, scheduler: str) -> None:
    """What would otherwise stop the run halfway, its PO files already rewritten, checked before it writes
    anything: the font files of ``[leaflet] fonts``, Dask for a scheduler."""
    if "build" in steps:
        build.preferred_fonts(config, outputs.formats or config.formats)
    if scheduler and steps & {"translate", "build"}:
        dask_executor(scheduler)


def _supported(config: Config, factory: Callable[[Config], Engine], languages: Sequence[str]) -> list[str]:
    """Which of ``languages`` the engine would translate into now (a model installed since the last run)."""
    engine = factory(config)
    return [language for language in languages if engine.supports(config.source_language, language)]


def _replay_of(report: Report) -> Replay:
    """What a re-run with nothing to do reports: this run's lines, and no entry filled."""
    names = ("notes", "warnings", "errors", "withheld", "published", "qa_errors")
    lists = {name: list(getattr(report, name)) for name in names}
    return Replay(
        lists,
        tuple(report.filled_from_tm),
        tuple(report.filled_from_mt),
        dict(report.skipped),
        dict(report.suggested_from_tm),
    )


def _replayed(replay: Replay) -> Report:
    """The report of a run the record answered: the last run's lines, nothing written, nothing filled."""
    report = Report(filled_from_tm=dict.fromkeys(replay.filled, 0), filled_from_mt=dict.fromkeys(replay.translated, 0))
    for name, lines in replay.lists.items():
        getattr(report, name).extend(lines)
    report.skipped.update(replay.skipped)
    report.suggested_from_tm.update(replay.suggested)
    return report


def _commit(segments: SegmentCache, parsed: ParsedCatalogs, work: Workspace, checked: QaCache) -> None:
    """The run went through: keep its sentence splits, its parsed PO files (those it wrote included) and its QA
    diagnostics."""
    segments.commit()
    checked.commit()
    for (language, name), data in work.on_disk.items():
        path = catalog_path(work.config, language, name)
        if data is not None and path in work.written:
            parsed.wrote(path, language, name, data)
    parsed.commit()


def _annotate(work: Workspace, glossary: Glossary, languages: Sequence[str]) -> None:
    """Bind new waivers to their English, and write QA findings into the entries as ``# qa:`` notes (and remove
    resolved ones), where translators see them in Poedit, Lokalize or Weblate."""
    for language in languages:
        for _name, cat in work.catalogs.of_language(language):
            bind_waivers(work.config, glossary, cat, language)
            cat.annotate(qa_notes(work.config, glossary, cat, language))


def _dashboard(
    config: Config, report: Report, state: tuple[Sources, Catalogs, Catalogs, Glossary] | None = None
) -> None:
    """Rewrite ``build/status.html`` for every language and document (the caller holds the project lock), from
    the run's ``state`` (its sources, catalogs, orphans and glossary) when the run covered everything, else from the
    files. A catalog this run did not select that cannot be read does not fail the run: the page is then left as
    it was."""
    try:
        if state is None:
            rows = status_rows(config)
        else:
            sources, catalogs, orphans, glossary = state
            rows = rows_of(config, sources.documents, catalogs, orphans, glossary)
        page = write_status_page(config, rows)
    except PolyleafError as error:
        report.warnings.append(f"{config.relative(status_page_path(config))} not updated: {error}")
        return
    report.written.extend([page] if page else [])


@dataclass(frozen=True, slots=True)
class _MtSettings:
    """What the translate step of one run uses: the engine, the glossary, progress bars, the checkpoint size."""

    engine: Engine
    glossary: Glossary
    progress: ProgressFactory | None
    chunk_size: int


def _mt_engine(
    config: Config,
    factory: Callable[[Config], Engine],
    engine: Engine,
    executor: Executor,
    tasks: Sequence[tuple[str, Sequence[str]]],
) -> tuple[Executor, Engine | EngineRecipe]:
    """Where machine translation runs, and what its tasks get: this process's ``engine`` (one process, or a single
    task for local workers), or, on workers, a recipe for each worker to make its own. The configured engines
    travel as the registry's ``Recipe`` (plain data) naming the models chosen here for the tasks' languages; an
    executor whose workers do not share this machine's files (``shares_files``: a Dask cluster) is sent them.
    Another factory (a test's) runs on workers only if it says it is ``portable``. A local worker gets an equal
    share of the cores for its decoding threads (a Dask task one thread, unless ``[mt] threads`` says otherwise)."""
    if isinstance(executor, Inline) or (isinstance(executor, LocalPool) and len(tasks) < 2):
        return Inline(), engine
    from polyleaf.mt.registry import Recipe, RoutedEngine

    if factory is default_engine and isinstance(engine, RoutedEngine):
        languages = list(dict.fromkeys(language for language, _chunk in tasks))
        needed = engine.needed(config.source_language, languages)  # the models chosen here, not found again there
        recipe: Callable[[Config], Engine] = Recipe(config.mt, needed)
        if not executor.shares_files:
            recipe = cast("RemoteExecutor", executor).ship_models(config, needed)
    elif getattr(factory, "portable", False):
        recipe = factory
    else:
        return Inline(), engine
    if config.mt.threads == 0:  # a Dask worker runs a task per thread, and Dask gives a machine's workers its cores
        share = max(1, default_workers() // executor.workers) if isinstance(executor, LocalPool) else 1
        config = dataclasses.replace(config, mt=dataclasses.replace(config.mt, threads=share))
    key = hashlib.sha256(repr((recipe, config)).encode("utf-8")).hexdigest()
    return executor, EngineRecipe(key, recipe, config)


def _translate(
    work: Workspace,
    languages: Sequence[str],
    report: Report,
    settings: _MtSettings,
    where: tuple[Callable[[Config], Engine], Executor],
) -> None:
    """Machine-translate what translation memory left empty: every chunk of every language is a task; each
    result is journaled as it comes back, and a language's PO files are saved once its last chunk is in."""
    source_language = work.config.source_language

    def annotate(language: str) -> None:
        _annotate(work, settings.glossary, [language])

    missing: list[str] = []
    tasks: list[tuple[str, Sequence[str]]] = []
    for language in languages:
        if not settings.engine.supports(source_language, language):
            missing.append(language)
            report.skipped[language] = "no translation model installed"
            continue
        work.replay(language)
        tasks += [(language, chunk) for chunk in chunked(pending_texts(work.catalogs, language), settings.chunk_size)]
    remaining = Counter(language for language, _chunk in tasks)
    for language in languages:
        if language not in missing and not remaining[language]:
            report.filled_from_mt[language] = work.finish(language, annotate)
    factory, pool = where
    executor, engine = (
        _mt_engine(work.config, factory, settings.engine, pool, tasks) if tasks else (Inline(), settings.engine)
    )
    for language, chunk in tasks:
        report.translated_texts[language] = report.translated_texts.get(language, 0) + len(chunk)
    advance = _mt_progress(settings.progress, list(remaining), sum(len(chunk) for _language, chunk in tasks))
    inline = isinstance(executor, Inline)  # in this process the engine reports progress batch by batch
    arguments = [
        (engine, chunk, source_language, language, settings.glossary, advance if inline else None)
        for language, chunk in tasks
    ]
    for index, results in executor.unordered(translate_task, arguments):
        language, chunk = tasks[index]
        work.translated(language, mt_fills(results))
        if advance is not None and not inline:
            advance(len(chunk))
        remaining[language] -= 1
        if not remaining[language]:
            report.filled_from_mt[language] = work.finish(language, annotate)
    if missing:
        report.notes.append(
            f"nothing was machine-translated for {', '.join(missing)}: no configured engine has a model installed "
            f"for {source_language}→{', '.join(missing)} (install one with "
            "`polyleaf models install FILE.argosmodel` or a CTranslate2 model folder)"
        )


def _mt_progress(progress: ProgressFactory | None, languages: Sequence[str], total: int) -> Advance | None:
    """One bar for all of a run's machine translation, started as it starts (the languages' tasks may run at the
    same time); its unit is the distinct English text, as in the summary (``translated_texts``)."""
    if progress is None or not total:
        return None
    shown = ", ".join(languages) if len(languages) <= 3 else f"{len(languages)} languages"
    return progress(f"machine-translating {shown}", total, "texts")
