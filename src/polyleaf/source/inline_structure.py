"""Inline markup as structure: what a text's inline Markdown renders as, and a translation written so that it
renders as its source does, whatever script and punctuation surround its markup.

CommonMark decides whether ``**`` opens or closes emphasis by the characters on either side of it (the flanking
rules): in ``**警告：**如果`` the closing run has punctuation inside and a letter outside, so it closes nothing and
the page prints two asterisks. That is how Chinese, Japanese and Thai are written, and a slip in any language. A
bare URL runs on into the words glued to it (``访问https://example.org/help获取帮助``).

A translation rewords its source, so the source says what its delimiters are. ``paired_like`` reads the
translation with flanking rules that ignore punctuation, keeps that reading only when it gives the source's
constructs (bold, italics, strikethrough, code, links with their targets), and writes it in a form every CommonMark
renderer reads the same way: the character just outside a delimiter that would not flank becomes a numeric
character reference (``**警告：**&#x5982;果``), which renders as that character but counts as punctuation for
flanking; a URL glued to text becomes an autolink. The HTML, PDF and text leaflets all render that one text, and
QA compares what it renders as with what the source renders as (``InlineShape``).

A page shows a paragraph's sentences side by side, each one's markup its own: the HTML leaflet renders each on
its own, and the Markdown leaflet writes them so that they render as they would alone (``inline_confined``). What
QA finds in a sentence on its own is then what the page shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.state_inline import Scanned, StateInline
    from markdown_it.token import Token

#: The markers of the constructs delimiter runs make, and the token that opens each.
_OPENERS = {"strong_open": "**", "em_open": "*", "s_open": "~~"}
#: Delimiter runs and brackets that were not paired, as the page would print them (a single ``~`` is an ordinary
#: character: Chinese and Japanese write ranges with it).
_LITERAL_RUN = re.compile(r"\*+|_+|~~+|`+|\[|\]")
#: What a text needs for ``paired_like`` to have anything to do.
_MAY_NEED_PAIRING = re.compile(r"[*_~]|://|www\.|@")
_DELIMITER = re.compile(r"[*_~]")
#: What an autolink (``<https://…>``) cannot hold, and what a written link's target or text would have to escape.
_UNSAFE_IN_AUTOLINK = re.compile(r"[\s<>]")
_UNSAFE_IN_LINK = re.compile(r"[\s<>\[\]()]")
#: Scripts written without spaces between words: a ``_`` between two of their letters may still be markup.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


def _new_parser(*, reading: bool = False) -> MarkdownIt:
    """GFM inline syntax (strikethrough, bare URLs) with footnote references, raw HTML shown as text; every link is
    parsed (the renderer applies its allow-list: markdown-it's own deny-list would leave a refused link as
    literal "[t](url)" text). A ``reading`` parser takes every ``[^label]`` for a footnote reference (texts are
    read without their document's definitions), reads raw HTML as a Markdown renderer that allows it does (the
    ``.md`` leaflet's readers), and keeps escaped characters apart from text, so an escaped ``\\*`` is no leftover
    delimiter."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("gfm-like", {"html": reading, "xhtmlOut": False})
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    footnote_plugin(parser, inline=False, move_to_end=False, always_match_refs=reading)
    return parser.disable("text_join") if reading else parser


@cache
def inline_parser() -> MarkdownIt:
    """The parser leaflets render inline text with (markdown-it is imported on first use)."""
    return _new_parser()


@cache
def _reading_parser(urls: bool) -> MarkdownIt:
    """The reading parser; without ``urls`` it does not look for bare URLs (for texts that have no ``://``,
    ``www.`` or ``@``, which then spend no time in linkify's scan)."""
    parser = _new_parser(reading=True)
    return parser if urls else parser.disable("linkify")


def may_have_urls(text: str) -> bool:
    """A cheap test before a URL pattern or a link-aware parser, which are slow on text that has none."""
    return "://" in text or "www." in text or "@" in text


@cache
def _punctuation_blind_parser(underscores_split_words: bool) -> MarkdownIt:
    """``_reading_parser`` whose delimiter runs flank by whitespace alone (``_relaxed_scan``) and carry their
    source span (``meta["run"]``)."""
    from markdown_it.parser_inline import ParserInline
    from markdown_it.rules_inline import emphasis, strikethrough
    from markdown_it.rules_inline.state_inline import StateInline

    class BlindState(StateInline):
        def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
            split_words = canSplitWord or underscores_split_words
            return _relaxed_scan(self.src, start, self.posMax, split_words=split_words)

    class BlindInline(ParserInline):
        def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
            state = BlindState(src, md, env, tokens)
            self.tokenize(state)
            for rule in self.ruler2.getRules(""):
                rule(state)
            return state.tokens

    parser = _new_parser(reading=True)
    blind = BlindInline()
    blind.ruler, blind.ruler2 = parser.inline.ruler, parser.inline.ruler2
    blind.ruler.at("emphasis", _recording_runs(emphasis.tokenize))
    blind.ruler.at("strikethrough", _recording_runs(strikethrough.tokenize))
    parser.inline = blind
    return parser


def _recording_runs(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """``rule`` that stores on each token it pushes the source span of its delimiter run (``meta["run"]``)."""

    def tokenize(state: StateInline, silent: bool) -> bool:
        start, first = state.pos, len(state.tokens)
        found = rule(state, silent)
        for token in state.tokens[first:]:
            token.meta["run"] = (start, state.pos)
        return found

    return tokenize


def _unspaced(char: str) -> bool:
    return unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS)


def _relaxed_scan(src: str, start: int, end: int, *, split_words: bool) -> Scanned:
    """A delimiter run that opens when no whitespace follows it and closes when none precedes it, whatever
    punctuation is next to it; ``_`` (``split_words`` false) still stays literal inside a word of a spaced script
    (``snake_case``), but not between letters of Chinese, Japanese, Thai…"""
    from markdown_it.common.utils import isPunctChar, isWhiteSpace
    from markdown_it.rules_inline.state_inline import Scanned

    stop = start
    while stop < end and src[stop] == src[start]:
        stop += 1
    before = src[start - 1] if start > 0 else " "
    after = src[stop] if stop < end else " "
    left = not isWhiteSpace(ord(after))
    right = not isWhiteSpace(ord(before))
    if split_words:
        return Scanned(left, right, stop - start)
    opens = left and (not right or isPunctChar(before) or _unspaced(before))
    closes = right and (not left or isPunctChar(after) or _unspaced(after))
    return Scanned(opens, closes, stop - start)


# --- what a text renders as ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InlineShape:
    """What inline Markdown renders as: ``markers`` counts bold (``**``), italics (``*``), strikethrough (``~~``)
    and code (`````) spans; ``links``, ``images`` and ``footnotes`` are their targets (link targets of written
    links, ``[label]`` for a reference link; ``urls`` those of bare URLs and autolinks; footnote labels);
    ``literals`` the delimiter runs and brackets printed as characters; ``tags`` the raw HTML."""

    markers: tuple[tuple[str, int], ...]
    links: tuple[str, ...]
    urls: tuple[str, ...]
    images: tuple[str, ...]
    footnotes: tuple[str, ...]
    literals: tuple[tuple[str, int], ...]
    tags: tuple[str, ...] = ()

    def count(self, marker: str) -> int:
        return dict(self.markers).get(marker, 0)

    @property
    def constructs(self) -> tuple[object, ...]:
        """Everything but the literals: two texts with the same constructs render the same markup."""
        return (self.markers, self.links, self.urls, self.images, self.footnotes)


class _EveryLabel:
    """Link definitions for a text read without its document: every label is defined (but a footnote's), as the
    label itself, so ``[t][nhs]`` and ``[pharmacist]`` read as links to ``[nhs]`` and ``[pharmacist]`` — a
    label a translation changed is a changed link, and a bracketed word it adds may be a link on the page."""

    def get(self, label: str, default: object = None) -> dict[str, str] | None:
        if not label or label.startswith("^"):  # (a label has a character other than whitespace)
            return None
        return {"href": f"[{label.casefold()}]", "title": ""}


_EVERY_LABEL = _EveryLabel()


def _tokens(text: str, parser: MarkdownIt, *, every_label: bool = False) -> list[Token]:
    env: dict[str, Any] = {"references": _EVERY_LABEL} if every_label else {}
    return [child for token in parser.parseInline(text, env) for child in token.children or []]


def rendered_tokens(text: str) -> list[Token]:
    """The tokens of ``text`` as the ``.md`` leaflet's readers read it: raw HTML, bare URLs, footnotes and every
    reference label."""
    return _tokens(text, _reading_parser(may_have_urls(text)), every_label=True)


@lru_cache(maxsize=16384)
def shape(text: str) -> InlineShape:
    """How ``text`` renders with ``inline_parser``; reference links are read as links to their labels
    (``_EveryLabel``), raw HTML as a renderer that allows it reads it."""
    markers: Counter[str] = Counter()
    links: list[str] = []
    urls: list[str] = []
    images: list[str] = []
    footnotes: list[str] = []
    tags: list[str] = []
    literal: list[str] = []
    in_url = False
    tokens = rendered_tokens(text)
    for index, token in enumerate(tokens):
        if token.type in _OPENERS:
            markers[_OPENERS[token.type]] += 1
        elif token.type == "code_inline":
            markers["`"] += 1
        elif token.type == "link_open":
            in_url = shows_its_target(tokens, index)
            (urls if in_url else links).append(str(token.attrGet("href") or ""))
        elif token.type == "link_close":
            in_url = False
        elif token.type == "image":
            images.append(str(token.attrGet("src") or ""))
        elif token.type == "footnote_ref":
            footnotes.append(str(token.meta.get("label", "")))
        elif token.type == "html_inline":
            tags.append(token.content)
        literal.append(token.content if token.type == "text" and not in_url else "\x00")
    literals = Counter(_LITERAL_RUN.findall("".join(literal)))
    return InlineShape(
        tuple(sorted(markers.items())),
        tuple(sorted(links)),
        tuple(sorted(urls)),
        tuple(sorted(images)),
        tuple(sorted(footnotes)),
        tuple(sorted(literals.items())),
        tuple(tags),
    )


def shows_its_target(tokens: Sequence[Token], index: int) -> bool:
    """Whether the link opened by ``tokens[index]`` shows its own target (a bare URL, an autolink, or a link
    written ``[www.x.org](http://www.x.org)``): print styles need not repeat it, QA reads it as a URL."""
    token = tokens[index]
    if token.markup in ("autolink", "linkify"):
        return True
    if index + 2 >= len(tokens) or tokens[index + 1].type != "text" or tokens[index + 2].type != "link_close":
        return False
    shown, href = tokens[index + 1].content, str(token.attrGet("href") or "")
    return href in (shown, f"http://{shown}", f"mailto:{shown}")


# --- a translation written to render as its source ----------------------------------------------------------


@lru_cache(maxsize=16384)
def paired_like(source: str, translation: str) -> str:
    """``translation`` rewritten so that CommonMark renders its markup as it renders ``source``'s; unchanged when
    it already does, or when no reading of its delimiters gives the source's constructs (QA then reports what
    shows as characters)."""
    if translation == source or not _MAY_NEED_PAIRING.search(translation):
        return translation
    wanted = shape(source).constructs
    if shape(translation).constructs == wanted:
        return translation
    bounded = _bounded_urls(translation, source) if shape(translation).urls != shape(source).urls else translation
    for underscores_split_words in (False, True) if "_" in bounded else (False,):  # snake_case kept if it can be
        rewritten = _flanking(bounded, underscores_split_words)
        if shape(rewritten).constructs == wanted:
            return rewritten
    return translation


def _flanking(text: str, underscores_split_words: bool) -> str:
    """``text`` with the character just outside every delimiter run that the punctuation-blind reading pairs,
    but CommonMark's flanking rules would not, written as a character reference. ``underscores_split_words``:
    ``_`` pairs inside words of any script too (``Tome__la dosis__ahora``)."""
    if not _DELIMITER.search(text) or "\r" in text:  # (markdown-it's positions skip a CR: no guessing)
        return text
    from markdown_it.rules_inline.state_inline import StateInline

    commonmark = StateInline(text, inline_parser(), {}, [])
    outside: set[int] = set()
    for token in _tokens(text, _punctuation_blind_parser(underscores_split_words), every_label=True):
        run = token.meta.get("run") if token.nesting else None
        if run is None:
            continue
        start, end = run
        scanned = commonmark.scanDelims(start, text[start] != "_")
        if token.nesting == 1 and not scanned.can_open and start > 0:
            outside.add(start - 1)
        elif token.nesting == -1 and not scanned.can_close and end < len(text):
            outside.add(end)
    return "".join(
        f"&#x{ord(char):X};" if index in outside and not char.isspace() else char for index, char in enumerate(text)
    )


def _bounded_urls(text: str, source: str) -> str:
    """``text`` with each bare URL of the source that it does not show as that URL (glued to the words around it,
    in a script without spaces, it runs on into them, or takes them in) bounded where the source's ends:
    ``<https://…>`` and ``<name@host>`` autolinks, a ``www.`` address as a written link."""
    if not may_have_urls(text):
        return text
    shown_here = Counter(href for href, _ in bare_urls(text))
    for href, shown in bare_urls(source):
        if shown_here[href]:
            shown_here[href] -= 1
            continue
        position = text.find(shown)
        bounded = bounded_url(shown, href)
        if position >= 0 and bounded:
            text = text[:position] + bounded + text[position + len(shown) :]
    return text


def bounded_url(shown: str, href: str) -> str:
    """A bare URL written so that it ends where it ends whatever follows it: an autolink, or a written link for a
    ``www.`` address (autolinks need a scheme); ``""`` when it cannot be written so."""
    if shown.startswith("www."):
        return "" if _UNSAFE_IN_LINK.search(href + shown) else f"[{shown}]({href})"
    return "" if _UNSAFE_IN_AUTOLINK.search(shown) else f"<{shown}>"


@lru_cache(maxsize=4096)
def bare_urls(text: str) -> tuple[tuple[str, str], ...]:
    """The target and shown text of each bare URL (linkified) in ``text``."""
    tokens = _tokens(text, inline_parser())
    return tuple(
        (str(token.attrGet("href") or ""), tokens[index + 1].content)
        for index, token in enumerate(tokens[:-1])
        if token.type == "link_open" and token.markup == "linkify"
    )


_REFERENCE_BY_DELIMITER = re.compile(r"(?<=[*_~])&#x([0-9A-F]{1,8});|&#x([0-9A-F]{1,8});(?=[*_~])")
_WRITTEN_WWW_LINK = re.compile(r"\[(www\.[^\[\]\s]+)\]\(http://\1\)")


def for_plain_text(text: str) -> str:
    """What a plain-text leaflet shows of a text ``paired_like`` wrote: the character references it put next to
    delimiters are their characters again (a reader sees ``**警告：**如果`` as the translator wrote it, not
    ``&#x5982;``), and a URL it bounded stays in angle brackets, the plain-text convention (RFC 3986, appendix C)."""
    if "&#x" in text:
        text = _REFERENCE_BY_DELIMITER.sub(_character, text)
    return _WRITTEN_WWW_LINK.sub(r"<\1>", text) if "](http://www." in text else text


def _character(reference: re.Match[str]) -> str:
    """The character a reference stands for; one that stands for none a page could show stays as written."""
    code = int(reference.group(1) or reference.group(2), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else reference.group()


def literal_runs(shown: InlineShape, expected: InlineShape) -> Sequence[str]:
    """The delimiter runs ``shown`` prints as characters that ``expected`` does not."""
    extra = Counter(dict(shown.literals)) - Counter(dict(expected.literals))
    return sorted(extra)
