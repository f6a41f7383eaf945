"""``build/status.html``: one page a coordinator opens to see what to review next.

Per language: its totals (segments, words, what share is reviewed, how many words remain to review) and one stacked
bar, and the words reviewed by where their translation came from (what translation memory saved); per source
article: its plain-language grade against ``[readability] max_grade``; per catalog: its counts, a link to its PO
file and to the leaflet built from it; and every QA error as ``path:line``, linking the PO file. Every column and
link fits the window from a phone to a wide screen, nothing scrolls sideways (a table scrolled inside its own box hid
the links): long names and reasons wrap, and on narrow screens each row is a card of labelled fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup

from polyleaf import locale
from polyleaf.project import DISCLAIMER, INTERFACE
from polyleaf.render.templating import environment

_STATES = ("reviewed", "machine", "changed", "untranslated")
#: Where a reviewed translation came from (``tmcomments.ORIGINS``), and the column that shows it.
SOURCES = {
    "exact_tm": "exact memory",
    "fuzzy_tm": "fuzzy memory",
    "mt": "machine translation",
    "scratch": "from scratch",
}


class _Stats(Protocol):
    @property
    def segments(self) -> int: ...
    @property
    def words(self) -> int: ...
    @property
    def reviewed(self) -> int: ...
    @property
    def reviewed_words(self) -> int: ...
    @property
    def machine(self) -> int: ...
    @property
    def changed(self) -> int: ...
    @property
    def untranslated(self) -> int: ...


class StatusLine(Protocol):
    """What the page needs of one status row (pipeline.readiness.StatusRow provides it)."""

    @property
    def language(self) -> str: ...
    @property
    def document(self) -> str: ...
    @property
    def stats(self) -> _Stats: ...
    @property
    def qa_errors(self) -> int: ...
    @property
    def blocker(self) -> str: ...
    @property
    def reviewed_by_source(self) -> Mapping[str, int]: ...


class _Diagnostic(Protocol):
    @property
    def check(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True, slots=True)
class StatusLinks:
    """URLs (relative to the page) of a row's PO file and of its leaflet, draft and released ('' when none)."""

    po: str
    draft: str = ""
    release: str = ""


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The page's URLs: each row's files by (language, document), each language's index, the site's index."""

    catalogs: Mapping[tuple[str, str], StatusLinks] = field(default_factory=dict)
    indexes: Mapping[str, str] = field(default_factory=dict)
    site: str = ""


@dataclass(frozen=True, slots=True)
class ArticleGrade:
    """A source article's plain language: its name, its file's URL, its Flesch–Kincaid grade, how many prose
    sentences it has and how many of them are long."""

    document: str
    href: str
    grade: float
    sentences: int
    long_sentences: int


@dataclass(frozen=True, slots=True)
class Readability:
    """The articles' grades against ``[readability]``'s limits; ``off`` says why there are none (checks disabled,
    a source language the checks cannot read)."""

    articles: Sequence[ArticleGrade] = ()
    max_grade: float = 8.0
    max_sentence_words: int = 25
    off: str = ""


@dataclass(frozen=True, slots=True)
class ErrorLink:
    """A QA error: where it is (``path:line``), the PO file's URL, and the diagnostic."""

    where: str
    href: str
    diagnostic: _Diagnostic


@dataclass(frozen=True, slots=True)
class _Part:
    state: str
    count: int
    width: float


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    lang: str
    dir: str
    autonym: str
    percent: int
    parts: tuple[_Part, ...]
    segments: int
    words: int
    remaining_words: int
    qa_errors: int
    ready: int  # documents release-ready
    documents: int
    index: str
    #: Words reviewed by where their translation came from: exact memory, fuzzy memory, machine translation, scratch.
    sources: tuple[int, ...] = ()


