"""polyleaf's own comments survive the tools translators and coordinators re-save PO files with (issue 20 item 8,
issue 21 item 5): after polib (any wrap width), Babel (``write_po`` after ``read_po``), translate-toolkit, msgcat,
msgmerge and a Poedit-like editor, ``run`` and ``build`` read the machine suggestion of a changed sentence whole
(no new machine translation needed), QA notes are whole, and waivers still waive what they were given for.

Through the command line, in process (click's CliRunner), with the fake engine as the installed MT.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner, Result
from translate.storage import po as ttk_po

from fake_engine import FakeEngine
from helpers import REPO, copied_project, po_path, set_translation
from po_editor import open_po
from polyleaf import catalog, pipeline
from polyleaf.cli import main
from polyleaf.config import load_config

TITLE = "Taking your tablets safely"
DOSE = "Take 2 tablets every 6 hours with a full glass of water, and never more than 8 tablets in 24 hours."
HALF = "About 1 in 2 adults has back pain at some point in their lives."
GRAMS = "Take 500 mg of paracetamol with water."
KEEP = (
    "Keep the medicine in a cool, dry place, away from children and pets, and check the expiry date before every use."
)
NEW_KEEP = KEEP.replace("cool, dry place", "cool, dry, dark place").replace("every use", "every single use")
SPANISH = {
    TITLE: "Cómo tomar sus comprimidos con seguridad",
    DOSE: "Tome 3 comprimidos cada 6 horas con un vaso lleno de agua, y nunca más de 8 comprimidos en 24 horas.",
    HALF: "Aproximadamente uno de cada dos adultos tiene dolor de espalda en algún momento de su vida.",
    GRAMS: "Tome 0,5 g de paracetamol con agua.",
    KEEP: "Guarde el medicamento en un lugar fresco y seco, lejos de los niños y las mascotas, y compruebe la fecha de "
    "caducidad antes de cada uso.",
}
SUGGESTION = FakeEngine().translate_one(NEW_KEEP)  # what the draft shows for the changed sentence
GNU = all(shutil.which(tool) for tool in ("msgcat", "msgmerge"))


def invoke(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose Spanish doses.po has all of polyleaf's comments: a machine suggestion for a changed sentence
    (longer than any wrap width), QA notes on a machine translation with a wrong number, and two waivers given as
    a translator writes them — a comment line and a flag — bound to their English by a run."""
    root = tmp_path_factory.mktemp("comments") / "project"
    (root / "source").mkdir(parents=True)
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "source" / "doses.txt").write_text("\n".join([TITLE, DOSE, HALF, GRAMS, KEEP]) + "\n", encoding="utf-8")
    (root / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["txt"]\n', encoding="utf-8")
    config = load_config(root)
    pipeline.run(config, engine_factory=lambda config: FakeEngine())
    po = open_po(po_path(root, "es", "doses"))
    for entry in po:
        entry.msgstr = SPANISH[entry.msgid]
        if entry.msgid != DOSE:  # the wrong number stays a machine translation: QA notes, no release blocker
            entry.flags, entry.comments = [], []
    po.find(HALF).comments = ['ignore-numbers: "uno de cada dos" is 1 in 2']
    po.find(GRAMS).flags = ["ignore-numbers"]
    po.save()
    source = root / "source" / "doses.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(KEEP, NEW_KEEP), encoding="utf-8")
    pipeline.run(config, engine_factory=lambda config: FakeEngine())
    text = po_path(root, "es", "doses").read_text(encoding="utf-8")
    assert SUGGESTION in text and "#. qa: [numbers] 2 tablets → 3 comprimidos" in text
    assert re.search(r'# ignore-numbers \(for \w{8}, finding \w{8}\): "uno de cada dos" is 1 in 2\n', text)
    assert re.search(r"# ignore-numbers \(for \w{8}, finding \w{8}\)\n", text)  # the flag's binding
    return root


def polib_save(width: int) -> Callable[[Path, Path], None]:
    def save(path: Path, template: Path) -> None:
        polib.pofile(str(path), wrapwidth=width).save(str(path))

    return save


def babel_save(path: Path, template: Path) -> None:
    with path.open("rb") as file:
        messages = read_po(file)
    with path.open("wb") as file:
        write_po(file, messages)


def translate_toolkit_save(path: Path, template: Path) -> None:
    with path.open("rb") as file:
        store = ttk_po.pofile(file)
    with path.open("wb") as file:
        store.serialize(file)


def msgcat(*options: str) -> Callable[[Path, Path], None]:
    def save(path: Path, template: Path) -> None:
        path.write_bytes(subprocess.run(["msgcat", *options, str(path)], capture_output=True, check=True).stdout)

    return save


def msgmerge(path: Path, template: Path) -> None:
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(path), str(path), str(template)], check=True)


