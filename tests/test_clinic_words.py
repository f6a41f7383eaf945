"""The clinic's own words and who stands behind a leaflet (issue 23, items 1 and 3).

The ``[leaflet]`` texts a clinic has translated (``translate``) are messages of ``interface.po``: reviewed once per
language, checked by QA (a phone number that changes is an error), required by a release like the labels, and
printed in every format. Author, approver, sources, the translator and the change history end every leaflet,
under labels of ``interface.po``; ``credits = false`` prints none.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, Node, content_project, copied_project, one_line_error, parse, polyleaf
from po_editor import Entry, open_po
from polyleaf.catalog.model import read_po
from polyleaf.clinic import translator_credit
from polyleaf.config.leaflet import Change
from polyleaf.config.model import load_config
from polyleaf.mt.placeholders import protect, restore
from polyleaf.pipeline.report import Report
from release_helpers import BUILD, review, reviewed_text, run

CONTACT = "12 Harbour Road, Northside\nTelephone 020 7946 0000\nclinic@northside.example"
HEAT = "heat"
HEAT_SOURCE = """---
title: Heat and back pain
author: Dr Ana Ruiz, physiotherapist
sources:
  - NICE guideline NG59 (2016)
  - "Cochrane review: superficial heat"
---

# Heat and back pain

A warm pack can ease back pain for a few hours.
"""
CONFIG = f'''languages = ["es", "ar"]
formats = ["txt", "html"]

[leaflet]
organisation = "Northside Spine Clinic"
contact = """{CONTACT}"""
author = "Spine team"
approved_by = "Clinical Governance Committee"
history = [
  {{version = "2.1", date = 2026-03-01, note = "Exercise advice updated."}},
  {{version = "2.0", date = 2025-01-15}},
]
translate = ["contact", "approved_by", "history"]

[leaflet.translators]
ar = "Omar Haddad"
'''
#: The clinic's words ``CONFIG`` has translated, in the order of ``interface.pot``.
CLINIC_WORDS = [
    "12 Harbour Road, Northside",
    "Telephone 020 7946 0000",
    "Clinical Governance Committee",
    "Exercise advice updated.",
]


def make(root: Path, config: str = CONFIG) -> Path:
    project = content_project(root, config)
    (project / "source" / f"{OTHER}.txt").unlink()  # one long article is enough (and quicker)
    (project / "source" / f"{HEAT}.md").write_text(HEAT_SOURCE, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinic's project after a first run (fake engine), shared by the module: ``clinic`` copies it."""
    project = make(tmp_path_factory.mktemp("clinic") / "project")
    run(project, engine=FakeEngine())
    return project


@pytest.fixture
def clinic(first: Path, tmp_path: Path) -> Path:
    return copied_project(first, tmp_path)


def reviewed_everything(root: Path, language: str = "es") -> None:
    for name in (ARTICLE, HEAT, "disclaimer", "interface"):
        review(root, language, name)


def page(root: Path, language: str, name: str, folder: str = "") -> Node:
    path = root / "build" / folder / language / f"{name}.{language}.html"
    return parse(path.read_text(encoding="utf-8"))


def by_class(node: Node, name: str) -> list[Node]:
    return [element for element in node.iter() if name in (element.attrs.get("class") or "").split()]


def text(node: Node) -> str:
    return " ".join(node.text().split())


def credits_of(node: Node) -> dict[str, str]:
    """label key → what the credit says (its label left out; several lines joined with " | ")."""
    found = {}
    for credit in by_class(node, "credit"):
        key = next(name for name in (credit.attrs.get("class") or "").split() if name.startswith("credit-"))
        values = credit.iter("li") or by_class(credit, "value")
        found[key.removeprefix("credit-")] = " | ".join(text(value) for value in values)
    return found


def extracted(entry: Entry) -> tuple[str, ...]:
    """The ``#.`` comments of a template's entry."""
    return entry.message.extracted if entry.message is not None else ()


def withheld(report: Report, language: str, name: str) -> str:
    prefix = f"{language}/{name}: "
    return next((item.removeprefix(prefix) for item in report.withheld if item.startswith(prefix)), "")


def release(root: Path) -> Report:
    return run(root, steps=BUILD, release=True)


# ----------------------------------------------------------------------------------------------- settings


