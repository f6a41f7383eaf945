"""The printable HTML leaflet: semantic HTML5 with an inline print stylesheet (WeasyPrint turns it into the PDF).

Block text is inline Markdown rendered by :func:`polyleaf.render.inline.render_inline` (escaped, links filtered);
code and HTML blocks are shown as escaped text. A draft shows its notice as a band and marks unreviewed blocks;
a release build shows neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from polyleaf import locale
from polyleaf.errors import RenderError
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.localize import LocalizedBlock, LocalizedDocument
from polyleaf.render import LeafletMeta
from polyleaf.render.fonts import font_faces_css, font_stack
from polyleaf.render.inline import plain_text, render_inline
from polyleaf.render.templating import environment, label_lookup

PAGE_SIZES = ("A4", "Letter")
_NO_HTML = Markup("")


@dataclass(frozen=True, slots=True)
class _Part:
    """One element of the leaflet body as the template sees it."""

    kind: str  # heading | paragraph | list | blockquote | separator | code | html
    html: Markup = _NO_HTML
    text: str = ""  # code and HTML blocks: shown verbatim, escaped by the template
    tag: str = ""  # h2…h6 for headings
    unreviewed: bool = False  # mark it (drafts only)
    lang: str = ""  # BCP 47 tag when the block is not in the leaflet's language
    dir: str = ""  # its direction, when that differs from the leaflet's
    script_class: str = ""  # its font stack's class, when its script differs from the leaflet's
    items: tuple[_Part, ...] = ()


def render_leaflet_html(leaflet: LocalizedDocument, meta: LeafletMeta, font_folder: str | None = None) -> str:
    """The leaflet as one HTML document whose only external resources are its font files.

    ``font_folder`` is the URL of the folder the font files are copied to, relative to the document (e.g.
    ``"../fonts/"``), for a leaflet read in a browser; None links the installed files with ``file:`` URLs, for
    WeasyPrint. Either way the fonts installed on the reader's system come first (see ``render.fonts``).
    """
    return environment().get_template("leaflet.html").render(leaflet_context(leaflet, meta, font_folder))


def leaflet_context(leaflet: LocalizedDocument, meta: LeafletMeta, font_folder: str | None = None) -> dict[str, Any]:
    """Template variables for ``leaflet.html`` (separate so tests and other templates can reuse them)."""
    language = leaflet.language
    rtl = locale.direction(language) == "rtl"
    title_blocks = [block for block in leaflet.blocks if block.kind == "title"]
    title_reviewed = all(block.reviewed for block in title_blocks)
    fonts = font_stack(language, meta.fonts)
    foreign_fonts = {
        stack.css_class: stack
        for stack in (font_stack(block.language, meta.fonts) for block in leaflet.blocks if block.language)
        if stack.script != fonts.script
    }
    return {
        "lang": locale.html_lang(language),
        "dir": "rtl" if rtl else "ltr",
        "start": "right" if rtl else "left",
        "end": "left" if rtl else "right",
        "fonts": fonts,
        "foreign_fonts": list(foreign_fonts.values()),
        "font_faces": font_faces_css([fonts, *foreign_fonts.values()], font_folder),
        "page_size": _page_size(meta.page_size),
        "title": plain_text(leaflet.title),
        "title_html": render_inline(leaflet.title),
        "title_unreviewed": leaflet.draft and not title_reviewed,
        "project": meta.project,
        "autonym": locale.autonym(language),
        "updated": locale.format_day(meta.updated, language),
        "updated_iso": meta.updated.isoformat(),
        "labels": label_lookup(leaflet.labels, INTERFACE_MESSAGES),
        "draft": leaflet.draft,
        "draft_notice": leaflet.draft_notice,
        "parts": _parts(leaflet),
        "disclaimer_html": render_inline(leaflet.disclaimer),
    }


def _page_size(value: str) -> str:
    for size in PAGE_SIZES:
        if value.strip().lower() == size.lower():
            return size
    raise RenderError(f"unknown page size {value!r} (use one of: {', '.join(PAGE_SIZES)})")


def _parts(leaflet: LocalizedDocument) -> list[_Part]:
    """Blocks to template parts: consecutive list items grouped into one list, the title left to the header, the
    document's own disclaimer left to the disclaimer box."""
    body = [block for block in leaflet.blocks if block.kind != "title" and not block.disclaimer]
    while body and body[-1].kind == "separator":  # the disclaimer box follows; a rule before it is noise
        body.pop()
    heading_tags = _heading_tags(body)
    parts: list[_Part] = []
    items: list[_Part] = []
    for block in body:
        marks = _marks(block, leaflet)
        if block.kind == "list_item":
            items.append(_Part("list_item", render_inline(block.text), **marks))
            continue
        if items:
            parts.append(_Part("list", items=tuple(items)))
            items = []
        if block.kind == "heading":
            parts.append(_Part("heading", render_inline(block.text), tag=heading_tags[block.level], **marks))
        elif block.kind in ("paragraph", "blockquote"):
            if block.text.strip():
                parts.append(_Part(block.kind, render_inline(block.text), **marks))
        elif block.kind in ("code", "html"):
            parts.append(_Part(block.kind, text=block.text.strip("\n"), **marks))
        elif block.kind == "separator":
            if parts and parts[-1].kind != "separator":
                parts.append(_Part("separator"))
        else:
            raise RenderError(f"unknown block kind {block.kind!r}")
    if items:
        parts.append(_Part("list", items=tuple(items)))
    return parts


def _marks(block: LocalizedBlock, leaflet: LocalizedDocument) -> dict[str, Any]:
    """Review mark (drafts only) and language/direction of a block whose text is in another language."""
    marks: dict[str, Any] = {"unreviewed": leaflet.draft and not block.reviewed}
    if block.language and locale.normalize(block.language) != locale.normalize(leaflet.language):
        marks["lang"] = locale.html_lang(block.language)
        block_dir = locale.direction(block.language)
        if block_dir != locale.direction(leaflet.language):
            marks["dir"] = block_dir
        stack = font_stack(block.language)
        if stack.script != font_stack(leaflet.language).script:
            marks["script_class"] = stack.css_class
    return marks


def _heading_tags(blocks: list[LocalizedBlock]) -> dict[int, str]:
    """Heading levels used in the document, ranked from h2 down (the title is the only h1), so none is skipped."""
    levels = sorted({block.level for block in blocks if block.kind == "heading"})
    return {level: f"h{min(rank + 2, 6)}" for rank, level in enumerate(levels)}
