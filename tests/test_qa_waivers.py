"""Release gates and waivers (issue 11 item 4, issue 13 item 9): what a reviewer marks in the PO, QA honours.

``#, no-translate`` (or a translator comment ``# keep: reason``) allows a translation identical to the English;
``#, ignore-<check>`` (or ``# ignore-<check>: reason``) waives one check on one entry: its findings stay listed, as
info and ``waived``, and no longer count as errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from polyleaf.qa.model import CheckContext, Diagnostic, EntryView, Finding
from polyleaf.qa.registry import CHECKS, check_catalog_entries, check_entry
from polyleaf.qa.waivers import bind

PATH = Path("locales/ar/LC_MESSAGES/leaflet.po")


def diagnostics(entry: EntryView, language: str = "ar", **context: Any) -> list[Diagnostic]:
    return check_catalog_entries([entry], CheckContext("en", language, **context), PATH)


@pytest.mark.parametrize(
    ("flags", "comment", "markers"),
    [
        (frozenset(), "", frozenset()),
        (frozenset({"no-translate"}), "", frozenset({"no-translate"})),
        (frozenset(), "keep: brand name, printed on the box", frozenset({"no-translate"})),
        (frozenset(), "Keep: the clinic's name", frozenset({"no-translate"})),
        (frozenset(), "keep it short", frozenset()),  # a comment, not a marker
        (
            frozenset({"ignore-units"}),
            "checked with Dr. Lee.\nignore-numbers: the dual says two",
            frozenset({"ignore-units", "ignore-numbers"}),
        ),
        (  # the line may be a sentence an editor wrapped: no waiver (``?numbers`` says what it would have waived)
            frozenset(),
            "checked with Dr. Lee, who says never use\nignore-numbers: the dual says two",
            frozenset({"?numbers"}),
        ),
        (frozenset(), "mt: argos en-ar 1.0\nignore-numbers: the dual says two", frozenset({"ignore-numbers"})),
        (frozenset(), "ignore-units: checked\nignore-numbers: the dual says two", {"ignore-units", "ignore-numbers"}),
        (frozenset(), "so we\nkeep: the brand", frozenset({"?untranslated"})),
        (frozenset({"python-format"}), "no-translate", frozenset({"python-format", "no-translate"})),
    ],
)
def test_markers_come_from_flags_and_translator_comments(
    flags: frozenset[str], comment: str, markers: frozenset[str]
) -> None:
    assert EntryView("Aspirin", "Aspirin", 3, False, flags=flags, translator_comment=comment).markers == markers


# ------------------------------------------------------------------------------------------- identical text


@pytest.mark.parametrize(
    ("fuzzy", "flags", "comment", "expected"),
    [
        (False, frozenset(), "", [("untranslated", "error")]),
        (True, frozenset(), "", [("untranslated", "warning")]),
        (False, frozenset({"no-translate"}), "", []),
        (False, frozenset(), "keep: the title of the study", []),
        (False, frozenset({"ignore-untranslated"}), "", [("untranslated", "info")]),
        (False, frozenset({"ignore-same"}), "", [("untranslated", "info")]),  # Weblate's name for it
    ],
)
def test_a_copy_of_the_english_is_an_error_unless_marked(
    fuzzy: bool, flags: frozenset[str], comment: str, expected: list[tuple[str, str]]
) -> None:
    source = "Chronic back pain affects millions."
    entry = EntryView(source, source, 12, fuzzy, flags=flags, translator_comment=comment)
    assert [(d.check, d.severity) for d in diagnostics(entry, "es")] == expected


@pytest.mark.parametrize("source", ["BVNA", "MRI: 2.5 mg", "Dr. Zachary Lipman", "https://who.int"])
def test_terms_numbers_and_addresses_may_stay_as_they_are(source: str) -> None:
    entry = EntryView(source, source, 5, False)
    assert diagnostics(entry, "ru", dnt_terms=("BVNA", "MRI", "Dr. Zachary Lipman")) == []


# ------------------------------------------------------------------------------------------- waivers


def test_the_arabic_dual_needs_no_waiver() -> None:
    assert diagnostics(EntryView("Rest for 2 days.", "استرح يومين.", 7, False)) == []


def test_a_waived_check_is_reported_as_waived_info_and_other_checks_still_count() -> None:
    # "one in two" spelled out with nothing counted after it is not read as numbers: a known false positive.
    source, target = "About **1 in 2** adults has back pain.", "حوالي واحد من كل اثنين من البالغين يعاني من ألم الظهر."
    entry = EntryView(source, target, 40, False, flags=frozenset({"ignore-numbers"}))
    found = diagnostics(entry)
    assert [(d.check, d.severity, d.waived) for d in found] == [
        ("numbers", "info", True),
        ("numbers", "info", True),
        ("markup", "error", False),
    ]
    assert str(found[0]) == f"{PATH}:40: info [numbers] 1: missing in the translation (waived)"
    assert str(found[2]) == f"{PATH}:40: error [markup] **: 2 in the source, 0 in the translation"


def test_without_the_waiver_the_same_entry_has_number_errors() -> None:
    source, target = "About 1 in 2 adults has back pain.", "حوالي واحد من كل اثنين من البالغين يعاني من ألم الظهر."
    found = diagnostics(EntryView(source, target, 40, False))
    assert [(d.check, d.severity, d.waived) for d in found] == [("numbers", "error", False)] * 2


def test_a_waiver_written_as_a_translator_comment() -> None:
    source, target = "Take 500 mg.", "تناول ٠٫٥ غ."  # a conversion the reviewer checked
    entry = EntryView(source, target, 9, False, translator_comment="ignore-numbers: 0.5 g is 500 mg\nignore-units")
    assert {(d.check, d.severity, d.waived) for d in diagnostics(entry)} == {("numbers", "info", True)}


def test_check_entry_takes_the_markers() -> None:
    findings = check_entry(
        "Take 5 mg.", "Tome 50 mg.", CheckContext("en", "es"), fuzzy=False, flags=frozenset({"ignore-numbers"})
    )
    assert findings == [Finding("numbers", "info", "5 mg → 50 mg: a number differs", waived=True)]


def test_a_waiver_of_one_check_waives_no_other() -> None:
    entry = EntryView("Take 2 tablets every 6 hours.", "Tome 6 comprimidos cada 2 horas.", 3, False)
    waived = EntryView(entry.msgid, entry.msgstr, 3, False, flags=frozenset({"ignore-numbers"}))
    assert [(d.check, d.severity) for d in diagnostics(waived, "es")] == [("units", "error")]
    assert [(d.check, d.severity) for d in diagnostics(entry, "es")] == [("units", "error")]


# ------------------------------------------------------------------------------------------- bound waivers
# A waiver is for one finding on one English sentence (issue 21): ``polyleaf run`` binds it to both.

HALF, HALF_ES = "About 1 in 2 adults has back pain.", "Aproximadamente uno de cada dos adultos tiene dolor de espalda."


def _bound(english: str, target: str, check: str = "numbers", language: str = "es", written: str = "") -> str:
    """The comment line a run writes for ``# ignore-<check>`` given on (english, target)."""
    finder = next(c.function for c in CHECKS if c.id == check)
    comments = bind(
        [f"ignore-{check}{written}"],
        (),
        english,
        target,
        lambda _: finder(english, target, CheckContext("en", language)),
    )
    assert comments is not None
    (line,) = comments
    return line


