"""A sentence's markup is its own (issue 20 item 3, issue 21 item 6, the second hostile test's section C).

Sentences of one paragraph are written side by side: with no space between them (Chinese, Japanese), or one
ending in a bare URL, an open bracket or a lone delimiter, a CommonMark renderer used to pair one sentence's
markup with its neighbour's (``**请勿驾驶。****请勿饮酒。**`` printed asterisks, a URL took in the next
sentence, ``[esto`` + ``](https://evil.example)`` made a link). The leaflets render each sentence on its own
(HTML, PDF) or write the join so that it renders so (``.md``: ``confined``); ``check`` reports what a sentence
shows on its own, which is then what the page shows. Also here: reference labels, footnote labels, raw HTML and
URLs a translation changes or adds, and the ``.md`` escapes that must not cancel each other.

The tables are held out: sentences and translations written for these tests, in several languages and scripts.
"""

from __future__ import annotations

import pytest

from polyleaf.qa import CheckContext, check_entry

# --- QA: what a sentence shows on its own --------------------------------------------------------------------

LANGUAGES = ["es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar"]
#: Per language: "read" (a verb), "advice" (a noun), "key" (a noun), "water" and its sentence end.
WORDS = {
    "es": ("Lea", "los consejos", "la tecla", "agua", "."),
    "fr": ("Lisez", "les conseils", "la touche", "eau", "."),
    "pt_BR": ("Leia", "os conselhos", "a tecla", "água", "."),
    "ru": ("Прочитайте", "советы", "клавишу", "воду", "."),
    "zh_Hans": ("阅读", "建议", "按键", "水", "。"),
    "vi": ("Đọc", "lời khuyên", "phím", "nước", "."),
    "ar": ("اقرأ", "النصائح", "المفتاح", "الماء", "."),
}
GLUED = {"zh_Hans"}  # written with no space around Latin text


def _words(language: str) -> tuple[str, ...]:
    return WORDS[language]


def _gap(language: str) -> str:
    return "" if language in GLUED else " "


def _errors(source: str, translation: str, language: str, check: str) -> list[str]:
    findings = check_entry(source, translation, CheckContext("en", language), fuzzy=False)
    return [f.message for f in findings if f.check == check and f.severity == "error"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_changed_reference_label_is_an_error(language: str) -> None:
    read, advice, *_, stop = _words(language)
    source = "Read the [NHS advice][nhs] first."
    assert _errors(source, f"{read} [{advice}][nhs]{stop}", language, "markup") == []
    assert _errors(source, f"{read} [{advice}][NHS]{stop}", language, "markup") == []  # labels ignore case
    assert _errors(source, f"{read} [{advice}][nsh]{stop}", language, "markup") == [
        "link to [nhs]: missing or changed in the translation"
    ]
    shortcut = "Ask your [pharmacist]."
    assert _errors(shortcut, f"{read} [{advice}]{stop}", language, "markup") == [
        "link to [pharmacist]: missing or changed in the translation"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_changed_footnote_label_is_an_error_whatever_the_label(language: str) -> None:
    read, advice, *_, stop = _words(language)
    for label, changed in (("1", "nota"), ("note", "nota"), ("a", "b")):
        source = f"Most people recover.[^{label}]"
        assert _errors(source, f"{read} {advice}{stop}[^{label}]", language, "markup") == []
        assert _errors(source, f"{read} {advice}{stop}[^{changed}]", language, "markup") == [
            f"footnote [^{label}]: missing or changed in the translation (it refers to [^{changed}])"
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bracketed_word_a_translation_adds_is_an_error(language: str) -> None:
    """A document with ``[other]: https://evil.example`` would link it; without, it prints brackets."""
    read, advice, _key, water, stop = _words(language)
    errors = _errors("Take it with water.", f"{read} {water} [{advice}]{stop}", language, "markup")
    assert f"link to [{advice.casefold()}]: not in the source (a reference link; write \\[ and \\] for brackets)" in (
        errors
    )
    assert _errors("Take it with water.", f"{read} {water} \\[{advice}\\]{stop}", language, "markup") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unpaired_bracket_is_an_error(language: str) -> None:
    read, advice, _key, water, stop = _words(language)
    gap = _gap(language)
    assert _errors("Take it with water.", f"{read}{gap}{water}{gap}[{advice}", language, "markup") == [
        "[: printed as characters: no bracket pairs it, and next to a neighbouring sentence's it could make a link "
        "(write \\[ for a bracket)"
    ]
    closing = _errors("Call us on 111.", f"](https://evil.example){gap}{read} 111{stop}", language, "markup")
    assert closing[0].startswith("]: printed as characters")
    assert _errors("Call us on 111.", f"](https://evil.example){gap}{read} 111{stop}", language, "urls") == [
        "https://evil.example: not in the source (the leaflet links it)"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_raw_html_a_translation_adds_is_an_error(language: str) -> None:
    read, _advice, key, water, stop = _words(language)
    source = "Press <kbd>Enter</kbd> to continue."
    assert _errors(source, f"{read} <kbd>{key}</kbd>{stop}", language, "markup") == []
    assert _errors(source, f"{read} <kbd>{key}</kbd> <img src=x onerror=alert(1)>{stop}", language, "markup") == [
        "raw HTML not in the source: <img src=x onerror=alert(1)> (written as text in the leaflets)"
    ]
    assert _errors("Take it with water.", f"{read} {water} <b>{key}</b>{stop}", language, "markup") == [
        "raw HTML not in the source: <b>, </b> (written as text in the leaflets)"
    ]
    assert _errors("Take it with water.", f"{read} `<b>` {water}{stop}", language, "markup") == [
        "`: 0 in the source, 2 in the translation"  # code, not HTML
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_url_the_leaflet_links_differently_or_newly_is_an_error(language: str) -> None:
    read, advice, _key, water, stop = _words(language)
    gap = _gap(language)
    source = "See https://example.org/a_(b) for help."
    glued = f"{read}{gap}https://example.org/a_(b){gap}{advice}{stop}"
    assert _errors(source, glued, language, "urls") == []  # bounded where the source's ends
    broken = f"{read}{gap}https://example.org/a_(b{gap}{advice}{stop}"
    assert _errors(source, broken, language, "urls")[0].startswith(
        "https://example.org/a_(b): missing or changed in the translation (the leaflet links "
    )
    added = f"{read} {water}, https://evil.example{stop}"
    assert _errors("Take it with water.", added, language, "urls") == [
        "https://evil.example: not in the source (the leaflet links it)"
    ]
