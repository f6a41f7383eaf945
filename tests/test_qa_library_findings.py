"""QA over a library finds what QA of each entry alone finds.

``check`` reads a library one catalog after the other, and QA shares work across them: a source sentence is read
once for all the languages it is translated into (``quantities.reading_of``, the source caches of ``schedule`` and
``negation``), and checks skip texts in which they cannot find anything. Here a multi-language corpus — the seed
articles through the fake engine, the held-out tables of correct and defective translations in seven languages and
scripts (quantities, schedules, clock times, negations, classes of words), the seed sentences' real translations and
generated dose sentences with swapped numbers — is checked as ``check`` does, language after language, and each
entry again alone: every cache of a text cleared before it and no check skipped. The findings must be the same.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import polyleaf.qa
import test_qa_classes
import test_qa_quantities
import test_qa_schedule
from fake_engine import FakeEngine
from polyleaf.qa.checks import check_numbers, check_quantities, check_units
from polyleaf.qa.model import CheckContext, Diagnostic, EntryView
from polyleaf.qa.quantities import Quantity
from polyleaf.qa.registry import CHECKS, check_catalog_entries, check_entry
from polyleaf.source.parse.reading import parse_document

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar")
#: Dose sentences as the check benchmark writes them ({a} < {b}): a number swapped in some.
DOSES = {
    "en": "Take {a} tablets every {b} hours, at most {c} mg a day.",
    "es": "Tome {a} comprimidos cada {b} horas, como máximo {c} mg al día.",
    "fr": "Prenez {a} comprimés toutes les {b} heures, au maximum {c} mg par jour.",
    "pt_BR": "Tome {a} comprimidos a cada {b} horas, no máximo {c} mg por dia.",
    "ru": "Принимайте по {a} таблетки каждые {b} часов, не более {c} мг в сутки.",
    "zh_Hans": "每{b}小时服用{a}片，每天最多{c}毫克。",
    "vi": "Uống {a} viên mỗi {b} giờ, tối đa {c} mg mỗi ngày.",
    "ar": "تناول {a} أقراص كل {b} ساعات، بحد أقصى {c} ملغ يوميًا.",
}

#: Hand-made pairs for the checks the tables leave quiet (links, markup, brackets, invisible and control characters,
#: block structure, copies, spaces), given in every language.
OTHERS = [
    ("See www.nhs.uk or write to help@clinic.org.", "Consulte www.nhs.uk o escriba a help@clinic.org."),
    ("See www.nhs.uk or write to help@clinic.org.", "Consulte www.nhs.org o escriba a ayuda@clinic.org."),
    ("See https://example.org/a_b for more.", "参见https://example.org/a_b了解更多。"),
    ("Read [the guide](https://example.org/guide).", "Lea [la guía](https://example.org/guia)."),
    ("Take **2 tablets** with *water*.", "Tome **2 comprimidos con *agua*."),
    ("Take 2 tablets (with water).", "Tome 2 comprimidos (con agua."),
    ("Take 2 tablets «now».", "Tome 2 comprimidos «ahora."),
    ("Take 50 mg.", "\u202bخذ 50 ملغ.\u202c"),
    ("Take 50 mg.", "خذ \u200f50\u200f ملغ."),
    ("Take 50 mg.", "Tome 50\u0007 mg."),
    ("Take 50 mg.", "Tome 50 mg.\n# Nota"),
    ("Take 50 mg.", "- Tome 50 mg."),
    ("Chronic low back pain (LBP) is common.", "Chronic low back pain (LBP) is common."),
    ("Take 50 mg.", "Tome  50 mg. "),
    ("Take 50 mg.", "   "),
    ("Take 50 mg.", "Tome 50 mg"),
    ("Call 112 <b>now</b>.", "Llame al 112 <b>ahora</b> <i>ya</i>."),
    ("Call <tel:112> now.", "Llame al 112 ahora."),
]


def _seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted((REPO / "source").glob("*.txt")):
        document = parse_document(path.read_text(encoding="utf-8"), path)
        sentences += [segment.text for segment in document.segments]
    return list(dict.fromkeys(sentences))


def corpus() -> dict[str, list[tuple[str, str]]]:
    """language → (English, translation) pairs, in the order a catalog would hold them."""
    pairs: dict[str, list[tuple[str, str]]] = {language: [] for language in LANGUAGES}
    engine = FakeEngine()
    for sentence in _seed_sentences():
        for language in LANGUAGES:
            pairs[language].append((sentence, engine.translate_one(sentence)))
    for module in (test_qa_quantities, test_qa_schedule, test_qa_classes):
        for language, rows in module.TABLE.items():
            for key, (texts, defects) in rows.items():
                pairs[language] += [(module.SOURCES[key], text) for text in [*texts, *(t for t, _ in defects)]]
    for sentence, translations in test_qa_schedule.SEED_TRANSLATIONS.items():
        for language, text in translations.items():
            pairs[language].append((sentence, text))
    for language in LANGUAGES:
        pairs[language] += OTHERS
    for n in range(40):
        a, b, c = 1 + n % 4, 6 + n, 100 * (n + 1)
        for language in LANGUAGES:
            swapped = n % 5 == 3
            text = DOSES[language].format(a=b if swapped else a, b=a if swapped else b, c=c)
            pairs[language].append((DOSES["en"].format(a=a, b=b, c=c), text))
    return pairs


def _text_caches() -> Iterator[object]:
    """The bounded caches of QA's modules: those that keep texts read (vocabularies are kept without a bound)."""
    for module_info in pkgutil.iter_modules(polyleaf.qa.__path__):
        module = importlib.import_module(f"polyleaf.qa.{module_info.name}")
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:
                yield value


