"""Protect inline markup and glossary terms from machine translation, and put them back afterwards.

Before MT, a segment is split into text and markup: code spans, URLs, e-mail addresses, phone numbers (three or
more groups of digits: ``020 7946 0000``, ``+44 20 7946 0000``), link destinations, backslash escapes and glossary
terms become atomic placeholders; emphasis (``**…**``, ``*…*``, ``_…_``) and link brackets become a pair of
placeholders around text that is still translated (``[text](url)`` keeps ``text`` translatable, ``](url)`` is
protected). Markup that wraps the whole segment, and unmatched emphasis delimiters at its edges (a sentence cut out
of a longer italic passage), are not sent to the engine at all: they are peeled off and re-attached verbatim.

Placeholder format: ``{N}`` (ASCII braces around a decimal number), with a space added where it would touch a word.
Measured with a sentencepiece tokenizer trained like the test package's (400 pieces, ASCII-covering text): every
ASCII candidate (``{N}``, ``[N]``, ``<N>``, ``<xN/>``, ``__N__``) encodes and decodes back unchanged, while ``⟦N⟧``
and letter-based markers such as ``XXNXX`` come out as ``<unk>`` (`` ⁇ ``) — characters a real model's vocabulary
does not cover are lost before the model even sees them. Braces cost three or four pieces, and ``{0}``-style
placeholders are what the software-localization part of the OPUS corpora (which argos models are trained on) is full
of, so models tend to copy them. A placeholder glued to a word (``{1}procedure``) makes the tokenizer split that word
into single characters, hence the added spaces. Argos' own detokenizer turns ``_`` into spaces, which rules out
``__N__``. Restoring is tolerant: ``{ 3 }``, full-width ``｛３｝`` and other decimal digits (``{٣}``) are recognised.
Text that already looks like a placeholder is protected as itself, so a match is never ambiguous.

``restore`` on its own keeps the text of a translation that lost a placeholder and reports the loss (markup that
spanned the whole segment except trailing punctuation, ``**Warning**.``, is re-applied around the translation); the
MT stage first puts lost placeholders back (``polyleaf.mt.repair``), so that is a last resort.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from polyleaf.terms import canonical, term_pattern

PLACEHOLDER_RE = re.compile(r"[{｛]\s*(\d+)\s*[}｝]")
"""Any placeholder as an engine may return it (spacing, full-width braces, non-ASCII digits)."""

Kind = Literal["open", "close", "atom", "term"]


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One protected piece: ``token`` goes to the engine, ``replacement`` comes back in its place."""

    token: str
    number: int
    kind: Kind
    original: str
    replacement: str
    label: str
    partner: int | None = None
    wraps: bool = False
    space_before: bool = False
    space_after: bool = False


@dataclass(frozen=True, slots=True)
class Protected:
    """A segment ready for MT: ``text`` with placeholders, ``mapping`` to undo them, peeled edges."""

    text: str
    mapping: tuple[Placeholder, ...] = ()
    prefix: str = ""
    suffix: str = ""

    @property
    def translatable(self) -> bool:
        """Whether anything but placeholders, digits and punctuation is left for the engine."""
        return any(char.isalpha() for char in PLACEHOLDER_RE.sub("", self.text))


@dataclass(frozen=True, slots=True)
class Restored:
    """The translation with markup and terms back in place; ``lost`` names what the engine dropped."""

    text: str
    lost: tuple[str, ...] = ()


@dataclass(slots=True, eq=False)
class _Item:
    kind: str  # text | atom | term | open | close | delim
    text: str
    start: int
    end: int
    replacement: str = ""
    partner: _Item | None = None
    can_open: bool = False
    can_close: bool = False
    wraps: bool = False


