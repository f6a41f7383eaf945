"""What one build writes: each leaflet's files in the formats of ``polyleaf.formats``, the index pages and the
assets they show — only files whose content changed, rendering only what is out of date (``pipeline.stamps``).

The build (``pipeline.build``) decides what each page shows; the printed leaflets are rendered before the web pages
that link them (``pipeline.printed``). Rendering (Jinja, WeasyPrint) is imported lazily.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from polyleaf import clinic
from polyleaf.config.leaflet import Authorship
from polyleaf.config.model import Config
from polyleaf.errors import ConfinementError
from polyleaf.execution.workers import Executor, Inline
from polyleaf.formats import (
    LEAFLET_EXTENSIONS,
    LEAFLET_FORMATS,
    WEB_PAGE,
    FormatKind,
    LeafletFormat,
    has_kind,
    leaflet_format,
    of_extension,
    selected,
)
from polyleaf.fsio import read_regular, write_if_changed
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.leaflet_fonts import FontFiles
from polyleaf.pipeline.manifest import Published, remove_old_names, unpublish
from polyleaf.pipeline.sources import source_paths
from polyleaf.pipeline.stamps import Stamps
from polyleaf.pipeline.web_fonts import WebPages
from polyleaf.progress import ProgressFactory
from polyleaf.project import (
    IMAGE_SUFFIXES,
    INTERFACE,
    NOT_RASTER,
    assets_dir,
    check_readable,
    is_raster_image,
    language_index_path,
    leaflet_kinds,
    output_dir,
    output_name,
    output_path,
    site_path,
    status_page_path,
    web_page_url,
)
from polyleaf.source.document import Document

if TYPE_CHECKING:
    from polyleaf.localize import Edition, LocalizedDocument
    from polyleaf.pipeline.library import Library
    from polyleaf.pipeline.readiness import CatalogFacts, Verdict
    from polyleaf.render.fonts import WebFonts
    from polyleaf.render.meta import Alternate, IndexEntry, LeafletImage, LeafletLink, LeafletMeta

#: The folder of the font files HTML pages link to, in ``build/`` and ``build/release/``.
FONTS_DIR = "fonts"
#: What a build shows in each language: the edition's shared words and the names of the documents it shows.
Shown = dict[str, tuple["Edition", list[str]]]
#: The extension of a leaflet's web page, and those of its pages and paper (which say what languages it is in).
_PAGE = leaflet_format(WEB_PAGE).extension
_PAGES_AND_PAPER = tuple(ext for leaflet in LEAFLET_FORMATS if leaflet.kind != "file" for ext in leaflet.extensions)


@dataclass(frozen=True, slots=True)
class Rendering:
    """Where a build's PDFs render (the run's executor; default: this process) and how their progress shows."""

    executor: Executor = field(default_factory=Inline)
    progress: ProgressFactory | None = None
    #: a build of every document records what its pages show in it; a build of the documents an edit changed
    #: takes the other documents' from it (``pipeline.library``), given every article's path as shown (``articles``)
    library: Library | None = None
    articles: tuple[Path, ...] = ()
    #: the files the build writes, as it writes them (a build of some documents that gives way to a build of all,
    #: ``OtherPagesChange``, has written some already: the run reports them too)
    written: list[Path] = field(default_factory=list)
    #: the run's dashboard takes its rows from this build: each document catalog's facts are taken with its verdict
    rows: bool = False

    @property
    def partial(self) -> bool:
        return bool(self.articles)


@dataclass(slots=True)
class BuildResult:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # outputs no longer built: retired, withdrawn, a format dropped
    warnings: list[str] = field(default_factory=list)
    qa_errors: list[str] = field(default_factory=list)  # QA errors of reviewed entries, and what a release does
    withheld: list[str] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    unrendered: int = 0  # PDFs that could not be rendered (e.g. a font missing): a re-run tries them again
    #: each leaflet's release verdict, and its catalog's facts when ``Rendering.rows`` asks, by (language,
    #: document): for the dashboard (``readiness.Decided``)
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)
    facts: dict[tuple[str, str], CatalogFacts] = field(default_factory=dict)


class Output:
    """Writes one build's files: only those whose content changed, rendering only what is out of date."""

    def __init__(
        self, config: Config, formats: Sequence[str], release: bool, rendering: Rendering, fonts: tuple[str, ...]
    ) -> None:
        self.config = config
        self.formats: tuple[LeafletFormat, ...] = selected(formats)
        self.release = release
        self.executor = rendering.executor
        self.progress = rendering.progress
        self.pdf_errors: dict[Path, str] = {}  # PDFs ``printed.render_pdfs`` could not render, and why
        self._prepared: dict[tuple[str, str], LeafletMeta] = {}  # by (language, document): see ``prepare``
        self._publisher: dict[str, tuple[str, str]] = {}  # by language: the clinic's name and contact lines
        self._credits: dict[tuple[str, str], tuple[Authorship | None, str]] = {}  # by (language, document)
        self.available: dict[str, tuple[str, ...]] = {}  # document → the languages it is in: ``available_languages``
        self.result = BuildResult(written=rendering.written)
        self.fonts = fonts  # ``[leaflet] fonts`` checked (``leaflet_fonts.preferred_fonts``)
        self.font_files = FontFiles(config, fonts)
        self.logo: LeafletImage | None = None  # the copied logo; ``path`` relative to the build folder
        self._images: dict[str, tuple[tuple[LeafletImage, bytes], ...]] = {}
        self.stamps = Stamps(config, self.write, self.font_files.file_hash)
        self.web = WebPages(self.stamps, output_dir(config, release) / FONTS_DIR)

    def has(self, *kinds: FormatKind) -> bool:
        """Whether the build writes a format of one of ``kinds``."""
        return any(leaflet.kind in kinds for leaflet in self.formats)

    def of_kind(self, kind: FormatKind) -> LeafletFormat | None:
        """The build's format of ``kind`` (the web page, the printed leaflet), if it writes one."""
        return next((leaflet for leaflet in self.formats if leaflet.kind == kind), None)

    def write(self, path: Path, data: bytes) -> None:
        if write_if_changed(path, data, within=self.config.build_dir, roots=self.config.write_roots):
            self.result.written.append(path)

    def prepare(self, localized: LocalizedDocument, updated: dt.date) -> LeafletMeta:
        """Once per leaflet and build: its images written next to it, where it points, and what its pages show
        besides its text (the clinic's identity, dates, fonts, images)."""
        from polyleaf.render.meta import LeafletMeta

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
        """The document's files in every format of the build: its link for the language index (None: no page) and
        the files it has now (its images included)."""
        from polyleaf.render.meta import LeafletLink

        config, language, name = self.config, localized.language, localized.name
        meta = self.prepare(localized, updated)
        folder = output_path(config, language, name, "x", self.release).parent
        paths = [folder / image.path for image in meta.images]
        remove_old_names(folder, name, language)
        files = {self._file(leaflet, localized, meta): leaflet for leaflet in self.formats if leaflet.kind == "file"}
        if self.has("web_page", "printed"):
            files |= self._pages(localized, meta, alternates)
        if self.release:  # a release folder holds exactly this version of the leaflet, in the formats just built
            unpublish(config, language, name, keep=list(files))
        paths += [folder / file for file in files]
        if not self.has("web_page", "printed"):
            return None, paths
        offered = [
            file for leaflet in self.formats if leaflet.on_index for file, made in files.items() if made == leaflet
        ]
        return LeafletLink.from_document(localized, offered), paths

    def _file(self, leaflet: LeafletFormat, localized: LocalizedDocument, meta: LeafletMeta) -> str:
        """Write the leaflet's file of a format its renderer makes in this process, when out of date."""
        from polyleaf.render.leaflet_files import FILE_RENDERERS

        extension = leaflet.extension or localized.source.format  # the text leaflet: the source's format
        path = output_path(self.config, localized.language, localized.name, extension, self.release)
        render = FILE_RENDERERS[leaflet.name]
        self.stamps.render_cached(path, (leaflet.name, localized, meta), lambda: render(localized, meta).encode())
        return path.name

    def remove_stale_drafts(self, languages: Sequence[str]) -> None:
        """Remove from the draft folders of ``languages`` what no build makes any more, so that nothing there shows
        text the PO files no longer hold: the files of a retired document (its source gone) or of a format no longer
        configured nor asked for (``.txt`` for a source that is now ``.md``, too), a printed edition no longer
        configured, and the index pages when there are no web pages. A format asked for with ``--format`` is kept
        until a build without it."""
        from polyleaf.source.parse.reading import source_format

        config, drafts = self.config, output_dir(self.config, release=False)
        sources = {path.stem: source_format(path) for path in source_paths(config)}
        formats = {*config.formats, *(leaflet.name for leaflet in self.formats)}
        web = has_kind(formats, "web_page")
        stale = [] if web else [drafts / "index.html", *(drafts / language / "index.html" for language in languages)]
        for language in (language for language in languages if not (drafts / language).is_symlink()):
            with contextlib.suppress(OSError), os.scandir(drafts / language) as entries:
                for entry in entries:
                    for extension, edition in leaflet_kinds(LEAFLET_EXTENSIONS):
                        name = entry.name.removesuffix(output_name("", language, extension, edition))
                        leaflet = of_extension(extension)
                        made = extension == sources.get(name) if not leaflet.extension else name in sources
                        wanted = made and leaflet.name in formats
                        wanted = wanted and (leaflet.kind != "printed" or edition in config.leaflet.editions)
                        if name != entry.name and not wanted and entry.is_file(follow_symlinks=False):
                            stale.append(Path(entry.path))
        for path in stale:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                self.result.removed.append(path)

    def alternates(self, name: str, shown: Shown) -> tuple[Alternate, ...]:
        """Every language the web page of document ``name`` will be in after this build (``available_languages``,
        by their web pages), each with its page's URL."""
        from polyleaf.render.meta import Alternate

        if not self.has("web_page"):
            return ()
        return tuple(
            Alternate(language, f"../{site_path(language, output_name(name, language, _PAGE))}")
            for language in self.available_languages(name, shown, (_PAGE,))
        )

    def available_languages(
        self,
        name: str,
        shown: Shown,
        extensions: tuple[str, ...] = _PAGES_AND_PAPER,
    ) -> tuple[str, ...]:
        """Every configured language document ``name`` is available in after this build: those this build shows it
        in (a release: those it publishes, not those it withholds), and, for languages it does not cover
        (``--lang``), those where its web page or PDF (of ``extensions``) is there already."""
        found = []
        for language in dict.fromkeys((*self.config.languages, *shown)):
            if language in shown:
                present = name in shown[language][1]
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
        from polyleaf.render.meta import LeafletImage

        folder = assets_dir(self.config, self.release)
        source = self.config.leaflet.logo
        if not self.has("web_page", "printed"):
            return
        keep = ""
        if source is not None:
            check_readable(self.config, source, "logo")
            try:
                data = read_regular(source)
                if not is_raster_image(data):
                    raise OSError(NOT_RASTER)
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
        from polyleaf.render.meta import LeafletImage

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
                if not is_raster_image(data):
                    raise OSError(NOT_RASTER)
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

    def _pages(
        self, localized: LocalizedDocument, meta: LeafletMeta, alternates: tuple[Alternate, ...]
    ) -> dict[str, LeafletFormat]:
        """The printed leaflet (rendered by ``printed.render_pdfs``), then the web page (written with its language's
        other pages: ``web_fonts``), which links the PDF only when there is one; each rendered only when out of
        date."""
        from polyleaf.render.fonts import font_stack
        from polyleaf.render.html import render_leaflet_html
        from polyleaf.render.meta import PageLinks

        faces = font_stack(localized.language, meta.fonts).faces  # other font files: other output
        language, name = localized.language, localized.name
        files: dict[str, LeafletFormat] = {}
        printed, page = self.of_kind("printed"), self.of_kind("web_page")
        editions = self.config.leaflet.editions
        printed_files = (
            []
            if printed is None
            else [
                output_path(self.config, language, name, printed.extension, self.release, edition)
                for edition in editions
            ]
        )
        for path in printed_files:
            error = self.pdf_errors.get(path)
            if error is not None:  # a draft (a release stops before its pages: see ``build``)
                self.result.warnings.append(f"{self.config.relative(path)}: not built: {error}")
                path.unlink(missing_ok=True)  # never leave an older version beside the new ones
            elif printed:
                files[path.name] = printed
        if page:
            path = output_path(self.config, language, name, page.extension, self.release)
            links = PageLinks(pdf=quote(next(iter(files))) if files else "", alternates=alternates)

            def html(fonts: WebFonts) -> str:
                return render_leaflet_html(localized, meta, fonts, links)

            self.web.add(language, path, (localized, meta, faces, links), html)
            files[path.name] = page
        return files

    def language_index(self, language: str, links: Sequence[LeafletLink], labels: tuple[tuple[str, str], ...]) -> None:
        if not self.has("web_page"):
            return
        from polyleaf.render.index import render_language_index

        project = self._publisher.get(language, (self.config.publisher, ""))[0]
        logo = f"../{self.logo.path}" if self.logo else ""

        def page(fonts: WebFonts) -> str:
            return render_language_index(language, links, project=project, labels=labels, web_fonts=fonts, logo=logo)

        path = language_index_path(self.config, language, self.release)
        self.web.add(language, path, (language, tuple(links), project, labels, self.logo), page)

    def site_index(self, site: Sequence[IndexEntry]) -> None:
        if not self.has("web_page"):
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
