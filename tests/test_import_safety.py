"""Imports that cannot mislead or brick a project, through the command line (in this process).

Trust: text reviewed elsewhere — a TMX, an XLIFF state other than ``final``, another project's memory — arrives as a
fuzzy suggestion naming its file, so it cannot pass the release gate; only ``polyleaf import --as-reviewed`` (the
coordinator's explicit word) makes it reviewed, and then every entry says so and ``build/release.json`` lists it.
The files are made by translate-toolkit, the library behind Weblate and Pootle, standing in for "another tool".

Validity: whatever a file brings that a PO file cannot hold (a NUL, <EOT>, a lone surrogate, a character code that
is none) is a one-line ``file:line`` error with nothing written; what it can hold but msgfmt or a leaflet would choke
on (a line break at the end the English has not, carriage returns, control characters) is normalised with a
``file:line`` warning. Afterwards every PO file passes ``msgfmt --check`` and the project still runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from lxml import etree
from translate.storage.poxliff import PoXliffFile
from translate.storage.tmx import tmxfile
from translate.storage.xliff2 import Xliff2File

from helpers import copied_project, po_path, tree
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.catalog.suggestions import suggestions_for
from polyleaf.cli import main
from polyleaf.exchange.model import unit_id
from release_helpers import (
    DOSE,
    DOSE_SENTENCE,
    DOSE_SOURCE,
    MARKUP_SENTENCE,
    manifest,
    review,
    translated_everything,
)

SPANISH = {
    "Dosage": "Dosis",
    DOSE_SENTENCE: "Tome 2,5 mg del medicamento dos veces al día.",
    MARKUP_SENTENCE: "Mantenga **todas** las tabletas lejos de los niños.",
}
DOSE_PO = f"locales/es/LC_MESSAGES/{DOSE}.po"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
GNU = shutil.which("msgfmt") is not None


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's articles and a dose leaflet, machine-translated (fuzzy); disclaimer and leaflet words reviewed."""
    from helpers import content_project

    root = content_project(
        tmp_path_factory.mktemp("first") / "project",
        'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt", "html"]\n',
    )
    (root / "source" / f"{DOSE}.txt").write_text(DOSE_SOURCE, encoding="utf-8")
    translated_everything(root)
    return root


@pytest.fixture
def project(first: Path, tmp_path: Path) -> Path:
    return copied_project(first, tmp_path)


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def reviewed(root: Path) -> set[tuple[str, str, str]]:
    """(PO file, msgid, translation) of every reviewed entry of the project."""
    found = set()
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        for entry in catalog.read_po(path).entries():
            if entry.state == "reviewed":
                found.add((path.relative_to(root).as_posix(), entry.msgid, entry.msgstr))
    return found


def msgfmt_accepts_every_po_file(root: Path) -> None:
    if not GNU:
        return
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{path}: {checked.stderr}"


def toolkit_tmx(path: Path, translations: dict[str, str]) -> Path:
    memory = tmxfile(sourcelanguage="en", targetlanguage="es")
    for source, target in translations.items():
        memory.addtranslation(source, "en", target, "es-ES")
    path.write_bytes(bytes(memory))
    return path


def toolkit_xliff(path: Path, translations: dict[str, str], mark: str) -> Path:
    """An XLIFF 2 file translate-toolkit writes from scratch for the dose catalog, each unit marked ``mark``
    (``translated``, ``approved``: the tool's "reviewed", or ``fuzzy``)."""
    store = Xliff2File(sourcelanguage="en", targetlanguage="es")
    store.body.set("original", DOSE_PO)
    for source, target in translations.items():
        unit = store.addsourceunit(source)
        unit.setid(unit_id(None, source))
        unit.target = target
        {"translated": unit.marktranslated, "approved": unit.markapproved, "fuzzy": unit.markfuzzy}[mark]()
    path.write_bytes(bytes(store))
    return path


def released(root: Path) -> dict[str, dict[str, Any]]:
    invoke(root, "build", "--release")
    return {f"{record['language']}/{record['document']}": record for record in manifest(root)}


