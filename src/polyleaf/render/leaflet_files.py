"""The renderers of the leaflet formats made as one file in the build's process (kind ``file`` in
``polyleaf.formats``): a format's renderer turns a localized leaflet and what its pages show besides its text into
the file's text. The web page and the printed leaflet have renderers of their own (``render.html``, ``render.pdf``):
they are set in fonts, and the build renders them with their fonts and on worker processes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from polyleaf.formats import TEXT
from polyleaf.render.text import render_text

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument
    from polyleaf.render import LeafletMeta

#: Renders a leaflet's file: its text (written as UTF-8).
FileRenderer = Callable[["LocalizedDocument", "LeafletMeta"], str]

#: The renderer of every ``file`` format, by its name.
FILE_RENDERERS: Mapping[str, FileRenderer] = MappingProxyType({TEXT: render_text})