def _alone(source: str, target: str, context: CheckContext, path: Path, line: int) -> list[Diagnostic]:
    for cache in _text_caches():
        cache.cache_clear()  # type: ignore[attr-defined]
    findings = check_entry(source, target, context, fuzzy=False)
    return [Diagnostic(path, line, f.severity, f.check, f.message, source, f.waived) for f in findings]


QUANTITY_CHECKS = (check_numbers, check_units, check_quantities)

#: The tests of whether a check can find anything in a text, before it reads it (``name`` of ``module``).
PRE_FILTERS = (
    ("checks", "_may_link"),
    ("checks", "_may_differ"),
    ("characters", "_may_hide"),
    ("typography", "_has_brackets_or_quotes"),
)


def test_a_library_checked_together_finds_what_each_entry_alone_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = corpus()
    assert sum(map(len, pairs.values())) >= 2000
    together: list[Diagnostic] = []
    for language, rows in pairs.items():
        views = [EntryView(source, target, line, False) for line, (source, target) in enumerate(rows, 1)]
        together += check_catalog_entries(views, CheckContext("en", language), Path(f"{language}.po"))
    for module, name in PRE_FILTERS:
        monkeypatch.setattr(f"polyleaf.qa.{module}.{name}", lambda *_args, **_kwargs: True)
    alone = [
        diagnostic
        for language, rows in pairs.items()
        for line, (source, target) in enumerate(rows, 1)
        for diagnostic in _alone(source, target, CheckContext("en", language), Path(f"{language}.po"), line)
    ]
    assert len({d.check for d in alone}) >= 16  # the corpus makes most checks speak
    assert together == alone


def test_every_character_the_invisible_check_looks_for_is_one_its_pre_filter_lets_through() -> None:
    from polyleaf.invisible import CONTROLS, EMBEDDINGS, MARKS
    from polyleaf.qa.characters import _may_hide

    looked_for = [chr(code) for code in range(0x110000) if CONTROLS.match(chr(code))] + [*EMBEDDINGS, *MARKS]
    assert len(looked_for) > 130
    assert all(_may_hide(f"Tome 50{char} mg") for char in looked_for)
    assert not _may_hide("خذ 50 ملغ، «مرتين» يوميًا (صباحًا) — 每天2次。")


_PIECES = [
    "Take",
    "Tome",
    "50",
    "٥٠",
    " ",
    "mg",
    "(",
    ")",
    "（",
    "【",
    "]",
    "[",
    "{",
    "「",
    "』",
    "«",
    "»",
    "“",
    "”",
    "„",
    '"',
    "<b>",
    "<tel:1>",
    "</b>",
    "*",
    "**",
    "_",
    "www.",
    "x.org",
    "https://",
    "@",
    "a@b.org",
    "](",
    "\u200f",
    "\u202b",
    "\u2066",
    "\x07",
    "\n",
    "\u2028",
    "\ufdd0",
    "#",
    "- ",
    ".",
]


