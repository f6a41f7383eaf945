"""The build stage: every document's leaflet (txt/md, HTML, PDF) and index pages per language, draft or release.

What each page shows is decided by ``polyleaf.localize``; this module orchestrates: which documents a release
publishes (``review.release_verdict``), rendering each format (skipped when an output's inputs did not change),
and the release manifest ``build/release.json``. Rendering (Jinja, WeasyPrint) is imported lazily.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from polyleaf import __version__, clock, localize
from polyleaf.config import Config
from polyleaf.document import Document
from polyleaf.errors import ConfigError, ConfinementError, RenderError
from polyleaf.fsio import last_change, write_if_changed
from polyleaf.glossary import Glossary
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.review import release_verdict
from polyleaf.pipeline.sources import Sources, source_paths
from polyleaf.project import (
    DISCLAIMER,
    IMAGE_SUFFIXES,
    INTERFACE,
    check_readable,
    manifest_path,
    output_dir,
    output_path,
    render_stamp_path,
)

#: The folder of the font files HTML pages link to, in ``build/`` and ``build/release/``.
FONTS_DIR = "fonts"

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument
    from polyleaf.render import IndexEntry, LeafletImage, LeafletLink, LeafletMeta


#: Image files a leaflet shows (raster only: an SVG could pull in other files when the PDF is laid out).


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
    waived: tuple[str, ...] = ()  # QA findings reviewers waived, as ``path:line: [check] message``


@dataclass(slots=True)
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)


def build(
    config: Config,
    sources: Sources,
    catalogs: Catalogs,
    languages: Sequence[str],
    glossary: Glossary,
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

    output = _Output(config, tuple(formats or config.formats), release)
    if "html" in output.formats:
        _copy_fonts(output)
    site: list[IndexEntry] = []
    updated = {document.name: _updated(config, document) for document in sources.documents}
    for language in languages:
        shared = localize.edition(
            language,
            config.source_language,
            release,
            sources.disclaimer,
            catalogs[language, DISCLAIMER].translations(),
            catalogs[language, INTERFACE].translations(),
        )
        links: list[LeafletLink] = []
        for document in sources.documents:
            if release:
                verdict = release_verdict(config, glossary, catalogs, document.name, language)
                if verdict.reason:
                    output.result.withheld.append(f"{language}/{document.name}: {verdict.reason}")
                    _unpublish(config, language, document.name)
                    continue
            localized = localize.localize(document, catalogs[language, document.name].translations(), shared)
            link = output.leaflet(localized, updated[document.name])
            if link is not None:
                links.append(link)
            if release:
                published = _published(config, document, catalogs, language)
                waived = tuple(f"{d.path}:{d.line}: [{d.check}] {d.message}" for d in verdict.waived)
                output.result.published.append(dataclasses.replace(published, waived=waived))
        if links or not release:
            output.language_index(language, links, shared.labels)
            site.append(IndexEntry(language, len(links), sum(1 for link in links if link.draft)))
    output.site_index(site)
    if release:
        _write_manifest(config, output, languages, sources)
    return output.result


class _Output:
    """Writes one build's files: only those whose content changed, rendering only what is out of date."""

    def __init__(self, config: Config, formats: tuple[str, ...], release: bool) -> None:
        self.config = config
        self.formats = formats
        self.release = release
        self.result = BuildResult()
        self.fonts = _preferred_fonts(config) if "html" in formats or "pdf" in formats else ()
        self._images: dict[str, tuple[tuple[LeafletImage, bytes], ...]] = {}

    def write(self, path: Path, data: bytes) -> None:
        if write_if_changed(path, data, within=self.config.build_dir):
            self.result.written.append(path)

    def render_cached(self, path: Path, inputs: object, render: Callable[[], bytes]) -> None:
        """Write ``render()`` to ``path`` unless the file was already rendered from equal ``inputs``.

        Rendering (Jinja, and WeasyPrint above all) is the slow part of a re-run. The stamp in ``build/.cache``
        records the hash of the inputs (the ``repr`` of the frozen input dataclasses, with the polyleaf version)
        *and* of the output it produced; an output is reused only when both still match. So an output and its
        stamp never disagree, whatever was interrupted: a build killed between writing the output and its stamp,
        a full disk, a failed write — the next build sees a mismatch and renders again.
        """
        key = hashlib.sha256(f"{__version__}\n{inputs!r}".encode()).hexdigest()
        stamp = render_stamp_path(self.config, path)
        if path.is_file() and not path.is_symlink() and _read_stamp(stamp) == f"{key} {_file_sha256(path)}":
            return
        data = render()
        self.write(path, data)
        stamp_text = f"{key} {hashlib.sha256(data).hexdigest()}"
        write_if_changed(stamp, stamp_text.encode("ascii"), within=self.config.build_dir)

    def leaflet(self, localized: LocalizedDocument, updated: dt.date) -> LeafletLink | None:
        """The document's files in every configured format; its link for the language index (None: no page)."""
        from polyleaf.render import LeafletLink, LeafletMeta
        from polyleaf.render.text import render_text

        config, language, name = self.config, localized.language, localized.name
        images = self.images(localized.source)
        folder = output_path(config, language, name, "x", self.release).parent
        for image, data in images:  # next to the leaflet, where its HTML, PDF and Markdown point
            self.write(folder / image.path, data)
        files: list[str] = []
        if "txt" in self.formats:
            path = output_path(config, language, name, localized.source.format, self.release)
            self.write(path, render_text(localized).encode("utf-8"))
            files.append(path.name)
        if "html" in self.formats or "pdf" in self.formats:
            meta = LeafletMeta(
                updated=updated,
                page_size=config.page_size,
                project=config.project_name,
                fonts=self.fonts,
                images=tuple(image for image, _data in images),
            )
            files += self._pages(localized, meta)
        if self.release:  # a release folder holds exactly this version of the leaflet, in the formats just built
            _unpublish(config, language, name, keep=files)
        if "html" not in self.formats and "pdf" not in self.formats:
            return None
        offered_first = {".html": 0, ".pdf": 1}
        files.sort(key=lambda file: offered_first.get(Path(file).suffix, 2))
        return LeafletLink.from_document(localized, files)

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
                data = path.read_bytes()
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

    def _pages(self, localized: LocalizedDocument, meta: LeafletMeta) -> list[str]:
        """HTML (fonts linked from ``build/…/fonts/``) and PDF (fonts from where they are installed, ``file:``
        URLs), each rendered only when it is out of date."""
        from polyleaf.render.fonts import font_stack
        from polyleaf.render.html import render_leaflet_html

        def html() -> bytes:
            return render_leaflet_html(localized, meta, f"../{FONTS_DIR}/").encode("utf-8")

        def pdf(path: Path) -> bytes:
            from polyleaf.render.pdf import render_pdf

            return render_pdf(render_leaflet_html(localized, meta), base_url=path.parent)

        faces = font_stack(localized.language, meta.fonts).faces  # other font files: other output
        files = []
        for fmt in ("html", "pdf"):
            if fmt not in self.formats:
                continue
            path = output_path(self.config, localized.language, localized.name, fmt, self.release)
            render = partial(pdf, path) if fmt == "pdf" else html
            try:
                self.render_cached(path, (localized, meta, faces), render)
            except RenderError as error:  # e.g. a font missing here: the other formats are still useful
                self.result.warnings.append(f"{self.config.relative(path)}: not built: {error.message}")
                path.unlink(missing_ok=True)  # never leave an older version beside the new ones
                continue
            files.append(path.name)
        return files

    def language_index(self, language: str, links: Sequence[LeafletLink], labels: tuple[tuple[str, str], ...]) -> None:
        if "html" not in self.formats:
            return
        from polyleaf.render.index import render_language_index

        project = self.config.project_name

        def page() -> bytes:
            page = render_language_index(
                language, links, project=project, labels=labels, font_folder=f"../{FONTS_DIR}/"
            )
            return page.encode("utf-8")

        path = output_path(self.config, language, "index", "html", self.release)
        self.render_cached(path, (language, tuple(links), project, labels), page)

    def site_index(self, site: Sequence[IndexEntry]) -> None:
        if "html" not in self.formats:
            return
        from polyleaf.render.index import render_site_index

        project, source_language = self.config.project_name, self.config.source_language

        def page() -> bytes:
            page = render_site_index(
                site, project=project, source_language=source_language, font_folder=f"{FONTS_DIR}/"
            )
            return page.encode("utf-8")

        path = output_dir(self.config, self.release) / "index.html"
        self.render_cached(path, (tuple(site), project, source_language), page)


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


