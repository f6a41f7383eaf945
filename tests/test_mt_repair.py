"""MT repair: placeholders an engine dropped are put back — by alignment, by injection into the whole translation,
or by translating the pieces between markup — and named in the provenance."""

from __future__ import annotations

import pytest

from fake_engine import AligningFakeEngine, FakeEngine
from polyleaf.glossary import Glossary, GlossaryEntry
from polyleaf.mt.alignment import Alignment, best_target_token, compose, token_spans
from polyleaf.mt.engine import Aligned, AligningEngine
from polyleaf.mt.placeholders import protect
from polyleaf.mt.repair import first_pass, insert_atoms, second_pass
from polyleaf.mt.run import machine_translate

GLOSSARY = Glossary(entries=(GlossaryEntry("BVNA"), GlossaryEntry("MRI"), GlossaryEntry("LBP")))


def test_only_the_aligning_fake_has_the_capability() -> None:
    assert isinstance(AligningFakeEngine(), AligningEngine)
    assert not isinstance(FakeEngine(), AligningEngine)


def test_a_dropped_term_goes_where_the_attention_points() -> None:
    engine = AligningFakeEngine(drop={1})
    [result] = machine_translate(engine, ["An MRI before BVNA helps."], "en", "es", GLOSSARY)
    assert result.text == "nA MRI erofeb BVNA spleh."
    assert result.repaired == ("MRI",)
    assert result.provenance == "fake en-es 1.0 (repaired: MRI)"
    # decoded again with its alignment, which was enough: no pieces to translate
    assert [texts for texts, _, _ in engine.calls] == [["An {1} before {2} helps."]] * 2


def test_without_alignment_the_pieces_between_placeholders_are_translated() -> None:
    engine = FakeEngine(drop={1})
    [result] = machine_translate(engine, ["An MRI before BVNA helps."], "en", "es", GLOSSARY)
    assert result.text == "nA MRI erofeb BVNA spleh."
    assert result.lost_placeholders == () and result.repaired == ("MRI",)
    assert engine.calls[1][0] == ["An", "before", "helps."]


def test_a_term_never_lands_after_the_closing_punctuation() -> None:
    engine = AligningFakeEngine(drop={1})
    [result] = machine_translate(engine, ["Ask about BVNA today."], "en", "es", GLOSSARY)
    assert result.text == "ksA tuoba yadot BVNA."  # the last word attends most to it (the fake's edge weights)


def test_terms_at_the_edges_stay_at_the_edges() -> None:
    engine = AligningFakeEngine(drop={1, 2})
    [result] = machine_translate(engine, ["BVNA relieves chronic LBP."], "en", "es", GLOSSARY)
    assert result.text == "BVNA seveiler cinorhc LBP."
    assert result.repaired == ("BVNA", "LBP")


def test_lost_inner_emphasis_is_injected_where_its_translation_is() -> None:
    engine = AligningFakeEngine(drop={1})
    [result] = machine_translate(engine, ["See **this part** now, BVNA."], "en", "es", GLOSSARY)
    assert result.text == "eeS **siht trap** won, BVNA."
    assert result.repaired == ("**…**",)
    assert engine.calls[1][0] == ["See", "this part", "now, {3}."]


def test_lost_disclaimer_emphasis_and_link() -> None:
    engine = FakeEngine(drop={1, 2, 3})
    texts = ["**Disclaimer:** read [the guide](https://example.org/g) first."]
    [result] = machine_translate(engine, texts, "en", "es", Glossary())
    assert result.text == "**remialcsiD:** daer [eht ediug](https://example.org/g) tsrif."
    assert result.repaired == ("**…**", "[…](https://example.org/g)")


def test_a_segment_wrapped_in_markup_is_rewrapped() -> None:
    engine = AligningFakeEngine(drop={1, 2})
    [result] = machine_translate(engine, ["**Warning** now."], "en", "es", Glossary())
    assert result.text == "**gninraW** won."
    [whole] = machine_translate(FakeEngine(drop={1, 2}), ["**Stop here**."], "en", "es", Glossary())
    assert whole.text == "**potS ereh**." and whole.repaired == ("**…**",)


def test_nothing_lost_nothing_repaired() -> None:
    engine = AligningFakeEngine()
    [result] = machine_translate(engine, ["**Note:** BVNA helps."], "en", "es", GLOSSARY)
    assert result.text == "**etoN:** BVNA spleh."
    assert result.repaired == () and result.provenance == "fake en-es 1.0"
    assert len(engine.calls) == 1


