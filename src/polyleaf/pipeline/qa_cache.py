"""QA diagnostics of a catalog, kept between runs by what they depend on, so that a run after a small edit checks
only the catalogs that changed (QA was most of such a run).

A catalog's diagnostics are looked up by the SHA-256 of everything QA reads: the code that runs (``code_salt``:
polyleaf's files and the installed distributions), the check context (languages, do-not-translate and required
terms) and every entry as QA sees it (texts, line, fuzziness, markers). They live in
``build/.cache/qa/<lang>/<catalog>.json`` (plain JSON, signed: only diagnostics this machine found are used, see
``polyleaf.cache`` — a committed "no findings" must not open the release gate), are read by any command that runs
QA while a cache is ``active``, and written only by a run that went through (``commit``). A file that cannot be
read is ignored. Each entry's findings depend on that entry alone (``check_catalog_entries``), so a catalog that
changed keeps the findings of the entries it had when last checked in the same setting (code, file, context): QA
checks the new and changed entries only — after an edit of one sentence, that sentence in each language.

``check`` keeps its answers too (``CheckCache``): each PO file's diagnostics, each language's consistency findings
and each source article's readability findings, in ``build/.cache/check/``, looked up by the SHA-256 of the code,
the settings they read and the exact bytes of the files they were computed from, so that a ``check`` with nothing
changed reads and hashes the files but parses and checks none.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf.cache import Store, content_digest, json_digest
from polyleaf.config.model import Config
from polyleaf.pipeline.run_record import code_salt
from polyleaf.qa.registry import FindingsMemo

if TYPE_CHECKING:
    from polyleaf.qa.model import CheckContext, Diagnostic, EntryView, Severity

#: The most each of the QA and ``check`` caches takes in the build folder (the entries read least recently go first).
#: An entry per catalog (or PO file), replaced as it changes: a library's worth, 268 MB at 512x the seed articles,
#: must fit, or every run of everything checks again what the last one let go (256 MB did not).
CACHE_BYTES = 1024 * 2**20
#: How many catalogs' last answers a run keeps decoded (others are read again from the cache when asked): 512 held
#: 30 MB at 128x; 64 cost a cold run at 32x no measurable time.
KNOWN_ANSWERS = 64


class QaCache:
    """One run's view of the stored diagnostics: ``diagnostics`` answers from memory, then from the file, then by
    checking; ``commit`` writes what was checked anew."""

    def __init__(self, config: Config) -> None:
        self.store = Store(config.build_dir, "qa", max_bytes=CACHE_BYTES)
        #: the last answers by catalog, the most recently asked ``KNOWN_ANSWERS`` (not the library's)
        self._known: OrderedDict[str, tuple[str, list[Diagnostic]]] = OrderedDict()
        #: the findings of each entry checked in this run, by what they depend on (entries recur across catalogs)
        self.memo = FindingsMemo()
        #: the last answer per catalog, by the identity of the entries asked about: a run asks up to four times
        #: (held weakly: a catalog a run let go takes its entries and this answer with it, and is looked up by
        #: digest when it is back)
        self._last: dict[Path, tuple[weakref.ref[object], CheckContext, list[Diagnostic]]] = {}

    def diagnostics(
        self,
        catalog: Path,
        entries: tuple[object, Callable[[], Sequence[EntryView]]],
        context: CheckContext,
        check: Callable[[Sequence[EntryView]], list[Diagnostic]],
    ) -> list[Diagnostic]:
        """The diagnostics of the PO file ``catalog`` (as the project names it) with ``entries`` (an immutable object
        standing for them, and how to make them): ``check`` (each entry's findings on its own, in entry order) of
        the entries whose findings are not known."""
        last = self._last.get(catalog)
        if last is not None and last[0]() is entries[0] and last[1] == context:
            return list(last[2])
        found = self._diagnostics(catalog, entries[1](), context, check)
        self._last[catalog] = (weakref.ref(entries[0], functools.partial(self._forget, catalog)), context, found)
        return list(found)

    def _forget(self, catalog: Path, gone: weakref.ref[object]) -> None:
        """The entries of ``catalog``'s last answer are gone: so is the answer (unless a newer one replaced it)."""
        last = self._last.get(catalog)
        if last is not None and last[0] is gone:
            del self._last[catalog]

    def _diagnostics(
        self,
        catalog: Path,
        entries: Sequence[EntryView],
        context: CheckContext,
        check: Callable[[Sequence[EntryView]], list[Diagnostic]],
    ) -> list[Diagnostic]:
        setting = _setting(catalog, context)
        rows = [_entry_row(entry) for entry in entries]
        digest = json_digest([setting, *([*row, entry.line] for row, entry in zip(rows, entries, strict=True))])
        path = f"{context.target_language}/{catalog.stem}"
        known = self._known.get(path)
        if known is None or known[0] != digest:
            latest = self.store.latest(path)  # checked in this run, or by an earlier one
            known = _stored(latest) if latest is not None and latest.get("sha256") == digest else None
            if known is None:
                views = [(entry, _entry_key(row)) for entry, row in zip(entries, rows, strict=True) if entry.msgid]
                found, counts = _checked(catalog, views, _findings_of_entries(latest, setting), check)
                known = digest, found
                entry_counts = [[key, count] for (_entry, key), count in zip(views, counts, strict=True)]
                fields = {"diagnostics": [_encode(item) for item in found], "setting": setting}
                self.store.stage(path, digest, {**fields, "entries": entry_counts})
        self._known[path] = known
        self._known.move_to_end(path)
        if len(self._known) > KNOWN_ANSWERS:
            self._known.popitem(last=False)
        return list(known[1])

    def commit(self) -> None:
        """Write the diagnostics checked anew (a read-only build folder is no error: the cache only saves time)."""
        self.store.commit()


class CheckCache:
    """What ``check`` found, by the digest of everything it was found from (signed entries, as ``QaCache``): a
    ``check`` answers from it where the digest is the same and ``commit`` keeps what it computed anew."""

    def __init__(self, config: Config) -> None:
        self.store = Store(config.build_dir, "check", max_bytes=CACHE_BYTES)
        #: what ``known`` found, for the ``answer`` that follows (each entry is read and decoded once)
        self._looked_up: dict[str, tuple[str, list[Diagnostic] | None]] = {}

    def answer(self, name: str, inputs: Sequence[Any], compute: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
        """The diagnostics kept as ``name`` when they were computed from ``inputs`` (plain JSON: names, settings,
        digests of bytes) by this code; else ``compute()``, kept for ``commit``."""
        digest = json_digest([code_salt(), name, *inputs])
        known = self._known(name, digest)
        self._looked_up.pop(name, None)
        if known is not None:
            return known
        found = compute()
        self.store.stage(name, digest, {"diagnostics": [_encode(item) for item in found]})
        return found

    def known(self, name: str, inputs: Sequence[Any]) -> list[Diagnostic] | None:
        """The diagnostics kept as ``name`` for ``inputs`` by this code, or None (``answer`` would compute them)."""
        digest = json_digest([code_salt(), name, *inputs])
        known = self._looked_up[name] = (digest, self._known(name, digest))
        return known[1]

    def _known(self, name: str, digest: str) -> list[Diagnostic] | None:
        looked_up = self._looked_up.get(name)
        if looked_up is not None and looked_up[0] == digest:
            return looked_up[1]
        known = _stored(self.store.lookup(name, digest))
        return None if known is None else known[1]

    def commit(self) -> None:
        """Write what was computed anew (a build folder that cannot be written is no error: it only saves time)."""
        self.store.commit()


def bytes_digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as ``CheckCache`` inputs name them."""
    return content_digest(data)


#: The cache QA consults in this context (a run sets it for its duration; other commands read through one).
ACTIVE: ContextVar[QaCache | None] = ContextVar("polyleaf_qa_cache", default=None)


@contextlib.contextmanager
def active(cache: QaCache) -> Iterator[QaCache]:
    """Let every QA call of this block use ``cache``."""
    token = ACTIVE.set(cache)
    try:
        yield cache
    finally:
        ACTIVE.reset(token)


def _setting(catalog: Path, context: CheckContext) -> str:
    """What a catalog's findings depend on besides its entries: the code, the file, the check context."""
    return json_digest(
        [
            code_salt(),
            catalog.as_posix(),
            context.source_language,
            context.target_language,
            list(context.dnt_terms),
            sorted(context.required_terms.items()),
            list(context.lost_placeholders),
            context.plain_text,
        ]
    )


def _entry_row(entry: EntryView) -> list[Any]:
    """What an entry's findings depend on (``check_entry``), its line aside."""
    return [entry.msgid, entry.msgstr, entry.fuzzy, sorted(entry.markers), list(entry.lost_placeholders)]


def _entry_key(row: list[Any]) -> str:
    return json_digest(row)[:32]


#: An entry's findings as a cache entry keeps them: severity, check, message, waived.
_Found = tuple["Severity", str, str, bool]


def _checked(
    catalog: Path,
    views: Sequence[tuple[EntryView, str]],
    before: dict[str, list[_Found]],
    check: Callable[[Sequence[EntryView]], list[Diagnostic]],
) -> tuple[list[Diagnostic], list[int]]:
    """The diagnostics of the entries ``views`` (each with its key, ``_entry_key``) in entry order, and how many
    each entry has: ``check`` of each entry ``before`` does not know, the findings it holds for the others (the
    same texts, markers and setting: ``check`` finds each entry's findings on its own, ``check_catalog_entries``)."""
    from polyleaf.qa.model import Diagnostic

    found: list[Diagnostic] = []
    counts = []
    for view, key in views:
        known = before.get(key)
        if known is None:
            made = check([view])
        else:
            made = [
                Diagnostic(catalog, view.line, sev, name, text, view.msgid, waived) for sev, name, text, waived in known
            ]
        found += made
        counts.append(len(made))
    return found, counts


def _findings_of_entries(stored: dict[str, Any] | None, setting: str) -> dict[str, list[_Found]]:
    """Each entry's findings as a cache entry of the catalog holds them (by ``_entry_key``), when they were found
    in ``setting``; none for anything else."""
    if stored is None or stored.get("setting") != setting:
        return {}
    try:
        rows = [_decode(row, {}) for row in stored["diagnostics"]]
        found: dict[str, list[_Found]] = {}
        at = 0
        for key, count in stored["entries"]:
            if not isinstance(count, int) or count < 0 or at + count > len(rows):
                return {}
            found[str(key)] = [(d.severity, d.check, d.message, d.waived) for d in rows[at : at + count]]
            at += count
    except (ValueError, KeyError, TypeError, IndexError):
        return {}
    return found if at == len(rows) else {}


def _stored(stored: Any) -> tuple[str, list[Diagnostic]] | None:
    """The digest and diagnostics of a cache entry; None for anything that is not one."""
    try:
        paths: dict[str, Path] = {}
        return str(stored["sha256"]), [_decode(item, paths) for item in stored["diagnostics"]]
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _encode(item: Diagnostic) -> list[Any]:
    return [item.path.as_posix(), item.line, item.severity, item.check, item.message, item.msgid, item.waived]


def _decode(row: list[Any], paths: dict[str, Path]) -> Diagnostic:
    """A diagnostic from its row; ``paths`` makes one ``Path`` per file."""
    from polyleaf.qa.model import Diagnostic

    path, line, severity, check, message, msgid, waived = row
    if severity not in ("error", "warning", "info") or not isinstance(line, int) or not isinstance(waived, bool):
        raise ValueError("not a diagnostic")
    where = paths.get(path) or paths.setdefault(path, Path(path))
    return Diagnostic(where, line, severity, str(check), str(message), str(msgid), waived)
