"""The printed leaflets of a build (the ``printed`` format: PDF), rendered first, as tasks of the run's executor
(``polyleaf.execution.workers``: worker processes, recycled now and then so that WeasyPrint's caches cannot grow
with the library); this process writes what they return, in a fixed order, before the web pages that link them."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.errors import RenderError
from polyleaf.execution.workers import Executor, Inline, LocalPool, running
from polyleaf.pipeline.leaflet_fonts import pdf_inputs
from polyleaf.progress import counted
from polyleaf.project import output_path

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument
    from polyleaf.pipeline.output import Output
    from polyleaf.render.meta import LeafletMeta


#: A worker process that renders PDFs is replaced after this many (WeasyPrint keeps caches as it goes), and a
#: one-process run renders more than this many on a worker process of its own (see ``pdf_executor``).
RENDERS_PER_WORKER = 48
#: PDFs are rendered on worker processes when there are at least this many per worker (starting a worker and its
#: WeasyPrint costs about as much as rendering two).
PDFS_FOR_WORKERS = 3


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a PDF task returns: the file's bytes and the warnings about it (characters printed as empty boxes), or
    why it could not be rendered."""

    data: bytes = b""
    error: str = ""
    warnings: tuple[str, ...] = ()


def render_pdf_task(localized: LocalizedDocument, meta: LeafletMeta, folder: Path) -> Rendered:
    """Render a leaflet's PDF (fonts from where they are installed, ``file:`` URLs, images from ``folder``), in
    whichever process runs it."""
    from polyleaf.render.html import render_leaflet_html
    from polyleaf.render.pdf import describe_unprinted, render_pdf, unprinted_characters

    try:
        with unprinted_characters() as unprinted:
            data = render_pdf(render_leaflet_html(localized, meta), base_url=folder)
    except RenderError as error:  # e.g. a font missing here: the other formats are still useful
        return Rendered(error=error.message)
    return Rendered(data, warnings=tuple(describe_unprinted(char, localized.language) for char in unprinted))


def render_pdfs(output: Output, leaflets: Iterable[tuple[LocalizedDocument, dt.date]]) -> None:
    """Render the out-of-date PDFs of the build's ``leaflets`` (last-updated dates) — on the executor's workers
    when there are enough to pay for starting them — and write them in order; ``leaflet`` then finds them up
    to date, or the reason one could not be rendered."""
    printed = next((leaflet for leaflet in output.formats if leaflet.kind == "printed"), None)
    if printed is None:
        return
    config = output.config
    jobs: list[tuple[LocalizedDocument, LeafletMeta, Path]] = []
    planned: list[tuple[Path, str]] = []
    for localized, updated in leaflets:
        shared_meta = output.prepare(localized, updated)
        languages = (localized.language, *shared_meta.languages)  # the languages line sets each in its fonts
        fonts = [output.font_files.digest(language, shared_meta.fonts) for language in languages]
        for edition in config.leaflet.editions:  # each printed edition is a PDF of its own
            meta = dataclasses.replace(shared_meta, edition=edition)
            path = output_path(config, localized.language, localized.name, printed.extension, output.release, edition)
            key = output.stamps.stale(path, (*pdf_inputs(localized, meta), *fonts))
            if key is not None:
                jobs.append((localized, meta, path.parent))
                planned.append((path, key))
    executor = pdf_executor(output.executor, len(jobs))
    started_here = executor is not output.executor  # stopped when these PDFs are done
    with running(executor) if started_here else contextlib.nullcontext(executor):
        rendered = executor.ordered(render_pdf_task, jobs, recycle=RENDERS_PER_WORKER)
        shown = counted(rendered, len(jobs), output.progress, "rendering PDFs", "PDFs")  # one by one, anywhere
        for (path, key), result in zip(planned, shown, strict=True):
            if result.error:
                output.pdf_errors[path] = result.error
                output.result.unrendered += 1
            else:
                output.stamps.store(path, key, result.data)
                output.result.warnings += [f"{output.config.relative(path)}: {text}" for text in result.warnings]


def pdf_executor(executor: Executor, count: int) -> Executor:
    """Where ``count`` PDFs render: here when they are too few to pay for starting workers; on the run's workers;
    or, in a one-process run (``--workers 1``) with more than a worker renders before it is replaced, on one
    worker process replaced as often — WeasyPrint's caches grow with every PDF, and this process would keep
    them to the end of the run."""
    if count < PDFS_FOR_WORKERS * executor.workers:
        return Inline()
    if isinstance(executor, Inline) and count > RENDERS_PER_WORKER:
        return LocalPool(1, (__name__, "polyleaf.render.preload"))  # the task's module, and WeasyPrint
    return executor
