"""The MT stage: protect, translate each distinct text once in one engine call, repair what the engine dropped,
restore, enforce the glossary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from polyleaf.errors import TranslationError
from polyleaf.glossary import Glossary
from polyleaf.mt.engine import Aligned, AligningEngine, Engine, Progress
from polyleaf.mt.placeholders import Protected, lost_placeholders, protect, restore
from polyleaf.mt.repair import first_pass, label, second_pass


@dataclass(frozen=True, slots=True)
class MtResult:
    """A machine translation of ``source_text``. ``repaired`` names the markup and terms the engine dropped and
    repair put back (also in ``provenance``); ``lost_placeholders`` what could not be put back."""

    source_text: str
    text: str
    provenance: str
    lost_placeholders: tuple[str, ...] = ()
    repaired: tuple[str, ...] = ()


def _translate(
    engine: Engine, texts: Sequence[str], source: str, target: str, progress: Progress | None, *, aligned: bool
) -> dict[str, Aligned]:
    """One engine call for ``texts``; with alignments when asked for and the engine can give them."""
    if not texts:
        return {}
    outputs: Sequence[Aligned]
    if aligned and isinstance(engine, AligningEngine):
        outputs = engine.translate_aligned(texts, source, target, progress=progress)
    else:
        outputs = [Aligned(text) for text in engine.translate(texts, source, target, progress=progress)]
    if len(outputs) != len(texts):
        raise TranslationError(f"engine {engine.name} returned {len(outputs)} translations for {len(texts)} texts")
    return dict(zip(texts, outputs, strict=True))


def _lost_an_atom(output: Aligned, protected: Protected) -> bool:
    return any(placeholder.kind in ("atom", "term") for placeholder in lost_placeholders(output.text, protected))


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
    Placeholders the engine dropped are repaired (``polyleaf.mt.repair``): texts that lost a term are decoded again
    with their alignment (one call, only with an engine that has ``translate_aligned``), and the pieces repair needs
    translated go to the engine in one more call. ``progress`` receives increments that add up to ``len(texts)``.
    """
    distinct = list(dict.fromkeys(texts))
    required = glossary.required_for(target)
    protected = {text: protect(text, glossary.dnt_terms, required) for text in distinct}
    engine_inputs = list(dict.fromkeys(item.text for item in protected.values() if item.translatable))
    outputs = _translate(engine, engine_inputs, source, target, progress, aligned=False)
    if progress is not None and len(texts) > len(engine_inputs):  # after the work: a rate counts them in its time
        progress(len(texts) - len(engine_inputs))
    # Attention costs about 6 % more decoding: asked for only where a term was lost, by decoding those texts again.
    if isinstance(engine, AligningEngine):
        realign = [
            item.text for item in protected.values() if item.translatable and _lost_an_atom(outputs[item.text], item)
        ]
        outputs |= _translate(engine, list(dict.fromkeys(realign)), source, target, None, aligned=True)
    drafts = {text: first_pass(outputs[item.text], item) for text, item in protected.items() if item.translatable}
    pieces = list(dict.fromkeys(piece for draft in drafts.values() for piece in draft.pieces()))
    translated_pieces = _translate(engine, pieces, source, target, None, aligned=True)
    provenance = engine.provenance(source, target)
    results: dict[str, MtResult] = {}
    for text, item in protected.items():
        draft = drafts.get(text)
        restored = restore(second_pass(draft, item, translated_pieces) if draft else item.text, item)
        repaired = (
            tuple(
                dict.fromkeys(
                    label(placeholder, item) for placeholder in draft.lost if placeholder.label not in restored.lost
                )
            )
            if draft
            else ()
        )
        noted = f"{provenance} (repaired: {', '.join(repaired)})" if repaired else provenance
        results[text] = MtResult(text, restored.text, noted, restored.lost, repaired)
    return [results[text] for text in texts]
