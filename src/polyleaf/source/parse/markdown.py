"""The Markdown parser: GitHub-flavoured Markdown via markdown-it-py (block tokens carry line maps), mapped to exact
spans.

Blocks are headings (the first ``#`` heading, when it is the first heading, is the title), paragraphs, list items
and block quotes (the paragraphs inside them), GFM tables (one segment per cell), images that stand alone (their alt
and title texts are segments), footnote definitions (``[^1]: …``), link definitions (their titles), the YAML front
matter (its ``title`` and ``description``), separators (thematic breaks), code, HTML and HTML comments. Code, HTML
and comments are skeleton; HTML comments, block or inline, are never part of a segment. A block whose text cannot
be mapped exactly onto the source lines is left untranslated rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf.source.document import Block, BlockKind, Callout, Cell, Document, Image, ListLevel, Span, Table
from polyleaf.source.parse.frontmatter import front_matter_values
from polyleaf.source.parse.inline_spans import Pieces, atx_piece, hard_breaks, line_pieces
from polyleaf.source.parse.link_definitions import link_definitions, unescape
from polyleaf.source.parse.spans import BOM, CALLOUT_MARKER, BlockBuilder, Flat, is_disclaimer_text
from polyleaf.source.pysbd_boundaries import strip_span
from polyleaf.source.segment import Splitter

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_SKELETON_BLOCKS: dict[str, BlockKind] = {
    "fence": "code",
    "code_block": "code",
    "hr": "separator",
}
#: Block tokens whose lines are a leaf block: lines between them may hold link definitions.
_LEAVES = frozenset({"paragraph_open", "heading_open", "fence", "code_block", "html_block", "hr", "table_open"})
#: An HTML comment as an HTML block ends it (``<!-->`` and ``<!--->`` are complete comments too).
_COMMENT = re.compile(r"<!--(?:-?>|.*?-->)", re.DOTALL)
_ONLY_COMMENTS = re.compile(r"\s*(?:<!--(?:-?>|.*?-->)\s*)+", re.DOTALL)
#: What may precede a table row on its line inside a block quote or list (markers and indentation).
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")
_INDENT = re.compile(r"[ \t]*")
#: The kind of a paragraph by its innermost container.
_PARAGRAPH_IN: dict[str, BlockKind] = {"blockquote": "blockquote", "list_item": "list_item", "footnote": "footnote"}
_IMAGE_TAIL = re.compile(
    r"""\]\(\s*(?:<(?:[^<>\n\\]|\\.)*>|[^\s<]\S*?)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\(((?:[^()\\]|\\.)*)\))\s*\)$"""
)
_LINE_END = re.compile(r"[ \t]*(?:\r\n|\r|\n)")
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


@cache
def markdown_parser() -> MarkdownIt:
    """GitHub-flavoured Markdown (tables, strikethrough, autolinks) with footnotes and YAML front matter.

    Footnote definitions stay where they are in the token stream (not moved to the end), so blocks come in source
    order. One parser for reading sources and for rendering their inline text, so both agree.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("gfm-like")
    footnote_plugin(parser, inline=False, move_to_end=False)
    front_matter_plugin(parser)
    return parser


