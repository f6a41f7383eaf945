"""``run``, the main job: parse → extract → update → translate → check → build.

Everything is read and parsed first, so a bad source or PO file stops the run before anything is written; then
the templates and the updated PO files are saved (with translation-memory fills), machine translation journals
its chunks and saves a language's PO files when it is done (``mt_tasks``), and the build runs. Machine
translation and PDFs run as tasks of an executor (``polyleaf.execution``: this process, local worker processes
or a Dask cluster); this process alone writes files.

``run`` looks its stages up in this module's namespace when it runs, and the engine factory and the checkpoint
size in ``translate``'s, so replacing e.g. ``runner.merge_catalogs`` or ``translate.default_engine`` (as tests do)
changes what it calls.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.catalog import model as catalog
from polyleaf.catalog.template import template_to_bytes
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.execution.choice import dask_executor, open_executor
from polyleaf.execution.workers import FROM_CONFIG, Executor, Parallel, running
from polyleaf.fsio import project_lock, write_if_changed
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.pipeline import build, printed, translate
from polyleaf.pipeline.build import DRAFT, Outputs
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs, read_catalogs, read_orphans
from polyleaf.pipeline.dashboard import Measures, write_status_page
from polyleaf.pipeline.fuzzy import suggest_from_memory
from polyleaf.pipeline.incremental import edited_documents, memory_unchanged, run_record
from polyleaf.pipeline.library import Library
from polyleaf.pipeline.memory import held, language_memory
from polyleaf.pipeline.mt_tasks import MtSettings, translate_pending
from polyleaf.pipeline.po_cache import ParsedCatalogs
from polyleaf.pipeline.qa_cache import QaCache
from polyleaf.pipeline.qa_cache import active as qa_cache_active
from polyleaf.pipeline.readability import source_measures
from polyleaf.pipeline.readiness import Decided, Known, rows_and_blockers, status_rows
from polyleaf.pipeline.release import build_release, carry_over, replaced_whole
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.review import bind_waivers, qa_notes
from polyleaf.pipeline.run_record import RunRecord
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.pipeline.sources import (
    ALL_STEPS,
    EVERYTHING,
    Selection,
    Sources,
    disclaimer_warnings,
    load_sources,
    make_templates,
    shown_paths,
    source_paths,
)
from polyleaf.pipeline.translate import Workspace, memory_fills, translate_task
from polyleaf.pipeline.web_fonts import OtherPagesChange
from polyleaf.progress import ProgressFactory
from polyleaf.project import DISCLAIMER, INTERFACE, catalog_path, status_page_path, template_path

if TYPE_CHECKING:
    from polyleaf.mt.engine import Engine
    from polyleaf.pipeline.readiness import StatusRow
    from polyleaf.qa.readability import ProseMeasure


@dataclass(slots=True)
class _Run:
    """One run's state, from what it read to what it wrote (the stages below share it)."""

    config: Config
    selection: Selection
    steps: frozenset[str]
    outputs: Outputs
    report: Report
    languages: Sequence[str] = ()
    sources: Sources | None = None
    work: Workspace | None = None
    glossary: Glossary = dataclasses.field(default_factory=Glossary)
    orphans: Catalogs | None = None
    current: list[str] = dataclasses.field(default_factory=list)  # the documents there are now
    #: a run over everything records what its pages show of each document (``library``); a run after an edit does
    #: only the ``edited`` documents and takes the others' from it (``pipeline.incremental``)
    library: Library | None = None
    edited: tuple[str, ...] | None = None
    articles: tuple[Path, ...] = ()  # a run of the edited documents: every article's source path, as shown
    caches: tuple[SegmentCache, ParsedCatalogs] | None = None

    @property
    def workspace(self) -> Workspace:
        assert self.work is not None, "the run has read its catalogs"
        return self.work


