"""Localized .txt/.md output that keeps the source's skeleton: line breaks, markup, separators, BOM."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise

from polyleaf.labels import INTERFACE_MESSAGES, UNTRANSLATED_TEXT_LABEL, callout_label
from polyleaf.localize import LocalizedBlock, LocalizedDocument, LocalizedSegment, labelled, sentence_gap, spaced
from polyleaf.render.credits import credit_lines
from polyleaf.render.meta import LeafletMeta
from polyleaf.source.document import Document, Segment, SourceFormat, assemble, without_comments
from polyleaf.source.inline_confined import confined, escaped
from polyleaf.source.inline_structure import for_plain_text, shape
from polyleaf.source.segment import code_spans
from polyleaf.source.structure import AUTOLINK, LINE_BREAKS, block_start

#: What may start raw HTML; autolinks (``<https://…>``, ``<name@host>``) are links, not tags.
_HTML_START = re.compile(rf"(?!{AUTOLINK})<[A-Za-z!/?]")
_ODD_BACKSLASHES_AT_END = re.compile(r"(?<!\\)(?:\\\\)*\\$")
#: An ATX heading's closing sequence, which a renderer drops (``## Pulse la tecla #``).
_CLOSING_HASHES = re.compile(r"(?:^|(?<=[ \t]))#+[ \t]*$")
#: Blocks whose segments are sentences of running text (not table cells, alt and title texts…).
_SENTENCE_KINDS = frozenset({"paragraph", "list_item", "blockquote", "footnote"})
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))+")
#: What a backslash keeps from being Markdown in a line of plain words polyleaf adds (a banner, a QA finding).
_MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_\[\]<>|~&])")
#: What a plain scalar may not contain or start with (else the value is written double-quoted).
_UNSAFE_PLAIN = re.compile(r"""^[\s"'#&*!|>%@`{}\[\],?:-]|: |:$| #|\s$""")
#: A task list item's box (``- [ ] Stretch``), which stays before the brackets that mark the item untranslated.
_TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")


def render_text(localized: LocalizedDocument, meta: LeafletMeta | None = None) -> str:
    """The document in the source's own format with every segment replaced by its localized text.

    A draft says so in its first and last lines (the first after a Markdown file's front matter), with its notice,
    and flags each reviewed segment that fails QA; a passage shown in the source language (a draft, a release below
    a 100 % threshold) is between ``[[`` and ``]]``, which a note at the top explains; the standard disclaimer is
    appended after a separator when the document has no disclaimer of its own (a document that has one shows it in
    place). HTML comments are left out: reviewers' notes in a source are not for the people a leaflet is handed to.
    With ``meta``, the credits and the clinic's contact block end the leaflet, as they do on paper.
    """
    head, body = _assembled(localized)
    bom = "\ufeff" if head.startswith("\ufeff") or (not head and body.startswith("\ufeff")) else ""
    if not head:
        body = body[len(bom) :]
    return (head or bom) + _framed(localized, body, meta)


def _assembled(localized: LocalizedDocument) -> tuple[str, str]:
    """The source's front matter and the rest of it, each with its segments replaced by their localized text,
    sentences spaced by their languages and a callout's label in the leaflet's language."""
    document = localized.source
    shown = {
        segment.source.start: _shown(segment, block, localized)
        for block in localized.blocks
        for segment in block.segments
        if segment.text != segment.source.text or segment.findings or _untranslated(segment, block)
    }
    localized_segments = {segment.source.start: segment for block in localized.blocks for segment in block.segments}

    def spacing(left: Segment, right: Segment, skeleton: str) -> str:
        """Sentences of one line are spaced by their languages: none between two Chinese sentences."""
        if skeleton.strip(" \t") or not skeleton or document.blocks[left.block].kind not in _SENTENCE_KINDS:
            return skeleton
        pair = (localized_segments.get(left.start), localized_segments.get(right.start))
        if pair[0] is None or pair[1] is None:
            return skeleton
        return sentence_gap(pair[0], pair[1], localized.language) or ""

    gaps = _confined_sentences(localized, shown, spacing) if document.format == "md" else {}

    def between(left: Segment, right: Segment, skeleton: str) -> str:
        return gaps.get(right.start, spacing(left, right, skeleton))

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
    return part(0, split), _with_callout_labels(localized, part, split)


