"""The MT stage: protect, translate each distinct text once in one engine call, restore, enforce the glossary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from polyleaf.errors import TranslationError
from polyleaf.glossary import Glossary
from polyleaf.mt.engine import Engine, Progress
from polyleaf.mt.placeholders import protect, restore


@dataclass(frozen=True, slots=True)
class MtResult:
    """A machine translation of ``source_text``; ``lost_placeholders`` names markup/terms the engine dropped."""

    source_text: str
    text: str
    provenance: str
    lost_placeholders: tuple[str, ...] = ()


def machine_translate(
    engine: Engine,
    texts: Sequence[str],
    source: str,
    target: str,
    glossary: Glossary,
    progress: Progress | None = None,
) -> list[MtResult]:
    """Translate ``texts`` (Babel identifiers ``source`` → ``target``), one result per text, in order.

    Distinct texts are protected (markup, do-not-translate terms, required terms of ``target``) and sent to the
    engine in a single call; texts with nothing translatable left (only markup, terms or numbers) skip the engine.
    ``progress`` receives increments that add up to ``len(texts)``.
    """
    distinct = list(dict.fromkeys(texts))
    required = glossary.required_for(target)
    protected = {text: protect(text, glossary.dnt_terms, required) for text in distinct}
    engine_inputs = list(dict.fromkeys(item.text for item in protected.values() if item.translatable))
    if progress is not None and len(texts) > len(engine_inputs):
        progress(len(texts) - len(engine_inputs))
    translations: dict[str, str] = {}
    if engine_inputs:
        outputs = engine.translate(engine_inputs, source, target, progress=progress)
        if len(outputs) != len(engine_inputs):
            raise TranslationError(
                f"engine {engine.name} returned {len(outputs)} translations for {len(engine_inputs)} texts"
            )
        translations = dict(zip(engine_inputs, outputs, strict=True))
    provenance = engine.provenance(source, target)
    results: dict[str, MtResult] = {}
    for text, item in protected.items():
        restored = restore(translations.get(item.text, item.text) if item.translatable else item.text, item)
        results[text] = MtResult(text, restored.text, provenance, restored.lost)
    return [results[text] for text in texts]
