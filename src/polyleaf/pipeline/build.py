"""The build stage: every document's leaflet (txt/md, HTML, PDF) and index pages per language, draft or release.

What each page shows is decided by ``polyleaf.localize``; this module orchestrates: which documents a release
publishes (``review.release_verdict``), rendering each format (skipped when an output's inputs did not change),
and the release manifest ``build/release.json``. Rendering (Jinja, WeasyPrint) is imported lazily. The PDFs of a
build are rendered first, as tasks of the run's executor (``polyleaf.execution.workers``: worker processes, recycled now
and then so that WeasyPrint's caches cannot grow with the library); this process writes what they return, in a fixed
order, and then each leaflet's web page, which links its PDF only when there is one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from polyleaf import __version__, clinic, clock, localize
from polyleaf.cache import Store
from polyleaf.catalog.tmcomments import draft_translations
from polyleaf.config import Authorship, Config
from polyleaf.errors import ConfigError, ConfinementError, RenderError
from polyleaf.execution.workers import Executor, Inline, LocalPool, running
from polyleaf.fsio import last_change, read_regular, write_if_changed
from polyleaf.glossary import Glossary
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.manifest import (
    LEAFLET_EXTENSIONS,
    Published,
    file_sha256,
    published_record,
    remove_old_names,
    unpublish,
    write_manifest,
)
from polyleaf.pipeline.review import Verdict, release_verdict
from polyleaf.pipeline.sources import Sources, source_paths
from polyleaf.pipeline.web_fonts import WebPages
from polyleaf.progress import ProgressFactory, counted
from polyleaf.project import (
    DISCLAIMER,
    IMAGE_SUFFIXES,
    INTERFACE,
    assets_dir,
    check_readable,
    language_index_path,
    leaflet_kinds,
    output_dir,
    output_name,
    output_path,
    render_stamp_name,
    site_path,
    status_page_path,
    web_page_url,
)
from polyleaf.source.document import Document

#: The folder of the font files HTML pages link to, in ``build/`` and ``build/release/``.
FONTS_DIR = "fonts"
#: A polyleaf module a renderer imports: ``from polyleaf.qa.quantities import …``, ``from polyleaf import locale``.
_IMPORT = re.compile(r"^[ \t]*from polyleaf(\.[\w.]+)? import \(?([\w, ]+)", re.MULTILINE)

if TYPE_CHECKING:
    from polyleaf.localize import Edition, LocalizedDocument
    from polyleaf.qa import Diagnostic
    from polyleaf.render import Alternate, IndexEntry, LeafletImage, LeafletLink, LeafletMeta
    from polyleaf.render.fonts import WebFonts


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


@dataclass(frozen=True, slots=True)
class Rendering:
    """Where a build's PDFs render (the run's executor; default: this process) and how their progress shows."""

    executor: Executor = field(default_factory=Inline)
    progress: ProgressFactory | None = None


@dataclass(slots=True)
class BuildResult:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # outputs no longer built: retired, withdrawn, a format dropped
    warnings: list[str] = field(default_factory=list)
    qa_errors: list[str] = field(default_factory=list)  # QA errors of reviewed entries, and what a release does
    withheld: list[str] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    unrendered: int = 0  # PDFs that could not be rendered (e.g. a font missing): a re-run tries them again


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
    from polyleaf.render import IndexEntry

    release = outputs.release
    output = _Output(config, outputs.formats or config.formats, release, rendering or Rendering())
    output.copy_logo()
    updated = {document.name: _updated(config, document) for document in sources.documents}
    today = clock.now().date()
    for document in sources.documents:
        review_by = config.leaflet.identity(document.name).review_by
        if review_by is not None and review_by < today:
            output.result.warnings.append(
                f"{document.path}: the leaflet's review-by date {review_by.isoformat()} has passed: review it and "
                f"set a new date in [leaflet] of {config.config_file.name}"
            )
    shown: dict[str, tuple[Edition, list[LocalizedDocument]]] = {}
    waived: dict[tuple[str, str], tuple[str, ...]] = {}  # a release's waived QA findings, for release.json
    for language in languages:  # first what each language shows, so every page can link the others
        documents = [document for document in sources.documents if outputs.builds(language, document.name)]
        verdicts = {
            document.name: release_verdict(config, glossary, catalogs, document, language) for document in documents
        }
        output.result.qa_errors += qa_error_lines(language, verdicts)
        shared = localize.edition(
            language,
            config.source_language,
            release,
            sources.disclaimer,
            draft_translations(catalogs[language, DISCLAIMER]),
            catalogs[language, INTERFACE].translations(),
            _findings(DISCLAIMER, (error for verdict in verdicts.values() for error in verdict.errors)),
        )
        leaflets = []
        output.clinic_words(language, documents, catalogs)
        for document in documents:
            verdict = verdicts[document.name]
            if release:
                if verdict.reason:
                    output.result.withheld.append(f"{language}/{document.name}: {verdict.reason}")
                    unpublish(config, language, document.name)
                    continue
                waived[language, document.name] = tuple(
                    f"{d.path}:{d.line}: [{d.check}] {d.message}" for d in verdict.waived
                )
            translations = draft_translations(catalogs[language, document.name])  # a release: reviewed ones only
            leaflets.append(localize.localize(document, translations, shared, _findings(document.name, verdict.errors)))
        shown[language] = shared, leaflets
    output.available = {name: output.available_languages(name, shown) for name in updated}
    output.render_pdfs(
        [(localized, updated[localized.name]) for _shared, leaflets in shown.values() for localized in leaflets]
    )
    if release and output.pdf_errors:  # a release is whole or not at all: the previous one stays
        (path, error), *more = output.pdf_errors.items()
        also = f" (and {len(more)} more PDF{'s' if len(more) > 1 else ''})" if more else ""
        raise RenderError(f"not built: {error}{also}", path)
    site: list[IndexEntry] = []
    for language, (shared, leaflets) in shown.items():
        links: list[LeafletLink] = []
        made: list[tuple[LocalizedDocument, list[Path]]] = []
        for localized in leaflets:
            alternates = output.alternates(localized.name, shown)
            link, files = output.leaflet(localized, updated[localized.name], alternates)
            if link is not None:
                links.append(link)
            made.append((localized, files))
        if links or not release:
            output.language_index(language, links, shared.labels)
            site.append(IndexEntry(language, len(links), sum(1 for link in links if link.draft)))
        else:  # a release publishing nothing in the language: the last release's index page of it goes, and with it
            # the font subsets only that page linked (remove_unlinked keeps what any page in the folder links)
            language_index_path(config, language, release).unlink(missing_ok=True)
        output.web.flush()  # the language's web pages, with their fonts: then they can be hashed
        for localized, files in made if release else ():
            published = published_record(config, localized, catalogs, files)
            output.result.published.append(dataclasses.replace(published, waived=waived[language, localized.name]))
    output.site_index(site)
    output.web.flush()
    if not release:
        output.remove_stale_drafts(list(shown))
    if "html" in output.formats:
        output.web.remove_unlinked(output_dir(config, release))
    if release:
        write_manifest(config, output.result.published, "html" in output.formats, output.write)
    return output.result


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


#: A worker process that renders PDFs is replaced after this many (WeasyPrint keeps caches as it goes), and a
#: one-process run renders more than this many on a worker process of its own (see ``_Output.pdf_executor``).
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


class _Output:
    """Writes one build's files: only those whose content changed, rendering only what is out of date."""

    def __init__(self, config: Config, formats: tuple[str, ...], release: bool, rendering: Rendering) -> None:
        self.config = config
        self.formats = formats
        self.release = release
        self.executor = rendering.executor
        self.progress = rendering.progress
        self.pdf_errors: dict[Path, str] = {}  # PDFs ``render_pdfs`` could not render, and why
        self._prepared: dict[tuple[str, str], LeafletMeta] = {}  # by (language, document): see ``prepare``
        self._publisher: dict[str, tuple[str, str]] = {}  # by language: the clinic's name and contact lines
        self._credits: dict[tuple[str, str], tuple[Authorship | None, str]] = {}  # by (language, document)
        self.available: dict[str, tuple[str, ...]] = {}  # document → the languages it is in: ``available_languages``
        self.result = BuildResult()
        self.fonts = preferred_fonts(config, formats)
        self.font_files = FontFiles(config, self.fonts)
        self.logo: LeafletImage | None = None  # the copied logo; ``path`` relative to the build folder
        self._images: dict[str, tuple[tuple[LeafletImage, bytes], ...]] = {}
        self.stamps = Store(config.build_dir, "stamps")
        self.web = WebPages(self, output_dir(config, release) / FONTS_DIR)

    def write(self, path: Path, data: bytes) -> None:
        if write_if_changed(path, data, within=self.config.build_dir, roots=self.config.write_roots):
            self.result.written.append(path)

    def render_cached(self, path: Path, inputs: object, render: Callable[[], bytes]) -> None:
        """Write ``render()`` to ``path`` unless the file was already rendered from equal ``inputs``."""
        key = self.stale(path, inputs)
        if key is not None:
            self.store(path, key, render())

    def stale(self, path: Path, inputs: object) -> str | None:
        """The hash of ``inputs`` when ``path`` must be rendered (again), None when it is up to date.

        Rendering (Jinja, and WeasyPrint above all) is the slow part of a re-run. The stamp in ``build/.cache``
        records the hash of the inputs (the ``repr`` of the frozen input dataclasses, with the polyleaf version and
        ``renderer_digest``: the code and templates that render) *and* of the output it produced; an output is
        reused only when both still match. So an output and its stamp never disagree, whatever was interrupted: a
        build killed between writing the output and its stamp, a full disk, a failed write — the next build sees a
        mismatch and renders again. Stamps are signed (``polyleaf.cache``): a committed output with a stamp made
        elsewhere is rendered again.
        """
        key = self.input_key(inputs)
        stamp = self.stamps.load(render_stamp_name(self.config, path))
        if path.is_file() and not path.is_symlink() and stamp == [key, file_sha256(path)]:
            return None
        return key

    def input_key(self, inputs: object) -> str:
        """The hash of what an output is rendered from, with the code that renders it (see ``stale``)."""
        return hashlib.sha256(f"{__version__}\n{renderer_digest()}\n{inputs!r}".encode()).hexdigest()

    def font_hash(self, path: str) -> str:
        """The hash of a font file's content, read once per build."""
        return self.font_files.file_hash(path)

    def store(self, path: Path, key: str, data: bytes) -> None:
        """Write a rendered output, then its stamp (see ``stale``)."""
        self.write(path, data)
        self.stamps.save(render_stamp_name(self.config, path), [key, hashlib.sha256(data).hexdigest()])

    def render_pdfs(self, leaflets: Sequence[tuple[LocalizedDocument, dt.date]]) -> None:
        """Render the out-of-date PDFs of the build's ``leaflets`` (last-updated dates) — on the executor's workers
        when there are enough to pay for starting them — and write them in order; ``leaflet`` then finds them up
        to date, or the reason one could not be rendered."""
        if "pdf" not in self.formats:
            return
        jobs: list[tuple[LocalizedDocument, LeafletMeta, Path]] = []
        planned: list[tuple[Path, str]] = []
        for localized, updated in leaflets:
            shared_meta = self.prepare(localized, updated)
            languages = (localized.language, *shared_meta.languages)  # the languages line sets each in its fonts
            fonts = [self.font_files.digest(language, shared_meta.fonts) for language in languages]
            for edition in self.config.leaflet.editions:  # each printed edition is a PDF of its own
                meta = dataclasses.replace(shared_meta, edition=edition)
                path = output_path(self.config, localized.language, localized.name, "pdf", self.release, edition)
                key = self.stale(path, (*_pdf_inputs(localized, meta), *fonts))
                if key is not None:
                    jobs.append((localized, meta, path.parent))
                    planned.append((path, key))
        executor = self.pdf_executor(len(jobs))
        started_here = executor is not self.executor  # stopped when these PDFs are done
        with running(executor) if started_here else contextlib.nullcontext(executor):
            rendered = executor.ordered(render_pdf_task, jobs, recycle=RENDERS_PER_WORKER)
            shown = counted(rendered, len(jobs), self.progress, "rendering PDFs", "PDFs")  # one by one, anywhere
            for (path, key), result in zip(planned, shown, strict=True):
                if result.error:
                    self.pdf_errors[path] = result.error
                    self.result.unrendered += 1
                else:
                    self.store(path, key, result.data)
                    self.result.warnings += [f"{self.config.relative(path)}: {text}" for text in result.warnings]

    def pdf_executor(self, count: int) -> Executor:
        """Where ``count`` PDFs render: here when they are too few to pay for starting workers; on the run's workers;
        or, in a one-process run (``--workers 1``) with more than a worker renders before it is replaced, on one
        worker process replaced as often — WeasyPrint's caches grow with every PDF, and this process would keep
        them to the end of the run (3.2 GB for 1,792 PDFs; flat this way)."""
        if count < PDFS_FOR_WORKERS * self.executor.workers:
            return Inline()
        if isinstance(self.executor, Inline) and count > RENDERS_PER_WORKER:
            return LocalPool(1, (__name__, "polyleaf.render.preload"))  # the task's module, and WeasyPrint
        return self.executor

    def prepare(self, localized: LocalizedDocument, updated: dt.date) -> LeafletMeta:
        """Once per leaflet and build: its images written next to it, where it points, and what its pages show
        besides its text (the clinic's identity, dates, fonts, images)."""
        from polyleaf.render import LeafletMeta

        where = (localized.language, localized.name)
        if where in self._prepared:
            return self._prepared[where]
        images = self.images(localized.source)
        folder = output_path(self.config, localized.language, localized.name, "x", self.release).parent
        for image, data in images:
            self.write(folder / image.path, data)
        identity = self.config.leaflet.identity(localized.name)
        logo = self.logo
        publisher, contact = self._publisher.get(localized.language, (self.config.publisher, ""))
        authorship, translated_by = self._credits.get(where, (None, ""))
        self._prepared[where] = LeafletMeta(
            updated=updated,
            page_size=self.config.page_size,
            project=publisher,
            fonts=self.fonts,
            images=tuple(image for image, _data in images),
            logo=dataclasses.replace(logo, path=f"../{logo.path}") if logo else None,
            contact=contact,
            reference=identity.reference,
            version=identity.version,
            review_by=identity.review_by,
            authorship=authorship,
            translated_by=translated_by,
            languages=self.available.get(localized.name, ()),
            web_url=web_page_url(self.config, localized.language, localized.name),
        )
        return self._prepared[where]

    def clinic_words(self, language: str, documents: Sequence[Document], catalogs: Catalogs) -> None:
        """The clinic's name and contact lines in ``language`` (their reviewed translations in ``interface.po``
        where the clinic has them translated), and who stands behind each leaflet (``clinic.credits``)."""
        config = self.config
        interface = catalogs[language, INTERFACE].translations()
        chosen = config.leaflet.translate
        publisher = clinic.localized(config.publisher, interface) if "organisation" in chosen else config.publisher
        lines = clinic.contact_lines(config)
        contact = "\n".join(clinic.localized(line, interface) if "contact" in chosen else line for line in lines)
        self._publisher[language] = publisher, contact
        for document in documents:
            own, translated_by = clinic.credits(config, document, language, catalogs.get((language, document.name)))
            shown = clinic.localized_authorship(own, interface) if own != Authorship() else None
            self._credits[language, document.name] = shown, translated_by

    def leaflet(
        self, localized: LocalizedDocument, updated: dt.date, alternates: tuple[Alternate, ...]
    ) -> tuple[LeafletLink | None, list[Path]]:
        """The document's files in every configured format: its link for the language index (None: no page) and
        the files it has now (its images included)."""
        from polyleaf.render import LeafletLink
        from polyleaf.render.text import render_text

        config, language, name = self.config, localized.language, localized.name
        meta = self.prepare(localized, updated)
        folder = output_path(config, language, name, "x", self.release).parent
        paths = [folder / image.path for image in meta.images]
        remove_old_names(folder, name, language)
        files: list[str] = []
        if "txt" in self.formats:
            path = output_path(config, language, name, localized.source.format, self.release)
            self.write(path, render_text(localized, meta).encode("utf-8"))
            files.append(path.name)
        if "html" in self.formats or "pdf" in self.formats:
            files += self._pages(localized, meta, alternates)
        if self.release:  # a release folder holds exactly this version of the leaflet, in the formats just built
            unpublish(config, language, name, keep=files)
        paths += [folder / file for file in files]
        if "html" not in self.formats and "pdf" not in self.formats:
            return None, paths
        files.sort(key=lambda file: LEAFLET_EXTENSIONS.index(file.rsplit(".", 1)[-1]))
        return LeafletLink.from_document(localized, files), paths

    def remove_stale_drafts(self, languages: Sequence[str]) -> None:
        """Remove from the draft folders of ``languages`` what no build makes any more, so that nothing there shows
        text the PO files no longer hold: the files of a retired document (its source gone) or of a format no longer
        configured nor asked for (``.txt`` for a source that is now ``.md``, too), a printed edition no longer
        configured, and the index pages when there are no web pages. A format asked for with ``--format`` is kept
        until a build without it."""
        from polyleaf.source.parse import source_format

        config, drafts = self.config, output_dir(self.config, release=False)
        sources = {path.stem: source_format(path) for path in source_paths(config)}
        formats = {*config.formats, *self.formats}
        web = "html" in formats
        stale = [] if web else [drafts / "index.html", *(drafts / language / "index.html" for language in languages)]
        for language in (language for language in languages if not (drafts / language).is_symlink()):
            with contextlib.suppress(OSError), os.scandir(drafts / language) as entries:
                for entry in entries:
                    for extension, edition in leaflet_kinds(LEAFLET_EXTENSIONS):
                        name = entry.name.removesuffix(output_name("", language, extension, edition))
                        made = extension == sources.get(name) if extension in ("txt", "md") else name in sources
                        wanted = made and ("txt" if extension == "md" else extension) in formats
                        wanted = wanted and (extension != "pdf" or edition in config.leaflet.editions)
                        if name != entry.name and not wanted and entry.is_file(follow_symlinks=False):
                            stale.append(Path(entry.path))
        for path in stale:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                self.result.removed.append(path)

    def alternates(self, name: str, shown: dict[str, tuple[Edition, list[LocalizedDocument]]]) -> tuple[Alternate, ...]:
        """Every language the web page of document ``name`` will be in after this build (``available_languages``,
        by their web pages), each with its page's URL."""
        from polyleaf.render import Alternate

        if "html" not in self.formats:
            return ()
        return tuple(
            Alternate(language, f"../{site_path(language, output_name(name, language, 'html'))}")
            for language in self.available_languages(name, shown, ("html",))
        )

    def available_languages(
        self,
        name: str,
        shown: dict[str, tuple[Edition, list[LocalizedDocument]]],
        extensions: tuple[str, ...] = ("html", "pdf"),
    ) -> tuple[str, ...]:
        """Every configured language document ``name`` is available in after this build: those this build shows it
        in (a release: those it publishes, not those it withholds), and, for languages it does not cover
        (``--lang``), those where its web page or PDF (of ``extensions``) is there already."""
        found = []
        for language in dict.fromkeys((*self.config.languages, *shown)):
            if language in shown:
                present = any(leaflet.name == name for leaflet in shown[language][1])
            else:
                present = any(
                    output_path(self.config, language, name, extension, self.release).is_file()
                    for extension in extensions
                )
            if present:
                found.append(language)
        return tuple(found)

    def copy_logo(self) -> None:
        """Copy ``[leaflet] logo`` into ``build/assets/`` (``build/release/assets/``) for the pages that show it;
        other files there are removed. A logo that cannot be read is a warning: the pages show the name alone."""
        from polyleaf.render import LeafletImage

        folder = assets_dir(self.config, self.release)
        source = self.config.leaflet.logo
        if not ("html" in self.formats or "pdf" in self.formats):
            return
        keep = ""
        if source is not None:
            check_readable(self.config, source, "logo")
            try:
                data = read_regular(source)
            except OSError as error:
                self.result.warnings.append(
                    f"{self.config.relative(source)}: logo not shown: {error.strerror or error}"
                )
            else:
                keep = source.name
                self.write(folder / keep, data)
                href = f"{folder.name}/{quote(keep)}"
                self.logo = LeafletImage(str(self.config.relative(source)), href, hashlib.sha256(data).hexdigest())
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name != keep and path.is_file() and not path.is_symlink():
                    path.unlink()

    def images(self, document: Document) -> tuple[tuple[LeafletImage, bytes], ...]:
        """The images of a Markdown source a leaflet can show, read once per build: files below the source's
        folder, inside the project (symlinks resolved). Remote images are not fetched; an image that cannot be
        read is a warning, and the leaflet shows its alt text."""
        from polyleaf.render import LeafletImage

        if document.name in self._images:
            return self._images[document.name]
        found: list[tuple[LeafletImage, bytes]] = []
        for src in document.images:
            relative = local_image(src)
            if relative is None:
                if urlsplit(src).scheme.lower() not in ("http", "https", "data"):
                    self.result.warnings.append(
                        f"{document.path}: image {src!r} not shown (only PNG, JPEG, GIF or WebP files in or below "
                        "the source's folder are)"
                    )
                continue
            path = self.config.root / document.path.parent / Path(*relative.parts)
            try:
                check_readable(self.config, path, "source_dir")
                if not path.is_file():
                    raise OSError("no such file")
                data = read_regular(path)
            except ConfinementError as error:
                self.result.warnings.append(f"{document.path}: image {src!r} not shown: {error.message}")
                continue
            except OSError as error:
                reason = error.strerror or str(error)
                self.result.warnings.append(f"{document.path}: image {src!r} not shown: {reason}")
                continue
            found.append((LeafletImage(src, relative.as_posix(), hashlib.sha256(data).hexdigest()), data))
        self._images[document.name] = tuple(found)
        return self._images[document.name]

    def _pages(self, localized: LocalizedDocument, meta: LeafletMeta, alternates: tuple[Alternate, ...]) -> list[str]:
        """The PDF (rendered by ``render_pdfs``), then the web page (written with its language's other pages:
        ``web_fonts``), which links the PDF only when there is one; each rendered only when out of date."""
        from polyleaf.render import PageLinks
        from polyleaf.render.fonts import font_stack
        from polyleaf.render.html import render_leaflet_html

        faces = font_stack(localized.language, meta.fonts).faces  # other font files: other output
        language, name = localized.language, localized.name
        files = []
        for edition in self.config.leaflet.editions if "pdf" in self.formats else ():
            path = output_path(self.config, language, name, "pdf", self.release, edition)
            error = self.pdf_errors.get(path)
            if error is not None:  # a draft (a release stops before its pages: see ``build``)
                self.result.warnings.append(f"{self.config.relative(path)}: not built: {error}")
                path.unlink(missing_ok=True)  # never leave an older version beside the new ones
            else:
                files.append(path.name)
        if "html" in self.formats:
            path = output_path(self.config, language, name, "html", self.release)
            links = PageLinks(pdf=quote(files[0]) if files else "", alternates=alternates)

            def html(fonts: WebFonts) -> str:
                return render_leaflet_html(localized, meta, fonts, links)

            self.web.add(language, path, (localized, meta, faces, links), html)
            files.insert(0, path.name)
        return files

    def language_index(self, language: str, links: Sequence[LeafletLink], labels: tuple[tuple[str, str], ...]) -> None:
        if "html" not in self.formats:
            return
        from polyleaf.render.index import render_language_index

        project = self._publisher.get(language, (self.config.publisher, ""))[0]
        logo = f"../{self.logo.path}" if self.logo else ""

        def page(fonts: WebFonts) -> str:
            return render_language_index(language, links, project=project, labels=labels, web_fonts=fonts, logo=logo)

        path = language_index_path(self.config, language, self.release)
        self.web.add(language, path, (language, tuple(links), project, labels, self.logo), page)

    def site_index(self, site: Sequence[IndexEntry]) -> None:
        if "html" not in self.formats:
            return
        from polyleaf.render.index import render_site_index

        project, source_language = self.config.publisher, self.config.source_language
        logo = self.logo.path if self.logo else ""
        status = "" if self.release else status_page_path(self.config).name  # the dashboard is not for clinics

        def page(fonts: WebFonts) -> str:
            return render_site_index(
                site, project=project, source_language=source_language, web_fonts=fonts, logo=logo, status=status
            )

        path = output_dir(self.config, self.release) / "index.html"
        self.web.add("", path, (tuple(site), project, source_language, self.logo, status), page)


