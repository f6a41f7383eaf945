"""The update stage and the catalogs every later stage works on: PO files read strictly, merged with templates.

``Catalogs`` holds one catalog per (language, catalog name) — the documents', the disclaimer's and the interface's —
so that stages look catalogs up by what they are instead of passing bare dictionaries around.

A library has thousands of catalogs; a stage works on one language at a time. So ``Catalogs`` keeps at most
``RESIDENT_CATALOGS`` of them parsed, or one language's when a language has more: beyond that, the least recently
used one that is still exactly the file it was read from or last saved as, and that no one holds, is let go
(parked: its bytes are kept, compressed, with its dates: a save that found its file differing only in them wrote
nothing) and parsed again when it is next asked for (a stage's passes over a language then parse each of its
catalogs once). A catalog a stage changed and has not saved yet is never let go.
Merges are made when a catalog is first asked for, so that an ``update`` holds the catalogs it is merging, not the
library's; the catalog as read is let go once it is merged.
"""

from __future__ import annotations

import functools
import sys
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from polyleaf.catalog import merge
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Catalog
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.pipeline.po_cache import ParsedCatalogs
from polyleaf.po.pofile import header_field
from polyleaf.project import catalog_path, check_readable

Key = tuple[str, str]
"""(language, catalog name)"""

#: How many catalogs a ``Catalogs`` keeps parsed at least (more when one language has more, or while they hold
#: unsaved changes): a stage works on one language at a time, so a run holds about one language's catalogs at any
#: size of the library. 512 held every catalog of 32x the seed articles (462) and half the languages' at 128x: a run
#: of everything peaked at 188 MB at 32x and 350 MB at 128x, against 132 and 308 MB (each pass over the languages then
#: parses a catalog again: +16 % CPU at 32x).
RESIDENT_CATALOGS = 64


def _references_when_unheld() -> int:
    """What ``sys.getrefcount`` says of an object that only a dictionary and one local variable hold, as
    ``Catalogs._shrink`` looks at a catalog: measured on this interpreter, since whether the call's own argument
    counts differs between Python versions (a count too low would let go of a catalog someone still holds)."""
    items = {"only": object()}
    item = items["only"]
    return sys.getrefcount(item)


#: The references to a catalog ``Catalogs._shrink`` sees when no one else holds it.
_ONLY_HERE = _references_when_unheld()


@dataclass(frozen=True, slots=True)
class _Parked:
    """A catalog let go: the bytes it is exactly (compressed: a library's PO files are held so), parsed again when
    it is asked for."""

    compressed: bytes
    path: Path
    #: The catalog's date headers, (name, value): newer than the bytes' when a save found the file differing from it
    #: in its dates alone and wrote nothing (``Catalog.saved``): a template's new POT-Creation-Date, which the file
    #: is to carry when it is next written, as msgmerge writes it.
    dates: tuple[tuple[str, str], ...] = ()

    @property
    def data(self) -> bytes:
        return zlib.decompress(self.compressed)

    def parsed(self) -> Catalog:
        """The catalog again: its bytes parsed, with the dates it had."""
        made = catalog.parse_po(self.data, self.path)
        header = made.po.header
        newer = [(name, value) for name, value in self.dates if header and header_field(header.text, name) != value]
        if not newer:
            return made
        po = made.po
        for name, value in newer:
            po = catalog.with_header_field(po, name, value)
        return Catalog(po, self.path, made.loaded)


