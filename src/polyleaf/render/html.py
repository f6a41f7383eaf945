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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from polyleaf import locale
from polyleaf.config import LARGE_PRINT, PAGE_SIZES
from polyleaf.errors import RenderError
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.localize import LocalizedBlock, LocalizedDocument, LocalizedSegment, labelled, spaced
from polyleaf.render.bidi import first_strong, in_direction
from polyleaf.render.credits import credit_lines
from polyleaf.render.fonts import WebFonts, font_faces_css, font_stack
from polyleaf.render.inline import InlineContext, plain_text, render_inline
from polyleaf.render.meta import LeafletMeta, PageLinks
from polyleaf.render.nowrap import keep_together
from polyleaf.render.qr import qr_svg
from polyleaf.render.templating import environment, label_lookup
from polyleaf.source.document import INVISIBLE_KINDS, Callout, ListLevel

#: Page margins (top, end, bottom, start… as CSS writes them): A5 is half of A4, and 25 mm sides would leave a
#: column of a few words.
_MARGINS = {"A5": "16mm 15mm 15mm 15mm"}
_DEFAULT_MARGINS = "24mm 25mm 22mm 25mm"
#: The large-print edition's body size: at least 16 pt in every script (RNIB and APH guidance for large print).
LARGE_PRINT_PT = 16.0
#: A table column's GFM alignment as the leaflet applies it: left and right follow the text direction (an Arabic
#: table mirrors an English one).
_ALIGN = {"left": "start", "center": "center", "right": "end"}
_NO_HTML = Markup("")


@dataclass(frozen=True, slots=True)
class _Part:
    """One element of the leaflet body as the template sees it."""

    kind: (
        str  # heading | paragraph | text | list | item | blockquote | callout | table | image | separator | code | html
    )
    html: Markup = _NO_HTML
    text: str = ""  # code and HTML blocks: shown verbatim, escaped by the template; an image's alt text
    tag: str = ""  # h2…h6 for headings, ul/ol for lists, th/td for cells, a callout's kind
    unreviewed: bool = False  # mark it (drafts only)
    untranslated: bool = False  # its text is the source's: marked in drafts and releases
    lang: str = ""  # BCP 47 tag when the block is not in the leaflet's language
    dir: str = ""  # its direction, when that differs from the leaflet's
    script_class: str = ""  # its font stack's class, when its script differs from the leaflet's
    items: tuple[_Part, ...] = ()  # a list's items, an item's blocks, a footnote's or callout's blocks
    rows: tuple[tuple[_Part, ...], ...] = ()  # a table's rows of cells; row 0 is the header
    align: str = ""  # a table cell's alignment
    start: int | None = None  # an ordered list's first number, when not 1
    src: str = ""  # an image's path, relative to the leaflet
    caption: Markup = _NO_HTML  # an image's title, shown under it
    number: int = 0  # a footnote's number


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
    title_blocks = [block for block in leaflet.blocks if block.kind == "title"]
    title_reviewed = all(block.reviewed for block in title_blocks)
    title_marks = _marks(title_blocks[0], leaflet) if title_blocks else _front_matter_title_marks(leaflet)
    title_findings = tuple(f for block in title_blocks for segment in block.segments for f in segment.findings)
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
        "title": plain_text(leaflet.title),
        "title_html": _flag(_laid_out(render_inline(leaflet.title), language), title_findings, labels, language),
        "title_unreviewed": leaflet.draft and not title_reviewed,
        "title_lang": title_marks.get("lang", ""),
        "title_dir": title_marks.get("dir", ""),
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
        **_body(leaflet, meta),
        "disclaimer_html": _flag(
            _laid_out(_disclaimer_html(leaflet), language), leaflet.disclaimer_findings, labels, language
        ),
        # the disclaimer not translated yet reads in the source's direction
        "disclaimer_dir": _other_direction(plain_text(leaflet.disclaimer), rtl),
    }


def _laid_out(fragment: Markup, language: str) -> Markup:
    """Inline HTML as it must print: quantities on one line, Latin runs in right-to-left text read left to right."""
    return in_direction(keep_together(fragment, language), language)


def _other_direction(text: str, rtl: bool) -> str:
    """``text``'s direction when it is not the page's (its first strong character), else ""."""
    page = "rtl" if rtl else "ltr"
    found = first_strong(text, page)
    return found if found != page else ""