class _Parse:
    """The state of one parse: the token walk's containers, the blocks built so far and the comments found."""

    def __init__(
        self, text: str, segmentation: str, language: str, env: dict[str, Any], splitter: Splitter | None
    ) -> None:
        self.text = text
        self.builder = BlockBuilder(text, segmentation, language, splitter)
        self.lines = self.builder.lines
        self.env = env
        self.containers: list[str] = []  # blockquote | list_item | footnote, innermost last
        self.callouts: list[Callout | None] = []  # per open block quote: the alert it is, if it is one
        self.lists: list[list[Any]] = []  # [first line, ordered, start, item] of each open list
        self.footnotes: list[str] = []
        self.comments: list[Span] = []
        self.scanned = 0  # lines before this one were searched for link definitions
        self.seen_heading = False

    # --- context -------------------------------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        return {
            "lists": tuple(ListLevel(first, ordered, start, item) for first, ordered, start, item in self.lists),
            "footnote": self.footnotes[-1] if self.footnotes else "",
            "quoted": "blockquote" in self.containers,
            "callout": next((callout for callout in reversed(self.callouts) if callout), None),
        }

    def open_quote(self, tokens: Sequence[Token], index: int) -> None:
        """A block quote opens: it is a callout when its first paragraph's first line is an alert marker alone."""
        quote, paragraph, inline = (
            tokens[index + offset] if index + offset < len(tokens) else None for offset in (0, 1, 2)
        )
        callout = None
        if paragraph is not None and inline is not None and paragraph.type == "paragraph_open" and inline.map:
            marker = CALLOUT_MARKER.fullmatch(inline.content.split("\n", 1)[0])
            if marker and quote is not None and quote.map and paragraph.map and paragraph.map[0] == quote.map[0]:
                callout = Callout(marker.group(1).lower(), paragraph.map[0])
        self.callouts.append(callout)

    def without_marker(self, token: Token, pieces: list[Span]) -> list[Span]:
        """A callout's first paragraph without its marker line (skeleton: never a segment, nor part of one)."""
        callout = self.callouts[-1] if self.callouts and self.containers[-1:] == ["blockquote"] else None
        if callout is None or token.map is None or token.map[0] != callout.line or not pieces:
            return pieces
        first = self.text[pieces[0][0] : pieces[0][1]]
        return pieces[1:] if CALLOUT_MARKER.fullmatch(first) else pieces

    def enter(self, token: Token) -> bool:
        """Track containers; True when the token was one (opening or closing)."""
        kind = token.type
        if kind in ("blockquote_open", "list_item_open", "footnote_reference_open"):
            self.containers.append(kind.removesuffix("_open").removesuffix("_reference"))
            if kind == "list_item_open" and self.lists:
                self.lists[-1][3] += 1
            if kind == "footnote_reference_open":
                self.footnotes.append(str(token.meta.get("label", "")))
            return True
        if kind in ("blockquote_close", "list_item_close", "footnote_reference_close"):
            if self.containers:
                self.containers.pop()
            if kind == "blockquote_close" and self.callouts:
                self.callouts.pop()
            if kind == "footnote_reference_close" and self.footnotes:
                self.footnotes.pop()
            return True
        if kind in ("bullet_list_open", "ordered_list_open"):
            first = token.map[0] if token.map else -1
            self.lists.append([first, kind == "ordered_list_open", int(token.attrGet("start") or 1), -1])
            return True
        if kind in ("bullet_list_close", "ordered_list_close"):
            if self.lists:
                self.lists.pop()
            return True
        return False

    def add(self, kind: BlockKind, span: Span, segments: tuple[Any, ...] = (), **fields: Any) -> Block:
        return self.builder.add(kind, span, segments, **self.context(), **fields)

    def line_span(self, first: int, last: int) -> Span:
        """The stripped span of the 0-based source lines ``first`` to ``last`` (included)."""
        lines = self.lines
        return strip_span(self.text, lines.starts[first], lines.ends[min(last, len(lines) - 1)])

    # --- blocks --------------------------------------------------------------------------------------------

    def text_block(self, tokens: Sequence[Token], index: int) -> None:
        """A heading or paragraph (also inside quotes, lists and footnotes; an image standing alone)."""
        token = tokens[index]
        assert token.map is not None
        inline = tokens[index + 1]
        pieces: list[Span] | None = None
        if inline.type == "inline" and inline.map is not None:
            if token.type == "heading_open" and token.markup.startswith("#"):
                pieces = atx_piece(self.text, self.lines, inline.map[0], inline.content)
            else:
                pieces = line_pieces(self.text, self.lines, inline.map[0], inline.map[1], inline.content)
        level = 0
        kind: BlockKind
        if token.type == "heading_open":
            level = int(token.tag[1:])
            kind = "title" if level == 1 and not self.seen_heading else "heading"
            self.seen_heading = True
        else:
            kind = _PARAGRAPH_IN.get(self.containers[-1] if self.containers else "", "paragraph")
        first, last = token.map[0], token.map[1] - 1
        cut = None
        if pieces and kind == "blockquote":
            pieces = self.without_marker(token, pieces)
        if pieces:
            pieces, breaks = hard_breaks(self.text, self.lines, pieces)
            cut = Pieces(self.text, pieces, inline, breaks)
            self.comments += [self._tidy(comment) for comment in cut.comments]
            if kind not in ("title", "heading") and self.image(inline, cut, (first, last)):
                return
        if cut is None or not cut.pieces:
            self.add(kind, self.line_span(first, last), level=level, line=first + 1)
            return
        pieces = cut.pieces
        segments = self.builder.segments(
            pieces, whole=kind in ("title", "heading"), breaks_after=cut.breaks, glued=cut.glued
        )
        flat = " ".join(segment.text for segment in segments)
        disclaimer = kind in ("paragraph", "blockquote", "list_item") and is_disclaimer_text(flat)
        self.add(kind, (pieces[0][0], pieces[-1][1]), segments, level=level, is_disclaimer=disclaimer)

    def image(self, inline: Token, cut: Pieces, line_range: tuple[int, int]) -> bool:
        """A paragraph that is one image (``![alt](src "title")`` or by reference) becomes an image block whose alt
        and title texts are segments; False when the paragraph is anything else."""
        children = [child for child in inline.children or [] if not (child.type == "text" and not child.content)]
        if len(children) != 1 or children[0].type != "image" or cut.comments:
            return False
        image = children[0]
        flat = Flat(self.text, cut.pieces, cut.glued)
        alt = image.content
        if not flat.text.startswith("![") or flat.text[2 : 2 + len(alt)] != alt:
            return False
        units: list[tuple[list[Span], frozenset[int]]] = [(flat.sub_pieces(2, 2 + len(alt)), frozenset())]
        roles = ["alt"]
        title = str(image.attrGet("title") or "")
        tail = _IMAGE_TAIL.search(flat.text, 2 + len(alt))
        if title and tail is not None and tail.start() == 2 + len(alt):
            group = next(number for number in (1, 2, 3) if tail.group(number) is not None)
            if unescape(tail.group(group)) == title:
                units.append((flat.sub_pieces(tail.start(group), tail.end(group)), frozenset()))
                roles.append("title")
        segments, indexes = self.builder.units(units)
        shown_roles = tuple(role for role, number in zip(roles, indexes, strict=True) if number >= 0)
        plain_alt = flat.text[2 : 2 + len(alt)]
        self.add(
            "image",
            (cut.pieces[0][0], cut.pieces[-1][1]),
            segments,
            line=line_range[0] + 1,
            roles=shown_roles,
            image=Image(src=str(image.attrGet("src") or ""), alt=plain_alt, title=title),
        )
        return True

    def table(self, tokens: Sequence[Token], index: int) -> int:
        """A GFM table: one segment per cell; returns the index of its ``table_close`` token."""
        token = tokens[index]
        assert token.map is not None
        rows: list[tuple[int, list[tuple[str, Token]]]] = []  # (line, [(align, inline)])
        align: list[str] = []
        position = index + 1
        while tokens[position].type != "table_close":
            current = tokens[position]
            if current.type == "tr_open" and current.map is not None:
                rows.append((current.map[0], []))
            elif current.type in ("th_open", "td_open") and rows:
                match = _ALIGN.search(str(current.attrGet("style") or ""))
                rows[-1][1].append((match.group(1) if match else "", tokens[position + 1]))
                if current.type == "th_open":
                    align.append(match.group(1) if match else "")
            position += 1
        units: list[tuple[Sequence[Span], frozenset[int]]] = []
        shape: list[list[tuple[str, int]]] = []  # per row, per cell: (text, unit index or -1)
        for line, cells in rows:
            spans = self._row_cells(line, [inline.content for _align, inline in cells])
            shape.append([])
            for number, (_align, inline) in enumerate(cells):
                if spans is None or number >= len(spans) or spans[number][0] == spans[number][1]:
                    shape[-1].append((inline.content, -1))
                    continue
                cut = Pieces(self.text, [spans[number]], inline)
                self.comments += [self._tidy(comment) for comment in cut.comments]
                shape[-1].append((Flat(self.text, cut.pieces, cut.glued).text, len(units)))
                units.append((cut.pieces, cut.glued))
        segments, indexes = self.builder.units(units)
        table = Table(
            align=tuple(align),
            rows=tuple(tuple(Cell(text, indexes[unit] if unit >= 0 else -1) for text, unit in row) for row in shape),
        )
        first, last = token.map[0], token.map[1] - 1
        self.add("table", self.line_span(first, last), segments, line=first + 1, table=table)
        return position

    def _row_cells(self, number: int, contents: Sequence[str]) -> list[Span] | None:
        """Stripped source spans of a table row's cells, split as markdown-it splits them (a pipe after a
        backslash is text); None when they do not match markdown-it's cells (the row is then not translated)."""
        if number >= len(self.lines):
            return None
        line_start, line_end = self.lines.starts[number], self.lines.ends[number]
        line = self.text[line_start:line_end]
        prefix = (_CONTAINER_PREFIX if self.containers else _INDENT).match(line)
        position = prefix.end() if prefix else 0
        cells: list[Span] = []
        start = position
        for offset in range(position, len(line)):
            if line[offset] == "|" and (offset == 0 or line[offset - 1] != "\\"):
                cells.append((start, offset))
                start = offset + 1
        cells.append((start, len(line)))
        if cells and cells[0][0] == cells[0][1]:
            cells.pop(0)
        if cells and cells[-1][0] == cells[-1][1]:
            cells.pop()
        spans = [strip_span(self.text, line_start + a, line_start + b) for a, b in cells]
        for span, content in zip(spans, contents, strict=False):
            if self.text[span[0] : span[1]].replace("\\|", "|") != content.strip():
                return None
        return spans

    def html_block(self, token: Token) -> None:
        """An HTML block; one that is only comments is a comment block (shown nowhere)."""
        assert token.map is not None
        span = self.line_span(token.map[0], token.map[1] - 1)
        raw = self.text[span[0] : span[1]]
        if _ONLY_COMMENTS.fullmatch(raw):
            self.comments.append(self._whole_lines(span))
            self.add("comment", span, line=token.map[0] + 1)
            return
        self.comments += [(span[0] + m.start(), span[0] + m.end()) for m in _COMMENT.finditer(raw)]
        self.add("html", span, line=token.map[0] + 1)

    def _whole_lines(self, span: Span) -> Span:
        """A block comment alone on its lines, with its line break, and the blank lines after it when a blank line
        precedes it (removing it leaves no extra blank line behind)."""
        start, end = span
        line_start = self.lines.starts[self.lines.line_of(start) - 1]
        if self.text[line_start:start].strip():
            return span
        match = _LINE_END.match(self.text, end)
        if match is None:
            return span
        end = match.end()
        before = self.text[:line_start].rstrip(" \t")
        if not before.strip() or before.endswith(("\n\n", "\r\n\r\n", "\r\r")):
            blank = _BLANK_LINES.match(self.text, end)
            end = blank.end() if blank else end
        return (line_start, end)

    def _tidy(self, span: Span) -> Span:
        """An inline comment with the spaces that would be doubled (or left at a line's end) without it."""
        start, end = span
        after = end
        while after < len(self.text) and self.text[after] in " \t":
            after += 1
        before = start
        while before > 0 and self.text[before - 1] in " \t":
            before -= 1
        if before < start and (after == len(self.text) or self.text[after] in "\r\n"):
            return (before, after)
        if before < start and after > end:
            return (start, after)
        return span

    def front_matter(self, token: Token) -> None:
        """YAML front matter: skeleton, except the ``title`` and ``description`` values (plain or simply quoted)."""
        assert token.map is not None
        first, last = token.map[0], token.map[1] - 1
        found = front_matter_values(self.text, self.lines, first + 1, last)
        segments, indexes = self.builder.units([([span], frozenset()) for _key, span in found])
        roles = tuple(key for (key, _span), number in zip(found, indexes, strict=True) if number >= 0)
        self.add("front_matter", self.line_span(first, last), segments, line=first + 1, roles=roles)

    def link_definitions(self, stop: int) -> None:
        """Link definitions in the lines from the last leaf block to line ``stop``: a block each (its title, when
        it has one on one line, is a segment)."""
        first = self.scanned
        self.scanned = max(self.scanned, stop)
        for found in link_definitions(self.text, self.lines, self.env.get("references", {}), first, stop):
            units: list[tuple[Sequence[Span], frozenset[int]]] = []
            if found.title and found.title[0] < found.title[1]:
                units.append(([found.title], frozenset()))
            segments, _indexes = self.builder.units(units)
            roles = ("title",) if segments else ()
            span = self.line_span(found.first, found.last)
            self.add("link_definition", span, segments, line=found.first + 1, roles=roles, label=found.label)


