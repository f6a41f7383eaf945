"""The only package that composes stages: parse → extract → update → translate → check → build.

The CLI calls this package: ``run`` (the main job), ``check``, ``status``, the model commands. Each reads
everything it needs first (so a bad PO or source file stops the run before anything is written), computes the new
file contents, then writes them atomically — only the files whose content really changed.

One module per concern: ``sources`` (parse, extract), ``catalogs`` (read and update the PO files, in memory),
``translate`` (translation memory, MT, saving PO files safely), ``build`` (leaflets, release, manifest), ``review``
(QA, release readiness, status), ``models`` (argos packages). This module holds ``run``, the main job, and
re-exports the public names.
``run`` looks the stages up in this namespace, so replacing e.g. ``pipeline.merge_catalogs`` or
``pipeline.default_engine`` (as tests do) changes what it calls. ``pipeline.build`` is the build module (the stage
is ``pipeline.build.build``): a function of the same name would hide the module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import catalog
from polyleaf.config import Config
from polyleaf.errors import PolyleafError
from polyleaf.fsio import project_lock, remove_stale_temp_files, write_if_changed
from polyleaf.glossary import Glossary, load_glossary
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline import build
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs, read_catalogs, read_orphans
from polyleaf.pipeline.dashboard import write_status_page
from polyleaf.pipeline.models import ModelStatus, download_models, install_model, installed_models, model_coverage
from polyleaf.pipeline.review import StatusRow, check, qa_notes, status, status_rows
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
from polyleaf.pipeline.translate import CHUNK_SEGMENTS, Workspace, default_engine, memory_fills, pending_texts
from polyleaf.project import status_page_path, template_path
from polyleaf.template import template_to_bytes

if TYPE_CHECKING:
    from polyleaf.mt.engine import Engine

__all__ = [
    "CHUNK_SEGMENTS",
    "INTERFACE_MESSAGES",
    "Catalogs",
    "ModelStatus",
    "Report",
    "Selection",
    "Sources",
    "StatusRow",
    "check",
    "default_engine",
    "disclaimer_text",
    "download_models",
    "install_model",
    "installed_models",
    "load_sources",
    "make_templates",
    "merge_catalogs",
    "model_coverage",
    "pending_texts",
    "run",
    "status",
    "status_rows",
    "template_entries",
]

ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass(slots=True)
class Report:
    """What a command did, for the CLI to print (or dump as JSON)."""

    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the command failed (exit 1), though it finished its work
    filled_from_tm: dict[str, int] = field(default_factory=dict)
    filled_from_mt: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)

    def written_paths(self, root: Path) -> list[str]:
        """The files written, relative to ``root`` where they are inside it."""
        return [path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path) for path in self.written]

    def as_json(self, root: Path) -> dict[str, object]:
        """The ``--json`` output of the pipeline commands."""
        return {
            "written": self.written_paths(root),
            "notes": self.notes,
            "warnings": self.warnings,
            "errors": self.errors,
            "filled_from_tm": self.filled_from_tm,
            "filled_from_mt": self.filled_from_mt,
            "skipped": self.skipped,
            "published": self.published,
            "withheld": self.withheld,
        }


def run(
    config: Config,
    selection: Selection = EVERYTHING,
    *,
    steps: frozenset[str] = frozenset({"extract", "update", "translate", "build"}),
    engine_factory: Callable[[Config], Engine] | None = None,
    progress: ProgressFactory | None = None,
    release: bool = False,
    formats: Sequence[str] | None = None,
) -> Report:
    """The main job; ``steps`` picks the stages (``extract`` alone writes only templates).

    Everything is read and parsed first, so a bad source or PO file stops the run before anything is written.
    Then the templates and the updated PO files are saved (with translation-memory fills), then machine
    translation saves each language's PO files after every ``CHUNK_SEGMENTS`` texts, then the build runs.
    """
    report = Report()
    report.notes.extend(f"{key} is outside the project: {path} (outside_root)" for key, path in config.outside)
    with project_lock(config.root):
        remove_stale_temp_files(config.locales_dir)  # only runs write there, and this one holds the lock
        remove_stale_temp_files(config.build_dir)
        languages = selection.languages_of(config)
        sources = load_sources(config, selection.documents)
        report.warnings.extend(disclaimer_warnings(sources))
        templates = make_templates(config, sources)
        existing = read_catalogs(config, languages, templates) if steps - {"extract"} else Catalogs()
        catalogs = Catalogs()
        if steps & {"update", "translate", "build"}:
            catalogs = merge_catalogs(config, templates, existing, languages)
        glossary = load_glossary(config.glossary) if steps - {"extract"} else Glossary()
        work = Workspace(config, templates, catalogs, existing)
        for name, template in templates.items() if "extract" in steps else ():
            path = template_path(config, name)
            data = catalog.bytes_if_changed(template_to_bytes(template), path)
            if data is not None and write_if_changed(path, data, within=config.locales_dir):
                report.written.append(path)
        if "translate" in steps:
            current = [*templates, *(path.stem for path in source_paths(config))]
            orphans, unreadable = read_orphans(config, languages, current)
            report.warnings.extend(unreadable)
            for language in languages:
                fills = memory_fills(work.catalogs, language, orphans)
                report.filled_from_tm[language] = work.fill(language, fills)
        if steps & {"update", "translate"}:
            _annotate(work, glossary, languages)
            work.save_all()
        if "translate" in steps:
            engine = (engine_factory or default_engine)(config)
            _translate(work, languages, report, _MtSettings(engine, glossary, progress, CHUNK_SEGMENTS))
            _annotate(work, glossary, languages)
            work.save_all()
        report.written.extend(work.written)
        if "build" in steps:
            built = build.build(config, sources, work.catalogs, languages, glossary, release=release, formats=formats)
            report.written.extend(built.written)
            report.withheld.extend(built.withheld)
            report.warnings.extend(built.warnings)
            report.errors.extend(built.errors)
            report.published.extend(f"{item.language}/{item.document}" for item in built.published)
            _dashboard(config, report)
    return report


def _annotate(work: Workspace, glossary: Glossary, languages: Sequence[str]) -> None:
    """Write QA findings into the entries as ``#. qa:`` notes (and remove resolved ones), where translators see
    them in Poedit, Lokalize or Weblate."""
    for language in languages:
        for _name, cat in work.catalogs.of_language(language):
            cat.annotate(qa_notes(work.config, glossary, cat, language))


def _dashboard(config: Config, report: Report) -> None:
    """Rewrite ``build/status.html`` for every language and document (the caller holds the project lock). A catalog
    this run did not select that cannot be read does not fail the run: the page is then left as it was."""
    try:
        page = write_status_page(config, status_rows(config))
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


def _translate(work: Workspace, languages: Sequence[str], report: Report, settings: _MtSettings) -> None:
    """Machine-translate what translation memory left empty, saving each language's PO files chunk by chunk."""
    source_language = work.config.source_language
    missing: list[str] = []
    for language in languages:
        if not settings.engine.supports(source_language, language):
            missing.append(language)
            report.skipped[language] = "no translation model installed"
            continue
        pending = len(pending_texts(work.catalogs, language))
        callback = settings.progress(language, pending) if settings.progress and pending else None
        report.filled_from_mt[language] = work.machine_translate(
            language, settings.engine, settings.glossary, callback, settings.chunk_size
        )
    if missing:
        report.notes.append(
            f"nothing was machine-translated for {', '.join(missing)}: no argos translation package is installed "
            f"for {source_language}→{', '.join(missing)} (install one with "
            "`polyleaf models install FILE.argosmodel`)"
        )