# ----------------------------------------------------------------------------------------------- trust


@pytest.mark.slow
def test_toolkit_tmx_and_xliff_leave_no_entry_reviewed_that_was_not(project: Path, tmp_path: Path) -> None:
    review(project, "es", DOSE, only={"Dosage"}, text=lambda _language, _msgid: "Dosificación")
    before = reviewed(project)
    imports = [
        toolkit_tmx(tmp_path / "clinic.tmx", SPANISH),
        *(toolkit_xliff(tmp_path / f"{mark}.xlf", SPANISH, mark) for mark in ("translated", "approved", "fuzzy")),
    ]
    edited = tmp_path / "edited.xlf"  # polyleaf's own export, confirmed unit by unit in the toolkit
    assert (
        invoke(project, "export", "--format", "xliff", "--lang", "es", "--doc", DOSE, "-o", str(edited)).exit_code == 0
    )
    store = Xliff2File.parsestring(edited.read_bytes())
    for unit in store.units:
        unit.target = SPANISH[unit.source]
        unit.markapproved()
    edited.write_bytes(bytes(store))
    for path in [*imports, edited]:
        result = invoke(project, "import", str(path))
        assert result.exit_code == 0, result.output
        assert reviewed(project) == before, path.name
    po = open_po(po_path(project, "es", DOSE))
    assert po.find(DOSE_SENTENCE).msgstr == SPANISH[DOSE_SENTENCE] and "fuzzy" in po.find(DOSE_SENTENCE).flags
    assert po.find(DOSE_SENTENCE).comments == ["tm: imported from clinic.tmx"]  # the first file that offered it
    assert po.find("Dosage").msgstr == "Dosificación"  # reviewed here: kept
    assert "es/dose" not in released(project)  # withheld: nothing the import brought is reviewed
    msgfmt_accepts_every_po_file(project)


def toolkit_xliff1(path: Path, translations: dict[str, str], mark: str) -> Path:
    """An XLIFF 1 file translate-toolkit's poxliff store writes from scratch for the dose catalog (its own ids),
    each unit marked ``mark``: ``approved`` (the toolkit's "not fuzzy"), ``translated``, ``signed-off`` or
    ``fuzzy``."""
    store = PoXliffFile(sourcelanguage="en", targetlanguage="es")
    for source, target in translations.items():
        unit = store.addsourceunit(source, filename=DOSE_PO, createifmissing=True)
        unit.target = target
        if mark == "signed-off":
            unit.set_state_n(unit.S_SIGNED_OFF)
        else:
            {"approved": unit.markapproved, "translated": unit.marktranslated, "fuzzy": unit.markfuzzy}[mark]()
    path.write_bytes(bytes(store))
    return path


@pytest.mark.slow
def test_toolkit_xliff1_leaves_no_entry_reviewed_that_was_not_unless_as_reviewed(project: Path, tmp_path: Path) -> None:
    """XLIFF 1 as translate-toolkit writes it, however confirmed, brings suggestions; --as-reviewed takes the
    confirmed ones (never the fuzzy ones) as reviewed and says so; XLIFF 1.0 is refused in one line."""
    before = reviewed(project)
    marks = ("approved", "translated", "signed-off", "fuzzy")
    for mark in marks:
        result = invoke(project, "import", str(toolkit_xliff1(tmp_path / f"{mark}.xlf", SPANISH, mark)))
        assert result.exit_code == 0 and result.stdout.startswith("XLIFF 1.1: "), result.output
        assert reviewed(project) == before, mark
    po = open_po(po_path(project, "es", DOSE))
    assert po.find(DOSE_SENTENCE).msgstr == SPANISH[DOSE_SENTENCE] and "fuzzy" in po.find(DOSE_SENTENCE).flags
    assert po.find(DOSE_SENTENCE).comments == ["tm: imported from approved.xlf"]
    result = invoke(project, "import", str(tmp_path / "fuzzy.xlf"), "--as-reviewed")
    assert result.exit_code == 0 and reviewed(project) == before
    result = invoke(project, "import", str(tmp_path / "signed-off.xlf"), "--as-reviewed")
    assert "3 now reviewed" in result.stdout
    marker = "tm: imported as reviewed from signed-off.xlf (polyleaf import --as-reviewed)"
    assert open_po(po_path(project, "es", DOSE)).find(DOSE_SENTENCE).comments == [marker]
    assert "es/dose" in released(project)

    old = tmp_path / "old.xlf"
    old.write_text('<?xml version="1.0"?>\n<xliff version="1.0"><file original="x" source-language="en"/></xliff>\n')
    state = tree(project)
    result = invoke(project, "import", str(old))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert f"{old}:2: XLIFF 1.0 is not supported: polyleaf reads XLIFF 1.1, 1.2 and 2.0" in result.stderr
    assert tree(project) == state


@pytest.mark.slow
def test_as_reviewed_is_the_coordinators_word_recorded_in_the_release(project: Path, tmp_path: Path) -> None:
    memory = toolkit_tmx(tmp_path / "clinic.tmx", SPANISH)
    result = invoke(project, "import", str(memory), "--as-reviewed")
    assert result.exit_code == 0, result.output
    assert "TMX imported as reviewed (--as-reviewed): 3 now reviewed" in result.stdout
    marker = "tm: imported as reviewed from clinic.tmx (polyleaf import --as-reviewed)"
    po = open_po(po_path(project, "es", DOSE))
    assert {msgid: (po.find(msgid).msgstr, po.find(msgid).comments) for msgid in SPANISH} == {
        msgid: (text, [marker]) for msgid, text in SPANISH.items()
    }
    record = released(project)["es/dose"]
    lines = {msgid: po.find(msgid).line for msgid in SPANISH}
    assert record["imported_as_reviewed"] == [f"{DOSE_PO}:{line}: {marker}" for line in sorted(lines.values())]

    # memory passes the provenance on: a new leaflet with the same sentence is filled with it, and says so
    (project / "source" / "dose-copy.txt").write_text(f"Dosage\n{DOSE_SENTENCE}\n", encoding="utf-8")
    assert invoke(project, "run").exit_code == 0
    copy = open_po(po_path(project, "es", "dose-copy"))
    assert copy.find(DOSE_SENTENCE).comments == [marker] and "fuzzy" not in copy.find(DOSE_SENTENCE).flags
    assert copy.find("Dosage").comments == ["tm: imported as reviewed from clinic.tmx (polyleaf import --as-reviewed)"]
    record = released(project)["es/dose-copy"]
    assert len(record["imported_as_reviewed"]) == 2

    # a translator who reviews an entry here deletes the comment: the release no longer lists it
    editor = open_po(po_path(project, "es", DOSE))
    editor.find("Dosage").comments = []
    editor.save()
    assert len(released(project)["es/dose"]["imported_as_reviewed"]) == 2
    msgfmt_accepts_every_po_file(project)


@pytest.mark.slow
def test_a_suggestion_never_replaces_a_changed_entrys_reviewed_text(project: Path, tmp_path: Path) -> None:
    """Attack 1, finding 7: the English of a reviewed sentence changes; its entry is fuzzy with ``#| msgid`` and
    the translator's reviewed text, its only copy. A TMX unit for the new English goes beside it, the summary
    says so, and the draft shows it for the new English."""
    review(project, "es", DOSE, text=lambda _language, msgid: SPANISH[msgid])
    source = project / "source" / f"{DOSE}.txt"
    new_english = DOSE_SENTENCE.replace("2.5 mg", "5 mg")
    source.write_text(source.read_text(encoding="utf-8").replace(DOSE_SENTENCE, new_english), encoding="utf-8")
    assert invoke(project, "update").exit_code == 0
    path = po_path(project, "es", DOSE)
    assert open_po(path).find(new_english).previous_msgid == DOSE_SENTENCE
    memory = toolkit_tmx(tmp_path / "mem.tmx", {new_english: "Tome 5 mg del medicamento dos veces al día."})
    result = invoke(project, "import", str(memory))
    assert result.exit_code == 0, result.output
    assert "1 suggestions beside existing text (# tm-suggestion comments)" in result.stdout
    assert "the imported translation is a # tm-suggestion comment beside it" in result.stderr
    entry = open_po(path).find(new_english)
    assert (entry.msgstr, entry.previous_msgid, "fuzzy" in entry.flags) == (SPANISH[DOSE_SENTENCE], DOSE_SENTENCE, True)
    assert suggestions_for(entry.comments, new_english) == ["Tome 5 mg del medicamento dos veces al día."]
    assert invoke(project, "run").exit_code == 0
    draft = (project / "build" / "es" / f"{DOSE}.es.txt").read_text(encoding="utf-8")
    assert "Tome 5 mg del medicamento" in draft and "2,5 mg" not in draft  # the suggestion, never the old dose
    assert open_po(path).find(new_english).msgstr == SPANISH[DOSE_SENTENCE]  # still there for the translator