def run(
    config: Config,
    selection: Selection = EVERYTHING,
    *,
    steps: frozenset[str] = ALL_STEPS,
    engine_factory: Callable[[Config], Engine] | None = None,
    progress: ProgressFactory | None = None,
    outputs: Outputs = DRAFT,
    parallel: Parallel = FROM_CONFIG,
) -> Report:
    """The main job; ``steps`` picks the stages (``extract`` alone writes only templates). Machine translation
    and rendering run where ``parallel`` says (local worker processes or a Dask cluster)."""
    report = Report()
    _notes(config, report)
    with project_lock(config.root, config.written_folders), qa_cache_active(QaCache(config)) as checked:
        factory = engine_factory or translate.default_engine
        record = run_record(config, steps, selection, outputs)
        pdfs = record.pdfs
        replay = record.replay(lambda skipped: not any(_supported(config, factory, skipped)))
        if replay is not None:
            return Report.replayed(replay)
        record.begin()
        scheduler = config.cluster.scheduler if parallel.scheduler is None else parallel.scheduler
        _check_settings(config, steps, outputs, scheduler)
        state = _Run(config, selection, steps, outputs, report, selection.languages_of(config))
        if "build" in steps and outputs.release:  # a partial release builds what it carries over too
            state.selection, leaflets, warnings = carry_over(config, selection, steps)
            state.languages = state.selection.languages_of(config)
            state.outputs = dataclasses.replace(outputs, leaflets=leaflets)
            report.warnings.extend(warnings)
        segments, parsed = SegmentCache(config), ParsedCatalogs(config)
        state.caches = segments, parsed
        if (steps, selection, outputs) == (ALL_STEPS, EVERYTHING, DRAFT):
            _incremental(state, record)
        _prepare(state, segments, parsed)
        work = state.workspace
        if not steps & {"translate", "build"}:
            _commit(segments, parsed, work, checked)  # the run went through: keep its caches
            record.save(report.replay(), report.written, work.left)
            return report
        workers = config.workers if parallel.workers is None else parallel.workers
        settled = True  # a re-run would do nothing: see ``run_record``
        with running(open_executor(workers, scheduler, _preload(pdfs))) as executor:
            if "translate" in steps:
                settled = _machine_translate(state, factory, progress, executor)
            if "build" in steps:
                settled = _build(state, progress, executor) and settled
        _commit(segments, parsed, work, checked)
        if settled and not report.errors:
            replaced = replaced_whole(config) if "build" in steps and state.outputs.release else []
            if state.library is not None:
                state.library.save(record.since)
            record.save(report.replay(), [*report.written, *replaced], work.left)
    return report


def _incremental(state: _Run, record: RunRecord) -> None:
    """A run of everything records the library; after an edit of some articles, it is a run of those articles
    when that writes what a run of everything would (``pipeline.incremental``)."""
    config = state.config
    state.library = Library(config, state.languages)
    found = edited_documents(config, record)
    if found is None:
        return
    edited, library = found
    state.library, state.edited, state.selection = library, edited, Selection(documents=edited)
    state.articles = tuple(source_paths(config))


def _notes(config: Config, report: Report) -> None:
    """What the configuration leaves to chance, said at the start of every run."""
    report.notes.extend(f"{key} is outside the project: {path} (outside_root)" for key, path in config.outside)
    if config.project_name_from_folder:
        report.notes.append(
            f"{config.relative(config.config_file)} sets no project_name: the project is called "
            f"{config.project_name!r} after its folder (set project_name to keep it wherever the project is)"
        )


def _prepare(state: _Run, segments: SegmentCache, parsed: ParsedCatalogs) -> None:
    """Read and parse everything (a bad file stops the run here, before anything is written), then save the
    templates and the updated PO files, with translation memory's fills."""
    config, steps, report, languages = state.config, state.steps, state.report, state.languages
    state.sources = load_sources(config, state.selection.documents, segments)
    report.warnings.extend(_source_warnings(state, state.sources))
    templates = make_templates(config, state.sources)
    existing = read_catalogs(config, languages, templates, parsed) if steps - {"extract"} else Catalogs()
    catalogs = Catalogs()
    if steps & {"update", "translate", "build"}:
        catalogs = merge_catalogs(config, templates, existing, languages)
    state.glossary = load_glossary(config.glossary) if steps - {"extract"} else Glossary()
    work = state.work = Workspace(config, templates, catalogs, existing)
    work.annotate = functools.partial(_annotate_catalog, config, state.glossary)
    for name, template in templates.items() if "extract" in steps else ():
        path = template_path(config, name)
        data = catalog.bytes_if_changed(template_to_bytes(template), path)
        if data is not None and write_if_changed(path, data, within=config.locales_dir, roots=config.write_roots):
            report.written.append(path)
    state.current = [*templates, *(path.stem for path in state.articles or source_paths(config))]
    if "translate" in steps:
        state.orphans, unreadable = read_orphans(config, languages, state.current)
        report.warnings.extend(unreadable)
        report.filled_from_tm.update(dict.fromkeys(languages, 0))  # said in the configured order
        report.suggested_from_tm.update(dict.fromkeys(languages, 0))
    edited, library, orphans = state.edited, state.library, state.orphans or Catalogs()
    if edited is not None and library is not None and not memory_unchanged(work.catalogs, library, languages, orphans):
        _complete(state)  # the edit changes what the other catalogs get from translation memory: do them all
    for language in sorted(languages) if steps & {"update", "translate"} else ():  # one language's catalogs at a time
        if "translate" in steps:
            _fill_from_memory(state, language)
        _annotate(work, state.glossary, [language])
        work.save_language(language)
        _record_memory(state, language)
        if "translate" in steps:
            work.note_pending(language)
    report.written.extend(work.written)


