"""locale.plural_forms: the Plural-Forms GNU gettext uses (msginit's table and manual, else CLDR in CLDR's category
order), valid for msgfmt for every CLDR language."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from babel import Locale, localedata

from polyleaf import locale
from polyleaf.po.poread import plural_forms_problem

#: What each form means, from the GNU gettext manual ("Plural forms") and CLDR, as Python.
EXPECTED: dict[str, tuple[int, Callable[[int], int]]] = {
    "es": (2, lambda n: int(n != 1)),
    "fr": (2, lambda n: int(n > 1)),
    "pt_BR": (2, lambda n: int(n > 1)),
    "de": (2, lambda n: int(n != 1)),
    "ru": (3, lambda n: 0 if n % 10 == 1 and n % 100 != 11 else 1 if 2 <= n % 10 <= 4 and n % 100 // 10 != 1 else 2),
    "pl": (3, lambda n: 0 if n == 1 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2),
    "cs": (3, lambda n: 0 if n == 1 else 1 if 2 <= n <= 4 else 2),
    "zh_Hans": (1, lambda n: 0),
    "zh_Hant": (1, lambda n: 0),
    "vi": (1, lambda n: 0),
    "ja": (1, lambda n: 0),
    # Arabic: zero, one, two, few (3-10), many (11-99), other (100-102…): forms 4 and 5 in this order
    "ar": (6, lambda n: n if n < 3 else 3 if 3 <= n % 100 <= 10 else 4 if n % 100 >= 11 else 5),
    "cy": (6, lambda n: {0: 0, 1: 1, 2: 2, 3: 3, 6: 4}.get(n, 5)),
    "hi": (2, lambda n: int(n > 1)),
    "is": (2, lambda n: int(not (n % 10 == 1 and n % 100 != 11))),
}  # fmt: skip


def forms_of(value: str) -> tuple[int, Callable[[int], int]]:
    match = re.fullmatch(r"nplurals=(\d+); plural=(.+);", value)
    assert match, value
    return int(match.group(1)), gettext.c2py(match.group(2))


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_plural_forms_number_the_forms_as_gnu_and_cldr_do(language: str) -> None:
    nplurals, expected = EXPECTED[language]
    value = locale.plural_forms(language)
    found, function = forms_of(value)
    assert found == nplurals
    assert [function(n) for n in range(1001)] == [expected(n) for n in range(1001)]
    assert plural_forms_problem(value) == ""


def test_gnu_table_entries_are_written_as_msginit_writes_them() -> None:
    assert locale.plural_forms("es") == "nplurals=2; plural=(n != 1);"
    assert locale.plural_forms("pt_BR") == "nplurals=2; plural=(n > 1);"
    assert locale.plural_forms("ru").startswith("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 :")


@pytest.mark.slow
def test_every_cldr_language_gets_a_valid_expression_in_cldr_order() -> None:
    order = ("zero", "one", "two", "few", "many", "other")
    for identifier in sorted({name.split("_")[0] for name in localedata.locale_identifiers()}):
        value = locale.plural_forms(identifier)
        assert plural_forms_problem(value) == "", (identifier, value)
        nplurals, function = forms_of(value)
        rule = Locale.parse(identifier).plural_form
        counts = [*range(1001), 10**4, 10**5, 10**6, 10**7]  # "many" is for millions in a few languages
        used = [tag for tag in order if any(rule(n) == tag for n in counts)]
        if identifier in locale.GNU_PLURAL_FORMS:
            continue  # GNU's table wins over CLDR (fr, es: no "many" for millions; he: no "two"; lv: its order)
        assert nplurals == len(used)
        assert [used[function(n)] for n in counts] == [rule(n) for n in counts], identifier


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_a_six_form_arabic_plural(tmp_path: Path) -> None:
    path = tmp_path / "ar.po"
    forms = "".join(f'msgstr[{n}] "{n}"\n' for n in range(6))
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {locale.plural_forms("ar")}\\n"\n\n'
        f'msgid "a"\nmsgid_plural "as"\n{forms}',
        encoding="utf-8",
    )
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