def test_a_run_binds_a_waiver_to_the_english_and_the_finding_keeping_the_reason() -> None:
    line = _bound(HALF, HALF_ES, written=": uno de cada dos is 1 in 2")
    assert re.fullmatch(
        r"ignore-numbers \(for [0-9a-f]{8}, translation [0-9a-f]{8}, finding [0-9a-f]{8}\): uno de cada dos is 1 in 2",
        line,
    )
    entry = EntryView(HALF, HALF_ES, 4, False, translator_comment=line)
    assert [(d.check, d.severity, d.waived) for d in diagnostics(entry, "es")] == [("numbers", "info", True)] * 2
    assert bind([line], ("ignore-numbers",), HALF, HALF_ES, lambda _: []) is None  # bound already: nothing to do


def test_a_waiver_no_longer_applies_when_the_english_changes() -> None:
    line = _bound(HALF, HALF_ES)
    changed = EntryView("About 1 in 3 adults has back pain.", HALF_ES, 4, False, translator_comment=line)
    found = diagnostics(changed, "es")
    assert [(d.check, d.severity, d.waived) for d in found] == [("numbers", "error", False)] * 2 + [
        ("waiver", "warning", False)
    ]
    assert str(found[-1]) == (
        f"{PATH}:4: warning [waiver] waiver for numbers no longer applies: the English changed since it was given; "
        "if it still holds, write it again"
    )