def _framed(localized: LocalizedDocument, body: str, meta: LeafletMeta | None) -> str:
    """``body`` with what a leaflet adds around it: the draft's first and last lines, the note on untranslated
    passages, the standard disclaimer, the credits and the clinic's contact block."""
    document = localized.source
    newline = "\r\n" if "\r\n" in document.text else "\n"
    markdown = document.format == "md"
    gap = newline if markdown else ""
    if localized.untranslated:
        note = dict(localized.labels)[UNTRANSLATED_TEXT_LABEL]
        body = (markdown_literal(note) if markdown else LINE_BREAKS.sub(" ", note)) + newline + gap + body
    if localized.draft:
        body = newline.join(_draft_lines(localized, markdown)) + newline + gap + body
    if not document.has_disclaimer():
        separator = "---" if markdown else "—"
        if body and not body.endswith("\n"):
            body += newline
        disclaimer = _disclaimer(localized)
        if localized.disclaimer_findings:
            disclaimer += " " + _finding_text(localized, localized.disclaimer_findings, markdown)
        body += gap + separator + newline + gap + disclaimer + newline
    end_lines = clinic_lines(localized, meta) if meta is not None else []
    if end_lines:  # who stands behind the leaflet, and the clinic's contact block
        if body and not body.endswith("\n"):
            body += newline
        written = [markdown_literal(line) if markdown else LINE_BREAKS.sub(" ", line) for line in end_lines]
        body += gap + (newline + gap).join(written) + newline
    if localized.draft:  # the last line says it too: a page torn off the end of a printout
        if body and not body.endswith("\n"):
            body += newline
        body += gap + _draft_lines(localized, markdown)[0] + newline
    return body


def clinic_lines(localized: LocalizedDocument, meta: LeafletMeta) -> list[str]:
    """The lines that end a text leaflet: its credits (``Written by: …``; sources and changes a line each, as a
    list), then the clinic's name and contact lines."""
    labels = {**INTERFACE_MESSAGES, **dict(localized.labels)}
    lines = []
    for credit in credit_lines(meta, labels, localized.language):
        language = "en" if credit.english else localized.language
        if credit.several:
            lines += [labelled(credit.label, "", language).rstrip(), *(f"- {value}" for value in credit.values)]
        else:
            lines.append(labelled(credit.label, credit.values[0], language))
    if meta.contact:
        lines += [meta.project] if meta.project else []
        lines += meta.contact.splitlines()
    return lines


def _with_callout_labels(localized: LocalizedDocument, part: Callable[[int, int | None], str], start: int) -> str:
    """The text from ``start`` on; a .txt callout's marker (``[!WARNING]``) becomes its label in the page's language
    (``ADVERTENCIA: …``). A Markdown leaflet keeps GitHub's syntax, which its readers render."""
    document = localized.source
    if document.format != "txt":
        return part(start, None)
    labels = dict(localized.labels)
    pieces: list[str] = []
    position = start
    for block in document.blocks:
        if block.callout is None or not block.segments or block.start < position:
            continue
        key = callout_label(block.callout.kind)
        label = labels.get(key) or INTERFACE_MESSAGES[key]
        language = localized.language if label != INTERFACE_MESSAGES[key] else "en"
        pieces += [part(position, block.start), labelled(label.upper(), "", language)]
        position = block.segments[0].start
    return "".join(pieces) + part(position, None)


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


def _untranslated(segment: LocalizedSegment, block: LocalizedBlock) -> bool:
    """Whether a segment is shown in the source language and so marked (the disclaimer aside, as on a web page)."""
    return bool(segment.language) and not block.disclaimer


def _shown(segment: LocalizedSegment, block: LocalizedBlock, localized: LocalizedDocument) -> str:
    """A segment's text in its place; one left in the source language between ``[[`` and ``]]``, as the note at
    the top of the leaflet says (written literally in Markdown, YAML-quoted in front matter)."""
    document = localized.source
    if not _untranslated(segment, block):
        return in_place(_flagged(segment, localized), document, segment.source)
    if document.format != "md":
        return f"[[{segment.text}]]"
    if block.kind == "front_matter":
        return in_place(f"[[{segment.text}]]", document, segment.source)
    box = _TASK_BOX.match(segment.text) if block.kind == "list_item" and segment.source.index == 0 else None
    task, text = (box.group(), segment.text[box.end() :]) if box else ("", segment.text)
    return in_place(f"{task}\\[\\[{text}\\]\\]", document, segment.source)


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


