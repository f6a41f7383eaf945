"""Machine translation as tasks: every chunk of every language a task on the run's executor, each result journaled
as it comes back (``Workspace.translated``), a language's PO files saved once its last chunk is in.

Where the tasks run is decided by declarations, not by trying: the executor says where a step of so many tasks
would run (``Executor.site``: this process, local workers, cluster workers) and the engine factory whether other
processes can make the engine (a ``polyleaf.mt.engine.Recipe``). Workers get the recipe, pinned to the models
chosen here, and a cluster's workers copies of those models (``Executor.ship``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from polyleaf.config.model import Config
from polyleaf.execution.workers import Executor, Inline, Site
from polyleaf.mt.engine import Recipe
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.translate import EngineRecipe, Workspace, chunked, mt_fills, pending_texts, translate_task
from polyleaf.progress import Advance, ProgressFactory

if TYPE_CHECKING:
    from polyleaf.glossary import Glossary
    from polyleaf.mt.engine import Engine

Tasks = Sequence[tuple[str, Sequence[str]]]  # (language, chunk of texts) for every task


@dataclass(frozen=True, slots=True)
class MtSettings:
    """What the translate step of one run uses: the engine made here and its factory, the glossary, progress
    bars, the checkpoint size, how a language's catalogs get their QA notes before they are saved, and what is
    done with them once saved (while they are at hand: a library's catalogs are not all held)."""

    factory: Callable[[Config], Engine]
    engine: Engine
    glossary: Glossary
    progress: ProgressFactory | None
    chunk_size: int
    annotate: Callable[[str], None]
    saved: Callable[[str], None] = lambda language: None


def placement(
    config: Config, settings: MtSettings, executor: Executor, tasks: Tasks
) -> tuple[Executor, Engine | EngineRecipe]:
    """Where machine translation runs, and what its tasks get: this process's engine, when the executor would run
    the tasks here or the factory is no ``Recipe`` (a test's lambda: only this process has the engine); else a
    recipe each worker makes its own engine from, once — pinned to the models chosen here for the tasks'
    languages, and shipped to workers that do not see this machine's files. ``[mt] threads`` 0 gives each task's
    decoder the threads the executor says (a local worker: its share of the cores; a cluster worker decides)."""
    factory = settings.factory
    if executor.site(len(tasks)) is Site.HERE or not isinstance(factory, Recipe):
        return Inline(), settings.engine
    languages = list(dict.fromkeys(language for language, _chunk in tasks))
    recipe = executor.ship(factory.for_targets(settings.engine, config.source_language, languages))
    if config.mt.threads == 0:
        config = dataclasses.replace(config, mt=dataclasses.replace(config.mt, threads=executor.decoder_threads))
    key = hashlib.sha256(repr((recipe, config)).encode("utf-8")).hexdigest()
    return executor, EngineRecipe(key, recipe, config)


def translate_pending(
    work: Workspace, languages: Sequence[str], report: Report, settings: MtSettings, executor: Executor
) -> set[str]:
    """Machine-translate what translation memory left empty: every chunk of every language is a task; each
    result is journaled as it comes back, and a language's PO files are saved once its last chunk is in. The
    languages that still have something to translate after that (an engine that left texts empty): asked as each
    language is finished, while its catalogs are at hand."""
    source_language = work.config.source_language
    missing: list[str] = []
    tasks: list[tuple[str, Sequence[str]]] = []
    for language in languages:
        if not settings.engine.supports(source_language, language):
            missing.append(language)
            report.skipped[language] = "no translation model installed"
            continue
        work.replay(language)
        tasks += [(language, chunk) for chunk in chunked(work.pending(language), settings.chunk_size)]
    remaining = Counter(language for language, _chunk in tasks)
    unsettled: set[str] = set()  # a language without tasks has nothing to translate, and filling leaves it so
    for language in languages:
        if language not in missing and not remaining[language]:
            report.filled_from_mt[language] = work.finish(language, settings.annotate, settings.saved)
    where, engine = placement(work.config, settings, executor, tasks) if tasks else (Inline(), settings.engine)
    for language, chunk in tasks:
        report.translated_texts[language] = report.translated_texts.get(language, 0) + len(chunk)
    advance = _mt_progress(settings.progress, list(remaining), sum(len(chunk) for _language, chunk in tasks))
    inline = where.site(len(tasks)) is Site.HERE  # in this process the engine reports progress batch by batch
    arguments = [
        (engine, chunk, source_language, language, settings.glossary, advance if inline else None)
        for language, chunk in tasks
    ]
    for index, results in where.unordered(translate_task, arguments):
        language, chunk = tasks[index]
        work.translated(language, mt_fills(results))
        if advance is not None and not inline:
            advance(len(chunk))
        remaining[language] -= 1
        if not remaining[language]:
            report.filled_from_mt[language] = work.finish(language, settings.annotate, settings.saved)
            if pending_texts(work.catalogs, language):
                unsettled.add(language)
    if missing:
        report.notes.append(
            f"nothing was machine-translated for {', '.join(missing)}: no configured engine has a model installed "
            f"for {source_language}→{', '.join(missing)} (install one with "
            "`polyleaf models install FILE.argosmodel` or a CTranslate2 model folder)"
        )
    return unsettled


def _mt_progress(progress: ProgressFactory | None, languages: Sequence[str], total: int) -> Advance | None:
    """One bar for all of a run's machine translation, started as it starts (the languages' tasks may run at the
    same time); its unit is the distinct English text, as in the summary (``translated_texts``)."""
    if progress is None or not total:
        return None
    shown = ", ".join(languages) if len(languages) <= 3 else f"{len(languages)} languages"
    return progress(f"machine-translating {shown}", total, "texts")
