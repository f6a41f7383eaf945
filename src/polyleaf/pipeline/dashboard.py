"""``build/status.html``, the coordinator's dashboard: rewritten by every ``run`` and ``build`` and by ``status``.

Callers hold the project lock while it is written. The page links each PO file, leaflet and QA error with URLs
relative to it, so the build folder can be opened or published as it is. Its "as of" time changes only with its
content: a run that changes nothing rewrites nothing.
"""

from __future__ import annotations

import os
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


#: The line of the page that says when it was generated (its text left out when comparing with the page on disk).
_WHEN = b'<p class="when">'


#: What measures every source article's prose for the page (``readability.source_measures``).
Measures = Callable[[Config], Mapping[Path, "ProseMeasure"]]


def write_status_page(config: Config, rows: Sequence[StatusRow], measures: Measures = source_measures) -> Path | None:
    """Render the rows and write the page unless only its time would change; the path when written."""
    from polyleaf.render.status import PageLinks, StatusLinks, render_status_page

    page_path = status_page_path(config)
    links = {}
    files = _Files(page_path)
    folders: dict[str, tuple[_Folder, _Folder, _Folder]] = {}  # by language: its PO files', drafts', releases'
    for row in rows:
        leaflet = row.document not in (DISCLAIMER, INTERFACE)
        po, draft, release = folders.get(row.language) or folders.setdefault(row.language, _folders(config, row, files))
        links[row.language, row.document] = StatusLinks(
            po.href(f"{row.document}.po"),
            _leaflet(row, draft) if leaflet else "",
            _leaflet(row, release) if leaflet else "",
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
        readability=_readability(config, files, measures),
    ).encode("utf-8")
    old = read_or_none(page_path)
    if old is not None and _same_but_the_time(old, page):
        return None
    return page_path if write_if_changed(page_path, page, within=config.build_dir, roots=config.write_roots) else None


def _same_but_the_time(old: bytes, page: bytes) -> bool:
    """Whether ``old`` is ``page`` but for the time its "as of" line says: compared before and after that line's
    text, in place (a library's page is megabytes, and copying both without the line took longer than making it)."""
    start = page.index(_WHEN) + len(_WHEN)
    end, old_end = page.index(b"</p>", start), old.find(b"</p>", start)
    return (
        old_end >= 0
        and len(old) - old_end == len(page) - end
        and old.startswith(page[:start])
        and old.endswith(memoryview(page)[end:])
    )


def _readability(config: Config, files: _Files, measures: Measures) -> Readability:
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
            files.folder(path.parent).href(path.name),
            measure.counts.grade,
            len(measure.sentence_words),
            measure.long_sentences(limits.max_sentence_words),
        )
        for path, measure in measures(config).items()
    ]
    return Readability(articles, limits.max_grade, limits.max_sentence_words)


class _Files:
    """The folders the page links into, each found once (the page has a row per language and document, and links
    every source article), and the PO files its QA errors link."""

    def __init__(self, page: Path) -> None:
        self.page = page
        self._folders: dict[Path, _Folder] = {}
        self._error_files: dict[Path, tuple[str, str]] = {}  # a PO file's path as shown, and its URL

    def folder(self, path: Path) -> _Folder:
        """The folder at ``path``."""
        found = self._folders.get(path)
        if found is None:
            found = self._folders[path] = _Folder(self.page, path)
        return found

    def error(self, config: Config, error: Diagnostic) -> ErrorLink:
        """The link of a QA error to its PO file's line, the file's URL made once: a library's reviewed entries
        can have tens of thousands of errors in a few hundred files."""
        from polyleaf.render.status import ErrorLink

        found = self._error_files.get(error.path)
        if found is None:
            found = self._error_files[error.path] = (error.path.as_posix(), _href(self.page, config.root / error.path))
        return ErrorLink(f"{found[0]}:{error.line}", found[1], error)


class _Folder:
    """A folder the page links into: its URL relative to the page, made once, and its files, listed once."""

    def __init__(self, page: Path, path: Path) -> None:
        self.page = page
        self.path = path
        self.url = _href(page, path)
        self._names: frozenset[str] | None = None

    def href(self, name: str) -> str:
        """The URL of its file ``name`` (``_href`` of the file's path)."""
        return f"{self.url}/{quote(name)}" if self.url not in ("", ".") else _href(self.page, self.path / name)

    @property
    def names(self) -> frozenset[str]:
        """The names of the files (and links to files) it holds."""
        if self._names is None:
            try:
                with os.scandir(self.path) as entries:
                    self._names = frozenset(entry.name for entry in entries if entry.is_file())
            except OSError:
                self._names = frozenset()
        return self._names


def _folders(config: Config, row: StatusRow, files: _Files) -> tuple[_Folder, _Folder, _Folder]:
    """The folders of ``row``'s language: its PO files', its draft leaflets' and its released leaflets'."""
    po = catalog_path(config, row.language, row.document).parent
    draft, release = output_dir(config, False) / row.language, output_dir(config, True) / row.language
    return files.folder(po), files.folder(draft), files.folder(release)


def _leaflet(row: StatusRow, folder: _Folder) -> str:
    """The row's leaflet web page in ``folder`` (else its PDF, else its text) when the build has one."""
    names = folder.names
    if names:  # a build of drafts alone has no release folder
        for extension in OFFERED_EXTENSIONS:
            name = output_name(row.document, row.language, extension)
            if name in names:
                return folder.href(name)
    return ""


def _href(page: Path, target: Path) -> str:
    """``target``'s URL relative to ``page``."""
    relative = os.path.relpath(target, page.parent)  # both made absolute first, as paths of this process
    return "/".join(quote(part) for part in relative.split(os.sep))