def render_status_page(
    rows: Sequence[StatusLine],
    *,
    project: str,
    generated: str,
    links: PageLinks | None = None,
    errors: Sequence[ErrorLink] = (),
    readability: Readability | None = None,
) -> str:
    """Per-language totals with one stacked bar each, the source articles' grades, a table of every row, and the
    QA errors; the site's index is linked when ``links`` has it."""
    links = links or PageLinks()
    leaflets = {row.document for row in rows} - {DISCLAIMER, INTERFACE}
    by_language: dict[str, list[StatusLine]] = {}
    for row in rows:
        by_language.setdefault(row.language, []).append(row)
    languages = []
    for code, mine in by_language.items():
        counts = {state: sum(getattr(row.stats, state) for row in mine) for state in _STATES}
        total = sum(counts.values()) or 1
        words = sum(row.stats.words for row in mine)
        languages.append(
            _Language(
                code=code,
                lang=locale.html_lang(code),
                dir=locale.direction(code),
                autonym=locale.autonym(code),
                percent=round(100 * counts["reviewed"] / total),
                parts=tuple(_Part(state, counts[state], 100 * counts[state] / total) for state in _STATES),
                segments=sum(row.stats.segments for row in mine),
                words=words,
                remaining_words=words - sum(row.stats.reviewed_words for row in mine),
                qa_errors=sum(row.qa_errors for row in mine),
                ready=sum(1 for row in mine if row.document in leaflets and not row.blocker),
                documents=sum(1 for row in mine if row.document in leaflets),
                index=links.indexes.get(code, ""),
                sources=tuple(sum(row.reviewed_by_source.get(name, 0) for row in mine) for name in SOURCES),
            )
        )
    return (
        environment()
        .get_template("status.html")
        .render(
            rows=rows,
            languages=languages,
            project=project,
            generated=generated,
            catalog_rows=_catalog_rows(rows, links.catalogs),
            error_items=_error_items(errors),
            site=links.site,
            readability=readability,
            sources=SOURCES,
        )
    )


def _catalog_rows(rows: Sequence[StatusLine], links: Mapping[tuple[str, str], StatusLinks]) -> Markup:
    """The catalogs table's rows, made here and not by a loop of the template: a library's page has a row per
    language and document (7,200 at 512× the seed articles), and the loop took three times as long."""
    no_links = StatusLinks("")
    made = []
    for row in rows:
        link = links.get((row.language, row.document), no_links)
        stats = row.stats
        po = f'<a class="po" href="{_escape(link.po)}">PO file</a>' if link.po else ""
        draft = f'<a class="draft" href="{_escape(link.draft)}">draft</a>' if link.draft else ""
        release = f'<a class="release" href="{_escape(link.release)}">released</a>' if link.release else ""
        made.append(
            f'<tr class="{"blocked" if row.blocker else "ok"}">'
            f'<td class="wide title" data-label="language">{_escape(row.language)}</td>'
            f'<td class="wide title" data-label="document">{_escape(row.document)}</td>'
            f'<td class="n" data-label="segments">{stats.segments}</td>'
            f'<td class="n" data-label="words">{stats.words}</td>'
            f'<td class="n" data-label="reviewed">{stats.reviewed}</td>'
            f'<td class="n" data-label="MT">{stats.machine}</td>'
            f'<td class="n" data-label="changed">{stats.changed}</td>'
            f'<td class="n" data-label="untranslated">{stats.untranslated}</td>'
            f'<td class="n" data-label="QA errors">{row.qa_errors}</td>'
            f'<td class="ready wide" data-label="release">{_escape(row.blocker or "release-ready")}</td>'
            f'<td class="files wide" data-label="files">{po}{draft}{release}</td></tr>\n'
        )
    return Markup("".join(made))


def _error_items(errors: Sequence[ErrorLink]) -> Markup:
    """The QA errors' list items (a library's reviewed entries can have tens of thousands of errors)."""
    return Markup(
        "".join(
            f'<li><a href="{_escape(error.href)}"><code>{_escape(error.where)}</code></a> '
            f"[{_escape(error.diagnostic.check)}] {_escape(error.diagnostic.message)}</li>\n"
            for error in errors
        )
    )


def _escape(text: str) -> str:
    """``text`` escaped as the template's autoescape escapes it (``markupsafe.escape``), but a plain string: making a
    ``Markup`` of each value took more time than escaping it."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )
