"""Exchange with CAT tools through the real command line: XLIFF 2.0 and TMX 1.4 exports read by translate-toolkit
(the library behind Weblate and Pootle, standing in for "another tool"), edited there and imported back; the
glossary as TBX-Basic; malformed and hostile files refused with one line and nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.convert.po2xliff import po2xliff
from translate.storage.po import pofile
from translate.storage.poxliff import PoXliffFile
from translate.storage.tbx import tbxfile
from translate.storage.tmx import tmxfile
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from fake_engine import FakeEngine
from helpers import ARTICLE, one_line_error, po_path, polyleaf, tree
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.errors import ExchangeError
from polyleaf.exchange import xliff12, xmlio
from polyleaf.exchange.model import ExportCatalog, ExportEntry, unit_id
from polyleaf.exchange.xliff import read_xliff, write_xliff
from polyleaf.fsio import project_lock
from polyleaf.pipeline import exchange, importing, runner
from polyleaf.pipeline.sources import Selection

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
X = f"{{{XLIFF_NS}}}"
TITLE = "Introduction: A New Approach to Chronic Back Pain Relief"
FIRST = "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
SECOND = (
    "The persistent discomfort can significantly impact quality of life, leading to reduced mobility, decreased "
    "productivity, and increased reliance on pain management strategies."
)
SECOND_NOW = SECOND.replace("can significantly impact", "can greatly impact")
THIRD = (
    "Traditional treatments often focus on symptom relief, addressing the immediate experience of pain but rarely "
    "tackling the underlying cause."
)
GONE = (
    "This article will delve into the science behind BVNA, exploring its mechanisms, benefits, and considerations "
    "for patients."
)
NEW = "A brand new closing sentence."
ES = f"locales/es/LC_MESSAGES/{ARTICLE}.po"
GNU = all(shutil.which(tool) for tool in ("msgfmt", "msgcat"))


@pytest.fixture
def states(project: Path) -> Path:
    """The Spanish article catalog with an entry in every state: TITLE and FIRST reviewed, SECOND_NOW changed
    (its English changed after review), THIRD and the rest machine-translated, NEW untranslated, GONE obsolete."""
    config = load_config(project)
    runner.run(config, engine_factory=lambda _config: FakeEngine(), steps=frozenset({"extract", "update", "translate"}))
    es = po_path(project, "es", ARTICLE)
    for msgid, text in ((TITLE, "Introducción revisada."), (FIRST, "Revisada uno."), (SECOND, "Revisada dos.")):
        review(es, msgid, text)
    source = project / "source" / f"{ARTICLE}.txt"
    text = source.read_text(encoding="utf-8").replace(SECOND, SECOND_NOW).replace(" " + GONE, "")
    source.write_text(text.replace(TITLE + "\n", f"{TITLE}\n{NEW}\n"), encoding="utf-8")
    runner.run(load_config(project), steps=frozenset({"extract", "update"}))
    return project


def review(po: Path, msgid: str, text: str) -> None:
    """What a translator does in a PO editor: write the translation and remove the fuzzy flag."""
    editor = open_po(po)
    entry = editor.find(msgid)
    entry.msgstr, entry.previous_msgid = text, None
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    editor.save()


def po_states(root: Path, language: str = "es", name: str = ARTICLE) -> dict[str, tuple[str, str]]:
    """msgid → (state, translation) of the active entries of a PO file as it is on disk."""
    return {e.msgid: (e.state, e.msgstr) for e in catalog.read_po(po_path(root, language, name)).entries()}


def invoke(root: Path, *args: str) -> Result:
    """A polyleaf command on the project ``root``, in this process (click's runner: no interpreter to start)."""
    return CliRunner().invoke(main, ["--project", str(root), *args])


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def units(data: bytes) -> dict[str, etree._Element]:
    """The ``<unit>`` elements of an XLIFF document by their English."""
    root = etree.fromstring(data)
    return {unit.find(f"{X}segment/{X}source").text: unit for unit in root.iter(f"{X}unit")}


def notes(unit: etree._Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for note in unit.iter(f"{X}note"):
        found.setdefault(note.get("category"), []).append(note.text)
    return found


def segment(unit: etree._Element) -> etree._Element:
    return unit.find(f"{X}segment")


# ----------------------------------------------------------------------------------------------- XLIFF export


def test_xliff_export_has_a_file_per_catalog_stable_ids_and_the_states_of_the_po(states: Path) -> None:
    ok(polyleaf(states, "export", "--format", "xliff", "--lang", "es"))
    data = (states / "build/exchange/es.xlf").read_bytes()
    root = etree.fromstring(data)
    assert (root.tag, root.get("version"), root.get("srcLang"), root.get("trgLang")) == (f"{X}xliff", "2.0", "en", "es")
    originals = [file.get("original") for file in root.iter(f"{X}file")]
    assert sorted(originals) == sorted(
        f"locales/es/LC_MESSAGES/{name}.po"
        for name in (ARTICLE, "bvn-ablation-vertebral-venous-malformations", "disclaimer", "interface")
    )
    found = units(data)
    po = po_states(states)
    article = {source: unit for source, unit in found.items() if source in po}
    assert set(article) == set(po)  # every active entry, and so no obsolete one
    assert GONE not in found
    for source, unit in article.items():
        assert unit.get("id") == unit_id(None, source)
    expected = {
        TITLE: ("final", "polyleaf:reviewed", "Introducción revisada."),
        FIRST: ("final", "polyleaf:reviewed", "Revisada uno."),
        SECOND_NOW: ("initial", "polyleaf:changed", "Revisada dos."),
        THIRD: ("initial", "polyleaf:machine", FakeEngine().translate_one(THIRD)),
        NEW: ("initial", "polyleaf:untranslated", None),
    }
    for source, (state, sub_state, target) in expected.items():
        seg = segment(article[source])
        assert (seg.get("state"), seg.get("subState")) == (state, sub_state), source
        assert (seg.find(f"{X}target").text if seg.find(f"{X}target") is not None else None) == target, source
    assert notes(article[THIRD])["provenance"] == ["mt: fake en-es 1.0"]
    assert notes(article[SECOND_NOW])["previous-source"] == [SECOND]
    assert notes(article[FIRST])["location"] == [f"source/{ARTICLE}.txt:3"]
    assert notes(article[FIRST])["developer"][0].startswith("paragraph 2, sentence 1 of")
    again = ok(polyleaf(states, "export", "--format", "xliff", "--lang", "es"))
    assert again.stdout.startswith("unchanged build/exchange/es.xlf")  # ids and bytes stable: nothing rewritten
    assert (states / "build/exchange/es.xlf").read_bytes() == data


def test_right_to_left_languages_say_so_and_output_names_a_file_or_a_folder(states: Path, tmp_path: Path) -> None:
    ok(polyleaf(states, "export", "--format", "xliff", "-o", str(tmp_path / "out")))
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["ar.xlf", "es.xlf"]
    arabic = etree.parse(tmp_path / "out" / "ar.xlf").getroot()
    assert {file.get("trgDir") for file in arabic.iter(f"{X}file")} == {"rtl"}
    ok(polyleaf(states, "export", "--format", "xliff", "--lang", "ar", "--doc", ARTICLE, "-o", str(tmp_path / "a.xlf")))
    only = etree.parse(tmp_path / "a.xlf").getroot()
    assert [file.get("original") for file in only.iter(f"{X}file")] == [f"locales/ar/LC_MESSAGES/{ARTICLE}.po"]
    refused = polyleaf(states, "export", "--format", "xliff", "-o", str(tmp_path / "both.xlf"))
    assert refused.returncode == 2
    assert "2 languages are exported (es, ar): choose one with --lang, or give a folder" in one_line_error(refused)


@pytest.mark.parametrize("fmt", ["xliff", "tbx"])
def test_an_export_holds_the_project_lock(states: Path, fmt: str) -> None:
    """It writes in ``build/``, where only a killed holder of the lock leaves temp files (the next holder looks for
    them then, and only then): while a run holds it, an export is refused and writes nothing."""
    shutil.rmtree(states / "build", ignore_errors=True)
    with project_lock(states, ()):
        refused = polyleaf(states, "export", "--format", fmt)
    assert refused.returncode == 1 and "another polyleaf run" in one_line_error(refused)
    assert not (states / "build").exists()


def test_an_export_does_not_write_through_a_link_that_leads_out_of_the_project(states: Path, tmp_path: Path) -> None:
    """``build/exchange`` is written as the rest of the build: a content repository that links it elsewhere gets a
    one-line error, and nothing is written there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(states / "build", ignore_errors=True)
    (states / "build").mkdir()
    (states / "build" / "exchange").symlink_to(elsewhere, target_is_directory=True)
    for fmt in ("xliff", "tbx"):
        refused = polyleaf(states, "export", "--format", fmt)
        assert refused.returncode == 1 and "leads outside the project" in one_line_error(refused)
    assert not list(elsewhere.iterdir())


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1))
def test_any_text_survives_an_xliff_file(source: str, target: str) -> None:
    entry = ExportEntry(unit_id(None, source), source, target, "reviewed")
    data = write_xliff("en", "es", [ExportCatalog("x.po", (entry,))], rtl=False)
    (unit,) = read_xliff(xmlio.parse(data, Path("x.xlf")), Path("x.xlf")).units
    assert (unit.source, unit.target, unit.kind, unit.unit_id) == (source, target, "final", entry.unit_id)


# ----------------------------------------------------------------------------------------------- XLIFF round trip


def test_round_trip_through_translate_toolkit_loses_no_reviewed_translation(states: Path) -> None:
    """PO → XLIFF → edited with translate-toolkit's XLIFF 2 reader/writer → import: each edit does what its state
    says — only final is reviewed here, what the tool confirmed is a suggestion with its provenance — nothing else
    changes, and importing again changes nothing. ``--as-reviewed`` then takes the confirmed ones as reviewed."""
    ok(polyleaf(states, "export", "--format", "xliff", "--lang", "es"))
    before = po_states(states)
    es = po_path(states, "es", ARTICLE)
    original_lines = es.read_text(encoding="utf-8")
    machine = sorted(m for m, (state, _) in before.items() if state == "machine" and m != THIRD)
    store = Xliff2File.parsestring((states / "build/exchange/es.xlf").read_bytes())
    by_source = {unit.source: unit for unit in store.units}
    assert {by_source[m].isfuzzy() for m in machine} == {True}  # another tool sees MT as fuzzy, not done
    assert by_source[FIRST].isapproved() and not by_source[NEW].target

    by_source[THIRD].target = "Editada y confirmada."
    by_source[THIRD].markapproved()  # → reviewed
    by_source[machine[0]].target = "Sugerencia editada."  # stays initial: still a suggestion
    by_source[TITLE].target = "Otra introducción."
    by_source[TITLE].markapproved()  # "reviewed", not final: the reviewed translation in the PO stays
    by_source[FIRST].target = "Revisada y corregida."  # the state stays final: it replaces
    by_source[NEW].target = "Una frase nueva."
    by_source[NEW].marktranslated()
    by_source[SECOND_NOW].markapproved()  # the old translation confirmed for the new English
    edited = states / "edited.xlf"
    edited.write_bytes(bytes(store))

    result = ok(polyleaf(states, "import", "edited.xlf"))
    after = po_states(states)
    assert after[THIRD] == ("changed", "Editada y confirmada.")  # confirmed elsewhere: a suggestion here
    assert after[machine[0]] == ("changed", "Sugerencia editada.")  # fuzzy, and no longer the machine's
    assert after[TITLE] == ("reviewed", "Introducción revisada.")
    assert after[FIRST] == ("reviewed", "Revisada y corregida.")
    assert after[NEW] == ("changed", "Una frase nueva.")
    assert after[SECOND_NOW] == ("changed", "Revisada dos.")
    assert {m for m, (state, _) in after.items() if state == "reviewed"} == {TITLE, FIRST}  # as before
    touched = {THIRD, machine[0], TITLE, FIRST, NEW, SECOND_NOW}
    assert {m: s for m, s in after.items() if m not in touched} == {m: s for m, s in before.items() if m not in touched}
    assert "edited.xlf:" in result.stderr and "kept the reviewed translation in " + ES in result.stderr
    assert "1 reviewed translations replaced (final)" in result.stdout and "1 file(s) written" in result.stdout
    assert "note: 2 translation(s) confirmed in the file but not reviewed in this project" in result.stdout
    po = open_po(es)
    for msgid in (THIRD, NEW, machine[0]):
        assert po.find(msgid).comments == ["tm: imported from edited.xlf"], msgid
    assert po.find(SECOND_NOW).previous_msgid == SECOND  # still a changed entry for the translator
    assert any(e.obsolete and e.msgid == GONE for e in po)  # obsolete entries are never exported nor touched
    untouched = [block for block in original_lines.split("\n\n") if not any(f'"{m[:30]}' in block for m in touched)]
    new_text = es.read_text(encoding="utf-8")
    assert [block for block in untouched if block not in new_text and "PO-Revision-Date" not in block] == []

    written = es.read_bytes()
    again = ok(polyleaf(states, "import", "edited.xlf"))
    assert "0 file(s) written" in again.stdout
    assert es.read_bytes() == written  # idempotent
    if GNU:
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(es)], check=True)
        assert subprocess.run(["msgcat", str(es)], capture_output=True, check=True).stdout == written

    trusted = invoke(states, "import", str(edited), "--as-reviewed")
    assert trusted.exit_code == 0, trusted.output
    assert "XLIFF imported as reviewed (--as-reviewed): 3 now reviewed" in trusted.stdout
    after = po_states(states)
    assert (after[THIRD], after[NEW], after[SECOND_NOW]) == (
        ("reviewed", "Editada y confirmada."),
        ("reviewed", "Una frase nueva."),
        ("reviewed", "Revisada dos."),
    )
    assert after[machine[0]] == ("changed", "Sugerencia editada.")  # the tool left it unconfirmed: still not
    po = open_po(es)
    marker = "tm: imported as reviewed from edited.xlf (polyleaf import --as-reviewed)"
    assert po.find(THIRD).comments == po.find(SECOND_NOW).comments == [marker]
    assert po.find(SECOND_NOW).previous_msgid is None


@pytest.mark.parametrize(
    ("state", "replaced"), [("final", True), ("reviewed", False), ("translated", False), ("initial", False)]
)
def test_only_final_replaces_a_reviewed_translation(states: Path, state: str, replaced: bool) -> None:
    ok(polyleaf(states, "export", "--format", "xliff", "--lang", "es", "-o", "es.xlf"))
    root = etree.parse(states / "es.xlf")
    seg = root.find(f".//{X}unit[@id='{unit_id(None, FIRST)}']/{X}segment")
    seg.set("state", state)
    seg.find(f"{X}target").text = "Otra traducción."
    root.write(states / "es.xlf", xml_declaration=True, encoding="UTF-8")
    before = tree(states)
    result = ok(polyleaf(states, "import", "es.xlf"))
    assert po_states(states)[FIRST] == ("reviewed", "Otra traducción." if replaced else "Revisada uno.")
    if not replaced:
        assert tree(states) == before  # nothing else to do: nothing written
        line = seg.getparent().sourceline
        assert f"warning: es.xlf:{line}: kept the reviewed translation in {ES}:" in result.stderr


def test_english_changed_since_the_export(states: Path) -> None:
    """A translation of English that changed meanwhile becomes the fuzzy suggestion of the changed entry (under
    the previous English); one of English that is gone is reported and skipped."""
    ok(polyleaf(states, "export", "--format", "xliff", "--lang", "es", "-o", "es.xlf"))
    root = etree.parse(states / "es.xlf")
    for source, text in ((FIRST, "Final de la vieja."), (THIRD, "Tres.")):
        seg = root.find(f".//{X}unit[@id='{unit_id(None, source)}']/{X}segment")
        seg.set("state", "final")
        seg.find(f"{X}target").text = text
    root.write(states / "es.xlf", xml_declaration=True, encoding="UTF-8")
    article = states / "source" / f"{ARTICLE}.txt"
    first_now = FIRST.replace("remains", "is still")
    article.write_text(article.read_text(encoding="utf-8").replace(FIRST, first_now).replace(" " + THIRD, ""), "utf-8")
    ok(polyleaf(states, "update"))
    result = ok(polyleaf(states, "import", "es.xlf"))
    po = open_po(po_path(states, "es", ARTICLE))
    changed = po.find(first_now)
    assert (changed.msgstr, "fuzzy" in changed.flags, changed.previous_msgid) == ("Final de la vieja.", True, FIRST)
    gone = po.find(THIRD)
    assert gone.obsolete and gone.msgstr == FakeEngine().translate_one(THIRD)
    assert "the English changed since the export: the translation is a fuzzy suggestion in " + ES in result.stderr
    assert f"skipped: {THIRD!r} is obsolete in {ES}" in result.stderr
    assert "1 suggestions under the previous English" in result.stdout


def test_qa_of_the_imported_entries_is_reported(states: Path) -> None:
    ok(polyleaf(states, "export", "--format", "xliff", "--lang", "es", "-o", "es.xlf"))
    root = etree.parse(states / "es.xlf")
    seg = root.find(f".//{X}unit[@id='{unit_id(None, THIRD)}']/{X}segment")
    seg.set("state", "final")
    seg.find(f"{X}target").text = "Los tratamientos tradicionales"  # no final period: a QA finding
    root.write(states / "es.xlf", xml_declaration=True, encoding="UTF-8")
    result = ok(polyleaf(states, "import", "es.xlf", "--json"))
    report = json.loads(result.stdout)
    assert report["written"] == [ES] and report["counts"]["reviewed"] == 1
    assert report["diagnostics"] and {d["msgid"] for d in report["diagnostics"]} == {THIRD}


def test_a_translator_saving_during_the_import_keeps_their_work(states: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    es = po_path(states, "es", ARTICLE)
    exchange.export(load_config(states), "xliff", Selection(("es",)), states / "es.xlf")
    root = etree.parse(states / "es.xlf")
    for source in (THIRD, NEW):
        seg = root.find(f".//{X}unit[@id='{unit_id(None, source)}']/{X}segment")
        seg.set("state", "translated")
        target = seg.find(f"{X}target")
        (target if target is not None else etree.SubElement(seg, f"{X}target")).text = "Del archivo."
    root.write(states / "es.xlf", xml_declaration=True, encoding="UTF-8")
    merge = getattr(importing, "merge_catalogs")  # noqa: B009 (mypy: the module does not re-export it)

    def merge_then_translator_saves(*args: object, **kwargs: object) -> object:
        merged = merge(*args, **kwargs)
        review(es, THIRD, "Del traductor.")
        return merged

    monkeypatch.setattr(importing, "merge_catalogs", merge_then_translator_saves)
    report = importing.import_file(load_config(states), states / "es.xlf", as_reviewed=True)
    after = po_states(states)
    assert after[THIRD] == ("reviewed", "Del traductor.")  # reviewed meanwhile: not replaced by a non-final
    assert after[NEW] == ("reviewed", "Del archivo.")
    assert report.counts["kept"] == 1 and report.counts["reviewed"] == 1


# ----------------------------------------------------------------------------------------------- XLIFF 1.2

X1 = f"{{{XLIFF12_NS}}}"


def done(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def toolkit_states(store: xlifffile) -> dict[str, tuple[str, str, bool]]:
    """English → (translation, target state, fuzzy) of the units of a translate-toolkit XLIFF 1 store."""
    found = {}
    for item in store.units:
        target = item.getlanguageNode(None, 1)
        found[item.source] = (item.target or "", target.get("state") if target is not None else "", item.isfuzzy())
    return found


def test_xliff12_export_is_read_by_translate_toolkit_and_imported_back_with_states_kept(states: Path) -> None:
    """XLIFF 1.2 for tools without XLIFF 2: translate-toolkit's ``xliff`` store reads every active entry with its
    state, references and notes; the untouched file imports as no change; edits made with the toolkit follow the
    rules of XLIFF 2 (only final replaces or makes reviewed; confirmed elsewhere is a suggestion unless
    --as-reviewed)."""
    done(invoke(states, "export", "--format", "xliff12", "--lang", "es"))
    path = states / "build/exchange/es.xliff12.xlf"
    data = path.read_bytes()
    root = etree.fromstring(data)
    assert (root.tag, root.get("version")) == (f"{X1}xliff", "1.2")
    files = {file.get("original"): file for file in root.iter(f"{X1}file")}
    assert {(file.get("source-language"), file.get("target-language")) for file in files.values()} == {("en", "es")}
    store = xlifffile.parsestring(data)
    found = {unit.source: unit for unit in store.units if unit.getid().startswith(ES)}
    po = po_states(states)
    assert set(found) == set(po) and GONE not in found  # every active entry, no obsolete one
    assert all(found[m].getid() == f"{ES}\x04{unit_id(None, m)}" for m in po)  # the toolkit's file\x04id
    assert toolkit_states(store)[FIRST] == ("Revisada uno.", "final", False) and found[FIRST].isapproved()
    machine = sorted(m for m, (state, _) in po.items() if state == "machine" and m != THIRD)
    assert toolkit_states(store)[THIRD] == (FakeEngine().translate_one(THIRD), "needs-review-translation", True)
    assert toolkit_states(store)[SECOND_NOW] == ("Revisada dos.", "needs-review-translation", True)
    assert toolkit_states(store)[NEW] == ("", "", False) and not found[NEW].isapproved()
    assert found[FIRST].getlocations() == [f"source/{ARTICLE}.txt:3"]
    assert found[FIRST].getnotes("developer").startswith("paragraph 2, sentence 1 of")
    assert found[THIRD].getnotes("provenance") == "mt: fake en-es 1.0"
    assert found[SECOND_NOW].getnotes("previous-source") == SECOND

    before = tree(states)
    unchanged = done(invoke(states, "import", str(path)))
    assert tree(states) == before and "0 file(s) written" in unchanged.stdout  # states kept: nothing to change
    assert unchanged.stdout.startswith("XLIFF 1.2: ") and "unchanged" in unchanged.stdout

    found[THIRD].target = "Confirmada."
    found[THIRD].markfuzzy(False)  # approved="yes", state translated: confirmed elsewhere
    found[machine[0]].target = "Firmada."
    found[machine[0]].set_state_n(found[machine[0]].S_SIGNED_OFF)  # signed-off: XLIFF 2's reviewed
    found[TITLE].target = "Otra introducción."
    found[TITLE].set_state_n(found[TITLE].S_TRANSLATED)  # not final: the reviewed translation stays
    found[FIRST].target = "Revisada y corregida."  # still final: it replaces
    found[NEW].target = "Una frase nueva."
    found[NEW].set_state_n(found[NEW].S_SIGNED_OFF + 1)  # final: reviewed here
    edited = states / "edited.xlf"
    edited.write_bytes(bytes(store))
    result = done(invoke(states, "import", str(edited)))
    after = po_states(states)
    assert after[THIRD] == ("changed", "Confirmada.") and after[machine[0]] == ("changed", "Firmada.")
    assert after[TITLE] == ("reviewed", "Introducción revisada.")
    assert (after[FIRST], after[NEW]) == (("reviewed", "Revisada y corregida."), ("reviewed", "Una frase nueva."))
    assert "note: 2 translation(s) confirmed in the file but not reviewed in this project" in result.stdout
    assert "kept the reviewed translation in " + ES in result.stderr
    touched = {THIRD, machine[0], TITLE, FIRST, NEW}
    assert {m: s for m, s in after.items() if m not in touched} == {m: s for m, s in po.items() if m not in touched}
    trusted = done(invoke(states, "import", str(edited), "--as-reviewed"))
    assert "XLIFF 1.2 imported as reviewed (--as-reviewed): 2 now reviewed" in trusted.stdout
    after = po_states(states)
    assert (after[THIRD], after[machine[0]]) == (("reviewed", "Confirmada."), ("reviewed", "Firmada."))
    assert after[TITLE] == ("reviewed", "Introducción revisada.")  # --as-reviewed never replaces a reviewed one
    if GNU:
        es = po_path(states, "es", ARTICLE)
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(es)], check=True)


PLURAL = b'\nmsgid "One tablet"\nmsgid_plural "%d tablets"\nmsgstr[0] "Una tableta"\nmsgstr[1] "%d tabletas"\n'


def test_a_translate_toolkit_po2xliff_file_imports(states: Path) -> None:
    """What translate-toolkit's po2xliff makes of a PO file (XLIFF 1.1 in the poxliff style: the PO header as a unit,
    its own ids, location and comment context groups, a plural entry as <group restype="x-gettext-plurals">), and
    the same as XLIFF 1.2: the unchanged translations change nothing, the plural entry is skipped with a notice, a
    translation the toolkit confirmed is a suggestion."""
    es = po_path(states, "es", ARTICLE)
    po = pofile.parsestring(es.read_bytes() + PLURAL)
    po.filename = ES
    data = po2xliff().convertstore(po)
    assert b'version="1.1"' in data and b'restype="x-gettext-plurals"' in data and b"x-gettext-domain-header" in data
    before, states_before = tree(states), po_states(states)
    as_12 = data.replace(b"document:1.1", b"document:1.2").replace(b'version="1.1"', b'version="1.2"')
    for version, content in (("1.1", data), ("1.2", as_12)):
        path = states / f"toolkit-{version}.xlf"
        path.write_bytes(content)
        result = done(invoke(states, "import", str(path)))
        assert result.stdout.startswith(f"XLIFF {version}: ") and "0 file(s) written" in result.stdout
        assert "skipped: the plural entry 'One tablet' (plural forms are not imported)" in result.stderr
        assert {name: bytes_ for name, bytes_ in tree(states).items() if "toolkit" not in name} == before
    store = PoXliffFile.parsestring(as_12)
    [new] = [unit for unit in store.units if unit.source == NEW]
    new.target = "Una frase nueva."
    new.markfuzzy(False)  # what a translator's "done" is in the toolkit: approved
    (states / "edited.xlf").write_bytes(bytes(store))
    result = done(invoke(states, "import", str(states / "edited.xlf")))
    assert "1 fuzzy suggestions" in result.stdout
    assert po_states(states) == {**states_before, NEW: ("changed", "Una frase nueva.")}
    assert open_po(es).find(NEW).comments == ["tm: imported from edited.xlf"]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1), st.sampled_from(["reviewed", "machine", "changed"]))
def test_any_text_xml_can_hold_survives_an_xliff12_file(source: str, target: str, state: str) -> None:
    entry = ExportEntry(unit_id(None, source), source, target, state, references=("source/a b.txt:3",))  # type: ignore[arg-type]
    data, counts = exchange._xliff12("en", "es", [ExportCatalog("x.po", (entry,))])
    if not xliff12.writable_in_xliff12(entry):
        assert counts == {"left out": 1} and b"<trans-unit" not in data
        return
    (unit,) = xliff12.read_xliff12(xmlio.parse(data, Path("x.xlf")), Path("x.xlf")).units
    kind = "final" if state == "reviewed" else "suggestion"
    assert (unit.source, unit.target, unit.kind, unit.unit_id, unit.original) == (
        source,
        target,
        kind,
        entry.unit_id,
        "x.po",
    )


def test_xliff12_has_its_own_name_in_the_exchange_folder(states: Path, tmp_path: Path) -> None:
    done(invoke(states, "export", "--format", "xliff", "--lang", "es"))
    done(invoke(states, "export", "--format", "xliff12", "--lang", "es"))
    assert sorted(p.name for p in (states / "build/exchange").iterdir()) == ["es.xlf", "es.xliff12.xlf"]
    result = done(invoke(states, "export", "--format", "xliff12", "--lang", "ar", "-o", str(tmp_path / "ar.xliff")))
    assert etree.parse(tmp_path / "ar.xliff").getroot().get("version") == "1.2" and "untranslated" in result.stdout


# ----------------------------------------------------------------------------------------------- errors


def xliff(body: str, version: str = "2.0", target: str = "es") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{XLIFF_NS}" version="{version}" srcLang="en" trgLang="{target}">\n'
        f'<file id="f1" original="{ES}">\n{body}\n</file>\n</xliff>\n'
    )


def unit(source: str, target: str, state: str = "final", extra: str = "") -> str:
    return (
        f'<unit id="{unit_id(None, source)}"><segment state="{state}"><source>{source}</source>'
        f"<target>{target}{extra}</target></segment></unit>"
    )


def xliff1_file(body: str) -> str:
    """An XLIFF 1.2 file for the Spanish article; its first trans-unit on line 4."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{XLIFF12_NS}" version="1.2">\n'
        f'<file original="{ES}" source-language="en" target-language="es" datatype="po"><body>\n{body}\n'
        "</body></file>\n</xliff>\n"
    )


