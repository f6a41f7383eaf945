"""Machine translation models: the installed argos packages and CTranslate2 model folders, which configured
languages the configured engines cover (and under which licence), installing one from an ``.argosmodel`` file or a
CTranslate2 model folder or zip, removing one, downloading from the argos index. The ``polyleaf.mt`` modules are
imported inside these functions only, so every other command starts without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.config.model import Config
from polyleaf.pipeline.sources import Selection
from polyleaf.progress import ProgressFactory

if TYPE_CHECKING:
    from polyleaf.mt.model_archives import CtModel


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """Whether the configured source → target pair can be machine-translated, and with what."""

    language: str
    provenance: str  # "" when no installed package covers the pair
    licence: str = ""
    non_commercial: bool = False


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """An installed model as ``models list`` shows it: ``argos`` packages by pair, CTranslate2 models by name."""

    engine: str
    name: str
    version: str
    licence: str = ""
    non_commercial: bool = False
    languages: tuple[str, ...] = ()
    pair: tuple[str, str, str] | None = None  # an argos package's (from, to, version)

    def as_json(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "name": self.name,
            "version": self.version,
            "licence": self.licence or None,
            "non_commercial": self.non_commercial,
            "languages": list(self.languages),
        }


def installed_models() -> list[tuple[str, str, str]]:
    """(from, to, version) of every installed argos package."""
    from polyleaf.mt.packages import installed_packages

    return [(package.from_code, package.to_code, package.version) for package in installed_packages()]


def installed_ctranslate2_models() -> list[ModelInfo]:
    """Every installed CTranslate2 model folder, with its licence and languages."""
    from polyleaf.mt.model_archives import installed_ct2_models as installed_folders

    return [_info(model) for model in installed_folders()]


def _info(model: CtModel) -> ModelInfo:
    languages = sorted({identifier for identifier, _ in (*model.sources, *model.targets)})
    return ModelInfo("ctranslate2", model.name, model.version, model.licence, model.non_commercial, tuple(languages))


def model_coverage(config: Config) -> list[ModelStatus]:
    """For each configured language, what the configured engines would translate it with, and its licence."""
    from polyleaf.mt.registry import configured_engine

    engine = configured_engine(config)
    statuses = []
    for language in config.languages:
        if not engine.supports(config.source_language, language):
            statuses.append(ModelStatus(language, ""))
            continue
        licence, non_commercial = engine.licence(config.source_language, language)
        provenance = engine.provenance(config.source_language, language)
        statuses.append(ModelStatus(language, provenance, licence, non_commercial))
    return statuses


def non_commercial_models(config: Config, languages: Sequence[str] | None = None) -> dict[str, str]:
    """The configured languages (or ``languages``) that a non-commercial model translates: language → what the
    ``# mt:`` comments will name (its provenance) and its licence."""
    chosen = set(config.languages if languages is None else languages)
    return {
        status.language: f"{status.provenance} ({status.licence})"
        for status in model_coverage(config)
        if status.non_commercial and status.language in chosen
    }


def install_any(path: Path, progress: ProgressFactory | None = None) -> ModelInfo:
    """Install an ``.argosmodel`` file, or a CTranslate2 model folder or zip archive (it holds
    ``polyleaf-model.json``)."""
    from polyleaf.mt.model_archives import MANIFEST
    from polyleaf.mt.model_archives import install_ct2_model as install_folder

    if path.is_dir() or path.suffix.lower() == ".zip" or _holds(path, MANIFEST):
        return _info(install_folder(path, progress))
    source, target, version = install_model(path, progress)
    return ModelInfo("argos", f"{source}-{target}", version, "argos package", pair=(source, target, version))


def _holds(path: Path, name: str) -> bool:
    """Whether the zip archive at ``path`` has a member called ``name`` (in its top folder)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(member.rsplit("/", 1)[-1] == name for member in archive.namelist()[:10_000])
    except (OSError, zipfile.BadZipFile):
        return False


def remove_model(name: str) -> ModelInfo:
    """Remove the installed CTranslate2 model ``name``."""
    from polyleaf.mt.model_archives import remove_ct2_model as remove_folder

    return _info(remove_folder(name))


def install_model(path: Path, progress: ProgressFactory | None = None) -> tuple[str, str, str]:
    """Install a ``.argosmodel`` file offline; returns its (from, to, version), as ``installed_models`` does."""
    from polyleaf.mt.package_install import install_package

    package = install_package(path, progress)
    return package.from_code, package.to_code, package.version


def download_models(
    config: Config, languages: Sequence[str], progress: ProgressFactory | None = None
) -> list[tuple[str, str, str]]:
    """Fetch from the argos index what the languages need (fails in one line when offline); (from, to, version)
    of each package installed."""
    from polyleaf.mt.package_install import download_packages

    chosen = Selection(tuple(languages)).languages_of(config) if languages else config.languages
    packages = download_packages(chosen, source=config.source_language, progress=progress)
    return [(package.from_code, package.to_code, package.version) for package in packages]
