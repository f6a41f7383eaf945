"""The one Jinja2 environment the HTML renderers share (templates live in ``render/templates``).

Compiling a template takes longer than rendering it (a run after an edit renders a few pages of five templates), so
the compiled templates are kept in this user's cache folder (``$XDG_CACHE_HOME/polyleaf/templates-<digest>/``,
signed like every polyleaf cache: see ``polyleaf.cache``), by the Jinja version, the environment's options and
Python's (the digest), and each template's source (Jinja's own check): a new process compiles none it compiled
before.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from polyleaf import __version__
from polyleaf.cache import Store, user_store
from polyleaf.render.bidi import first_strong
from polyleaf.render.inline import plain_text, render_inline

GENERATOR = f"polyleaf {__version__}"
#: How the templates are compiled (with ``StrictUndefined``, which works when they render).
_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
#: The most the compiled templates take in the user's cache folder (they take a few hundred kB).
COMPILED_BYTES = 16 * 2**20


@cache
def environment() -> Environment:
    """Autoescaping environment; ``|inline`` turns inline Markdown into safe HTML, ``|plain`` into its text."""
    env = Environment(
        loader=PackageLoader("polyleaf", "render/templates"),
        undefined=StrictUndefined,
        bytecode_cache=_compiled(),
        **_OPTIONS,
    )
    env.filters["inline"] = render_inline
    env.filters["plain"] = plain_text
    env.filters["css_string"] = css_string
    env.filters["direction"] = first_strong
    env.globals["generator"] = GENERATOR
    return env


class _Compiled(BytecodeCache):
    """Compiled templates as signed entries of this user's cache (``Store``: a changed or foreign entry is absent,
    and the template is compiled again)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.load_bytes(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja checks the template's source and its own version

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self.store.save_bytes(bucket.key, bucket.bytecode_to_string()):
            self.store.bound()


def _compiled() -> _Compiled | None:
    """Where compiled templates are kept: a part of this user's cache named by what compiling depends on besides
    the template (None where nothing can be cached)."""
    named = f"{jinja2.__version__}\n{sorted(_OPTIONS.items())}\n{sys.version}"
    store = user_store(
        f"templates-{hashlib.sha256(named.encode()).hexdigest()[:16]}", suffix="", max_bytes=COMPILED_BYTES
    )
    return None if store is None else _Compiled(store)


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
