"""The build stage: every document's leaflet in the configured formats (``polyleaf.formats``: txt/md, HTML, PDF…)
and index pages per language, draft or release.

What each page shows is decided by ``polyleaf.localize``; this module orchestrates: which documents a release
publishes (``readiness.release_verdict``), what each language shows, and the release manifest ``build/release.json``.
The files are written by ``pipeline.output`` (each rendered only when out of date: ``pipeline.stamps``); the PDFs
first, on the run's executor (``pipeline.printed``), then each leaflet's web page, which links its PDF only when
there is one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import clock, localize
from polyleaf.catalog.tmcomments import draft_translations
from polyleaf.config.model import Config
from polyleaf.errors import RenderError
from polyleaf.fsio import last_change
from polyleaf.glossary import Glossary
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.leaflet_fonts import preferred_fonts
from polyleaf.pipeline.manifest import published_record, unpublish, write_manifest
from polyleaf.pipeline.output import BuildResult, Output, Rendering, Shown
from polyleaf.pipeline.printed import render_pdfs
from polyleaf.pipeline.readiness import Verdict, catalog_facts, release_verdict
from polyleaf.pipeline.sources import Sources
from polyleaf.project import DISCLAIMER, INTERFACE, language_index_path, output_dir
from polyleaf.source.document import Document

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument
    from polyleaf.pipeline.library import Library
    from polyleaf.qa.model import Diagnostic
    from polyleaf.render.meta import IndexEntry, LeafletLink

__all__ = ["DRAFT", "BuildResult", "Outputs", "Rendering", "build", "preferred_fonts", "qa_error_lines"]


@dataclass(frozen=True, slots=True)
class Outputs:
    """Which outputs a build writes: a draft or a ``release``, in ``formats`` (empty: the configured ones), of which
    ``leaflets`` (language, document) — None: every language and document of the build."""

    release: bool = False
    formats: tuple[str, ...] = ()
    leaflets: frozenset[tuple[str, str]] | None = None

    def builds(self, language: str, name: str) -> bool:
        return self.leaflets is None or (language, name) in self.leaflets


#: A draft in the configured formats: what ``polyleaf run`` builds.
DRAFT = Outputs()


def build(
    config: Config,
    sources: Sources,
    catalogs: Catalogs,
    languages: Sequence[str],
    glossary: Glossary,
    *,
    outputs: Outputs = DRAFT,
    rendering: Rendering | None = None,
) -> BuildResult:
    """Build every document in every language.

    Draft: each segment shows the best text there is (reviewed, else MT/fuzzy, else source), every page says it
    is a draft, and reviewed text that fails QA is flagged. Release: reviewed text only; a document is withheld
    (with its reason) unless ``release_verdict`` lets it through. Either way, every QA error of a reviewed entry
    is listed in ``qa_errors`` with what a release does about it.
    """
    release, formats = outputs.release, outputs.formats or config.formats
    rendering = rendering or Rendering()
    output = Output(config, formats, release, rendering, preferred_fonts(config, formats))
    output.copy_logo()
    updated = {document.name: _updated(config, document) for document in sources.documents}
    _review_dates(config, rendering.articles or [document.path for document in sources.documents], output)
    dated = len(output.result.warnings)  # the warnings after these are about a leaflet's images or PDF
    languages_shown = _Languages(config, catalogs, glossary, output)
    languages_shown.library, languages_shown.rows = rendering.library, rendering.rows
    if rendering.library is not None and rendering.partial:
        languages_shown.others = [path.stem for path in rendering.articles]
        output.web.partial = True
        for language in languages:
            output.web.counts[language], output.web.subsets[language] = rendering.library.pages(language)
    for language in languages:  # first what each language shows, so every page can link the others
        languages_shown.show(language, sources, outputs)
    shown = languages_shown.shown
    output.available = {name: output.available_languages(name, shown) for name in updated}
    leaflets = (leaflet for language in shown for leaflet in languages_shown.leaflets(language))
    render_pdfs(output, ((leaflet, updated[leaflet.name]) for leaflet in leaflets))
    if release and output.pdf_errors:  # a release is whole or not at all: the previous one stays
        (path, error), *more = output.pdf_errors.items()
        also = f" (and {len(more)} more PDF{'s' if len(more) > 1 else ''})" if more else ""
        raise RenderError(f"not built: {error}{also}", path)
    site = [entry for language in shown if (entry := languages_shown.write(language, updated)) is not None]
    output.site_index(site)
    output.web.flush()
    output.web.commit()
    if rendering.library is not None:
        rendering.library.record_pages(output.web.counts, output.web.subsets)
        rendering.library.noisy = bool(output.result.warnings[dated:])
    if rendering.partial:  # nothing went stale: the same sources, formats and subsets as the last build's
        return output.result
    if not release:
        output.remove_stale_drafts(list(shown))
    if output.has("web_page"):
        output.web.remove_unlinked(output_dir(config, release))
    if release:
        write_manifest(config, output.result.published, output.has("web_page"), output.write)
    return output.result


def _review_dates(config: Config, sources: Sequence[Path], output: Output) -> None:
    """Warn of every leaflet whose review-by date has passed (``sources``: every article's path, as shown)."""
    today = clock.now().date()
    for path in sources:
        review_by = config.leaflet.identity(path.stem).review_by
        if review_by is not None and review_by < today:
            output.result.warnings.append(
                f"{path}: the leaflet's review-by date {review_by.isoformat()} has passed: review it and "
                f"set a new date in [leaflet] of {config.config_file.name}"
            )


class _Languages:
    """What a build shows in each language (``show``: the documents, not yet their leaflets), then its files written
    a language at a time (``write``), each leaflet made as it is written (``leaflets``): a build holds one leaflet,
    not the library's."""

    def __init__(self, config: Config, catalogs: Catalogs, glossary: Glossary, output: Output) -> None:
        self.config, self.catalogs, self.glossary, self.output = config, catalogs, glossary, output
        self.release = output.release
        self.shown: Shown = {}
        self.documents: dict[str, Document] = {}
        self.findings: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}  # QA errors a leaflet flags
        self.waived: dict[tuple[str, str], tuple[str, ...]] = {}  # a release's waived QA findings, for release.json
        self.library: Library | None = None  # what the build records (see ``Rendering``)
        self.rows = False  # whether it takes the dashboard's facts of each catalog (see ``Rendering``)
        self.others: list[str] | None = None  # a partial build: every document, in order (the others from library)

    def show(self, language: str, sources: Sources, outputs: Outputs) -> None:
        """Decide what ``language`` shows: every leaflet of the build in it a release does not withhold."""
        config, catalogs, output = self.config, self.catalogs, self.output
        documents = [document for document in sources.documents if outputs.builds(language, document.name)]
        verdicts = {}
        for document in documents:
            verdicts[document.name] = verdict = release_verdict(config, self.glossary, catalogs, document, language)
            output.result.verdicts[language, document.name] = verdict
            if self.rows:  # while the catalog is at hand
                cat = catalogs[language, document.name]
                output.result.facts[language, document.name] = catalog_facts(config, self.glossary, cat, language)
        lines = {name: qa_error_lines(language, {name: verdict}) for name, verdict in verdicts.items()}
        if self.library is not None:
            known = self.library.qa_errors(language) if self.others is not None else {}
            lines = {name: lines[name] if name in lines else known.get(name, []) for name in self.others or lines}
            self.library.record_qa_errors(language, lines)
        output.result.qa_errors += list(dict.fromkeys(line for found in lines.values() for line in found))
        shared = localize.edition(
            language,
            config.source_language,
            self.release,
            sources.disclaimer,
            draft_translations(catalogs[language, DISCLAIMER]),
            catalogs[language, INTERFACE].translations(),
            _findings(DISCLAIMER, (error for verdict in verdicts.values() for error in verdict.errors)),
        )
        names = []
        output.clinic_words(language, documents, catalogs)
        for document in documents:
            verdict = verdicts[document.name]
            if self.release:
                if verdict.reason:
                    output.result.withheld.append(f"{language}/{document.name}: {verdict.reason}")
                    unpublish(config, language, document.name)
                    continue
                self.waived[language, document.name] = tuple(
                    f"{d.path}:{d.line}: [{d.check}] {d.message}" for d in verdict.waived
                )
            self.documents[document.name] = document
            self.findings[language, document.name] = _findings(document.name, verdict.errors)
            names.append(document.name)
        self.shown[language] = shared, names

    def leaflets(self, language: str) -> Iterator[LocalizedDocument]:
        """The leaflets ``language`` shows, each made when it is reached."""
        shared, names = self.shown[language]
        for name in names:
            translations = draft_translations(self.catalogs[language, name])  # a release: reviewed ones only
            yield localize.localize(self.documents[name], translations, shared, self.findings[language, name])

    def write(self, language: str, updated: Mapping[str, dt.date]) -> IndexEntry | None:
        """Write the files of ``language``'s leaflets and its index page; its entry on the site index (None: the
        language has no index page)."""
        from polyleaf.render.meta import IndexEntry

        config, output = self.config, self.output
        shared = self.shown[language][0]
        made: list[tuple[str, list[Path]]] = []
        found: dict[str, LeafletLink | None] = {}
        for localized in self.leaflets(language):
            alternates = output.alternates(localized.name, self.shown)
            found[localized.name], files = output.leaflet(localized, updated[localized.name], alternates)
            made.append((localized.name, files))  # the leaflet itself is let go
        if self.library is not None:
            self.library.record_links(language, found)  # a build of some documents: the others' are the library's
            known = self.library.links(language) if self.others is not None else {}
            found = {name: found[name] if name in found else known.get(name) for name in self.others or found}
        links = [link for link in found.values() if link is not None]
        entry = None
        if links or not self.release:
            output.language_index(language, links, shared.labels)
            entry = IndexEntry(language, len(links), sum(1 for link in links if link.draft))
        else:  # a release publishing nothing in the language: the last release's index page of it goes, and with it
            # the font subsets only that page linked (remove_unlinked keeps what any page in the folder links)
            language_index_path(config, language, self.release).unlink(missing_ok=True)
        output.web.flush()  # the language's web pages, with their fonts: then they can be hashed
        for name, files in made if self.release else ():
            published = published_record(config, (language, self.documents[name]), self.catalogs, files)
            waived = self.waived[language, name]
            output.result.published.append(dataclasses.replace(published, waived=waived))
        return entry


