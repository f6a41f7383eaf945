"""Put back the placeholders an engine dropped, so MT suggestions keep protected text whatever the model does.

A model that does not copy ``{N}`` placeholders (a weak or random model, or a language pair whose training data had
none) would lose every do-not-translate term and every bit of emphasis of a segment. Repair works on the engine's
output, before ``placeholders.restore`` turns placeholders back into text:

* **Atoms** (terms, code, URLs, escapes) are re-inserted where the decoder looked: after the word holding the
  target token that attends most to the source placeholder's tokens (``alignment.best_target_token``), but before
  the closing punctuation. A placeholder with no word before it in the source goes first (after the placeholders
  that precede it), one with no word after it goes last (before the closing punctuation).
* **A pair** (emphasis, link) that wraps the whole segment but its closing punctuation is re-applied around the
  whole translation. Any other lost pair is repaired the way ``argostranslate.tags`` handles markup: the pieces of
  text between the markup are translated separately; if each lost pair's inner piece is found once in the whole
  translation, the markup is injected there (the sentence keeps its context), else the segment is reassembled from
  its translated pieces with the markup in the source's places.
* Without an alignment (an engine without ``translate_aligned``, a tokenizer without character offsets), the
  segment is reassembled from the pieces between *all* of its placeholders, so nothing can be lost twice.

``first_pass`` does what needs no more translation and lists the pieces still to translate; ``second_pass`` finishes
with their translations (the MT stage translates the pieces of all segments in one engine call). What was repaired
is named in the entry's ``# mt:`` provenance.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from polyleaf.mt.alignment import best_target_token
from polyleaf.mt.engine import Aligned
from polyleaf.mt.placeholders import PLACEHOLDER_RE, TRAILING_PUNCT_RE, Placeholder, Protected, lost_placeholders

_CLOSING = frozenset(".,;:!?…)]}»”’\"'。！？，、；：")

Segment = str | int
"""A piece of a protected text: text to translate (``str``) or a placeholder kept as is (its number)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """The engine's output with what could be repaired at once; ``segments`` (when not empty) must be translated
    piecewise by ``second_pass``."""

    text: str
    lost: tuple[Placeholder, ...] = ()
    segments: tuple[Segment, ...] = ()

    def pieces(self) -> list[str]:
        """The texts the second pass needs translated."""
        return [core for segment in self.segments if isinstance(segment, str) if (core := _core(segment))]


def label(placeholder: Placeholder, protected: Protected) -> str:
    """How a repair is named in the provenance: the term itself, or the markup around an ellipsis (``**…**``)."""
    if placeholder.kind != "open" or placeholder.partner is None:
        return placeholder.label
    closer = next(item for item in protected.mapping if item.number == placeholder.partner)
    return f"{placeholder.original}…{closer.original}"


def _core(piece: str) -> str:
    """The part of a piece worth translating: stripped, and only if it has letters outside placeholders."""
    core = piece.strip()
    return core if any(char.isalpha() for char in PLACEHOLDER_RE.sub("", core)) else ""


def _spans(text: str) -> dict[int, tuple[int, int]]:
    spans: dict[int, tuple[int, int]] = {}
    for match in PLACEHOLDER_RE.finditer(text):
        spans.setdefault(int(match.group(1)), match.span())
    return spans


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in PLACEHOLDER_RE.sub("", text))


def _insertion_point(output: Aligned, source: str, number: int) -> int | None:
    """Where placeholder ``number`` of ``source`` goes in ``output.text`` (None: the alignment cannot tell)."""
    text = output.text
    source_spans, target_spans = _spans(source), _spans(text)
    start, end = source_spans[number]
    if not _has_word(source[:start]):
        before = [target_spans[n][1] for n, span in source_spans.items() if span[1] <= start and n in target_spans]
        return max(before, default=0)
    if not _has_word(source[end:]):
        after = [target_spans[n][0] for n, span in source_spans.items() if span[0] >= end and n in target_spans]
        trailing = TRAILING_PUNCT_RE.search(text)
        return min(after, default=trailing.start() if trailing else len(text))
    if output.alignment is None:
        return None
    token = best_target_token(output.alignment, (start, end))
    if token is None:
        return None
    position = output.alignment.target_spans[token][1]
    inside = target_spans.items()
    position = next((span[1] for _, span in inside if span[0] < position < span[1]), position)
    while position < len(text) and (text[position].isalnum() or unicodedata.category(text[position])[0] == "M"):
        position += 1
    trailing = TRAILING_PUNCT_RE.search(text)
    return min(position, trailing.start()) if trailing else position  # never after the closing punctuation


def insert_atoms(output: Aligned, source: str, atoms: Sequence[Placeholder]) -> str | None:
    """``output.text`` with the tokens of ``atoms`` (placeholders of ``source``) put back; None when one of them
    cannot be placed."""
    insertions: list[tuple[int, int, str]] = []
    for order, atom in enumerate(atoms):
        if atom.number not in _spans(source):
            return None
        position = _insertion_point(output, source, atom.number)
        if position is None:
            return None
        insertions.append((position, order, atom.token))
    text = output.text
    result = ""
    last = 0
    for position, _, token in sorted(insertions):
        result += text[last:position]
        last = position
        if result and not result[-1].isspace():
            result += " "
        result += token
        following = text[position : position + 1]
        if following and not following.isspace() and following not in _CLOSING:
            result += " "
    return result + text[last:]


