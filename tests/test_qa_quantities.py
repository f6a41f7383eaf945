"""Quantities, not numbers: a held-out style table in every configured language (issue 11).

For each language: a correct translation of each source sentence passes; each swap or reversal (dose/frequency,
lower/upper bound and starting dose, range order, age limit, a changed number word, lost acronym brackets) is an
error of the named check; each equivalent form (½, half, 0.5, 1/2, decimal comma, Arabic-Indic and full-width
digits, spelled-out numbers, the Arabic dual) passes. All entries are checked as reviewed (not fuzzy).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_tables import Table, errors, failing, passing

SOURCES = {
    "dose": "Take 2 tablets every 6 hours.",
    "bounds": "Start with 5 mg and take at most 20 mg a day.",
    "range": "Apply ice for 10–15 minutes.",
    "age": "Not for children under 12 years.",
    "acronym": "Chronic low back pain (LBP) is common.",
    "half": "Take half a tablet.",
    "syrup": "Give 2.5 ml of syrup.",
    "spelled": "Take two tablets twice a day.",
    "three": "Take 3 tablets.",
    "days": "Rest for 2 days.",
}

TABLE: Table = {
    "es": {
        "dose": (["Tome 2 comprimidos cada 6 horas."], [("Tome 6 comprimidos cada 2 horas.", "units")]),
        "bounds": (
            ["Empiece con 5 mg y tome como máximo 20 mg al día."],
            [("Empiece con 20 mg y tome como máximo 5 mg al día.", "quantities")],
        ),
        "range": (
            [
                "Aplique hielo durante 10–15 minutos.",
                "Aplique hielo de 10 a 15 minutos.",
                "Aplique hielo entre 10 y 15 minutos.",
            ],
            [("Aplique hielo durante 15–10 minutos.", "quantities")],
        ),
        "age": (
            ["No apto para niños menores de 12 años."],
            [("No apto para niños mayores de 12 años.", "quantities")],
        ),
        "acronym": (
            ["El dolor lumbar crónico (LBP) es frecuente."],
            [("El dolor lumbar crónico LBP es frecuente.", "acronyms")],
        ),
        "half": (
            [
                "Tome medio comprimido.",
                "Tome ½ comprimido.",
                "Tome 0,5 comprimidos.",
                "Tome 1/2 comprimido.",
                "Tome la mitad de un comprimido.",
                "Tome una mitad de comprimido.",
            ],
            [("Tome un comprimido y medio.", "numbers")],
        ),
        "syrup": (["Administre 2,5 ml de jarabe."], [("Administre 2,5 mg de jarabe.", "units")]),
        "spelled": (["Tome dos comprimidos dos veces al día.", "Tome 2 comprimidos 2 veces al día."], []),
        "three": (["Tome tres comprimidos."], [("Tome dos comprimidos.", "numbers")]),
        "days": (["Descanse durante 2 días.", "Descanse durante dos días."], []),
    },
    "fr": {
        "dose": (["Prenez 2 comprimés toutes les 6 heures."], [("Prenez 6 comprimés toutes les 2 heures.", "units")]),
        "bounds": (
            ["Commencez par 5 mg et prenez au maximum 20 mg par jour."],
            [("Commencez par 20 mg et prenez au maximum 5 mg par jour.", "quantities")],
        ),
        "range": (
            [
                "Appliquez de la glace pendant 10 à 15 minutes.",
                "Appliquez de la glace pendant 10–15 minutes.",
                "Appliquez de la glace entre 10 et 15 minutes.",
            ],
            [("Appliquez de la glace pendant 15 à 10 minutes.", "quantities")],
        ),
        "age": (
            ["Ne convient pas aux enfants de moins de 12 ans."],
            [("Ne convient pas aux enfants de plus de 12 ans.", "quantities")],
        ),
        "acronym": (
            ["La lombalgie chronique (LBP) est fréquente."],
            [("La lombalgie chronique LBP est fréquente.", "acronyms")],
        ),
        "half": (
            [
                "Prenez un demi-comprimé.",
                "Prenez ½ comprimé.",
                "Prenez 0,5 comprimé.",
                "Prenez 1/2 comprimé.",
                "Prenez la moitié d’un comprimé.",
            ],
            [("Prenez 2 comprimés.", "numbers")],
        ),
        "syrup": (["Donnez 2,5 ml de sirop."], [("Donnez 25 ml de sirop.", "numbers")]),
        "spelled": (["Prenez deux comprimés deux fois par jour."], []),
        "three": (["Prenez trois comprimés."], [("Prenez trois gélules.", "units")]),
        "days": (["Reposez-vous pendant 2 jours.", "Reposez-vous pendant deux jours."], []),
    },
    "pt_BR": {
        "dose": (["Tome 2 comprimidos a cada 6 horas."], [("Tome 6 comprimidos a cada 2 horas.", "units")]),
        "bounds": (
            ["Comece com 5 mg e tome no máximo 20 mg por dia."],
            [("Comece com 20 mg e tome no máximo 5 mg por dia.", "quantities")],
        ),
        "range": (
            [
                "Aplique gelo por 10 a 15 minutos.",
                "Aplique gelo por 10–15 minutos.",
                "Aplique gelo entre 10 e 15 minutos.",
            ],
            [("Aplique gelo por 15 a 10 minutos.", "quantities")],
        ),
        "age": (
            ["Não indicado para crianças menores de 12 anos."],
            [("Não indicado para crianças maiores de 12 anos.", "quantities")],
        ),
        "acronym": (["A dor lombar crônica (LBP) é comum."], [("A dor lombar crônica LBP é comum.", "acronyms")]),
        "half": (
            [
                "Tome meio comprimido.",
                "Tome ½ comprimido.",
                "Tome 0,5 comprimido.",
                "Tome 1/2 comprimido.",
                "Tome metade de um comprimido.",
            ],
            [("Tome 5 comprimidos.", "numbers")],
        ),
        "syrup": (["Dê 2,5 ml de xarope."], [("Dê 2,5 g de xarope.", "units")]),
        "spelled": (["Tome dois comprimidos duas vezes ao dia."], []),
        "three": (["Tome três comprimidos."], [("Tome treze comprimidos.", "numbers")]),
        "days": (["Descanse por 2 dias.", "Descanse por dois dias."], []),
    },
    "ru": {
        "dose": (
            ["Принимайте по 2 таблетки каждые 6 часов."],
            [("Принимайте по 6 таблеток каждые 2 часа.", "units")],
        ),
        "bounds": (
            ["Начните с 5 мг и принимайте не более 20 мг в сутки."],
            [("Начните с 20 мг и принимайте не более 5 мг в сутки.", "quantities")],
        ),
        "range": (
            ["Прикладывайте лёд на 10–15 минут.", "Прикладывайте лёд на время от 10 до 15 минут."],
            [("Прикладывайте лёд на 15–10 минут.", "quantities")],
        ),
        "age": (
            ["Не предназначено для детей младше 12 лет."],
            [("Не предназначено для детей старше 12 лет.", "quantities")],
        ),
        "acronym": (
            ["Хроническая боль в пояснице (LBP) встречается часто."],
            [("Хроническая боль в пояснице LBP встречается часто.", "acronyms")],
        ),
        "half": (
            [
                "Примите половину таблетки.",
                "Примите ½ таблетки.",
                "Примите 0,5 таблетки.",
                "Примите 1/2 таблетки.",
                "Примите полтаблетки.",
            ],
            [("Примите полторы таблетки.", "numbers")],
        ),
        "syrup": (["Дайте 2,5 мл сиропа."], [("Дайте 2,5 л сиропа.", "units")]),
        "spelled": (
            ["Принимайте по две таблетки два раза в день.", "Принимайте по две таблетки дважды в день."],
            [],
        ),
        "three": (["Примите три таблетки."], [("Примите три капли.", "units")]),
        "days": (["Отдыхайте 2 дня.", "Отдыхайте два дня."], []),
    },
    "zh_Hans": {
        "dose": (["每6小时服用2片。"], [("每2小时服用6片。", "units")]),
        "bounds": (["起始剂量为5毫克，每天最多20毫克。"], [("起始剂量为20毫克，每天最多5毫克。", "quantities")]),
        "range": (
            ["冰敷10–15分钟。", "冰敷10至15分钟。", "冰敷十到十五分钟。"],
            [("冰敷15–10分钟。", "quantities")],
        ),
        "age": (["不适用于12岁以下儿童。"], [("不适用于12岁以上儿童。", "quantities")]),
        "acronym": (["慢性腰痛（LBP）很常见。"], [("慢性腰痛LBP很常见。", "acronyms")]),
        "half": (
            ["服用半片。", "服用½片。", "服用0.5片。", "服用1/2片。", "服用０．５片。"],
            [("服用一片半。", "numbers")],
        ),
        "syrup": (["服用2.5毫升糖浆。", "服用２．５毫升糖浆。"], [("服用2.5毫克糖浆。", "units")]),
        "spelled": (["每天两次，每次两片。", "一天两次，一次两片。", "每天2次，每次2片。"], []),
        "three": (["服用三片。", "服用３片。"], [("服用三粒胶囊。", "units")]),
        "days": (["休息2天。", "休息两天。"], []),
    },
    "vi": {
        "dose": (["Uống 2 viên mỗi 6 giờ."], [("Uống 6 viên mỗi 2 giờ.", "units")]),
        "bounds": (
            ["Bắt đầu với 5 mg, tối đa 20 mg mỗi ngày."],
            [("Bắt đầu với 20 mg, tối đa 5 mg mỗi ngày.", "quantities")],
        ),
        "range": (
            ["Chườm đá trong 10–15 phút.", "Chườm đá từ 10 đến 15 phút."],
            [("Chườm đá trong 15–10 phút.", "quantities")],
        ),
        "age": (["Không dùng cho trẻ em dưới 12 tuổi."], [("Không dùng cho trẻ em trên 12 tuổi.", "quantities")]),
        "acronym": (
            ["Đau thắt lưng mạn tính (LBP) rất phổ biến."],
            [("Đau thắt lưng mạn tính LBP rất phổ biến.", "acronyms")],
        ),
        "half": (["Uống nửa viên.", "Uống ½ viên.", "Uống 0,5 viên.", "Uống 1/2 viên."], [("Uống 5 viên.", "numbers")]),
        "syrup": (["Cho uống 2,5 ml siro."], [("Cho uống 2,5 mg siro.", "units")]),
        "spelled": (["Uống hai viên, hai lần mỗi ngày.", "Mỗi ngày uống hai lần, mỗi lần hai viên."], []),
        "three": (["Uống ba viên."], [("Uống ba giọt.", "units")]),
        "days": (["Nghỉ ngơi 2 ngày.", "Nghỉ ngơi hai ngày."], []),
    },
    "ar": {
        "dose": (["تناول قرصين كل ٦ ساعات.", "تناول ٢ قرص كل 6 ساعات."], [("تناول ٦ أقراص كل ساعتين.", "units")]),
        "bounds": (
            ["ابدأ بجرعة ٥ ملغ، ولا تتجاوز ٢٠ ملغ يوميًا."],
            [("ابدأ بجرعة ٢٠ ملغ، ولا تتجاوز ٥ ملغ يوميًا.", "quantities")],
        ),
        "range": (
            ["ضع الثلج لمدة ١٠–١٥ دقيقة.", "ضع الثلج من ١٠ إلى ١٥ دقيقة."],
            [("ضع الثلج لمدة ١٥–١٠ دقيقة.", "quantities")],
        ),
        "age": (["لا يُعطى للأطفال دون سن ١٢ عامًا."], [("لا يُعطى للأطفال فوق سن ١٢ عامًا.", "quantities")]),
        "acronym": (["ألم أسفل الظهر المزمن (LBP) شائع."], [("ألم أسفل الظهر المزمن LBP شائع.", "acronyms")]),
        "half": (["تناول نصف قرص.", "تناول ½ قرص.", "تناول ٠٫٥ قرص.", "تناول 1/2 قرص."], [("تناول قرصين.", "numbers")]),
        "syrup": (["أعطِ ٢٫٥ مل من الشراب.", "أعطِ 2.5 مل من الشراب."], [("أعطِ ٢٫٥ ملغ من الشراب.", "units")]),
        "spelled": (["تناول قرصين مرتين يوميًا."], []),
        "three": (["تناول ثلاثة أقراص."], [("تناول ثلاث قطرات.", "units")]),
        "days": (["استرح يومين.", "استرح لمدة يومين."], [("استرح ثلاثة أيام.", "numbers")]),
    },
}


PASSING = passing(TABLE)
FAILING = failing(TABLE)


@pytest.mark.parametrize(("language", "key", "translation"), PASSING)
def test_correct_and_equivalent_forms_pass(language: str, key: str, translation: str) -> None:
    assert errors(SOURCES[key], language, translation) == []


@pytest.mark.parametrize(("language", "key", "translation", "check"), FAILING)
def test_swaps_and_reversals_are_errors(language: str, key: str, translation: str, check: str) -> None:
    assert check in {finding.check for finding in errors(SOURCES[key], language, translation)}


def test_every_language_has_every_defect() -> None:
    """The table is complete: each language has a swap, a bound swap, a reversed range, a lost acronym."""
    for language, rows in TABLE.items():
        assert set(rows) == set(SOURCES), language
        defects = {(key, check) for key, (_, failing) in rows.items() for _, check in failing}
        assert {
            ("dose", "units"),
            ("bounds", "quantities"),
            ("range", "quantities"),
            ("acronym", "acronyms"),
        } <= defects


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        (
            "Tome 6 comprimidos cada 2 horas.",
            "2 tablets, 6 hours → 6 comprimidos, 2 horas: the numbers of tablet and hour are swapped",
        ),
        ("Aplique hielo durante 15–10 minutos.", "10–15 minutes → 15–10 minutos: the range is reversed"),
    ],
)
def test_messages_name_the_swap(translation: str, message: str) -> None:
    key = "dose" if "comprimidos" in translation else "range"
    assert message in [finding.message for finding in errors(SOURCES[key], "es", translation)]


def test_bounds_swap_message() -> None:
    findings = errors(SOURCES["bounds"], "es", "Empiece con 20 mg y tome como máximo 5 mg al día.")
    assert [f.message for f in findings] == [
        "5 mg, 20 mg: the starting dose and an upper bound in the source, swapped in the translation"
    ]


def test_num2words_is_imported_only_when_a_text_needs_it(tmp_path: Path) -> None:
    """``polyleaf check`` on a catalog without spelled-out numbers, and ``polyleaf --help``, don't pay for it; nor does
    a process after the first, which reads the words num2words wrote from this user's cache."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from polyleaf.qa.model import CheckContext; from polyleaf.qa.registry import check_entry; "
        "print('num2words' in sys.modules); "
        "check_entry('Take two tablets.', 'Tome dos comprimidos.', CheckContext('en', 'es'), fuzzy=False); "
        "print('num2words' in sys.modules)"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    imported = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
        ).stdout.split()
        for _process in range(2)
    ]
    assert imported == [["False", "True"], ["False", "False"]]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Take 2 tablets every 6 hours.", [("2", "tablet", ""), ("6", "hour", "every")]),
        ("en", "Rest for 3 days, then every day take 2 tablets.", [("3", "day", "for"), ("2", "tablet", "")]),
        ("zh_Hans", "请勿在一天内服用超过4克。", [("1", "day", ""), ("4", "g", "max")]),
        ("zh_Hans", "不适用于超过12岁的儿童。", [("12", "year", "min")]),
        ("fr", "Ne convient pas aux enfants de plus de 12 ans.", [("12", "year", "min")]),
        ("en", "Take at 8 pm and 20:00, for 20 h.", [("20", "hour", "for")]),
        ("ar", "تناول قرصا واحدا.", [("1", "tablet", "")]),
        ("zh_Hans", "服用第二剂。", []),
        ("en", "Do not take more than 4 g a day.", [("4", "g", "max"), ("1", "day", "")]),
        ("en", "Take one and a half tablets.", [("1.5", "tablet", "")]),
        ("es", "Tome un comprimido y medio.", [("1.5", "tablet", "")]),
        ("ru", "Не принимайте более 4 г в сутки.", [("4", "g", "max")]),
        ("zh_Hans", "一个半小时后再服用两片。", [("1.5", "hour", "after"), ("2", "tablet", "")]),
        ("zh_Hans", "每天不超过三次。", [("3", "times", "max")]),
        ("ar", "لا تتناول أكثر من ٤ غ يوميًا.", [("4", "g", "max")]),
        ("vi", "Chườm đá từ 10 đến 15 phút.", [("10", "minute", "min"), ("15", "minute", "max")]),
        ("fr", "Un enfant sur deux.", []),  # spelled-out numbers count only what they count
    ],
)
def test_quantities_are_read_with_unit_and_role(language: str, text: str, expected: list[tuple[str, str, str]]) -> None:
    from polyleaf.qa.quantities import quantities

    assert [(f"{q.value.normalize():f}", q.unit, q.role) for q in quantities(text, language)] == expected