_MASTER_RE = re.compile(
    r"""
    (?P<code>(?P<ticks>`+)[^`](?:.*?[^`])?(?P=ticks)(?!`))
    | (?P<link>(?P<bang>!?)\[(?P<link_text>[^\[\]\n]*)\]
        (?P<link_dest>\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"]*"|'[^']*'))?\)))
    | (?P<autolink><(?:https?|ftp|mailto):[^<>\s]+>)
    | (?P<url>(?:https?://|www\.)[^\s<>()\[\]{}]*[^\s<>()\[\]{}.,;:!?'"*_])
    | (?P<email>(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    | (?P<phone>(?<![\w.,])\+?\d{2,5}(?:[ -]\d{2,5}){2,}(?![\w.,]?\d))
    | (?P<placeholder>[{｛]\s*\d+\s*[}｝])
    | (?P<escape>\\[!-/:-@\[-`{-~])
    | (?P<delim>\*+|_+)
    """,
    re.VERBOSE | re.DOTALL,
)

TRAILING_PUNCT_RE = re.compile(r"[\s.,;:!?…。！？，、；：)\]\"'»”’]*\Z")


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _scan(text: str, offset: int = 0) -> list[_Item]:
    """Split ``text`` into text and markup items; emphasis delimiters are paired at this nesting level."""
    items: list[_Item] = []
    position = 0
    for match in _MASTER_RE.finditer(text):
        if match.start() > position:
            items.append(_Item("text", text[position : match.start()], offset + position, offset + match.start()))
        start, end = offset + match.start(), offset + match.end()
        group = match.lastgroup
        if group == "link":
            opener = "![" if match.group("bang") else "["
            inner_start = match.start("link_text")
            open_item = _Item("open", opener, start, offset + inner_start)
            close_item = _Item("close", "]" + match.group("link_dest"), offset + match.end("link_text"), end)
            open_item.partner, close_item.partner = close_item, open_item
            items.append(open_item)
            items.extend(_scan(match.group("link_text"), offset + inner_start))
            items.append(close_item)
        elif group == "delim":
            before = text[match.start() - 1] if match.start() > 0 else " "
            after = text[match.end()] if match.end() < len(text) else " "
            items.append(_delimiter(match.group(), start, before, after))
        else:
            items.append(_Item("atom", match.group(), start, end, replacement=match.group()))
        position = match.end()
    if position < len(text):
        items.append(_Item("text", text[position:], offset + position, offset + len(text)))
    _pair_delimiters(items)
    merged: list[_Item] = []
    for item in items:
        if item.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1].text += item.text
            merged[-1].end = item.end
        else:
            merged.append(item)
    return merged


def _delimiter(run: str, start: int, before: str, after: str) -> _Item:
    """CommonMark's flanking rules, simplified: can this run of ``*`` or ``_`` open or close emphasis?"""
    left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
    right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
    if run[0] == "_":
        can_open = left and (not right or _is_punct(before))
        can_close = right and (not left or _is_punct(after))
    else:
        can_open, can_close = left, right
    return _Item("delim", run, start, start + len(run), can_open=can_open, can_close=can_close)


def _pair_delimiters(items: list[_Item]) -> None:
    """Pair openers with closers of the same run; unpaired runs that look like markup become atoms."""
    stack: list[_Item] = []
    for item in items:
        if item.kind != "delim":
            continue
        if item.can_close:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index].text == item.text:
                    opener = stack[index]
                    for orphan in stack[index + 1 :]:
                        _orphan(orphan)
                    del stack[index:]
                    opener.kind, item.kind = "open", "close"
                    opener.partner, item.partner = item, opener
                    break
            else:
                if item.can_open:
                    stack.append(item)
                else:
                    _orphan(item)
        elif item.can_open:
            stack.append(item)
        else:
            item.kind = "text"
    for orphan in stack:
        _orphan(orphan)


def _orphan(item: _Item) -> None:
    item.kind, item.replacement = "delim_atom", item.text


