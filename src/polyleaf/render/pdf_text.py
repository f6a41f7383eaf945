"""The text a PDF gives back when it is copied, searched or read aloud: each glyph's Unicode text (the fonts'
``ToUnicode`` maps), rewritten from the fonts themselves once WeasyPrint has drawn the pages.

WeasyPrint maps a glyph to the text of the first cluster it draws it in, once per document, which breaks Arabic:

- a ligature maps to several letters (lam-alef to "لا"), and extractors reverse those on a right-to-left line
  ("ال"): it maps to the one presentation-form character that NFKC turns back into the letters (U+FEFB);
- a cluster drawn with two glyphs gives its text to one of them and nothing to the other, so the first cluster
  decides for the whole document (Amiri draws "لك" as lam, kashida, kaf: later lams come out empty, or the kashida as
  a second "ل"): a glyph maps to the character the font's ``cmap`` gives it, else to the character its ``GSUB``
  substitutions make it from; a kashida a substitution adds maps to U+200D ZERO WIDTH JOINER (what it does: join);
- a bracket mirrored on a right-to-left line is drawn with the other bracket's glyph, and the first one drawn set
  both: each maps to the character its glyph shows, as extractors expect.

What a text map cannot say: where the reader should take each glyph in the line. Readers order glyphs by their
position with their own bidi heuristics; ``pdf_order`` gives words with vowel marks, punctuation, numbers and Latin
runs the text each reader needs (``/ActualText``), and says what stays beyond reach.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

JOINER = "\u200d"
_TATWEEL = "\u0640"
_CODE_SPACE_END = b"endcodespacerange"
_CMAP_END = b"endcmap"


@cache
def _presentation_forms() -> dict[str, str]:
    """Letters → the Arabic presentation-form ligature that stands for them (isolated form first)."""
    forms: dict[str, str] = {}
    for tag in ("<isolated>", "<final>", "<initial>", "<medial>"):
        for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
            decomposition = unicodedata.decomposition(chr(code)).split()
            if decomposition[:1] == [tag] and len(decomposition) > 2:
                forms.setdefault("".join(chr(int(part, 16)) for part in decomposition[1:]), chr(code))
    return forms


def single_character(text: str) -> str:
    """``text`` as one presentation-form character when it is an Arabic ligature's letters, else unchanged."""
    return _presentation_forms().get(text, text) if len(text) > 1 else text


@dataclass(frozen=True, slots=True)
class GlyphMeanings:
    """What each glyph of one font stands for: ``nominal`` from its cmap, ``derived`` through GSUB substitutions
    (in the order found), and the ``kashidas`` substitutions add after another glyph, which stand for nothing."""

    nominal: dict[int, tuple[str, ...]]
    derived: dict[int, tuple[str, ...]]
    kashidas: frozenset[int]

    def text(self, glyph: int, drawn_as: str) -> str:
        """The text of ``glyph``, which WeasyPrint first drew for ``drawn_as``."""
        if glyph in self.nominal:
            return _nominal_text(self.nominal[glyph], drawn_as)
        if glyph in self.kashidas:
            return JOINER
        candidates = self.derived.get(glyph)
        if not candidates or (len(drawn_as) == 1 and drawn_as in candidates):
            return single_character(drawn_as)
        return single_character(candidates[0])


def _nominal_text(characters: tuple[str, ...], drawn_as: str) -> str:
    """A glyph the cmap maps ``characters`` to: the one it was drawn for, else a plain character, else the letter
    of a presentation form (a font that maps its initial, medial and final forms, as Tajawal does), a ligature's
    one character aside."""
    if drawn_as in characters:
        return drawn_as
    plain = [char for char in characters if unicodedata.normalize("NFKC", char) == char]
    if plain:
        return plain[0]
    letter = unicodedata.normalize("NFKC", characters[0])
    return letter if len(letter) == 1 else characters[0]


