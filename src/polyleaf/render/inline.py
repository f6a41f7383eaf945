"""Inline Markdown in block text (``**b**``, ``*i*``, ``~~s~~``, `` `c` ``, links, images, footnote references) to
safe inline HTML.

GFM inline parsing with raw HTML disabled, so ``<script>`` in a translation is shown as text. Links keep their
``href`` (and title) only for ``http``, ``https`` and ``mailto``; any other target (``javascript:``, relative
paths, ``data:``) keeps just the link text. An image is shown only when its source is one the build copied next to
the leaflet (``InlineContext.images``, from the source document: a translation cannot point anywhere else); any
other image, remote ones included, becomes its alt text: a leaflet never loads a remote resource. Reference links
resolve against the source's link definitions, footnote references against its footnotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token
from markupsafe import Markup

from polyleaf.source.inline_structure import inline_parser, shows_its_target

_SAFE_HREF = re.compile(r"(?:https?://|mailto:)\S", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class InlineContext:
    """What inline text of one leaflet may refer to: the images copied next to it (source as written → path
    relative to the leaflet), link definitions (normalized label → href and shown title) and footnote labels in
    the order they are numbered."""

    images: Mapping[str, str] = field(default_factory=dict)
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    footnotes: tuple[str, ...] = ()

    def env(self) -> dict[str, Any]:
        """A markdown-it environment; share one between the blocks of a page so footnote anchors are unique."""
        return {
            "references": {label: {"href": href, "title": title} for label, (href, title) in self.references.items()},
            "footnotes": {
                "refs": {f":{label}": number for number, label in enumerate(self.footnotes)},
                "list": {number: {"label": label, "count": 0} for number, label in enumerate(self.footnotes)},
            },
        }


_NO_CONTEXT = InlineContext()


def is_safe_href(href: str) -> bool:
    """Whether a link target may appear in a leaflet (absolute http/https, or mailto)."""
    return bool(_SAFE_HREF.match(href))


def render_inline(text: str, context: InlineContext = _NO_CONTEXT, env: dict[str, Any] | None = None) -> Markup:
    """Inline Markdown to HTML; everything that is not one of the supported constructs is escaped text."""
    parser = inline_parser()
    env = context.env() if env is None else env
    tokens = parser.parseInline(text, env)
    for token in tokens:
        token.children = _sanitize(token.children or [], context)
    return Markup(parser.renderer.render(tokens, parser.options, env).rstrip("\n"))


def plain_text(text: str) -> str:
    """The text of inline Markdown without its markup (for ``<title>``, alt texts and metadata)."""
    parser = inline_parser()
    tokens = parser.parseInline(text, {})
    return "".join(_text_of(token.children or []) for token in tokens)


def _sanitize(children: list[Token], context: InlineContext) -> list[Token]:
    kept: list[Token] = []
    dropping_link = False
    for index, token in enumerate(children):
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if is_safe_href(href):
                title = str(token.attrGet("title") or "")
                token.attrs = {"href": href, **({"title": title} if title else {})}  # nothing else
                if shows_its_target(children, index):
                    token.attrs["class"] = "url"  # the text is the URL: print styles don't repeat it
            else:
                dropping_link = True
                continue
        elif token.type == "link_close" and dropping_link:
            dropping_link = False
            continue
        elif token.type == "image":
            shown = context.images.get(str(token.attrGet("src") or ""))
            if shown is None:
                kept.append(Token("text", "", 0, content=_text_of(token.children or [])))
                continue
            title = str(token.attrGet("title") or "")
            token.attrs = {"src": shown, "alt": "", **({"title": title} if title else {})}
        elif token.type == "footnote_ref":
            kept.append(_footnote_ref(token))
            continue
        kept.append(token)
    return kept


def _footnote_ref(token: Token) -> Token:
    """A footnote reference as a numbered superscript link to the footnote (ids made of digits only)."""
    number = int(token.meta["id"]) + 1
    sub = int(token.meta.get("subId", 0))
    anchor = f"fnref-{number}" + (f"-{sub}" if sub else "")
    html = f'<sup class="footnote-ref"><a href="#fn-{number}" id="{anchor}">{number}</a></sup>'
    return Token("html_inline", "", 0, content=html)


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
