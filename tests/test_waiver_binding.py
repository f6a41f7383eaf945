"""A waiver is for one finding on one translation of one English sentence, and unmistakable (attack 1, findings 2, 6
and 17), through the command line in process: ``run`` binds a waiver to the English, the translation and the
finding; any later change of the translation re-opens it, even when the finding quotes the English only (a
negation); a reviewer's sentence that an editor wrapped so that ``ignore-numbers:`` starts a line waives nothing;
a binding an editor upper-cased still applies."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpers import copied_project, po_path, set_translation
from po_editor import open_po
from polyleaf.cli import main
from release_helpers import DOSE, one_leaflet_project, review

TITLE, DRIVE, DOSE_LINE = "After the procedure", "Do not drive after the procedure.", "Take 60 mg at night."
SPANISH = {
    TITLE: "Después del procedimiento",
    DRIVE: "Manténgase lejos del volante después del procedimiento.",  # a prohibition the negation check cannot read
    DOSE_LINE: "Tome 60 mg por la noche.",
}
NOTE = (
    "Reviewer note (Maria): checked against the pharmacy label; please never use ignore-numbers: the dose must "
    "match the English."
)
BOUND = re.compile(r"ignore-negation \(for [0-9a-f]{8}, translation [0-9a-f]{8}, finding [0-9a-f]{8}\): prohibition")


def invoke(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def released(root: Path) -> Path:
    return root / "build" / "release" / "es" / f"{DOSE}.es.txt"


@pytest.fixture(scope="module")
def waived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reviewed Spanish leaflet with a negation waiver that a run bound, released."""
    source = f"{TITLE}\n{DRIVE}\n{DOSE_LINE}\n"
    root = one_leaflet_project(tmp_path_factory.mktemp("waivers") / "project", source, ("es",))
    review(root, "es", DOSE, text=lambda _language, msgid: SPANISH[msgid])
    po = open_po(po_path(root, "es", DOSE))
    po.find(DRIVE).comments = ["ignore-negation: prohibition said another way"]
    po.save()
    assert invoke(root, "run").exit_code == 0
    assert BOUND.search(po_path(root, "es", DOSE).read_text(encoding="utf-8"))
    assert invoke(root, "check").exit_code == 0
    assert invoke(root, "build", "--release").exit_code == 0 and released(root).is_file()
    return root


@pytest.mark.slow
def test_a_negation_waiver_stops_applying_when_the_translation_changes(waived: Path, tmp_path: Path) -> None:
    root = copied_project(waived, tmp_path)
    path = po_path(root, "es", DOSE)
    set_translation(path, DRIVE, '"Conduzca después del procedimiento."')  # "Drive after the procedure."
    line = open_po(path).find(DRIVE).line
    result = invoke(root, "check")
    assert result.exit_code == 1
    assert f"{DOSE}.po:{line}: error [negation] " in result.output
    assert (
        f"{DOSE}.po:{line}: warning [waiver] waiver for negation no longer applies: the translation changed since it "
        "was given; if it still holds, write it again\n"
    ) in result.output
    assert invoke(root, "build", "--release").exit_code == 0
    assert not released(root).exists()  # withheld, not published as "waived"
    assert invoke(root, "run").exit_code == 0
    assert BOUND.search(path.read_text(encoding="utf-8"))  # the binding is not renewed: the reviewer must say so


@pytest.mark.slow
def test_a_reviewers_sentence_an_editor_wrapped_is_no_waiver(waived: Path, tmp_path: Path) -> None:
    root = copied_project(waived, tmp_path)
    path = po_path(root, "es", DOSE)
    set_translation(path, DOSE_LINE, '"Tome 6 mg por la noche."')  # a typo: a tenth of the dose
    po = open_po(path)
    po.find(DOSE_LINE).comments = [NOTE]
    po.save()
    text = path.read_text(encoding="utf-8")
    wrapped = text.replace(f"# {NOTE}\n", "".join(f"# {line}\n" for line in textwrap.wrap(NOTE, 76)))  # polib, 78
    assert "\n# ignore-numbers: the dose must match the English.\n" in wrapped
    path.write_text(wrapped, encoding="utf-8")
    assert invoke(root, "run").exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert "\n# ignore-numbers: the dose must match the English.\n" in after  # her sentence as she wrote it
    assert "ignore-numbers (for" not in after
    diagnostics = json.loads(invoke(root, "check", "--json").output)
    found = [(d["check"], d["severity"], d["waived"]) for d in diagnostics if d["msgid"] == DOSE_LINE]
    assert found == [("numbers", "error", False), ("waiver", "warning", False)]
    assert invoke(root, "build", "--release").exit_code == 0
    assert not released(root).exists()


@pytest.mark.slow
def test_a_binding_an_editor_upper_cased_still_applies_and_is_not_bound_again(waived: Path, tmp_path: Path) -> None:
    root = copied_project(waived, tmp_path)
    path = po_path(root, "es", DOSE)
    text = path.read_text(encoding="utf-8")
    upper = BOUND.sub(lambda match: re.sub(r"[0-9a-f]{8}", lambda found: found[0].upper(), match[0]), text)
    assert upper != text
    path.write_text(upper, encoding="utf-8")
    diagnostics = json.loads(invoke(root, "check", "--json").output)
    assert [(d["check"], d["waived"]) for d in diagnostics if d["msgid"] == DRIVE] == [("negation", True)]
    assert invoke(root, "run").exit_code == 0
    assert path.read_text(encoding="utf-8") == upper


@pytest.mark.slow
def test_run_keeps_the_lines_a_translator_wrote_after_a_qa_note(waived: Path, tmp_path: Path) -> None:
    """Attack 1, finding 8: a translator answers a QA note on its line and below it; the finding then goes away
    (the note no longer holds) — ``run`` removes nothing of what they wrote."""
    root = copied_project(waived, tmp_path)
    path = po_path(root, "es", DOSE)
    set_translation(path, DOSE_LINE, '"Tome 6 mg por la noche."')
    assert invoke(root, "run").exit_code == 0
    note = "# qa: 60 mg → 6 mg: a number differs [numbers]"
    text = path.read_text(encoding="utf-8")
    assert f"\n{note}\n" in text
    answer = [
        f"{note} -- Maria: intentional, see below",
        "# Translator: the paediatric label says 6 mg, confirmed with the pharmacy",
        "# Reviewer: agreed, ticket [pil-14]",
    ]
    path.write_text(text.replace(f"\n{note}\n", "\n" + "\n".join(answer) + "\n"), encoding="utf-8")
    set_translation(path, DOSE_LINE, f'"{SPANISH[DOSE_LINE]}"')
    assert invoke(root, "run").exit_code == 0
    assert "\n".join(answer) in path.read_text(encoding="utf-8")
