"""Index pages of a build: ``build/index.html`` (the languages) and ``build/<lang>/index.html`` (its leaflets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import quote

from polyleaf import locale
from polyleaf.config.leaflet import LARGE_PRINT
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.render.fonts import WebFonts, font_faces_css, font_stack
from polyleaf.render.meta import IndexEntry, LeafletLink
from polyleaf.render.templating import environment, label_lookup


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    href: str
    lang: str
    dir: str
    autonym: str
    english: str
    leaflets: int
    drafts: int
    css_class: str


@dataclass(frozen=True, slots=True)
class _File:
    href: str
    label: str


@dataclass(frozen=True, slots=True)
class _Item:
    title: str
    href: str | None
    files: tuple[_File, ...]
    draft: bool
    draft_notice: str
    lang: str = ""  # the title's language and direction, when not the page's
    dir: str = ""


def render_site_index(
    entries: Sequence[IndexEntry],
    *,
    project: str = "",
    source_language: str = "en",
    labels: tuple[tuple[str, str], ...] = (),
    web_fonts: WebFonts | None = None,
    logo: str = "",
    status: str = "",
) -> str:
    """``build/index.html``: every language by its own name (with the English name), linking to its index.

    ``web_fonts``: the page's font subsets (see ``render_leaflet_html``); ``logo``: the
    organisation's logo, relative to the page; ``status``: the URL of the status page, linked when given.
    """
    texts = label_lookup(labels, INTERFACE_MESSAGES)
    languages = [
        _Language(
            code=entry.language,
            href=f"{quote(entry.language)}/index.html",
            lang=locale.html_lang(entry.language),
            dir=locale.direction(entry.language),
            autonym=locale.autonym(entry.language),
            english=locale.english_name(entry.language),
            leaflets=entry.leaflets,
            drafts=entry.drafts,
            css_class=font_stack(entry.language).css_class,
        )
        for entry in entries
    ]
    stacks = {stack.css_class: stack for stack in (font_stack(entry.language) for entry in entries)}
    return (
        environment()
        .get_template("site_index.html")
        .render(
            lang=locale.html_lang(source_language),
            dir=locale.direction(source_language),
            fonts=font_stack(source_language),
            font_faces=font_faces_css([font_stack(source_language), *stacks.values()], web_fonts),
            title=texts["site_title"],
            project=project,
            logo=logo,
            status=status,
            labels=texts,
            languages=languages,
            scripts=list(stacks.values()),
        )
    )


def render_language_index(
    language: str,
    leaflets: Sequence[LeafletLink],
    *,
    project: str = "",
    labels: tuple[tuple[str, str], ...] = (),
    web_fonts: WebFonts | None = None,
    logo: str = "",
) -> str:
    """``build/<lang>/index.html``: the language's leaflets with links to each format and their review state, all
    in the language (its labels from ``interface.po``; English only where a label is not translated yet)."""
    texts = label_lookup(labels, INTERFACE_MESSAGES)
    items = [_item(link, texts, language) for link in leaflets]
    return (
        environment()
        .get_template("language_index.html")
        .render(
            lang=locale.html_lang(language),
            dir=locale.direction(language),
            fonts=font_stack(language),
            font_faces=font_faces_css([font_stack(language)], web_fonts),
            title=locale.autonym(language),
            project=project,
            logo=logo,
            labels=texts,
            items=items,
            scripts=[],
        )
    )


def _item(link: LeafletLink, labels: dict[str, str], language: str) -> _Item:
    files = tuple(_File(quote(name), _format_label(name, labels)) for name in link.files)
    html = [file.href for file in files if file.href.lower().endswith((".html", ".htm"))]
    href = html[0] if html else (files[0].href if files else None)
    item = _Item(link.title, href, files, link.draft, link.draft_notice)
    if link.title_language and locale.normalize(link.title_language) != locale.normalize(language):
        item = replace(item, lang=locale.html_lang(link.title_language), dir=locale.direction(link.title_language))
    return item


def _format_label(name: str, labels: dict[str, str]) -> str:
    """What a link to a leaflet's file says: its format in the page's language ("Web page", "PDF"…), or its printed
    edition (``<doc>.<lang>.large-print.pdf``: "Large-print PDF")."""
    path = PurePosixPath(name)
    if path.suffix.lower() == ".pdf" and PurePosixPath(path.stem).suffix == f".{LARGE_PRINT}":
        return labels["format_large_print"]
    suffix = path.suffix.lstrip(".").lower()
    return labels.get(f"format_{suffix}") or suffix.upper() or name
