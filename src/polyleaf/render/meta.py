"""The records a renderer is given besides the localized document: the leaflet's metadata (``LeafletMeta``), its
images, the pages it links (other languages, the index) and the index's entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from polyleaf.config.leaflet import Authorship

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument


@dataclass(frozen=True, slots=True)
class LeafletImage:
    """An image the build copied next to the leaflet: its source as written in the Markdown, its path relative to
    the leaflet (the same as relative to the source file), and the file's hash (a changed image renders anew)."""

    src: str
    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class LeafletMeta:
    """What a leaflet shows besides its text: when its source last changed, paper size, who publishes it (name,
    logo, contact lines: in the page's language where the clinic has them translated), which printed version it is
    (reference code, version, review-by date), the images it may show, who stands behind it, and the way from paper
    to the other languages (the languages it is in, its web page's address)."""

    updated: dt.date
    page_size: str = "A4"  # one of ``config.leaflet.PAGE_SIZES``
    project: str = ""  # the publisher: the page header and the PDF's author, e.g. the clinic's name
    fonts: tuple[str, ...] = ()  # ``[leaflet] fonts``: family names, or absolute paths of font files, tried first
    images: tuple[LeafletImage, ...] = ()
    logo: LeafletImage | None = None  # ``path``: its URL relative to the leaflet
    contact: str = ""  # lines of text, shown as written
    reference: str = ""
    version: str = ""
    review_by: dt.date | None = None
    # who stands behind it, printed at its end (``clinic.credits``; translated texts in the page's language)
    authorship: Authorship | None = None
    translated_by: str = ""
    languages: tuple[str, ...] = ()  # every language the leaflet is available in (built or released), its own included
    web_url: str = ""  # the address of its web page (``[leaflet] base_url``): printed, and as a QR code
    edition: str = "standard"  # the printed edition (``config.leaflet.EDITIONS``): "large-print" has 16 pt+ body


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same leaflet in one language: its Babel identifier and its URL relative to the page."""

    language: str
    href: str


@dataclass(frozen=True, slots=True)
class PageLinks:
    """Where a leaflet's web page points: its language index, its PDF (when one was built), and the same leaflet
    in every language it is published in (this one included, as ``hreflang`` alternates want)."""

    index: str = "index.html"
    pdf: str = ""
    alternates: tuple[Alternate, ...] = ()


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
    files: tuple[str, ...] = ()  # e.g. ("x.es.html", "x.es.pdf", "x.es.txt"), in the order they are offered
    draft: bool = False
    draft_notice: str = ""
    title_language: str = ""  # set when the title is not in the index's language (a draft's untranslated title)

    @classmethod
    def from_document(cls, localized: LocalizedDocument, files: Sequence[str]) -> LeafletLink:
        title_language = next((block.language for block in localized.blocks if block.kind == "title"), "")
        return cls(
            localized.name, localized.title, tuple(files), localized.draft, localized.draft_notice, title_language
        )