def qa_error_lines(language: str, verdicts: Mapping[str, Verdict]) -> list[str]:
    """Every QA error of a reviewed entry that the leaflets of ``language`` show, once each, as
    ``path:line: [check] message`` and what a release does about it: withhold the document, or every leaflet of
    the language when the error is in the disclaimer or the leaflet's own words."""
    lines: dict[str, None] = {}
    for name, verdict in verdicts.items():
        for error in verdict.errors:
            shared = error.path.stem in (DISCLAIMER, INTERFACE)
            withheld = f"every {language} leaflet" if shared else f"{language}/{name}"
            where = f"{error.path.as_posix()}:{error.line}"
            lines[f"{where}: [{error.check}] {error.message} (a release withholds {withheld})"] = None
    return list(lines)


def _findings(catalog: str, errors: Iterable[Diagnostic]) -> dict[str, tuple[str, ...]]:
    """msgid → the ``[check] message`` of each QA error on it in ``catalog``'s PO file, as a draft flags it."""
    found: dict[str, tuple[str, ...]] = {}
    for error in errors:
        finding = f"[{error.check}] {error.message}"
        if error.path.stem == catalog and finding not in found.get(error.msgid, ()):
            found[error.msgid] = (*found.get(error.msgid, ()), finding)
    return found


def _updated(config: Config, document: Document) -> dt.date:
    """The source's last change (git commit or file time), never after SOURCE_DATE_EPOCH when that is set."""
    epoch = clock.now()
    try:
        return min(last_change(config.root / document.path), epoch).date()
    except OSError:
        return epoch.date()
