"""Localized .txt/.md output that keeps the source's skeleton: line breaks, markup, separators, BOM."""

from __future__ import annotations

import re

from polyleaf.document import Document, Segment, SourceFormat, assemble
from polyleaf.inline_structure import for_plain_text
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.localize import LocalizedDocument, LocalizedSegment, sentence_gap
from polyleaf.parse.frontmatter import yaml_value
from polyleaf.structure import LINE_BREAKS, block_start

#: A raw HTML tag; autolinks to web and mail addresses (``<https://…>``, ``<name@host>``) are links, not tags.
_HTML_TAG = re.compile(r"<(?=[A-Za-z!/?])(?!(?:https?://|mailto:)[^<>\s]*>|[^<>\s@]+@[^<>\s@]+>)")
_ODD_BACKSLASHES_AT_END = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_UNESCAPED = {char: re.compile(rf"(?<!\\){re.escape(char)}") for char in "|[]\"')"}
#: Blocks whose segments are sentences of running text (not table cells, alt and title texts…).
_SENTENCE_KINDS = frozenset({"paragraph", "list_item", "blockquote", "footnote"})
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))+")
#: What a backslash keeps from being Markdown in a line of plain words polyleaf adds (a banner, a QA finding).
_MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_\[\]<>|~&])")


def render_text(localized: LocalizedDocument) -> str:
    """The document in the source's own format with every segment replaced by its localized text.

    A draft says so in its first and last lines (the first after a Markdown file's front matter), with its notice,
    and flags each reviewed segment that fails QA; the standard disclaimer is appended after a separator when the
    document has no disclaimer of its own (a document that has one shows it in place). HTML comments are left out:
    reviewers' notes in a source are not for the people a leaflet is handed to.
    """
    document = localized.source
    shown = {
        segment.source.start: in_place(_flagged(segment, localized), document, segment.source)
        for block in localized.blocks
        for segment in block.segments
        if segment.text != segment.source.text or segment.findings
    }

    localized_segments = {segment.source.start: segment for block in localized.blocks for segment in block.segments}

    def between(left: Segment, right: Segment, skeleton: str) -> str:
        """Sentences of one line are spaced by their languages: none between two Chinese sentences."""
        if skeleton.strip(" \t") or not skeleton or document.blocks[left.block].kind not in _SENTENCE_KINDS:
            return skeleton
        pair = (localized_segments.get(left.start), localized_segments.get(right.start))
        if pair[0] is None or pair[1] is None:
            return skeleton
        return sentence_gap(pair[0], pair[1], localized.language) or ""

    def part(start: int, end: int | None = None) -> str:
        return assemble(
            document,
            lambda segment: shown.get(segment.start),
            keep_comments=False,
            start=start,
            end=end,
            between=between,
        )

    split = _after_front_matter(document)
    head, body = part(0, split), part(split)
    bom = "\ufeff" if head.startswith("\ufeff") or (not head and body.startswith("\ufeff")) else ""
    if not head:
        body = body[len(bom) :]
    newline = "\r\n" if "\r\n" in document.text else "\n"
    markdown = document.format == "md"
    gap = newline if markdown else ""
    if localized.draft:
        body = newline.join(_draft_lines(localized, markdown)) + newline + gap + body
    if not document.has_disclaimer():
        separator = "---" if markdown else "—"
        if body and not body.endswith("\n"):
            body += newline
        disclaimer = neutralized(localized.disclaimer, "", document.format, starts_line=True)
        if localized.disclaimer_findings:
            disclaimer += " " + _finding_text(localized, localized.disclaimer_findings, markdown)
        body += gap + separator + newline + gap + disclaimer + newline
    if localized.draft:  # the last line says it too: a page torn off the end of a printout
        if body and not body.endswith("\n"):
            body += newline
        body += gap + _draft_lines(localized, markdown)[0] + newline
    return (head or bom) + body


def _draft_lines(localized: LocalizedDocument, markdown: bool) -> list[str]:
    """A draft's banner ("DRAFT — not for patients", translated and in English) and its notice (how many segments
    are not reviewed, how many fail QA), as plain lines or a Markdown block quote whose words are never markup."""
    if not markdown:  # a translated label is one line, whatever its msgstr holds
        banner, notice = (LINE_BREAKS.sub(" ", text) for text in (localized.draft_banner, localized.draft_notice))
        return [f"*** {banner} ***", *([notice] if notice else [])]
    lines = [f"> **{markdown_literal(localized.draft_banner)}**"]
    if localized.draft_notice:
        lines += [">", f"> {markdown_literal(localized.draft_notice)}"]
    return lines


