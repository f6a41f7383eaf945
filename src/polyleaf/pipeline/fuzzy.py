"""The fuzzy-memory step of ``translate``: every unreviewed entry gets the best suggestion from the reviewed
sentences of its language (``fuzzy_memory``), written as translator comments (``tmcomments``); a reviewed entry
that still carries one has it replaced by the provenance line when its translator took it.

Memory is what exact translation memory uses (``pipeline.memory``): the reviewed entries of every catalog of the
language, their obsolete entries, and the catalogs of renamed or deleted articles (orphans). The old translation of
a changed entry is not memory: nothing says it was reviewed (a machine translation of the old English looks the
same).
"""

from __future__ import annotations

from collections.abc import Sequence

from polyleaf.catalog.fuzzy_memory import FuzzyIndex, Suggestion, suggestions
from polyleaf.catalog.model import EntryState
from polyleaf.catalog.notes import split_notes
from polyleaf.catalog.tmcomments import memory_lines, reviewed_provenance, suggestion_lines, without_memory
from polyleaf.config.model import Config
from polyleaf.glossary import Glossary
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.memory import LanguageMemory
from polyleaf.po.pocomments import rewrapped


def suggest_from_memory(
    config: Config, catalogs: Catalogs, language: str, glossary: Glossary, memory: LanguageMemory
) -> dict[str, int]:
    """Write the best suggestion from ``memory`` into every unreviewed entry of ``language``'s ``catalogs`` (and take
    stale ones out); how many entries carry one, by catalog."""
    from polyleaf.qa.model import CheckContext

    least = config.tm.min_similarity
    index = FuzzyIndex(memory.reviewed())
    unreviewed = {
        name: [entry.msgid for entry in cat.entries() if entry.state != "reviewed" and not entry.plural]
        for name, cat in catalogs.of_language(language)
    }
    context = CheckContext(config.source_language, language, glossary.dnt_terms, glossary.required_for(language))
    everything = [msgid for msgids in unreviewed.values() for msgid in msgids]
    offered = suggestions(everything, index, least, context) if len(index) else {}
    for _name, cat in catalogs.of_language(language):
        changes = {}
        for entry in cat.entries():
            comments = _comments(entry, offered.get(entry.msgid), least)
            if comments is not None and comments != entry.comments:
                changes[entry.msgctxt, entry.msgid] = comments
        cat.set_comments(changes)
    return {name: sum(1 for msgid in msgids if msgid in offered) for name, msgids in unreviewed.items()}


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
