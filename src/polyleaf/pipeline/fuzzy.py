"""The fuzzy-memory step of ``translate``: every unreviewed entry gets the best suggestion from the reviewed
sentences of its language (``fuzzy_memory``), written as translator comments (``tmcomments``); a reviewed entry
that still carries one has it replaced by the provenance line when its translator took it.

Memory is what exact translation memory uses: the reviewed entries of every catalog of the language, their
obsolete entries, and the catalogs of renamed or deleted articles (orphans). The old translation of a changed
entry is not memory: nothing says it was reviewed (a machine translation of the old English looks the same).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain

from polyleaf.catalog.fuzzy_memory import FuzzyIndex, Reviewed, Suggestion, suggestions
from polyleaf.catalog.model import EntryState
from polyleaf.catalog.notes import split_notes
from polyleaf.catalog.tmcomments import memory_lines, reviewed_provenance, suggestion_lines, without_memory
from polyleaf.config.model import Config
from polyleaf.glossary import Glossary
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.po.pocomments import rewrapped


def memory_of(catalogs: Catalogs, language: str, orphans: Catalogs | None = None) -> Iterator[Reviewed]:
    """The reviewed translations of ``language``: current entries first, then obsolete ones, then orphans'."""
    others = orphans or Catalogs()
    for name, cat in chain(catalogs.of_language(language), others.of_language(language)):
        for entry in cat.entries():
            if entry.state == "reviewed" and not entry.plural:
                yield Reviewed(entry.msgid, entry.msgstr, name)
    for name, cat in chain(catalogs.of_language(language), others.of_language(language)):
        for msgid, text in cat.memory().items():
            yield Reviewed(msgid, text, name)


def suggest_from_memory(
    config: Config, catalogs: Catalogs, language: str, glossary: Glossary, orphans: Catalogs | None = None
) -> int:
    """Write the best memory suggestion into every unreviewed entry of ``language`` (and take stale ones out); how
    many entries carry one."""
    from polyleaf.qa.model import CheckContext

    least = config.tm.min_similarity
    index = FuzzyIndex(memory_of(catalogs, language, orphans))
    unreviewed = [
        entry.msgid
        for _name, cat in catalogs.of_language(language)
        for entry in cat.entries()
        if entry.state != "reviewed" and not entry.plural
    ]
    context = CheckContext(config.source_language, language, glossary.dnt_terms, glossary.required_for(language))
    offered = suggestions(unreviewed, index, least, context) if len(index) else {}
    for _name, cat in catalogs.of_language(language):
        changes = {}
        for entry in cat.entries():
            comments = _comments(entry, offered.get(entry.msgid), least)
            if comments is not None and comments != entry.comments:
                changes[entry.msgctxt, entry.msgid] = comments
        cat.set_comments(changes)
    return sum(1 for msgid in unreviewed if msgid in offered)


def _comments(entry: EntryState, suggestion: Suggestion | None, least: float) -> Sequence[str] | None:
    """The translator comments ``entry`` should have (None: as they are)."""
    if entry.plural:
        return None
    if entry.state == "reviewed":
        return reviewed_provenance(entry, least)
    wanted = suggestion_lines(entry.msgid, suggestion) if suggestion is not None else ()
    if rewrapped(memory_lines(entry.comments), wanted):
        return None  # the same suggestion, as it is (an editor may have wrapped it)
    others, notes = split_notes(without_memory(entry.comments))
    return (*others, *wanted, *notes)