def test_pieces_are_reassembled_when_injection_cannot_find_them() -> None:
    protected = protect("See **this** now.", ())
    draft = first_pass(Aligned("Mira ahora eso."), protected)
    assert draft.pieces() == ["See", "this", "now."]
    pieces = {"See": Aligned("Mira"), "this": Aligned("esto"), "now.": Aligned("ya.")}
    assert second_pass(draft, protected, pieces) == "Mira {1} esto {2} ya."


def test_injection_does_not_cut_a_word() -> None:
    protected = protect("See **sol** now.", ())
    draft = first_pass(Aligned("Mira solución ya."), protected)
    pieces = {"See": Aligned("Mira"), "sol": Aligned("sol"), "now.": Aligned("ya.")}
    assert second_pass(draft, protected, pieces) == "Mira {1} sol {2} ya."


def _alignment(source: str, target: str, links: dict[int, int]) -> Alignment:
    """Word-level alignment: target word → source word it attends to (fully)."""
    import re

    source_spans = tuple(match.span() for match in re.finditer(r"\S+", source))
    target_spans = tuple(match.span() for match in re.finditer(r"\S+", target))
    rows = tuple(
        tuple(1.0 if links.get(row) == column else 0.0 for column in range(len(source_spans)))
        for row in range(len(target_spans))
    )
    return Alignment(source_spans, target_spans, rows)


def test_insert_after_the_word_that_looked_at_the_placeholder() -> None:
    source = "The {1} scan takes an hour."
    target = "La exploración dura una hora."
    # "exploración" (1) looked at "{1}" (1): the term goes after that word, not inside it.
    alignment = _alignment(source, target, {0: 0, 1: 1, 2: 3, 3: 4, 4: 5})
    atom = protect("The MRI scan takes an hour.", ("MRI",)).mapping[0]
    assert insert_atoms(Aligned(target, alignment), source, [atom]) == "La exploración {1} dura una hora."
    half = Alignment(
        alignment.source_spans, ((0, 2), (3, 8), *alignment.target_spans[1:]), ((1.0,) + (0.0,) * 5, *alignment.weights)
    )
    assert insert_atoms(Aligned(target, half), source, [atom]) == "La exploración {1} dura una hora."
    nowhere = _alignment(source, target, {})
    assert insert_atoms(Aligned(target, nowhere), source, [atom]) is None


def test_best_target_token_and_compose() -> None:
    first = Alignment(((0, 2), (3, 6)), ((0, 4), (5, 9)), ((0.9, 0.1), (0.2, 0.8)))  # "ab cde" → "ABCD EFGH"
    second = Alignment(((0, 4), (5, 9)), ((0, 1), (2, 3)), ((0.0, 1.0), (1.0, 0.0)))  # "ABCD EFGH" → "x y"
    chained = compose(first, second)
    assert chained.source_spans == first.source_spans and chained.target_spans == second.target_spans
    assert [list(row) for row in chained.weights] == [pytest.approx([0.2, 0.8]), pytest.approx([0.9, 0.1])]
    assert best_target_token(chained, (0, 2)) == 1
    assert best_target_token(chained, (3, 6)) == 0
    assert best_target_token(chained, (10, 12)) is None
    with pytest.raises(ValueError, match="one row per target token"):
        Alignment(((0, 1),), ((0, 1),), ())


def test_token_spans_of_sentencepiece_pieces() -> None:
    assert token_spans(["▁La", "▁explor", "ación", "."], "La exploración.") == ((0, 2), (2, 9), (9, 14), (14, 15))
    assert token_spans(["▁", "{", "1", "}"], "{1}") == ((0, 0), (0, 1), (1, 2), (2, 3))
    assert token_spans(["<0xC3>", "<0xA9>"], "é") is None


def test_a_stray_half_of_a_pair_is_removed_after_terms_are_placed() -> None:
    # "{2}" (the closer of a lost pair) comes back alone, before the spot where the lost "{3}" (BVNA) belongs.
    engine = AligningFakeEngine(drop={1, 3})
    [result] = machine_translate(engine, ["See **this** now with BVNA today or later."], "en", "es", GLOSSARY)
    assert result.text == "eeS **siht** won htiw BVNA yadot ro retal."
    assert result.repaired == ("**…**", "BVNA")
