"""The cache of parsed PO files: a catalog read from the cache is the catalog the parser makes, in every respect a
later write depends on (entries, lines, the original lines of unchanged entries), and only for the same bytes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Fill
from polyleaf.config.model import load_config
from polyleaf.errors import CatalogError
from polyleaf.execution.workers import Parallel
from polyleaf.pipeline import runner
from polyleaf.pipeline.po_cache import ParsedCatalogs

ARTICLE = "bvna-chronic-low-back-pain"


def po(project: Path, language: str = "es", name: str = ARTICLE) -> Path:
    return project / "locales" / language / "LC_MESSAGES" / f"{name}.po"


def cached_read(project: Path, path: Path) -> catalog.Catalog:
    parsed = ParsedCatalogs(load_config(project))
    return parsed.read(path, path.parts[-3], path.stem)


def assert_same(first: catalog.Catalog, second: catalog.Catalog) -> None:
    assert first.entries() == second.entries() and first.loaded == second.loaded
    assert first.to_bytes() == second.to_bytes()
    fills = [Fill(entry.msgid, "Nuevo texto.", "tm: test", fuzzy=False) for entry in first.entries()[:3]]
    for cat in (first, second):
        cat.fill([Fill(fill.msgid, fill.text, fill.comment, fill.fuzzy) for fill in fills])
    assert first.to_bytes() == second.to_bytes()  # unchanged entries keep their original lines in both


@pytest.fixture
def translated(project: Path) -> Path:
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
    return project


def test_a_cached_catalog_is_the_parsed_one(translated: Path) -> None:
    cache_file = translated / "build" / ".cache" / "po" / "es" / f"{ARTICLE}.json"
    assert cache_file.is_file()
    path = po(translated)
    assert_same(catalog.read_po(path), cached_read(translated, path))


def test_an_editors_wrapping_is_kept_through_the_cache(translated: Path) -> None:
    path = po(translated)
    done = subprocess.run(["msgcat", "--width=40", "-o", str(path), str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("GNU msgcat is not installed")
    runner.run(
        load_config(translated), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1)
    )  # caches it
    assert_same(catalog.read_po(path), cached_read(translated, path))
    assert path.read_bytes() == catalog.read_po(path).to_bytes()  # the run left the editor's lines alone


def test_other_bytes_are_parsed_again(translated: Path) -> None:
    path = po(translated)
    path.write_text(path.read_text(encoding="utf-8").replace("msgstr", "msgstr", 1) + "\n", encoding="utf-8")
    assert_same(catalog.read_po(path), cached_read(translated, path))


@pytest.mark.parametrize("content", [b"{", b'{"sha256": "x"}', b"[]", b'{"sha256": "SHA", "messages": [[1]]}'])
def test_a_damaged_cache_is_ignored(translated: Path, content: bytes) -> None:
    """Signed as this machine's (so only the checks of what it holds stand between it and the catalog)."""
    path = po(translated)
    store = ParsedCatalogs(load_config(translated)).store
    content = content.replace(b"SHA", store.load(f"es/{ARTICLE}")["sha256"].encode())
    try:
        store.save(f"es/{ARTICLE}", json.loads(content))
    except ValueError:
        store.path(f"es/{ARTICLE}").write_bytes(content)
    assert_same(catalog.read_po(path), cached_read(translated, path))


def test_a_file_that_does_not_parse_is_the_parsers_error_and_never_cached(translated: Path) -> None:
    path = po(translated)
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError) as expected:
        catalog.read_po(path)
    parsed = ParsedCatalogs(load_config(translated))
    entry = parsed.store.path(f"es/{ARTICLE}")
    before = entry.read_bytes() if entry.exists() else None
    with pytest.raises(CatalogError) as caught:
        parsed.read(path, "es", ARTICLE)
    assert str(caught.value) == str(expected.value)
    parsed.commit()
    assert (entry.read_bytes() if entry.exists() else None) == before


def test_what_a_run_wrote_is_cached_from_the_file_and_only_while_it_is_what_the_run_wrote(translated: Path) -> None:
    path = po(translated)
    parsed = ParsedCatalogs(load_config(translated))
    entry = parsed.store.path(f"es/{ARTICLE}")
    entry.unlink()
    parsed.wrote(path, "es", ARTICLE, path.read_bytes())
    parsed.commit()
    assert entry.is_file()  # read back from the file it names, parsed and kept
    assert_same(catalog.read_po(path), cached_read(translated, path))
    entry.unlink()
    parsed.wrote(path, "es", ARTICLE, path.read_bytes())
    path.write_bytes(path.read_bytes() + b"\n")  # a translator's save after the run wrote it
    parsed.commit()
    assert not entry.exists()  # left to the next run to parse: the file is not what the run wrote
