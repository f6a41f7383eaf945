"""A catalog that differs from its file only in its dates (its template got a new POT-Creation-Date, its content did
not) counts as that file's bytes, and a save writes nothing for it, so a run can let it go
(``Catalog.unchanged_bytes``, ``Workspace.save``). What a run writes must still not depend on how many catalogs it keeps
parsed (``catalogs.RESIDENT_CATALOGS``): a catalog parsed again from that file and then filled by machine
translation is written with the template's POT-Creation-Date, as msgmerge writes it, not the file's older one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fake_engine import FakeEngine, SavingEngine
from helpers import po_path, set_translation, snapshot
from polyleaf.config.model import load_config
from polyleaf.execution.workers import Parallel
from polyleaf.pipeline import catalogs, runner
from polyleaf.pipeline.build import DRAFT, Outputs
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.translate import Workspace
from release_helpers import manifest, review
from test_catalog_streaming import COPIES, LANGUAGES, counting_alive, dated_catalog_file, library

NEW_DATE = "2030-01-02 03:04+0000"
ARTICLE = "bvna-chronic-low-back-pain"
PER_LANGUAGE = 2 * COPIES + 2  # the documents, the disclaimer, the interface


def redate_templates(project: Path) -> None:
    """Give every template a new POT-Creation-Date and nothing else (a template made again, its content the same)."""
    for pot in (project / "locales" / "templates").glob("*.pot"):
        data = pot.read_bytes()
        pot.write_bytes(re.sub(rb"POT-Creation-Date: [^\\\"]*", f"POT-Creation-Date: {NEW_DATE}".encode(), data))


def run(project: Path, engine: FakeEngine, outputs: Outputs = DRAFT) -> Report:
    config = load_config(project)
    return runner.run(config, engine_factory=lambda _config: engine, outputs=outputs, parallel=Parallel(1))


def review_spanish(project: Path) -> None:
    """A translator reviews every Spanish catalog (in a way QA passes), so that a release has Spanish leaflets."""
    for po in sorted((project / "locales" / "es" / "LC_MESSAGES").glob("*.po")):
        review(project, "es", po.stem)


def po_files(project: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(project).items() if name.endswith(".po")}


def two_libraries(tmp_path: Path, first: FakeEngine, *, reviewed: bool = False) -> tuple[Path, Path]:
    """Two copies of a library after a run with ``first`` (its translations then ``reviewed``), their templates then
    given a new date."""
    one = library(tmp_path / "a" / "project")  # the same folder name: the project is named after it
    run(one, first)
    if reviewed:
        review_spanish(one)
        run(one, first)
    redate_templates(one)
    two = tmp_path / "b" / "project"
    shutil.copytree(one, two)
    return one, two


@pytest.mark.parametrize("outputs", [DRAFT, Outputs(release=True)], ids=["draft", "release"])
def test_templates_with_only_a_new_date_rewrite_no_po_file_and_a_run_holds_one_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None, outputs: Outputs
) -> None:
    """Every PO file already holds its translations: nothing is written (no churn), whatever the bound; and with the
    bound the catalogs whose file held them but for dates were let go (before ``saved``: every language's stayed).
    A release (every translation reviewed) releases the same leaflets with the same records."""
    unbounded, bounded = two_libraries(tmp_path, FakeEngine(), reviewed=outputs.release)
    before = po_files(bounded)
    expected = run(unbounded, FakeEngine(), outputs)
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", 2)
    most = counting_alive(monkeypatch)
    report = run(bounded, FakeEngine(), outputs)
    assert not report.errors and report.as_json(bounded) == expected.as_json(unbounded)
    if outputs.release:
        assert len(manifest(bounded)) == PER_LANGUAGE - 2  # the Spanish leaflets
    assert po_files(bounded) == before == po_files(unbounded)
    assert snapshot(bounded) == snapshot(unbounded)
    # merged catalogs, the ones as read and a few others: about one language's, not the four languages' (48)
    assert most() <= 2 * (PER_LANGUAGE + 2) + 8 < 2 * len(LANGUAGES) * PER_LANGUAGE


def test_a_catalog_let_go_as_its_file_and_filled_later_is_written_with_the_templates_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None
) -> None:
    """The first run had no model: entries stay empty. The second merges (only the templates' date is new: saved
    without a write, let go as the file), then machine translation parses the catalog again and fills it. The file
    written carries the fills and the template's POT-Creation-Date, as the run without a bound writes it."""
    unbounded, bounded = two_libraries(tmp_path, FakeEngine(pairs=set()))
    expected = run(unbounded, FakeEngine())
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", 2)
    report = run(bounded, FakeEngine())
    assert not report.errors and report.filled_from_mt["es"] > 0
    assert report.as_json(bounded) == expected.as_json(unbounded)  # QA's findings and their lines included
    written = po_files(bounded)
    assert len(written) == len(LANGUAGES) * PER_LANGUAGE
    for name, data in written.items():
        assert f'"POT-Creation-Date: {NEW_DATE}\\n"'.encode() in data, name
        assert b"#, fuzzy" in data, name  # machine translations
    assert written == po_files(unbounded)
    assert snapshot(bounded) == snapshot(unbounded)


def translate_first_empty(po: Path) -> str:
    """A translator translates the first short entry still empty; its msgid."""
    found = re.findall(r'\nmsgid "([^"\\]{5,60})"\nmsgstr ""\n', po.read_text(encoding="utf-8"))
    set_translation(po, found[0], '"Traducido a mano"')
    return str(found[0])


@pytest.mark.parametrize("language", ["es", "ru"])
def test_a_translator_who_saves_after_the_run_let_the_catalog_go_keeps_their_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None, language: str
) -> None:
    """The run saved the catalog without a write (only dates differed) and let it go as the file; the translator
    saves the file before machine translation fills it (the first language, or the last: by then the catalog was
    parsed again). Their translation is in the file the run leaves, reviewed, beside the machine's; the file is what
    the run without a bound leaves."""
    unbounded, bounded = two_libraries(tmp_path, FakeEngine(pairs=set()))
    msgids: list[str] = []
    theirs = po_path(unbounded, language, ARTICLE)
    expected = run(unbounded, SavingEngine(language, lambda: msgids.append(translate_first_empty(theirs))))
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", 2)
    po = po_path(bounded, language, ARTICLE)
    report = run(bounded, SavingEngine(language, lambda: msgids.append(translate_first_empty(po))))
    assert not report.errors and report.as_json(bounded) == expected.as_json(unbounded)
    text = po.read_text(encoding="utf-8")
    assert msgids[0] == msgids[1] and f'msgid "{msgids[1]}"\nmsgstr "Traducido a mano"\n' in text
    assert "#, fuzzy" in text and f'"POT-Creation-Date: {NEW_DATE}\\n"' in text
    assert po_files(bounded) == po_files(unbounded)


