"""The printable HTML leaflet: semantic HTML5 with an inline print stylesheet (WeasyPrint turns it into the PDF).

Block text is inline Markdown rendered by :func:`polyleaf.render.inline.render_inline` (escaped, links filtered);
code and HTML blocks are shown as escaped text, HTML comments, link definitions and front matter not at all. Lists
keep their nesting and an ordered list its first number; tables are ``<table>`` with a header row and their column
alignment; an image the build copied next to the leaflet is an ``<img>`` (its title a caption), any other image its
alt text; footnotes are numbered notes after the text. A draft says so on every page (a band on top and at the
end, the PDF's running header), marks unreviewed blocks and flags reviewed text that fails QA with the finding; a
release build shows none of these. Text left in the source language is marked wherever it is (a block, a
sentence, a list item, a table cell, a caption), in drafts and releases alike.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from polyleaf import locale
from polyleaf.config.leaflet import LARGE_PRINT, PAGE_SIZES
from polyleaf.errors import RenderError
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.localize import LocalizedDocument, labelled, spaced
from polyleaf.render.bidi import first_strong
from polyleaf.render.credits import credit_lines
from polyleaf.render.fonts import WebFonts, font_faces_css, font_stack
from polyleaf.render.html_body import NO_HTML, block_marks, body, flag, front_matter_title_marks, laid_out
from polyleaf.render.inline import plain_text, render_inline
from polyleaf.render.meta import LeafletMeta, PageLinks
from polyleaf.render.qr import qr_svg
from polyleaf.render.templating import environment, label_lookup

#: Page margins (top, end, bottom, start… as CSS writes them): A5 is half of A4, and 25 mm sides would leave a
#: column of a few words.
_MARGINS = {"A5": "16mm 15mm 15mm 15mm"}
_DEFAULT_MARGINS = "24mm 25mm 22mm 25mm"
#: The large-print edition's body size: at least 16 pt in every script (RNIB and APH guidance for large print).
LARGE_PRINT_PT = 16.0


def render_leaflet_html(
    leaflet: LocalizedDocument, meta: LeafletMeta, web_fonts: WebFonts | None = None, links: PageLinks | None = None
) -> str:
    """The leaflet as one HTML document whose only external resources are its font files, logo and images.

    ``web_fonts`` declares the font subsets of a leaflet read in a browser; None links the installed files with
    ``file:`` URLs, for WeasyPrint. Either way the fonts installed on the reader's system come first (see
    ``render.fonts``).
    ``links`` makes it a web page: a viewport for phones, ``hreflang`` alternates and a bar of links to the
    language index, the PDF and the other languages; without it, it is the document WeasyPrint lays out as the PDF.
    """
    return environment().get_template("leaflet.html").render(leaflet_context(leaflet, meta, web_fonts, links))


def leaflet_context(
    leaflet: LocalizedDocument, meta: LeafletMeta, web_fonts: WebFonts | None = None, links: PageLinks | None = None
) -> dict[str, Any]:
    """Template variables for ``leaflet.html`` (separate so tests and other templates can reuse them)."""
    language = leaflet.language
    labels = label_lookup(leaflet.labels, INTERFACE_MESSAGES)
    identity = _identity(meta, labels, language)
    rtl = locale.direction(language) == "rtl"
    fonts = font_stack(language, meta.fonts)
    foreign_fonts = {
        stack.css_class: stack
        for stack in (font_stack(block.language, meta.fonts) for block in leaflet.blocks if block.language)
        if stack.script != fonts.script
    }
    availability = _availability(meta, links, language)
    return {
        "lang": locale.html_lang(language),
        "dir": "rtl" if rtl else "ltr",
        "start": "right" if rtl else "left",
        "end": "left" if rtl else "right",
        "fonts": fonts,
        "foreign_fonts": list(foreign_fonts.values()),
        "font_faces": font_faces_css([fonts, *foreign_fonts.values(), *availability["fonts"]], web_fonts),
        "page_size": _page_size(meta.page_size),
        "page_margins": _MARGINS.get(_page_size(meta.page_size), _DEFAULT_MARGINS),
        "large_print": meta.edition == LARGE_PRINT,
        # the root size that sets this script's body (``fonts.scale`` of it) at LARGE_PRINT_PT or more
        "large_print_root": math.ceil(max(LARGE_PRINT_PT, LARGE_PRINT_PT / fonts.scale) * 100) / 100,
        **_title(leaflet, labels),
        "untranslated_note": leaflet.untranslated > 0,
        "project": meta.project,
        "logo": meta.logo.path if meta.logo else "",
        "contact": meta.contact,
        "credits": credit_lines(meta, labels, language),
        "identity": identity,
        # each item a bidi isolate: an English label or a Latin code keeps its order on a right-to-left page
        "identity_line": " · ".join(
            f"\u2068{labelled(label, value, in_language)}\u2069" for label, value, in_language in identity
        ),
        "meta": meta,
        "autonym": locale.autonym(language),
        "updated": locale.format_day(meta.updated, language),
        "updated_iso": meta.updated.isoformat(),
        "labels": labels,
        "links": _links(links, language) if links is not None else None,
        "availability": availability,
        "draft": leaflet.draft,
        "draft_notice": leaflet.draft_notice,
        "draft_banner": leaflet.draft_banner,
        "unreviewed": leaflet.draft and leaflet.unreviewed > 0,
        **body(leaflet, meta),
        "disclaimer_html": flag(
            laid_out(_disclaimer_html(leaflet), language), leaflet.disclaimer_findings, labels, language
        ),
        # the disclaimer not translated yet reads in the source's direction
        "disclaimer_dir": _other_direction(plain_text(leaflet.disclaimer), rtl),
    }


def _title(leaflet: LocalizedDocument, labels: dict[str, str]) -> dict[str, Any]:
    """The template's title variables: its text, its HTML (flagged when its reviewed text fails QA), and its marks
    (unreviewed in a draft; the language of a title left untranslated, from a ``#`` title or the front matter)."""
    title_blocks = [block for block in leaflet.blocks if block.kind == "title"]
    title_marks = block_marks(title_blocks[0], leaflet) if title_blocks else front_matter_title_marks(leaflet)
    findings = tuple(f for block in title_blocks for segment in block.segments for f in segment.findings)
    html = laid_out(render_inline(leaflet.title), leaflet.language)
    return {
        "title": plain_text(leaflet.title),
        "title_html": flag(html, findings, labels, leaflet.language),
        "title_unreviewed": leaflet.draft and not all(block.reviewed for block in title_blocks),
        "title_lang": title_marks.get("lang", ""),
        "title_dir": title_marks.get("dir", ""),
    }


def _other_direction(text: str, rtl: bool) -> str:
    """``text``'s direction when it is not the page's (its first strong character), else ""."""
    page = "rtl" if rtl else "ltr"
    found = first_strong(text, page)
    return found if found != page else ""


def _disclaimer_html(leaflet: LocalizedDocument) -> Markup:
    """The standard disclaimer, each sentence rendered on its own (as ``html_body`` renders a block's)."""
    if not leaflet.disclaimer_segments:
        return render_inline(leaflet.disclaimer)
    sentences = spaced(leaflet.disclaimer_segments, leaflet.language)
    return Markup("").join(Markup(gap) + render_inline(segment.text) for gap, segment in sentences)


def _identity(meta: LeafletMeta, labels: dict[str, str], language: str) -> list[tuple[str, str, str]]:
    """(label, value, the label's language) of the reference code, version and review-by date that are set; a label
    not translated yet is English (and takes an English colon)."""
    values = {
        "reference": meta.reference,
        "version": meta.version,
        "review_by": locale.format_day(meta.review_by, language) if meta.review_by else "",
    }
    return [
        (labels[key], value, "en" if labels[key] == INTERFACE_MESSAGES[key] else language)
        for key, value in values.items()
        if value
    ]


@dataclass(frozen=True, slots=True)
class _Alternate:
    href: str
    lang: str
    dir: str
    autonym: str
    current: bool
    script_class: str = ""  # its font stack's class


def _alternate(language: str, href: str, page_language: str, fonts: tuple[str, ...] = ()) -> _Alternate:
    """The leaflet in ``language`` (by its own name) as a page lists it."""
    return _Alternate(
        href=href,
        lang=locale.html_lang(language),
        dir=locale.direction(language),
        autonym=locale.autonym(language),
        current=locale.normalize(language) == locale.normalize(page_language),
        script_class=font_stack(language, fonts).css_class,
    )


def _links(links: PageLinks, language: str) -> dict[str, Any]:
    """The web page's links: language index, PDF, and every language the leaflet is in (by its own name)."""
    alternates = [_alternate(alternate.language, alternate.href, language) for alternate in links.alternates]
    return {"index": links.index, "pdf": links.pdf, "alternates": alternates}


def _availability(meta: LeafletMeta, links: PageLinks | None, language: str) -> dict[str, Any]:
    """The end of a leaflet, the way from paper to the other languages: every language it is available in, by its
    own name in a list's capitalisation (links on the web page) and, on paper, its web page's address and QR code.

    A name in another script than the page's is set in its own script's fonts, declared for the PDF only (a
    reader's browser has fonts for the scripts of the names on a page, and a web page should not load an Arabic or
    Chinese font for one word)."""
    hrefs = {alternate.language: alternate.href for alternate in links.alternates} if links is not None else {}
    listed = [
        dataclasses.replace(alternate, autonym=_list_form(alternate.autonym))
        for alternate in (_alternate(other, hrefs.get(other, ""), language, meta.fonts) for other in meta.languages)
    ]
    page_script = font_stack(language, meta.fonts).script
    stacks = {stack.css_class: stack for stack in (font_stack(other, meta.fonts) for other in meta.languages)}
    fonts = [stack for stack in stacks.values() if stack.script != page_script]
    on_paper = links is None and bool(meta.web_url)
    return {
        "languages": listed if len(listed) > 1 else [],
        "fonts": fonts if links is None else [],
        "scripts": fonts,
        "url": meta.web_url if on_paper else "",
        "url_shown": meta.web_url.removeprefix("https://") if on_paper else "",
        "qr": qr_svg(meta.web_url) if on_paper else NO_HTML,
    }


def _list_form(name: str) -> str:
    """A language's name as a list or menu shows it: its first letter a capital (``español`` → ``Español``), as
    CLDR's context transforms say for most languages; scripts without case are unchanged."""
    return name[:1].upper() + name[1:]


def _page_size(value: str) -> str:
    for size in PAGE_SIZES:
        if value.strip().lower() == size.lower():
            return size
    raise RenderError(f"unknown page size {value!r} (use one of: {', '.join(PAGE_SIZES)})")
