"""QA checks: one passing and one failing example per rule, across es, fr, ru, ar and zh_Hans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from polyleaf.qa.model import CheckContext, Diagnostic, EntryView, Finding, Severity
from polyleaf.qa.registry import CHECKS, check_catalog_entries, check_entry


def ctx(target: str, **kwargs: Any) -> CheckContext:
    return CheckContext("en", target, **kwargs)


def run(check_id: str, source: str, target: str, context: CheckContext) -> list[str]:
    (check,) = (c for c in CHECKS if c.id == check_id)
    return check.function(source, target, context)


# (check id, target language, source, target, expected messages)
CASES = [
    # numbers: decimal comma, NBSP / narrow NBSP grouping, Arabic-Indic digits and ٫, ranges, percentages
    ("numbers", "es", "Take 2.5 mg twice a day.", "Tome 2,5 mg dos veces al día.", []),
    ("numbers", "es", "Take 2.5 mg twice a day.", "Tome 25 mg dos veces al día.", ["2.5 mg → 25 mg: a number differs"]),
    ("numbers", "es", "Up to 1,000 people.", "Hasta 1.000 personas.", []),
    (
        "numbers",
        "es",
        "Up to 1,000 people.",
        "Hasta 1,000 personas.",
        ["1,000 → 1,000: a number differs (1,000 reads as 1 in es)"],
    ),
    ("numbers", "fr", "Up to 1,000 people.", "Jusqu’à 1\u202f000 personnes.", []),
    ("numbers", "fr", "Up to 1,000 people.", "Jusqu’à 1\u00a0000 personnes.", []),
    ("numbers", "fr", "Up to 1,000 people.", "Jusqu’à 1 000 personnes.", []),
    ("numbers", "fr", "Up to 1,000.5 ml.", "Jusqu’à 1\u202f000,5 ml.", []),
    ("numbers", "fr", "Up to 1,000 people.", "Jusqu’à 100 personnes.", ["1,000 → 100: a number differs"]),
    ("numbers", "ar", "Take 2.5 mg.", "تناول ٢٫٥ ملغ.", []),
    ("numbers", "ar", "Take 2.5 mg.", "تناول 2.5 ملغ.", []),
    ("numbers", "ar", "Up to 1,000 people.", "حتى ١٬٠٠٠ شخص.", []),
    ("numbers", "ar", "Take 2.5 mg.", "تناول ٢٥ ملغ.", ["2.5 mg → ٢٥ ملغ: a number differs"]),
    ("numbers", "ar", "Take 2–3 tablets (50%).", "تناول ٢–٣ أقراص (٥٠٪).", []),
    ("numbers", "ar", "Take 2–3 tablets.", "تناول ٣ أقراص.", ["2: missing in the translation"]),
    ("numbers", "zh_Hans", "Take 2-3 tablets, 3 times a day.", "每天3次，每次2–3片。", []),
    ("numbers", "zh_Hans", "Take 2 tablets, 3 times a day.", "每天2次，每次2片。", ["3 times → 2次: a number differs"]),
    ("numbers", "ru", "Take 5 mg.", "Примите дозу.", ["5 mg: missing in the translation"]),
    ("numbers", "ru", "Take 5 mg.", "Примите 5 мг через 12 часов.", ["12 часов: not in the source"]),
    ("numbers", "ru", "Seen on 12.05.2024.", "Осмотр 12.05.2024.", []),
    ("numbers", "es", "See https://example.org/page2.", "Vea https://example.org/page2.", []),
    ("numbers", "ja", "Take 2.5 mg.", "２．５mgを服用してください。", []),
    # units
    ("units", "ru", "Take 2.5 mg.", "Принимайте 2,5 мг.", []),
    ("units", "ru", "Take 2.5 mg.", "Принимайте 2,5 г.", ["2.5 mg → 2,5 г: a unit differs"]),
    ("units", "zh_Hans", "Take 500 mg and 10 mL.", "服用500毫克和10 ml。", []),
    ("units", "zh_Hans", "Take 500 mg.", "服用500克。", ["500 mg → 500克: a unit differs"]),
    ("units", "es", "Take 2-3 mg daily.", "Tome de 2 a 3 mg al día.", []),
    ("units", "es", "Take 400 IU of vitamin D.", "Tome 400 UI de vitamina D.", []),
    ("units", "es", "Take 400 mcg.", "Tome 400 µg.", []),
    ("units", "es", "Take 400 mcg.", "Tome 400 mg.", ["400 mcg → 400 mg: a unit differs"]),
    ("units", "fr", "Blood pressure above 140 mmHg.", "Pression au-dessus de 140\u00a0mmHg.", []),
    ("units", "fr", "Reduced by 20%.", "Réduit de 20\u202f%.", []),
    ("units", "fr", "Reduced by 20%.", "Réduit de 20.", ["20%: the unit % is missing in the translation"]),
    ("units", "ar", "Reduced by 20%.", "انخفض بنسبة ٢٠٪.", []),
    ("units", "ar", "Reduced by 20%.", "انخفض بنسبة ٢٠\u200f٪.", []),  # a right-to-left mark inside
    ("units", "tr", "Reduced by 20%.", "%20 oranında azaldı.", []),
    ("units", "ar", "Take 5 ml.", "تناول ٥ ملغ.", ["5 ml → ٥ ملغ: a unit differs"]),
    ("units", "ru", "Take 5 mg.", "Примите 50 мг.", []),  # a different number is the numbers check's job
    # schedule and negation (the table in test_qa_schedule.py covers every language)
    ("schedule", "es", "Take 2 tablets daily.", "Tome 2 comprimidos al día.", []),
    (
        "schedule",
        "es",
        "Take 2 tablets daily.",
        "Tome 2 comprimidos cada hora.",
        ["daily → cada hora: the frequency differs"],
    ),
    ("schedule", "fr", "Take the second dose at 8 pm.", "Prenez la deuxième dose à 20 h.", []),
    ("schedule", "ru", "Give 15 mg/kg.", "Дайте 15 мг.", ["/kg: missing in the translation"]),
    ("negation", "zh_Hans", "Do not take with alcohol.", "请勿与酒精同服。", []),
    (
        "negation",
        "es",
        "Do not take with alcohol.",
        "Tome con alcohol.",
        ["not take: the negation is missing in the translation"],
    ),
    # quantities: the role of each number (the table in test_qa_quantities.py covers every language)
    ("quantities", "es", "Apply ice for 10–15 minutes.", "Aplique hielo de 10 a 15 minutos.", []),
    (
        "quantities",
        "es",
        "Apply ice for 10–15 minutes.",
        "Aplique hielo durante 15–10 minutos.",
        ["10–15 minutes → 15–10 minutos: the range is reversed"],
    ),
    # acronyms
    ("acronyms", "es", "Low back pain (LBP) is common.", "El dolor lumbar (LBP) es frecuente.", []),
    ("acronyms", "es", "Take an NSAID (for example ibuprofen).", "Tome un AINE (por ejemplo ibuprofeno).", []),
    ("acronyms", "es", "Anti-inflammatory drugs (NSAIDs) help.", "Los antiinflamatorios (AINE) ayudan.", []),
    (
        "acronyms",
        "es",
        "Low back pain (LBP) is common.",
        "El dolor lumbar LBP es frecuente.",
        ["(LBP) → LBP: the brackets around the acronym are lost"],
    ),
    (
        "acronyms",
        "zh_Hans",
        "Low back pain (LBP) is common.",
        "腰痛很常见。",
        ["(LBP): the bracketed acronym is missing in the translation"],
    ),
    ("acronyms", "zh_Hans", "Low back pain (LBP) is common.", "腰痛（LBP）很常见。", []),
    # markup
    (
        "markup",
        "es",
        "**Disclaimer:** see [the study](https://x.org/a).",
        "**Aviso:** vea [el estudio](https://x.org/a).",
        [],
    ),
    (
        "markup",
        "es",
        "**Disclaimer:** read *this*.",
        "Aviso: lea *esto*.",
        ["**: 2 in the source, 0 in the translation"],
    ),
    ("markup", "fr", "Use `dose` *once*.", "Utilisez `dose` une fois.", ["*: 2 in the source, 0 in the translation"]),
    (
        "markup",
        "ru",
        "See [the study](https://x.org/a).",
        "См. [исследование](https://x.org/b).",
        ["link to https://x.org/a: missing or changed in the translation"],
    ),
    (
        "markup",
        "zh_Hans",
        "See [the study](https://x.org/a).",
        "见研究。",
        [
            "links: 1 in the source, 0 in the translation",
            "link to https://x.org/a: missing or changed in the translation",
        ],
    ),
    # markup as the leaflets render it: CJK, Thai and Arabic punctuation next to a delimiter, no spaces
    ("markup", "zh_Hans", "**Warning:** if your face swells.", "**警告：**如果您的脸肿了。", []),
    ("markup", "zh_Hans", "Take *one* tablet.", "服用*“一片”*药。", []),
    ("markup", "ar", "**Warning:** if your face swells.", "**تحذير:**إذا تورم وجهك.", []),
    ("markup", "vi", "Not __two__ doses.", "Không phải **hai** liều.", []),  # __ and ** both make bold
    ("markup", "zh_Hans", "Not ~~three~~ doses.", "也不是~~三次：~~剂量。", []),
    (
        "markup",
        "zh_Hans",
        "**Warning:** if your face swells.",
        "** 警告：**如果您的脸肿了。",
        ["**: printed as characters: nothing pairs it (a space just inside it, or its other half missing)"],
    ),
    (
        "markup",
        "pt_BR",
        "Press `stop` now.",
        "Aperte `parar agora.",
        ["`: printed as characters: nothing pairs it (a space just inside it, or its other half missing)"],
    ),
    (
        "markup",
        "es",
        "Read the note[^1].",
        "Lea la nota.",
        ["footnote references: 1 in the source, 0 in the translation"],
    ),
    ("markup", "fr", "2 * 3 = 6 and my_var stays.", "2 * 3 = 6 et my_var reste.", []),  # literal in both
    # dnt
    ("dnt", "ru", "Ibuprofen is an NSAID.", "Ибупрофен — это NSAID.", []),
    ("dnt", "es", "Take Tylenol.", "Tome Tylenol.", []),
    ("dnt", "es", "Take Tylenol.", "Tome Tilenol.", ["Tylenol: do-not-translate term missing or changed"]),
    ("dnt", "zh_Hans", "Take Tylenol.", "服用Tylenol。", []),
    ("dnt", "es", "Take it with water.", "Tómelo con agua.", []),  # the term is not in the source
    # glossary
    ("glossary", "es", "Ask your Doctor.", "Pregunte a su médico.", []),
    ("glossary", "es", "Ask your doctor.", "Pregunte a su doctor.", ["doctor: the glossary requires “médico”"]),
    ("glossary", "es", "Ask your doctors.", "Pregunte a sus doctores.", []),  # whole words only
    # urls
    ("urls", "es", "Write to info@clinic.org.", "Escriba a info@clinic.org.", []),
    ("urls", "zh_Hans", "Visit https://who.int/news.", "访问https://who.int/news。", []),
    (
        "urls",
        "ar",
        "Visit https://who.int/news.",
        "زوروا https://who.int/ar/news.",
        ["https://who.int/news: missing or changed in the translation"],
    ),
    (
        "urls",
        "es",
        "Write to info@clinic.org.",
        "Escriba a info@clinica.org.",
        ["info@clinic.org: missing or changed in the translation"],
    ),
    # untranslated
    ("untranslated", "ru", "Ibuprofen reduces fever.", "Ибупрофен снижает температуру.", []),
    (
        "untranslated",
        "ru",
        "Ibuprofen reduces fever.",
        "Ibuprofen reduces fever.",
        ["the translation is identical to the source"],
    ),
    ("untranslated", "ru", "NSAID", "NSAID", []),
    ("untranslated", "es", "2.5 mg", "2.5 mg", []),
    ("untranslated", "es", "COVID-19:", "COVID-19:", []),
    # empty
    ("empty", "es", "Take it.", " ", ["the translation is empty (whitespace only)"]),
    ("empty", "es", "Take it.", "Tómelo.", []),
    # invisible: what QA reads is what prints (attack 1, findings 1 and 15)
    ("invisible", "ar", "Take 1.5 mg.", "خذ \u20661.5 mg\u2069.", []),  # an isolate keeps the dose whole
    (
        "invisible",
        "es",
        "Take 50 mg.",
        "Tome \u202e50\u202c mg.",
        [
            "U+202C POP DIRECTIONAL FORMATTING, U+202E RIGHT-TO-LEFT OVERRIDE: invisible, it makes what it encloses "
            'print in another order than it reads ("50" as "05"); remove it: the page sets the direction'
        ],
    ),
    (
        "invisible",
        "ar",
        "Take 1.5 mg.",
        "خذ 1\u200f.\u200f5 ملغ.",
        ["invisible direction marks make '1.5' print as '5.1': remove them or move them off the number"],
    ),
    (
        "invisible",
        "es",
        "Take it.",
        "Tómelo\x9b.",
        ["U+009B: a control character or noncharacter, not text; remove it"],
    ),
    # structure: no line break or block marker a reviewed translation adds (it would change the built file)
    ("structure", "es", "Rest.", "Descanse.", []),
    ("structure", "es", "# of doses", "# de dosis", []),
    (
        "structure",
        "es",
        "Rest.",
        "Descanse.\n\n# Deje el medicamento",
        ["a line break: it would start a new paragraph or heading in the built text"],
    ),
    (
        "structure",
        "es",
        "Drink water.",
        "<script>x()</script> Beba agua.",
        ["starts with '<scr': in a Markdown leaflet it would start an HTML block"],
    ),
    # every block construct CommonMark (and GitHub) knows, at the start of a translation
    *(
        ("structure", language, "See the guide: it helps.", translation, [f"starts with {start}: {would} {kind}"])
        for would in ["in a Markdown leaflet it would start"]
        for language, translation, start, kind in [
            ("fr", "[guide]: https://x.org aide", "'[gui'", "a link reference definition"),
            ("ru", "[^1]: см. руководство", "'[^1]'", "a link reference definition"),
            ("es", "    Vea la guía.", "spaces or a tab", "an indented code block"),
            ("vi", "\tXem hướng dẫn.", "spaces or a tab", "an indented code block"),
            ("pt_BR", "## Veja o guia", "'##'", "a heading"),
            ("ar", "> انظر الدليل", "'>'", "a block quote"),
            ("zh_Hans", "- 参见指南", "'-'", "a list item"),
            ("zh_Hans", "1) 参见指南", "'1)'", "a list item"),
            ("es", "```vea", "'```v'", "a code fence"),
            ("fr", "~~~ voir", "'~~~'", "a code fence"),
            ("ru", "***", "'***'", "a thematic break"),
            ("vi", "- - -", "'-'", "a thematic break"),
            ("pt_BR", "====", "'===='", "a setext heading underline"),
            ("ar", "|---|---|", "'|---'", "a table delimiter row"),
            ("zh_Hans", "[ ] 参见指南", "'['", "a task box or an alert"),
            ("es", "[!WARNING] Vea la guía.", "'[!WA'", "a task box or an alert"),
            ("fr", "<!-- voir --> le guide", "'<!--'", "an HTML block"),
        ]
    ),
    ("structure", "es", "[The guide](https://x.org) helps.", "[La guía](https://x.org) ayuda.", []),
    ("structure", "zh_Hans", "See https://x.org now.", "<https://x.org>现在就看。", []),
    ("structure", "ru", "1. Introduction", "1. Введение", []),
    ("structure", "es", "Take 2 doses.", "  Tome 2 dosis.", []),  # up to three spaces: no code block
    # length
    (
        "length",
        "zh_Hans",
        "Ibuprofen reduces pain and fever in most adults.",
        "布洛芬可减轻大多数成年人的疼痛和发烧。",
        [],
    ),
    (
        "length",
        "zh_Hans",
        "Ibuprofen reduces pain and fever in most adults.",
        "布洛芬。",
        ["the translation is 8% of the source length (about 45% expected)"],
    ),
    (
        "length",
        "ru",
        "Ibuprofen reduces pain and fever in most adults.",
        "Да.",
        ["the translation is 6% of the source length (about 100% expected)"],
    ),
    ("length", "ru", "Yes.", "Да, конечно, разумеется.", []),  # too short to judge
    # punctuation
    ("punctuation", "zh_Hans", "Is it safe?", "这安全吗？", []),
    (
        "punctuation",
        "zh_Hans",
        "Take it daily.",
        "每天服用.",
        ["the source ends with “.”; the translation should end with “。”"],
    ),
    ("punctuation", "ar", "Is it safe?", "هل هو آمن؟", []),
    (
        "punctuation",
        "ar",
        "Is it safe?",
        "هل هو آمن?",
        ["the source ends with “?”; the translation should end with “؟”"],
    ),
    ("punctuation", "hi", "Take it daily.", "इसे रोज़ लें।", []),
    ("punctuation", "hy", "Take it daily.", "Ընդունեք ամեն օր։", []),
    ("punctuation", "ja", "Is it safe?", "安全ですか。", []),
    ("punctuation", "es", "Is it **safe?**", "¿Es **seguro?**", []),
    ("punctuation", "fr", "Is it safe?", "Est-ce sans danger\u202f?", []),
    ("punctuation", "es", "Side effects", "Efectos secundarios", []),
    (
        "punctuation",
        "es",
        "Side effects",
        "Efectos secundarios.",
        ["the source has no final punctuation (a heading?); the translation ends with “.”"],
    ),
    (
        "punctuation",
        "ru",
        "Take it daily.",
        "Принимайте ежедневно",
        ["the source ends with “.”; the translation should end with “.”"],
    ),
    ("punctuation", "ru", "Wait...", "Подождите…", []),
    # spaces
    ("spaces", "es", "Take it daily.", "Tómelo a diario.", []),
    ("spaces", "es", "Take it daily. ", "Tómelo a diario.", ["trailing whitespace differs from the source"]),
    ("spaces", "ru", " Take it.", "Примите.", ["leading whitespace differs from the source"]),
    ("spaces", "fr", "Take it daily.", "Prenez-le  chaque jour.", ["double space in the translation"]),
    # brackets
    ("brackets", "zh_Hans", "Ask (your doctor).", "询问（您的医生）。", []),
    ("brackets", "zh_Hans", "Ask (your doctor).", "询问（您的医生。", ["unbalanced ( ) in the translation"]),
    ("brackets", "zh_Hans", "Say “no”.", "说「不」。", []),
    ("brackets", "fr", "Say “no”.", "Dites « non ».", []),
    ("brackets", "fr", "Say “no”.", "Dites « non.", ["unbalanced « » in the translation"]),
    ("brackets", "ru", "Say “no”.", "Скажите „нет“.", []),
    ("brackets", "ru", "Say “no”.", "Скажите “нет.", ["unbalanced “ ” in the translation"]),
    ("brackets", "ar", "Step 1) rest.", "الخطوة ١) الراحة.", []),  # the source leaves it open too
]


@pytest.mark.parametrize(("check_id", "language", "source", "target", "expected"), CASES)
def test_check(check_id: str, language: str, source: str, target: str, expected: list[str]) -> None:
    assert run(check_id, source, target, ctx(language, **_terms(check_id))) == expected


def _terms(check_id: str) -> dict[str, Any]:
    if check_id == "dnt":
        return {"dnt_terms": ("Tylenol", "NSAID")}
    if check_id == "glossary":
        return {"required_terms": {"doctor": "médico"}}
    if check_id == "untranslated":
        return {"dnt_terms": ("NSAID",)}
    return {}


def test_every_check_has_a_passing_and_a_failing_case() -> None:
    for check in CHECKS:
        outcomes = {bool(expected) for check_id, *_, expected in CASES if check_id == check.id}
        assert outcomes == {True, False} or check.id == "placeholders", check.id


@pytest.mark.parametrize(
    ("lost", "expected"),
    [((), []), (("⟦1⟧",), ["⟦1⟧: placeholder lost in machine translation"])],
)
def test_placeholders(lost: tuple[str, ...], expected: list[str]) -> None:
    assert run("placeholders", "Take **2 mg**.", "Tome 2 mg.", ctx("es", lost_placeholders=lost)) == expected


def test_registry() -> None:
    ids = [check.id for check in CHECKS]
    assert len(ids) == len(set(ids))
    severities = {check.id: check.severity for check in CHECKS}
    errors = {"numbers", "units", "quantities", "markup", "placeholders", "dnt", "empty", "urls", "acronyms"}
    errors |= {"structure", "schedule", "negation", "invisible"}
    assert {i for i, s in severities.items() if s == "error"} == errors | {"untranslated"}
    assert {i for i, s in severities.items() if s != "error"} == {
        "glossary",
        "length",
        "punctuation",
        "spaces",
        "brackets",
    }
    assert all(check.explanation and "\n" not in check.explanation for check in CHECKS)


def test_check_entry_clean() -> None:
    assert check_entry("Take 2.5 mg.", "Tome 2,5 mg.", ctx("es"), fuzzy=False) == []


@pytest.mark.parametrize(
    ("fuzzy", "number_severity", "punctuation_severity"),
    [(False, "error", "warning"), (True, "warning", "info")],
)
def test_check_entry_lowers_fuzzy_severity(
    fuzzy: bool, number_severity: Severity, punctuation_severity: Severity
) -> None:
    findings = check_entry("Take 2.5 mg.", "服用25毫克", ctx("zh_Hans"), fuzzy=fuzzy)
    assert findings == [
        Finding("numbers", number_severity, "2.5 mg → 25毫克: a number differs"),
        Finding(
            "punctuation",
            punctuation_severity,
            "the source ends with “.”; the translation should end with “。”",
        ),
    ]


@pytest.mark.parametrize("fuzzy", [False, True])
def test_untranslated_entry_gives_one_info(fuzzy: bool) -> None:
    findings = check_entry("Take 5 mg (twice).", "", ctx("ar"), fuzzy=fuzzy)
    assert findings == [Finding("untranslated", "info", "not translated yet")]


def test_whitespace_target_reports_only_empty() -> None:
    findings = check_entry("Take 5 mg.", "  ", ctx("ru"), fuzzy=False)
    assert [(f.check, f.severity) for f in findings] == [("empty", "error")]


def test_diagnostic_str() -> None:
    path = Path("locales/es/LC_MESSAGES/x.po")
    diagnostic = Diagnostic(path, 41, "error", "numbers", "2.5 → 25: a number differs", "Take 2.5 mg.")
    assert str(diagnostic) == "locales/es/LC_MESSAGES/x.po:41: error [numbers] 2.5 → 25: a number differs"


def test_check_catalog_entries() -> None:
    path = Path("locales/ar/LC_MESSAGES/aspirin.po")
    entries = [
        EntryView("", "Content-Type: text/plain; charset=UTF-8\n", 1, False),  # header: skipped
        EntryView("Is it safe?", "هل هو آمن؟", 20, False),
        EntryView("Take 2.5 mg.", "تناول ٢٥ ملغ.", 24, True),
        EntryView("Take **5 mg**.", "تناول ٥ ملغ.", 28, True, lost_placeholders=("⟦0⟧",)),
        EntryView("Rest.", "", 32, False),
    ]
    diagnostics = check_catalog_entries(entries, ctx("ar"), path)
    assert [str(d) for d in diagnostics] == [
        f"{path}:24: warning [numbers] 2.5 mg → ٢٥ ملغ: a number differs",
        f"{path}:28: warning [placeholders] ⟦0⟧: placeholder lost in machine translation",
        f"{path}:28: warning [markup] **: 2 in the source, 0 in the translation",
        f"{path}:32: info [untranslated] not translated yet",
    ]
    assert diagnostics[0].msgid == "Take 2.5 mg."
    assert diagnostics[0].path == path


def test_context_is_frozen() -> None:
    context = ctx("es")
    with pytest.raises(AttributeError):
        context.target_language = "fr"  # type: ignore[misc]
