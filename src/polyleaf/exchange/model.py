"""The values every exchange format shares: the format names and file suffixes, what is exported of an entry
(``ExportEntry``), what a file says of one translation (``ImportedUnit``), the stable unit id, and language tags."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from polyleaf.catalog.imports import ImportKind
from polyleaf.catalog.model import State

XLIFF = "xliff"
XLIFF12 = "xliff12"
TMX = "tmx"
TBX = "tbx"
FORMATS = (XLIFF, XLIFF12, TMX, TBX)
#: The file name suffix each format is written with (XLIFF 1.2 apart from 2.0 in the same folder).
SUFFIXES = {XLIFF: ".xlf", XLIFF12: ".xliff12.xlf", TMX: ".tmx", TBX: ".tbx"}


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One active PO entry as a CAT tool should see it: its text, state and the notes a translator reads.

    ``provenance`` are the ``# mt:``/``# tm:`` comments, ``comments`` the other translator comments, ``extracted``
    the ``#.`` lines, ``references`` the ``#:`` ``file:line`` references; ``previous_source`` the English a
    changed entry's old translation was made for (``#|``)."""

    unit_id: str
    source: str
    target: str
    state: State
    msgctxt: str | None = None
    provenance: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    extracted: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    previous_source: str | None = None


@dataclass(frozen=True, slots=True)
class ExportCatalog:
    """The entries of one PO file; ``original`` is its path relative to the project root (the XLIFF ``<file>``)."""

    original: str
    entries: tuple[ExportEntry, ...]


@dataclass(frozen=True, slots=True)
class ImportedUnit:
    """One translation an imported file offers, with the line it is on.

    ``original`` names the PO file (XLIFF ``<file original>``; None in TMX: any catalog of the language with that
    English); ``unit_id`` is the XLIFF unit id (None in TMX); ``language`` is the target's tag as written;
    ``provenance`` what the file says made a machine translation (a TMX's ``x-polyleaf-provenance``)."""

    source: str
    target: str
    kind: ImportKind
    language: str
    line: int
    original: str | None = None
    unit_id: str | None = None
    msgctxt: str | None = None
    provenance: str = ""


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """What an imported file holds: its format, language tags and translations; ``line`` is where it names its
    languages (the XLIFF root, the TMX header). ``target_languages`` are those it names there (XLIFF's trgLang;
    a TMX names them per translation)."""

    format: str
    source_language: str
    units: tuple[ImportedUnit, ...]
    line: int = 1
    target_languages: tuple[str, ...] = ()
    #: (line, message) of what the reader read differently or skipped (a version read as another, a plural group).
    notices: tuple[tuple[int, str], ...] = ()


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """An id that names the same entry in every export (from its context and English, as gettext keys them)."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def language_tag(language: str) -> str:
    """The BCP 47 tag files carry for a Babel identifier: ``pt-BR`` for ``pt_BR``, ``zh-Hans`` for ``zh_Hans``."""
    return language.replace("_", "-")
