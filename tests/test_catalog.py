"""catalog/: templates, msgmerge semantics, strict reading, states."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from polyleaf.catalog import merge
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Fill, TemplateEntry
from polyleaf.catalog.template import build_template, template_to_bytes
from polyleaf.errors import CatalogError


def template(tmp_path: Path, *msgids: str) -> catalog.Catalog:
    entries = [TemplateEntry(m, (("source/a.txt", n + 1),), (f"paragraph {n + 1}",)) for n, m in enumerate(msgids)]
    return build_template(entries, "demo", tmp_path / "a.pot")


def write_read(cat: catalog.Catalog, path: Path) -> catalog.Catalog:
    path.write_bytes(cat.to_bytes())
    return catalog.read_po(path)


def review(cat: catalog.Catalog, path: Path, msgid: str, text: str) -> catalog.Catalog:
    """Act as a translator: set msgstr and drop the fuzzy flag, by editing the file text."""
    path.write_bytes(cat.to_bytes())
    po = catalog.read_po(path)
    po.fill([Fill(msgid, text, "# reviewed", fuzzy=False)])
    path.write_bytes(po.to_bytes())
    return catalog.read_po(path)


def test_new_catalog_has_header_and_empty_entries(tmp_path: Path) -> None:
    po = merge.update(template(tmp_path, "One.", "Two."), None, "pt_BR", tmp_path / "a.po", "demo")
    text = po.to_bytes().decode()
    assert '"Language: pt_BR\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert "#: source/a.txt:1" in text
    assert "#. paragraph 2" in text
    assert po.untranslated() == ["One.", "Two."]


def test_exact_match_keeps_translation_and_state(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "One.", "Two."), None, "es", path, "demo")
    po = review(po, path, "One.", "Uno.")
    merged = merge.update(template(tmp_path, "Zero.", "One.", "Two."), po, "es", path, "demo")
    assert merged.translations()["One."].text == "Uno."
    assert merged.translations()["One."].reviewed


def test_changed_sentence_becomes_fuzzy_with_previous_msgid(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "Take 2.5 mg twice a day."), None, "es", path, "demo")
    po = review(po, path, "Take 2.5 mg twice a day.", "Tome 2,5 mg dos veces al día.")
    merged = merge.update(template(tmp_path, "Take 2.5 mg three times a day."), po, "es", path, "demo")
    text = merged.to_bytes().decode()
    assert '#| msgid "Take 2.5 mg twice a day."' in text
    assert merged.translations()["Take 2.5 mg three times a day."] == catalog.Translation(
        "Tome 2,5 mg dos veces al día.", reviewed=False
    )
    assert merged.stats().changed == 1
    # one copy of the old text, as msgmerge: the fuzzy entry shows it; no obsolete duplicate
    assert "#~" not in text
    assert text.count("Tome 2,5 mg dos veces al día.") == 1


@pytest.mark.parametrize("entry", ["with another context", "obsolete already"])
def test_a_changed_sentence_borrows_from_but_never_removes_an_entry_it_does_not_replace(
    tmp_path: Path, entry: str
) -> None:
    """A translator's own entry (another msgctxt), or an obsolete one, may lend its translation to a changed
    sentence; it stays where it was, text and all. Only the entry whose sentence changed is replaced."""
    path = tmp_path / "a.po"
    po = write_read(merge.update(template(tmp_path, "Walk a little every day."), None, "es", path, "demo"), path)
    if entry == "obsolete already":
        own = '#~ msgid "Walk a little every single day."\n#~ msgstr "Camine un poco todos los días, sin falta."\n'
    else:
        own = 'msgctxt "clinic"\nmsgid "Walk a little every day."\nmsgstr "Camine un poco cada día."\n'
    path.write_text(path.read_text(encoding="utf-8") + "\n" + own, encoding="utf-8")
    po = catalog.read_po(path)
    merged = write_read(
        merge.update(template(tmp_path, "Walk a little every day, even with pain."), po, "es", path, "demo"), path
    )
    own_text = own.split('msgstr "')[1].split('"')[0]
    kept = [message for message in catalog.read_po(path).po.messages if message.obsolete]
    assert [message.msgstr for message in kept] == [(own_text,)]  # as obsolete: the template does not have it
    changed = merged.translations()["Walk a little every day, even with pain."]
    assert changed.text and not changed.reviewed


def test_removed_text_becomes_obsolete_and_revives(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "Keep.", "Drop me."), None, "fr", path, "demo")
    po = review(po, path, "Drop me.", "Supprimez-moi.")
    without = write_read(merge.update(template(tmp_path, "Keep."), po, "fr", path, "demo"), path)
    assert "Drop me." not in without.translations()
    assert '#~ msgstr "Supprimez-moi."' in path.read_text()
    back = merge.update(template(tmp_path, "Keep.", "Drop me."), without, "fr", path, "demo")
    assert back.translations()["Drop me."] == catalog.Translation("Supprimez-moi.", reviewed=True)


def test_dissimilar_new_text_is_not_fuzzy_matched(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "The procedure is safe."), None, "es", path, "demo")
    po = review(po, path, "The procedure is safe.", "El procedimiento es seguro.")
    merged = merge.update(template(tmp_path, "Contact your physician today."), po, "es", path, "demo")
    assert merged.untranslated() == ["Contact your physician today."]


def test_fill_never_overwrites_and_marks_fuzzy(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "One.", "Two."), None, "es", path, "demo")
    po = review(po, path, "One.", "Uno.")
    filled = po.fill([Fill("One.", "MACHINE", "mt: fake"), Fill("Two.", "Dos.", "mt: fake en-es 1")])
    assert filled == 1
    assert po.translations()["One."] == catalog.Translation("Uno.", reviewed=True)
    assert po.translations()["Two."].reviewed is False
    assert "# mt: fake en-es 1" in po.to_bytes().decode()


def test_serialization_is_deterministic_and_dates_do_not_churn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "a.po"
    first = merge.update(template(tmp_path, "One."), None, "es", path, "demo").to_bytes()
    assert b"PO-Revision-Date: 2023-11-14 22:13+0000" in first
    path.write_bytes(first)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    again = merge.update(template(tmp_path, "One."), catalog.read_po(path), "es", path, "demo").to_bytes()
    assert again == first  # only the date would move: the file's own bytes, nothing to rewrite
    assert catalog.bytes_if_changed(again, path) is None


BAD_PO = {
    "unterminated": ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', 5, "unterminated string"),
    "duplicate": ('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', 4, "duplicate msgid"),
    "no msgstr": ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 1, "no msgstr"),
    "garbage": ('msgid "a"\nmsgstr "b"\nhello\n', 3, "unexpected text"),
    "bad escape": ('msgid "a"\nmsgstr "\\q"\n', 2, "invalid escape"),
    "plural forms": (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=two\\n"\n',
        1,
        "Plural-Forms",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_PO))
def test_malformed_po_is_a_one_line_error_with_line(tmp_path: Path, name: str) -> None:
    text, line, words = BAD_PO[name]
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        catalog.read_po(path)
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert "\n" not in str(caught.value)


def test_not_utf8_po(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_bytes(b'msgid "a"\nmsgstr "\xe9"\n')
    with pytest.raises(CatalogError, match="UTF-8") as caught:
        catalog.read_po(path)
    assert caught.value.line == 2


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_merged_catalog(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "One.", 'Say "two".', "Three\\four."), None, "ar", path, "demo")
    po = review(po, path, "One.", "واحد.")
    path.write_bytes(merge.update(template(tmp_path, "One!", 'Say "two".'), po, "ar", path, "demo").to_bytes())
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_stats_counts_states(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "One two.", "Three.", "Four five six."), None, "es", path, "demo")
    po = review(po, path, "One two.", "Uno dos.")
    po.fill([Fill("Three.", "Tres.", "mt: fake")])
    stats = po.stats()
    assert (stats.segments, stats.words, stats.reviewed, stats.machine, stats.untranslated) == (3, 6, 1, 1, 1)
    assert round(stats.percent_reviewed) == 33


# ----------------------------------------------------------------------------------------------- GNU semantics

MSGCAT = shutil.which("msgcat")


def parsed(text: str, path: Path) -> catalog.Catalog:
    path.write_text(text, encoding="utf-8")
    return catalog.read_po(path)


def states(cat: catalog.Catalog) -> dict[str, str]:
    return {entry.msgid: entry.state for entry in cat.entries()}


def test_states_come_from_provenance_not_from_previous_msgid(tmp_path: Path) -> None:
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    po = parsed(
        header
        + '# mt: argos en-es 1.0\n#, fuzzy\nmsgid "MT."\nmsgstr "Máquina."\n\n'
        + '#, fuzzy\n#| msgid "Old."\nmsgid "Changed."\nmsgstr "Viejo."\n\n'
        + '#, fuzzy\nmsgid "Round trip."\nmsgstr "Sin #| tras XLIFF."\n\n'  # a PO round-tripped through XLIFF
        + '# mt: argos en-es 1.0\n#, fuzzy\n#| msgid "Old MT."\nmsgid "MT changed."\nmsgstr "Vieja."\n\n'
        + '# mt: argos en-es 1.0\nmsgid "Reviewed MT."\nmsgstr "Revisada."\n\n'
        + '#, fuzzy\nmsgid "Empty."\nmsgstr ""\n',
        tmp_path / "a.po",
    )
    assert states(po) == {
        "MT.": "machine",
        "Changed.": "changed",
        "Round trip.": "changed",
        "MT changed.": "changed",
        "Reviewed MT.": "reviewed",
        "Empty.": "untranslated",
    }
    assert po.translations()["Round trip."].state == "changed"
    stats = po.stats()
    assert (stats.reviewed, stats.machine, stats.changed, stats.untranslated) == (1, 1, 3, 1)


def test_a_change_undone_gets_its_reviewed_translation_back(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "Take 2.5 mg twice a day."), None, "es", path, "demo")
    po = review(po, path, "Take 2.5 mg twice a day.", "Tome 2,5 mg dos veces al día.")
    changed = write_read(merge.update(template(tmp_path, "Take 25 mg twice a day."), po, "es", path, "demo"), path)
    assert states(changed) == {"Take 25 mg twice a day.": "changed"}
    undone = merge.update(template(tmp_path, "Take 2.5 mg twice a day."), changed, "es", path, "demo")
    assert undone.translations() == {
        "Take 2.5 mg twice a day.": catalog.Translation("Tome 2,5 mg dos veces al día.", True)
    }
    assert "#~" not in undone.to_bytes().decode()


def test_machine_translations_of_old_text_are_not_carried_to_new_text(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "Rest for one day."), None, "es", path, "demo")
    po.fill([Fill("Rest for one day.", "Descanse un día.", "mt: fake")])
    merged = merge.update(template(tmp_path, "Rest for two days."), write_read(po, path), "es", path, "demo")
    assert merged.untranslated() == ["Rest for two days."]  # MT will translate the new sentence itself
    assert '#~ msgid "Rest for one day."' in merged.to_bytes().decode()  # nothing with a translation is dropped


PLURAL_PO = (
    'msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : '
    'n%100>=11 ? 4 : 5;\\n"\n\n'
    '#: source/a.txt:1\nmsgid "One."\nmsgid_plural "Ones."\n'
    + "".join(f'msgstr[{n}] "واحد {n}"\n' for n in range(6))
    + '\nmsgid "Two."\nmsgstr "اثنان"\n\nmsgid "apple"\nmsgid_plural "apples"\n'
    + "".join(f'msgstr[{n}] "تفاحة {n}"\n' for n in range(6))
    + '\nmsgctxt "menu"\nmsgid "Two."\nmsgstr "اثنان (قائمة)"\n'
)


def test_plural_and_context_entries_a_translator_added_are_kept(tmp_path: Path) -> None:
    """A plural entry whose msgid the template has stays as it is (its first form is the translation, as for
    ``gettext()``); plural and msgctxt entries the template does not have become obsolete with every form."""
    path = tmp_path / "a.po"
    po = parsed(PLURAL_PO, path)
    merged = merge.update(template(tmp_path, "One.", "Two."), po, "ar", path, "demo")
    assert merged.translations()["One."] == catalog.Translation("واحد 0", True)
    assert merged.fill([Fill("One.", "X", "mt: x")]) == 0
    path.write_bytes(merged.to_bytes())
    text = path.read_text(encoding="utf-8")
    assert 'msgid "One."\nmsgid_plural "Ones."\n' + "".join(f'msgstr[{n}] "واحد {n}"\n' for n in range(6)) in text
    assert (
        '#~ msgid "apple"\n#~ msgid_plural "apples"\n' + "".join(f'#~ msgstr[{n}] "تفاحة {n}"\n' for n in range(6))
        in text
    )
    assert '#~ msgctxt "menu"\n#~ msgid "Two."\n#~ msgstr "اثنان (قائمة)"\n' in text
    if shutil.which("msgfmt"):
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0


def test_entries_keep_their_lines_through_update(tmp_path: Path) -> None:
    """Diagnostics point into the file without reading it again: entries from the file keep their line, and
    after ``to_bytes`` every line describes the new bytes."""
    path = tmp_path / "a.po"
    po = write_read(merge.update(template(tmp_path, "One.", "Two.", "Three."), None, "es", path, "demo"), path)
    on_disk = {entry.msgid: entry.line for entry in po.entries()}
    merged = merge.update(template(tmp_path, "Zero.", "One.", "Two.", "Three."), po, "es", path, "demo")
    assert {entry.msgid: entry.line for entry in merged.entries()} == {**on_disk, "Zero.": 0}
    path.write_bytes(merged.to_bytes())
    again = {entry.msgid: entry.line for entry in catalog.read_po(path).entries()}
    assert {entry.msgid: entry.line for entry in merged.entries()} == again
    assert path.read_text(encoding="utf-8").splitlines()[again["Zero."] - 1] == 'msgid "Zero."'


def test_file_order_is_kept_and_a_new_entry_follows_its_template_predecessor(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "Bravo.", "Alpha.", "Delta."), None, "es", path, "demo")
    path.write_bytes(po.to_bytes())
    if MSGCAT:  # an editor saved it sorted
        path.write_bytes(subprocess.run([MSGCAT, "--sort-output", str(path)], capture_output=True).stdout)
    else:
        path.write_text(path.read_text(encoding="utf-8").replace("Bravo.", "Tmp.").replace("Alpha.", "Bravo."))
        path.write_text(path.read_text(encoding="utf-8").replace("Tmp.", "Alpha."))
    merged = merge.update(
        template(tmp_path, "Bravo.", "Charlie.", "Alpha.", "Delta."), catalog.read_po(path), "es", path, "demo"
    )
    assert [entry.msgid for entry in merged.entries()] == ["Alpha.", "Bravo.", "Charlie.", "Delta."]


EDITOR_HEADER = (
    "# Spanish translation of the leaflets.\n# Copyright (C) 2026 A clinic\n# Ana <ana@example.org>, 2026.\n#\n"
    'msgid ""\nmsgstr ""\n"Project-Id-Version: leaflets 2\\n"\n"Report-Msgid-Bugs-To: \\n"\n'
    '"POT-Creation-Date: 2020-01-01 00:00+0000\\n"\n"PO-Revision-Date: 2026-01-02 03:04+0100\\n"\n'
    '"Last-Translator: Ana <ana@example.org>\\n"\n"Language-Team: Spanish <es@li.org>\\n"\n"Language: es_ES\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Basepath: ..\\n"\n'
    '"X-Poedit-SearchPath-0: .\\n"\n\n'
)


def test_header_comments_unknown_fields_and_other_tools_values_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = parsed(EDITOR_HEADER + '#: source/a.txt:1\nmsgid "One."\nmsgstr "Uno."\n', path)
    pot = template(tmp_path, "One.", "Two.")
    merged = merge.update(pot, po, "es", path, "demo")
    text = merged.to_bytes(dt.datetime(2026, 5, 6, 7, 8, tzinfo=dt.UTC)).decode()
    created = template_to_bytes(pot).decode().split("POT-Creation-Date: ")[1].split("\\n")[0]
    expected = (
        EDITOR_HEADER.replace("2020-01-01 00:00+0000", created).replace(  # owned: the template's date
            "Language: es_ES", "Language: es"
        )  # owned: the file's language
    )
    # comments, unknown fields, their order, Poedit's Plural-Forms and X-Generator, and the translator's
    # PO-Revision-Date (polyleaf changed the file, but no translator revised it: msgmerge keeps it too)
    assert text.startswith(expected)


def test_wrong_plural_forms_are_corrected_unless_translated_plurals_depend_on_them(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    wrong = PLURAL_PO.replace("Language: ar", "Language: es")
    kept = merge.update(template(tmp_path, "One.", "Two."), parsed(wrong, path), "es", path, "demo")
    assert "nplurals=6" in kept.to_bytes().decode()  # six translated forms depend on it
    plain = wrong.split("\n#: source/a.txt:1")[0] + '\n\nmsgid "Two."\nmsgstr "Dos."\n'
    fixed = merge.update(template(tmp_path, "One.", "Two."), parsed(plain, path), "es", path, "demo")
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in fixed.to_bytes().decode()


def test_template_date_stays_while_its_content_does_not_change(tmp_path: Path) -> None:
    path = tmp_path / "a.pot"
    entries = [TemplateEntry("One.", (("source/a.txt", 1),), ())]
    first = build_template(entries, "demo", path, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    path.write_bytes(template_to_bytes(first))
    later = build_template(entries, "demo", path, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert template_to_bytes(later) == path.read_bytes()
    po = merge.update(later, None, "es", tmp_path / "a.po", "demo").to_bytes().decode()
    assert '"POT-Creation-Date: 2020-01-01 00:00+0000\\n"' in po
    changed = build_template(
        [*entries, TemplateEntry("Two.", (), ())], "demo", path, dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    assert b"POT-Creation-Date: 2030-01-01 00:00+0000" in template_to_bytes(changed)


def test_fingerprint_is_the_content_not_the_formatting_or_dates(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = merge.update(template(tmp_path, "One " * 30, "Two."), None, "es", path, "demo")
    po.fill([Fill("Two.", "Dos.", "mt: fake")])
    path.write_bytes(po.to_bytes())
    fingerprint = catalog.read_po(path).fingerprint()
    if MSGCAT:
        path.write_bytes(subprocess.run([MSGCAT, "--width=40", str(path)], capture_output=True).stdout)
        assert catalog.read_po(path).fingerprint() == fingerprint
    path.write_text(path.read_text(encoding="utf-8").replace("PO-Revision-Date: 20", "PO-Revision-Date: 19"))
    assert catalog.read_po(path).fingerprint() == fingerprint
    path.write_text(path.read_text(encoding="utf-8").replace('"Dos."', '"Dos!"'))
    assert catalog.read_po(path).fingerprint() != fingerprint


def test_a_source_name_with_blanks_does_not_make_the_file_change_on_every_run(tmp_path: Path) -> None:
    """GNU has no quoting in ``#:``: ``my notes.txt:3`` reads back as two references; the catalog says what the
    file will say, so nothing differs on the next run."""
    path = tmp_path / "a.po"
    pot = build_template([TemplateEntry("One.", (("source/my notes.txt", 3),), ())], "demo", tmp_path / "a.pot")
    path.write_bytes(merge.update(pot, None, "es", path, "demo").to_bytes())
    assert "#: source/my notes.txt:3\n" in path.read_text(encoding="utf-8")
    again = merge.update(pot, catalog.read_po(path), "es", path, "demo")
    assert again.to_bytes() == path.read_bytes()


def test_a_template_keeps_the_projects_name_it_has_until_its_content_changes(tmp_path: Path) -> None:
    """The project's name is configuration, never a reason to rewrite a file: a clone into a folder of another
    name (the default name) or a renamed project rewrites no template for that alone."""
    path = tmp_path / "a.pot"
    entries = [TemplateEntry("One.", (("source/a.txt", 1),), ())]
    path.write_bytes(template_to_bytes(build_template(entries, "clinic", path, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))))
    moved = build_template(entries, "elsewhere", path, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert catalog.bytes_if_changed(template_to_bytes(moved), path) is None
    po = merge.update(moved, None, "es", tmp_path / "a.po", "elsewhere").to_bytes().decode()
    assert '"Project-Id-Version: elsewhere\\n"' in po  # a new PO file: the name the project has now
    changed = build_template([*entries, TemplateEntry("Two.", (), ())], "elsewhere", path)
    assert "Translation template for elsewhere." in template_to_bytes(changed).decode()