def test_a_catalog_let_go_as_a_file_with_older_dates_comes_back_with_its_own(tmp_path: Path) -> None:
    """Merged with a template whose only news is its date, saved (nothing written), let go and asked for again: the
    catalog is still the file's bytes (no churn), with the template's POT-Creation-Date, which a fill then writes."""
    from polyleaf.catalog import model
    from polyleaf.catalog.model import Fill
    from polyleaf.pipeline.catalogs import Catalogs

    entries = b'msgid "Pain."\nmsgstr "Dolor."\n\nmsgid "Back."\nmsgstr ""\n'
    config, path, on_disk = dated_catalog_file(tmp_path, entries)
    template = model.parse_po(on_disk.replace(b"2025-01-01 00:00+0000", NEW_DATE.encode()), path).po
    merged = model.parse_po(on_disk, path).successor(template, path)
    work = Workspace(config, {}, Catalogs({("es", "leaflet"): merged}), Catalogs())
    work.saw(("es", "leaflet"), on_disk)
    work.save(("es", "leaflet"))
    work.catalogs.let_go(("es", "leaflet"))
    assert work.catalogs.loaded(("es", "leaflet")) == on_disk  # parked as the file
    again = work.catalogs["es", "leaflet"]
    assert again.po == template and again.unchanged_bytes() == on_disk and again.to_bytes() == on_disk
    assert again.fill([Fill("Back.", "Espalda.", "mt: fake en-es 1.0")]) == 1
    work.save(("es", "leaflet"))
    assert work.written == [path]
    written = path.read_bytes()
    assert f'"POT-Creation-Date: {NEW_DATE}\\n"'.encode() in written and b'msgstr "Espalda."' in written
    assert b'"PO-Revision-Date: 2025-01-02 00:00+0000\\n"' in written  # the translator's, as msgmerge keeps it