def _disclaimer_html(leaflet: LocalizedDocument) -> Markup:
    """The standard disclaimer, each sentence rendered on its own (``_Page.sentences``)."""
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
        "qr": qr_svg(meta.web_url) if on_paper else _NO_HTML,
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


class _Page:
    """Turns the blocks of one leaflet into template parts; one markdown-it environment for the whole page, so
    footnote references are numbered and anchored once."""

    def __init__(self, leaflet: LocalizedDocument, meta: LeafletMeta) -> None:
        self.leaflet = leaflet
        document = leaflet.source
        titles = {
            block.source.label: block.role_text("title")
            for block in leaflet.blocks
            if block.kind == "link_definition" and block.source is not None
        }
        self.context = InlineContext(
            images={image.src: image.path for image in meta.images},
            references={label: (href, titles.get(label, title)) for label, href, title in document.references},
            footnotes=document.footnotes,
        )
        self.env = self.context.env()
        self.labels = label_lookup(leaflet.labels, INTERFACE_MESSAGES)

    def inline(self, text: str, language: str = "") -> Markup:
        """Inline HTML of ``text``, laid out for its ``language`` (default: the page's)."""
        return _laid_out(render_inline(text, self.context, self.env), language or self.leaflet.language)

    def text(self, block: LocalizedBlock) -> Markup:
        """A block's text; in a block that mixes languages (a sentence left in the source language), each such
        sentence is a span with its own ``lang`` (and ``dir``), marked visibly as untranslated; a draft's sentence
        whose reviewed text fails QA is flagged."""
        shown = [segment for segment in block.segments if segment.text]
        if not shown:
            return self.inline(block.text, block.language)
        mixed = any(s.language for s in shown) and not all(s.language for s in shown)
        return self.sentences(block.segments, mark_foreign=mixed)

    def sentences(self, segments: Sequence[LocalizedSegment], *, mark_foreign: bool = False) -> Markup:
        """Sentences side by side, each rendered on its own: a sentence's markup is its own, never paired with a
        neighbour's (``**…。**`` and ``**…**`` with no space between, ``[a`` and ``](url)``)."""
        parts: list[Markup] = []
        for gap, segment in spaced(segments, self.leaflet.language):
            parts.append(Markup(gap) + self.segment_html(segment, mark_language=mark_foreign))
        return Markup("").join(parts)

    def segment_html(self, segment: LocalizedSegment, text: str | None = None, *, mark_language: bool = True) -> Markup:
        """One segment's ``text`` (by default its own): a span marked as untranslated when it is in another
        language (unless its whole block is marked), flagged when its reviewed text fails QA (drafts)."""
        html = self.inline(segment.text if text is None else text, segment.language)
        if segment.language and mark_language:
            html = Markup('<span class="untranslated"{}>{}</span>').format(
                Markup(_language_attributes(segment.language, self.leaflet.language)), html
            )
        return _flag(html, segment.findings, self.labels, self.leaflet.language)

    def part(self, block: LocalizedBlock, heading_tags: dict[int, str]) -> _Part | None:
        """One block as a template part (None: nothing to show)."""
        marks = _marks(block, self.leaflet)
        if block.kind == "heading":
            return _Part("heading", self.text(block), tag=heading_tags[block.level], **marks)
        if block.kind in ("paragraph", "blockquote", "list_item", "footnote"):
            if not block.text.strip():
                return None
            return _Part(_text_kind(block), self.text(block), **marks)
        if block.kind in ("code", "html"):
            return _Part(block.kind, text=block.text.strip("\n"), **marks)
        if block.kind == "separator":
            return _Part("separator")
        if block.kind == "table":
            return self.table(block, marks)
        if block.kind == "image":
            return self.image(block, marks)
        if block.kind in INVISIBLE_KINDS or block.kind in ("front_matter", "title"):
            return None
        raise RenderError(f"unknown block kind {block.kind!r}")

    def table(self, block: LocalizedBlock, marks: dict[str, Any]) -> _Part:
        assert block.source is not None and block.source.table is not None
        table = block.source.table
        rows = []
        for number, cells in enumerate(table.rows):
            row = []
            for column, cell in enumerate(cells):
                text = block.segment_text(cell.segment, cell.text).replace("\\|", "|")
                align = _ALIGN.get(table.align[column] if column < len(table.align) else "", "")
                tag = "th" if number == 0 else "td"
                if not 0 <= cell.segment < len(block.segments):
                    row.append(_Part("cell", self.inline(text), tag=tag, align=align))
                    continue
                segment = block.segments[cell.segment]  # a cell is one segment: marked on the cell itself
                marks = _language_marks(segment.language, self.leaflet.language) if segment.language else {}
                html = self.segment_html(segment, text, mark_language=False)
                row.append(_Part("cell", html, tag=tag, align=align, **marks))
            rows.append(tuple(row))
        return _Part("table", rows=tuple(rows), **marks)

    def image(self, block: LocalizedBlock, marks: dict[str, Any]) -> _Part:
        assert block.source is not None and block.source.image is not None
        image = block.source.image
        alt = plain_text(block.role_text("alt", image.alt))
        title = block.role_text("title", image.title)
        src = self.context.images.get(image.src, "")
        if not src:  # a remote image, or a file the build could not copy: its alt text stands in for it
            return _Part("paragraph", Markup.escape(alt), **marks)
        caption = _NO_HTML
        if title:
            segment = next((s for s in block.segments if block.source.role_of(s.source) == "title"), None)
            whole = bool(marks.get("untranslated"))
            caption = self.inline(title) if segment is None else self.segment_html(segment, mark_language=not whole)
        return _Part("image", text=alt, src=src, caption=caption, **marks)


