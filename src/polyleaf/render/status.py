"""``build/status.html``: one page a coordinator opens to see what to review next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from polyleaf import locale
from polyleaf.render.templating import environment

_STATES = ("reviewed", "machine", "changed", "untranslated")


class _Stats(Protocol):
    @property
    def segments(self) -> int: ...
    @property
    def reviewed(self) -> int: ...
    @property
    def machine(self) -> int: ...
    @property
    def changed(self) -> int: ...
    @property
    def untranslated(self) -> int: ...


class StatusLine(Protocol):
    """What the page needs of one status row (pipeline.review.StatusRow provides it)."""

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


def render_status_page(rows: Sequence[StatusLine], *, project: str, generated: str) -> str:
    """A table of every row plus one stacked bar per language (all its catalogs together)."""
    languages = []
    for code in dict.fromkeys(row.language for row in rows):
        mine = [row for row in rows if row.language == code]
        counts = {state: sum(getattr(row.stats, state) for row in mine) for state in _STATES}
        total = sum(counts.values()) or 1
        languages.append(
            _Language(
                code=code,
                lang=locale.html_lang(code),
                dir=locale.direction(code),
                autonym=locale.autonym(code),
                percent=round(100 * counts["reviewed"] / total),
                parts=tuple(_Part(state, counts[state], 100 * counts[state] / total) for state in _STATES),
            )
        )
    return (
        environment()
        .get_template("status.html")
        .render(rows=rows, languages=languages, project=project, generated=generated)
    )