# ----------------------------------------------------------------------------------------------- validity


def xliff(target: str, state: str = "final", source: str = DOSE_SENTENCE) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{XLIFF_NS}" version="2.0" srcLang="en" trgLang="es">\n'
        f'<file id="f1" original="{DOSE_PO}">\n'
        f'<unit id="{unit_id(None, source)}"><segment state="{state}"><source>{source}</source>'
        f"<target>{target}</target></segment></unit>\n</file>\n</xliff>\n"
    )


def tmx(seg: str, props: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
        'datatype="plaintext"/>\n<body>\n'
        f'<tu><tuv xml:lang="en"><seg>{DOSE_SENTENCE}</seg></tuv>\n'
        f'<tuv xml:lang="es">{props}<seg>{seg}</seg></tuv></tu>\n'
        "</body>\n</tmx>\n"
    )


def xliff12(target: str, state: str = "final", approved: str = "yes") -> str:
    """The XLIFF 1.2 counterpart of ``xliff``: the trans-unit on line 4."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        f'<file original="{DOSE_PO}" source-language="en" target-language="es" datatype="po"><body>\n'
        f'<trans-unit id="{unit_id(None, DOSE_SENTENCE)}" approved="{approved}"><source>{DOSE_SENTENCE}</source>'
        f'<target state="{state}">{target}</target></trans-unit>\n</body></file>\n</xliff>\n'
    )


TOME = "Tome 2,5 mg"
CANNOT = "the translation cannot be written to a PO file:"
#: What no PO file can hold, and anything that is not a character: name → (content, error after ``path:line: ``).
REFUSED: dict[str, tuple[str, str]] = {
    "NUL": (xliff(f'{TOME}<cp hex="0"/>.'), f"{CANNOT} NUL character"),
    "lone high surrogate": (xliff(f'{TOME}<cp hex="D800"/>.'), f"{CANNOT} lone surrogate U+D800"),
    "lone low surrogate, fuzzy": (xliff(f'<cp hex="dfff"/>{TOME}.', "initial"), f"{CANNOT} lone surrogate U+DFFF"),
    "EOT": (xliff(f'{TOME}<cp hex="4"/>.'), f"{CANNOT} context separator <EOT>"),
    "beyond Unicode": (xliff(f'{TOME}<cp hex="110000"/>.'), "<cp hex='110000'> is not a character"),
    "hex with 0x": (xliff(f'{TOME}<cp hex="0x41"/>.'), "<cp hex='0x41'> is not a character"),
    "hex with an underscore": (xliff(f'{TOME}<cp hex="4_1"/>.'), "<cp hex='4_1'> is not a character"),
    "negative hex": (xliff(f'{TOME}<cp hex="-41"/>.'), "<cp hex='-41'> is not a character"),
    "TMX placeholder": (tmx(f'{TOME}<ph x="1">&lt;b/&gt;</ph>.'), "inline code <ph> is not supported"),
    "TMX paired code": (tmx(f'<bpt i="1">&lt;b&gt;</bpt>{TOME}<ept i="1"/>.'), "inline code <bpt> is not supported"),
    "XLIFF 1.2 placeholder": (xliff12(f'{TOME}<x id="1"/>.'), "inline code <x> is not supported"),
    "XLIFF 1.2 NUL": (xliff12(f"{TOME}&#0;."), "not well-formed XML: "),  # XLIFF 1.2 has no <cp>: XML cannot
}
NEWLINE = "the translation must {} with a line break exactly when the English does (it does not): made so"
CONTROLS = "the translation has control characters the English does not ({}): replaced by spaces"
#: What a PO file or a leaflet would choke on: name → (content, the translation as written, the warning).
NORMALISED: dict[str, tuple[str, str, str]] = {
    "final line break": (xliff(f"{TOME}.\n"), f"{TOME}.", NEWLINE.format("end")),
    "final CRLF": (xliff(f"{TOME}.&#13;\n"), f"{TOME}.", "the translation has carriage returns (\\r): made line feeds"),
    "leading line break, fuzzy": (xliff(f"\n{TOME}.", "initial"), f"{TOME}.", NEWLINE.format("begin")),
    "CR inside": (xliff(f"{TOME}&#13;dos veces."), f"{TOME}\ndos veces.", "the translation has carriage returns"),
    "soft line break (VT)": (xliff(f'{TOME}<cp hex="B"/>dos veces.'), f"{TOME} dos veces.", CONTROLS.format("U+000B")),
    "terminal escape": (xliff(f'{TOME}<cp hex="1B"/>[2J.'), f"{TOME} [2J.", CONTROLS.format("U+001B")),
    "DEL and BEL": (xliff(f'{TOME}<cp hex="7f"/><cp hex="7"/>.'), f"{TOME}  .", CONTROLS.format("U+0007, U+007F")),
    "8-bit CSI (C1)": (xliff(f'{TOME}<cp hex="9B"/>2J.'), f"{TOME} 2J.", CONTROLS.format("U+009B")),
    "next line (NEL), in a TMX": (tmx(f"{TOME}&#x85;dos veces."), f"{TOME} dos veces.", CONTROLS.format("U+0085")),
    "line and paragraph separators": (
        xliff(f'{TOME}<cp hex="2028"/>dos<cp hex="2029"/>veces.'),
        f"{TOME} dos veces.",
        CONTROLS.format("U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR"),
    ),
    "noncharacters": (
        xliff(f'{TOME}<cp hex="FFFE"/>dos<cp hex="10FFFF"/>veces.'),
        f"{TOME} dos veces.",
        CONTROLS.format("U+FFFE, U+10FFFF"),
    ),
    "a right-to-left override around the dose": (
        xliff('Tome <cp hex="202E"/>2,5<cp hex="202C"/> mg.'),
        "Tome 2,5 mg.",
        "the translation has bidi embeddings or overrides (U+202C POP DIRECTIONAL FORMATTING, U+202E RIGHT-TO-LEFT "
        "OVERRIDE), which print text in another order than it reads: removed",
    ),
    "TMX CRLF at the end": (tmx(f"{TOME}.&#13;&#10;"), f"{TOME}.", NEWLINE.format("end")),
    "XLIFF 1.2 final line break": (xliff12(f"{TOME}.\n"), f"{TOME}.", NEWLINE.format("end")),
    "XLIFF 1.2 CR inside, fuzzy": (
        xliff12(f"{TOME}&#13;dos veces.", "needs-review-translation", "no"),
        f"{TOME}\ndos veces.",
        "the translation has carriage returns",
    ),
}


def suffix(content: str) -> str:
    return ".tmx" if "<tmx" in content else ".xlf"


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_no_po_file_can_hold_is_a_one_line_error_and_nothing_is_written(project: Path, name: str) -> None:
    content, error = REFUSED[name]
    path = project / f"in{suffix(content)}"
    path.write_text(content, encoding="utf-8")
    before = tree(project)
    result = invoke(project, "import", str(path))
    assert result.exit_code == 1, result.output
    line = 6 if path.suffix == ".tmx" else 4
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"polyleaf: {path}:{line}: {error}"), (
        result.stderr
    )
    assert tree(project) == before


@pytest.mark.parametrize("name", list(NORMALISED))
def test_what_would_break_a_po_file_or_a_leaflet_is_normalised_with_a_warning(project: Path, name: str) -> None:
    content, written, warning = NORMALISED[name]
    path = project / f"in{suffix(content)}"
    path.write_text(content, encoding="utf-8")
    result = invoke(project, "import", str(path))
    assert result.exit_code == 0, result.output
    line = 6 if path.suffix == ".tmx" else 4
    assert f"warning: {path}:{line}: {warning}" in result.stderr, result.stderr
    assert open_po(po_path(project, "es", DOSE)).find(DOSE_SENTENCE).msgstr == written
    msgfmt_accepts_every_po_file(project)
    assert invoke(project, "run").exit_code == 0  # the project still runs: every PO file reads


def test_machine_provenance_is_one_comment_line(project: Path) -> None:
    """A TMX's provenance of a machine translation cannot add lines (flags, entries) to the PO file."""
    review(project, "es", DOSE, only={DOSE_SENTENCE}, text=lambda _language, _msgid: "")  # emptied: MT may fill it
    po = po_path(project, "es", DOSE)
    path = project / "in.tmx"
    state = '<prop type="x-polyleaf-state">machine</prop>'
    fake = '<prop type="x-polyleaf-provenance">mt: x&#13;#, fuzzy\nmsgid "y"</prop>'
    path.write_text(tmx(f"{TOME}.", state + fake), encoding="utf-8")
    result = invoke(project, "import", str(path))
    assert result.exit_code == 0, result.output
    entry = open_po(po).find(DOSE_SENTENCE)
    assert (entry.msgstr, entry.comments, "fuzzy" in entry.flags) == (f"{TOME}.", ["mt: x #, fuzzy"], True)
    msgfmt_accepts_every_po_file(project)


