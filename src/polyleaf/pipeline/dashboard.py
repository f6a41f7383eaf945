"""``build/status.html``, the coordinator's dashboard: rewritten by every ``run`` and ``build`` and by ``status``.

Callers hold the project lock while it is written. The page links each PO file, leaflet and QA error with URLs
relative to it, so the build folder can be opened or published as it is. Its "as of" time changes only with its
content: a run that changes nothing rewrites nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from polyleaf import clock
from polyleaf.config.model import Config
from polyleaf.formats import OFFERED_EXTENSIONS
from polyleaf.fsio import read_or_none, write_if_changed
from polyleaf.pipeline.readability import source_measures
from polyleaf.project import (
    DISCLAIMER,
    INTERFACE,
    catalog_path,
    language_index_path,
    output_dir,
    output_name,
    status_page_path,
)

if TYPE_CHECKING:
    from polyleaf.qa.model import Diagnostic
    from polyleaf.qa.readability import ProseMeasure
    from polyleaf.render.status import ErrorLink, Readability, StatusLine

    class StatusRow(StatusLine, Protocol):
        """What the page needs of a row of ``review.status_rows``: what it shows, and the QA errors it links (the
        page is written by ``review.status``, so it names no type of ``review``)."""

        @property
        def errors(self) -> Sequence[Diagnostic]: ...


#: The line of the page that says when it was generated (left out when comparing with the page on disk).
_WHEN = re.compile(rb'<p class="when">.*?</p>')


#: What measures every source article's prose for the page (``readability.source_measures``).
Measures = Callable[[Config], Mapping[Path, "ProseMeasure"]]


def write_status_page(config: Config, rows: Sequence[StatusRow], measures: Measures = source_measures) -> Path | None:
    """Render the rows and write the page unless only its time would change; the path when written."""
    from polyleaf.render.status import PageLinks, StatusLinks, render_status_page

    page_path = status_page_path(config)
    links = {}
    files = _Files(page_path)
    folders: dict[str, tuple[Path, Path, Path]] = {}  # by language: its PO files', drafts' and releases' folders
    for row in rows:
        leaflet = row.document not in (DISCLAIMER, INTERFACE)
        po, draft, release = folders.get(row.language) or folders.setdefault(row.language, _folders(config, row))
        links[row.language, row.document] = StatusLinks(
            po=files.href(po, f"{row.document}.po"),
            draft=_leaflet(row, draft, files) if leaflet else "",
            release=_leaflet(row, release, files) if leaflet else "",
        )
    indexes = {
        language: _href(page_path, index)
        for language in dict.fromkeys(row.language for row in rows)
        if (index := language_index_path(config, language)).is_file()
    }
    errors = [files.error(config, error) for row in rows for error in row.errors]
    generated = clock.now().strftime("%Y-%m-%d %H:%M UTC")
    site = page_path.parent / "index.html"
    page = render_status_page(
        rows,
        project=config.publisher,
        generated=generated,
        links=PageLinks(links, indexes, _href(page_path, site) if site.is_file() else ""),
        errors=errors,
        readability=_readability(config, page_path, measures),
    ).encode("utf-8")
    old = read_or_none(page_path)
    if old is not None and _WHEN.sub(b"", old) == _WHEN.sub(b"", page):
        return None
    return page_path if write_if_changed(page_path, page, within=config.build_dir, roots=config.write_roots) else None


def _readability(config: Config, page: Path, measures: Measures) -> Readability:
    """Each source article's grade (cached by its content: see ``source_measures``), or why there is none."""
    from polyleaf.qa.readability import reads_english
    from polyleaf.render.status import ArticleGrade, Readability

    limits = config.readability
    if not limits.enabled:
        return Readability(off="Not checked: [readability] enabled = false.")
    if not reads_english(config.source_language):
        return Readability(off=f"Not checked: the checks read English sources, not {config.source_language}.")
    articles = [
        ArticleGrade(
            path.stem,
            _href(page, path),
            measure.counts.grade,
            len(measure.sentence_words),
            measure.long_sentences(limits.max_sentence_words),
        )
        for path, measure in measures(config).items()
    ]
    return Readability(articles, limits.max_grade, limits.max_sentence_words)


class _Files:
    """The files of each leaflet folder, listed once, and each folder's URL relative to the page, made once: the
    page has a row per language and document."""

    def __init__(self, page: Path) -> None:
        self.page = page
        self._names: dict[Path, frozenset[str]] = {}
        self._folders: dict[Path, str] = {}
        self._error_files: dict[Path, tuple[str, str]] = {}  # a PO file's path as shown, and its URL

    def href(self, folder: Path, name: str) -> str:
        """The URL of the file ``name`` in ``folder`` (``_href`` of its path)."""
        prefix = self._folders.get(folder)
        if prefix is None:
            prefix = self._folders[folder] = _href(self.page, folder)
        return f"{prefix}/{quote(name)}" if prefix not in ("", ".") else _href(self.page, folder / name)

    def error(self, config: Config, error: Diagnostic) -> ErrorLink:
        """The link of a QA error to its PO file's line, the file's URL made once: a library's reviewed entries
        can have tens of thousands of errors in a few hundred files."""
        from polyleaf.render.status import ErrorLink

        found = self._error_files.get(error.path)
        if found is None:
            found = self._error_files[error.path] = (error.path.as_posix(), _href(self.page, config.root / error.path))
        return ErrorLink(f"{found[0]}:{error.line}", found[1], error)

    def has(self, folder: Path, name: str) -> bool:
        """Whether ``folder`` holds a file (or a link to one) named ``name``."""
        names = self._names.get(folder)
        if names is None:
            try:
                with os.scandir(folder) as entries:
                    names = frozenset(entry.name for entry in entries if entry.is_file())
            except OSError:
                names = frozenset()
            self._names[folder] = names
        return name in names


def _folders(config: Config, row: StatusRow) -> tuple[Path, Path, Path]:
    """The folders of ``row``'s language: its PO files', its draft leaflets' and its released leaflets'."""
    po = catalog_path(config, row.language, row.document).parent
    return po, output_dir(config, False) / row.language, output_dir(config, True) / row.language


def _leaflet(row: StatusRow, folder: Path, files: _Files) -> str:
    """The row's leaflet web page in ``folder`` (else its PDF, else its text) when the build has one."""
    for extension in OFFERED_EXTENSIONS:
        name = output_name(row.document, row.language, extension)
        if files.has(folder, name):
            return files.href(folder, name)
    return ""


def _href(page: Path, target: Path) -> str:
    """``target``'s URL relative to ``page``."""
    relative = os.path.relpath(target, page.parent)  # both made absolute first, as paths of this process
    return "/".join(quote(part) for part in relative.split(os.sep))
