"""A run with nothing to do, answered from the record of the last run (``build/.cache/run.json``).

Every stage is idempotent: a run over the state a run left writes nothing. So a run that went through (no error,
every PDF rendered, nothing left that machine translation could still fill) records that state — every file it
reads or writes (sources and their images, PO files and templates, the glossary, the configuration file and the
logo and font files it names, the outputs in the build folder, the git commit and index that date leaflets; files
reached through symbolic links inside the project too, under the link's name, as the run reads them), the fonts
its PDFs are set in (fontconfig's files for the families the leaflets name, and the folders and configuration
fontconfig reads: a font installed since is a change), the request (steps, languages, documents, formats), the
configuration as loaded, the day, and polyleaf's code and installed packages — as one digest, with its report.
The next run computes the digest first; when nothing differs, it reports what the last one did, minus what it wrote
(a no-change re-run at 32 × this repository's articles: 7 s → 0.13 s). Anything else — one byte of a PO file, a
touched source, a deleted leaflet, a new day, another polyleaf, a newly installed font — and the run does all its
work.

Files are compared as git compares its index: inode, size, modification and change times, and their content when
they changed less than ``RACY_NS`` before the record was made (a change within one tick of the file system's clock
keeps the times). A run looks at the project once before it reads anything: ``replay`` compares that look with
the record, ``begin`` keeps it as what the run starts from, and ``save`` looks again after the run at what the run
wrote, the folders and the files added or removed; it records every other file as the run found it, so a file saved
meanwhile by anyone but the run is a difference the next run finds, and does its work for (the first look stats
every file: at 512 × this repository's articles, 24,000 files, about 0.3 CPU-seconds). The change time is set
by the kernel, and the record is signed with this machine's key
(``polyleaf.cache``), so a record from elsewhere (a content repository that ships a ``build/`` folder) is never
replayed. Languages that machine translation skipped (no model installed) are asked again: a model installed since
is a change. The record is plain JSON, written atomically, last.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from polyleaf import __version__, clock
from polyleaf.cache import Store
from polyleaf.config.model import Config
from polyleaf.pipeline.looks import Look, Seen, git_files, kind, look_at, read_digest, tree

#: The record is the entry ``run`` at the top of the cache: ``build/.cache/run.json``.
ENTRY = "run"
#: Each file's state as the last run left it (a digest of ``Seen.state``), beside the record: ``changes`` compares.
FILES_ENTRY = "run-files"
#: Files changed this recently before a record are compared by content too (see the module's docstring).
RACY_NS = 2_000_000_000
_LISTS = ("notes", "warnings", "errors", "withheld", "published", "qa_errors")


@dataclass(frozen=True, slots=True)
class Changes:
    """The files whose state differs from the last run's record (``RunRecord.changes``), and what named it."""

    since: int
    paths: frozenset[Path]
    kept: frozenset[Path]  # those of ``paths`` that were there and still are (changed, not added or removed)


@dataclass(frozen=True, slots=True)
class Replay:
    """What the recorded run reported (``written`` aside): lists of lines, and per language the entries filled
    (always none again: a run with nothing to do fills nothing) and why machine translation skipped it."""

    lists: dict[str, list[str]]
    filled: tuple[str, ...]  # the languages of ``filled_from_tm``
    translated: tuple[str, ...]  # the languages of ``filled_from_mt``
    skipped: dict[str, str]
    suggested: dict[str, int]  # ``suggested_from_tm``: entries that carry a memory suggestion (a state: the same again)