def _remove(text: str, numbers: set[int]) -> str:
    """``text`` without the placeholders ``numbers`` (a stray half of a lost pair), closing the gap they leave."""
    result = ""
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if int(match.group(1)) in numbers:
            result += text[last : match.start()]
            last = match.end()
            if result[-1:].isspace() and text[last : last + 1].isspace():
                result = result.rstrip()
    return result + text[last:]


def _split(text: str, numbers: set[int]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if int(match.group(1)) in numbers:
            segments.extend((text[last : match.start()], int(match.group(1))))
            last = match.end()
    segments.append(text[last:])
    return tuple(segments)


def _rewrap(text: str, pair: Placeholder, closer: Placeholder) -> str:
    """The whole translation inside ``pair``, its closing punctuation outside (``**Warning**.``)."""
    trailing = TRAILING_PUNCT_RE.search(text)
    cut = trailing.start() if trailing else len(text)
    return pair.token + text[:cut] + closer.token + text[cut:] if text[:cut] else text


def first_pass(output: Aligned, protected: Protected) -> Draft:
    """Repair what the output and its alignment allow; say which pieces still need translating."""
    lost = lost_placeholders(output.text, protected)
    if not lost:
        return Draft(output.text)
    by_number = {placeholder.number: placeholder for placeholder in protected.mapping}
    pairs = [placeholder for placeholder in lost if placeholder.kind == "open" and placeholder.partner is not None]
    atoms = [placeholder for placeholder in lost if placeholder not in pairs]
    stray = {number for pair in pairs for number in (pair.number, pair.partner) if number is not None}
    inserted = insert_atoms(output, protected.text, atoms) if atoms else output.text
    if inserted is None:
        every = {placeholder.number for placeholder in protected.mapping}
        return Draft(_remove(output.text, stray), lost, _split(protected.text, every))
    text = _remove(inserted, stray)  # after the insertion: the alignment's spans are those of the output
    if all(pair.wraps for pair in pairs):
        for pair in reversed(pairs):
            text = _rewrap(text, pair, by_number[pair.partner or 0])
        return Draft(text, lost)
    markup = {placeholder.number for placeholder in protected.mapping if placeholder.kind in ("open", "close")}
    return Draft(text, lost, _split(protected.text, markup))


def second_pass(draft: Draft, protected: Protected, pieces: Mapping[str, Aligned]) -> str:
    """The draft finished with the pieces' translations: markup injected into the whole translation when every lost
    pair's inner piece is found there once, else the segment reassembled from its pieces."""
    if not draft.segments:
        return draft.text
    translated = [
        _translate_piece(segment, pieces) if isinstance(segment, str) else segment for segment in draft.segments
    ]
    injected = _inject(draft, protected, translated)
    if injected is not None:
        return injected
    by_number = {placeholder.number: placeholder.token for placeholder in protected.mapping}
    return "".join(segment if isinstance(segment, str) else by_number[segment] for segment in translated)


def _translate_piece(piece: str, pieces: Mapping[str, Aligned]) -> str:
    """A piece's translation with its own lost atoms put back (by alignment) and its outer whitespace kept."""
    core = _core(piece)
    if not core:
        return piece
    output = pieces[core]
    atoms = [
        Placeholder(match.group(), int(match.group(1)), "atom", match.group(), match.group(), match.group())
        for match in PLACEHOLDER_RE.finditer(core)
        if int(match.group(1)) not in _spans(output.text)
    ]
    text = (insert_atoms(output, core, atoms) if atoms else None) or output.text
    lead = piece[: len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()) :]
    return lead + text + trail


def _cuts_a_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins or ends inside a word."""
    return (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or (
        end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    )


def _inject(draft: Draft, protected: Protected, translated: Sequence[Segment]) -> str | None:
    """Wrap each lost pair around its inner piece's translation where that occurs once in the draft (as
    ``argostranslate.tags.inject_tags_inference`` does); None when any pair cannot be placed that way."""
    if any(placeholder.kind != "open" for placeholder in lost_placeholders(draft.text, protected)):
        return None  # the draft itself lacks an atom: only the pieces have it
    pairs = [placeholder for placeholder in draft.lost if placeholder.kind == "open"]
    by_number = {placeholder.number: placeholder for placeholder in protected.mapping}
    places: list[tuple[int, int, Placeholder]] = []
    for pair in pairs:
        index = translated.index(pair.number)
        inner = translated[index + 1]
        if not isinstance(inner, str) or translated[index + 2] != pair.partner or not inner.strip():
            return None
        found = inner.strip()
        start = draft.text.find(found)
        if start < 0 or draft.text.find(found, start + 1) >= 0 or _cuts_a_word(draft.text, start, start + len(found)):
            return None
        places.append((start, start + len(found), pair))
    places.sort(key=lambda place: place[0])
    if any(first[1] > second[0] for first, second in pairwise(places)):
        return None
    text = draft.text
    for start, end, pair in reversed(places):
        closer = by_number[pair.partner or 0]
        text = text[:start] + pair.token + text[start:end] + closer.token + text[end:]
    return text
