"""Patient safety on the page (issue 11 items 2–5, issue 13 items 7 and 9): no stale meaning in any built file,
QA findings where translators work, release gates, below-100 % thresholds, waivers.

Everything runs through ``runner.run`` (the CLI's path) on a small dose leaflet in Spanish.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import Node, content_project, copied_project, parse, po_path
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.status import status

TWICE = "Take one tablet twice a day."
THRICE = "Take one tablet three times a day."
REST = "Rest when you feel tired."
OLD_SPANISH = "Tome un comprimido dos veces al día."
WATER = "Drink 2 glasses of water with each dose."
SOURCE = f"Your tablets\n{TWICE} {REST}\n{WATER}\n"


#: What a Spanish translator writes (every other text is reviewed as "ES <English>").
SPANISH = {
    "Your tablets": "Sus comprimidos",
    TWICE: OLD_SPANISH,
    REST: "Descanse cuando se sienta cansado.",
    WATER: "Beba 2 vasos de agua con cada dosis.",
}


class DriftingEngine(FakeEngine):
    """Machine translation that gets a number wrong (2 → 20), as real models do."""

    def translate_one(self, text: str) -> str:
        return super().translate_one(text).replace("2", "20")


def run(root: Path, engine: FakeEngine | None = None, *, release: bool = False, build_only: bool = False) -> Report:
    steps = frozenset({"build"}) if build_only else frozenset({"extract", "update", "translate", "build"})
    chosen = engine or FakeEngine(pairs=())
    return runner.run(load_config(root), steps=steps, outputs=Outputs(release), engine_factory=lambda config: chosen)


def make_leaflet(root: Path, formats: str) -> Path:
    """A project with one dose leaflet (the repo's articles removed), Spanish only, after a first run."""
    content_project(root, f'languages = ["es"]\nformats = {formats}\n[release]\nthreshold = 50\n')
    for path in (root / "source").iterdir():
        if path.name != "disclaimer.txt":
            path.unlink()
    (root / "source" / "tablets.txt").write_text(SOURCE, encoding="utf-8")
    (root / "source" / "tablets-md.md").write_text(SOURCE.replace("Your tablets\n", "# Your tablets\n\n"), "utf-8")
    run(root)
    return root


@pytest.fixture(scope="module")
def first_leaflet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_leaflet(tmp_path_factory.mktemp("leaflet") / "project", '["txt", "html"]')


@pytest.fixture(scope="module")
def first_leaflet_with_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_leaflet(tmp_path_factory.mktemp("leaflet-pdf") / "project", '["txt", "html", "pdf"]')


@pytest.fixture
def leaflet(first_leaflet: Path, tmp_path: Path) -> Path:
    """The dose leaflet as txt, md and html, for one test to change."""
    return copied_project(first_leaflet, tmp_path)


@pytest.fixture
def leaflet_with_pdf(first_leaflet_with_pdf: Path, tmp_path: Path) -> Path:
    """The dose leaflet as txt, md, html and pdf, for one test to change."""
    return copied_project(first_leaflet_with_pdf, tmp_path)


def review_everything(root: Path, translations: dict[str, str] | None = None) -> None:
    """A translator reviews every entry of every catalog (their own words where given, else a marked copy)."""
    for path in (root / "locales" / "es" / "LC_MESSAGES").glob("*.po"):
        po = open_po(path)
        for entry in po:
            if entry.obsolete:
                continue
            entry.msgstr = {**SPANISH, **(translations or {})}.get(entry.msgid, f"ES {entry.msgid}")
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entry.previous_msgid = None
        po.save()


def built_texts(root: Path, folder: str) -> dict[str, str]:
    """Every built file's text (a page's text without its tags, PDF text through pdftotext when poppler is here)
    under ``build/<folder>``."""
    texts = {}
    for path in sorted((root / "build" / folder).rglob("tablets*")):
        if path.suffix == ".pdf":
            if shutil.which("pdftotext") is None:
                continue
            texts[path.name] = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        elif path.suffix == ".html":
            texts[path.name] = parse(path.read_text(encoding="utf-8")).text()
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


@pytest.mark.slow
def test_a_changed_entrys_old_translation_is_in_no_built_file(leaflet_with_pdf: Path) -> None:
    leaflet = leaflet_with_pdf
    review_everything(leaflet)
    run(leaflet, build_only=True)
    assert all(OLD_SPANISH in text for text in built_texts(leaflet, "es").values())
    for name in ("tablets", "tablets-md"):  # the English changes: twice → three times
        source = leaflet / "source" / (name + (".txt" if name == "tablets" else ".md"))
        source.write_text(source.read_text(encoding="utf-8").replace(TWICE, THRICE), encoding="utf-8")
    run(leaflet)  # no model: the draft shows the current English, marked as English
    po = catalog.read_po(po_path(leaflet, "es", "tablets"))
    entry = next(entry for entry in po.entries() if entry.msgid == THRICE)
    assert (entry.state, entry.msgstr, entry.previous_msgid) == ("changed", OLD_SPANISH, TWICE)  # kept for them
    drafts = built_texts(leaflet, "es")
    assert {"tablets.es.txt", "tablets-md.es.md", "tablets.es.html", "tablets-md.es.html"} <= set(drafts)
    assert "tablets.es.pdf" in drafts or shutil.which("pdftotext") is None
    for name, text in drafts.items():
        assert OLD_SPANISH not in text and "dos veces" not in text, name
        assert THRICE in " ".join(text.split()), name
    page = parse((leaflet / "build" / "es" / "tablets.es.html").read_text(encoding="utf-8"))
    english = [node for node in page.iter("span") if node.attrs.get("lang") == "en"]
    assert [" ".join(node.text().split()) for node in english] == [THRICE]
    # with a model, the draft shows the machine translation of the *current* English
    engine = FakeEngine()
    run(leaflet, engine)
    assert catalog.read_po(po_path(leaflet, "es", "tablets")).translations()[THRICE].text == OLD_SPANISH
    for name, text in built_texts(leaflet, "es").items():
        assert OLD_SPANISH not in text, name
        assert engine.translate_one(THRICE) in " ".join(text.split()), name
    run(leaflet, release=True, build_only=True)  # the changed dose sentence is never released
    assert not any(OLD_SPANISH in text or "dos veces" in text for text in built_texts(leaflet, "release").values())


def notes_of(po_file: Path, msgid: str) -> list[str]:
    """The ``# qa:`` lines of the entry of ``msgid``."""
    for entry in po_file.read_text(encoding="utf-8").split("\n\n"):
        if f'msgid "{msgid}"' in entry:
            return re.findall(r"^# qa: (.*)$", entry, re.MULTILINE)
    raise AssertionError(f"no entry for {msgid!r}")


def test_qa_findings_on_machine_output_are_notes_in_the_po_and_go_when_resolved(leaflet: Path) -> None:
    run(leaflet, DriftingEngine())
    po_file = po_path(leaflet, "es", "tablets")
    assert any(note.startswith("2 → 20") or note.endswith("[quantities]") for note in notes_of(po_file, WATER))
    assert notes_of(po_file, "Your tablets") == []
    before = po_file.read_bytes()
    run(leaflet, DriftingEngine())
    assert po_file.read_bytes() == before  # the notes are stable: a second run writes nothing
    po = open_po(po_file)
    po.find(WATER).msgstr = "Beba 2 vasos de agua con cada dosis."
    po.save()
    run(leaflet)
    assert notes_of(po_file, WATER) == []  # resolved: the note is gone
    assert notes_of(po_file, TWICE) != []  # an unresolved one stays


def test_below_100_percent_a_dose_sentence_is_never_published_untranslated(leaflet: Path) -> None:
    review_everything(leaflet)
    po = open_po(po_path(leaflet, "es", "tablets"))
    po.find(TWICE).msgstr = ""  # 2 of 3 reviewed, above the 50 % threshold, but the dose is not translated
    po.save()
    report = run(leaflet, release=True, build_only=True)
    assert report.published == ["es/tablets-md"], report.withheld
    (withheld,) = report.withheld
    assert withheld.startswith("es/tablets: 1 unreviewed segment with a dose, count or duration")
    assert withheld.endswith(f"locales/es/LC_MESSAGES/tablets.po:{_line(leaflet, TWICE)}")


def _line(root: Path, msgid: str) -> int:
    return next(
        entry.line for entry in catalog.read_po(po_path(root, "es", "tablets")).entries() if entry.msgid == msgid
    )


@pytest.mark.slow
def test_below_100_percent_untranslated_passages_are_marked_and_explained(leaflet: Path) -> None:
    review_everything(leaflet)
    for name in ("tablets", "tablets-md"):
        po = open_po(po_path(leaflet, "es", name))
        po.find(REST).msgstr = ""  # no quantity: a release below 100 % may show it in English…
        po.find("Your tablets").msgstr = ""  # …and a heading too
        po.save()
    interface = open_po(po_path(leaflet, "es", "interface"))
    interface.find(INTERFACE_MESSAGES["untranslated_note"]).msgstr = ""
    interface.save()
    report = run(leaflet, release=True, build_only=True)
    assert report.published == []  # …but only with the note that explains the marks reviewed
    assert INTERFACE_MESSAGES["untranslated_note"] in report.withheld[0] and "interface.po" in report.withheld[0]
    note = "Los pasajes subrayados con puntos aún no están traducidos."
    interface = open_po(po_path(leaflet, "es", "interface"))
    interface.find(INTERFACE_MESSAGES["untranslated_note"]).msgstr = note
    interface.save()
    report = run(leaflet, release=True, build_only=True)
    assert sorted(report.published) == ["es/tablets", "es/tablets-md"]
    page = parse((leaflet / "build" / "release" / "es" / "tablets.es.html").read_text(encoding="utf-8"))
    assert _first(page, "p", "untranslated-note").text().strip() == note
    (title,) = page.iter("h1")
    assert title.attrs.get("lang") == "en" and "data-untranslated" in title.attrs
    (span,) = [node for node in page.iter("span") if node.attrs.get("lang") == "en"]
    assert span.attrs["class"] == "untranslated" and " ".join(span.text().split()) == REST
    assert OLD_SPANISH in " ".join(page.find("main").text().split())


def _first(page: Node, tag: str, css_class: str) -> Node:
    return next(node for node in page.iter(tag) if node.attrs.get("class") == css_class)


def test_identical_to_english_needs_a_marker_and_waivers_are_recorded(leaflet: Path) -> None:
    review_everything(leaflet, {REST: REST})  # "reviewed", but left in English
    report = run(leaflet, release=True, build_only=True)
    assert any("[untranslated]" in reason for reason in report.withheld)
    po = open_po(po_path(leaflet, "es", "tablets"))
    po.find(REST).flags.append("no-translate")  # the translator says: this stays as it is
    po.find(TWICE).msgstr = "Tome un comprimido tres veces al día."  # a QA error (twice → 3 times)…
    po.find(TWICE).flags += ["ignore-numbers", "ignore-quantities"]  # …that the reviewer waives, knowingly
    po.save()
    po = open_po(po_path(leaflet, "es", "tablets-md"))
    po.find(REST).flags.append("no-translate")
    po.save()
    report = run(leaflet, release=True, build_only=True)
    assert sorted(report.published) == ["es/tablets", "es/tablets-md"], report.withheld
    records = json.loads((leaflet / "build" / "release.json").read_text(encoding="utf-8"))["leaflets"]
    waived = next(record for record in records if record["document"] == "tablets")["waived"]
    line = _line(leaflet, TWICE)
    assert waived and all(
        re.match(rf"locales/es/LC_MESSAGES/tablets\.po:{line}: \[(numbers|quantities)\] ", w) for w in waived
    )
    rows = status(load_config(leaflet))
    assert next(row for row in rows if row.document == "tablets").waived == len(waived)
