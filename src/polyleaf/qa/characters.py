"""QA of the characters a translation is made of: none that prints otherwise than it reads (``polyleaf.invisible``).

The readers of quantities see text without bidi controls (``qa.text.plain``); this check makes that safe: an
embedding or override, which would make "50" print as "05", is an error wherever it is (the renderers drop it,
and a page shows what QA read), and a mark or isolate may stay only where the number it touches prints in the same
order as QA read it. Control characters and noncharacters the English has not are errors too (a PO file edited by
hand; imports replace them).
"""

from __future__ import annotations

from functools import cache

from polyleaf import locale
from polyleaf.invisible import controls_in, embeddings_in, named, reordered_number
from polyleaf.qa.model import CheckContext


def check_invisible(source: str, target: str, context: CheckContext) -> list[str]:
    """Embeddings and overrides; marks and isolates that reorder a number; control characters and noncharacters."""
    if not _may_hide(target):
        return []
    messages = []
    embeddings = embeddings_in(target)
    if embeddings:
        messages.append(
            f"{named(embeddings)}: invisible, it makes what it encloses print in another order than it reads "
            '("50" as "05"); remove it: the page sets the direction'
        )
    reordered = reordered_number(target, _right_to_left(context.target_language))
    if reordered is not None:
        messages.append(
            f"invisible direction marks make {reordered[0]!r} print as {reordered[1]!r}: remove them or move them "
            "off the number"
        )
    controls = controls_in(target, source)
    if controls:
        messages.append(f"{named(controls)}: a control character or noncharacter, not text; remove it")
    return messages


def _may_hide(text: str) -> bool:
    """Whether ``text`` has a character this check looks for: each is a control, format, separator or unassigned
    character, none of which ``str.isprintable`` accepts (a test over every code point holds it to that)."""
    return not text.isprintable()


@cache
def _right_to_left(language: str) -> bool:
    return locale.direction(language) == "rtl"
