"""The update stage's merge: a template into a language's PO file, with msgmerge's semantics."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from polyleaf.catalog.model import MT_COMMENT, Catalog, entry_state
from polyleaf.catalog.suggestions import without_suggestions
from polyleaf.po import poheader
from polyleaf.po.pocomments import rewrapped
from polyleaf.po.pofile import Message, PoFile, with_flag

#: A changed source sentence inherits the closest old translation only when it is at least this similar.
FUZZY_SIMILARITY = 0.6


def update(template: Catalog, existing: Catalog | None, language: str, path: Path, project: str) -> Catalog:
    """Merge ``template`` into ``existing`` with msgmerge semantics; never drops a translation.

    - exact msgid (and msgctxt) match: the entry as it is (translation, plural forms, flags, comments, previous
      fields, its line), with the template's ``#.`` (kept as they are where a tool only re-wrapped them) and
      ``#:``; an obsolete match is revived as it was;
    - a new msgid that a fuzzy entry shows as its previous msgid (a change undone): that translation, reviewed;
    - a new msgid close to an old translated one: the old translation, fuzzy, ``#| msgid`` the English it
      translates; the old entry is not kept as obsolete too (one copy of old text, as msgmerge) — unless it was
      obsolete already or has another context (a translator's own entry, say): those stay as they are;
    - old entries with a translation that the template no longer has become obsolete (``#~``), plural entries
      with all their forms; a translator's plural entry whose msgid the template has stays as it is.

    Entries keep the order they have in the file (an editor's sorting survives); a new entry goes after the
    entry that precedes it in the template. Obsolete entries follow, newly obsolete ones last.
    """
    old = [message for message in existing.po.messages if not message.is_header] if existing else []
    by_key = {message.key: message for message in old}
    translated = [m for m in old if m.msgid and m.text and m.msgid_plural is None and entry_state(m) != "machine"]
    translated.sort(key=lambda message: message.obsolete)  # at equal likeness, a current entry's translation
    changes = {(m.previous_msgctxt, m.previous_msgid): m for m in translated if m.fuzzy and m.previous_msgid}
    items = [message for message in template.po.messages if not message.is_header]
    wanted = {item.key for item in items}
    merged: dict[tuple[str | None, str], Message] = {}
    consumed: set[tuple[str | None, str]] = set()
    for item in items:
        source = by_key.get(item.key)
        if source is not None:  # the template's comments, unless the file has them as a tool wrapped them
            extracted = source.extracted if rewrapped(source.extracted, item.extracted) else item.extracted
            merged[item.key] = replace(source, obsolete=False, extracted=extracted, references=item.references)
            continue
        source = changes.get(item.key) or _closest(item.msgid, translated)
        if source is None:
            merged[item.key] = item
            continue
        if not source.obsolete and source.msgctxt == item.msgctxt:  # the entry whose sentence changed
            consumed.add(source.key)
        merged[item.key] = _inherit(item, source, restore=source is changes.get(item.key))
    messages = [poheader.merged_header(template.po, existing.po if existing else None, language, project)]
    messages += _in_file_order(items, merged, [m for m in old if not m.obsolete and m.key in wanted])
    messages += [m for m in old if m.obsolete and m.key not in wanted and m.key not in consumed]
    messages += [
        replace(m, obsolete=True, extracted=(), references=())
        for m in old
        if not m.obsolete and m.key not in wanted and m.key not in consumed and any(m.msgstr)
    ]
    merged_po = PoFile(tuple(messages))
    return existing.successor(merged_po, path) if existing else Catalog(merged_po, path)


def _inherit(item: Message, source: Message, restore: bool) -> Message:
    """The template entry with an old translation: fuzzy, showing the English the translation was made for;
    or, for a change undone (``restore``), the translation as it was reviewed."""
    if restore:
        return replace(
            item, msgstr=source.msgstr, comments=source.comments, flags=with_flag(source.flags, "fuzzy", False)
        )
    # the English the translation was made for: the old msgid, or what that fuzzy entry showed already
    previous = (source.previous_msgctxt, source.previous_msgid) if source.fuzzy else (source.msgctxt, source.msgid)
    return replace(
        item,
        msgstr=source.msgstr,
        comments=tuple(c for c in without_suggestions(source.comments) if not c.startswith(MT_COMMENT)),
        flags=with_flag(source.flags, "fuzzy", True),
        previous_msgctxt=previous[0],
        previous_msgid=previous[1],
    )


def _in_file_order(
    items: list[Message], merged: dict[tuple[str | None, str], Message], in_file: list[Message]
) -> list[Message]:
    """Entries already in the file in the file's order, each new one after its predecessor in the template."""
    present = {message.key for message in in_file}
    front: list[Message] = []
    after: dict[tuple[str | None, str], list[Message]] = {}
    anchor: tuple[str | None, str] | None = None
    for item in items:
        if item.key in present:
            anchor = item.key
        else:
            (after.setdefault(anchor, []) if anchor is not None else front).append(merged[item.key])
    ordered = front
    for message in in_file:
        ordered.append(merged[message.key])
        ordered.extend(after.get(message.key, ()))
    return ordered


def _closest(msgid: str, candidates: Sequence[Message]) -> Message | None:
    """The old entry whose msgid is most similar to ``msgid`` (difflib ratio ≥ FUZZY_SIMILARITY)."""
    best: Message | None = None
    best_ratio = FUZZY_SIMILARITY
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(msgid)
    for candidate in candidates:
        matcher.set_seq1(candidate.msgid)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = candidate, ratio
    return best
