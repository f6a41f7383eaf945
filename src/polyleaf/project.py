"""Where a content project's files live: sources, templates, PO files, build outputs, and the reserved names.

Every stage asks this module for paths instead of building them, so the layout is written down once:

    <source_dir>/<doc>.txt|.md                     articles (and the standard disclaimer)
    <locales_dir>/templates/<catalog>.pot          generated templates
    <locales_dir>/<lang>/LC_MESSAGES/<catalog>.po  translators' files
    <build_dir>/<lang>/<doc>.<ext>                 drafts;  <build_dir>/release/<lang>/…  the last release
"""

from __future__ import annotations

from pathlib import Path

from polyleaf.config import Config

#: The catalogs that belong to no article: the standard disclaimer, and the words of the leaflet itself.
DISCLAIMER = "disclaimer"
INTERFACE = "interface"
#: Names a source article may not have, because a catalog or generated file of that name exists already.
RESERVED_NAMES = frozenset({DISCLAIMER, INTERFACE})


def template_path(config: Config, name: str) -> Path:
    return config.locales_dir / "templates" / f"{name}.pot"


def catalog_path(config: Config, language: str, name: str) -> Path:
    return config.locales_dir / language / "LC_MESSAGES" / f"{name}.po"


def output_dir(config: Config, release: bool) -> Path:
    """Drafts go to ``build/``, releases to ``build/release/``: a clinic never picks up a draft by mistake."""
    return config.build_dir / "release" if release else config.build_dir


def output_path(config: Config, language: str, name: str, extension: str, release: bool = False) -> Path:
    return output_dir(config, release) / language / f"{name}.{extension}"


def manifest_path(config: Config) -> Path:
    """``build/release.json``: what the last release published."""
    return config.build_dir / "release.json"


def status_page_path(config: Config) -> Path:
    return config.build_dir / "status.html"


def render_stamp_path(config: Config, output: Path) -> Path:
    """Where the hash of what an output was rendered from is kept (``build/.cache/…``, out of the clinic's way)."""
    return config.build_dir / ".cache" / f"{output.relative_to(config.build_dir)}.sha256"
