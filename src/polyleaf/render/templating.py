"""The one Jinja2 environment the HTML renderers share (templates live in ``render/templates``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from polyleaf import __version__
from polyleaf.render.inline import plain_text, render_inline

GENERATOR = f"polyleaf {__version__}"


@cache
def environment() -> Environment:
    """Autoescaping environment; ``|inline`` turns inline Markdown into safe HTML, ``|plain`` into its text."""
    env = Environment(
        loader=PackageLoader("polyleaf", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = render_inline
    env.filters["plain"] = plain_text
    env.globals["generator"] = GENERATOR
    return env


def label_lookup(labels: tuple[tuple[str, str], ...], defaults: Mapping[str, str]) -> dict[str, str]:
    """UI labels: the localized ones given, English defaults for the rest (empty texts don't count)."""
    merged = dict(defaults)
    merged.update((key, text) for key, text in labels if text.strip())
    return merged
