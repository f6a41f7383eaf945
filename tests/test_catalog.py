"""catalog.py: templates, msgmerge semantics, strict reading, states."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from polyleaf import catalog
from polyleaf.catalog import Fill, TemplateEntry
from polyleaf.errors import CatalogError


def template(tmp_path: Path, *msgids: str) -> catalog.Catalog:
    entries = [TemplateEntry(m, (("source/a.txt", n + 1),), (f"paragraph {n + 1}",)) for n, m in enumerate(msgids)]
    return catalog.build_template(entries, "demo", tmp_path / "a.pot")


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
    po = catalog.update(template(tmp_path, "One.", "Two."), None, "pt_BR", tmp_path / "a.po", "demo")
    text = po.to_bytes().decode()
    assert '"Language: pt_BR\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert "#: source/a.txt:1" in text
    assert "#. paragraph 2" in text
    assert po.untranslated() == ["One.", "Two."]


def test_exact_match_keeps_translation_and_state(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = catalog.update(template(tmp_path, "One.", "Two."), None, "es", path, "demo")
    po = review(po, path, "One.", "Uno.")
    merged = catalog.update(template(tmp_path, "Zero.", "One.", "Two."), po, "es", path, "demo")
    assert merged.translations()["One."].text == "Uno."
    assert merged.translations()["One."].reviewed


def test_changed_sentence_becomes_fuzzy_with_previous_msgid(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = catalog.update(template(tmp_path, "Take 2.5 mg twice a day."), None, "es", path, "demo")
    po = review(po, path, "Take 2.5 mg twice a day.", "Tome 2,5 mg dos veces al día.")
    merged = catalog.update(template(tmp_path, "Take 2.5 mg three times a day."), po, "es", path, "demo")
    text = merged.to_bytes().decode()
    assert '#| msgid "Take 2.5 mg twice a day."' in text
    assert merged.translations()["Take 2.5 mg three times a day."] == catalog.Translation(
        "Tome 2,5 mg dos veces al día.", reviewed=False
    )
    assert merged.stats().changed == 1
    # one copy of the old text, as msgmerge: the fuzzy entry shows it; no obsolete duplicate
    assert "#~" not in text
    assert text.count("Tome 2,5 mg dos veces al día.") == 1


def test_removed_text_becomes_obsolete_and_revives(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = catalog.update(template(tmp_path, "Keep.", "Drop me."), None, "fr", path, "demo")
    po = review(po, path, "Drop me.", "Supprimez-moi.")
    without = write_read(catalog.update(template(tmp_path, "Keep."), po, "fr", path, "demo"), path)
    assert "Drop me." not in without.translations()
    assert '#~ msgstr "Supprimez-moi."' in path.read_text()
    back = catalog.update(template(tmp_path, "Keep.", "Drop me."), without, "fr", path, "demo")
    assert back.translations()["Drop me."] == catalog.Translation("Supprimez-moi.", reviewed=True)


def test_dissimilar_new_text_is_not_fuzzy_matched(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = catalog.update(template(tmp_path, "The procedure is safe."), None, "es", path, "demo")
    po = review(po, path, "The procedure is safe.", "El procedimiento es seguro.")
    merged = catalog.update(template(tmp_path, "Contact your physician today."), po, "es", path, "demo")
    assert merged.untranslated() == ["Contact your physician today."]


def test_fill_never_overwrites_and_marks_fuzzy(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = catalog.update(template(tmp_path, "One.", "Two."), None, "es", path, "demo")
    po = review(po, path, "One.", "Uno.")
    filled = po.fill([Fill("One.", "MACHINE", "mt: fake"), Fill("Two.", "Dos.", "mt: fake en-es 1")])
    assert filled == 1
    assert po.translations()["One."] == catalog.Translation("Uno.", reviewed=True)
    assert po.translations()["Two."].reviewed is False
    assert "# mt: fake en-es 1" in po.to_bytes().decode()


def test_serialization_is_deterministic_and_dates_do_not_churn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "a.po"
    first = catalog.update(template(tmp_path, "One."), None, "es", path, "demo").to_bytes()
    assert b"PO-Revision-Date: 2023-11-14 22:13+0000" in first
    path.write_bytes(first)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    again = catalog.update(template(tmp_path, "One."), catalog.read_po(path), "es", path, "demo").to_bytes()
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
    po = catalog.update(template(tmp_path, "One.", 'Say "two".', "Three\\four."), None, "ar", path, "demo")
    po = review(po, path, "One.", "واحد.")
    path.write_bytes(catalog.update(template(tmp_path, "One!", 'Say "two".'), po, "ar", path, "demo").to_bytes())
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_stats_counts_states(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    po = catalog.update(template(tmp_path, "One two.", "Three.", "Four five six."), None, "es", path, "demo")
    po = review(po, path, "One two.", "Uno dos.")
    po.fill([Fill("Three.", "Tres.", "mt: fake")])
    stats = po.stats()
    assert (stats.segments, stats.words, stats.reviewed, stats.machine, stats.untranslated) == (3, 6, 1, 1, 1)
    assert round(stats.percent_reviewed) == 33
