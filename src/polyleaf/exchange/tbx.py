"""The glossary as TBX-Basic (ISO 30042 TermBase eXchange, the TBX-Basic dialect in the ``martif`` form of the
standard's first edition, which CAT tools import: memoQ, Trados MultiTerm, OmegaT, Weblate/translate-toolkit).

One ``<termEntry>`` per glossary term (its id stable: a hash of the term), a ``<langSet>`` for the source
language and one per target language that has a term for it, each with one ``<tig>``: the term and its
``administrativeStatus`` (``preferredTerm-admn-sts``: the translation the glossary requires). A do-not-translate
term is its own translation in every language it applies to, with a note saying so (TBX-Basic has no data
category for it). The glossary's ``note`` column is the note of its row's term.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from polyleaf.exchange import xmlio
from polyleaf.exchange.model import language_tag
from polyleaf.exchange.xmlio import XML_LANG
from polyleaf.glossary import ALL_LANGUAGES, Glossary

PREFERRED = "preferredTerm-admn-sts"
KEEP_NOTE = "do not translate: keep the term as it is written"


@dataclass(frozen=True, slots=True)
class Term:
    """A term in one language, with its notes."""

    language: str
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Concept:
    """One glossary term: the source term first, then its required form in each target language."""

    terms: tuple[Term, ...]


def concepts(glossary: Glossary, source_language: str, languages: Sequence[str]) -> list[Concept]:
    """The glossary's terms as concepts, for ``languages`` (a row for another language is left out), in the
    glossary's order; a term with no form in any of ``languages`` is left out."""
    rows: dict[str, list[tuple[str, str, str]]] = {}
    for entry in glossary.entries:
        rows.setdefault(entry.term, []).append((entry.language, entry.translation, entry.note))
    found = []
    for term, entries in rows.items():
        everywhere = next((note for language, _, note in entries if language == ALL_LANGUAGES), None)
        targets = []
        for language in languages:
            row = next(((text, note) for code, text, note in entries if code == language), None)
            if row is not None:
                text, note = row
                targets.append(Term(language, text or term, _notes("" if text else KEEP_NOTE, note)))
            elif everywhere is not None:
                targets.append(Term(language, term, (KEEP_NOTE,)))
        if targets:
            found.append(Concept((Term(source_language, term, _notes(everywhere or "")), *targets)))
    return found


def write_tbx(source_language: str, items: Sequence[Concept], description: str) -> bytes:
    """A TBX-Basic document of ``items``."""
    root = xmlio.element("martif", {"type": "TBX-Basic", XML_LANG: language_tag(source_language)})
    header = xmlio.child(root, "martifHeader")
    xmlio.child(xmlio.child(xmlio.child(header, "fileDesc"), "sourceDesc"), "p", None, description)
    xmlio.child(xmlio.child(header, "encodingDesc"), "p", {"type": "XCSURI"}, "TBXBasicXCSV02.xcs")
    body = xmlio.child(xmlio.child(root, "text"), "body")
    for concept in items:
        entry = xmlio.child(body, "termEntry", {"id": concept_id(concept.terms[0].text)})
        for term in concept.terms:
            tig = xmlio.child(xmlio.child(entry, "langSet", {XML_LANG: language_tag(term.language)}), "tig")
            xmlio.child(tig, "term", None, _clean(term.text))
            xmlio.child(tig, "termNote", {"type": "administrativeStatus"}, PREFERRED)
            for note in term.notes:
                xmlio.child(tig, "note", None, _clean(note))
    return xmlio.serialize(root, content=("term", "termNote", "note", "p"))


def _notes(*notes: str) -> tuple[str, ...]:
    return tuple(note for note in notes if note)


def concept_id(term: str) -> str:
    """A stable XML id for a term's entry."""
    return "c" + hashlib.sha256(term.encode("utf-8")).hexdigest()[:16]


def _clean(text: str) -> str:
    return xmlio.NOT_XML.sub("\ufffd", text)
