"""Catalog.apply: the rules an imported translation (XLIFF, TMX) follows, for every state an entry can be in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from polyleaf import catalog, pofile
from polyleaf.imports import Imported, ImportKind, as_reviewed_comment, trust, usable_text
from polyleaf.poread import string_problem

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

msgid "Reviewed."
msgstr "Revisada."

# mt: fake en-es 1.0
#, fuzzy
msgid "Machine."
msgstr "Máquina."

#, fuzzy
#| msgid "Old English."
msgid "Changed English."
msgstr "Vieja traducción."

msgid "Untranslated."
msgstr ""

#~ msgid "Gone."
#~ msgstr "Ida."
"""
SOURCES = {
    "reviewed": "Reviewed.",
    "machine": "Machine.",
    "changed": "Changed English.",
    "untranslated": "Untranslated.",
}
TEXTS = {"reviewed": "Revisada.", "machine": "Máquina.", "changed": "Vieja traducción.", "untranslated": ""}

# (state before, import kind) -> (outcome, state after) when the imported text differs from the entry's
RULES = {
    ("reviewed", "final"): ("replaced", "reviewed"),
    ("reviewed", "translated"): ("kept", "reviewed"),
    ("reviewed", "suggestion"): ("kept", "reviewed"),
    ("reviewed", "machine"): ("kept", "reviewed"),
    ("machine", "final"): ("reviewed", "reviewed"),
    ("machine", "translated"): ("reviewed", "reviewed"),
    ("machine", "suggestion"): ("suggested", "changed"),
    ("machine", "machine"): ("ignored", "machine"),
    ("changed", "final"): ("reviewed", "reviewed"),
    ("changed", "translated"): ("reviewed", "reviewed"),
    ("changed", "suggestion"): ("suggested", "changed"),
    ("changed", "machine"): ("ignored", "changed"),
    ("untranslated", "final"): ("reviewed", "reviewed"),
    ("untranslated", "translated"): ("reviewed", "reviewed"),
    ("untranslated", "suggestion"): ("suggested", "changed"),
    ("untranslated", "machine"): ("suggested", "machine"),
}


def load(tmp_path: Path) -> catalog.Catalog:
    return catalog.parse_po(PO.encode("utf-8"), tmp_path / "es.po")


def entry(cat: catalog.Catalog, msgid: str) -> catalog.EntryState:
    return next(entry for entry in cat.entries() if entry.msgid == msgid)


@pytest.mark.parametrize(("state", "kind"), sorted(RULES))
def test_a_new_text_follows_the_rules_of_its_kind(tmp_path: Path, state: str, kind: ImportKind) -> None:
    cat = load(tmp_path)
    comment = "mt: other 2.0" if kind == "machine" else ""
    outcome = cat.apply([Imported(None, SOURCES[state], "Importada.", kind, comment)])
    expected_outcome, expected_state = RULES[state, kind]
    assert outcome == [expected_outcome]
    after = catalog.parse_po(cat.to_bytes(), tmp_path / "es.po")  # what the file says, read back
    changed = entry(after, SOURCES[state])
    assert changed.state == expected_state
    applied = expected_outcome in ("replaced", "reviewed", "suggested")
    assert changed.msgstr == ("Importada." if applied else TEXTS[state])
    if applied:
        assert [c for c in changed.comments if c.startswith("mt:")] == (["mt: other 2.0"] if comment else [])
    if expected_state == "reviewed" and state == "changed":
        assert changed.previous_msgid is None  # approved: the previous English goes, as in a PO editor
    if expected_outcome == "suggested" and state == "changed":
        assert changed.previous_msgid == "Old English."  # still fuzzy: the translator still sees what changed
    others = {e.msgid: (e.msgstr, e.state) for e in after.entries() if e.msgid != SOURCES[state]}
    assert others == {e.msgid: (e.msgstr, e.state) for e in load(tmp_path).entries() if e.msgid != SOURCES[state]}


@pytest.mark.parametrize("kind", ["final", "translated"])
def test_confirming_a_suggestion_makes_it_reviewed_and_keeps_its_comments(tmp_path: Path, kind: ImportKind) -> None:
    cat = load(tmp_path)
    outcomes = cat.apply(
        [Imported(None, "Machine.", "Máquina.", kind), Imported(None, "Changed English.", "Vieja traducción.", kind)]
    )
    assert outcomes == ["reviewed", "reviewed"]
    machine, changed = entry(cat, "Machine."), entry(cat, "Changed English.")
    assert (machine.state, machine.comments) == ("reviewed", ("mt: fake en-es 1.0",))
    assert (changed.state, changed.previous_msgid, changed.msgstr) == ("reviewed", None, "Vieja traducción.")


