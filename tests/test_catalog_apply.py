"""catalog.imports.apply_to: the rules an imported translation (XLIFF, TMX) follows, in every state of an entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from polyleaf.catalog import model as catalog
from polyleaf.catalog.imports import Imported, ImportKind, apply_to, as_reviewed_comment, trust, usable_text
from polyleaf.catalog.suggestions import TM_SUGGESTION, suggestions_for
from polyleaf.po import pofile, poread
from polyleaf.po.pocomments import short_hash
from polyleaf.po.postring import string_problem

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
    ("machine", "suggestion"): ("suggested", "changed"),  # a machine's text: nothing of anyone's work lost
    ("machine", "machine"): ("ignored", "machine"),
    ("changed", "final"): ("reviewed", "reviewed"),
    ("changed", "translated"): ("reviewed", "reviewed"),
    ("changed", "suggestion"): ("commented", "changed"),  # beside the old text, never over it (attack 1, 7)
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
    outcome = apply_to(cat, [Imported(None, SOURCES[state], "Importada.", kind, comment)])
    expected_outcome, expected_state = RULES[state, kind]
    assert outcome == [expected_outcome]
    after = catalog.parse_po(cat.to_bytes(), tmp_path / "es.po")  # what the file says, read back
    changed = entry(after, SOURCES[state])
    assert changed.state == expected_state
    applied = expected_outcome in ("replaced", "reviewed", "suggested")
    assert changed.msgstr == ("Importada." if applied else TEXTS[state])
    if applied:
        assert [c for c in changed.comments if c.startswith("mt:")] == (["mt: other 2.0"] if comment else [])
    if state == "changed":  # approved: the previous English goes, as in a PO editor; else the translator sees it
        assert changed.previous_msgid == ("Old English." if expected_state == "changed" else None)
    if expected_outcome == "commented":  # the text stays; the suggestion is a comment for the current English
        assert suggestions_for(changed.comments, SOURCES[state], TM_SUGGESTION) == ["Importada."]
        assert after.translations()[SOURCES[state]].suggestion == "Importada."  # a draft of a changed entry shows it
    others = {e.msgid: (e.msgstr, e.state) for e in after.entries() if e.msgid != SOURCES[state]}
    assert others == {e.msgid: (e.msgstr, e.state) for e in load(tmp_path).entries() if e.msgid != SOURCES[state]}


@pytest.mark.parametrize("kind", ["final", "translated"])
def test_confirming_a_suggestion_makes_it_reviewed_and_keeps_its_comments(tmp_path: Path, kind: ImportKind) -> None:
    cat = load(tmp_path)
    outcomes = apply_to(
        cat,
        [Imported(None, "Machine.", "Máquina.", kind), Imported(None, "Changed English.", "Vieja traducción.", kind)],
    )
    assert outcomes == ["reviewed", "reviewed"]
    machine, changed = entry(cat, "Machine."), entry(cat, "Changed English.")
    assert (machine.state, machine.comments) == ("reviewed", ("mt: fake en-es 1.0",))
    assert (changed.state, changed.previous_msgid, changed.msgstr) == ("reviewed", None, "Vieja traducción.")


@pytest.mark.parametrize("kind", ["final", "translated", "suggestion", "machine"])
def test_the_same_text_again_changes_nothing(tmp_path: Path, kind: ImportKind) -> None:
    cat = load(tmp_path)
    before = cat.to_bytes()
    assert apply_to(cat, [Imported(None, "Reviewed.", "Revisada.", kind)]) == ["unchanged"]
    assert apply_to(cat, [Imported(None, "Untranslated.", "", kind)]) == ["unchanged"]  # an import never empties
    assert cat.to_bytes() == before  # byte for byte: no churn


def test_english_that_changed_since_the_export(tmp_path: Path) -> None:
    cat = load(tmp_path)
    outcomes = apply_to(
        cat,
        [
            Imported(None, "Old English.", "Traducción de lo viejo.", "final"),
            Imported(None, "Gone.", "Otra.", "final"),
            Imported(None, "Never there.", "Nunca.", "final"),
        ],
    )
    assert outcomes == ["previous", "obsolete", "missing"]
    changed = entry(cat, "Changed English.")
    assert (changed.msgstr, changed.state, changed.previous_msgid) == (
        "Traducción de lo viejo.",
        "changed",
        "Old English.",
    )
    assert b'#~ msgstr "Ida."' in cat.to_bytes()  # the obsolete entry is left alone
    assert apply_to(cat, [Imported(None, "Old English.", "Traducción de lo viejo.", "final")]) == ["unchanged"]


def test_a_suggestion_never_replaces_the_text_of_a_changed_entry(tmp_path: Path) -> None:
    """Attack 1, finding 7: a changed entry's msgstr is the translator's old reviewed text, its only copy. A
    suggestion for its current or previous English goes beside it, as a ``# tm-suggestion`` comment, once."""
    cat = load(tmp_path)
    kind, comment = trust("translated", "mem.tmx", as_reviewed=False)
    suggestions = [
        Imported(None, "Changed English.", "Nueva sugerencia.", kind, comment),
        Imported(None, "Old English.", "Otra de lo viejo.", "suggestion", comment),
    ]
    assert apply_to(cat, suggestions) == ["commented", "commented"]
    written = cat.to_bytes()
    assert apply_to(cat, suggestions) == ["unchanged", "unchanged"]
    changed = entry(catalog.parse_po(written, tmp_path / "es.po"), "Changed English.")
    assert (changed.msgstr, changed.state, changed.previous_msgid) == ("Vieja traducción.", "changed", "Old English.")
    assert suggestions_for(changed.comments, "Changed English.") == ["Nueva sugerencia."]
    assert suggestions_for(changed.comments, "Old English.") == ["Otra de lo viejo."]
    assert f"# tm-suggestion (tm: imported from mem.tmx, for {short_hash('Changed English.')}, " in (written.decode())
    newer = Imported(None, "Changed English.", "Mejor sugerencia.", "suggestion", comment)
    assert apply_to(cat, [newer]) == ["commented"]  # a newer import replaces its own suggestion for that English
    comments = entry(cat, "Changed English.").comments
    assert suggestions_for(comments, "Changed English.") == ["Mejor sugerencia."]
    assert suggestions_for(comments, "Old English.") == ["Otra de lo viejo."]


