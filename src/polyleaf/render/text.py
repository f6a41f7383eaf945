"""Localized .txt/.md output that keeps the source's skeleton: line breaks, markup, separators, BOM."""

from __future__ import annotations

from polyleaf.document import assemble
from polyleaf.localize import LocalizedDocument


def render_text(localized: LocalizedDocument) -> str:
    """The document in the source's own format with every segment replaced by its localized text.

    A draft's notice goes on top; the standard disclaimer is appended after a separator when the document has no
    disclaimer of its own (a document that has one shows it in place).
    """
    document = localized.source
    shown = {segment.source.start: segment.text for block in localized.blocks for segment in block.segments}
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