def parse_markdown(
    text: str, path: Path, segmentation: str = "sentence", *, language: str = "en", splitter: Splitter | None = None
) -> Document:
    """Parse a Markdown (GFM) article with markdown-it-py; code, HTML and comments are skeleton.

    Segment spans are exact: heading markers, container markers, indentation and line endings stay in the
    skeleton; a block that cannot be mapped exactly is left untranslated.
    """
    source = text[1:] if text.startswith(BOM) else text
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(source, env)
    state = _Parse(text, segmentation, language, env, splitter)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "blockquote_open":
            state.open_quote(tokens, index)
        if state.enter(token) or token.map is None:
            index += 1
            continue
        if token.type in _LEAVES:
            state.link_definitions(token.map[0])
            state.scanned = max(state.scanned, token.map[1])
        if token.type in ("heading_open", "paragraph_open"):
            state.text_block(tokens, index)
        elif token.type == "table_open":
            index = state.table(tokens, index)
        elif token.type == "html_block":
            state.html_block(token)
        elif token.type == "front_matter":
            state.front_matter(token)
            state.scanned = max(state.scanned, token.map[1])
        elif token.type in _SKELETON_BLOCKS:
            first, last = token.map[0], token.map[1] - 1
            state.add(_SKELETON_BLOCKS[token.type], state.line_span(first, last), line=first + 1)
        index += 1
    state.link_definitions(len(state.lines))
    return Document(
        path=path,
        format="md",
        text=text,
        blocks=tuple(state.builder.blocks),
        comments=tuple(sorted(state.comments)),
        references=tuple(
            (label, str(value.get("href", "")), str(value.get("title", "")))
            for label, value in env.get("references", {}).items()
        ),
        footnotes=_footnote_order(env, state.builder.blocks),
        images=_image_sources(tokens),
    )


def _image_sources(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The source of every image in the document, once each, in order."""
    found: dict[str, None] = {}
    stack = [token for token in reversed(tokens) if token.type == "inline"]
    while stack:
        token = stack.pop()
        if token.type == "image":
            found[str(token.attrGet("src") or "")] = None
        stack.extend(reversed(token.children or []))
    return tuple(src for src in found if src)


def _footnote_order(env: dict[str, Any], blocks: Sequence[Block]) -> tuple[str, ...]:
    """Footnote labels as they are numbered: referenced ones in the order of their first reference, then those
    defined but never referenced (a leaflet loses no footnote)."""
    listed = env.get("footnotes", {}).get("list", {})
    order = [str(listed[key]["label"]) for key in sorted(listed) if "label" in listed[key]]
    for block in blocks:
        if block.footnote and block.footnote not in order:
            order.append(block.footnote)
    return tuple(order)
