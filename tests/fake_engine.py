"""A deterministic stand-in for a machine translation engine (tests only).

It "translates" by reversing every run of letters (``Disclaimer`` → ``remialcsiD``), so an unprotected term or
markup change is visible in the output, while ``{N}`` placeholders, digits, spaces and punctuation pass through.
``drop`` removes the given placeholder numbers from its output, to simulate an engine that loses them.
``AligningFakeEngine`` also has the optional ``translate_aligned`` capability.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from polyleaf.mt.alignment import Alignment
from polyleaf.mt.engine import Aligned, Recipe

_LETTERS = re.compile(r"[^\W\d_]+")
_PLACEHOLDER = re.compile(r"\s?\{(\d+)\}")


class FakeEngine:
    name = "fake"

    def __init__(
        self,
        *,
        pairs: Collection[tuple[str, str]] | None = None,
        drop: Collection[int] = (),
        batch_size: int = 2,
    ) -> None:
        self.pairs = pairs
        self.drop = set(drop)
        self.batch_size = batch_size
        self.calls: list[tuple[list[str], str, str]] = []

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        self.calls.append((list(texts), source, target))
        outputs = [self.translate_one(text) for text in texts]
        if progress is not None:
            for start in range(0, len(texts), self.batch_size):
                progress(len(texts[start : start + self.batch_size]))
        return outputs

    def translate_one(self, text: str) -> str:
        reversed_words = _LETTERS.sub(lambda match: match.group()[::-1], text)
        return _PLACEHOLDER.sub(lambda m: "" if int(m.group(1)) in self.drop else m.group(), reversed_words)

    def supports(self, source: str, target: str) -> bool:
        return self.pairs is None or (source, target) in self.pairs

    def provenance(self, source: str, target: str) -> str:
        return f"fake {source}-{target} 1.0"


class AligningFakeEngine(FakeEngine):
    """The fake engine with ``translate_aligned``: it translates word by word, so its alignment is known exactly;
    each output word attends 0.6 to its own source word and 0.2 to each neighbour, as a real decoder's soft
    attention spreads over the context."""

    name = "fake-aligned"

    def translate_aligned(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Callable[[int], None] | None = None,
    ) -> list[Aligned]:
        self.translate(texts, source, target, progress)
        return [self.align_one(text) for text in texts]

    def align_one(self, text: str) -> Aligned:
        output = self.translate_one(text)
        words = [(match.span(), self.translate_one(match.group()).strip()) for match in re.finditer(r"\S+", text)]
        target_spans: list[tuple[int, int]] = []
        rows: list[tuple[float, ...]] = []
        position = 0
        for index, (_, word) in enumerate(words):
            start = output.find(word, position) if word else -1
            if start < 0:
                continue
            position = start + len(word)
            target_spans.append((start, position))
            weights = [0.0] * len(words)
            for neighbour, share in ((index - 1, 0.2), (index, 0.6), (index + 1, 0.2)):
                if 0 <= neighbour < len(words):
                    weights[neighbour] = share
            rows.append(tuple(weight / sum(weights) for weight in weights))
        alignment = Alignment(tuple(span for span, _ in words), tuple(target_spans), tuple(rows))
        return Aligned(output, alignment)


def first_to_claim(marker: str) -> bool:
    """True for the first process to get here with ``marker`` (the file is created then), False for all others."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


@dataclass(frozen=True)
class _FakeEngineFactory(Recipe):
    """An engine recipe: worker processes can make their own FakeEngine (``mt_tasks.placement``)."""

    def __call__(self, config: object) -> FakeEngine:
        return FakeEngine()


fake_engine = _FakeEngineFactory()


@dataclass(frozen=True)
class WorkerEngineFactory(Recipe):
    """An engine recipe whose engines say which process translated (a line per call in ``log``: pid and
    the first text) and, with ``kill_marker``, kill their own process once, on their first call (the marker file
    records that one did: the task must run again elsewhere); ``delay``: seconds spent per text, so that a run has a
    middle to interrupt."""

    log: str
    kill_marker: str = ""
    delay: float = 0.0

    def __call__(self, config: object) -> FakeEngine:
        return _WorkerEngine(self)


class _WorkerEngine(FakeEngine):
    def __init__(self, factory: WorkerEngineFactory) -> None:
        super().__init__()
        self.factory = factory

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        if self.factory.kill_marker and first_to_claim(self.factory.kill_marker):
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(self.factory.delay * len(texts))
        with open(self.factory.log, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {target} {texts[0] if texts else ''}\n".replace("\n", " ").rstrip() + "\n")
        return super().translate(texts, source, target, progress)


class SavingEngine(FakeEngine):
    """The fake engine, with a translator who saves a PO file when it is first asked for ``language``."""

    def __init__(self, language: str, translator: Callable[[], None]) -> None:
        super().__init__()
        self.language, self.translator = language, translator

    def translate(
        self, texts: Sequence[str], source: str, target: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        if target == self.language and not any(called == target for _texts, _source, called in self.calls):
            self.translator()
        return super().translate(texts, source, target, progress)