def _file_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_stamp(stamp: Path) -> str:
    try:
        return stamp.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


# ----------------------------------------------------------------------------------------------- fonts


def _preferred_fonts(config: Config) -> tuple[str, ...]:
    """``[leaflet] fonts`` checked: family names as they are, font files as absolute paths inside the project."""
    from polyleaf.render.fonts import check_family, font_file_face, is_font_file

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


def _copy_fonts(output: _Output) -> None:
    """Copy the font files the HTML pages link to into ``build/fonts/`` (``build/release/fonts/``).

    The set is the one every configured language needs, whatever ``--lang`` selected, so the folder's content
    does not depend on the last command; files no language needs any more are removed.
    """
    from polyleaf.render.fonts import font_stack

    config = output.config
    languages = dict.fromkeys((config.source_language, *config.languages))
    faces = dict.fromkeys(face for language in languages for face in font_stack(language, output.fonts).faces)
    folder = output_dir(config, output.release) / FONTS_DIR
    names = {face.path.name for face in faces}
    for face in faces:
        output.write(folder / face.path.name, face.path.read_bytes())
    for path in folder.iterdir():
        if path.name not in names and path.is_file() and not path.is_symlink():
            path.unlink()


# ----------------------------------------------------------------------------------------------- release


_IDENTITY = ("language", "document", "source_sha256", "catalog_sha256", "disclaimer_sha256", "interface_sha256")


