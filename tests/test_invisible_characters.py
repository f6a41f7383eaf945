"""What QA checks is what prints (attack 1, findings 1 and 15), through the command line in process.

A bidi override around a dose made the PDF print "05 mg" while QA, which reads text without bidi controls, read
"50 mg". Now an embedding or override in a translation is a QA error on its PO line and no page prints it; a direction
mark that makes a number print as another one is an error too (an isolate that keeps a Latin name apart is not);
control characters and noncharacters a translator pasted into a PO file are errors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result

from helpers import copied_project, parse, po_path, set_translation
from helpers import invoke_in as invoke
from polyleaf.invisible import reordered_number
from release_helpers import DOSE, line_of, one_leaflet_project, review

TITLE, DOSE_LINE = "Your tablets", "Maximum dose: 50 mg a day."
TRANSLATIONS = {
    "es": {TITLE: "Sus comprimidos", DOSE_LINE: "Dosis máxima: 50 mg al día."},
    "ar": {TITLE: "أقراصك", DOSE_LINE: "الجرعة القصوى: 50 ملغ في اليوم."},
}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dose leaflet reviewed in Spanish and Arabic: QA finds nothing."""
    root = one_leaflet_project(
        tmp_path_factory.mktemp("invisible") / "project", f"{TITLE}\n{DOSE_LINE}\n", ("es", "ar")
    )
    for language in TRANSLATIONS:
        review(root, language, DOSE, text=lambda language, msgid: TRANSLATIONS[language][msgid])
    assert invoke(root, "run").exit_code == 0
    assert invoke(root, "check").exit_code == 0
    return root


def with_dose(reviewed: Path, tmp_path: Path, language: str, msgstr: str) -> tuple[Path, str]:
    """A copy of the project whose reviewed ``language`` translation of the dose line is ``msgstr`` (PO escapes as
    written), and the ``file:line`` QA names for it."""
    root = copied_project(reviewed, tmp_path)
    set_translation(po_path(root, language, DOSE), DOSE_LINE, msgstr)
    return root, f"locales/{language}/LC_MESSAGES/{DOSE}.po:{line_of(root, language, DOSE, DOSE_LINE)}"


def invisible_findings(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if "[invisible]" in line]


@pytest.mark.slow
def test_an_override_around_a_dose_is_an_error_and_no_page_prints_it(reviewed: Path, tmp_path: Path) -> None:
    root, where = with_dose(reviewed, tmp_path, "es", '"Dosis máxima: \u202e50\u202c mg al día."')
    result = invoke(root, "check")
    assert result.exit_code == 1
    (finding,) = invisible_findings(result)
    assert finding.startswith(f"{where}: error [invisible] ") and "U+202E RIGHT-TO-LEFT OVERRIDE" in finding, finding
    invoke(root, "build", "--release")
    assert not (root / "build" / "release" / "es" / f"{DOSE}.es.txt").exists()  # withheld: QA error
    assert invoke(root, "build").exit_code == 0  # the draft shows it, without the override: as QA read it
    txt = (root / "build" / "es" / f"{DOSE}.es.txt").read_text(encoding="utf-8")
    html = parse((root / "build" / "es" / f"{DOSE}.es.html").read_text(encoding="utf-8")).text()
    for page in (txt, html):
        assert "Dosis máxima: 50 mg al día." in page
        assert not re.search("[\u202a-\u202e]", page)


@pytest.mark.slow
def test_a_waived_override_still_prints_nothing_reordered(reviewed: Path, tmp_path: Path) -> None:
    """Even a reviewer who waives the finding cannot make a page print "05": the renderers drop the override."""
    root, _where = with_dose(reviewed, tmp_path, "es", '"Dosis máxima: \u202d\u202e50\u202c\u202c mg al día."')
    path = po_path(root, "es", DOSE)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'msgid "{DOSE_LINE}"', f'# ignore-invisible: pasted\nmsgid "{DOSE_LINE}"'), "utf-8")
    assert invoke(root, "run").exit_code == 0
    assert invoke(root, "check").exit_code == 0
    assert invoke(root, "build", "--release").exit_code == 0
    released = (root / "build" / "release" / "es" / f"{DOSE}.es.txt").read_text(encoding="utf-8")
    assert "Dosis máxima: 50 mg al día." in released


@pytest.mark.slow
@pytest.mark.parametrize(
    ("msgstr", "read", "printed"),
    [
        ('"الجرعة القصوى: 5\u200f0 ملغ في اليوم."', "50", "05"),  # a right-to-left mark between the digits
        ('"الجرعة القصوى: 50 ملغ في اليوم \u200f1\u200f.\u200f5."', "1.5", "5.1"),
    ],
)
def test_a_mark_that_makes_a_number_print_as_another_is_an_error(
    reviewed: Path, tmp_path: Path, msgstr: str, read: str, printed: str
) -> None:
    root, where = with_dose(reviewed, tmp_path, "ar", msgstr)
    result = invoke(root, "check")
    assert result.exit_code == 1
    (finding,) = invisible_findings(result)
    marks = f"invisible direction marks make {read!r} print as {printed!r}"
    assert finding.startswith(f"{where}: error [invisible] {marks}"), finding


@pytest.mark.slow
def test_marks_and_isolates_that_keep_numbers_whole_are_fine(reviewed: Path, tmp_path: Path) -> None:
    """The reason they exist: a Latin name or unit kept apart on a right-to-left page."""
    kept_apart = '"الجرعة القصوى: \u206650 mg\u2069 في اليوم (\u2066Panadol\u2069)\u200f."'
    root, _where = with_dose(reviewed, tmp_path, "ar", kept_apart)
    result = invoke(root, "check")
    assert result.exit_code == 0, result.output
    assert invisible_findings(result) == []


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u009b", "U+009B"),  # the 8-bit CSI a terminal showing the .txt leaflet obeys
        ("\u0085", "U+0085"),  # next line
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\ufffe", "U+FFFE"),
        ("\U0010ffff", "U+10FFFF"),
    ],
)
def test_a_control_character_or_noncharacter_in_a_po_file_is_an_error(
    reviewed: Path, tmp_path: Path, char: str, named: str
) -> None:
    root, where = with_dose(reviewed, tmp_path, "es", f'"Dosis máxima: 50{char}mg al día."')
    result = invoke(root, "check")
    assert result.exit_code == 1
    (finding,) = invisible_findings(result)
    assert finding == f"{where}: error [invisible] {named}: a control character or noncharacter, not text; remove it"


def test_the_bidi_layout_is_that_of_the_page_direction() -> None:
    """The same marks read in a left-to-right line: "1 RLM . RLM 5" prints "15." there, "5.1" right to left."""
    text = "1\u200f.\u200f5 mg"
    assert reordered_number(text, right_to_left=False) == ("1.5", "15")
    assert reordered_number(text, right_to_left=True) == ("1.5", "5.1")
    assert reordered_number("50 mg", right_to_left=True) is None