def trans_unit(source: str, target: str, state: str = "final", approved: str = "") -> str:
    approval = f' approved="{approved}"' if approved else ""
    return (
        f'<trans-unit id="{unit_id(None, source)}"{approval}><source>{source}</source>'
        f'<target state="{state}">{target}</target></trans-unit>'
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
    f'<xliff xmlns="{XLIFF_NS}" version="2.0" srcLang="en" trgLang="es"><file id="f" original="{ES}">'
    f'<unit id="u"><segment state="final"><source>{FIRST}</source><target>&b;</target></segment></unit></file></xliff>'
)
EXTERNAL = BILLION_LAUGHS.replace(
    '<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">', '<!ENTITY b SYSTEM "file:///etc/passwd">'
)
MALFORMED = [
    ("truncated", xliff(unit(FIRST, "Otra."))[:-40], "in.xlf:4: not well-formed XML: "),
    ("empty", "", "in.xlf:1: not well-formed XML: "),
    (
        "XLIFF 1.0",
        '<?xml version="1.0"?>\n<xliff version="1.0"><file/></xliff>',
        "in.xlf:2: XLIFF 1.0 is not supported: polyleaf reads XLIFF 1.1, 1.2 and 2.0 (2.1 and 2.2 as 2.0)",
    ),
    (
        "XLIFF 2.3",
        xliff(unit(FIRST, "Otra."), version="2.3"),
        "in.xlf:2: XLIFF 2.3 is not supported: polyleaf reads XLIFF 1.1, 1.2 and 2.0 (2.1 and 2.2 as 2.0)",
    ),
    (
        "XLIFF 1.2 in the 1.1 namespace",
        xliff1_file(trans_unit(FIRST, "Otra.")).replace(XLIFF12_NS, XLIFF12_NS[:-1] + "1"),
        "in.xlf:2: XLIFF 1.2 in the namespace 'urn:oasis:names:tc:xliff:document:1.1', not 'urn:oasis:names:tc:xliff"
        ":document:1.2': which version is it?",
    ),
    (
        "XLIFF 2.0 in the 1.2 namespace",
        xliff(unit(FIRST, "Otra.")).replace(XLIFF_NS, XLIFF12_NS),
        "in.xlf:2: XLIFF 2.0 in the namespace 'urn:oasis:names:tc:xliff:document:1.2', not",
    ),
    (
        "XLIFF 1.2 without target-language",
        xliff1_file(trans_unit(FIRST, "Otra.")).replace(' target-language="es"', ""),
        "in.xlf:3: <file> has no target-language attribute: which language?",
    ),
    (
        "XLIFF 1.2 inline code",
        xliff1_file(trans_unit(FIRST, 'Otra<g id="1">.</g>')),
        "in.xlf:4: inline code <g> is not",
    ),
    (
        "XLIFF 1.2 unknown state",
        xliff1_file(trans_unit(FIRST, "Otra.", "done")),
        "in.xlf:4: unknown target state 'done'",
    ),
    (
        "XLIFF 1.2 twice the same id",
        xliff1_file(trans_unit(FIRST, "Otra.") + "\n" + trans_unit(FIRST, "Otra.")),
        "in.xlf:5: two trans-units with the id",
    ),
    (
        "XLIFF 1.2 another language",
        xliff1_file(trans_unit(FIRST, "Otra.")).replace('target-language="es"', 'target-language="de"'),
        "in.xlf:3: language 'de' is not configured (es, ar)",
    ),
    (
        "unknown language",
        xliff(unit(FIRST, "Otra."), target="de"),
        "in.xlf:2: language 'de' is not configured (es, ar)",
    ),
    (
        "unknown file",
        xliff(unit(FIRST, "Otra.")).replace(ARTICLE, "nope"),
        "in.xlf:4: no PO file locales/es/LC_MESSAGES/nope.po in this project for es",
    ),
    ("inline code", xliff(unit(FIRST, "Otra", extra='<ph id="1"/>')), "in.xlf:4: inline code <ph> is not supported"),
    ("unknown state", xliff(unit(FIRST, "Otra.", state="done")), "in.xlf:4: unknown segment state 'done'"),
    ("entity expansion", BILLION_LAUGHS, "in.xlf:3: entity declarations are not allowed in an imported file"),
    ("external entity", EXTERNAL, "in.xlf:3: entity declarations are not allowed in an imported file"),
    ("not XLIFF", "<html>\n<body/></html>", "in.xlf:1: <html> is not an XLIFF or TMX 1.4 document"),
    ("TMX 1.1", '<tmx version="1.1"><header srclang="en"/><body/></tmx>', "in.xlf:1: TMX 1.1 is not supported"),
]