BAD_SETTINGS = [
    ('autor = "X"', "5: unknown setting 'autor' in [leaflet] (did you mean 'author'?)"),
    ('translate = ["contacts"]', "5: leaflet.translate: 'contacts' is not a [leaflet] text (did you mean 'contact'?)"),
    ('translate = "contact"', "5: leaflet.translate must be a list of strings, not str 'contact'"),
    ('sources = "NICE"', "5: leaflet.sources must be a list of strings, not str 'NICE'"),
    ("credits = 0", "5: leaflet.credits must be a bool, not int 0"),
    ('history = "2.1"', "5: leaflet.history must be a list of tables"),
    ('history = [{version = "2", dat = 2026-01-01}]', "5: unknown setting 'dat' in [leaflet.history] (did you mean"),
    ('history = [{note = "First."}]', "5: leaflet.history: every change needs a version"),
    ('history = [{version = "2", date = "1/1/26"}]', "5: leaflet.history.date must be a date (YYYY-MM-DD)"),
    ('[leaflet.translators]\nxx_YY = "Ana"', "6: "),
    (
        f'[leaflet.documents.{ARTICLE}]\napproved = "X"',
        f"6: unknown setting 'approved' in [leaflet.documents.{ARTICLE}] (did you mean 'approved_by'?)",
    ),
]


@pytest.mark.parametrize(("settings", "message"), BAD_SETTINGS)
def test_every_new_leaflet_setting_is_checked_with_a_one_line_error(
    tmp_path: Path, settings: str, message: str
) -> None:
    project = content_project(tmp_path / "project", f'languages = ["es"]\nformats = ["txt"]\n\n[leaflet]\n{settings}\n')
    result = polyleaf(project, "run")
    assert result.returncode == 2
    assert one_line_error(result).startswith(f"polyleaf: polyleaf.toml:{message}")
    assert not (project / "locales").exists()


def test_authorship_is_shared_and_a_document_has_its_own(tmp_path: Path) -> None:
    own = f'[leaflet.documents.{ARTICLE}]\nauthor = "Dr Li"\nsources = ["NG59"]\n'
    leaflet = load_config(make(tmp_path / "project", CONFIG + own)).leaflet
    assert leaflet.authorship(ARTICLE).author == "Dr Li"
    assert leaflet.authorship(ARTICLE).sources == ("NG59",)
    assert leaflet.authorship(ARTICLE).approved_by == "Clinical Governance Committee"  # shared
    assert leaflet.authorship(HEAT).author == "Spine team"  # the config's (the front matter's: ``clinic``)
    first, second = dt.date(2026, 3, 1), dt.date(2025, 1, 15)
    assert leaflet.history == (Change("2.1", first, "Exercise advice updated."), Change("2.0", second))


# ----------------------------------------------------------------------------------------------- the catalog


def test_the_clinics_words_are_messages_of_interface_po_with_where_they_come_from(clinic: Path) -> None:
    template = open_po(clinic / "locales" / "templates" / "interface.pot")
    clinic_entries = [entry for entry in template if any("the clinic's words" in line for line in extracted(entry))]
    assert [entry.msgid for entry in clinic_entries] == CLINIC_WORDS
    assert extracted(clinic_entries[1]) == ("the clinic's words: [leaflet] contact, line 2",)
    # a line without words (an e-mail address), the organisation's name (not in translate): printed as written
    assert not {"clinic@northside.example", "Northside Spine Clinic"} & {entry.msgid for entry in template}
    # the labels of the credits are polyleaf's words
    assert {"Written by", "Approved by", "Translated by", "Sources", "Changes"} <= {entry.msgid for entry in template}
    spanish = open_po(clinic / "locales" / "es" / "LC_MESSAGES" / "interface.po")
    assert "fuzzy" in spanish.find("Telephone 020 7946 0000").flags  # machine translated, not reviewed


def test_translate_decides_which_texts_are_translated(tmp_path: Path) -> None:
    project = make(
        tmp_path / "project",
        CONFIG.replace('translate = ["contact", "approved_by", "history"]', 'translate = ["organisation"]'),
    )
    run(project, steps=frozenset({"extract"}))
    template = open_po(project / "locales" / "templates" / "interface.pot")
    clinic_entries = [entry for entry in template if any("the clinic's words" in line for line in extracted(entry))]
    assert [entry.msgid for entry in clinic_entries] == ["Northside Spine Clinic"]


# ----------------------------------------------------------------------------------------------- the release gate