def poedit_like(path: Path, template: Path) -> None:
    open_po(path).save()


TOOLS: dict[str, Callable[[Path, Path], None]] = {
    "polib 78": polib_save(78),
    "polib 40": polib_save(40),
    "polib 12": polib_save(12),
    "babel": babel_save,
    "translate-toolkit": translate_toolkit_save,
    "msgcat --width=40": msgcat("--width=40"),
    "msgcat --no-wrap --sort-output": msgcat("--no-wrap", "--sort-output"),
    "msgmerge --previous": msgmerge,
    "poedit-like": poedit_like,
}
GNU_TOOLS = {"msgcat --width=40", "msgcat --no-wrap --sort-output", "msgmerge --previous"}


def notes(path: Path) -> dict[str, tuple[str, ...]]:
    return {entry.msgid: entry.extracted for entry in catalog.read_po(path).entries()}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_after_a_tool_saves_the_po_file_run_and_build_read_polyleafs_comments_whole(
    reviewed: Path, tmp_path: Path, tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tool in GNU_TOOLS and not GNU:
        pytest.skip("GNU gettext is not installed")
    root = copied_project(reviewed, tmp_path)
    path, template = po_path(root, "es", "doses"), root / "locales" / "templates" / "doses.pot"
    extracted = notes(path)
    TOOLS[tool](path, template)
    saved = path.read_text(encoding="utf-8")
    assert "enicidem" in saved  # the tool kept the suggestion (wrapped or not)…
    engine = FakeEngine()
    monkeypatch.setattr(pipeline, "default_engine", lambda config: engine)
    assert invoke(root, "run").exit_code == 0
    assert engine.calls == []  # …and run read it back whole: nothing to translate again
    draft = (root / "build" / "es" / "doses.es.txt").read_text(encoding="utf-8")
    assert f"\n{SUGGESTION}\n" in draft
    assert notes(path) == extracted  # QA notes and the template's comments whole, nothing left of a wrapped one
    diagnostics = json.loads(invoke(root, "check", "--json").output)
    waived = [(d["msgid"], d["check"], d["waived"]) for d in diagnostics if d["msgid"] in (HALF, GRAMS)]
    assert waived == [(HALF, "numbers", True)] * 2 + [(GRAMS, "numbers", True)]  # waivers kept, and still valid
    assert not [d for d in diagnostics if d["check"] == "waiver"]
    before = path.read_bytes()
    assert invoke(root, "build").exit_code == 0
    assert f"\n{SUGGESTION}\n" in (root / "build" / "es" / "doses.es.txt").read_text(encoding="utf-8")
    assert invoke(root, "run").exit_code == 0
    assert path.read_bytes() == before  # and a second run rewrites nothing


@pytest.mark.skipif(not GNU, reason="GNU gettext is not installed")
@pytest.mark.parametrize("tool", sorted(GNU_TOOLS))
def test_gnu_tools_drop_waiver_flags_and_keep_waiver_comments(reviewed: Path, tmp_path: Path, tool: str) -> None:
    """Why the README recommends ``# ignore-numbers: reason``: msgcat and msgmerge (0.21) drop a ``#,`` flag they
    do not know, and keep translator comments — the form a run binds every waiver to."""
    root = copied_project(reviewed, tmp_path)
    path = po_path(root, "es", "doses")
    TOOLS[tool](path, root / "locales" / "templates" / "doses.pot")
    grams = next(entry for entry in catalog.read_po(path).entries() if entry.msgid == GRAMS)
    assert "ignore-numbers" not in grams.flags
    assert [line for line in grams.comments if line.startswith("ignore-numbers (for ")]


def test_a_waiver_stops_applying_when_the_english_changes_and_says_where(reviewed: Path, tmp_path: Path) -> None:
    """The issue's case: ``#, ignore-numbers`` for a harmless conversion; the English dose changes; the translator
    approves the old translation — a wrong dose that must not be released as "waived"."""
    root = copied_project(reviewed, tmp_path)
    path = po_path(root, "es", "doses")
    source = root / "source" / "doses.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("500 mg", "1000 mg"), encoding="utf-8")
    assert invoke(root, "run").exit_code == 0
    new_grams = GRAMS.replace("500", "1000")
    set_translation(path, new_grams, f'"{SPANISH[GRAMS]}"')  # approved as it was: 0,5 g for 1000 mg
    line = next(entry.line for entry in catalog.read_po(path).entries() if entry.msgid == new_grams)
    result = invoke(root, "check")
    assert result.exit_code == 1
    assert f"doses.po:{line}: error [numbers] 1000 mg → 0,5 g: a number differs\n" in result.output
    assert (
        f"doses.po:{line}: warning [waiver] waiver for numbers no longer applies: the English changed since it was "
        "given; if it still holds, write it again\n"
    ) in result.output
    invoke(root, "build", "--release")
    assert not (root / "build" / "release" / "es" / "doses.es.txt").exists()
    set_translation(path, new_grams, '"Tome 1 g de paracetamol con agua."')  # fixed; the conversion waived again
    text = path.read_text(encoding="utf-8").replace(
        f'msgid "{new_grams}"', f'# ignore-numbers: 1 g is 1000 mg\nmsgid "{new_grams}"'
    )
    path.write_text(text, encoding="utf-8")
    waived = [d for d in json.loads(invoke(root, "check", "--json").output) if d["msgid"] == new_grams]
    assert [(d["check"], d["waived"]) for d in waived] == [("numbers", True)]


def test_an_old_waiver_is_bound_to_the_english_it_was_given_for(reviewed: Path, tmp_path: Path) -> None:
    """A waiver without a binding (written by hand, or before polyleaf bound them) applies to the entry as it is and
    is bound by the next run — to the previous English when the run finds that English changed."""
    root = copied_project(reviewed, tmp_path)
    path = po_path(root, "es", "doses")
    text = re.sub(r"ignore-numbers \(for \w{8}, finding \w{8}\)", "Ignore-Numbers", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    diagnostics = json.loads(invoke(root, "check", "--json").output)
    assert [d["waived"] for d in diagnostics if d["msgid"] in (HALF, GRAMS)] == [True] * 3  # as before the binding
    source = root / "source" / "doses.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("1 in 2", "1 in 3"), encoding="utf-8")
    assert invoke(root, "run").exit_code == 0
    new_half = HALF.replace("1 in 2", "1 in 3")
    set_translation(path, new_half, f'"{SPANISH[HALF]}"')  # approved unchanged: "uno de cada dos" is now wrong
    diagnostics = json.loads(invoke(root, "check", "--json").output)
    assert [(d["check"], d["severity"]) for d in diagnostics if d["msgid"] == new_half] == [
        ("numbers", "error"),
        ("numbers", "error"),
        ("waiver", "warning"),
    ]
    assert [d["waived"] for d in diagnostics if d["msgid"] == GRAMS] == [True]  # the English it was given for
    assert re.search(r"\n# Ignore-Numbers \(for \w{8}, finding \w{8}\)\n", path.read_text(encoding="utf-8"))
