"""polyleaf's own comments survive the tools translators and coordinators re-save PO files with (issue 20 item 8,
issue 21 item 5): after polib (any wrap width), Babel (``write_po`` after ``read_po``), translate-toolkit, msgcat,
msgmerge and a Poedit-like editor, ``run`` and ``build`` read the machine suggestion of a changed sentence whole
(no new machine translation needed), QA notes are whole, and waivers still waive what they were given for. And
polyleaf does not fight those tools (issue 22): after any of them, ``run`` changes no line.

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
from helpers import ARTICLE, REPO, content_project, copied_project, po_path, set_translation
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.catalog.notes import QA_NOTE
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.glossary import load_glossary
from polyleaf.pipeline import review, runner, translate
from polyleaf.po.pofile import header_field

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
#: A waiver's binding as a run writes it (``qa.waivers``): hashes of the English, the translation, the finding.
BOUND = r"\(for \w{8}, translation \w{8}, finding \w{8}\)"
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
    runner.run(config, engine_factory=lambda config: FakeEngine())
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
    runner.run(config, engine_factory=lambda config: FakeEngine())
    text = po_path(root, "es", "doses").read_text(encoding="utf-8")
    assert SUGGESTION in text and "\n# qa: 2 tablets → 3 comprimidos: a number differs [numbers]\n" in text
    assert re.search(rf'# ignore-numbers {BOUND}: "uno de cada dos" is 1 in 2\n', text)
    assert re.search(rf"# ignore-numbers {BOUND}\n", text)  # the flag's binding
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


def tool_copy(first: Path, tmp_path: Path, gnu: bool) -> Path:
    """A copy of the project ``first`` for one tool's test (skipped for GNU's tools where they are not installed)."""
    if gnu and not GNU:
        pytest.skip("GNU gettext is not installed")
    return copied_project(first, tmp_path)


def qa_notes(path: Path) -> dict[str, list[str]]:
    """The QA notes of each entry of a file polyleaf wrote (one line each)."""
    return {
        entry.msgid: [line.removeprefix(f"{QA_NOTE} ") for line in entry.comments if line.startswith("qa: ")]
        for entry in catalog.read_po(path).entries()
    }


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_after_a_tool_saves_the_po_file_run_and_build_read_polyleafs_comments_whole(
    reviewed: Path, tmp_path: Path, tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tool_copy(reviewed, tmp_path, tool in GNU_TOOLS)
    path, template = po_path(root, "es", "doses"), root / "locales" / "templates" / "doses.pot"
    notes = qa_notes(path)
    assert notes[DOSE]
    TOOLS[tool](path, template)
    saved = path.read_bytes()
    assert "enicidem" in saved.decode("utf-8")  # the tool kept the suggestion (wrapped or not)…
    engine = FakeEngine()
    monkeypatch.setattr(translate, "default_engine", lambda config: engine)
    assert invoke(root, "run").exit_code == 0
    assert engine.calls == []  # …and run read it back whole: nothing to translate again
    draft = (root / "build" / "es" / "doses.es.txt").read_text(encoding="utf-8")
    assert f"\n{SUGGESTION}\n" in draft
    assert path.read_bytes() == saved  # run fights no tool: the file as the tool saved it, wrapped lines and all
    assert catalog.read_po(path).annotate(notes) == 0  # its QA notes read whole, each once, none stale
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
    text = re.sub(rf"ignore-numbers {BOUND}", "Ignore-Numbers", path.read_text(encoding="utf-8"))
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
    assert re.search(rf"\n# Ignore-Numbers {BOUND}\n", path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------ the seed project
# Issue 22 items 1, 2 and 4: polyleaf rewrites a file only when its meaning changes. The seed project (this repo's
# articles) with a translator's work in it — reviewed entries, QA notes (one longer than Babel's and polib's
# width), a bound waiver, a changed sentence, an obsolete entry and a Poedit header — is re-saved with each tool;
# ``run`` then changes no line, and a one-sentence edit of the source changes that entry's lines and the header's
# POT-Creation-Date only, whatever the tool did to the rest.

LIPMAN = (
    "Says Dr. Zachary Lipman, fortunately, a rapidly evolving treatment option is gaining traction: basivertebral "
    "nerve ablation (BVNA)."
)
CHANGED = (
    "Traditional treatments often focus on symptom relief, addressing the immediate experience of pain but rarely "
    "tackling the underlying cause."
)
REMOVED = (
    "This article will delve into the science behind BVNA, exploring its mechanisms, benefits, and considerations "
    "for patients."
)
WAIVED = "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
EDITED = (
    "The persistent discomfort can significantly impact quality of life, leading to reduced mobility, decreased "
    "productivity, and increased reliance on pain management strategies."
)
SEED_NOTES = [
    "Dr. Zachary Lipman: do-not-translate term missing or changed [dnt]",
    "basivertebral nerve ablation: do-not-translate term missing or changed [dnt]",  # "# qa: …" is 82 columns
]
POEDIT_HEADER = {
    "PO-Revision-Date": "2026-01-02 03:04+0100",
    "Last-Translator": "Ana <ana@example.org>",
    "Language-Team": "Spanish <es@li.org>",
    "X-Generator": "Poedit 3.4.2",
    "X-Poedit-Basepath": "..",
}


def msgmerge_narrow_sorted(path: Path, template: Path) -> None:
    command = ["msgmerge", "-q", "--previous", "--width=60", "--sort-output", "-o", str(path), str(path), str(template)]
    subprocess.run(command, check=True)


SEED_TOOLS: dict[str, Callable[[Path, Path], None]] = {
    **TOOLS,
    "polib 0 (no wrap)": polib_save(0),
    "msgcat --sort-by-file": msgcat("--sort-by-file"),
    "msgmerge --previous --width=60 --sort-output": msgmerge_narrow_sorted,
}
SEED_GNU_TOOLS = {*GNU_TOOLS, "msgcat --sort-by-file", "msgmerge --previous --width=60 --sort-output"}


def edit_source(root: Path, old: str, new: str) -> None:
    path = root / "source" / f"{ARTICLE}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def po_files(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((root / "locales").rglob("*.po*"))}


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project in Spanish and Arabic after a translator's work and the runs that followed it."""
    root = content_project(tmp_path_factory.mktemp("seed") / "clinic", 'languages = ["es", "ar"]\nformats = ["txt"]\n')
    glossary = (REPO / "locales" / "glossary.csv").read_text(encoding="utf-8")
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_text(f"{glossary}basivertebral nerve ablation,*,,a procedure\n")
    config = load_config(root)
    runner.run(config, engine_factory=lambda config: FakeEngine())
    for language in ("es", "ar"):
        po = open_po(po_path(root, language, ARTICLE))
        for msgid in (LIPMAN, CHANGED, REMOVED, WAIVED, EDITED):
            entry = po.find(msgid)
            entry.flags, entry.comments = [], []  # reviewed
        lipman = po.find(LIPMAN)
        lipman.msgstr = lipman.msgstr.replace("Dr. Zachary Lipman", "el doctor Lipman")
        lipman.msgstr = lipman.msgstr.replace("basivertebral nerve ablation", "ablación del nervio basivertebral")
        waived = po.find(WAIVED)
        waived.msgstr = waived.msgstr.replace("LBP", "DLC")
        waived.comments = ["ignore-dnt: DLC is how patients know it"]
        po.save()
    es = open_po(po_path(root, "es", ARTICLE))
    es.metadata.update(POEDIT_HEADER)
    es.save()
    edit_source(root, CHANGED, CHANGED.replace("often", "usually"))
    edit_source(root, f" {REMOVED}", "")
    runner.run(config, engine_factory=lambda config: FakeEngine())
    text = po_path(root, "es", ARTICLE).read_text(encoding="utf-8")
    assert "".join(f"\n# qa: {note}" for note in SEED_NOTES) in text
    assert "\n#| msgid " in text and "\n# mt-suggestion (" in text and "\n#~ msgid " in text
    assert re.search(rf"\n# ignore-dnt {BOUND}: DLC", text)
    assert '"PO-Revision-Date: 2026-01-02 03:04+0100\\n"' in text and '"X-Generator: Poedit 3.4.2\\n"' in text
    before = po_files(root)
    runner.run(config, engine_factory=lambda config: FakeEngine())
    assert po_files(root) == before
    return root