def _flagged(segment: LocalizedSegment, localized: LocalizedDocument) -> str:
    """A segment's text, followed in a draft by its QA errors when its reviewed translation fails QA."""
    if not segment.findings:
        return segment.text
    return f"{segment.text} {_finding_text(localized, segment.findings, localized.source.format == 'md')}"


def _finding_text(localized: LocalizedDocument, findings: tuple[str, ...], markdown: bool) -> str:
    """``[QA error: [numbers] 2.5 mg → 25 mg: a number differs]`` (the label in the page's language where
    reviewed), escaped so that Markdown shows it as written."""
    label = dict(localized.labels).get("qa_error") or INTERFACE_MESSAGES["qa_error"]
    text = f"[{label}: {'; '.join(findings)}]"
    return markdown_literal(text) if markdown else text


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that shows exactly these characters on one line (emphasis, links, HTML and code
    delimiters escaped; line breaks become spaces)."""
    return _MARKDOWN_SIGNIFICANT.sub(r"\\\1", LINE_BREAKS.sub(" ", text))


def _after_front_matter(document: Document) -> int:
    """Where the text after a Markdown file's front matter (and the blank lines after it) starts; 0 without one."""
    front = next((block for block in document.blocks if block.kind == "front_matter"), None)
    if front is None:
        return 0
    match = _BLANK_LINES.match(document.text, front.end)
    return match.end() if match else front.end


def in_place(translation: str, document: Document, segment: Segment) -> str:
    """A segment's translation as it may stand in its place (see ``neutralized``), escaped for where it stands in
    Markdown: a table cell (``|``), an image's alt (brackets), a title in quotes (its quote), a front-matter value
    (YAML)."""
    starts_line = _starts_line(document, segment)
    if document.format != "md":
        return neutralized(translation, segment.text, document.format, starts_line=starts_line)
    block = document.blocks[segment.block]
    role = block.role_of(segment)
    before = document.text[segment.start - 1 : segment.start]
    if block.kind == "front_matter":
        return yaml_value(LINE_BREAKS.sub(" ", translation), before if before in ("'", '"') else "")
    text = neutralized(translation, segment.text, document.format, starts_line=starts_line)
    if block.kind == "table":
        return _escape(text, "|")
    if block.kind == "image" and role == "alt":
        return _escape(_escape(text, "["), "]")
    if role == "title":
        return _escape(text, {"(": ")"}.get(before, before))
    return text


def _escape(text: str, char: str) -> str:
    """``text`` with every ``char`` not already escaped given a backslash."""
    pattern = _UNESCAPED.get(char)
    return pattern.sub(lambda match: "\\" + match.group(), text) if pattern is not None else text


def neutralized(text: str, source: str, fmt: SourceFormat, *, starts_line: bool) -> str:
    """A translation that cannot add structure its source segment does not have.

    A segment is one stretch of a line: a line break (CR or LF) in a translation (a reviewed msgstr may hold one)
    would start a new paragraph or heading in the output, so it becomes a space. Plain text shows inline markup as
    the translator wrote it (``inline_structure.for_plain_text``). In Markdown, the spaces around it
    go (indentation makes a code block, two trailing spaces a line break, as does a trailing backslash, which is
    doubled); a segment that ``starts_line`` and would start a block of its own (``# ``, ``> ``, ``- ``, ``1. ``,
    a fence, an HTML tag, ``---``, ``[x]: …``: ``structure.block_start``) has that marker escaped; and raw HTML
    tags the source did not have are escaped (autolinks to web and mail addresses stay links), so the file renders
    as text wherever it is published.
    """
    if text == source:
        return text
    flat = LINE_BREAKS.sub(" ", text)
    if fmt != "md":
        return for_plain_text(flat)
    flat = flat.strip(" \t")
    if _ODD_BACKSLASHES_AT_END.search(flat):
        flat += "\\"
    if starts_line:
        kind = block_start(flat)
        if kind and kind != block_start(source):
            digits = len(flat) - len(flat.lstrip("0123456789"))
            flat = flat[:digits] + "\\" + flat[digits:]
    if not _HTML_TAG.search(source):
        flat = _HTML_TAG.sub("\\<", flat)
    return flat


def _starts_line(document: Document, segment: Segment) -> bool:
    """Whether a segment begins a line of its block's content: the first one, or one its source begins on a new
    line (a paragraph wrapped in the source)."""
    if segment.index == 0:
        return True
    previous = document.blocks[segment.block].segments[segment.index - 1]
    return LINE_BREAKS.search(document.text, previous.end, segment.start) is not None