def _confined_sentences(
    localized: LocalizedDocument, shown: dict[int, str], spacing: Callable[[Segment, Segment, str], str]
) -> dict[int, str]:
    """In a Markdown leaflet, the sentences of each paragraph, item, quote and footnote that shows a translation
    written so that each renders as it does on its own (``confined``): ``shown`` gets the rewritten texts, the
    result the rewritten gaps (by the start of the sentence after them)."""
    document = localized.source
    gaps: dict[int, str] = {}
    for block in localized.blocks:
        segments = [segment.source for segment in block.segments]
        if block.kind not in _SENTENCE_KINDS or len(segments) < 2 or not any(s.start in shown for s in segments):
            continue
        texts = [shown.get(segment.start, segment.text) for segment in segments]
        spaces = [
            spacing(left, right, without_comments(document, left.end, right.start))
            for left, right in pairwise(segments)
        ]
        new_texts, new_spaces = confined(texts, spaces)
        shown.update((s.start, new) for s, old, new in zip(segments, texts, new_texts, strict=True) if new != old)
        gaps.update((s.start, new) for s, old, new in zip(segments[1:], spaces, new_spaces, strict=True) if new != old)
    return gaps


def _disclaimer(localized: LocalizedDocument) -> str:
    """The standard disclaimer as its own paragraph, each sentence written in place (``confined`` in Markdown)."""
    fmt = localized.source.format
    sentences: list[tuple[str, LocalizedSegment]] = list(spaced(localized.disclaimer_segments, localized.language))
    if not sentences:
        return neutralized(localized.disclaimer, "", fmt, starts_line=True)
    texts = [neutralized(segment.text, "", fmt, starts_line=index == 0) for index, (_, segment) in enumerate(sentences)]
    spaces = [gap for gap, _ in sentences[1:]]
    if fmt == "md":
        texts, spaces = confined(texts, spaces)
    return texts[0] + "".join(gap + text for gap, text in zip(spaces, texts[1:], strict=True))


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
    if block.kind in ("title", "heading"):
        text = _CLOSING_HASHES.sub(lambda hashes: "\\" + hashes.group(), text)
    if block.kind == "table":
        return _escape(text, "|")
    if block.kind == "image" and role == "alt":
        return _escape(_escape(text, "["), "]")
    if role == "title":
        return _escape(text, {"(": ")"}.get(before, before))
    return text


def _escape(text: str, char: str) -> str:
    """``text`` with every ``char`` not already escaped given a backslash (one after ``\\\\``, an escaped backslash,
    is not escaped)."""
    return "".join(f"\\{c}" if c == char and not escaped(text, i) else c for i, c in enumerate(text))


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
    return _escape_tags(flat, source) if _HTML_START.search(flat) else flat


def _escape_tags(text: str, source: str) -> str:
    """``text`` with a backslash before every raw HTML tag, or start of one, but the tags ``source`` has, written the
    same (each as often): a Markdown leaflet's readers render raw HTML. What is escaped already, or in a code
    span, is left as it is, so escaping twice changes nothing."""
    from markdown_it.common.html_re import HTML_TAG_RE

    allowed = Counter(shape(source).tags) if "<" in source else Counter[str]()
    code = code_spans(text)
    parts: list[str] = []
    position = 0
    for match in _HTML_START.finditer(text):
        start = match.start()
        if escaped(text, start) or any(first <= start < last for first, last in code):
            continue
        tag = HTML_TAG_RE.match(text, start)
        if tag and allowed[tag.group()] > 0:
            allowed[tag.group()] -= 1
            continue
        parts += [text[position:start], "\\"]
        position = start
    return "".join(parts) + text[position:]


def _starts_line(document: Document, segment: Segment) -> bool:
    """Whether a segment begins a line of its block's content: the first one, or one its source begins on a new
    line (a paragraph wrapped in the source)."""
    if segment.index == 0:
        return True
    previous = document.blocks[segment.block].segments[segment.index - 1]
    return LINE_BREAKS.search(document.text, previous.end, segment.start) is not None


def yaml_value(translation: str, quote: str) -> str:
    """``translation`` as it goes between the source's quotes (``quote`` is ``"``, ``'`` or empty for a plain
    scalar), so the front matter stays valid YAML whatever the translation holds."""
    if quote == '"':
        return json.dumps(translation, ensure_ascii=False)[1:-1]
    if quote == "'":
        return translation.replace("'", "''")
    if _UNSAFE_PLAIN.search(translation):
        return json.dumps(translation, ensure_ascii=False)
    return translation