def _peel(items: list[_Item]) -> tuple[str, list[_Item], str]:
    """Take whitespace, edge delimiters and whole-segment wrappers off both ends."""
    prefix: list[str] = []
    suffix: list[str] = []
    changed = True
    while changed and items:
        changed = False
        first, last = items[0], items[-1]
        if first.kind == "text" and first.text[:1].isspace():
            stripped = first.text.lstrip()
            prefix.append(first.text[: len(first.text) - len(stripped)])
            first.text = stripped
            changed = True
        if last.kind == "text" and last.text[-1:].isspace():
            stripped = last.text.rstrip()
            suffix.insert(0, last.text[len(stripped) :])
            last.text = stripped
            changed = True
        items[:] = [item for item in items if item.kind != "text" or item.text]
        if not items:
            break
        first, last = items[0], items[-1]
        if first.kind == "delim_atom":
            prefix.append(items.pop(0).text)
            changed = True
        elif last.kind == "delim_atom":
            suffix.insert(0, items.pop().text)
            changed = True
        elif first.kind == "open" and first.partner is last and len(items) >= 2:
            prefix.append(items.pop(0).text)
            suffix.insert(0, items.pop().text)
            changed = True
    return "".join(prefix), items, "".join(suffix)


def _apply_terms(items: list[_Item], terms: Sequence[str], required: Mapping[str, str]) -> list[_Item]:
    """Turn glossary terms in text items into atoms (kept verbatim) or terms (replaced by the target term).
    A required translation for a term wins over its do-not-translate entry."""
    pattern = term_pattern([*terms, *required])
    if pattern is None:
        return items
    result: list[_Item] = []
    for item in items:
        if item.kind != "text":
            result.append(item)
            continue
        position = 0
        for match in pattern.finditer(item.text):
            start, end = item.start + match.start(), item.start + match.end()
            if match.start() > position:
                result.append(_Item("text", item.text[position : match.start()], item.start + position, start))
            found = match.group()
            term = canonical(found, list(required))
            if term is not None and required[term] != found:
                result.append(_Item("term", found, start, end, replacement=required[term]))
            else:
                result.append(_Item("atom", found, start, end, replacement=found))
            position = match.end()
        if position < len(item.text):
            result.append(_Item("text", item.text[position:], item.start + position, item.end))
    return result


def _mark_wrapping(items: list[_Item]) -> None:
    """A pair that starts the segment and is followed only by punctuation can be re-applied if lost."""
    if not items or items[0].kind != "open" or items[0].partner is None:
        return
    closer = items[0].partner
    rest = items[items.index(closer) + 1 :]
    if all(item.kind == "text" and TRAILING_PUNCT_RE.fullmatch(item.text) for item in rest):
        items[0].wraps = True


def protect(text: str, terms: Sequence[str] = (), required: Mapping[str, str] | None = None) -> Protected:
    """Replace markup, do-not-translate ``terms`` and ``required`` glossary terms (source term → target term)
    by ``{N}`` placeholders. ``restore`` undoes it on the engine's output."""
    prefix, items, suffix = _peel(_scan(text))
    items = _apply_terms(items, terms, required or {})
    _mark_wrapping(items)
    numbers: dict[int, int] = {}
    for item in items:
        if item.kind != "text":
            numbers[id(item)] = len(numbers) + 1
    parts: list[str] = []
    mapping: list[Placeholder] = []
    pending_space = False
    for item in items:
        if item.kind == "text":
            if pending_space and item.text[:1].isalnum():
                parts.append(" ")
                mapping[-1] = replace(mapping[-1], space_after=True)
            parts.append(item.text)
            pending_space = False
            continue
        number = numbers[id(item)]
        token = f"{{{number}}}"
        space_before = bool(parts) and parts[-1][-1:].isalnum()
        if space_before:
            parts.append(" ")
        parts.append(token)
        mapping.append(replace(_placeholder(item, number, token, numbers, text), space_before=space_before))
        pending_space = True
    body = "".join(parts)
    return Protected(text=body, mapping=tuple(mapping), prefix=prefix, suffix=suffix)