def _text_kind(block: LocalizedBlock) -> str:
    """A paragraph in a list is the text of its item; others are paragraphs, or quotes (a callout's paragraphs are
    paragraphs in its box)."""
    if block.kind == "blockquote" and not (block.source and block.source.callout):
        return "blockquote"
    in_list = block.source.lists if block.source is not None else block.kind == "list_item"
    return "text" if in_list else "paragraph"


def _body(leaflet: LocalizedDocument, meta: LeafletMeta) -> dict[str, Any]:
    """The template's ``parts`` (the body: lists nested, the title left to the header, the document's own
    disclaimer left to the disclaimer box) and ``footnotes`` (numbered, in the order they are referenced)."""
    page = _Page(leaflet, meta)
    shown = [block for block in leaflet.blocks if block.kind != "title" and not block.disclaimer]
    body = [block for block in shown if not (block.source and block.source.footnote)]
    while body and body[-1].kind in ("separator", *INVISIBLE_KINDS):  # the disclaimer box follows: no rule
        body.pop()
    heading_tags = _heading_tags(shown)
    parts = _nest([(block, page.part(block, heading_tags)) for block in body], 0)
    parts = [part for number, part in enumerate(parts) if part.kind != "separator" or _after_text(parts, number)]
    footnotes = []
    for number, label in enumerate(leaflet.source.footnotes, start=1):
        members = [block for block in shown if block.source and block.source.footnote == label]
        items = _nest([(block, page.part(block, heading_tags)) for block in members], 0)
        footnotes.append(_Part("footnote", items=tuple(items), number=number))
    return {"parts": parts, "footnotes": footnotes}


def _after_text(parts: list[_Part], number: int) -> bool:
    """A separator is shown only after something other than a separator."""
    return number > 0 and parts[number - 1].kind != "separator"


def _nest(
    entries: list[tuple[LocalizedBlock, _Part | None]], depth: int, callout: Callout | None = None
) -> list[_Part]:
    """Parts in order, the blocks of lists (at ``depth`` and deeper) gathered into list and item parts: separate
    lists stay separate, an ordered list keeps its first number; the blocks of a callout (other than ``callout``,
    the one being laid out) are gathered into its box."""
    levels = [_levels(block, number) for number, (block, _part) in enumerate(entries)]
    parts: list[_Part] = []
    position = 0
    while position < len(entries):
        inner = _callout_of(entries[position][0])
        if inner is not None and inner != callout and len(levels[position]) <= depth:
            end = position
            while end < len(entries) and _callout_of(entries[end][0]) == inner:
                end += 1
            boxed = _nest(entries[position:end], depth, inner)
            parts += [_Part("callout", tag=inner.kind, items=tuple(boxed))] if boxed else []
            position = end
            continue
        if len(levels[position]) <= depth:
            part = entries[position][1]
            if part is not None:
                parts.append(part)
            position += 1
            continue
        level = levels[position][depth]
        end = position
        while end < len(entries) and len(levels[end]) > depth and levels[end][depth].list == level.list:
            end += 1
        items: list[_Part] = []
        first = position
        while first < end:
            last = first
            while last < end and levels[last][depth].item == levels[first][depth].item:
                last += 1
            items.append(_item(_nest(entries[first:last], depth + 1, callout)))
            first = last
        start = level.start if level.ordered and level.start != 1 else None
        parts.append(_Part("list", tag="ol" if level.ordered else "ul", items=tuple(items), start=start))
        position = end
    return parts


