"""polyleaf's own comments are data (issue 20 item 8): a ``# mt-suggestion`` wrapped over several lines by an editor
(polib, Babel: Python's textwrap) is read back whole, or not at all (then it is made again) — never a first line
taken for the whole, never a translator's own comment taken for part of it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from babel.util import TextWrapper
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Fill
from polyleaf.catalog.notes import split_notes
from polyleaf.catalog.suggestions import suggestion_comment, suggestion_of, without_suggestions
from polyleaf.po import pofile, poread
from polyleaf.po.pocomments import short_hash
from polyleaf.po.pofile import Message, PoFile

ENGLISH = "Keep the medicine in a cool, dry place, away from children, and check the expiry date before every use."
SPANISH = (
    "Guarde el medicamento en un lugar fresco y seco, lejos de los niños, y compruebe la fecha de caducidad "
    "—bien visible— antes de cada uso; c'est-à-dire, well-known anti-inflamatorios."
)
PROVENANCE = "mt: argos en-es 1.0"


def polib_wrap(line: str, width: int) -> list[str]:
    """What polib 1.2 does to a ``# `` comment longer than its wrap width."""
    if len(line) + 2 <= width:
        return [line]
    return [part[2:] for part in textwrap.wrap(line, width, initial_indent="# ", subsequent_indent="# ",
                                               break_long_words=False)]  # fmt: skip


def babel_wrap(line: str, width: int) -> list[str]:
    """What Babel's ``write_po`` does to a translator comment."""
    return [part.strip() for part in TextWrapper(width=width, break_long_words=False).wrap(line)]


def changed(comments: list[str], msgid: str = ENGLISH) -> Message:
    return Message(
        msgid=msgid, msgstr=("Guarde el medicamento.",), comments=tuple(comments), flags=("fuzzy",), previous_msgid="x"
    )


def test_a_suggestion_polib_or_babel_wrapped_is_read_whole_at_any_width() -> None:
    line = suggestion_comment(ENGLISH, PROVENANCE, SPANISH)
    for width in range(8, 120):
        for wrap in (polib_wrap, babel_wrap):
            lines = ["checked with the pharmacist", *wrap(line, width), "ask Ana about the brand name"]
            message = changed(lines)
            assert suggestion_of(message) == SPANISH, (wrap.__name__, width)
            kept = without_suggestions(message.comments)
            assert kept == ("checked with the pharmacist", "ask Ana about the brand name"), (wrap.__name__, width)