def _placeholder(item: _Item, number: int, token: str, numbers: dict[int, int], source: str) -> Placeholder:
    if item.kind in ("open", "close") and item.partner is not None:
        partner = item.partner
        start, end = (item.start, partner.end) if item.kind == "open" else (partner.start, item.end)
        return Placeholder(
            token=token,
            number=number,
            kind="open" if item.kind == "open" else "close",
            original=item.text,
            replacement=item.text,
            label=source[start:end],
            partner=numbers[id(partner)],
            wraps=item.wraps,
        )
    kind: Kind = "term" if item.kind == "term" else "atom"
    replacement = item.replacement or item.text
    return Placeholder(token, number, kind, item.text, replacement, label=item.text)


@dataclass(slots=True)
class _Builder:
    """Joins the engine's text around restored pieces, closing the gap where a lost placeholder was dropped."""

    parts: list[str] = field(default_factory=list)
    strip_next: bool = False
    dropped: bool = False

    def add(self, segment: str) -> None:
        if self.strip_next:
            segment = segment.lstrip()
            self.strip_next = False
        if self.dropped:
            self.dropped = False
            current = "".join(self.parts)
            at_gap = not current or current[-1:].isspace()
            if at_gap and segment[:1].isspace():
                segment = segment.lstrip()
            elif at_gap and segment[:1] in tuple(".,;:!?)"):
                self.parts = [current.rstrip()]
        self.parts.append(segment)

    def strip_end(self) -> None:
        self.parts = ["".join(self.parts).rstrip()]

    def value(self) -> str:
        return "".join(self.parts)


def lost_placeholders(translated: str, protected: Protected) -> tuple[Placeholder, ...]:
    """What the engine dropped: atoms and terms missing from ``translated``, and the openers of pairs that do not
    come back exactly once each, opener first."""
    occurrences = [(match.start(), int(match.group(1))) for match in PLACEHOLDER_RE.finditer(translated)]
    counts = Counter(number for _, number in occurrences)
    first_position: dict[int, int] = {}
    for start, number in occurrences:
        first_position.setdefault(number, start)
    lost: list[Placeholder] = []
    for placeholder in protected.mapping:
        if placeholder.kind in ("atom", "term"):
            if not counts[placeholder.number]:
                lost.append(placeholder)
        elif placeholder.kind == "open" and placeholder.partner is not None:
            closer = placeholder.partner
            intact = (
                counts[placeholder.number] == 1
                and counts[closer] == 1
                and first_position[placeholder.number] < first_position[closer]
            )
            if not intact:
                lost.append(placeholder)
    return tuple(lost)


def restore(translated: str, protected: Protected) -> Restored:
    """Put markup and terms back into the engine's output; report what the engine lost."""
    by_number = {placeholder.number: placeholder for placeholder in protected.mapping}
    occurrences = [(match, int(match.group(1))) for match in PLACEHOLDER_RE.finditer(translated)]
    lost = lost_placeholders(translated, protected)
    dropped = {placeholder.number for placeholder in lost} | {
        placeholder.partner for placeholder in lost if placeholder.partner is not None
    }
    kept = {placeholder.number for placeholder in protected.mapping} - dropped

    builder = _Builder()
    position = 0
    for match, number in occurrences:
        segment = translated[position : match.start()]
        found = by_number.get(number)
        position = match.end()
        if found is None or number not in kept:
            builder.add(segment)
            builder.dropped = True
            continue
        builder.add(segment)
        if found.kind == "close" or found.space_before:
            builder.strip_end()
        replacement = found.replacement
        if found.kind == "term" and not builder.value().strip() and replacement[:1].islower():
            replacement = replacement[:1].upper() + replacement[1:]
        builder.parts.append(replacement)
        builder.strip_next = found.kind == "open" or found.space_after
    builder.add(translated[position:])
    body = builder.value().strip()

    for pair in reversed(lost):
        if pair.kind == "open" and pair.wraps and pair.partner is not None:
            trailing = TRAILING_PUNCT_RE.search(body)
            cut = trailing.start() if trailing else len(body)
            if body[:cut]:
                body = pair.replacement + body[:cut] + by_number[pair.partner].replacement + body[cut:]
    return Restored(
        text=protected.prefix + body + protected.suffix,
        lost=tuple(placeholder.label for placeholder in lost),
    )
