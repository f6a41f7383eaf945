"""Localized .txt/.md output that keeps the source's skeleton: line breaks, markup, separators, BOM."""

from __future__ import annotations

import re

from polyleaf.document import Segment, SourceFormat, assemble
from polyleaf.localize import LocalizedDocument

#: Everything a line-based reader takes for a line break (Python's ``splitlines`` and CommonMark's included).
_LINE_BREAKS = re.compile(r"(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])+")
#: What starts a Markdown block when it begins a line: ATX heading, quote, list item, fence, HTML, table, rule.
_MARKDOWN_BLOCK = re.compile(
    r"\#{1,6}(?=[ \t]|$) | > | [-+*](?=[ \t]|$) | \d{1,9}[.)](?=[ \t]|$) | `{3} | ~{3} | <[A-Za-z!/?] | \| | =+\s*$",
    re.VERBOSE,
)
_HTML_TAG = re.compile(r"<(?=[A-Za-z!/?])")


def render_text(localized: LocalizedDocument) -> str:
    """The document in the source's own format with every segment replaced by its localized text.

    A draft's notice goes on top; the standard disclaimer is appended after a separator when the document has no
    disclaimer of its own (a document that has one shows it in place).
    """
    document = localized.source
    shown = {
        segment.source.start: neutralized(segment.text, segment.source, document.format)
        for block in localized.blocks
        for segment in block.segments
    }
    text = assemble(document, lambda segment: shown.get(segment.start))
    newline = "\r\n" if "\r\n" in document.text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    notice = localized.draft_notice if localized.draft else ""
    if notice:
        banner = f"> **{notice}**" if document.format == "md" else notice
        body = banner + newline + (newline if document.format == "md" else "") + body
    if not document.has_disclaimer():
        separator = "---" if document.format == "md" else "—"
        gap = newline if document.format == "md" else ""
        if body and not body.endswith("\n"):
            body += newline
        body += gap + separator + newline + gap + localized.disclaimer + newline
    return bom + body


def neutralized(text: str, source: Segment, fmt: SourceFormat) -> str:
    """A translation that cannot add structure its source segment does not have.

    A segment is one stretch of a line: a line break in a translation (a reviewed msgstr may hold one) would start
    a new paragraph or heading in the output, so every kind of line break becomes a space. In Markdown, a first
    segment that would start a new block (``# ``, ``> ``, ``- ``, a fence, an HTML tag…) has that marker escaped,
    and raw HTML tags the source did not have are escaped, so the file renders as text wherever it is published.
    """
    if text == source.text:
        return text
    flat = _LINE_BREAKS.sub(" ", text)
    if fmt != "md":
        return flat
    if source.index == 0 and _MARKDOWN_BLOCK.match(flat) and not _MARKDOWN_BLOCK.match(source.text):
        digits = len(flat) - len(flat.lstrip("0123456789"))
        flat = flat[:digits] + "\\" + flat[digits:]
    if not _HTML_TAG.search(source.text):
        flat = _HTML_TAG.sub("\\<", flat)
    return flat