def test_a_waiver_no_longer_applies_when_the_translation_changes_whatever_the_check_finds() -> None:
    """A finding may quote the English only (the negation, an acronym, a missing unit): the binding covers the
    translation too, so any change of it re-opens the waiver (attack 1, finding 2)."""
    line = _bound("Take 500 mg.", "Tome 0,5 g.")
    for translation in ("Tome 50 mg.", "Tome 0,5 g de paracetamol."):  # a wrong dose; the same finding
        entry = EntryView("Take 500 mg.", translation, 9, False, translator_comment=line)
        found = diagnostics(entry, "es")
        assert [(d.check, d.severity, d.waived) for d in found] == [
            ("numbers", "error", False),
            ("waiver", "warning", False),
        ]
        assert "waiver for numbers no longer applies: the translation changed since it was given" in found[-1].message
    as_given = EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment=line)
    assert [(d.check, d.waived) for d in diagnostics(as_given, "es")] == [("numbers", True)]


def test_a_negation_waiver_stops_when_the_translation_changes() -> None:
    english, careful = "Do not drive after the procedure.", "Manténgase lejos del volante después del procedimiento."
    line = _bound(english, careful, "negation", written=": prohibition said another way")
    entry = EntryView(english, careful, 3, False, translator_comment=line)
    assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("negation", True)]
    reversed_meaning = EntryView(english, "Conduzca después del procedimiento.", 3, False, translator_comment=line)
    assert [(d.check, d.severity) for d in diagnostics(reversed_meaning, "es")] == [
        ("negation", "error"),
        ("waiver", "warning"),
    ]


def test_a_waiver_no_longer_applies_when_the_finding_changes() -> None:
    """Same English, same translation, another finding: a polyleaf that words it otherwise, another glossary."""
    line = _bound("Take 500 mg.", "Tome 0,5 g.")
    other = re.sub(r"finding [0-9a-f]{8}", "finding 00000000", line)
    found = diagnostics(EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment=other), "es")
    assert [(d.check, d.waived) for d in found] == [("numbers", False), ("waiver", False)]
    assert "what the check finds changed since it was given" in found[-1].message


def test_a_binding_of_an_older_polyleaf_says_no_translation_and_no_longer_applies() -> None:
    line = _bound("Take 500 mg.", "Tome 0,5 g.")
    older = re.sub(r" translation [0-9a-f]{8},", "", line)
    found = diagnostics(EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment=older), "es")
    assert [(d.check, d.waived) for d in found] == [("numbers", False), ("waiver", False)]
    assert "it does not say which translation it was given for (bound by an older polyleaf)" in found[-1].message
    assert bind([older], (), "Take 500 mg.", "Tome 0,5 g.", lambda _: []) is None  # bound: never re-bound silently


def test_a_bound_waiver_with_upper_case_hashes_applies() -> None:
    line = _bound("Take 500 mg.", "Tome 0,5 g.")
    upper = re.sub(r"[0-9a-f]{8}", lambda match: match[0].upper(), line)
    assert upper != line
    entry = EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment=upper)
    assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("numbers", True)]
    changed = EntryView("Take 500 mg.", "Tome 5 g.", 9, False, translator_comment=upper)
    assert [(d.check, d.waived) for d in diagnostics(changed, "es")] == [("numbers", False), ("waiver", False)]


def test_a_flag_carried_over_to_changed_english_does_not_revive_its_bound_waiver() -> None:
    line = _bound("Take 500 mg.", "Tome 0,5 g.")
    entry = EntryView(
        "Take 250 mg.", "Tome 0,5 g.", 9, False, flags=frozenset({"ignore-numbers"}), translator_comment=line
    )
    assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("numbers", False), ("waiver", False)]
    again = EntryView(entry.msgid, entry.msgstr, 9, False, translator_comment=f"{line}\nignore-numbers: 0,5 g is right")
    assert [(d.check, d.waived) for d in diagnostics(again, "es")] == [("numbers", True)]  # written again: applies