@pytest.mark.parametrize("kind", ["final", "translated", "suggestion", "machine"])
def test_the_same_text_again_changes_nothing(tmp_path: Path, kind: ImportKind) -> None:
    cat = load(tmp_path)
    before = cat.to_bytes()
    assert cat.apply([Imported(None, "Reviewed.", "Revisada.", kind)]) == ["unchanged"]
    assert cat.apply([Imported(None, "Untranslated.", "", kind)]) == ["unchanged"]  # an import never empties
    assert cat.to_bytes() == before  # byte for byte: no churn


def test_english_that_changed_since_the_export(tmp_path: Path) -> None:
    cat = load(tmp_path)
    outcomes = cat.apply(
        [
            Imported(None, "Old English.", "Traducción de lo viejo.", "final"),
            Imported(None, "Gone.", "Otra.", "final"),
            Imported(None, "Never there.", "Nunca.", "final"),
        ]
    )
    assert outcomes == ["previous", "obsolete", "missing"]
    changed = entry(cat, "Changed English.")
    assert (changed.msgstr, changed.state, changed.previous_msgid) == (
        "Traducción de lo viejo.",
        "changed",
        "Old English.",
    )
    assert b'#~ msgstr "Ida."' in cat.to_bytes()  # the obsolete entry is left alone
    assert cat.apply([Imported(None, "Old English.", "Traducción de lo viejo.", "final")]) == ["unchanged"]


def test_a_trusted_confirmation_says_so_on_the_entry(tmp_path: Path) -> None:
    """``polyleaf import --as-reviewed``: the confirmed text becomes reviewed and its provenance replaces the
    machine's, so the entry (and the release manifest) tells it was reviewed elsewhere."""
    cat = load(tmp_path)
    kind, comment = trust("translated", "clinic.tmx", as_reviewed=True)
    assert cat.apply([Imported(None, "Machine.", "Máquina.", kind, comment)]) == ["reviewed"]
    machine = entry(cat, "Machine.")
    assert machine.state == "reviewed"
    assert machine.comments == ("tm: imported as reviewed from clinic.tmx (polyleaf import --as-reviewed)",)
    assert as_reviewed_comment(machine.comments) == machine.comments[0]


@pytest.mark.parametrize(
    ("kind", "as_reviewed", "expected"),
    [
        ("final", False, ("final", "")),
        ("translated", False, ("suggestion", "tm: imported from f.xlf")),
        ("translated", True, ("translated", "tm: imported as reviewed from f.xlf (polyleaf import --as-reviewed)")),
        ("suggestion", True, ("suggestion", "tm: imported from f.xlf")),  # the tool itself says unconfirmed
        ("machine", True, ("machine", "mt: imported from f.xlf")),  # machine text is never taken as reviewed
    ],
)
def test_what_this_project_takes_a_file_for(kind: ImportKind, as_reviewed: bool, expected: tuple[str, str]) -> None:
    assert trust(kind, "f.xlf", as_reviewed) == expected


def test_a_translation_gets_the_line_breaks_of_its_english(tmp_path: Path) -> None:
    cat = load(tmp_path)
    assert cat.apply([Imported(None, "Untranslated.", "\nImportada.\n", "final")]) == ["reviewed"]
    data = cat.to_bytes()
    assert entry(catalog.parse_po(data, tmp_path / "es.po"), "Untranslated.").msgstr == "Importada."


#: Any character (surrogates too), with the troublesome ones often.
CHARACTERS = st.one_of(
    st.characters(exclude_categories=()),
    st.sampled_from("\x00\x04\r\n\t\x0b\x1b\x7f\x85\x9b\u2028\u2029\u202a\u202e\ufdd0\ufffe\U0010ffff\ud800\udfff"),
)


@settings(max_examples=300, deadline=None)
@given(st.text(CHARACTERS, min_size=1, max_size=12), st.text(CHARACTERS, max_size=12))
def test_an_imported_text_is_refused_or_made_what_a_po_file_holds(msgid: str, text: str) -> None:
    """Whatever a file brings: refused, or a text that a PO file holds and gives back exactly (for any English)."""
    assume(not string_problem(msgid) and "\r" not in msgid)
    try:
        usable, _changes = usable_text(msgid, text)
    except ValueError:
        assert string_problem(text)
        return
    po = pofile.PoFile(
        (pofile.Message("", ("Content-Type: text/plain; charset=UTF-8\n",)), pofile.Message(msgid, (usable,)))
    )
    data = pofile.write_po(po)
    read = pofile.parse_po(data, Path("x.po"))  # refuses what msgfmt --check refuses
    assert read.messages[1].msgstr == (usable,)
    assert not any(char in usable and char not in msgid for char in "\r\x01\x0b\x1b\x7f\x85\x9b\u2028\ufffe\U0010ffff")
    assert not any(char in usable for char in "\u202a\u202b\u202c\u202d\u202e")  # never: they reorder what prints
