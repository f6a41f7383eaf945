"""polyleaf's own comments are data (issue 20 item 8): a ``# mt-suggestion`` wrapped over several lines by an editor
(polib, Babel: Python's textwrap) is read back whole, or not at all (then it is made again) — never a first line
taken for the whole, never a translator's own comment taken for part of it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from babel.util import TextWrapper
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf import catalog, pofile
from polyleaf.catalog import Fill, suggestion_comment, suggestion_of, without_suggestions
from polyleaf.pocomments import short_hash
from polyleaf.pofile import Message, PoFile

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
    return Message(msgid, ("Guarde el medicamento.",), comments=tuple(comments), flags=("fuzzy",), previous_msgid="x")


def test_a_suggestion_polib_or_babel_wrapped_is_read_whole_at_any_width() -> None:
    line = suggestion_comment(ENGLISH, PROVENANCE, SPANISH)
    for width in range(8, 120):
        for wrap in (polib_wrap, babel_wrap):
            lines = ["checked with the pharmacist", *wrap(line, width), "ask Ana about the brand name"]
            message = changed(lines)
            assert suggestion_of(message) == SPANISH, (wrap.__name__, width)
            kept = without_suggestions(message.comments)
            assert kept == ("checked with the pharmacist", "ask Ana about the brand name"), (wrap.__name__, width)


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
    assert without_suggestions(changed([*lines, "a translator's note"]).comments) == ("a translator's note",)


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
        (read,) = pofile.parse_po(pofile.write_po(PoFile((message,))), Path("x.po")).messages
        assert suggestion_of(read) == text


def test_comments_are_set_on_the_entry_of_that_context_only() -> None:
    """Binding a waiver rewrites one entry's translator comments; an entry with the same English in another
    context (a translator's own) keeps its own."""
    messages = (
        Message("Dose", ("Dosis",), comments=("a",)),
        Message("Dose", ("Toma",), msgctxt="verb", comments=("b",)),
    )
    cat = catalog.Catalog(PoFile(messages), Path("x.po"))
    assert cat.set_comments({(None, "Dose"): ["ignore-numbers (for 12345678, finding 12345678)"]}) == 1
    assert [message.comments for message in cat.po.messages] == [
        ("ignore-numbers (for 12345678, finding 12345678)",),
        ("b",),
    ]
