"""The MT stage with a deterministic fake engine: de-duplication, one engine call, markup, glossary, progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from fake_engine import FakeEngine
from polyleaf.errors import TranslationError
from polyleaf.glossary import Glossary, GlossaryEntry
from polyleaf.mt.engine import Engine
from polyleaf.mt.run import MtResult, machine_translate

GLOSSARY = Glossary(
    entries=(
        GlossaryEntry("BVNA"),
        GlossaryEntry("MRI"),
        GlossaryEntry("LBP"),
        GlossaryEntry("basivertebral nerve ablation", "es", "ablación del nervio basivertebral"),
    )
)


def test_fake_engine_is_an_engine() -> None:
    engine: Engine = FakeEngine()
    assert engine.translate(["Hello world"], "en", "es") == ["olleH dlrow"]


def test_duplicates_are_translated_once_in_one_call() -> None:
    engine = FakeEngine()
    texts = ["Pain relief.", "Back pain.", "Pain relief.", "Back pain.", "Pain relief."]
    results = machine_translate(engine, texts, "en", "es", Glossary())
    assert len(engine.calls) == 1
    assert engine.calls[0] == (["Pain relief.", "Back pain."], "en", "es")
    assert [result.source_text for result in results] == texts
    assert [result.text for result in results] == ["niaP feiler.", "kcaB niap."] * 2 + ["niaP feiler."]
    assert all(result.provenance == "fake en-es 1.0" for result in results)


def test_do_not_translate_terms_reach_the_output_verbatim() -> None:
    engine = FakeEngine()
    [result] = machine_translate(engine, ["An MRI before BVNA helps LBP patients."], "en", "es", GLOSSARY)
    assert result.text == "nA MRI erofeb BVNA spleh LBP stneitap."
    assert "MRI" not in engine.calls[0][0][0]
    assert result.lost_placeholders == ()


def test_required_terms_are_applied() -> None:
    engine = FakeEngine()
    [result] = machine_translate(engine, ["Basivertebral nerve ablation (BVNA) works."], "en", "es", GLOSSARY)
    assert result.text == "Ablación del nervio basivertebral (BVNA) skrow."
    [french] = machine_translate(engine, ["Basivertebral nerve ablation works."], "en", "fr", GLOSSARY)
    assert french.text == "larbetrevisaB evren noitalba skrow."


def test_markup_is_restored() -> None:
    engine = FakeEngine()
    [result] = machine_translate(
        engine, ["**Disclaimer:** read [the guide](https://example.org/guide) and `run` it."], "en", "es", Glossary()
    )
    assert result.text == "**remialcsiD:** daer [eht ediug](https://example.org/guide) dna `run` ti."


def test_texts_without_anything_to_translate_skip_the_engine() -> None:
    engine = FakeEngine()
    texts = ["BVNA", "**MRI**", "", "`code` 2.5", "Real text."]
    results = machine_translate(engine, texts, "en", "es", GLOSSARY)
    assert engine.calls == [(["Real text."], "en", "es")]
    assert [result.text for result in results] == ["BVNA", "**MRI**", "", "`code` 2.5", "laeR txet."]


def test_no_engine_call_when_nothing_to_translate() -> None:
    engine = FakeEngine()
    assert machine_translate(engine, [], "en", "es", Glossary()) == []
    assert engine.calls == []


def test_lost_placeholders_are_repaired_and_named_in_the_provenance() -> None:
    engine = FakeEngine(drop={2})
    [result] = machine_translate(engine, ["An MRI before BVNA."], "en", "es", GLOSSARY)
    assert result == MtResult(
        "An MRI before BVNA.", "nA MRI erofeb BVNA.", "fake en-es 1.0 (repaired: BVNA)", (), ("BVNA",)
    )


def test_progress_adds_up_to_the_number_of_texts() -> None:
    engine = FakeEngine(batch_size=2)
    steps: list[int] = []
    texts = ["One.", "Two.", "One.", "Three.", "BVNA", "Four.", "Five."]
    machine_translate(engine, texts, "en", "es", GLOSSARY, progress=steps.append)
    assert sum(steps) == len(texts)
    # one step per engine batch (the five distinct texts with words, two at a time), then the duplicate "One." and
    # "BVNA" (nothing to translate) last: reported first, they made the rate of the first step millions a second
    assert steps == [2, 2, 1, 2]


class _ShortEngine(FakeEngine):
    def translate(
        self, texts: Sequence[str], source: str, target: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        return super().translate(texts, source, target, progress)[:-1]


def test_engine_returning_too_few_translations_is_an_error() -> None:
    with pytest.raises(TranslationError, match="returned 1 translations for 2 texts"):
        machine_translate(_ShortEngine(), ["One.", "Two."], "en", "es", Glossary())
