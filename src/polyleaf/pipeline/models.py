"""Machine translation models: the installed argos packages, which configured languages they cover, installing
one from a ``.argosmodel`` file, downloading from the argos index. ``polyleaf.mt.packages`` and ``polyleaf.mt.argos``
are imported inside these functions only, so every other command starts without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polyleaf.config import Config
from polyleaf.pipeline.sources import Selection
from polyleaf.progress import ProgressFactory


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """Whether the configured source → target pair can be machine-translated, and with what."""

    language: str
    provenance: str  # "" when no installed package covers the pair


def installed_models() -> list[tuple[str, str, str]]:
    """(from, to, version) of every installed argos package."""
    from polyleaf.mt.packages import installed_packages

    return [(package.from_code, package.to_code, package.version) for package in installed_packages()]


def model_coverage(config: Config) -> list[ModelStatus]:
    from polyleaf.mt.argos import ArgosEngine

    engine = ArgosEngine(config.mt)
    return [
        ModelStatus(
            language,
            engine.provenance(config.source_language, language)
            if engine.supports(config.source_language, language)
            else "",
        )
        for language in config.languages
    ]


def install_model(path: Path, progress: ProgressFactory | None = None) -> tuple[str, str, str]:
    """Install a ``.argosmodel`` file offline; returns its (from, to, version), as ``installed_models`` does."""
    from polyleaf.mt.packages import install_package

    package = install_package(path, progress)
    return package.from_code, package.to_code, package.version


def download_models(
    config: Config, languages: Sequence[str], progress: ProgressFactory | None = None
) -> list[tuple[str, str, str]]:
    """Fetch from the argos index what the languages need (fails in one line when offline); (from, to, version)
    of each package installed."""
    from polyleaf.mt.packages import download_packages

    chosen = Selection(tuple(languages)).languages_of(config) if languages else config.languages
    packages = download_packages(chosen, source=config.source_language, progress=progress)
    return [(package.from_code, package.to_code, package.version) for package in packages]