@given(
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    st.sampled_from(["es", "ar", "zh_Hans"]),
)
@settings(max_examples=400, deadline=None)
def test_the_pre_filters_change_no_finding(source: str, target: str, language: str) -> None:
    context = CheckContext("en", language)
    checks = [check for check in CHECKS if check.id in {"urls", "invisible", "brackets"}]
    fast = [check.function(source, target, context) for check in checks]
    with pytest.MonkeyPatch.context() as patch:
        for module, name in PRE_FILTERS:
            patch.setattr(f"polyleaf.qa.{module}.{name}", lambda *_args, **_kwargs: True)
        assert [check.function(source, target, context) for check in checks] == fast


#: Numbers each language writes its own way: groups of a dot, a comma, a space, an apostrophe; decimals.
NUMBERS = [
    "Take 1,000 mg or 1.000 mg, at most 2,5 ml at 8:00.",
    "Take 1\u00a0000 mg, 1\u202f000 mg or 1’000 mg, 1.5 ml every 12 hours.",
    "Prenez 2,5 ml toutes les 4 à 6 heures, pas plus de 1 000 mg.",
]


@pytest.mark.parametrize("language", ["pt_BR", "pt_PT", "zh_Hans", "de_CH", "fr_CH", "es_MX", "en_IN", "ar_EG"])
def test_a_sentence_is_read_once_for_a_language_and_its_base_only_where_they_write_numbers_alike(
    language: str,
) -> None:
    """The checks name a language as configured ("pt_BR"), the negation check by its base ("pt"): a sentence is read
    once for both (``text.numbers_read_as``) only where both write numbers alike, whichever reads it first."""
    from polyleaf.qa import quantities

    base = language.split("_")[0]
    differ = False
    for text in NUMBERS:
        fresh = {variant: quantities._reading.__wrapped__(text, variant) for variant in (language, base)}
        differ = differ or fresh[language] != fresh[base]
        for first, then in ((language, base), (base, language)):
            quantities._reading.cache_clear()
            assert quantities.reading(text, first) == fresh[first]
            assert quantities.reading(text, then) == fresh[then]
            assert quantities.reading_of(text, then, source=True) == fresh[then]
    assert differ == (language in {"pt_PT", "de_CH", "es_MX"})
    quantities._reading.cache_clear()
    for variant in (language, base):
        quantities.reading(NUMBERS[0], variant)
    assert quantities._reading.cache_info().misses == (2 if differ else 1)


_QUANTITIES = st.lists(
    st.builds(
        lambda value, unit, role, optional, worded: Quantity(
            value, unit, role, str(value), f"{value} {unit}", 0, 1, optional, worded
        ),
        st.sampled_from([Decimal(1), Decimal(2), Decimal("0.5"), Decimal(12)]),
        st.sampled_from([None, "pill", "tablet", "capsule", "mg", "hour"]),  # a pill is loosely a tablet or capsule
        st.sampled_from(["", "min", "max", "bound", "start", "every", "for"]),
        st.booleans(),
        st.booleans(),
    ),
    max_size=6,
)


@given(_QUANTITIES, _QUANTITIES, _QUANTITIES, st.randoms(use_true_random=False))
@settings(max_examples=600, deadline=None)
def test_quantities_kept_in_order_leave_the_quantity_checks_nothing_to_pair(
    kept: list[Quantity], ones: list[Quantity], other_ones: list[Quantity], random: Random
) -> None:
    """The quantity checks skip pairing where the translation has the source's quantities in order, a "one" of
    either text aside (``_may_differ``): paired one by one, each with the first quantity left that fits, such
    quantities leave nothing to report."""
    from polyleaf.qa import checks

    kept = [replace(q, optional=False) for q in kept]

    def among(optional: list[Quantity]) -> tuple[Quantity, ...]:
        mixed = list(kept)
        for quantity in optional:
            mixed.insert(random.randint(0, len(mixed)), replace(quantity, optional=True))
        return tuple(mixed)

    numbers, others = among(ones), among(other_ones)
    if checks._may_differ(numbers, others):
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "_read", lambda *_args: (numbers, others, True))
        assert [check(" ", " ", CheckContext("en", "es")) for check in QUANTITY_CHECKS] == [[], [], []]
