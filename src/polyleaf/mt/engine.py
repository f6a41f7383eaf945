"""The machine translation engine protocol: what the MT stage needs from any engine (argos, or a fake in tests),
and ``Recipe``: what an engine declares about running in other processes."""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from polyleaf.mt.alignment import Alignment

if TYPE_CHECKING:
    from polyleaf.config.model import Config

Progress = Callable[[int], None]
"""Called with how many of the texts passed in were finished since the last call (increments sum to the total)."""


class Engine(Protocol):
    """Translates lists of texts between languages named by Babel identifiers (``en``, ``pt_BR``, ``zh_Hans``)."""

    name: str

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        """One translation per text, in order. Engines batch internally and report finished texts to
        ``progress``; duplicate texts are translated once."""
        ...

    def supports(self, source: str, target: str) -> bool:
        """Whether ``translate`` can handle this pair (directly or through a pivot language)."""
        ...

    def provenance(self, source: str, target: str) -> str:
        """What goes into the PO comment ``# mt: <provenance>``, e.g. ``argos en-es 1.0``."""
        ...


@dataclass(frozen=True, slots=True)
class Aligned:
    """A translation and, when the engine can tell, which source tokens each of its tokens came from."""

    text: str
    alignment: Alignment | None = None


@runtime_checkable
class AligningEngine(Engine, Protocol):
    """An engine that can also say where each translation came from (optional capability: MT repair re-inserts a
    dropped term where the source pointed; without it, repair translates the pieces around the term separately)."""

    def translate_aligned(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None
    ) -> list[Aligned]:
        """``translate``, with an alignment per translation (None where the engine has none)."""
        ...


class Recipe(abc.ABC):
    """An engine factory made of plain data (picklable by construction), which any process calls to make its own
    engine: a run whose tasks go to other processes sends them the recipe, never the engine. Being a ``Recipe`` is
    the declaration; an engine factory that is not one (a test's lambda) makes an engine that translates only in
    the process that made it."""

    @abc.abstractmethod
    def __call__(self, config: Config) -> Engine:
        """The engine, made in the calling process with ``config`` (its ``[mt]`` settings, threads included)."""

    def for_targets(self, engine: Engine, source: str, targets: Sequence[str]) -> Recipe:
        """The recipe workers get to translate ``source`` into ``targets``, pinned to what ``engine`` (made here
        by this recipe) chose, so workers need not look for it again. By default: this recipe."""
        return self

    def model_folders(self) -> tuple[Path, ...]:
        """The model folders the engine reads: what a worker that does not see this machine's files is sent."""
        return ()

    def relocated(self, folders: Mapping[Path, Path]) -> Recipe:
        """This recipe, reading each of its ``model_folders`` from where ``folders`` maps it (a worker's copy)."""
        return self