def test_a_flag_alone_is_bound_by_a_comment_line_that_msgmerge_keeps() -> None:
    finder = next(c.function for c in CHECKS if c.id == "numbers")
    context = CheckContext("en", "es")

    def findings(check: str) -> list[str]:
        return finder("Take 500 mg.", "Tome 0,5 g.", context) if check == "numbers" else []

    comments = bind(
        ["checked by Dr. Lee"], ("fuzzy", "ignore-same", "ignore-numbers"), "Take 500 mg.", "Tome 0,5 g.", findings
    )
    assert comments is not None and comments[0] == "checked by Dr. Lee"
    assert [line.split(" (")[0] for line in comments[1:]] == ["ignore-numbers", "ignore-same"]
    entry = EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment="\n".join(comments))
    assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("numbers", True)]  # no flags: still waived


def test_a_bound_waiver_wrapped_by_an_editor_is_read_whole() -> None:
    import textwrap

    line = _bound("Take 500 mg.", "Tome 0,5 g.", written=": a conversion the pharmacist checked, 0,5 g is 500 mg")
    for width in (12, 20, 30, 40, 78):
        wrapped = "\n".join(textwrap.wrap(line, width, break_long_words=False))  # what polib does to it
        entry = EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment=wrapped)
        assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("numbers", True)], width


def test_an_old_waiver_without_a_binding_applies_until_a_run_binds_it() -> None:
    entry = EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment="ignore-numbers: 0,5 g is 500 mg")
    assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("numbers", True)]


# ------------------------------------------------------------------------------------------- unmistakable waivers
# An editor that wraps comments can put ``ignore-numbers:`` of a reviewer's sentence at a line start (attack 1,
# finding 6): a marker line counts only when it starts a comment of its own.

NOTE = (
    "Reviewer note (Maria): checked against the pharmacy label; please never use ignore-numbers: the dose must "
    "match the English."
)


def test_a_reviewers_sentence_wrapped_onto_a_waiver_line_waives_nothing_and_says_why() -> None:
    import textwrap

    widths = [width for width in range(20, 120) if "\nignore-numbers:" in "\n".join(textwrap.wrap(NOTE, width - 2))]
    assert 78 in widths  # polib's default
    for width in widths:
        lines = textwrap.wrap(NOTE, width - 2, break_long_words=False)  # what polib does at ``width``
        entry = EntryView("Take 60 mg.", "Tome 6 mg.", 9, False, translator_comment="\n".join(lines))
        found = diagnostics(entry, "es")
        assert [(d.check, d.severity, d.waived) for d in found] == [
            ("numbers", "error", False),
            ("waiver", "warning", False),
        ], width
        assert "a comment line starting 'ignore-numbers:' continues the line before it" in found[-1].message
        assert bind(lines, (), "Take 60 mg.", "Tome 6 mg.", lambda _: ["x"]) is None, width  # her words stay


def test_a_waiver_after_a_sentence_or_a_qa_note_is_one() -> None:
    for comment in (
        "Checked against the label.\nignore-numbers: 0,5 g is 500 mg",
        "Checked with Maria\n\nignore-numbers: 0,5 g is 500 mg",  # a blank line (or a QA note: review.py) before
        "ignore-numbers: 0,5 g is 500 mg\nChecked with Maria",
    ):
        entry = EntryView("Take 500 mg.", "Tome 0,5 g.", 9, False, translator_comment=comment)
        assert [(d.check, d.waived) for d in diagnostics(entry, "es")] == [("numbers", True)], comment


def test_a_suspect_line_without_a_finding_is_quiet() -> None:
    entry = EntryView("Take 500 mg.", "Tome 500 mg.", 9, False, translator_comment="never\nignore-numbers: ok")
    assert diagnostics(entry, "es") == []


def test_entries_with_the_same_markers_share_one_set() -> None:
    """A run holds every checked entry's markers (the findings memo's keys): equal sets are one object."""
    from polyleaf.qa.waivers import markers_of

    first = markers_of(frozenset({"fuzzy"}), "mt: argos en-es 1.0")
    second = markers_of(frozenset({"fuzzy"}), "mt: argos en-es 1.0 (another entry)")
    assert first == {"fuzzy"} and first is second
    assert markers_of(frozenset(), "a note") is markers_of(frozenset(), "another note")