@lru_cache(maxsize=16)
def glyph_meanings(data: bytes, index: int = 0) -> GlyphMeanings:
    """Read the cmap and GSUB of the font file ``data`` (face ``index``)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    ids = {name: number for number, name in enumerate(font.getGlyphOrder())}
    nominal: dict[int, list[str]] = {}
    for code, name in sorted(font.getBestCmap().items()):
        nominal.setdefault(ids[name], []).append(chr(code))
    derived = {glyph: list(characters) for glyph, characters in nominal.items()}
    added: set[int] = set()
    if "GSUB" in font:
        subtables = _substitutions(font)
        for kind, table in subtables:
            if kind == 2:
                added.update(ids[name] for outputs in table.mapping.values() for name in outputs[1:])
        _derive([(tuple(ids[name] for name in inputs), ids[output]) for inputs, output in _edges(subtables)], derived)
    kashidas = {glyph for glyph in added - nominal.keys() if set(derived.get(glyph, [_TATWEEL])[0]) == {_TATWEEL}}
    return GlyphMeanings(
        {glyph: tuple(texts) for glyph, texts in nominal.items()},
        {glyph: tuple(texts) for glyph, texts in derived.items()},
        frozenset(kashidas),
    )


def _substitutions(font: Any) -> list[tuple[int, Any]]:
    """(lookup type, subtable) of every GSUB subtable, extension lookups unwrapped."""
    found = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, table = table.ExtSubTable.LookupType, table.ExtSubTable
            found.append((kind, table))
    return found


def _edges(subtables: list[tuple[int, Any]]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(input glyphs, output glyph) of every substitution whose output stands for its inputs' text: single and
    alternate substitutions, the first glyph of a multiple one, ligatures (contextual lookups only call these)."""
    for kind, table in subtables:
        if kind == 1:
            yield from (((source,), target) for source, target in table.mapping.items())
        elif kind == 2:
            yield from (((source,), outputs[0]) for source, outputs in table.mapping.items() if outputs)
        elif kind == 3:
            yield from (((source,), target) for source, targets in table.alternates.items() for target in targets)
        elif kind == 4:
            for first, ligatures in table.ligatures.items():
                yield from (((first, *ligature.Component), ligature.LigGlyph) for ligature in ligatures)


def _derive(edges: list[tuple[tuple[int, ...], int]], derived: dict[int, list[str]]) -> None:
    """Give each output the text of its inputs (a ligature: its components' first texts), until nothing is new."""
    changed = True
    while changed:
        changed = False
        for inputs, output in edges:
            if not all(glyph in derived for glyph in inputs):
                continue
            texts = derived[inputs[0]] if len(inputs) == 1 else ["".join(derived[glyph][0] for glyph in inputs)]
            known = derived.setdefault(output, [])
            for text in texts:
                if text not in known and len(known) < 8:
                    known.append(text)
                    changed = True


def repair_text_maps(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: each embedded font's ToUnicode map rewritten from the font (see the module's doc)."""
    from weasyprint.text.fonts import get_hb_object_data

    fonts = {font.name: font for font in getattr(document, "fonts", {}).values()}
    for entry in pdf.objects:
        if not isinstance(entry, dict) or entry.get("Subtype") != "/Type0" or "ToUnicode" not in entry:
            continue
        font = fonts.get(entry.get("BaseFont"))
        if font is None or not _right_to_left(font.to_unicode.values()):
            continue  # a font that drew no right-to-left text (a 20 MB CJK font above all) is left as it is
        meanings = glyph_meanings(get_hb_object_data(font.hb_face), font.index)
        mapping = {glyph: meanings.text(glyph, text) for glyph, text in font.to_unicode.items()}
        stream = pdf.objects[int(entry["ToUnicode"].split()[0])]
        stream.stream = _cmap(stream.stream, mapping)


def _right_to_left(texts: Iterable[str]) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for text in texts for char in text)


def _cmap(lines: list[bytes], mapping: dict[int, str]) -> list[bytes]:
    """The CMap ``lines`` with their ``bfchar`` entries replaced by ``mapping`` (100 a block, as the format wants)."""
    header = lines[: lines.index(_CODE_SPACE_END) + 1]
    trailer = lines[lines.index(_CMAP_END) :]
    body: list[bytes] = []
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        block = items[start : start + 100]
        body.append(f"{len(block)} beginbfchar".encode())
        body += [f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode() for glyph, text in block]
        body.append(b"endbfchar")
    return [*header, *body, *trailer]