class Catalogs:
    """Catalogs by language and name. Mutable: translate fills them and replaces one a translator saved meanwhile."""

    def __init__(self, items: Mapping[Key, Catalog] | None = None) -> None:
        self._items: dict[Key, Catalog | _Parked | Callable[[], Catalog]] = dict(items or {})
        self._resident: OrderedDict[Key, None] = OrderedDict.fromkeys(self._items)
        self._per_language = Counter(language for language, _name in self._items)
        self._shrink()

    def __getitem__(self, key: Key) -> Catalog:
        item = self._items[key]
        if isinstance(item, Catalog):
            self._resident.move_to_end(key)
            return item
        made = item.parsed() if isinstance(item, _Parked) else item()
        self._items[key] = made
        self._resident[key] = None
        self._shrink()
        return made

    def __setitem__(self, key: Key, value: Catalog) -> None:
        self._per_language[key[0]] += key not in self._items
        self._items[key] = value
        self._resident[key] = None
        self._resident.move_to_end(key)
        self._shrink()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Key]:
        """Keys in the order the catalogs were added (configured languages, then documents in source order)."""
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Key) -> Catalog | None:
        return self[key] if key in self._items else None

    def add_later(self, key: Key, make: Callable[[], Catalog]) -> None:
        """The catalog ``make()`` returns, made when it is first asked for."""
        self._per_language[key[0]] += key not in self._items
        self._items[key] = make

    def loaded(self, key: Key) -> bytes | None:
        """The bytes the catalog was read from (``Catalog.loaded``), without parsing a parked one again."""
        item = self._items.get(key)
        if isinstance(item, _Parked):
            return item.data
        return self[key].loaded if item is not None else None

    def items(self) -> Iterator[tuple[Key, Catalog]]:
        """Every (key, catalog), in the order they were added, each parsed as it is reached."""
        return ((key, self[key]) for key in list(self._items))

    def of_language(self, language: str) -> Iterator[tuple[str, Catalog]]:
        """(name, catalog) of one language, sorted by name (so translation memory picks the same text every time),
        each parsed as it is reached."""
        names = sorted(name for lang, name in self._items if lang == language)
        return ((name, self[language, name]) for name in names)

    def changed(self, language: str) -> bool:
        """Whether some catalog of ``language`` is not exactly the file it was read from or last saved as (one not
        merged yet counts as changed); without parsing a parked one again: parked ones are such files."""
        return any(
            not isinstance(item, _Parked) and (not isinstance(item, Catalog) or item.unchanged_bytes() is None)
            for (lang, _name), item in self._items.items()
            if lang == language
        )

    def untranslated(self, language: str) -> set[str]:
        """The distinct msgids still empty in some catalog of ``language``."""
        return {msgid for _, cat in self.of_language(language) for msgid in cat.untranslated()}

    def unsuggested(self, language: str) -> set[str]:
        """The distinct msgids of changed entries without a machine translation of their current English."""
        return {msgid for _, cat in self.of_language(language) for msgid in cat.unsuggested()}

    def _shrink(self) -> None:
        """Let go of the least recently used catalogs that are exactly a file's bytes, down to the budget; one
        with unsaved changes is passed over (and looked at again only after the others)."""
        budget = max(RESIDENT_CATALOGS, max(self._per_language.values(), default=0) + 2)
        for _ in range(min(8, 2 * max(0, len(self._resident) - budget))):
            if len(self._resident) <= budget:
                return
            key = next(iter(self._resident))
            item = self._items[key]
            data = item.unchanged_bytes() if isinstance(item, Catalog) else None
            # a catalog someone still holds (the one just asked for, say) is kept: they may be about to change it
            held = sys.getrefcount(item) > _ONLY_HERE
            if data is None or held or not isinstance(item, Catalog):
                self._resident.move_to_end(key)
                continue
            self._park(key, item, data)

    def let_go(self, key: Key) -> None:
        """Park the catalog of ``key`` now when it is exactly a file's bytes: no one asks for it again (a catalog
        as read, once merged)."""
        item = self._items.get(key)
        data = item.unchanged_bytes() if isinstance(item, Catalog) else None
        if isinstance(item, Catalog) and data is not None:
            self._park(key, item, data)

    def _park(self, key: Key, item: Catalog, data: bytes) -> None:
        header = item.po.header
        found = [(name, header_field(header.text, name)) for name in catalog.DATE_HEADERS] if header else []
        dates = tuple((name, value) for name, value in found if value is not None)
        self._items[key] = _Parked(zlib.compress(data, 1), item.path, dates)
        del self._resident[key]


def read_catalogs(
    config: Config, languages: Iterable[str], names: Iterable[str], parsed: ParsedCatalogs | None = None
) -> Catalogs:
    """Every existing PO file for these languages and catalogs, strictly parsed (errors stop the run); through
    the cache of parsed PO files when one is given (the caller commits it)."""
    found = Catalogs()
    names = list(names)
    for language in languages:
        for name in names:
            path = catalog_path(config, language, name)
            if path.exists() or path.is_symlink():
                check_readable(config, path, "locales_dir")
                found[language, name] = catalog.read_po(path) if parsed is None else parsed.read(path, language, name)
    return found


def read_orphans(config: Config, languages: Iterable[str], names: Iterable[str]) -> tuple[Catalogs, list[str]]:
    """The PO files of ``languages`` that belong to no catalog in ``names`` (an article renamed or deleted), and a
    warning for each one that cannot be read. Their reviewed text still serves as translation memory."""
    wanted = set(names)
    found, warnings = Catalogs(), []
    for language in languages:
        folder = catalog_path(config, language, "x").parent
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else ():
            if path.stem in wanted or path.is_symlink():
                continue
            try:
                check_readable(config, path, "locales_dir")
                found[language, path.stem] = catalog.read_po(path)
            except PolyleafError as error:
                warnings.append(f"{error} (an orphaned catalog: not used as translation memory)")
    return found, warnings


def merge_catalogs(
    config: Config, templates: Mapping[str, Catalog], existing: Catalogs, languages: Iterable[str]
) -> Catalogs:
    """msgmerge every template into every language's PO (in memory), each when it is first asked for."""
    merged = Catalogs()
    for language in languages:
        for name, template in templates.items():
            path = catalog_path(config, language, name)
            merged.add_later(
                (language, name),
                functools.partial(_merged, template, existing, (language, name), path, config.project_name),
            )
    return merged


def _merged(template: Catalog, existing: Catalogs, key: Key, path: Path, project: str) -> Catalog:
    merged = merge.update(template, existing.get(key), key[0], path, project)
    existing.let_go(key)  # the run goes on with the merged catalog: of the one as read, its bytes are enough
    return merged