def test_a_suggestion_replaces_a_copy_never_a_translators_draft(tmp_path: Path) -> None:
    """A fuzzy text polyleaf put there from elsewhere (an earlier import, a memory match) is replaced by a newer
    suggestion; a fuzzy draft with no provenance may be a translator's only copy: the suggestion goes beside it."""
    path = tmp_path / "es.po"
    path.write_text(
        PO.replace('msgid "Untranslated."\nmsgstr ""', '#, fuzzy\nmsgid "Untranslated."\nmsgstr "Mi borrador."'),
        encoding="utf-8",
    )
    cat = catalog.read_po(path)
    kind, comment = trust("suggestion", "mem.tmx", as_reviewed=False)
    assert apply_to(cat, [Imported(None, "Untranslated.", "Sugerida.", kind, comment)]) == ["commented"]
    draft = entry(cat, "Untranslated.")
    assert draft.msgstr == "Mi borrador." and suggestions_for(draft.comments, "Untranslated.") == ["Sugerida."]
    machine = [Imported(None, "Machine.", text, kind, comment) for text in ("Primera.", "Segunda.")]
    assert apply_to(cat, machine) == ["suggested", "suggested"]  # the machine's text, then the first import's
    assert entry(cat, "Machine.").msgstr == "Segunda."


def test_a_trusted_confirmation_says_so_on_the_entry(tmp_path: Path) -> None:
    """``polyleaf import --as-reviewed``: the confirmed text becomes reviewed and its provenance replaces the
    machine's, so the entry (and the release manifest) tells it was reviewed elsewhere."""
    cat = load(tmp_path)
    kind, comment = trust("translated", "clinic.tmx", as_reviewed=True)
    assert apply_to(cat, [Imported(None, "Machine.", "Máquina.", kind, comment)]) == ["reviewed"]
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
    assert apply_to(cat, [Imported(None, "Untranslated.", "\nImportada.\n", "final")]) == ["reviewed"]
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
        (
            pofile.Message(msgid="", msgstr=("Content-Type: text/plain; charset=UTF-8\n",)),
            pofile.Message(msgid=msgid, msgstr=(usable,)),
        )
    )
    data = pofile.write_po(po)
    read = poread.parse_po_file(data, Path("x.po"))  # refuses what msgfmt --check refuses
    assert read.messages[1].msgstr == (usable,)
    assert not any(char in usable and char not in msgid for char in "\r\x01\x0b\x1b\x7f\x85\x9b\u2028\ufffe\U0010ffff")
    assert not any(char in usable for char in "\u202a\u202b\u202c\u202d\u202e")  # never: they reorder what prints
