"""Localized .txt/.md output that keeps the source's skeleton: line breaks, markup, separators, BOM."""

from __future__ import annotations

from collections.abc import Callable

from polyleaf.document import Document, Segment, assemble


def render_text(
    document: Document,
    translate: Callable[[Segment], str | None],
    *,
    disclaimer: str | None,
    notice: str | None,
) -> str:
    """The document in the source's own format with every segment replaced by ``translate(segment)``.

    ``notice`` (a draft's banner) goes on top; ``disclaimer`` is appended after a separator when the document
    has no disclaimer of its own (a document that has one gets it translated in place by ``translate``).
    """
    text = assemble(document, translate)
    newline = "\r\n" if "\r\n" in document.text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    if notice:
        banner = f"> **{notice}**" if document.format == "md" else notice
        body = banner + newline + (newline if document.format == "md" else "") + body
    if disclaimer is not None:
        separator = "---" if document.format == "md" else "—"
        gap = newline if document.format == "md" else ""
        if body and not body.endswith("\n"):
            body += newline
        body += gap + separator + newline + gap + disclaimer + newline
    return bom + body
