"""Fuzzy translation memory (issue 24 item 1): similar reviewed sentences offered as suggestions in the PO file,
adapted where only numbers, units or do-not-translate terms differ, never marked reviewed; the draft shows the
suggestion with the better evidence; a reviewed entry remembers that it came from one.

The library is generated from templates (``tm_library``): leaflets that differ in drug, dose and body part, with
their true Spanish translations, half of them reviewed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from babel.messages.pofile import read_po, write_po

from fake_engine import FakeEngine
from helpers import REPO, copied_project, po_path
from polyleaf.catalog import model as catalog
from polyleaf.catalog.fuzzy_adapt import adapt, compare
from polyleaf.catalog.fuzzy_memory import FuzzyIndex, Reviewed, suggestion
from polyleaf.catalog.tmcomments import FUZZY_PROVENANCE, memory_suggestion, reviewed_words
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.qa.model import CheckContext
from tm_library import leaflet, name_of, review, write_library

# ----------------------------------------------------------------------------------------------- adapting


@pytest.mark.parametrize(
    ("english", "match", "translation", "language", "adapted"),
    [
        ("Take 500 mg every 8 hours.", "Take 400 mg every 6 hours.", "Tome 400 mg cada 6 horas.", "es",
         "Tome 500 mg cada 8 horas."),
        ("Take 2.5 ml of syrup.", "Take 1.5 ml of syrup.", "Tome 1,5 ml de jarabe.", "es", "Tome 2,5 ml de jarabe."),
        ("Take 1500 mg.", "Take 1000 mg.", "Tome 1.000 mg.", "es", "Tome 1.500 mg."),
        ("Take 500 mg every 8 hours.", "Take 400 mg every 6 hours.", "تناول ٤٠٠ ملغ كل ٦ ساعات.", "ar",
         "تناول ٥٠٠ ملغ كل ٨ ساعات."),
        ("Take 500 mg every 8 hours.", "Take 400 mg every 6 hours.", "每6小时服用400毫克。", "zh_Hans",
         "每8小时服用500毫克。"),
        ("Take 5 ml every 8 hours.", "Take 400 mg every 8 hours.", "Tome 400 mg cada 8 horas.", "es",
         "Tome 5 ml cada 8 horas."),
        ("An MRI can show it.", "An BVNA can show it.", "Una BVNA puede mostrarlo.", "es", "Una MRI puede mostrarlo."),
        ("Take 3 tablets.", "Take 4 tablets.", "Tome 4 comprimidos.", "es", "Tome 3 comprimidos."),
    ],
)  # fmt: skip
def test_a_match_that_differs_only_in_numbers_units_or_terms_is_adapted_in_place(
    english: str, match: str, translation: str, language: str, adapted: str
) -> None:
    comparison = compare(english, match, ("BVNA", "MRI"))
    assert comparison.only_slots
    assert adapt(translation, comparison, match, ("en", language), ("BVNA", "MRI")) == adapted


@pytest.mark.parametrize(
    ("english", "match", "translation", "why"),
    [
        ("Take 2 tablets.", "Take 1 tablets.", "Tome 1 comprimido.", "the noun would change its plural form"),
        ("Take 3 tablets twice.", "Take 2 tablets twice.", "Tome dos comprimidos dos veces.", "spelled out"),
        ("Take 3 tablets, then 2 more.", "Take 2 tablets, then 2 more.", "Tome 2 y luego 2.", "which 2 is which"),
        ("Take 300 mg (300 mg).", "Take 200 mg (200 mg).", "Tome 200 mg.", "once where the English has it twice"),
        ("Take 12 mg.", "Take 10 mg.", "Tome 100 mg.", "the translation has no 10"),
    ],
)
def test_a_number_that_cannot_be_placed_exactly_is_not_adapted(
    english: str, match: str, translation: str, why: str
) -> None:
    assert adapt(translation, compare(english, match), match, ("en", "es")) is None, why


def test_differences_in_words_are_listed_and_numbers_beside_them_adapted() -> None:
    comparison = compare("Take 250 mg of paracetamol every 4 hours.", "Take 250 mg of naproxen every 12 hours.")
    assert [str(item) for item in comparison.differences] == ["“naproxen” → “paracetamol”", "12 → 4"]
    assert not comparison.only_slots
    match = "Take 250 mg of naproxen every 12 hours."
    assert adapt("Tome 250 mg de naproxeno cada 12 horas.", comparison, match, ("en", "es")) == (
        "Tome 250 mg de naproxeno cada 4 horas."
    )
    added = compare("Take it with food.", "Take it with food at night.")
    assert [str(item) for item in added.differences] == ["− “at night”"]


# ----------------------------------------------------------------------------------------------- the index


CONTEXT = CheckContext("en", "es", ("MRI",))


def test_the_index_finds_the_most_similar_reviewed_sentence_and_nothing_below_the_minimum() -> None:
    memory = [
        Reviewed(sentence.texts["en"], sentence.texts["es"], name_of(number))
        for number in range(0, 40, 2)
        for sentence in leaflet(number)
    ]
    index = FuzzyIndex(memory)
    assert len(index) < len(memory)  # sentences shared by several leaflets are one memory entry
    wanted = leaflet(1)[3]  # "Do not take more than … mg in 24 hours.": only the number differs
    offered = suggestion(wanted.texts["en"], index, 75, CONTEXT)
    assert offered is not None and offered.complete  # adapted, or the same sentence of another leaflet
    assert offered.text == wanted.texts["es"] and (offered.adapted or offered.similarity == 100)
    assert index.matches("Completely unrelated words about the weather today.", 75) == []
    assert all(match.similarity >= 90 for match in index.matches(wanted.texts["en"], 90))


def test_an_empty_memory_is_indexed_without_numpy() -> None:
    """A project without reviewed text (most runs after an edit) has nothing to index: numpy, a tenth of a second
    to import, is not imported; a memory with sentences is indexed with it."""
    code = (
        "import sys\n"
        "from polyleaf.catalog.fuzzy_memory import FuzzyIndex, Reviewed\n"
        "from polyleaf.pipeline import runner\n"
        "index = FuzzyIndex([])\n"
        "print(len(index), index.matches('Take one tablet a day.', 75), 'numpy' in sys.modules)\n"
        "FuzzyIndex([Reviewed('Take one tablet a day.', 'Tome un comprimido al día.', 'a')])\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["0 [] False", "True"]


def test_an_adaptation_qa_would_fault_is_not_offered_as_adapted() -> None:
    """The reviewed text says the dose in words ("doscientos") and in digits: placing the new number in the digits
    would leave the words saying the old one; QA's numbers check catches that, so the match is offered as it is."""
    reviewed = Reviewed("Take 200 mg (200 mg).", "Tome 200 mg (doscientos miligramos).", "a")
    offered = suggestion("Take 300 mg (300 mg).", FuzzyIndex([reviewed]), 75, CONTEXT)
    assert offered is not None and not offered.adapted and offered.text == reviewed.translation
    assert [str(item) for item in offered.differences] == ["200 → 300", "200 → 300"]