def _record_memory(state: _Run, language: str) -> None:
    """Keep in the library what ``language``'s catalogs, just saved, give translation memory (builds change none)."""
    if state.library is not None:
        state.library.record_memory(language, state.workspace.catalogs)


def _fill_from_memory(state: _Run, language: str) -> None:
    """Translation memory's exact fills, then its fuzzy suggestions, from the memory those fills complete; in a run
    of the edited documents, the other catalogs' part of memory is what the last run kept of them (``library``)."""
    work, report, library = state.workspace, state.report, state.library
    kept = library.memory(language) if library is not None and state.edited is not None else {}
    memory = language_memory(work.catalogs, language, state.orphans, kept)
    report.filled_from_tm[language] = work.fill(language, memory_fills(work.catalogs, language, memory))
    memory = memory.replaced({name: held(name, cat) for name, cat in work.catalogs.of_language(language)})
    counts = suggest_from_memory(state.config, work.catalogs, language, state.glossary, memory)
    if library is None:
        report.suggested_from_tm[language] = sum(counts.values())
        return
    library.record_suggested(language, counts)
    report.suggested_from_tm[language] = library.suggested(language)  # the other catalogs' as the library keeps


def _source_warnings(state: _Run, sources: Sources) -> list[str]:
    """What the sources say (``disclaimer_warnings``): those of a run of the edited documents, and the others' as
    the library keeps them; recorded in it."""
    fresh = {
        document.name: disclaimer_warnings(Sources((document,), sources.disclaimer)) for document in sources.documents
    }
    if state.library is None:
        return [line for lines in fresh.values() for line in lines]
    kept = state.library.warnings if state.edited is not None else {}
    names = [path.stem for path in state.articles] if state.edited is not None else list(fresh)
    found = {name: fresh[name] if name in fresh else kept.get(name, []) for name in names}
    state.library.record_warnings(found)
    return [line for lines in found.values() for line in lines]


def _machine_translate(
    state: _Run, factory: Callable[[Config], Engine], progress: ProgressFactory | None, executor: Executor
) -> bool:
    """The translate step; whether it left nothing to translate (a re-run would do nothing)."""
    work, report, languages = state.workspace, state.report, state.languages

    def annotate(language: str) -> None:
        _annotate(work, state.glossary, [language])

    settings = MtSettings(
        factory,
        factory(state.config),
        state.glossary,
        progress,
        translate.CHUNK_SEGMENTS,
        annotate,
        functools.partial(_record_memory, state),
    )
    written = len(work.written)
    unsettled = translate_pending(work, languages, report, settings, executor)
    report.written.extend(path for path in work.written[written:] if path not in report.written)
    return not unsettled


def _build(state: _Run, progress: ProgressFactory | None, executor: Executor) -> bool:
    """The build step (a release built aside and swapped in whole), then the status page; whether every output
    it should make was made."""
    config, report, languages = state.config, state.report, state.languages

    written: list[Path] = []  # by both builds, when a build of some documents gives way to a build of all

    def step() -> build.BuildResult:
        assert state.sources is not None, "the run has read its sources"
        articles, catalogs, outputs = shown_paths(config, state.articles), state.workspace.catalogs, state.outputs
        rendering = build.Rendering(executor, progress, state.library, articles, written, _everything(state))
        return build.build(
            config, state.sources, catalogs, languages, state.glossary, outputs=outputs, rendering=rendering
        )

    try:
        built = build_release(config, step) if state.outputs.release else step()
    except OtherPagesChange:  # the edit changes the other documents' pages too: build them all
        _complete(state)
        built = step()
    report.written.extend(dict.fromkeys(built.written))  # a file both builds wrote, once
    report.removed.extend(built.removed)
    report.withheld.extend(built.withheld)
    report.qa_errors.extend(built.qa_errors)
    report.warnings.extend(built.warnings)
    report.published.extend(f"{item.language}/{item.document}" for item in built.published)
    everything = _everything(state)
    if state.orphans is None and everything:
        state.orphans = read_orphans(config, languages, state.current)[0]
    if everything and state.orphans is not None:
        rows = _rows(state, state.orphans, Decided(built.verdicts, built.facts))
        if rows is not None:
            _dashboard(config, report, rows, functools.partial(_measures, state))
    else:
        _dashboard(config, report)
    return not built.unrendered


def _everything(state: _Run) -> bool:
    """Whether the run covers every language and document (the edited ones, and the others from the library), so
    that the dashboard's rows are the run's."""
    languages, selection = state.languages, state.selection
    return languages == state.config.languages and (not selection.documents or state.edited is not None)


