"""What a ``run`` over everything leaves for the next one, so that a run after an edit of some articles does the work
of those articles alone (``pipeline.incremental``): per language, what the pages and the dashboard show of every
document — its link on the language index, the QA error lines of its reviewed entries, its dashboard row and what
its release verdict holds against the shared catalogs, what its catalog gives translation memory
(``pipeline.memory``), how many of its entries carry a memory suggestion and which of them are changed entries —
the characters and faces of every web page and the font subsets they link; per document, the warnings its source
gives.

It is kept in ``build/.cache/library/`` (signed, plain JSON: ``polyleaf.cache``), named by the run record it was
left with (``RunRecord.since``), and used only with that record: a run of some languages or documents, another
command, or a run that did not go through leaves a record the library does not name. The record's name and the
digest of each language's entry are in ``documents``, written last, so a language's entry the run left as it was
(an edit that changes none of what the pages show of its article) is neither encoded nor written again: at 128× the
seed articles, they are 2.7 MB.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf.cache import Store, content_digest, encoded, signed_json
from polyleaf.catalog.model import CatalogStats
from polyleaf.config.model import Config
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.memory import Held, held
from polyleaf.pipeline.readiness import Blocker, StatusRow
from polyleaf.pipeline.web_fonts import Counts

if TYPE_CHECKING:
    from polyleaf.qa.model import Diagnostic
    from polyleaf.qa.readability import ProseMeasure
    from polyleaf.render.meta import LeafletLink

_DOCUMENTS = "documents"
#: What ``Library._set`` is given for a document that has nothing in a part.
_GONE = object()


class Library:
    """The library as one run leaves it: filled while the run goes (``record_*``), saved at its end (``save``)."""

    def __init__(self, config: Config, languages: Iterable[str]) -> None:
        self.store = Store(config.build_dir, "library")
        self.warnings: dict[str, list[str]] = {}  # document → the warnings its source gives
        self.measured: dict[str, list[Any]] = {}  # document → its prose measure (words of each sentence, syllables)
        #: the build warned of a leaflet's images or PDF (the library does not keep those warnings: the next run
        #: does everything, so that it warns again)
        self.noisy = False
        self.languages: dict[str, dict[str, Any]] = {language: _empty() for language in languages}
        self.held: dict[str, dict[str, Held]] = {language: {} for language in languages}  # ``memory``, read
        #: the digest of each language's entry as the library was loaded, while the run leaves the entry as it was
        self._kept: dict[str, str] = {}
        #: by language: the index of each blocker in its entry's table (``_blocker_index``)
        self._blocker_indexes: dict[str, dict[tuple[str, str, str], int]] = {}

    @classmethod
    def load(cls, config: Config, since: int, *, warned: bool = False) -> Library | None:
        """The library the run named ``since`` left, if it is whole — and, unless ``warned`` (for what does not give
        the build's warnings again, as ``status``), if that run's build warned of no leaflet."""
        library = cls(config, config.languages)
        stored = library.store.load(_DOCUMENTS)
        if not isinstance(stored, dict) or stored.get("since") != since:
            return None
        if not isinstance(stored.get("warnings"), dict) or not isinstance(stored.get("measured"), dict):
            return None
        noisy = stored.get("noisy")
        if not isinstance(noisy, bool) or (noisy and not warned):  # the leaflets' warnings are not kept
            return None
        digests = stored.get("languages")
        if not isinstance(digests, dict) or set(digests) != set(config.languages):
            return None
        library.warnings, library.measured = stored["warnings"], stored["measured"]
        for language in config.languages:
            payload = library.store.load_bytes(f"language/{language}")
            if payload is None or content_digest(payload) != digests[language]:
                return None  # not the entry that run left
            try:
                entry = signed_json(payload)
            except ValueError:
                return None
            if not isinstance(entry, dict) or set(entry) != set(_empty()) or not _blockers_named(entry):
                return None
            library.languages[language] = entry
            try:
                library.held[language] = {
                    name: Held.from_json(name, stored) for name, stored in entry["memory"].items()
                }
            except (ValueError, TypeError, KeyError, AttributeError):
                return None
            library._kept[language] = digests[language]
        return library

    def save(self, since: int) -> None:
        """Keep the library, named by the run record ``since`` (call it only for a run over everything that went
        through): the entries of the languages the run changed, then ``documents``, which names them."""
        digests = {}
        for language, entry in self.languages.items():
            digest = self._kept.get(language)
            if digest is None:
                payload = encoded(entry)
                self.store.save_bytes(f"language/{language}", payload)
                digest = content_digest(payload)
            digests[language] = digest
        documents = {"since": since, "warnings": self.warnings, "measured": self.measured, "noisy": self.noisy}
        self.store.save(_DOCUMENTS, {**documents, "languages": digests})

    # ----------------------------------------------------------------------------------------- what runs record

    def record_warnings(self, warnings: Mapping[str, list[str]]) -> None:
        self.warnings.update(warnings)

    def record_measures(self, measures: Mapping[Path, ProseMeasure]) -> None:
        self.measured.update({path.stem: [list(m.sentence_words), m.syllables] for path, m in measures.items()})

    def measures(self) -> dict[str, ProseMeasure]:
        from polyleaf.qa.readability import ProseMeasure

        return {name: ProseMeasure(tuple(words), syllables) for name, (words, syllables) in self.measured.items()}

    def record_memory(self, language: str, catalogs: Catalogs) -> None:
        """What ``catalogs`` of ``language`` give translation memory, and their changed entries (which a machine
        translation of the same English gets as a suggestion: ``Catalog.suggest``)."""
        for name, cat in catalogs.of_language(language):
            part = held(name, cat)
            changed = [e.msgid for e in cat.entries() if e.state == "changed" and not e.plural]
            for key, value in (("memory", part.to_json(name) if part else None), ("changed", changed)):
                self._set(language, key, name, value or _GONE)
            self.held[language][name] = part

    def record_suggested(self, language: str, counts: Mapping[str, int]) -> None:
        """How many entries of each catalog carry a memory suggestion (``fuzzy.suggest_from_memory``)."""
        for name, count in counts.items():
            self._set(language, "suggested", name, count or _GONE)

    def record_links(self, language: str, links: Mapping[str, LeafletLink | None]) -> None:
        for name, link in links.items():
            self._set(language, "links", name, None if link is None else _plain(link))

    def record_qa_errors(self, language: str, lines: Mapping[str, list[str]]) -> None:
        for name, found in lines.items():
            self._set(language, "qa_errors", name, list(found))

    def record_pages(self, counts: Mapping[str, Counts], subsets: Mapping[str, list[str]]) -> None:
        """What the web pages of each language are made of (``web_fonts.Counts``) and the font subsets they link."""
        for language, counted in counts.items():
            if language in self.languages:
                entry = self.languages[language]
                for key, value in (("pages", list(counted)), ("subsets", list(subsets[language]))):
                    if entry[key] != value:
                        entry[key] = value
                        self._kept.pop(language, None)

    def record_rows(
        self,
        rows: Sequence[StatusRow],
        against: Mapping[tuple[str, str], Sequence[Blocker]],
        only: Collection[str] | None = None,
    ) -> None:
        """The dashboard's rows (the documents', the shared catalogs' and the orphans': ``polyleaf status`` answers
        from them while the project is as the run left it), and what each document's verdict holds against the
        shared catalogs; ``only`` those of these documents (a run of some documents: the others' are the library's
        own, not encoded again)."""
        for row in rows:
            if row.language in self.languages and (only is None or row.document in only):
                self._set(row.language, "rows", row.document, _row_json(row))
        for (language, name), blockers in against.items():
            if language in self.languages and (only is None or name in only):
                self._set(language, "against", name, [self._blocker_index(language, b) for b in blockers])

    def _blocker_index(self, language: str, blocker: Blocker) -> int:
        """Where ``blocker`` is in the table of ``language``'s entry, added when it is new: every document's verdict
        holds the same few against the shared catalogs ("disclaimer not reviewed"), kept once, not 1,024 times."""
        table = self.languages[language]["blockers"]
        indexes = self._blocker_indexes.get(language)
        if indexes is None:
            indexes = self._blocker_indexes[language] = {(c, s, r): i for i, (c, s, r) in enumerate(table)}
        key = (blocker.catalog, blocker.summary, blocker.reason)
        index = indexes.get(key)
        if index is None:
            index = indexes[key] = len(table)
            table.append(list(key))
            self._kept.pop(language, None)
        return index

    def _set(self, language: str, key: str, name: str, value: Any) -> None:
        """Give document ``name`` ``value`` (plain JSON; ``_GONE``: none) in ``language``'s part ``key``; a change
        makes the entry one ``save`` writes."""
        part = self.languages[language][key]
        if value is _GONE:
            if name in part:
                del part[name]
                self._kept.pop(language, None)
        elif name not in part or part[name] != value:
            part[name] = value
            self._kept.pop(language, None)

    # ----------------------------------------------------------------------------------------- what runs read

    def memory(self, language: str) -> dict[str, Held]:
        """What each catalog of ``language`` gives translation memory (those that give something)."""
        return {name: part for name, part in self.held[language].items() if part}

    def suggested(self, language: str) -> int:
        return sum(self.languages[language]["suggested"].values())

    def changed(self, language: str, besides: Iterable[str]) -> set[str]:
        """The msgids of the changed entries of the catalogs of ``language`` not named in ``besides``."""
        left = set(besides)
        changed = self.languages[language]["changed"]
        return {msgid for name, msgids in changed.items() if name not in left for msgid in msgids}

    def links(self, language: str) -> dict[str, LeafletLink | None]:
        from polyleaf.render.meta import LeafletLink

        stored = self.languages[language]["links"]
        return {name: None if fields is None else LeafletLink(**_tuples(fields)) for name, fields in stored.items()}

    def qa_errors(self, language: str) -> dict[str, list[str]]:
        return dict(self.languages[language]["qa_errors"])

    def pages(self, language: str) -> tuple[Counts, list[str]]:
        entry = self.languages[language]
        chars, faces = entry["pages"] or ({}, {})
        return (dict(chars), dict(faces)), list(entry["subsets"])

    def rows(self) -> dict[tuple[str, str], StatusRow]:
        paths: dict[str, Path] = {}  # each PO file's path made once: its errors share it
        return {
            (language, name): _row(fields, paths)
            for language, entry in self.languages.items()
            for name, fields in entry["rows"].items()
        }

    def against(self) -> dict[tuple[str, str], tuple[Blocker, ...]]:
        found = {}
        for language, entry in self.languages.items():
            table = [Blocker(*fields) for fields in entry["blockers"]]
            for name, indexes in entry["against"].items():
                found[language, name] = tuple(table[index] for index in indexes)
        return found


def _empty() -> dict[str, Any]:
    return {
        "memory": {},
        "suggested": {},
        "changed": {},
        "links": {},
        "qa_errors": {},
        "pages": [],
        "subsets": [],
        "rows": {},
        "against": {},  # by document: indexes in "blockers"
        "blockers": [],
    }


def _blockers_named(entry: Mapping[str, Any]) -> bool:
    """Whether every document's blockers are in the entry's table (``Library._blocker_index``)."""
    table, against = entry["blockers"], entry["against"]
    if not isinstance(table, list) or not all(isinstance(fields, list) and len(fields) == 3 for fields in table):
        return False
    if not isinstance(against, dict):
        return False
    return all(
        isinstance(indexes, list) and all(type(index) is int and 0 <= index < len(table) for index in indexes)
        for indexes in against.values()
    )


def _plain(link: LeafletLink) -> dict[str, Any]:
    """The link as plain JSON (a tuple as a list: as it is read back)."""
    fields = ((field.name, getattr(link, field.name)) for field in dataclasses.fields(link))
    return {name: list(value) if isinstance(value, tuple) else value for name, value in fields}


def _tuples(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in fields.items()}


def _row_json(row: StatusRow) -> dict[str, Any]:
    return {
        "language": row.language,
        "document": row.document,
        "stats": dataclasses.asdict(row.stats),
        "qa_errors": row.qa_errors,
        "blocker": row.blocker,
        "summary": row.summary,
        "waived": row.waived,
        "errors": [
            [error.path.as_posix(), error.line, error.severity, error.check, error.message, error.msgid, error.waived]
            for error in row.errors
        ],
        "reviewed_by_source": dict(row.reviewed_by_source),
    }


def _row(fields: Mapping[str, Any], paths: dict[str, Path]) -> StatusRow:
    from polyleaf.qa.model import Diagnostic

    errors: tuple[Diagnostic, ...] = tuple(
        Diagnostic(paths.get(path) or paths.setdefault(path, Path(path)), *rest) for path, *rest in fields["errors"]
    )
    return StatusRow(
        fields["language"],
        fields["document"],
        CatalogStats(**fields["stats"]),
        fields["qa_errors"],
        fields["blocker"],
        fields["summary"],
        fields["waived"],
        errors,
        dict(fields["reviewed_by_source"]),
    )
