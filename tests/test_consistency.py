"""Consistency across leaflets (issue 24 item 2): the same English reviewed to two translations, one translation
for two English sentences, a glossary term translated two ways — each one ``check`` finding that names every place
``path:line``, silenced by a waiver on the entry meant to differ. Through the command line, in process.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import REPO, copied_project, po_path
from polyleaf.catalog import model as catalog
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from tm_library import leaflet, name_of, review, write_library

FIRST, SECOND = 0, 16  # the same drug, two body parts: six sentences in common
SHARED = leaflet(FIRST)[4]  # "Take ibuprofen with food to protect your stomach."
ICE_FIRST, ICE_SECOND = leaflet(FIRST)[9], leaflet(SECOND)[9]  # "Apply ice to your … for … minutes, … times a day."


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two leaflets and a short article with a one-word title ("Ice") and one of their sentences, each reviewed in
    Spanish as a translator would."""
    root = tmp_path_factory.mktemp("consistency") / "project"
    (root / "source").mkdir(parents=True)
    (root / "locales").mkdir()
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "source" / "cold.txt").write_text(f"Ice\nIce helps with swelling. {SHARED.texts['en']}\n", encoding="utf-8")
    (root / "locales" / "glossary.csv").write_text("term,language,translation,note\nice,fr,glace,\n", encoding="utf-8")
    (root / "polyleaf.toml").write_text('project_name = "c"\nlanguages = ["es"]\nformats = ["txt"]\n', encoding="utf-8")
    written = write_library(root / "source", (FIRST, SECOND))
    runner.run(load_config(root), steps=frozenset({"extract", "update"}))
    for number in (FIRST, SECOND):
        name = name_of(number)
        review(po_path(root, "es", name), {item.texts["en"]: item.texts["es"] for item in written[name]})
    cold = {"Ice": "Hielo", "Ice helps with swelling.": "El hielo alivia la hinchazón.", **shared_translation()}
    review(po_path(root, "es", "cold"), cold)
    return root


def shared_translation() -> dict[str, str]:
    return {SHARED.texts["en"]: SHARED.texts["es"]}


def check(root: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["--project", str(root), "check", "--json"])
    assert result.exit_code in (0, 1), result.output  # 1: a QA error (a translation copied onto other numbers)
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def line_of(root: Path, document: int | str, msgid: str) -> str:
    """``path:line`` of the entry of ``msgid`` in a leaflet (by number) or another document (by name)."""
    name = name_of(document) if isinstance(document, int) else document
    entry = next(entry for entry in catalog.read_po(po_path(root, "es", name)).entries() if entry.msgid == msgid)
    return f"locales/es/LC_MESSAGES/{name}.po:{entry.line}"


def test_a_consistent_library_has_no_finding(reviewed: Path) -> None:
    assert not [d for d in check(reviewed) if d["check"] in ("consistency", "same-translation", "term-consistency")]


def test_the_same_english_reviewed_two_ways_is_one_finding_naming_both_places(reviewed: Path, tmp_path: Path) -> None:
    root = copied_project(reviewed, tmp_path)
    english = SHARED.texts["en"]
    review(po_path(root, "es", name_of(SECOND)), {english: "Tome ibuprofeno con alimentos para proteger el estómago."})
    findings = [d for d in check(root) if d["check"] == "consistency"]
    assert len(findings) == 1
    finding = findings[0]
    places = [line_of(root, document, english) for document in ("cold", FIRST, SECOND)]
    assert finding["severity"] == "warning" and not finding["waived"]
    assert f"{finding['path']}:{finding['line']}" == places[0]  # at the first place, in catalog order
    message = str(finding["message"])
    assert all(place in message for place in places)
    assert "2 ways" in message
    assert SHARED.texts["es"] in message and "con alimentos" in message


def test_a_waiver_on_the_entry_meant_to_differ_silences_it(reviewed: Path, tmp_path: Path) -> None:
    root = copied_project(reviewed, tmp_path)
    english = SHARED.texts["en"]
    path = po_path(root, "es", name_of(SECOND))
    review(path, {english: "Tome ibuprofeno con alimentos."}, comment="ignore-consistency: shorter on the poster")
    findings = [d for d in check(root) if d["check"] == "consistency"]
    assert [(d["severity"], d["waived"]) for d in findings] == [("info", True)]
    runner.run(load_config(root), steps=frozenset({"extract", "update"}))  # the run binds the waiver…
    assert "ignore-consistency (for " in path.read_text(encoding="utf-8")
    assert [d["waived"] for d in check(root) if d["check"] == "consistency"] == [True]  # …and it still holds
    review(po_path(root, "es", name_of(FIRST)), {english: "Tome el ibuprofeno con comida."})  # and a third way
    findings = [d for d in check(root) if d["check"] == "consistency"]
    assert [(d["severity"], d["waived"]) for d in findings] == [("warning", False)]


def test_one_translation_for_two_english_sentences_is_a_finding(reviewed: Path, tmp_path: Path) -> None:
    root = copied_project(reviewed, tmp_path)
    review(po_path(root, "es", name_of(SECOND)), {ICE_SECOND.texts["en"]: ICE_FIRST.texts["es"]})
    findings = [d for d in check(root) if d["check"] == "same-translation"]
    assert len(findings) == 1
    message = str(findings[0]["message"])
    assert line_of(root, FIRST, ICE_FIRST.texts["en"]) in message
    assert line_of(root, SECOND, ICE_SECOND.texts["en"]) in message


def test_a_glossary_term_translated_another_way_is_a_finding(reviewed: Path, tmp_path: Path) -> None:
    root = copied_project(reviewed, tmp_path)
    other = "Aplique frío en el hombro durante 15 minutos, 2 veces al día."
    review(po_path(root, "es", name_of(SECOND)), {ICE_SECOND.texts["en"]: other})
    findings = [d for d in check(root) if d["check"] == "term-consistency"]
    assert len(findings) == 1
    message = str(findings[0]["message"])
    assert "“ice”" in message and "“Hielo” (locales/es/LC_MESSAGES/cold.po:" in message
    assert message.endswith(f"but not in {line_of(root, SECOND, ICE_SECOND.texts['en'])}")
    path = po_path(root, "es", name_of(SECOND))
    review(path, {ICE_SECOND.texts["en"]: other}, comment="ignore-term-consistency: cold packs, not ice")
    assert [d["waived"] for d in check(root) if d["check"] == "term-consistency"] == [True]