# ----------------------------------------------------------------------------------------------- the pipeline


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight leaflets in Spanish, the even ones reviewed, the odd ones updated but not translated."""
    root = tmp_path_factory.mktemp("library") / "project"
    (root / "source").mkdir(parents=True)
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "polyleaf.toml").write_text(
        'project_name = "library"\nlanguages = ["es"]\nformats = ["txt"]\n', encoding="utf-8"
    )
    written = write_library(root / "source", range(8))
    runner.run(load_config(root), steps=frozenset({"extract", "update"}))
    for number in range(0, 8, 2):
        name = name_of(number)
        review(po_path(root, "es", name), {item.texts["en"]: item.texts["es"] for item in written[name]})
    return root


def entries(root: Path, number: int) -> dict[str, catalog.EntryState]:
    return {entry.msgid: entry for entry in catalog.read_po(po_path(root, "es", name_of(number))).entries()}


def test_run_writes_suggestions_beside_machine_translation_and_the_draft_shows_the_better_evidence(
    library: Path, tmp_path: Path
) -> None:
    root = copied_project(library, tmp_path)
    config = load_config(root)
    report = runner.run(config, engine_factory=lambda config: FakeEngine())
    assert report.suggested_from_tm["es"] > 0
    sentences = leaflet(3)
    found = entries(root, 3)
    maximum, food = sentences[3], sentences[4]  # only a number differs / the drug differs
    adapted = memory_suggestion(found[maximum.texts["en"]].comments, maximum.texts["en"])
    assert adapted is not None and adapted.complete and adapted.text == maximum.texts["es"]
    other = memory_suggestion(found[food.texts["en"]].comments, food.texts["en"])
    assert other is not None and not other.complete and other.text != food.texts["es"]
    for english in (maximum.texts["en"], food.texts["en"]):  # both shown: machine translation in the msgstr
        assert found[english].state == "machine" and found[english].fuzzy
    assert not any(
        entry.state == "reviewed" for entry in found.values() if memory_suggestion(entry.comments, entry.msgid)
    )
    draft = (root / "build" / "es" / f"{name_of(3)}.es.txt").read_text(encoding="utf-8")
    assert maximum.texts["es"] in draft  # an adapted reviewed wording beats machine translation
    assert FakeEngine().translate_one(food.texts["en"]) in draft  # a match about another drug does not
    assert other.text not in draft
    release = runner.run(config, steps=frozenset({"build"}), outputs=Outputs(release=True))
    assert not release.published  # a suggestion is never reviewed text
    before = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    again = runner.run(config, engine_factory=lambda config: FakeEngine())
    assert again.written == [] and {path: path.read_bytes() for path in before} == before


def test_without_machine_translation_the_draft_shows_an_adapted_suggestion(library: Path, tmp_path: Path) -> None:
    root = copied_project(library, tmp_path)
    runner.run(load_config(root), engine_factory=lambda config: FakeEngine(pairs=()))
    maximum = leaflet(5)[3]
    assert entries(root, 5)[maximum.texts["en"]].state == "untranslated"
    draft = (root / "build" / "es" / f"{name_of(5)}.es.txt").read_text(encoding="utf-8")
    assert maximum.texts["es"] in draft


def test_min_similarity_is_configurable_and_validated(library: Path, tmp_path: Path) -> None:
    root = copied_project(library, tmp_path)
    config_file = root / "polyleaf.toml"
    config_file.write_text(config_file.read_text(encoding="utf-8") + "[tm]\nmin_similarity = 99\n", encoding="utf-8")
    report = runner.run(load_config(root), steps=frozenset({"extract", "update", "translate"}))
    strict = report.suggested_from_tm["es"]
    root2 = copied_project(library, tmp_path / "loose")
    report = runner.run(load_config(root2), steps=frozenset({"extract", "update", "translate"}))
    assert 0 <= strict < report.suggested_from_tm["es"]
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("= 99", "= 0.8"), encoding="utf-8")
    with pytest.raises(Exception, match=r"tm\.min_similarity must be between 50 and 100"):
        load_config(root)


def test_a_reviewed_suggestion_counts_as_fuzzy_memory_and_keeps_saying_so(library: Path, tmp_path: Path) -> None:
    root = copied_project(library, tmp_path)
    config = load_config(root)
    runner.run(config, steps=frozenset({"extract", "update", "translate"}))
    sentences = leaflet(1)
    maximum, food = sentences[3], sentences[4]
    path = po_path(root, "es", name_of(1))
    before = entries(root, 1)
    offered = memory_suggestion(before[food.texts["en"]].comments, food.texts["en"])
    assert offered is not None
    rest = next(entry for entry in before.values() if entry.state == "untranslated" and not entry.comments)
    review(path, {maximum.texts["en"]: maximum.texts["es"], food.texts["en"]: food.texts["es"]})
    review(path, {rest.msgid: "Un texto escrito desde cero."})  # from scratch
    words = reviewed_words(catalog.read_po(path), config.tm.min_similarity)
    assert words["fuzzy_tm"] == catalog.count_words(maximum.texts["en"]) + catalog.count_words(food.texts["en"])
    runner.run(config, steps=frozenset({"extract", "update", "translate"}))
    found = entries(root, 1)
    assert memory_suggestion(found[food.texts["en"]].comments, food.texts["en"]) is None
    assert f"{FUZZY_PROVENANCE} ({offered.similarity} %, {offered.catalog})" in found[food.texts["en"]].comments
    after = reviewed_words(catalog.read_po(path), config.tm.min_similarity)
    assert after == words and after["scratch"] == catalog.count_words(rest.msgid)


# ----------------------------------------------------------------------------------------------- other tools


def polib_save(path: Path) -> None:
    polib.pofile(str(path), wrapwidth=40).save(str(path))


def babel_save(path: Path) -> None:
    with path.open("rb") as file:
        messages = read_po(file)
    with path.open("wb") as file:
        write_po(file, messages)


def msgcat_save(path: Path) -> None:
    if not shutil.which("msgcat"):
        pytest.skip("GNU gettext is not installed")
    path.write_bytes(subprocess.run(["msgcat", "--width=40", str(path)], capture_output=True, check=True).stdout)


@pytest.mark.parametrize("save", [polib_save, babel_save, msgcat_save], ids=["polib 40", "babel", "msgcat 40"])
def test_suggestions_survive_a_tool_that_rewraps_comments_and_run_does_not_fight_it(
    library: Path, tmp_path: Path, save: Callable[[Path], None]
) -> None:
    root = copied_project(library, tmp_path)
    config = load_config(root)
    runner.run(config, steps=frozenset({"extract", "update", "translate"}))
    path = po_path(root, "es", name_of(3))
    maximum = leaflet(3)[3]
    save(path)
    saved = path.read_bytes()
    assert b"\n# tm-suggestion (" in saved
    found = memory_suggestion(entries(root, 3)[maximum.texts["en"]].comments, maximum.texts["en"])
    assert found is not None and found.text == maximum.texts["es"]  # read back whole
    runner.run(config, steps=frozenset({"extract", "update", "translate"}))
    assert path.read_bytes() == saved
