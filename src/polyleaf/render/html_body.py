"""The printable HTML leaflet's body: the blocks of a localized document as the parts ``leaflet.html`` lays out —
lists nested, callouts boxed, tables with their alignment, images with their captions, footnotes numbered — each
marked when unreviewed (drafts) or in another language than the page's (drafts and releases alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from polyleaf import locale
from polyleaf.errors import RenderError
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.localize import LocalizedBlock, LocalizedDocument, LocalizedSegment, labelled, spaced
from polyleaf.render.bidi import in_direction
from polyleaf.render.fonts import font_stack
from polyleaf.render.inline import InlineContext, plain_text, render_inline
from polyleaf.render.meta import LeafletMeta
from polyleaf.render.nowrap import keep_together
from polyleaf.render.templating import label_lookup
from polyleaf.source.document import INVISIBLE_KINDS, Callout, ListLevel

#: A table column's GFM alignment as the leaflet applies it: left and right follow the text direction (an Arabic
#: table mirrors an English one).
_ALIGN = {"left": "start", "center": "center", "right": "end"}
NO_HTML = Markup("")


def laid_out(fragment: Markup, language: str) -> Markup:
    """Inline HTML as it must print: quantities on one line, Latin runs in right-to-left text read left to right."""
    return in_direction(keep_together(fragment, language), language)


@dataclass(frozen=True, slots=True)
class Part:
    """One element of the leaflet body as the template sees it."""

    kind: (
        str  # heading | paragraph | text | list | item | blockquote | callout | table | image | separator | code | html
    )
    html: Markup = NO_HTML
    text: str = ""  # code and HTML blocks: shown verbatim, escaped by the template; an image's alt text
    tag: str = ""  # h2…h6 for headings, ul/ol for lists, th/td for cells, a callout's kind
    unreviewed: bool = False  # mark it (drafts only)
    untranslated: bool = False  # its text is the source's: marked in drafts and releases
    lang: str = ""  # BCP 47 tag when the block is not in the leaflet's language
    dir: str = ""  # its direction, when that differs from the leaflet's
    script_class: str = ""  # its font stack's class, when its script differs from the leaflet's
    items: tuple[Part, ...] = ()  # a list's items, an item's blocks, a footnote's or callout's blocks
    rows: tuple[tuple[Part, ...], ...] = ()  # a table's rows of cells; row 0 is the header
    align: str = ""  # a table cell's alignment
    start: int | None = None  # an ordered list's first number, when not 1
    src: str = ""  # an image's path, relative to the leaflet
    caption: Markup = NO_HTML  # an image's title, shown under it
    number: int = 0  # a footnote's number


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
            images={image.src: quote(image.path) for image in meta.images},  # the file's name, as a URL
            references={label: (href, titles.get(label, title)) for label, href, title in document.references},
            footnotes=document.footnotes,
        )
        self.env = self.context.env()
        self.labels = label_lookup(leaflet.labels, INTERFACE_MESSAGES)

    def inline(self, text: str, language: str = "") -> Markup:
        """Inline HTML of ``text``, laid out for its ``language`` (default: the page's)."""
        return laid_out(render_inline(text, self.context, self.env), language or self.leaflet.language)

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
        return flag(html, segment.findings, self.labels, self.leaflet.language)

    def part(self, block: LocalizedBlock, heading_tags: dict[int, str]) -> Part | None:
        """One block as a template part (None: nothing to show)."""
        marks = block_marks(block, self.leaflet)
        if block.kind == "heading":
            return Part("heading", self.text(block), tag=heading_tags[block.level], **marks)
        if block.kind in ("paragraph", "blockquote", "list_item", "footnote"):
            if not block.text.strip():
                return None
            return Part(_text_kind(block), self.text(block), **marks)
        if block.kind in ("code", "html"):
            return Part(block.kind, text=block.text.strip("\n"), **marks)
        if block.kind == "separator":
            return Part("separator")
        if block.kind == "table":
            return self.table(block, marks)
        if block.kind == "image":
            return self.image(block, marks)
        if block.kind in INVISIBLE_KINDS or block.kind in ("front_matter", "title"):
            return None
        raise RenderError(f"unknown block kind {block.kind!r}")

    def table(self, block: LocalizedBlock, marks: dict[str, Any]) -> Part:
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
                    row.append(Part("cell", self.inline(text), tag=tag, align=align))
                    continue
                segment = block.segments[cell.segment]  # a cell is one segment: marked on the cell itself
                cell_marks = _language_marks(segment.language, self.leaflet.language) if segment.language else {}
                html = self.segment_html(segment, text, mark_language=False)
                row.append(Part("cell", html, tag=tag, align=align, **cell_marks))
            rows.append(tuple(row))
        return Part("table", rows=tuple(rows), **marks)

    def image(self, block: LocalizedBlock, marks: dict[str, Any]) -> Part:
        assert block.source is not None and block.source.image is not None
        image = block.source.image
        alt = plain_text(block.role_text("alt", image.alt))
        title = block.role_text("title", image.title)
        src = self.context.images.get(image.src, "")
        if not src:  # a remote image, or a file the build could not copy: its alt text stands in for it
            return Part("paragraph", Markup.escape(alt), **marks)
        caption = NO_HTML
        if title:
            segment = next((s for s in block.segments if block.source.role_of(s.source) == "title"), None)
            whole = bool(marks.get("untranslated"))
            caption = self.inline(title) if segment is None else self.segment_html(segment, mark_language=not whole)
        return Part("image", text=alt, src=src, caption=caption, **marks)


def _text_kind(block: LocalizedBlock) -> str:
    """A paragraph in a list is the text of its item; others are paragraphs, or quotes (a callout's paragraphs are
    paragraphs in its box)."""
    if block.kind == "blockquote" and not (block.source and block.source.callout):
        return "blockquote"
    in_list = block.source.lists if block.source is not None else block.kind == "list_item"
    return "text" if in_list else "paragraph"


def body(leaflet: LocalizedDocument, meta: LeafletMeta) -> dict[str, Any]:
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
        footnotes.append(Part("footnote", items=tuple(items), number=number))
    return {"parts": parts, "footnotes": footnotes}


def _after_text(parts: list[Part], number: int) -> bool:
    """A separator is shown only after something other than a separator."""
    return number > 0 and parts[number - 1].kind != "separator"


def _nest(entries: list[tuple[LocalizedBlock, Part | None]], depth: int, callout: Callout | None = None) -> list[Part]:
    """Parts in order, the blocks of lists (at ``depth`` and deeper) gathered into list and item parts: separate
    lists stay separate, an ordered list keeps its first number; the blocks of a callout (other than ``callout``,
    the one being laid out) are gathered into its box."""
    levels = [_levels(block, number) for number, (block, _part) in enumerate(entries)]
    parts: list[Part] = []
    position = 0
    while position < len(entries):
        inner = _callout_of(entries[position][0])
        if inner is not None and inner != callout and len(levels[position]) <= depth:
            end = position
            while end < len(entries) and _callout_of(entries[end][0]) == inner:
                end += 1
            boxed = _nest(entries[position:end], depth, inner)
            parts += [Part("callout", tag=inner.kind, items=tuple(boxed))] if boxed else []
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
        items: list[Part] = []
        first = position
        while first < end:
            last = first
            while last < end and levels[last][depth].item == levels[first][depth].item:
                last += 1
            items.append(_item(_nest(entries[first:last], depth + 1, callout)))
            first = last
        start = level.start if level.ordered and level.start != 1 else None
        parts.append(Part("list", tag="ol" if level.ordered else "ul", items=tuple(items), start=start))
        position = end
    return parts


def _callout_of(block: LocalizedBlock) -> Callout | None:
    return block.source.callout if block.source is not None else None


def _levels(block: LocalizedBlock, number: int) -> tuple[ListLevel, ...]:
    """The lists a block is in; a list item without a source block (built by hand) is an item of one list."""
    if block.source is not None:
        return block.source.lists
    return (ListLevel(list=-1, ordered=False, item=number),) if block.kind == "list_item" else ()


def _item(children: list[Part]) -> Part:
    """A list item; its first text is the item's own text, and the item carries that text's marks."""
    if not children or children[0].kind != "text":
        return Part("item", items=tuple(children))
    first = children[0]
    if first.untranslated:  # the item's own text only: a nested list in it may be translated
        classes = " ".join(("untranslated", *([first.script_class] if first.script_class else [])))
        html = Markup('<span class="{}"{}>{}</span>').format(classes, _span_language(first), first.html)
        children = [Part(first.kind, html), *children[1:]]
        return Part("item", items=tuple(children), unreviewed=first.unreviewed)
    return Part(
        "item",
        items=tuple(children),
        unreviewed=first.unreviewed,
        lang=first.lang,
        dir=first.dir,
        script_class=first.script_class,
    )


def _span_language(part: Part) -> Markup:
    """`` lang`` and `` dir`` attributes of ``part``'s language, for a span around its text."""
    attributes = Markup(' lang="{}"').format(part.lang) if part.lang else Markup("")
    return attributes + (Markup(' dir="{}"').format(part.dir) if part.dir else Markup(""))


def flag(html: Markup, findings: tuple[str, ...], labels: dict[str, str], language: str) -> Markup:
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


def front_matter_title_marks(leaflet: LocalizedDocument) -> dict[str, Any]:
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


def block_marks(block: LocalizedBlock, leaflet: LocalizedDocument) -> dict[str, Any]:
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
