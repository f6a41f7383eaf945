"""The machine translation engine protocol: what the MT stage needs from any engine (argos, or a fake in tests)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from polyleaf.mt.alignment import Alignment

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