def test_a_suggestion_textwrap_broke_before_a_dash_is_read_whole() -> None:
    text = "0 0 0 0 0 0--0"
    lines = polib_wrap(suggestion_comment(ENGLISH, PROVENANCE, text), 5)
    assert "--0" in lines  # textwrap broke before the dash, not at a space
    assert suggestion_of(changed(lines)) == text


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12)
        | st.sampled_from(["anti-", "-", "well-known", "—", "c'est-à-dire", "2,5", "mg/kg", "):", ", for", "text"]),
        min_size=1,
        max_size=40,
    ),
    width=st.integers(min_value=5, max_value=100),
)
def test_any_wrapped_suggestion_is_whole_or_made_again(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = polib_wrap(suggestion_comment(ENGLISH, PROVENANCE, text), width)
    read = suggestion_of(changed([*lines, "a translator's note"]))
    assert read in (text, None)  # never a part: a suggestion that cannot be read whole is made again
    if all(not word.endswith("-") for word in words):
        assert read == text  # textwrap broke only at spaces: always read back
    kept = without_suggestions(changed([*lines, "a translator's note"]).comments)
    if read is not None:
        assert kept == ("a translator's note",)
    else:  # its lines cannot all be told from a translator's: only its first goes, and the note is never lost
        assert kept[-1] == "a translator's note" and len(kept) == len(lines)


def test_a_suggestion_for_other_english_is_stale_and_a_broken_one_is_made_again() -> None:
    line = suggestion_comment(ENGLISH, PROVENANCE, SPANISH)
    assert suggestion_of(changed([line], msgid="Keep the medicine in a dry place.")) is None
    first, *_rest = polib_wrap(line, 78)
    assert suggestion_of(changed([first, "a translator's own words"])) is None  # its end is gone: not a part
    cat = catalog.Catalog(PoFile((changed([first, "a translator's own words"]),)), Path("x.po"))
    assert cat.unsuggested() == [ENGLISH]


def test_a_suggestion_from_before_the_text_hash_is_read_when_nothing_can_have_been_cut_off() -> None:
    old = f"mt-suggestion ({PROVENANCE}, for {short_hash(ENGLISH)}): {SPANISH}"
    assert suggestion_of(changed(["a note", old])) == SPANISH
    wrapped = polib_wrap(old, 78)
    assert suggestion_of(changed(wrapped)) is None  # perhaps cut: made again…
    cat = catalog.Catalog(PoFile((changed(["a note", *wrapped]),)), Path("x.po"))
    assert cat.suggest([Fill(ENGLISH, SPANISH, PROVENANCE)]) == 1  # …and the same text replaces every line of it
    (message,) = cat.po.messages
    assert message.comments == ("a note", suggestion_comment(ENGLISH, PROVENANCE, SPANISH))


def test_a_suggestion_with_a_line_break_or_a_final_backslash_reads_back_as_polyleaf_wrote_it() -> None:
    for text in ("Primera línea\nsegunda línea", "termina en \\"):
        message = changed([pofile.safe_comment(suggestion_comment(ENGLISH, PROVENANCE, text))])
        (read,) = poread.parse_po_file(pofile.write_po(PoFile((message,))), Path("x.po")).messages
        assert suggestion_of(read) == text


def test_comments_are_set_on_the_entry_of_that_context_only() -> None:
    """Binding a waiver rewrites one entry's translator comments; an entry with the same English in another
    context (a translator's own) keeps its own."""
    messages = (
        Message(msgid="Dose", msgstr=("Dosis",), comments=("a",)),
        Message(msgid="Dose", msgstr=("Toma",), msgctxt="verb", comments=("b",)),
    )
    cat = catalog.Catalog(PoFile(messages), Path("x.po"))
    assert cat.set_comments({(None, "Dose"): ["ignore-numbers (for 12345678, finding 12345678)"]}) == 1
    assert [message.comments for message in cat.po.messages] == [
        ("ignore-numbers (for 12345678, finding 12345678)",),
        ("b",),
    ]


# ------------------------------------------------------------------------------------------------ QA notes (issue 22)
NOTES = [
    "basivertebral nerve ablation: do-not-translate term missing or changed [dnt]",
    "2 tablets → 3 comprimidos: a number differs [numbers]",
]


def annotated(comments: list[str], notes: list[str]) -> tuple[tuple[str, ...], int]:
    """The comments a reviewed entry has after ``annotate(notes)``, and whether they changed."""
    cat = catalog.Catalog(
        PoFile((Message(msgid=ENGLISH, msgstr=("Guarde.",), comments=tuple(comments)),)), Path("a.po")
    )
    changes = cat.annotate({ENGLISH: notes})
    return cat.po.messages[0].comments, changes


def test_qa_notes_are_translator_comments_each_once_and_a_wrapped_one_is_kept_as_the_tool_wrote_it() -> None:
    assert annotated(["checked by Ana"], [*NOTES, NOTES[0]]) == (
        ("checked by Ana", *(f"qa: {note}" for note in NOTES)),
        1,
    )  # a finding twice is one note
    twice = ["checked by Ana", f"qa: {NOTES[1]}", f"qa: {NOTES[1]}"]
    assert annotated(twice, [NOTES[1]]) == (tuple(twice[:2]), 1)  # a note written twice is left once
    for width in range(8, 100):
        for wrap in (polib_wrap, babel_wrap):
            lines = ["checked by Ana", *(part for note in NOTES for part in wrap(f"qa: {note}", width)), "see Ana"]
            assert annotated(lines, NOTES) == (tuple(lines), 0), (wrap.__name__, width)  # nothing to fight


def test_a_qa_note_that_no_longer_holds_goes_whole_however_it_was_wrapped_and_nothing_else() -> None:
    for width in range(8, 100):
        for wrap in (polib_wrap, babel_wrap):
            stale = list(wrap(f"qa: {NOTES[0]}", width))
            lines = ["checked by Ana", *stale, "ask Ana [later]", *wrap(f"qa: {NOTES[1]}", width)]
            assert annotated(lines, [])[0] == ("checked by Ana", "ask Ana [later]"), (wrap.__name__, width)
    edited = ["qa: I checked this one", "ask Ana"]  # a note a translator rewrote is theirs: it stays
    assert annotated(edited, [NOTES[1]])[0] == (*edited, f"qa: {NOTES[1]}")


def test_a_stale_note_takes_no_translators_line_with_it() -> None:
    """Attack 1, finding 8: a reply appended to a note, and lines after it that end like a note does."""
    replied = [
        "qa: 50 mg → 5 mg: a number differs [numbers] -- Maria: intentional, see below",
        "Translator: the paediatric label says 5 mg, confirmed with the pharmacy on Monday",
        "Reviewer: agreed, ticket [pil-14]",
    ]
    assert annotated(replied, [])[0] == tuple(replied)
    answered = ["qa: 50 mg → 5 mg: a number differs [numbers]", "Maria: intentional, see the label [numbers]"]
    assert annotated(answered, [])[0] == (answered[1],)  # the note alone goes: her line is no wrap of it
    for width in range(8, 100):  # a wrapped stale note followed by a translator's line that ends with a check id
        stale = polib_wrap(f"qa: {NOTES[1]}", width)
        lines = [*stale, "Maria: checked the label [numbers]"]
        assert annotated(lines, [])[0] == (lines[-1],), width
    cut = ["qa: 2 tablets → 3 comprimidos: a number", "differs -- fixed", "Maria: checked the label [numbers]"]
    assert annotated(cut, [])[0] == tuple(cut)  # a note whose end was edited away: nothing provably polyleaf's


def test_qa_reads_no_waiver_in_a_wrapped_notes_lines() -> None:
    note = "qa: x keep [markup]"
    lines = ["checked by Ana", *polib_wrap(note, 8)]
    assert "keep" in lines  # a line of the note alone would read as the keep marker
    assert split_notes(lines) == (("checked by Ana",), tuple(lines[1:]))


def test_babels_previous_fields_read_back_as_the_previous_english() -> None:
    """Babel 2.18 reads ``#| msgid`` as a translator comment and writes it back as ``# | msgid "…"``, a long one
    wrapped at a space onto lines of its own."""
    cut = ENGLISH.rindex(" ", 0, 70)
    entry = (
        f'# mt-suggestion (x)\n# | msgctxt "ctx"\n# | msgid ""\n# | "{ENGLISH[:cut]}\n# {ENGLISH[cut + 1 :]}"\n'
        '#, fuzzy\nmsgid "New English."\nmsgstr "Guarde."\n'
    )
    raw = f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n{entry}'.encode()
    cat = catalog.parse_po(raw, Path("a.po"))
    (read,) = cat.entries()
    assert (read.previous_msgid, read.comments, read.state) == (ENGLISH, ("mt-suggestion (x)",), "changed")
    assert cat.to_bytes() == raw  # as Babel wrote it, while the entry does not change
    cat.annotate({"New English.": ["a finding [numbers]"]})
    written = cat.to_bytes().decode()
    assert '#| msgctxt "ctx"\n#| msgid ""\n#| "Keep the' in written and "# |" not in written  # changed: GNU's #|
    odd = catalog.parse_po(raw.replace(b'# | msgid ""', b'# | msgid "" or so'), Path("a.po")).entries()[0]
    assert odd.previous_msgid is None and '| msgid "" or so' in odd.comments  # not previous fields: comments