def _write_manifest(config: Config, output: _Output, languages: Sequence[str], sources: Sources) -> None:
    """Record the release in ``build/release.json`` and remove what is no longer released."""
    covered = {(language, document.name) for language in languages for document in sources.documents}
    path = manifest_path(config)
    records, retired = _manifest(path, output.result.published, covered, _source_names(config))
    for language, name in retired:
        _unpublish(config, language, name)
    for language in languages:  # no leaflet left in a language: no index page pointing at removed files
        if not any(record["language"] == language for record in records):
            output_path(config, language, "index", "html", release=True).unlink(missing_ok=True)
    output.write(path, (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


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
    return {path.stem for path in source_paths(config)}


def _unpublish(config: Config, language: str, name: str, keep: Sequence[str] = ()) -> None:
    """Remove released files of a document (all, or all but ``keep``): withheld, retired or not rebuilt."""
    folder = output_path(config, language, name, "x", release=True).parent
    for extension in ("txt", "md", "html", "pdf"):
        if f"{name}.{extension}" not in keep:
            (folder / f"{name}.{extension}").unlink(missing_ok=True)


def _published(config: Config, document: Document, catalogs: Catalogs, language: str) -> Published:
    source = (config.root / document.path).read_bytes()
    return Published(
        language=language,
        document=document.name,
        source_sha256=hashlib.sha256(source).hexdigest(),
        catalog_sha256=catalogs[language, document.name].fingerprint(),
        disclaimer_sha256=catalogs[language, DISCLAIMER].fingerprint(),
        interface_sha256=catalogs[language, INTERFACE].fingerprint(),
        date=clock.now().date().isoformat(),
    )


def _updated(config: Config, document: Document) -> dt.date:
    """The source's last change (git commit or file time), never after SOURCE_DATE_EPOCH when that is set."""
    epoch = clock.now()
    try:
        return min(last_change(config.root / document.path), epoch).date()
    except OSError:
        return epoch.date()
