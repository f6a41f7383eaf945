"""The one Jinja2 environment the HTML renderers share (templates live in ``render/templates``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from polyleaf import __version__
from polyleaf.render.bidi import first_strong
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
    env.filters["css_string"] = css_string
    env.filters["direction"] = first_strong
    env.globals["generator"] = GENERATOR
    return env


def label_lookup(labels: tuple[tuple[str, str], ...], defaults: Mapping[str, str]) -> dict[str, str]:
    """UI labels: the localized ones given, English defaults for the rest (empty texts don't count)."""
    merged = dict(defaults)
    merged.update((key, text) for key, text in labels if text.strip())
    return merged


#: Characters a CSS string inside an HTML ``<style>`` element cannot hold as they are.
_CSS_UNSAFE = frozenset('"\\<>&')


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside ``<style>``: quotes, backslashes, ``<``/``>``/``&`` and control
    characters are hex escapes (a line break is ``\\a``, which a margin box with ``white-space: pre`` honours)."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in _CSS_UNSAFE or ord(char) < 32 or char in "\u2028\u2029\x7f" else char
        for char in text
    )
    return Markup(f'"{escaped}"')
