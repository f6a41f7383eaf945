"""Sentences side by side, each one's inline markup its own.

A page shows a paragraph's sentences side by side: the HTML leaflet renders each on its own, and the Markdown
leaflet writes them so that they render as they would alone (``confined``), so what QA finds in a sentence on its
own is what the page shows. Side by side, a CommonMark renderer would read them as one text, and the delimiters,
brackets and bare URLs of one could pair with its neighbour's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from polyleaf.source.inline_structure import bare_urls, bounded_url, may_have_urls, rendered_tokens, shape
from polyleaf.source.structure import LINE_BREAKS

#: What a text may print as a character that a neighbouring text's could pair with: brackets, emphasis
#: delimiters, backticks, ``~~``.
_PAIRABLE = re.compile(r"[\[\]*_`]|~(?=~)|(?<=~)~")
#: What one of two texts must have for the other to change how it renders.
_MAY_INTERACT = re.compile(r"[\[\]*_~`!<>&\\]|://|www\.|@")
#: What reaches across whitespace into the next text; and what may join two texts at their edges.
_ACROSS_SPACE = re.compile(r"[<&]")
_EDGES = frozenset("[]*_~`!()")
#: Put between two sentences whose delimiters would run together (``**…。****…**``): a zero-width space, written
#: as a reference, which counts as punctuation for the delimiters on either side.
JOINER = "&#x200B;"
_Signature = tuple[tuple[str, ...], ...]


def confined(texts: Sequence[str], gaps: Sequence[str]) -> tuple[list[str], list[str]]:
    """Sentences of one paragraph (inline Markdown, ``gaps[i]`` between ``texts[i]`` and ``texts[i + 1]``) written
    so that each renders as it does on its own, whatever its neighbours: a sentence's markup is its own.

    Side by side, a CommonMark renderer reads sentences as one text: ``**请勿驾驶。**`` and ``**请勿饮酒。**``
    with no space between (Chinese) make a run ``****`` that closes nothing, a bare URL runs on into the next
    sentence, and ``[esto`` and ``](https://…)`` make a link. So a delimiter or bracket a text prints as a
    character is escaped, and where two texts still render differently together than apart, the join is
    rewritten: the URL that ends the first bounded, the character on either side written as a reference, and
    failing those a zero-width space (``JOINER``) between, or a space. Whitespace in ``gaps`` (a line break and a
    block quote's ``>``) is kept."""
    if len(texts) < 2:
        return list(texts), list(gaps)
    written = [_closed(text) for text in texts]
    joins = list(gaps)
    for index, gap in enumerate(joins):
        written[index], joins[index], written[index + 1] = _joined(written[index], gap, written[index + 1])
    return written, joins


def _closed(text: str) -> str:
    """``text`` with each delimiter and bracket it prints as a character escaped (it renders as it did)."""
    if not _PAIRABLE.search(text) or "\r" in text or not shape(text).literals:
        return text
    wanted = _signature(text)
    position = 0
    while match := _PAIRABLE.search(text, position):
        start = match.start()
        position = start + 1
        if escaped(text, start) or (text[start] == "_" and _between_letters(text, start)):
            continue
        trial = f"{text[:start]}\\{text[start:]}"
        if _signature(trial) == wanted:
            text, position = trial, start + 2
    return text


def escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` follows an odd number of backslashes (a Markdown escape)."""
    backslashes = 0
    while backslashes < position and text[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _between_letters(text: str, position: int) -> bool:
    """A ``_`` between two letters or digits neither opens nor closes (``snake_case``): no need to escape it."""
    return 0 < position < len(text) - 1 and text[position - 1].isalnum() and text[position + 1].isalnum()


def _joined(left: str, gap: str, right: str) -> tuple[str, str, str]:
    """``left``, ``gap`` and ``right`` rewritten so that together they render as each does alone.

    With every delimiter and bracket a text prints as a character escaped (``_closed``), the rest of its markup
    is closed within it: only raw HTML (``<b`` … ``x>``), a character reference and a backslash at the end reach
    across whitespace, and with nothing between, what is at the edges (delimiters, brackets, ``!``) and a URL."""
    if not left or not right or not (_MAY_INTERACT.search(left) or _MAY_INTERACT.search(right)):
        return left, gap, right
    if not (_ACROSS_SPACE.search(left) or left.endswith("\\")):
        if gap and not gap.strip():
            return left, gap, right
        if not gap and left[-1] not in _EDGES and right[0] not in _EDGES and not may_have_urls(left + right):
            return left, gap, right
    inline_gap = "\n" if LINE_BREAKS.search(gap) else gap
    apart = (_signature(left), _signature(right))
    for new_left, new_gap, new_right in _rewrites(left, inline_gap, right):
        if _signature(new_left + new_gap + new_right) == _concatenated(apart[0], _signature(new_gap), apart[1]):
            return new_left, gap if new_gap == inline_gap else new_gap, new_right
    return left, gap or " ", right


def _rewrites(left: str, gap: str, right: str) -> Iterator[tuple[str, str, str]]:
    """Ways of writing a join, least visible first."""
    if escaped(left + " ", len(left)):  # a backslash at the end would escape what follows it
        left += "\\"
    lefts = [left]
    bounded = _bounded_end(left)
    if bounded != left:
        lefts.append(bounded)
    for first in lefts:
        yield first, gap, right
        yield first, gap, _as_reference(right, 0)
        yield _as_reference(first, -1), gap, right
        yield _as_reference(first, -1), gap, _as_reference(right, 0)
    if not gap:
        for first in lefts:
            yield first, JOINER, right
            yield first, " ", right


def _bounded_end(text: str) -> str:
    """``text`` with its last bare URL bounded (``bounded_url``) when nothing but punctuation follows it: a text after
    it, with no space between, would run on into it."""
    found = bare_urls(text)
    if not found:
        return text
    href, shown = found[-1]
    position = text.rfind(shown)
    bounded = bounded_url(shown, href)
    if position < 0 or not bounded or any(char.isspace() for char in text[position + len(shown) :]):
        return text
    return text[:position] + bounded + text[position + len(shown) :]


def _as_reference(text: str, index: int) -> str:
    """``text`` with its first (``index`` 0) or last (-1) character written as a character reference."""
    char = text[index]
    if char.isspace() or char in "\\&;":
        return text
    reference = f"&#x{ord(char):X};"
    return reference + text[1:] if index == 0 else text[:-1] + reference


@lru_cache(maxsize=16384)
def _signature(text: str) -> _Signature:
    """What ``text`` renders as (tokens, text merged), read as the ``.md`` leaflet's readers read it: raw HTML,
    bare URLs, footnotes and every reference label."""
    items: list[tuple[str, ...]] = []
    for token in rendered_tokens(text):
        if token.type in ("text", "text_special"):
            _add_text(items, token.content)
            continue
        target = token.attrGet("href") or token.attrGet("src") or ""
        items.append((token.type, str(target), token.content, str(token.meta.get("label", "")) if token.meta else ""))
    return tuple(items)


def _add_text(items: list[tuple[str, ...]], content: str) -> None:
    if not content:
        return
    if items and items[-1][0] == "text":
        items[-1] = ("text", items[-1][1] + content)
    else:
        items.append(("text", content))


def _concatenated(*signatures: _Signature) -> _Signature:
    """What texts render as side by side, if each rendered as it does alone."""
    items: list[tuple[str, ...]] = []
    for signature in signatures:
        for item in signature:
            if item[0] == "text":
                _add_text(items, item[1])
            else:
                items.append(item)
    return tuple(items)