def test_a_release_needs_the_clinics_words_reviewed_and_then_prints_them(clinic: Path) -> None:
    for name in (ARTICLE, HEAT, "disclaimer"):
        review(clinic, "es", name)
    review(clinic, "es", "interface", skip=CLINIC_WORDS)
    report = release(clinic)
    words = ", ".join(repr(text) for text in CLINIC_WORDS)
    assert withheld(report, "es", ARTICLE) == f"the clinic's words ({words}) are not reviewed in interface.po"
    review(clinic, "es", "interface", only=CLINIC_WORDS[:1])
    assert "'12 Harbour Road" not in withheld(release(clinic), "es", ARTICLE)
    assert "('Telephone 020 7946 0000'," in withheld(release(clinic), "es", ARTICLE)
    review(clinic, "es", "interface")
    report = release(clinic)
    assert {f"es/{ARTICLE}", f"es/{HEAT}"} <= set(report.published)
    footer = by_class(page(clinic, "es", ARTICLE, "release"), "contact")[0]
    lines = [line.text() for line in by_class(footer, "contact-line")]
    assert lines == [reviewed_text("es", "12 Harbour Road, Northside"), "ES: Telephone 020 7946 0000",
                     "clinic@northside.example"]  # fmt: skip
    leaflet = (clinic / "build" / "release" / "es" / f"{ARTICLE}.es.txt").read_text(encoding="utf-8")
    assert leaflet.rstrip("\n").endswith("\nES: Telephone 020 7946 0000\nclinic@northside.example")
    assert "ES: Approved by: ES: Clinical Governance Committee\n" in leaflet


def test_a_phone_number_the_translation_changed_is_a_qa_error_that_withholds_every_leaflet(clinic: Path) -> None:
    reviewed_everything(clinic)
    wrong = {"Telephone 020 7946 0000": "Teléfono 020 7946 0009"}
    review(clinic, "es", "interface", only=wrong, text=lambda language, msgid: wrong[msgid])
    report = release(clinic)
    assert "QA error" in withheld(report, "es", ARTICLE) and "interface.po" in withheld(report, "es", ARTICLE)
    assert not any(item.startswith("es/") for item in report.published)
    result = polyleaf(clinic, "check", "--lang", "es")
    assert result.returncode == 1
    assert any("interface.po" in line and "[numbers]" in line for line in result.stdout.splitlines())


def test_a_draft_prints_the_clinics_words_in_english_until_they_are_reviewed(clinic: Path) -> None:
    footer = by_class(page(clinic, "es", ARTICLE), "contact")[0]
    assert [line.text() for line in by_class(footer, "contact-line")] == CONTACT.splitlines()


# ----------------------------------------------------------------------------------------------- the credits


def test_every_leaflet_ends_with_who_stands_behind_it(clinic: Path) -> None:
    reviewed_everything(clinic)
    po = clinic / "locales" / "es" / "LC_MESSAGES" / f"{HEAT}.po"
    edited = open_po(po)
    edited.metadata["Last-Translator"] = "María López <maria@example.org>"
    edited.save()
    run(clinic, steps=BUILD)
    heat = credits_of(page(clinic, "es", HEAT))
    assert heat == {
        "written_by": "Dr Ana Ruiz, physiotherapist",  # the front matter's
        "approved_by": "ES: Clinical Governance Committee",  # the config's, translated
        "translated_by": "María López",  # the PO file's Last-Translator, without the e-mail address
        "sources": "NICE guideline NG59 (2016) | Cochrane review: superficial heat",
        "history": "2.1 · 1 de marzo de 2026 · ES: Exercise advice updated. | 2.0 · 15 de enero de 2025",
    }
    article = page(clinic, "es", ARTICLE)
    assert credits_of(article)["written_by"] == "Spine team" and "translated_by" not in credits_of(article)
    labels = [text(label) for credit in by_class(article, "credit") for label in by_class(credit, "label")]
    assert labels == ["ES: Written by", "ES: Approved by", "ES: Changes"]  # reviewed in interface.po
    body = article.find("body").elements
    classes = [node.attrs.get("class") for node in body[-4:]]
    assert classes == ["draft-band draft-end", "credits", "availability", "contact"]
    arabic = credits_of(page(clinic, "ar", ARTICLE))
    assert arabic["translated_by"] == "Omar Haddad"  # [leaflet.translators]
    assert arabic["approved_by"] == "Clinical Governance Committee"  # English in a draft until reviewed
    text_leaflet = (clinic / "build" / "es" / f"{HEAT}.es.md").read_text(encoding="utf-8")
    assert "ES: Translated by: María López\n\nES: Sources:\n\n- NICE guideline NG59 (2016)\n" in text_leaflet


