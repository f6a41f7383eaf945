"""Scripts beyond the seven: the font stacks of Devanagari, Bengali, Gurmukhi, Ethiopic, Myanmar and Urdu
(Nastaliq), the packaged Devanagari font, the one-line message naming the Debian package where a script has no
font, and QA's digits and sentence marks in those scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from polyleaf.errors import RenderError
from polyleaf.qa.model import CheckContext, EntryView
from polyleaf.qa.registry import check_catalog_entries
from polyleaf.render import fontconfig, fonts
from polyleaf.render.pdf import check_fonts


@pytest.mark.parametrize(
    ("language", "body", "heading"),
    [
        ("ne", "Noto Serif Devanagari", "Noto Sans Devanagari"),
        ("hi", "Noto Serif Devanagari", "Noto Sans Devanagari"),
        ("bn", "Noto Serif Bengali", "Noto Sans Bengali"),
        ("pa", "Noto Serif Gurmukhi", "Noto Sans Gurmukhi"),
        ("ti", "Noto Serif Ethiopic", "Noto Sans Ethiopic"),
        ("am", "Noto Serif Ethiopic", "Noto Sans Ethiopic"),
        ("my", "Noto Serif Myanmar", "Noto Sans Myanmar"),
        ("ur", "Noto Nastaliq Urdu", "Noto Sans Arabic"),
        ("fa", "Noto Naskh Arabic", "Noto Sans Arabic"),
        ("fa_AF", "Noto Naskh Arabic", "Noto Sans Arabic"),
        ("ps", "Noto Naskh Arabic", "Noto Sans Arabic"),
        ("so", "Noto Serif", "Noto Sans"),
        ("ht", "Noto Serif", "Noto Sans"),
    ],
)
def test_each_language_gets_its_scripts_faces(language: str, body: str, heading: str) -> None:
    stack = fonts.font_stack(language)
    assert (stack.body[0], stack.heading[0]) == (body, heading)


def test_urdu_falls_back_to_naskh_and_gets_nastaliq_leading() -> None:
    urdu, persian = fonts.font_stack("ur"), fonts.font_stack("fa")
    assert urdu.body[1] == "Noto Naskh Arabic" and urdu.line_height > persian.line_height


def test_devanagari_is_packaged_and_needs_no_system_font(monkeypatch: pytest.MonkeyPatch) -> None:
    [face] = fonts.packaged_faces("Noto Sans Devanagari")
    assert face.path.is_file() and face.family == "Noto Sans Devanagari polyleaf"
    monkeypatch.setattr(fontconfig, "missing_families", lambda families: list(families))  # a machine without Noto
    assert fonts.unavailable_families(fonts.font_stack("ne")) == []
    check_fonts("ne")


@pytest.mark.parametrize("language", ["ti", "bn", "pa", "my", "ur"])
def test_a_script_without_a_font_says_which_debian_package_to_install(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fontconfig, "missing_families", lambda families: list(families))
    monkeypatch.setattr("polyleaf.render.pdf.unavailable_families", fonts.unavailable_families)
    with pytest.raises(RenderError) as caught:
        check_fonts(language)
    message = str(caught.value)
    assert message.endswith("install the Debian package fonts-noto-core") and "\n" not in message
    assert f"for {language} is not installed" in message


def findings(language: str, source: str, target: str) -> list[str]:
    context = CheckContext(source_language="en", target_language=language, dnt_terms=(), required_terms={})
    found = check_catalog_entries([EntryView(source, target, 1, False)], context, Path("x.po"))
    return [f"{finding.check}: {finding.message}" for finding in found if finding.check in ("numbers", "punctuation")]


DOSE = "Take 2.5 mg of it."


@pytest.mark.parametrize(
    ("language", "right", "wrong_number"),
    [
        ("fa", "۲٫۵ mg از آن مصرف کنید.", "۳٫۵ mg از آن مصرف کنید."),  # Persian digits, Arabic decimal separator
        ("ps", "۲.۵ mg ترې واخلئ.", "۲.۷ mg ترې واخلئ."),
        ("ur", "اس کا ۲.۵ mg لیں۔", "اس کا ۵.۲ mg لیں۔"),
        ("ne", "यसको २.५ mg लिनुहोस्।", "यसको ३.५ mg लिनुहोस्।"),  # Devanagari digits, danda
        ("bn", "এর ২.৫ mg নিন।", "এর ২.৬ mg নিন।"),
        ("pa", "ਇਸਦਾ ੨.੫ mg ਲਓ।", "ਇਸਦਾ ੨.੮ mg ਲਓ।"),
        ("my", "၎င်းကို ၂.၅ mg သောက်ပါ။", "၎င်းကို ၃.၅ mg သောက်ပါ။"),
        ("ti", "ካብኡ 2.5 mg ውሰዱ።", "ካብኡ 3.5 mg ውሰዱ።"),  # the Ethiopic full stop
        ("am", "ከእሱ 2.5 mg ይውሰዱ።", "ከእሱ 25 mg ይውሰዱ።"),
    ],
)
def test_qa_reads_each_scripts_digits_and_sentence_marks(language: str, right: str, wrong_number: str) -> None:
    assert findings(language, DOSE, right) == []
    assert any("a number differs" in finding for finding in findings(language, DOSE, wrong_number))


@pytest.mark.parametrize(
    ("language", "latin_stop", "expected"),
    [("ti", "ካብኡ 2.5 mg ውሰዱ.", "።"), ("ne", "यसको २.५ mg लिनुहोस्.", "।"), ("ur", "اس کا ۲.۵ mg لیں?", "۔")],
)
def test_qa_asks_for_the_scripts_own_full_stop(language: str, latin_stop: str, expected: str) -> None:
    [finding] = findings(language, DOSE, latin_stop)
    assert finding.startswith("punctuation:") and expected in finding


def errors(language: str, source: str, target: str) -> list[str]:
    context = CheckContext(source_language="en", target_language=language, dnt_terms=(), required_terms={})
    found = check_catalog_entries([EntryView(source, target, 1, False)], context, Path("x.po"))
    return [f"{finding.check}: {finding.message}" for finding in found if finding.severity == "error"]


BOUND = "Do not give more than 4 doses in 24 hours."


@pytest.mark.parametrize(
    ("language", "translation"),
    [
        ("ne", "२४ घण्टामा ४ मात्राभन्दा बढी नदिनुहोस्।"),
        ("ur", "۲۴ گھنٹوں میں ۴ سے زیادہ خوراکیں نہ دیں۔"),
        ("ps", "په ۲۴ ساعتونو کې له ۴ خوراکونو زیات مه ورکوئ."),
        ("ti", "ኣብ 24 ሰዓት ካብ 4 ዓቐን ንላዕሊ ኣይትሃቡ።"),
        ("so", "Ha siin wax ka badan 4 qaadasho 24 saacadood gudahood."),
        ("de", "Geben Sie nicht mehr als 4 Dosen in 24 Stunden."),
    ],
)
def test_a_bound_in_a_language_without_qa_bound_words_is_not_an_error(language: str, translation: str) -> None:
    assert errors(language, BOUND, translation) == []


def test_a_bound_dropped_in_a_language_with_bound_words_is_still_an_error() -> None:
    assert errors("es", BOUND, "Dé 4 dosis en 24 horas.") == [
        "quantities: 4 doses: an upper bound in the source, not in the translation"
    ]


def test_dates_are_printed_in_the_digits_the_language_writes() -> None:
    """Nepali and Pashto leaflets print their dates in their own digits, as their body text does; Urdu and Arabic,
    whose CLDR default is Latin digits, keep them."""
    import datetime

    from polyleaf.locale import format_day

    day = datetime.date(2026, 12, 6)
    assert format_day(day, "ne").startswith("२०२६") and format_day(day, "ne").endswith("६")
    assert "۲۰۲۶" in format_day(day, "ps") and "2026" not in format_day(day, "ps")
    assert "2026" in format_day(day, "ur") and "2026" in format_day(day, "ar")
    assert format_day(day, "es") == "6 de diciembre de 2026"
