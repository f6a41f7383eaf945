"""The update stage and the catalogs every later stage works on: PO files read strictly, merged with templates.

``Catalogs`` holds one catalog per (language, catalog name) — the documents', the disclaimer's and the interface's —
so that stages look catalogs up by what they are instead of passing bare dictionaries around.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from polyleaf.catalog import merge
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Catalog
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.pipeline.po_cache import ParsedCatalogs
from polyleaf.project import catalog_path, check_readable

Key = tuple[str, str]
"""(language, catalog name)"""


class Catalogs:
    """Catalogs by language and name. Mutable: translate fills them and replaces one a translator saved meanwhile."""

    def __init__(self, items: Mapping[Key, Catalog] | None = None) -> None:
        self._items: dict[Key, Catalog] = dict(items or {})

    def __getitem__(self, key: Key) -> Catalog:
        return self._items[key]

    def __setitem__(self, key: Key, value: Catalog) -> None:
        self._items[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Key]:
        """Keys in the order the catalogs were added (configured languages, then documents in source order)."""
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Key) -> Catalog | None:
        return self._items.get(key)

    def items(self) -> list[tuple[Key, Catalog]]:
        """Every (key, catalog), in the order they were added."""
        return list(self._items.items())

    def of_language(self, language: str) -> list[tuple[str, Catalog]]:
        """(name, catalog) of one language, sorted by name (so translation memory picks the same text every time)."""
        found = [(name, cat) for (lang, name), cat in self._items.items() if lang == language]
        return sorted(found, key=lambda pair: pair[0])

    def untranslated(self, language: str) -> set[str]:
        """The distinct msgids still empty in some catalog of ``language``."""
        return {msgid for _, cat in self.of_language(language) for msgid in cat.untranslated()}

    def unsuggested(self, language: str) -> set[str]:
        """The distinct msgids of changed entries without a machine translation of their current English."""
        return {msgid for _, cat in self.of_language(language) for msgid in cat.unsuggested()}


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
    """msgmerge every template into every language's PO (in memory)."""
    return Catalogs(
        {
            (language, name): merge.update(
                template,
                existing.get((language, name)),
                language,
                catalog_path(config, language, name),
                config.project_name,
            )
            for language in languages
            for name, template in templates.items()
        }
    )