class RunRecord:
    """The record of one project's last run for one request: ``replay`` before a run, ``save`` after it."""

    def __init__(self, config: Config, request: object, *, pdfs: bool = False) -> None:
        """``pdfs``: the run prints PDFs, so the fonts fontconfig finds are among its inputs."""
        self.config = config
        self.pdfs = pdfs
        self.store = Store(config.build_dir, "")
        self.request = repr(request)
        self._since = 0
        self._look: Look | None = None  # ``replay``'s look, which ``begin`` takes as the run's start
        self._before: dict[str, bytes] | None = None
        self._now: dict[str, bytes] | None = None  # the states ``replay`` compared
        self._shorts: dict[bytes, str] = {}  # ``_short`` of states

    def replay(self, still_skipped: Callable[[Sequence[str]], bool]) -> Replay | None:
        """The recorded report when the project is exactly as the last run left it (and ``still_skipped`` says the
        languages machine translation skipped are still out of its reach), else None."""
        stored = self.store.load(ENTRY)
        try:
            report = stored["report"]
            replay = Replay(
                lists={name: [str(line) for line in report[name]] for name in _LISTS},
                filled=tuple(str(language) for language in report["filled"]),
                translated=tuple(str(language) for language in report["translated"]),
                skipped={str(language): str(reason) for language, reason in report["skipped"].items()},
                suggested={str(language): int(count) for language, count in report["suggested"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if self._matching(stored, "digest") is None:
            return None
        return replay if not replay.skipped or still_skipped(list(replay.skipped)) else None

    def left_as_is(self) -> int | None:
        """What names the last run's record (its ``since``) when the project is exactly as that run left it, on
        any day and whatever machine translation skipped; else None. What that run kept beside the record
        (``pipeline.library``: the catalogs' counts and readiness, which no date changes) then describes the
        project as it is."""
        return self._matching(self.store.load(ENTRY), "any_day")

    def _matching(self, stored: Any, key: str) -> int | None:
        """``since`` when the digest ``stored[key]`` is that of the project now, else None."""
        try:
            since, digest = int(stored["since"]), str(stored[key])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        self._look = self._looked()
        self._now = self._look.states(since)
        return since if digest == self._digest(_states_digest(self._now), day=key == "digest") else None

    def changes(self) -> Changes | None:
        """After a ``replay`` that found changes: which files differ from the last run's record (their paths), when
        nothing else did (the code, the request, the configuration, the day) and that run left nothing to do
        (no language skipped); else None."""
        stored, files = self.store.load(ENTRY), self.store.load(FILES_ENTRY)
        if self._now is None or not isinstance(stored, dict) or not isinstance(files, dict):
            return None
        if self._before is None:
            return None
        recorded = files.get("states")
        if files.get("since") != stored.get("since") or files.get("context") != self._context():
            return None
        report = stored.get("report")
        if not isinstance(recorded, dict) or not isinstance(report, dict) or report.get("skipped"):
            return None
        now = {path: self._short(state) for path, state in self._now.items()}
        changed = {path for path in now.keys() | recorded.keys() if now.get(path) != recorded.get(path)}
        kept = {path for path in changed if path in now and path in recorded}
        return Changes(int(stored["since"]), frozenset(map(Path, changed)), frozenset(map(Path, kept)))

    def begin(self) -> None:
        """Note the project's state before the run reads anything (``save`` compares): ``replay``'s look when it
        took one (one look: a file saved after it is a difference the next run finds), else a look now."""
        look, self._look = self._look or self._looked(), None
        self._since = look.started - RACY_NS
        self._before = look.states(self._since)

    def save(self, replay: Replay, written: Iterable[Path], left: Mapping[Path, str]) -> None:
        """Record the project's state as this run left it (call it last): what ``begin`` found, but for what the
        run changed (``written``: files, or folders the run replaced whole; outputs it removed; its MT journal),
        looked at again (``_looked_after``). A file anyone else saved meanwhile — a translator's PO file, say,
        which the run kept and did not check or build from — is recorded as the run found it, so the next run
        finds the difference and does the work. No record when something besides the run's own writes was added,
        removed or became another kind of file (a PO file that became a folder), or when a file the run wrote and
        reads again (``left``: each one's SHA-256 as written) holds anything else: saved after the run's write. A
        build folder that cannot be written is no error: the record only saves time."""
        if self._before is None:
            return
        names = {str(path) for path in written}
        look = self._looked_after(self._before, {*names, *map(str, left)})
        after = {**{path: self._before[path] for path in look.kept}, **look.states(self._since)}
        if not self._only_ours(self._before, after, names):
            return
        if any(read_digest(look.seen.get(str(path))) != digest for path, digest in left.items()):
            return
        report = {
            **replay.lists,
            "filled": list(replay.filled),
            "translated": list(replay.translated),
            "skipped": replay.skipped,
            "suggested": replay.suggested,
        }
        states = {path: self._short(state) for path, state in after.items()}
        self.store.save(FILES_ENTRY, {"since": self._since, "context": self._context(), "states": states})
        files = _states_digest(after)
        digests = {"digest": self._digest(files), "any_day": self._digest(files, day=False)}
        self.store.save(ENTRY, {"since": self._since, **digests, "report": report})

    @property
    def since(self) -> int:
        """What names this run's record (``begin``): what the caches it leaves for the next run's ``changes`` say."""
        return self._since

    def _only_ours(self, before: dict[str, bytes], after: dict[str, bytes], written: set[str]) -> bool:
        """Whether every difference between the states is the run's own doing. A folder's own times change with its
        entries, which are compared themselves — but one the run writes nothing in (the sources') had an entry come
        and go: a source the run may have read and built."""
        build = f"{self.config.build_dir}{os.sep}"
        journal = str(self.config.locales_dir / ".journal")
        replaced = tuple(f"{folder}{os.sep}" for folder in written)
        ours = (f"{self.config.locales_dir}{os.sep}", build)
        for path in before.keys() | after.keys():
            if before.get(path) == after.get(path) or path in written or path.startswith(replaced):
                continue
            if os.path.isdir(path) and kind(before.get(path)) in ([], kind(after.get(path))):
                if f"{path}{os.sep}".startswith(ours):
                    continue
                return False
            if path == journal or path.startswith(journal + os.sep) or (path not in after and path.startswith(build)):
                continue
            return False
        return True

    def _looked(self) -> Look:
        """A look at every file the run reads or writes: the folders and files of the project, and git's."""
        started = time.time_ns()
        paths, _folders = self._paths()
        readable = self._readable
        seen = {path: look_at(path, readable) for path in paths}
        if self.pdfs:
            seen.update(self._fonts())
        return Look(started, seen)

    def _looked_after(self, before: Mapping[str, bytes], written: set[str]) -> Look:
        """``save``'s look: the files ``before`` holds are taken as ``begin`` found them (``Look.kept``), but for
        those the run wrote (``written``, and what lies in a folder there), folders (their times change with their
        entries) and the MT journal, which are looked at again with every file added since. Every file is listed:
        one removed is gone from the look. At 512 × this repository's articles, 24,000 files, this is what
        spares the second look's ``lstat`` of each."""
        started = time.time_ns()
        paths, folders = self._paths()
        journal, readable = str(self.config.locales_dir / ".journal"), self._readable
        again = (journal + os.sep, *(f"{path}{os.sep}" for path in written if path in folders))
        seen, kept = {}, []
        for path in paths:
            if path not in before or path in written or path in folders or path == journal or path.startswith(again):
                seen[path] = look_at(path, readable)
            else:
                kept.append(path)
        if self.pdfs:
            seen.update(self._fonts())
        return Look(started, seen, tuple(kept))

    @property
    def _readable(self) -> tuple[Path, ...]:
        """The folders the run reads: a symbolic link into one is looked through (``tree``)."""
        return (self.config.root.resolve(), *(path for _key, path in self.config.outside))

    def _paths(self) -> tuple[list[str], set[str]]:
        """Every file and folder a look looks at (``_looked``), and which of them are folders below the project's."""
        config = self.config
        cache_folder = config.build_dir / ".cache"
        folders = (config.source_dir, config.locales_dir, config.build_dir)
        fonts = (config.root / entry for entry in config.leaflet.fonts)  # font files (family names: no such file)
        files = (config.config_file, config.disclaimer, config.glossary, *_optional(config.leaflet.logo), *fonts)
        found, walked = tree(folders, cache_folder, self._readable)
        return [*found, *map(str, (*files, *git_files(config.root)))], walked

    def _fonts(self) -> dict[str, Seen]:
        """The fonts the run's PDFs are set in, as fontconfig finds them now (see the module's docstring)."""
        from polyleaf.render.fontconfig import fontconfig_answer
        from polyleaf.render.fonts import families_of, is_font_file

        config = self.config
        named = [entry for entry in config.leaflet.fonts if not is_font_file(entry)]
        answer, inputs = fontconfig_answer(families_of((config.source_language, *config.languages), named))
        paths = {*(path for files in answer.values() for path in files), *inputs}
        seen = {path: look_at(path, ()) for path in paths}
        return {**seen, "\0fontconfig": Seen(repr(sorted(answer.items())))}

    def _context(self) -> str:
        """What the record holds besides the files: the code, the request, the configuration, the day."""
        return self._digest(_states_digest({}))

    def _digest(self, files: str, *, day: bool = True) -> str:
        """The digest of a record: what it holds besides the files, and ``files`` (``_states_digest``)."""
        digest = hashlib.sha256()
        for part in (
            code_salt(),
            self.request,
            repr(self.config),
            clock.now().date().isoformat() if day else "",
            files,
        ):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return digest.hexdigest()

    def _short(self, state: bytes) -> str:
        """``_short`` of a state, made once a run: ``changes`` and ``save`` both make one of every file's."""
        short = self._shorts.get(state)
        if short is None:
            short = self._shorts[state] = _short(state)
        return short


def _states_digest(states: Mapping[str, bytes]) -> str:
    """The digest of every file's state."""
    digest = hashlib.sha256()
    for path in sorted(states):
        digest.update(states[path] + b"\0")
    return digest.hexdigest()


def _short(state: bytes) -> str:
    return hashlib.sha256(state).hexdigest()[:24]


def _optional(path: Path | None) -> tuple[Path, ...]:
    return (path,) if path is not None else ()


@cache
def code_salt() -> str:
    """What names the code that runs: Python, polyleaf's files (each file's size and time: an edited module is
    another polyleaf) and the installed distributions (their ``*.dist-info`` names carry their versions)."""
    package = Path(__file__).resolve().parents[1]
    parts = [sys.version, __version__]
    for root, dirs, names in os.walk(package):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(names):
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(root, name))
                parts.append(f"{os.path.join(root, name)} {info.st_size} {info.st_mtime_ns}")
    for entry in sys.path:
        with contextlib.suppress(OSError):
            parts += sorted(name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info")))
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