def test_a_release_needs_the_labels_of_the_credits_it_prints(clinic: Path) -> None:
    reviewed_everything(clinic)
    po = open_po(clinic / "locales" / "es" / "LC_MESSAGES" / "interface.po")
    po.find("Changes").flags.append("fuzzy")
    po.save()
    report = release(clinic)
    assert "'Changes'" in withheld(report, "es", ARTICLE)


def test_credits_off_prints_none_and_needs_none(clinic: Path) -> None:
    config = clinic / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[leaflet]\n", "[leaflet]\ncredits = false\n"))
    reviewed_everything(clinic)
    for text_ in ("Changes", "Clinical Governance Committee"):
        po = open_po(clinic / "locales" / "es" / "LC_MESSAGES" / "interface.po")
        po.find(text_).flags.append("fuzzy")
        po.save()
    report = release(clinic)
    assert f"es/{ARTICLE}" in report.published, report.withheld
    assert by_class(page(clinic, "es", ARTICLE, "release"), "credits") == []
    leaflet = (clinic / "build" / "release" / "es" / f"{ARTICLE}.es.txt").read_text(encoding="utf-8")
    assert "Written by" not in leaflet and "ES: Telephone 020 7946 0000" in leaflet


# ----------------------------------------------------------------------------------------------- the PDF


@pytest.mark.slow
def test_the_pdfs_last_page_has_the_translated_contact_block_and_credits(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    project = make(tmp_path / "project", CONFIG.replace('formats = ["txt", "html"]', 'formats = ["pdf"]'))
    (project / "source" / f"{ARTICLE}.txt").unlink()
    run(project)
    for language in ("es", "ar"):
        for name in (HEAT, "disclaimer", "interface"):
            review(project, language, name)
    run(project, steps=BUILD, release=True)
    for language in ("es", "ar"):
        path = project / "build" / "release" / language / f"{HEAT}.{language}.pdf"
        shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        last = shown.split("\f")[-2].replace("\u2068", "").replace("\u2069", "")
        upper = language.upper()
        assert f"{upper}: Telephone 020 7946 0000" in last and "clinic@northside.example" in last
        assert f"{upper}: Written by" in last and "Dr Ana Ruiz" in last and "NICE guideline NG59" in last


# ----------------------------------------------------------------------------------------------- machine translation


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        ("Telephone 020 7946 0000", "020 7946 0000"),
        ("Call +44 20 7946 0000 before 6 pm.", "+44 20 7946 0000"),
        ("Write to clinic_desk@northside.example.", "clinic_desk@northside.example"),
    ],
)
def test_machine_translation_never_sees_a_phone_number_or_an_e_mail_address(line: str, hidden: str) -> None:
    protected = protect(line)
    assert hidden not in protected.text and "{1}" in protected.text  # the engine gets a placeholder
    engine_output = protected.text.replace("Telephone", "Teléfono").replace("Call", "Llame")
    assert hidden in restore(engine_output, protected).text


def test_doses_and_counts_stay_text_for_the_engine() -> None:
    for line in ("Take 2 to 3 tablets of 1 000 mg.", "Rest for 10 to 20 minutes, 3 times a day."):
        assert protect(line).text == line


NOBODY = '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"'


@pytest.mark.parametrize(
    ("fields", "credit"),
    [
        ('"Last-Translator: María López <maria@example.org>\\n"', "María López"),
        (
            '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n"Language-Team: Equipo ES <es@example.org>\\n"',
            "Equipo ES",
        ),
        ('"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n"Language-Team: LANGUAGE <LL@li.org>\\n"', ""),
        ('"Last-Translator: \u202eZed <z@example.org>\\n"', "Zed"),  # an override would reorder the line
    ],
)
def test_the_translators_credit_is_a_name_from_the_po_header(tmp_path: Path, fields: str, credit: str) -> None:
    project = make(tmp_path / "project", CONFIG)
    po = tmp_path / "x.po"
    header = '"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n'
    po.write_text(f'msgid ""\nmsgstr ""\n{header}{fields}\n', encoding="utf-8")
    config = load_config(project)
    assert translator_credit(config, "es", read_po(po)) == credit
    assert translator_credit(config, "ar", read_po(po)) == "Omar Haddad"  # [leaflet.translators] comes first
