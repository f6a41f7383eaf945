"""The bilingual review sheet: what a clinician who reads both languages prints, marks and hands back.

One table per language, in document order: segment number, the English, the translation as the PO file holds it,
its state (reviewed, machine translation, English changed — with the English the translation was made for —, not
translated), QA findings, and an empty column for the reviewer's comments; each document starts with a row of its
own, and its headings are section rows. A suggestion from translation memory or machine translation is shown under
the translation it could replace. The translation column follows the leaflets' rules for the language: its
``lang`` and direction, its font stack, Latin runs isolated in right-to-left text, quantities kept on one line.
Every page carries the sheet's version, the hash of the PO state it shows, so that ``polyleaf check`` can tell
whether the PO files still say what the marked sheet says.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from polyleaf import locale
from polyleaf.render.bidi import in_direction
from polyleaf.render.fonts import font_faces_css, font_stack
from polyleaf.render.html_body import printable_findings
from polyleaf.render.inline import render_inline
from polyleaf.render.nowrap import keep_together
from polyleaf.render.templating import environment
from polyleaf.render.wrap import wrap_runs

#: How the sheet names each state, for a reader who is not a translator.
STATE_NAMES = {
    "reviewed": "reviewed",
    "machine": "machine translation, not reviewed",
    "changed": "the English changed since this was translated",
    "untranslated": "not translated",
}


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row: a document's title row (``document``), a heading (``heading``) or a segment (``segment``)."""

    kind: str
    number: int = 0
    english: str = ""
    translation: str = ""
    state: str = "untranslated"
    where: str = ""  # where the entry is in its PO file (named on the document's row), for the translator
    previous: str = ""  # a changed entry: the English its translation was made for
    suggestions: tuple[tuple[str, str], ...] = ()  # (where it comes from, text)
    findings: tuple[str, ...] = ()
    document: str = ""  # a document row: its PO file's name


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """What the sheet says about itself: whose, which language, which version of the PO files, when."""

    language: str
    source_language: str
    project: str
    version: str  # the hash of the PO state the sheet shows
    generated: str
    page_size: str = "A4"


def render_review_sheet(rows: list[SheetRow], info: SheetInfo, font_folder: str | None = None) -> str:
    """The sheet as one HTML document (``font_folder``: the copied fonts' URL for a browser; None: the installed
    files, for WeasyPrint)."""
    language = info.language
    target = font_stack(language)
    english = font_stack(info.source_language)
    rtl = locale.direction(language) == "rtl"
    counts = {state: sum(1 for row in rows if row.kind != "document" and row.state == state) for state in STATE_NAMES}
    context: dict[str, Any] = {
        "info": info,
        "rows": [_shown(row, language, info.source_language) for row in rows],
        "lang": locale.html_lang(language),
        "source_lang": locale.html_lang(info.source_language),
        "dir": "rtl" if rtl else "ltr",
        "autonym": locale.autonym(language),
        "english_name": locale.english_name(language),
        "target": target,
        "english": english,
        "font_faces": font_faces_css([english, target], font_folder),
        "counts": counts,
        "state_names": STATE_NAMES,
        "short_version": info.version[:12],
    }
    return environment().get_template("review_sheet.html").render(context)


@dataclass(frozen=True, slots=True)
class _Shown:
    """A row as the template writes it: its texts as HTML laid out for their language."""

    row: SheetRow
    english: Markup
    translation: Markup
    previous: Markup
    suggestions: tuple[tuple[str, Markup], ...]
    findings: tuple[Markup, ...]


def _shown(row: SheetRow, language: str, source_language: str) -> _Shown:
    return _Shown(
        row,
        _laid_out(row.english, source_language),
        _laid_out(row.translation, language),
        _laid_out(row.previous, source_language),
        tuple((label, _laid_out(text, language)) for label, text in row.suggestions),
        tuple(
            wrap_runs(escape(printable_findings([finding])), rtl_runs, '<span dir="rtl">') for finding in row.findings
        ),
    )


def _laid_out(text: str, language: str) -> Markup:
    """Inline Markdown as a leaflet prints it in ``language``: quantities on one line, Latin runs in right-to-left
    text read left to right."""
    return in_direction(keep_together(render_inline(text), language), language) if text else Markup("")


#: Bidi classes of right-to-left letters.
_RTL = frozenset({"R", "AL"})
#: Bidi classes a right-to-left run may hold between its letters (Arabic digits, marks, spaces, neutrals).
_INSIDE = frozenset({"AN", "NSM", "WS", "ON", "CS", "ES", "ET", "EN"})


def rtl_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of right-to-left words in English text (a QA finding quoting an Arabic
    translation): from a right-to-left letter to the last one before a Latin letter, so that the run reads right to
    left inside the left-to-right line, in browsers and in WeasyPrint (which ignores ``unicode-bidi``)."""
    runs: list[tuple[int, int]] = []
    start = last = -1
    for index, character in enumerate(text):
        kind = unicodedata.bidirectional(character)
        if kind in _RTL:
            start = index if start < 0 else start
            last = index
        elif kind not in _INSIDE and start >= 0:
            runs.append((start, last + 1))
            start = -1
    if start >= 0:
        runs.append((start, last + 1))
    return runs