def test_a_file_name_a_comment_cannot_show(project: Path, tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    path = Path(os.fsdecode(folder + b"/clinic\xff\nmemory.tmx"))
    path.write_text(tmx(f"{TOME}."), encoding="utf-8")
    result = invoke(project, "import", str(path))
    assert result.exit_code == 0, result.output
    entry = open_po(po_path(project, "es", DOSE)).find(DOSE_SENTENCE)
    assert entry.comments == ["tm: imported from clinic\ufffd\ufffdmemory.tmx"]
    msgfmt_accepts_every_po_file(project)
    assert invoke(project, "run").exit_code == 0


def test_a_plural_entry_is_never_an_import_target(project: Path) -> None:
    """A translator's own plural entry for a sentence of the template stays as they wrote it."""
    editor = open_po(po_path(project, "es", DOSE))
    entry = editor.find(DOSE_SENTENCE)
    entry.msgid_plural, entry.plural_forms, entry.flags = "Take %d mg.", ["Tome 2,5 mg.", "Tome %d mg."], []
    editor.save()
    path = project / "in.xlf"
    path.write_text(xliff("Otra\n"), encoding="utf-8")
    before = tree(project)
    result = invoke(project, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "1 not in the catalogs (skipped)" in result.stdout and "0 file(s) written" in result.stdout
    assert tree(project) == before
    msgfmt_accepts_every_po_file(project)


def test_the_whole_file_is_checked_before_anything_is_written(project: Path) -> None:
    """One bad unit after good ones: nothing of the file is imported."""
    good = etree.fromstring(xliff(f"{TOME}.").encode())
    bad = etree.fromstring(xliff('Dosis<cp hex="0"/>', source="Dosage").encode())
    good.find(f"{{{XLIFF_NS}}}file").append(bad.find(f".//{{{XLIFF_NS}}}unit"))
    path = project / "in.xlf"
    path.write_bytes(etree.tostring(good, xml_declaration=True, encoding="UTF-8"))
    before = tree(project)
    result = invoke(project, "import", str(path))
    assert result.exit_code == 1 and "the translation cannot be written to a PO file: NUL" in result.stderr
    assert tree(project) == before
