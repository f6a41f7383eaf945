"""Translations imported from an exchange file (XLIFF, TMX) into a catalog's entries, and the rules they follow:
never over a reviewed translation unless the file says it is final; text reviewed elsewhere is a suggestion here
unless the coordinator imports it as reviewed; nothing a PO file cannot hold is ever written."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from polyleaf.catalog.model import MT_COMMENT, TM_COMMENT, Catalog, entry_state
from polyleaf.catalog.notes import split_notes
from polyleaf.catalog.suggestions import TM_SUGGESTION, suggestion_comment, suggestions_for, without_suggestions
from polyleaf.invisible import CONTROLS, controls_in, embeddings_in, named, without_embeddings
from polyleaf.po import pofile, poread, postring
from polyleaf.po.pofile import Message, PoFile, with_flag

#: How sure an exchange file (XLIFF, TMX) is of a translation; see ``Imported``.
ImportKind = Literal["final", "translated", "suggestion", "machine"]
#: What importing one translation did; see ``apply``.
Outcome = Literal[
    "reviewed", "suggested", "commented", "replaced", "previous", "unchanged", "kept", "ignored", "obsolete", "missing"
]
#: The provenance of an imported suggestion: ``# tm: imported from es.tmx``.
IMPORTED_FROM = f"{TM_COMMENT} imported from"
#: The provenance of a translation the coordinator imported as reviewed (``polyleaf import --as-reviewed``): it was
#: reviewed elsewhere, not in this project, so ``build/release.json`` lists every released entry that carries it. A
#: translator who reviews such an entry here deletes the comment.
AS_REVIEWED = f"{TM_COMMENT} imported as reviewed from"


@dataclass(frozen=True, slots=True)
class Imported:
    """A translation of the entry ``(msgctxt, msgid)`` from an exchange file, and how sure the file is of it.

    ``final`` may replace a reviewed translation; ``translated`` (confirmed, and trusted here: see ``trust``) makes
    an unreviewed entry reviewed but never replaces a different reviewed translation; ``suggestion`` is fuzzy and
    fills an empty entry or replaces a machine translation (beside any other text it is a ``# tm-suggestion``
    comment); ``machine`` is fuzzy and fills only an empty entry, as polyleaf's own MT.
    ``comment`` is the provenance comment (``mt: …``, ``tm: …``) that new text gets.
    """

    msgctxt: str | None
    msgid: str
    text: str
    kind: ImportKind
    comment: str = ""


def trust(kind: ImportKind, file_name: str, as_reviewed: bool, provenance: str = "") -> tuple[ImportKind, str]:
    """How this project takes a translation a file offers, and the provenance comment it gets.

    ``final`` is taken as the file says (no comment: a reviewer signed it off). A translation confirmed elsewhere
    (``translated``: an XLIFF ``translated``/``reviewed`` state, any TMX) was not reviewed in this project: it is a
    fuzzy ``suggestion`` (``# tm: imported from …``) unless ``as_reviewed`` (the coordinator's explicit word), then
    reviewed with the ``AS_REVIEWED`` comment. An unconfirmed one is a suggestion; a machine translation keeps the
    file's ``mt:`` ``provenance`` (else ``# mt: imported from …``)."""
    name = _shown(file_name)
    if kind == "final":
        return kind, ""
    if kind == "machine":
        first = CONTROLS.sub(" ", provenance.split("\n", 1)[0].replace("\r", " ")).strip()
        return kind, first if first.startswith(MT_COMMENT) else f"{MT_COMMENT} imported from {name}"
    if kind == "translated" and as_reviewed:
        return kind, f"{AS_REVIEWED} {name} (polyleaf import --as-reviewed)"
    return "suggestion", f"{IMPORTED_FROM} {name}"


def as_reviewed_comment(comments: Iterable[str]) -> str | None:
    """The ``AS_REVIEWED`` provenance among an entry's translator comments, if it has one."""
    return next((line for line in comments if line.startswith(AS_REVIEWED)), None)


def vouched(po: PoFile) -> dict[str, str]:
    """msgid → ``AS_REVIEWED`` comment of the reviewed entries (obsolete ones too) that were imported as reviewed:
    translation memory passes that provenance on with the text."""
    found: dict[str, str] = {}
    for message in po.messages:
        comment = as_reviewed_comment(message.comments) if message.text and not message.fuzzy else None
        if comment is not None and not message.is_header:
            found[message.msgid] = comment
    return found


def usable_text(msgid: str, text: str) -> tuple[str, list[str]]:
    """An imported translation of ``msgid`` as a PO file holds it and a leaflet shows it, and what had to be changed
    (each worth a warning): carriage returns become line feeds; control characters and noncharacters the English
    does not have become spaces (C0 and C1 controls — a ``<cp hex="B"/>`` soft line break, a terminal escape, the
    8-bit CSI U+009B —, U+2028/U+2029, U+FFFE…: ``invisible``); bidi embeddings and overrides are removed (they would
    make a page print "50" as "05" while QA reads "50"); line breaks at either end follow the English (msgfmt
    refuses a mismatch). ValueError saying why when no PO file can hold the text (``postring.string_problem``: a NUL,
    <EOT>, a lone surrogate)."""
    problem = postring.string_problem(text)
    if problem:
        raise ValueError(problem)
    changes: list[str] = []
    if "\r" in text and "\r" not in msgid:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append("has carriage returns (\\r): made line feeds (\\n)")
    controls = controls_in(text, msgid)
    if controls:
        text = "".join(" " if char in controls else char for char in text)
        changes.append(f"has control characters the English does not ({named(controls)}): replaced by spaces")
    embeddings = embeddings_in(text)
    if embeddings:
        text = without_embeddings(text)
        changes.append(
            f"has bidi embeddings or overrides ({named(embeddings)}), which print text in another order than it "
            "reads: removed"
        )
    if not text.strip("\n"):
        return "", changes  # no translation: an import never empties an entry
    for which, test in (("begin", str.startswith), ("end", str.endswith)):
        if not poread.newlines_agree(msgid, text, which):
            english = "does" if test(msgid, "\n") else "does not"
            changes.append(f"must {which} with a line break exactly when the English does (it {english}): made so")
    return poread.with_newlines_of(msgid, text), changes


def _shown(name: str) -> str:
    """A file name as a one-line comment can show it (undecodable bytes and control characters as U+FFFD)."""
    decoded = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return re.sub("[\x00-\x1f\x7f]", "\ufffd", decoded)


def apply(po: PoFile, imports: Iterable[Imported]) -> tuple[PoFile, list[Outcome]]:
    """Put imported translations into their entries, never replacing a reviewed translation unless the
    import is ``final``; one outcome per import, in order:

    - ``reviewed``: the entry is now reviewed (new text, or its text confirmed); fuzzy and ``#|`` go;
    - ``suggested``: fuzzy text in an empty entry, or in place of a machine translation (or memory match, or earlier
      import: a copy of text kept elsewhere);
    - ``commented``: a suggestion for an entry whose unreviewed text may be the only copy of someone's work — the old
      reviewed translation of a changed entry, a translator's draft —: it stays, and the suggestion becomes a
      ``# tm-suggestion`` comment for the English it translates (a draft shows it for a changed entry's current
      English, as a machine suggestion);
    - ``replaced``: a reviewed translation replaced by a ``final`` one;
    - ``previous``: a confirmed text of English that a changed entry shows as its previous msgid (``#|``):
      it becomes that entry's fuzzy text, still showing the previous English (a suggestion is ``commented``);
    - ``unchanged``: the entry says that already; ``kept``: a different reviewed translation is kept;
      ``ignored``: a machine translation for an entry that has a translation;
    - ``obsolete``/``missing``: no active entry has that English (plural entries are never matched).

    New text drops the entry's old provenance comments; a confirmed text keeps them, as an editor does, unless the
    confirmation brings its own (``AS_REVIEWED``: the entry must say who vouched for it).
    """
    messages = list(po.messages)
    live = [(i, m) for i, m in enumerate(messages) if not m.obsolete and not m.is_header and m.msgid_plural is None]
    active = {message.key: index for index, message in live}
    changed = {
        (message.previous_msgctxt, message.previous_msgid): index
        for index, message in live
        if message.previous_msgid is not None and entry_state(message) == "changed"
    }
    obsolete = {message.key for message in messages if message.obsolete}
    outcomes: list[Outcome] = []
    for item in imports:
        key = (item.msgctxt, item.msgid)
        outcome: Outcome = "obsolete" if key in obsolete else "missing"
        if not item.text:
            outcome = "unchanged"  # an import never empties an entry
        elif key in active:
            index = active[key]
            messages[index], outcome = _imported(messages[index], item)
        elif key in changed:
            index = changed[key]
            messages[index], outcome = _imported_previous(messages[index], item)
        outcomes.append(outcome)
    return (PoFile(tuple(messages)) if messages != list(po.messages) else po), outcomes


def apply_to(catalog: Catalog, imports: Iterable[Imported]) -> list[Outcome]:
    """``apply`` to a catalog in place (its entries take the imports); one outcome per import, in order."""
    po, outcomes = apply(catalog.po, imports)
    catalog.replace_entries(po)
    return outcomes


def _imported(message: Message, item: Imported) -> tuple[Message, Outcome]:
    """``message`` with ``item`` applied by the rules of ``apply``, and the outcome."""
    state = entry_state(message)
    confirmed = item.kind in ("final", "translated")
    if item.text == message.text:
        if confirmed and state != "reviewed":
            provenance = _with_text(message, item.text, item.comment, fuzzy=False) if item.comment else message
            return _reviewed(provenance), "reviewed"
        return message, "unchanged"
    if state == "reviewed":
        if item.kind == "final":
            return _with_text(message, item.text, item.comment, fuzzy=False), "replaced"
        return message, "kept"
    if confirmed:
        return _reviewed(_with_text(message, item.text, item.comment, fuzzy=False)), "reviewed"
    if item.kind == "machine" and state != "untranslated":
        return message, "ignored"
    if state != "untranslated" and not _a_copy(message):
        return _beside(message, message.msgid, item)
    return _with_text(message, item.text, item.comment, fuzzy=True), "suggested"


def _a_copy(message: Message) -> bool:
    """Whether an unreviewed entry's text is one polyleaf put there from elsewhere — a machine translation, a memory
    match, an earlier import (its ``mt:``/``tm:`` provenance says so) — that a suggestion may replace, since nothing
    of anyone's work is lost; never the old text of a changed entry (``#|``), nor a translator's draft."""
    return message.previous_msgid is None and any(
        comment.startswith((MT_COMMENT, TM_COMMENT)) for comment in message.comments
    )


def _imported_previous(message: Message, item: Imported) -> tuple[Message, Outcome]:
    """``message``, a changed entry, with ``item`` applied: a translation of its previous English."""
    assert message.previous_msgid is not None
    if item.text == message.text:
        return message, "unchanged"
    if item.kind in ("final", "translated"):
        return _with_text(message, item.text, item.comment, fuzzy=True), "previous"
    if item.kind == "machine":
        return message, "ignored"
    return _beside(message, message.previous_msgid, item)


def _beside(message: Message, english: str, item: Imported) -> tuple[Message, Outcome]:
    """``message`` with ``item``'s text as a ``# tm-suggestion`` comment for ``english`` (replacing an imported one
    for it), its msgstr untouched."""
    if item.text in suggestions_for(message.comments, english, TM_SUGGESTION):
        return message, "unchanged"
    comment = pofile.safe_comment(suggestion_comment(english, item.comment, item.text, TM_SUGGESTION))
    kept = without_suggestions(message.comments, kind=TM_SUGGESTION, english=english)
    return replace(message, comments=(*kept, comment)), "commented"


def _with_text(message: Message, text: str, comment: str, *, fuzzy: bool) -> Message:
    """``message`` translated as ``text`` (its line breaks at either end as the msgid's: msgfmt requires it), its old
    provenance comments replaced by ``comment``, and without the QA notes of its old text (the next run checks the
    new one); reviewed (or taking the text of one), without the imported suggestions for its English."""
    kept = message.comments if text == message.text else split_notes(message.comments)[0]
    if not fuzzy or text in suggestions_for(kept, message.msgid, TM_SUGGESTION):  # decided, or now the text itself
        kept = without_suggestions(kept, kind=TM_SUGGESTION, english=message.msgid)
    comments = [line for line in kept if not line.startswith((MT_COMMENT, TM_COMMENT))]
    comments += [pofile.safe_comment(part) for part in comment.split("\n")] if comment else []
    msgstr = (poread.with_newlines_of(message.msgid, text),)
    return replace(message, msgstr=msgstr, flags=with_flag(message.flags, "fuzzy", fuzzy), comments=tuple(comments))


def _reviewed(message: Message) -> Message:
    """``message`` as a translator leaves it when they approve it: no fuzzy flag, no previous msgid."""
    return replace(
        message,
        flags=with_flag(message.flags, "fuzzy", False),
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
    )
