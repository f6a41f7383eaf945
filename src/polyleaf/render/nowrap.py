"""Quantities kept on one line in HTML and PDF: a number with its unit ("50 mg"), a range with its unit ("200 a 400
mg", "10–20 ml"), a rate ("250 mg / 5 ml", "2,5 / ml"), each in a ``<span class="quantity">`` the stylesheet does not
wrap, so a narrow column or line never leaves a dose's number on one line and its unit on the next.

What a quantity is comes from QA's reading (``qa.quantities``); the PO text is never changed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from polyleaf.qa.quantities import Quantity, quantities
from polyleaf.render.wrap import wrap_runs

QUANTITY_SPAN = '<span class="quantity">'
_SPACES = "[ \u00a0\u202f\u2009]*"
_PER = re.compile(f"{_SPACES}/{_SPACES}")  # "250 mg / 5 ml": two quantities, one rate
_PER_UNIT = re.compile(rf"{_SPACES}/{_SPACES}[^\W\d_]+")  # "2,5 / ml"
_RANGE_GAP = 12  # at most this many characters between the ends of a range ("de 200 a 400")


@lru_cache(maxsize=8192)
def quantity_runs(text: str, language: str) -> tuple[tuple[int, int], ...]:
    """(start, end) in ``text`` (plain text) of each quantity with a unit, ranges and rates in one piece (kept for
    the next page showing the same text: the web page and the PDF, the disclaimer of every leaflet)."""
    runs: list[tuple[int, int]] = []
    previous: Quantity | None = None
    position = 0
    for quantity in quantities(text, language):
        start = text.find(quantity.shown, position)
        if start < 0:  # written with vowel marks QA reads without: left as it is
            continue
        end = start + len(quantity.shown)
        if per_unit := _PER_UNIT.match(text, end):
            end = per_unit.end()
        position = end
        if previous is not None and _joined(text, runs[-1][1], start, previous, quantity):
            runs[-1] = (runs[-1][0], end)
        elif quantity.unit or end > start + len(quantity.shown):
            runs.append((start, end))
        else:
            previous = None
            continue
        previous = quantity
    return tuple(runs)


def _joined(text: str, gap_start: int, gap_end: int, first: Quantity, second: Quantity) -> bool:
    """Whether two quantities are one: a range ("200 a 400 mg") or a rate ("250 mg / 5 ml")."""
    if _PER.fullmatch(text, gap_start, gap_end):
        return True
    return first.role == "min" and second.role == "max" and 0 <= gap_end - gap_start <= _RANGE_GAP


def keep_together(fragment: Markup, language: str) -> Markup:
    """Inline HTML of text in ``language`` with its quantities in non-wrapping spans."""
    return wrap_runs(fragment, lambda text: quantity_runs(text, language), QUANTITY_SPAN)
