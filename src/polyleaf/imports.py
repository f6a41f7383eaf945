"""Translations imported from an exchange file (XLIFF, TMX) into a catalog's entries, and the rules they follow:
never over a reviewed translation unless the file says it is final."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from polyleaf import pofile
from polyleaf.catalog import MT_COMMENT, TM_COMMENT, entry_state
from polyleaf.pofile import Message, PoFile, with_flag

#: How sure an exchange file (XLIFF, TMX) is of a translation; see ``Imported``.
ImportKind = Literal["final", "translated", "suggestion", "machine"]
#: What importing one translation did; see ``apply``.
Outcome = Literal[
    "reviewed", "suggested", "replaced", "previous", "unchanged", "kept", "ignored", "obsolete", "missing"
]


@dataclass(frozen=True, slots=True)
class Imported:
    """A translation of the entry ``(msgctxt, msgid)`` from an exchange file, and how sure the file is of it.

    ``final`` may replace a reviewed translation; ``translated`` (a translator confirmed it) makes an unreviewed
    entry reviewed but never replaces a different reviewed translation; ``suggestion`` is fuzzy and replaces
    only an unreviewed translation; ``machine`` is fuzzy and fills only an empty entry, as polyleaf's own MT.
    ``comment`` is the provenance comment (``mt: …``, ``tm: …``) that new text gets.
    """

    msgctxt: str | None
    msgid: str
    text: str
    kind: ImportKind
    comment: str = ""


def apply(po: PoFile, imports: Iterable[Imported]) -> tuple[PoFile, list[Outcome]]:
    """Put imported translations into their entries, never replacing a reviewed translation unless the
    import is ``final``; one outcome per import, in order:

    - ``reviewed``: the entry is now reviewed (new text, or its text confirmed); fuzzy and ``#|`` go;
    - ``suggested``: fuzzy text in an unreviewed entry (a changed entry keeps its ``#|``);
    - ``replaced``: a reviewed translation replaced by a ``final`` one;
    - ``previous``: the text translates English that a changed entry shows as its previous msgid (``#|``):
      it becomes that entry's fuzzy text, still showing the previous English;
    - ``unchanged``: the entry says that already; ``kept``: a different reviewed translation is kept;
      ``ignored``: a machine translation for an entry that has a translation;
    - ``obsolete``/``missing``: no active entry has that English (plural entries are never matched).

    New text drops the entry's old provenance comments; a confirmed text keeps them, as an editor does.
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
            outcome = "unchanged" if item.text == messages[index].text else "previous"
            if outcome == "previous":
                messages[index] = _with_text(messages[index], item.text, item.comment, fuzzy=True)
        outcomes.append(outcome)
    return (PoFile(tuple(messages)) if messages != list(po.messages) else po), outcomes


def _imported(message: Message, item: Imported) -> tuple[Message, Outcome]:
    """``message`` with ``item`` applied by the rules of ``Catalog.apply``, and the outcome."""
    state = entry_state(message)
    confirmed = item.kind in ("final", "translated")
    if item.text == message.text:
        if confirmed and state != "reviewed":
            return _reviewed(message), "reviewed"
        return message, "unchanged"
    if state == "reviewed":
        if item.kind == "final":
            return _with_text(message, item.text, item.comment, fuzzy=False), "replaced"
        return message, "kept"
    if confirmed:
        return _reviewed(_with_text(message, item.text, item.comment, fuzzy=False)), "reviewed"
    if item.kind == "machine" and state != "untranslated":
        return message, "ignored"
    return _with_text(message, item.text, item.comment, fuzzy=True), "suggested"


def _with_text(message: Message, text: str, comment: str, *, fuzzy: bool) -> Message:
    """``message`` translated as ``text``, its old provenance comments replaced by ``comment``."""
    comments = [line for line in message.comments if not line.startswith((MT_COMMENT, TM_COMMENT))]
    comments += [pofile.safe_comment(part) for part in comment.split("\n")] if comment else []
    return replace(message, msgstr=(text,), flags=with_flag(message.flags, "fuzzy", fuzzy), comments=tuple(comments))


def _reviewed(message: Message) -> Message:
    """``message`` as a translator leaves it when they approve it: no fuzzy flag, no previous msgid."""
    return replace(
        message,
        flags=with_flag(message.flags, "fuzzy", False),
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
    )