def _callout_of(block: LocalizedBlock) -> Callout | None:
    return block.source.callout if block.source is not None else None


def _levels(block: LocalizedBlock, number: int) -> tuple[ListLevel, ...]:
    """The lists a block is in; a list item without a source block (built by hand) is an item of one list."""
    if block.source is not None:
        return block.source.lists
    return (ListLevel(list=-1, ordered=False, item=number),) if block.kind == "list_item" else ()


def _item(children: list[_Part]) -> _Part:
    """A list item; its first text is the item's own text, and the item carries that text's marks."""
    if not children or children[0].kind != "text":
        return _Part("item", items=tuple(children))
    first = children[0]
    if first.untranslated:  # the item's own text only: a nested list in it may be translated
        classes = " ".join(("untranslated", *([first.script_class] if first.script_class else [])))
        html = Markup('<span class="{}"{}>{}</span>').format(classes, _span_language(first), first.html)
        children = [_Part(first.kind, html), *children[1:]]
        return _Part("item", items=tuple(children), unreviewed=first.unreviewed)
    return _Part(
        "item",
        items=tuple(children),
        unreviewed=first.unreviewed,
        lang=first.lang,
        dir=first.dir,
        script_class=first.script_class,
    )


def _span_language(part: _Part) -> Markup:
    """`` lang`` and `` dir`` attributes of ``part``'s language, for a span around its text."""
    attributes = Markup(' lang="{}"').format(part.lang) if part.lang else Markup("")
    return attributes + (Markup(' dir="{}"').format(part.dir) if part.dir else Markup(""))


def _flag(html: Markup, findings: tuple[str, ...], labels: dict[str, str], language: str) -> Markup:
    """A draft's text whose reviewed translation fails QA: highlighted, followed by the findings (in English, as
    QA writes them) after the label in the page's language (with its colon)."""
    if not findings:
        return html
    label = labels["qa_error"]
    colon = labelled(label, "", "en" if label == INTERFACE_MESSAGES["qa_error"] else language).rstrip()
    return Markup(
        '<mark class="qa-flag">{}</mark> <span class="qa-finding" role="note"><span class="qa-label">{}</span> '
        '<span lang="en" dir="ltr">{}</span></span>'
    ).format(html, colon, f"\u2068{printable_findings(findings)}\u2069")  # an isolate: in order on an RTL page


def printable_findings(findings: Sequence[str]) -> str:
    """QA findings as a page prints them: their arrow ("2.5 mg → 25 mg") as ``->``, which every bundled font has
    (no Latin one has U+2192: on a machine without system fonts it would print as an empty box)."""
    return "; ".join(findings).replace("\u2192", "->")


def _front_matter_title_marks(leaflet: LocalizedDocument) -> dict[str, Any]:
    """The marks of a title taken from the front matter (a document without a ``#`` title), when it is untranslated."""
    for block in leaflet.blocks:
        if block.kind == "front_matter" and block.source is not None:
            for segment in block.segments:
                if block.source.role_of(segment.source) == "title" and segment.language:
                    return _language_marks(segment.language, leaflet.language)
    return {}


def _language_marks(language: str, page_language: str) -> dict[str, Any]:
    """``lang`` and ``dir`` of a cell or title in another language than the page's, marked as untranslated."""
    if locale.normalize(language) == locale.normalize(page_language):
        return {}
    marks: dict[str, Any] = {"untranslated": True, "lang": locale.html_lang(language)}
    if locale.direction(language) != locale.direction(page_language):
        marks["dir"] = locale.direction(language)
    return marks


def _language_attributes(language: str, page_language: str) -> str:
    """`` lang="en"`` (and `` dir="ltr"`` when the page runs the other way) for text in ``language``."""
    attributes = f' lang="{locale.html_lang(language)}"'
    if locale.direction(language) != locale.direction(page_language):
        attributes += f' dir="{locale.direction(language)}"'
    return attributes


def _marks(block: LocalizedBlock, leaflet: LocalizedDocument) -> dict[str, Any]:
    """Review mark (drafts only) and language/direction of a block whose text is in another language (marked as
    untranslated, in drafts and releases alike)."""
    marks: dict[str, Any] = {"unreviewed": leaflet.draft and not block.reviewed}
    if block.language and locale.normalize(block.language) != locale.normalize(leaflet.language):
        marks["untranslated"] = True
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
