"""Inline Markdown in block text (``**b**``, ``*i*``, `` `c` ``, ``[t](url)``) to safe inline HTML.

CommonMark inline parsing with raw HTML disabled, so ``<script>`` in a translation is shown as text. Links keep
their ``href`` only for ``http``, ``https`` and ``mailto``; any other target (``javascript:``, relative paths,
``data:``) keeps just the link text. Images become their alt text: a leaflet never loads a remote resource.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_SAFE_HREF = re.compile(r"(?:https?://|mailto:)\S", re.IGNORECASE)


class _Parser(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # Every link is parsed; ``_sanitize`` applies the allow-list (markdown-it's own deny-list would leave
        # a refused link as literal "[t](url)" text).
        return True


@cache
def _parser() -> MarkdownIt:
    return _Parser("commonmark", {"html": False})


def is_safe_href(href: str) -> bool:
    """Whether a link target may appear in a leaflet (absolute http/https, or mailto)."""
    return bool(_SAFE_HREF.match(href))


def render_inline(text: str) -> Markup:
    """Inline Markdown to HTML; everything that is not one of the supported constructs is escaped text."""
    parser = _parser()
    tokens = parser.parseInline(text)
    for token in tokens:
        token.children = _sanitize(token.children or [])
    return Markup(parser.renderer.render(tokens, parser.options, {}).rstrip("\n"))


def plain_text(text: str) -> str:
    """The text of inline Markdown without its markup (for ``<title>`` and metadata)."""
    parser = _parser()
    tokens = parser.parseInline(text)
    return "".join(_text_of(token.children or []) for token in tokens)


def _sanitize(children: list[Token]) -> list[Token]:
    kept: list[Token] = []
    dropping_link = False
    for token in children:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if is_safe_href(href):
                token.attrs = {"href": href}  # drop title and anything else
                if token.markup == "autolink":
                    token.attrs["class"] = "url"  # the text is the URL: print styles don't repeat it
            else:
                dropping_link = True
                continue
        elif token.type == "link_close" and dropping_link:
            dropping_link = False
            continue
        elif token.type == "image":
            alt = Token("text", "", 0, content=_text_of(token.children or []))
            kept.append(alt)
            continue
        kept.append(token)
    return kept


def _text_of(children: list[Token]) -> str:
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_text_of(token.children))
    return "".join(parts)
