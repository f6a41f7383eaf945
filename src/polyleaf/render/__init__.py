"""Renderers: localized text/Markdown (skeleton-preserving), HTML leaflet, PDF.

The pipeline turns a Document plus its catalogs into a ``Leaflet`` (localized blocks with their review state);
the HTML and PDF renderers only see Leaflets, so they never touch PO files or the source parser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

#: English texts of the words a leaflet itself shows; ``Leaflet.labels`` gives them per language.
DEFAULT_LABELS: dict[str, str] = {
    "language": "Language",
    "updated": "Updated",
    "disclaimer": "Disclaimer",
    "unreviewed_legend": "Passages marked with a bar in the margin have not been reviewed by a translator yet.",
}


@dataclass(frozen=True, slots=True)
class LeafletBlock:
    """One localized block. ``text`` keeps inline Markdown (``**bold**``, ``*em*``, links, inline code)."""

    kind: str  # title | heading | paragraph | list_item | blockquote | separator | code | html
    text: str
    level: int = 0
    reviewed: bool = True
    language: str = ""  # set when the text is not in the leaflet's language (untranslated source text in a draft)


@dataclass(frozen=True, slots=True)
class Leaflet:
    """Everything a renderer needs for one document in one language."""

    document: str  # document id (file stem), used for file names and links
    language: str  # Babel identifier, e.g. "pt_BR", "ar"
    title: str
    blocks: tuple[LeafletBlock, ...]
    disclaimer: str  # the localized standard disclaimer (inline Markdown); never among ``blocks``
    draft: bool
    draft_notice: str  # e.g. "Draft — 12 of 40 segments are not reviewed" (localized when reviewed)
    unreviewed: int
    total: int
    updated: dt.date
    page_size: str = "A4"  # "A4" | "Letter"
    labels: tuple[tuple[str, str], ...] = ()  # localized UI strings (key, text), e.g. ("updated", "Actualizado")
    project: str = ""  # publisher/project name for the page header and PDF author, e.g. the clinic's name
    fonts: tuple[str, ...] = ()  # ``[leaflet] fonts``: family names, or absolute paths of font files, tried first


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One language on the site index; ``language`` is the Babel identifier, also its directory name."""

    language: str
    leaflets: int = 0
    drafts: int = 0


@dataclass(frozen=True, slots=True)
class LeafletLink:
    """One leaflet on a language index; ``files`` are names relative to the language directory."""

    document: str
    title: str
    files: tuple[str, ...] = ()  # e.g. ("x.html", "x.pdf", "x.txt"), in the order they should be offered
    draft: bool = False
    draft_notice: str = ""

    @classmethod
    def from_leaflet(cls, leaflet: Leaflet, files: Sequence[str]) -> LeafletLink:
        return cls(leaflet.document, leaflet.title, tuple(files), leaflet.draft, leaflet.draft_notice)
