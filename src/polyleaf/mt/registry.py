"""The engine registry: the engines ``[mt] engine`` names, and the engine a run gets from its configuration.

``ENGINES`` maps each engine name of ``polyleaf.config.mt.ENGINES`` to how it is made. ``RoutedEngine`` is what a run
translates with: for each target language it tries the configured choices in order (``[mt] engine``, or that
language's own list in ``[mt.languages]``) and uses the first whose engine covers the pair, so argos can serve es
and fr while an NLLB model serves so, ps and ti. A routed engine is made from plain data (the ``MtConfig``, and
for a cluster worker the model copies it was sent), so any worker process can make its own: ``ConfiguredEngines``,
the run's ``Recipe``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.config.model import Config
from polyleaf.config.mt import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.mt.engine import Aligned, AligningEngine, Engine, Progress, Recipe

if TYPE_CHECKING:
    from polyleaf.mt.model_archives import CtModel
    from polyleaf.mt.packages import ArgosPackage


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """One entry of an engine list: an engine name and, for ``ctranslate2``, optionally a model name."""

    engine: str
    model: str = ""

    @classmethod
    def parse(cls, text: str) -> EngineChoice:
        engine, _, model = text.partition(":")
        return cls(engine, model)

    def __str__(self) -> str:
        return f"{self.engine}:{self.model}" if self.model else self.engine


@dataclass(frozen=True, slots=True)
class Models:
    """The models engines use: None, those installed on this machine; else these (a cluster worker's copies)."""

    argos: tuple[ArgosPackage, ...] | None = None
    ctranslate2: tuple[CtModel, ...] | None = None


def _argos(mt: MtConfig, choice: EngineChoice, models: Models) -> Engine:
    from polyleaf.mt.argos import ArgosEngine

    return ArgosEngine(mt, models.argos)


def _ctranslate2(mt: MtConfig, choice: EngineChoice, models: Models) -> Engine:
    from polyleaf.mt.ctranslate2_engine import Ctranslate2Engine

    return Ctranslate2Engine(mt, choice.model, models.ctranslate2)


#: How each engine is made (the names are ``polyleaf.config.mt.ENGINES``).
ENGINES: dict[str, Callable[[MtConfig, EngineChoice, Models], Engine]] = {"argos": _argos, "ctranslate2": _ctranslate2}


class RoutedEngine:
    """The configured engines, each language routed to the first of its choices that covers the pair."""

    name = "configured"

    def __init__(self, mt: MtConfig, models: Models = Models()) -> None:
        self.mt = mt
        self.models = models
        self._engines: dict[EngineChoice, Engine] = {}

    def engine(self, choice: EngineChoice) -> Engine:
        """The engine of ``choice``, made once."""
        made = self._engines.get(choice)
        if made is None:
            made = self._engines[choice] = ENGINES[choice.engine](self.mt, choice, self.models)
        return made

    def chosen(self, source: str, target: str) -> Engine | None:
        """The engine that translates ``source`` → ``target``: the first configured choice that covers it."""
        for text in self.mt.engines_for(target):
            engine = self.engine(EngineChoice.parse(text))
            if engine.supports(source, target):
                return engine
        return None

    def _required(self, source: str, target: str) -> Engine:
        engine = self.chosen(source, target)
        if engine is None:
            raise TranslationError(f"no configured engine covers {source} → {target}")
        return engine

    def supports(self, source: str, target: str) -> bool:
        return self.chosen(source, target) is not None

    def provenance(self, source: str, target: str) -> str:
        return self._required(source, target).provenance(source, target)

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        return self._required(source, target).translate(texts, source, target, progress)

    def translate_aligned(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None
    ) -> list[Aligned]:
        engine = self._required(source, target)
        if isinstance(engine, AligningEngine):
            return engine.translate_aligned(texts, source, target, progress)
        return [Aligned(text) for text in engine.translate(texts, source, target, progress)]

    def licence(self, source: str, target: str) -> tuple[str, bool]:
        """The licence of what translates the pair, and whether it forbids commercial use (argos packages carry
        no licence field: their models are OPUS-MT, CC-BY)."""
        engine = self.chosen(source, target)
        from polyleaf.mt.ctranslate2_engine import Ctranslate2Engine

        if isinstance(engine, Ctranslate2Engine):
            model = engine.model_for(source, target)
            if model is not None:
                return model.licence, model.non_commercial
        return ("", False) if engine is None else ("argos package", False)

    def needed(self, source: str, targets: Sequence[str]) -> Models:
        """The models translating ``source`` into ``targets`` uses (what a cluster worker must be sent)."""
        from polyleaf.mt.argos import ArgosEngine
        from polyleaf.mt.ctranslate2_engine import Ctranslate2Engine

        packages: dict[str, ArgosPackage] = {}
        folders: dict[str, CtModel] = {}
        for target in targets:
            engine = self.chosen(source, target)
            if isinstance(engine, ArgosEngine):
                packages.update((str(package.path), package) for package in engine.route(source, target))
            elif isinstance(engine, Ctranslate2Engine):
                model = engine.model_for(source, target)
                folders.update({str(model.path): model} if model is not None else {})
        return Models(tuple(packages[key] for key in sorted(packages)), tuple(folders[key] for key in sorted(folders)))


@dataclass(frozen=True, slots=True)
class ConfiguredEngines(Recipe):
    """The recipe of the engine a run uses: the configured engines (``[mt]`` of the config it is called with)
    over ``models`` — plain data, so any worker process makes its own."""

    models: Models = Models()

    def __call__(self, config: Config) -> RoutedEngine:
        return RoutedEngine(config.mt, self.models)

    def for_targets(self, engine: Engine, source: str, targets: Sequence[str]) -> Recipe:
        """Pinned to the models ``engine`` chose here for ``targets`` (what a cluster worker must be sent)."""
        return ConfiguredEngines(engine.needed(source, targets)) if isinstance(engine, RoutedEngine) else self

    def model_folders(self) -> tuple[Path, ...]:
        argos = [package.path for package in self.models.argos or ()]
        return (*argos, *(model.path for model in self.models.ctranslate2 or ()))

    def relocated(self, folders: Mapping[Path, Path]) -> ConfiguredEngines:
        return ConfiguredEngines(
            Models(
                tuple(replace(package, path=folders[package.path]) for package in self.models.argos or ()),
                tuple(replace(model, path=folders[model.path]) for model in self.models.ctranslate2 or ()),
            )
        )


#: The engine a run uses unless told otherwise: the configured engines over the models installed here.
configured_engine = ConfiguredEngines()