@pytest.mark.parametrize(("content", "expected"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_bad_file_is_one_line_with_its_line_and_nothing_is_written(states: Path, content: str, expected: str) -> None:
    (states / "in.xlf").write_text(content, encoding="utf-8")
    before = tree(states)
    result = polyleaf(states, "import", "in.xlf")
    assert result.returncode == 1
    assert one_line_error(result).startswith(f"polyleaf: {expected}"), result.stderr
    assert tree(states) == before


def test_a_well_formed_xliff_file_that_changes_nothing_writes_nothing(states: Path) -> None:
    (states / "in.xlf").write_text(xliff(unit(FIRST, "Revisada uno.")), encoding="utf-8")
    before = tree(states)
    result = ok(polyleaf(states, "import", "in.xlf"))
    assert result.stdout.strip() == "XLIFF: 1 unchanged; 0 file(s) written"
    assert tree(states) == before


def test_xliff_2_1_and_2_2_are_read_as_2_0_and_say_so(states: Path) -> None:
    path = states / "in.xlf"
    for version in ("2.1", "2.2"):
        path.write_text(xliff(unit(FIRST, "Revisada uno."), version=version), encoding="utf-8")
        result = done(invoke(states, "import", str(path)))
        assert f"warning: {path}:2: XLIFF {version} is read as XLIFF 2.0: the core elements and states" in result.stderr
        assert result.stdout.strip() == "XLIFF: 1 unchanged; 0 file(s) written"
    path.write_text(xliff(unit(FIRST, "Revisada uno.")), encoding="utf-8")
    assert done(invoke(states, "import", str(path))).stderr == ""


@pytest.mark.parametrize(
    ("state", "approved", "after"),
    [
        ("final", "", ("reviewed", "Otra.")),
        ("final", "yes", ("reviewed", "Otra.")),
        ("final", "no", ("reviewed", "Revisada uno.")),  # not approved: not final
        ("signed-off", "yes", ("reviewed", "Revisada uno.")),
        ("translated", "yes", ("reviewed", "Revisada uno.")),
        ("needs-review-translation", "", ("reviewed", "Revisada uno.")),
        ("x-custom", "yes", ("reviewed", "Revisada uno.")),
    ],
)
def test_only_final_in_xliff12_replaces_a_reviewed_translation(
    states: Path, state: str, approved: str, after: tuple[str, str]
) -> None:
    (states / "in.xlf").write_text(xliff1_file(trans_unit(FIRST, "Otra.", state, approved)), encoding="utf-8")
    result = done(invoke(states, "import", str(states / "in.xlf")))
    assert po_states(states)[FIRST] == after
    assert ("replaced the reviewed translation" in result.stderr) == (after[1] == "Otra.")


def test_an_oversized_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.xlf"
    big.write_text(xliff(unit(FIRST, "Otra.")), encoding="utf-8")
    monkeypatch.setattr(xmlio, "MAX_BYTES", 100)
    with pytest.raises(ExchangeError, match="too large to import"):
        importing.read_exchange_file(big)


# ----------------------------------------------------------------------------------------------- TMX


def test_tmx_holds_reviewed_translations_and_marked_machine_ones_on_request(states: Path) -> None:
    ok(polyleaf(states, "export", "--format", "tmx", "--lang", "es"))
    memory = tmxfile.parsestring((states / "build/exchange/es.tmx").read_bytes())
    pairs = {(unit.source, unit.target) for unit in memory.units}
    reviewed = {(m, t) for _name in ("x",) for m, (s, t) in po_states(states).items() if s == "reviewed"}
    assert pairs == reviewed == {(TITLE, "Introducción revisada."), (FIRST, "Revisada uno.")}
    ok(polyleaf(states, "export", "--format", "tmx", "--lang", "es", "--mt"))
    data = (states / "build/exchange/es.tmx").read_bytes()
    memory = tmxfile.parsestring(data)
    machine = {m for m, (s, _t) in po_states(states).items() if s == "machine"}
    assert {unit.source for unit in memory.units} >= machine | {TITLE, FIRST}
    assert SECOND_NOW not in {unit.source for unit in memory.units}  # a changed entry is not a translation of it
    root = etree.fromstring(data)
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "en"
    marked = {
        tu.find("tuv/seg").text
        for tu in root.iter("tu")
        if tu.find("tuv[2]/prop[@type='x-polyleaf-state']") is not None
    }
    assert marked >= machine and TITLE not in marked
    provenance = root.find(".//prop[@type='x-polyleaf-provenance']").text
    assert provenance == "mt: fake en-es 1.0"


def test_tmx_import_fills_another_project_with_suggestions_unless_taken_as_reviewed(
    states: Path, tmp_path: Path
) -> None:
    """A memory from another project (reviewed there, never here) fills fuzzy suggestions that say where they come
    from; only ``--as-reviewed`` makes them reviewed, and each entry then says so."""
    ok(polyleaf(states, "export", "--format", "tmx", "--lang", "es", "--mt", "-o", str(tmp_path / "es.tmx")))
    other = tmp_path / "other"
    shutil.copytree(states, other, ignore=shutil.ignore_patterns("locales", "build"))
    ok(polyleaf(other, "update"))
    result = ok(polyleaf(other, "import", str(tmp_path / "es.tmx")))
    imported = po_states(other)
    assert imported[FIRST] == ("changed", "Revisada uno.")
    assert imported[THIRD] == ("machine", FakeEngine().translate_one(THIRD))
    assert not [msgid for msgid, (state, _text) in imported.items() if state == "reviewed"]
    po = open_po(po_path(other, "es", ARTICLE))
    assert po.find(FIRST).comments == ["tm: imported from es.tmx"] and "fuzzy" in po.find(FIRST).flags
    assert po.find(THIRD).comments == ["mt: fake en-es 1.0"]
    assert "\nTMX: " in result.stdout and "note: 2 translation(s) confirmed in the file" in result.stdout
    written = tree(other)
    again = ok(polyleaf(other, "import", str(tmp_path / "es.tmx")))
    assert "0 file(s) written" in again.stdout and tree(other) == written

    trusted = invoke(other, "import", str(tmp_path / "es.tmx"), "--as-reviewed")
    assert trusted.exit_code == 0 and "TMX imported as reviewed (--as-reviewed): 2 now" in trusted.stdout
    imported = po_states(other)
    assert (imported[FIRST], imported[TITLE]) == (("reviewed", "Revisada uno."), ("reviewed", "Introducción revisada."))
    assert imported[THIRD] == ("machine", FakeEngine().translate_one(THIRD))  # machine text never becomes reviewed
    po = open_po(po_path(other, "es", ARTICLE))
    assert po.find(FIRST).comments == ["tm: imported as reviewed from es.tmx (polyleaf import --as-reviewed)"]


def test_tmx_import_never_replaces_a_reviewed_translation(states: Path, tmp_path: Path) -> None:
    memory = tmp_path / "es.tmx"
    memory.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
        '<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en-US" '
        'datatype="plaintext"/>\n<body>\n'
        f'<tu><tuv xml:lang="en-US"><seg>{FIRST}</seg></tuv><tuv xml:lang="es-ES"><seg>Otra.</seg></tuv></tu>\n'
        f'<tu><tuv xml:lang="en-US"><seg>{NEW}</seg></tuv><tuv xml:lang="es-ES"><seg>Nueva.</seg></tuv></tu>\n'
        f'<tu><tuv xml:lang="en-US"><seg>{THIRD}</seg></tuv><tuv xml:lang="es-ES"><seg>Una.</seg></tuv></tu>\n'
        f'<tu><tuv xml:lang="en-US"><seg>{THIRD}</seg></tuv><tuv xml:lang="es-ES"><seg>Otra.</seg></tuv></tu>\n'
        "</body>\n</tmx>\n",
        encoding="utf-8",
    )
    result = ok(polyleaf(states, "import", str(memory)))
    after = po_states(states)
    assert after[FIRST] == ("reviewed", "Revisada uno.")  # a memory cannot say final
    assert after[NEW] == ("changed", "Nueva.")  # es-ES is a Spanish the project translates into (es)
    assert after[THIRD] == ("machine", FakeEngine().translate_one(THIRD))
    assert f"es.tmx:8: skipped: 2 different translations of {THIRD!r}" in result.stderr


# ----------------------------------------------------------------------------------------------- TBX


def test_glossary_as_tbx_basic(states: Path) -> None:
    (states / "locales" / "glossary.csv").write_text(
        "term,language,translation,note\n"
        "BVNA,*,,procedure acronym\n"
        "MRI,*,,\n"
        "MRI,es,RM,resonancia magnética\n"
        "low back pain,ar,,keep in Arabic leaflets\n",
        encoding="utf-8",
    )
    ok(polyleaf(states, "export", "--format", "tbx"))
    data = (states / "build/exchange/glossary.tbx").read_bytes()
    root = etree.fromstring(data)
    assert (root.tag, root.get("type"), root.get(xmlio.XML_LANG)) == ("martif", "TBX-Basic", "en")
    assert root.find("martifHeader/encodingDesc/p[@type='XCSURI']").text == "TBXBasicXCSV02.xcs"
    entries = root.findall("text/body/termEntry")
    ids = [entry.get("id") for entry in entries]
    assert len(set(ids)) == len(ids) == 3 and all(i[0].isalpha() for i in ids)
    for entry in entries:  # TBX-Basic: langSet > tig > term, termNote of the permitted types and values
        for lang_set in entry:
            assert lang_set.tag == "langSet" and lang_set.get(xmlio.XML_LANG)
            for tig in lang_set:
                assert tig.tag == "tig" and tig[0].tag == "term" and tig[0].text
                assert {(note.get("type"), note.text) for note in tig.iter("termNote")} == {
                    ("administrativeStatus", "preferredTerm-admn-sts")
                }
    glossary = tbxfile.parsestring(data)
    terms = {unit.source: {lang: unit.gettarget(lang) for lang in ("es", "ar")} for unit in glossary.units}
    assert terms == {
        "BVNA": {"es": "BVNA", "ar": "BVNA"},
        "MRI": {"es": "RM", "ar": "MRI"},
        "low back pain": {"es": None, "ar": "low back pain"},
    }
    refused = polyleaf(states, "export", "--format", "tbx", "--doc", ARTICLE)
    assert refused.returncode == 2 and "--doc does not apply to the glossary" in one_line_error(refused)