def entry_blocks(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n\n")


@pytest.mark.parametrize("tool", sorted(SEED_TOOLS))
def test_after_any_tool_saves_the_seed_project_run_changes_no_line_and_an_edit_only_its_entry(
    seed: Path, tmp_path: Path, tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tool_copy(seed, tmp_path, tool in SEED_GNU_TOOLS)
    monkeypatch.setattr(translate, "default_engine", lambda config: FakeEngine())
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        SEED_TOOLS[tool](path, root / "locales" / "templates" / f"{path.stem}.pot")
    saved = po_files(root)
    result = invoke(root, "run", "--json")
    assert result.exit_code == 0, result.output
    assert not [name for name in json.loads(result.output)["written"] if name.startswith("locales/")]
    assert po_files(root) == saved  # not a line: the tool's wrapping, order, header and blank lines stay
    es = po_path(root, "es", ARTICLE)
    seed_catalog = catalog.read_po(es)
    notes = review.qa_notes(load_config(root), load_glossary(root / "locales" / "glossary.csv"), seed_catalog, "es")
    assert notes[LIPMAN] == SEED_NOTES
    assert seed_catalog.annotate(notes) == 0  # the notes are there whole, once each
    changed = next(
        entry for entry in catalog.read_po(es).entries() if entry.msgid == CHANGED.replace("often", "usually")
    )
    assert (changed.state, changed.previous_msgid) == ("changed", CHANGED)  # Babel's "# | msgid" lines too
    edit_source(root, EDITED, EDITED.replace("significantly", "greatly"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # a later day: the template's date changes
    assert invoke(root, "run").exit_code == 0
    after = po_files(root)
    assert {path for path in after if after[path] != saved[path]} == {
        root / "locales" / "templates" / f"{ARTICLE}.pot",
        es,
        po_path(root, "ar", ARTICLE),
    }
    for path in (es, po_path(root, "ar", ARTICLE)):
        old, new = entry_blocks(saved[path]), entry_blocks(after[path])
        at = next(index for index, block in enumerate(old) if 'msgid ""\nmsgstr ""' in block)
        assert [line for line in new[at].split("\n") if line not in old[at].split("\n")] == [
            next(line for line in new[at].split("\n") if line.startswith('"POT-Creation-Date: '))
        ]  # in the header, only what msgmerge changes too: the translator's PO-Revision-Date stays
        gone = [block for block in old if block not in new]
        added = [block for block in new if block not in old]
        assert len(gone) == len(added) == 2, (gone, added)  # the header and the edited entry
        assert "significantly" in gone[1] and "greatly" in added[1] and "#, fuzzy" in added[1]
    assert translators_fields(after[es]) == translators_fields(saved[es])  # as their tool left them
    assert translators_fields(after[es])[0] == POEDIT_HEADER["PO-Revision-Date"]


def translators_fields(data: bytes) -> list[str | None]:
    header = catalog.parse_po(data, Path("a.po")).po.header
    assert header is not None
    return [header_field(header.text, name) for name in ("PO-Revision-Date", "X-Generator", "Last-Translator")]


@pytest.mark.skipif(not GNU, reason="GNU gettext is not installed")
def test_a_round_of_msgmerge_run_msgmerge_is_a_fixed_point(seed: Path, tmp_path: Path) -> None:
    """Weblate's msgmerge add-on, or a translator's ``msgmerge --previous``, and polyleaf agree: the QA notes are
    translator comments, which msgmerge keeps."""
    root = copied_project(seed, tmp_path)
    start = po_files(root)
    for _round in range(2):
        for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
            msgmerge(path, root / "locales" / "templates" / f"{path.stem}.pot")
        assert po_files(root) == start
        runner.run(load_config(root), engine_factory=lambda config: FakeEngine())
        assert po_files(root) == start


def test_a_clone_into_another_folder_rewrites_no_file(seed: Path, tmp_path: Path) -> None:
    """The project's name is configuration: a project that does not set it is named after its folder (with a
    notice that says so), but a clone elsewhere rewrites no template or PO file for that."""
    clone = tmp_path / "elsewhere"
    shutil.copytree(seed, clone, ignore=shutil.ignore_patterns("build"))
    result = invoke(clone, "run", "--json")
    report = json.loads(result.output)
    assert not [name for name in report["written"] if name.startswith("locales/")]
    assert "polyleaf.toml sets no project_name: the project is called 'elsewhere' after its folder" in "".join(
        report["notes"]
    )
    assert po_files(clone) == {clone / path.relative_to(seed): data for path, data in po_files(seed).items()}
    edit_source(clone, EDITED, EDITED.replace("significantly", "greatly"))
    invoke(clone, "run")
    template = (clone / "locales" / "templates" / f"{ARTICLE}.pot").read_text(encoding="utf-8")
    assert '"Project-Id-Version: elsewhere\\n"' in template  # a template that changes takes the name it has now