def _rows(state: _Run, orphans: Catalogs, decided: Decided) -> list[StatusRow] | None:
    """The dashboard's rows of a run over everything (the edited documents' and the others' from the library, what
    the build ``decided``), recorded in the library; None when a catalog cannot be read (the page stays as it was)."""
    assert state.sources is not None, "the run has read its sources"
    library, config = state.library, state.config
    known = None
    if library is not None and state.edited is not None:
        known = Known(tuple(path.stem for path in state.articles), library.rows(), library.against())
    catalogs = (state.workspace.catalogs, orphans)
    try:
        rows, blockers = rows_and_blockers(config, state.sources.documents, catalogs, state.glossary, known, decided)
    except PolyleafError as error:
        state.report.warnings.append(f"{config.relative(status_page_path(config))} not updated: {error}")
        state.library = None  # not whole: the next run does everything
        return None
    if library is not None:
        shared = (DISCLAIMER, INTERFACE)
        library.record_rows(
            rows,
            {key: tuple(b for b in held if b.catalog in shared) for key, held in blockers.items()},
            None if known is None or state.edited is None else (*state.edited, *shared),
        )
    return rows


def _measures(state: _Run, config: Config) -> dict[Path, ProseMeasure]:
    """Every article's prose measure for the dashboard: the edited articles' measured, the others' as the library
    keeps them; recorded in it."""
    library, edited = state.library, state.edited
    known = None
    if library is not None and edited is not None:
        known = {name: measure for name, measure in library.measures().items() if name not in edited}
    measures = source_measures(config, known, state.articles, state.caches[0] if state.caches else None)
    if library is not None:
        library.record_measures(measures)
    return measures


def _complete(state: _Run) -> None:
    """Make a run of the edited documents a run of every document: the other documents read, their catalogs
    merged, in the order a run of everything has them (after ``_prepare``'s saves, as the last run left them:
    nothing to write)."""
    config, work, languages = state.config, state.workspace, state.languages
    assert state.caches is not None, "the run has its caches"
    segments, parsed = state.caches
    state.sources = load_sources(config, (), segments)
    templates = make_templates(config, state.sources)
    others = {name: template for name, template in templates.items() if (languages[0], name) not in work.catalogs}
    existing = read_catalogs(config, languages, others, parsed)
    merged = merge_catalogs(config, others, existing, languages)
    work.templates = templates
    for key in merged:
        work.saw(key, existing.loaded(key))
    work.catalogs = Catalogs(
        {
            (language, name): work.catalogs.get((language, name)) or merged[language, name]
            for language in languages
            for name in templates
        }
    )
    state.edited, state.selection, state.articles = None, EVERYTHING, ()


def _preload(pdfs: bool) -> tuple[str, ...]:
    """What a local pool's workers start with imported: the modules of the tasks this run gives them."""
    tasks = (translate_task.__module__, printed.render_pdf_task.__module__)
    return (*tasks, "polyleaf.render.preload") if pdfs else tasks


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


def _commit(segments: SegmentCache, parsed: ParsedCatalogs, work: Workspace, checked: QaCache) -> None:
    """The run went through: keep its sentence splits, its parsed PO files (those it wrote included) and its QA
    diagnostics."""
    segments.commit()
    checked.commit()
    written = set(work.written)
    for language, name in work.on_disk:
        path = catalog_path(work.config, language, name)
        data = work.seen((language, name)) if path in written else None
        if data is not None:
            parsed.wrote(path, language, name, data)
    parsed.commit()


def _annotate(work: Workspace, glossary: Glossary, languages: Sequence[str]) -> None:
    """Bind new waivers to their English, and write QA findings into the entries as ``# qa:`` notes (and remove
    resolved ones), where translators see them in Poedit, Lokalize or Weblate."""
    for language in languages:
        for _name, cat in work.catalogs.of_language(language):
            _annotate_catalog(work.config, glossary, cat, language)


def _annotate_catalog(config: Config, glossary: Glossary, cat: catalog.Catalog, language: str) -> None:
    bind_waivers(config, glossary, cat, language)
    cat.annotate(qa_notes(config, glossary, cat, language))


def _dashboard(
    config: Config, report: Report, rows: Sequence[StatusRow] | None = None, measures: Measures = source_measures
) -> None:
    """Rewrite ``build/status.html`` for every language and document (the caller holds the project lock), from
    the run's ``rows`` when the run covered everything, else from the files. A catalog this run did not select that
    cannot be read does not fail the run: the page is then left as it was."""
    try:
        page = write_status_page(config, status_rows(config) if rows is None else rows, measures)
    except PolyleafError as error:
        report.warnings.append(f"{config.relative(status_page_path(config))} not updated: {error}")
        return
    report.written.extend([page] if page else [])