def local_image(src: str) -> PurePosixPath | None:
    """The path of an image a leaflet may show, relative to its source file (and to the leaflet, where it is
    copied): a relative URL below the source's folder (no scheme, host, query, ``..`` or absolute path) to a file of
    a known image type; None for anything else, remote images included."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or src.startswith(("/", "\\")):
        return None
    path = PurePosixPath(unquote(parts.path))
    if path.is_absolute() or not path.parts or any(part in ("..", "") or "\\" in part for part in path.parts):
        return None
    return path if path.suffix.lower() in IMAGE_SUFFIXES else None


# ----------------------------------------------------------------------------------------------- fonts


def preferred_fonts(config: Config, formats: Sequence[str]) -> tuple[str, ...]:
    """``[leaflet] fonts`` checked, for ``formats`` that set text in fonts (HTML, PDF): family names as they are,
    font files as absolute paths inside the project."""
    from polyleaf.render.fonts import check_family, font_file_face, is_font_file

    if "html" not in formats and "pdf" not in formats:
        return ()
    entries: list[str] = []
    root = config.root.resolve()
    for entry in config.leaflet.fonts:
        try:
            if not is_font_file(entry):
                entries.append(check_family(entry))
                continue
            path = (config.root / entry).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise RenderError(f"{entry}: no such font file in the project")
            font_file_face(path)
            entries.append(str(path))
        except RenderError as error:
            raise ConfigError(f"leaflet.fonts: {error.message}", config.config_file) from None
    return tuple(entries)


def _pdf_inputs(localized: LocalizedDocument, meta: LeafletMeta) -> tuple[object, ...]:
    """What a leaflet's PDF is rendered from (its render stamp's key, with ``FontFiles.digest``): the fonts' files
    included."""
    from polyleaf.render.fonts import font_stack

    return (localized, meta, font_stack(localized.language, meta.fonts).faces)


class FontFiles:
    """What the fonts of a build's PDFs are, by content: the files it declares (``[leaflet] fonts``, the packaged
    Noto fonts) and the files fontconfig has for every family the leaflets name — so a font file edited in place,
    or a font installed that fontconfig now answers with, renders the PDFs again. Each file is hashed once per
    build (known by path, size, modification time and inode); fontconfig is asked once."""

    def __init__(self, config: Config, fonts: tuple[str, ...]) -> None:
        self._languages = (config.source_language, *config.languages)
        self._fonts = fonts
        self._answer: dict[str, tuple[str, ...]] | None = None
        self._hashes: dict[tuple[str, int, int, int], str] = {}
        self._digests: dict[tuple[str, tuple[str, ...]], str] = {}

    def digest(self, language: str, fonts: tuple[str, ...]) -> str:
        """One hash of every font file a leaflet in ``language`` may be set in, and of fontconfig's answer."""
        from polyleaf.render.fonts import families_of, font_stack, is_font_file

        if (language, fonts) not in self._digests:
            families = families_of([language], [entry for entry in fonts if not is_font_file(entry)])
            answer = self._fontconfig()
            found = {family: answer.get(family, ()) for family in families}
            declared = [str(face.path) for face in font_stack(language, fonts).faces]
            paths = [*declared, *(path for files in found.values() for path in files)]
            text = repr((sorted(found.items()), [(path, self.file_hash(path)) for path in dict.fromkeys(paths)]))
            self._digests[language, fonts] = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
        return self._digests[language, fonts]

    def _fontconfig(self) -> dict[str, tuple[str, ...]]:
        from polyleaf.render.fonts import families_of, fontconfig_answer, is_font_file

        if self._answer is None:
            named = [entry for entry in self._fonts if not is_font_file(entry)]
            self._answer = fontconfig_answer(families_of(self._languages, named))[0]
        return self._answer

    def file_hash(self, path: str) -> str:
        try:
            info = os.stat(path)
        except OSError as error:
            return f"unreadable: {error.errno}"
        known = (path, info.st_size, info.st_mtime_ns, info.st_ino)
        if known not in self._hashes:
            self._hashes[known] = file_sha256(Path(path))
        return self._hashes[known]


@functools.cache
def renderer_digest() -> str:
    """A hash of the code and templates that turn a leaflet's inputs into bytes (``code_digest`` of this polyleaf),
    computed once per process: a renderer changed without a new version number (a development install, a patched
    template) renders every output again."""
    return code_digest(Path(__file__).resolve().parents[1])


def code_digest(package: Path) -> str:
    """A hash of ``package/render/`` (code and templates) and of the polyleaf modules its code imports."""
    files = {path for path in (package / "render").rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    for code in [path for path in files if path.suffix == ".py"]:
        for module, names in _IMPORT.findall(code.read_text(encoding="utf-8")):
            for name in [module.lstrip(".")] if module else [name.strip() for name in names.split(",")]:
                relative = name.replace(".", "/")
                files.update(path for path in (package / f"{relative}.py", package / relative / "__init__.py"))
    digest = hashlib.sha256()
    for path in sorted(path for path in files if path.is_file()):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _updated(config: Config, document: Document) -> dt.date:
    """The source's last change (git commit or file time), never after SOURCE_DATE_EPOCH when that is set."""
    epoch = clock.now()
    try:
        return min(last_change(config.root / document.path), epoch).date()
    except OSError:
        return epoch.date()
