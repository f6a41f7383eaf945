"""The renderers of the leaflet formats made as one file in the build's process (kind ``file`` in
``polyleaf.formats``): a format's renderer turns a localized leaflet and what its pages show besides its text into
the file's text. The web page and the printed leaflet have renderers of their own (``render.html``, ``render.pdf``):
they are set in fonts, and the build renders them with their fonts and on worker processes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from polyleaf.formats import TEXT
from polyleaf.render.text import render_text

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument
    from polyleaf.render.meta import LeafletMeta

#: Renders a leaflet's file: its text (written as UTF-8).
FileRenderer = Callable[["LocalizedDocument", "LeafletMeta"], str]

#: An image's address relative to the leaflet, in the HTML a template wrote (a text's quotes are escaped).
_RELATIVE_SRC = re.compile(r'src="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)([^"]*)"')


def render_fragment(localized: LocalizedDocument, meta: LeafletMeta) -> str:
    """The leaflet as a fragment of HTML a clinic pastes into a page of its own web site (a CMS's HTML block):
    the article alone — title, text, disclaimer, credits, contact — in the site's styles and fonts, nothing to
    install beside it. Its images lead to where the leaflet is published when ``[leaflet] base_url`` is set (a
    pasted fragment has no folder of its own), else beside it, as on the web page."""
    from polyleaf.render.html import leaflet_context
    from polyleaf.render.templating import environment

    html = environment().get_template("fragment.html").render(leaflet_context(localized, meta))
    folder = meta.web_url.rsplit("/", 1)[0] + "/" if meta.web_url else ""
    return _RELATIVE_SRC.sub(lambda found: f'src="{folder}{found[1]}"', html) if folder else html


#: The renderer of every ``file`` format, by its name.
FILE_RENDERERS: Mapping[str, FileRenderer] = MappingProxyType({TEXT: render_text, "fragment": render_fragment})
