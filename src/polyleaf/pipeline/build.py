"""The build stage: every document's leaflet (txt/md, HTML, PDF) and index pages per language, draft or release.

A draft shows the best text there is and says it is a draft. A release shows reviewed text only, withholds a
document that ``review.release_blocker`` does not clear, and records what it published in ``build/release.json``.
Rendering (Jinja, WeasyPrint) is imported lazily, and skipped when an output's inputs did not change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import __version__, catalog, locale
from polyleaf.catalog import Catalog, Translation
from polyleaf.config import Config
from polyleaf.document import SOURCE_SUFFIXES, Document, Segment
from polyleaf.errors import ConfigError, RenderError
from polyleaf.fsio import last_change, write_if_changed
from polyleaf.pipeline.review import release_blocker
from polyleaf.pipeline.sources import DISCLAIMER, INTERFACE, INTERFACE_MESSAGES, Sources, output_dir, output_path

#: The folder of the font files HTML pages link to, in ``build/`` and ``build/release/``.
FONTS_DIR = "fonts"

if TYPE_CHECKING:
    from polyleaf.render import IndexEntry, LeafletLink


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


@dataclass(slots=True)
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)


def build(
    config: Config,
    sources: Sources,
    catalogs: Mapping[tuple[str, str], Catalog],
    languages: Sequence[str],
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

    result = BuildResult()
    formats = tuple(formats or config.formats)
    fonts = _preferred_fonts(config) if "html" in formats or "pdf" in formats else ()
    if "html" in formats:
        _copy_fonts(config, fonts, release, result)
    site: list[IndexEntry] = []
    updated = {document.name: _updated(config, document) for document in sources.documents}
    for language in languages:
        disclaimer_tr = _usable(catalogs[language, DISCLAIMER].translations(), release)
        labels = {
            key: _reviewed_or(catalogs[language, INTERFACE].translations(), text)
            for key, text in INTERFACE_MESSAGES.items()
        }
        links: list[LeafletLink] = []
        for document in sources.documents:
            doc_catalog = catalogs[language, document.name]
            if release:
                _summary, reason = release_blocker(config, catalogs, document.name, language)
                if reason:
                    result.withheld.append(f"{language}/{document.name}: {reason}")
                    _unpublish(config, language, document.name)
                    continue
            leaflet_link = _build_document(
                config,
                document,
                sources.disclaimer,
                _usable(doc_catalog.translations(), release),
                disclaimer_tr,
                labels,
                language,
                formats,
                release,
                result,
                updated[document.name],
                fonts,
            )
            if leaflet_link is not None:
                links.append(leaflet_link)
            if release:
                result.published.append(_published(config, document, catalogs, language))
        if "html" in formats and (links or not release):
            _render_cached(
                config,
                output_path(config, language, "index", "html", release),
                (language, tuple(links), config.project_name),
                partial(_language_index, config, language, links),
                result,
            )
        if links or not release:
            site.append(IndexEntry(language, len(links), sum(1 for link in links if link.draft)))
    if "html" in formats:
        _render_cached(
            config,
            output_dir(config, release) / "index.html",
            (tuple(site), config.project_name, config.source_language),
            partial(_site_index, config, site),
            result,
        )
    if release:
        covered = {(language, document.name) for language in languages for document in sources.documents}
        manifest_path = config.build_dir / "release.json"
        records, retired = _manifest(manifest_path, result.published, covered, _source_names(config))
        for language, name in retired:
            _unpublish(config, language, name)
        for language in languages:  # no leaflet left in a language: no index page pointing at removed files
            if not any(record["language"] == language for record in records):
                output_path(config, language, "index", "html", release=True).unlink(missing_ok=True)
        manifest = (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        _write(manifest_path, manifest, result)
    return result


def _build_document(
    config: Config,
    document: Document,
    disclaimer: Document,
    translations: Mapping[str, Translation],
    disclaimer_tr: Mapping[str, Translation],
    labels: Mapping[str, str],
    language: str,
    formats: Sequence[str],
    release: bool,
    result: BuildResult,
    updated: dt.date,
    fonts: tuple[str, ...],
) -> LeafletLink | None:
    from polyleaf.render import LeafletLink
    from polyleaf.render.leaflet import make_leaflet
    from polyleaf.render.text import render_text

    localize = _localizer(document, translations, disclaimer_tr, disclaimer)
    counted = [segment for block in document.blocks if not block.is_disclaimer for segment in block.segments]
    unreviewed = sum(1 for segment in counted if not localize(segment)[1])
    unreviewed += sum(1 for segment in disclaimer.segments if not _best(disclaimer_tr, segment)[1])
    total = len(counted) + len(disclaimer.segments)
    draft = not release and unreviewed > 0
    notice = f"{labels['draft']} {labels['not_reviewed']}: {unreviewed}/{total}" if draft else ""
    disclaimer_local = _localized_text(disclaimer, disclaimer_tr)
    files: list[str] = []
    if "txt" in formats:
        text = render_text(
            document,
            lambda segment: localize(segment)[0],
            disclaimer=None if document.has_disclaimer() else disclaimer_local,
            notice=notice or None,
        )
        path = output_path(config, language, document.name, document.format, release)
        _write(path, text.encode("utf-8"), result)
        files.append(path.name)
    if "html" not in formats and "pdf" not in formats:
        if release:
            _unpublish(config, language, document.name, keep=files)
        return None

    leaflet = make_leaflet(
        document,
        localize,
        language=language,
        source_language=config.source_language,
        script=locale.script(language),
        disclaimer=disclaimer_local,
        draft=draft,
        draft_notice=notice,
        unreviewed=unreviewed,
        total=total,
        updated=updated,
        page_size=config.page_size,
        labels=labels,
        project=config.project_name,
        fonts=fonts,
    )

    def html_bytes() -> bytes:  # rendered only when an output is out of date; fonts linked from build/…/fonts/
        from polyleaf.render.html import render_leaflet_html

        return render_leaflet_html(leaflet, f"../{FONTS_DIR}/").encode("utf-8")

    def pdf(path: Path) -> bytes:  # fonts from where they are installed (file: URLs)
        from polyleaf.render.html import render_leaflet_html
        from polyleaf.render.pdf import render_pdf

        return render_pdf(render_leaflet_html(leaflet), base_url=path.parent)

    from polyleaf.render.fonts import font_stack

    faces = font_stack(language, fonts).faces  # part of the cache key: other font files, other output
    for fmt in ("html", "pdf"):
        if fmt not in formats:
            continue
        path = output_path(config, language, document.name, fmt, release)
        try:
            _render_cached(
                config,
                path,
                (leaflet, faces),
                html_bytes if fmt == "html" else partial(pdf, path),
                result,
            )
        except RenderError as error:  # e.g. a font missing here: the other formats are still useful
            result.warnings.append(f"{config.relative(path)}: not built: {error.message}")
            path.unlink(missing_ok=True)  # never leave an older version beside the new ones
            continue
        files.append(path.name)
    if release:  # a release folder holds exactly this version of the leaflet, in the formats just built
        _unpublish(config, language, document.name, keep=files)
    offered_first = {".html": 0, ".pdf": 1}
    files.sort(key=lambda name: offered_first.get(Path(name).suffix, 2))
    return LeafletLink.from_leaflet(leaflet, files)


# ----------------------------------------------------------------------------------------------- render cache


def _render_cached(
    config: Config, path: Path, inputs: object, render: Callable[[], bytes], result: BuildResult
) -> None:
    """Write ``render()`` to ``path`` unless the file was already rendered from equal ``inputs``.

    Rendering (Jinja, and WeasyPrint above all) is the slow part of a re-run; the ``repr`` of the frozen
    input dataclasses, with the polyleaf version, is the cache key kept in ``build/.cache``.
    """
    key = hashlib.sha256(f"{__version__}\n{inputs!r}".encode()).hexdigest()
    stamp = _stamp(config, path)
    if path.is_file() and _read_stamp(stamp) == key:
        return
    _write(path, render(), result)
    write_if_changed(stamp, key.encode("ascii"))


def _stamp(config: Config, output: Path) -> Path:
    """Where the hash of what an output was rendered from is kept (``build/.cache/…``, out of the clinic's way)."""
    return config.build_dir / ".cache" / f"{output.relative_to(config.build_dir)}.sha256"


def _read_stamp(stamp: Path) -> str:
    try:
        return stamp.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _write(path: Path, data: bytes, result: BuildResult) -> None:
    if write_if_changed(path, data):
        result.written.append(path)


def _language_index(config: Config, language: str, links: Sequence[LeafletLink]) -> bytes:
    from polyleaf.render.index import render_language_index

    page = render_language_index(language, links, project=config.project_name, font_folder=f"../{FONTS_DIR}/")
    return page.encode("utf-8")


def _site_index(config: Config, site: Sequence[IndexEntry]) -> bytes:
    from polyleaf.render.index import render_site_index

    page = render_site_index(
        site, project=config.project_name, source_language=config.source_language, font_folder=f"{FONTS_DIR}/"
    )
    return page.encode("utf-8")


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


def _copy_fonts(config: Config, fonts: tuple[str, ...], release: bool, result: BuildResult) -> None:
    """Copy the font files the HTML pages link to into ``build/fonts/`` (``build/release/fonts/``).

    The set is the one every configured language needs, whatever ``--lang`` selected, so the folder's content
    does not depend on the last command; files no language needs any more are removed.
    """
    from polyleaf.render.fonts import font_stack

    languages = dict.fromkeys((config.source_language, *config.languages))
    faces = dict.fromkeys(face for language in languages for face in font_stack(language, fonts).faces)
    folder = output_dir(config, release) / FONTS_DIR
    names = {face.path.name for face in faces}
    for face in faces:
        _write(folder / face.path.name, face.path.read_bytes(), result)
    for path in folder.iterdir():
        if path.name not in names and path.is_file() and not path.is_symlink():
            path.unlink()


# ----------------------------------------------------------------------------------------------- release


_IDENTITY = ("language", "document", "source_sha256", "catalog_sha256", "disclaimer_sha256", "interface_sha256")


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
    return {path.stem for path in config.source_dir.iterdir() if path.suffix.lower() in SOURCE_SUFFIXES}


def _unpublish(config: Config, language: str, name: str, keep: Sequence[str] = ()) -> None:
    """Remove released files of a document (all, or all but ``keep``): withheld, retired or not rebuilt."""
    folder = output_path(config, language, name, "x", release=True).parent
    for extension in ("txt", "md", "html", "pdf"):
        if f"{name}.{extension}" not in keep:
            (folder / f"{name}.{extension}").unlink(missing_ok=True)


def _published(
    config: Config, document: Document, catalogs: Mapping[tuple[str, str], Catalog], language: str
) -> Published:
    source = (config.root / document.path).read_bytes()
    return Published(
        language=language,
        document=document.name,
        source_sha256=hashlib.sha256(source).hexdigest(),
        catalog_sha256=catalogs[language, document.name].fingerprint(),
        disclaimer_sha256=catalogs[language, DISCLAIMER].fingerprint(),
        interface_sha256=catalogs[language, INTERFACE].fingerprint(),
        date=catalog.now().date().isoformat(),
    )


# ----------------------------------------------------------------------------------------------- localize


def _usable(translations: Mapping[str, Translation], release: bool) -> dict[str, Translation]:
    """A release uses reviewed translations only; a draft uses every translation there is."""
    return {msgid: tr for msgid, tr in translations.items() if tr.reviewed or not release}


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
    """The source's last change (git commit or file time), never after SOURCE_DATE_EPOCH when that is set."""
    epoch = catalog.now()
    try:
        return min(last_change(config.root / document.path), epoch).date()
    except OSError:
        return epoch.date()
