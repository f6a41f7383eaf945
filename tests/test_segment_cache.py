"""The segmentation cache: sources are split into sentences once per content; results never disagree with a
fresh split, whatever the cache file holds."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from polyleaf.config.model import Config, load_config
from polyleaf.errors import CatalogError
from polyleaf.pipeline import runner, segment_cache
from polyleaf.pipeline.readability import readability_warnings, source_measures
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.pipeline.sources import Sources, load_sources
from polyleaf.qa.model import Diagnostic
from polyleaf.source.segment import split_sentences

ARTICLE = "bvna-chronic-low-back-pain"


def load(config: Config) -> Sources:
    """The sources, as a run reads them: through the cache, which is written when the run went through."""
    cache = SegmentCache(config)
    sources = load_sources(config, (), cache)
    cache.commit()
    return sources


def counting_splits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every text that is really segmented (not answered from the cache)."""
    seen: list[str] = []

    def split(text: str, language: str = "en", *, breaks: object = ()) -> list[tuple[int, int]]:
        seen.append(text)
        return split_sentences(text, language, breaks=breaks)  # type: ignore[arg-type]

    monkeypatch.setattr(segment_cache, "split_sentences", split)
    return seen


def test_unchanged_sources_are_not_segmented_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(project)
    first = load(config)
    cache_file = project / "build" / ".cache" / "segments" / f"{ARTICLE}.json"
    assert cache_file.is_file() and (project / "build" / ".cache" / "segments" / "disclaimer.json").is_file()
    seen = counting_splits(monkeypatch)
    again = load(config)
    assert seen == []
    assert again == first

    source = project / "source" / f"{ARTICLE}.txt"
    lines = source.read_text(encoding="utf-8").split("\n")
    number = next(index for index, line in enumerate(lines) if ". " in line)
    lines[number] = lines[number].replace(". ", ". Added here. ", 1)
    source.write_text("\n".join(lines), encoding="utf-8")
    edited = load(config)
    assert len(seen) == 1 and "Added here." in seen[0]  # only the edited paragraph
    seen.clear()
    monkeypatch.undo()
    cache_file.unlink()
    assert load(config) == edited  # what a fresh split gives


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b'{"splits": []}',
        b'{"splits": {"KEY": [[0, 999999]]}}',
        b'{"splits": {"KEY": [[5, 3]]}}',
        b'{"splits": {"KEY": [["a", 1]]}}',
        b'{"splits": {"KEY": [[0, 1, 2]]}}',
        b'{"splits": {"KEY": [[0, 5]]}}',  # in bounds, but leaves the paragraph's other words out
        b'{"splits": {"KEY": [[0, 5], [20, 40]]}}',
    ],
)
def test_a_damaged_cache_is_ignored(project: Path, content: bytes) -> None:
    """Signed as this machine's (so only the checks of what it holds stand between it and the catalog)."""
    config = load_config(project)
    fresh = load(config)
    store = SegmentCache(config).store
    keys = list(store.load(ARTICLE)["splits"])
    content = content.replace(b"KEY", keys[3].encode())
    try:
        store.save(ARTICLE, json.loads(content))
    except ValueError:
        store.path(ARTICLE).write_bytes(content)
    assert load(config) == fresh


def test_cache_of_a_removed_source_is_removed(project: Path) -> None:
    config = load_config(project)
    load(config)
    folder = project / "build" / ".cache" / "segments"
    (project / "source" / f"{ARTICLE}.txt").unlink()
    load(config)
    assert sorted(path.name for path in folder.iterdir()) == [
        "bvn-ablation-vertebral-venous-malformations.json",
        "disclaimer.json",
    ]


def test_nothing_is_written_before_the_run_went_through(project: Path) -> None:
    config = load_config(project)
    load_sources(config)  # as ``status`` and ``check`` read them: the cache is only read
    assert not (project / "build").exists()
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError):
        runner.run(config, steps=frozenset({"extract", "update"}))
    assert not (project / "build").exists()
    runner.run(config, steps=frozenset({"extract"}))
    assert (project / "build" / ".cache" / "segments" / f"{ARTICLE}.json").is_file()


def test_a_read_only_build_folder_only_costs_time(project: Path) -> None:
    (project / "build").mkdir()
    (project / "build" / ".cache").write_text("a file where the cache folder would be", encoding="utf-8")
    config = load_config(project)
    sources = load(config)
    assert sources.documents and not (project / "build" / ".cache").is_dir()


def test_the_key_names_the_segmenter() -> None:
    salt = segment_cache.segmenter_salt()
    assert salt.startswith("0.") and len(salt.split(" ")) == 3 and len(salt.split(" ")[1]) == 64


def test_the_key_changes_with_either_module_of_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """pysbd's boundaries were split out of segment.py: an edit to either must invalidate the cached splits."""
    from polyleaf.source import pysbd_boundaries, segment

    salt = segment_cache.segmenter_salt.__wrapped__  # the salt is computed once per process
    before = salt()
    for module in (segment, pysbd_boundaries):
        edited = tmp_path / Path(module.__file__ or "").name
        edited.write_bytes(Path(module.__file__ or "").read_bytes() + b"\n# a rule changed\n")
        with monkeypatch.context() as patched:
            patched.setattr(module, "__file__", str(edited))
            assert salt() != before
    assert salt() == before


def test_check_reads_its_sentences_from_a_runs_splits(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The readability warnings of a check with no QA cache: the splits a run left answer them, as a fresh split."""
    from polyleaf.source import pysbd_boundaries, segment

    config = load_config(project)
    load(config)
    seen: list[str] = []

    def spans(text: str, language: str) -> list[tuple[int, int]]:
        seen.append(text)
        return pysbd_boundaries.pysbd_spans(text, language)

    monkeypatch.setattr(segment, "pysbd_spans", spans)  # pysbd, whoever splits
    cached = checked_readability(config)
    assert seen == []
    monkeypatch.undo()
    shutil.rmtree(project / "build" / ".cache" / "segments")
    fresh = checked_readability(config)
    assert cached == fresh and fresh  # the articles have readability findings to compare


def test_the_dashboards_measure_of_an_edited_article_reads_the_runs_splits(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run measures an edited article for the dashboard before it commits its caches: the splits its parse of
    the sources just made answer the measure, which is a fresh split's."""
    from polyleaf.source import pysbd_boundaries, segment

    config = load_config(project)
    load(config)
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(". ", ". Added here. ", 1), encoding="utf-8")
    cache = SegmentCache(config)
    load_sources(config, (), cache)  # the run's parse: the edited paragraph split, not committed yet
    seen: list[str] = []

    def spans(text: str, language: str) -> list[tuple[int, int]]:
        seen.append(text)
        return pysbd_boundaries.pysbd_spans(text, language)

    monkeypatch.setattr(segment, "pysbd_spans", spans)  # pysbd, whoever splits
    measured = source_measures(config, segments=cache)
    assert seen == []
    monkeypatch.undo()
    shutil.rmtree(project / "build" / ".cache")
    assert measured == source_measures(config)


def checked_readability(config: Config) -> list[Diagnostic]:
    """``readability_warnings`` as ``check`` has them, the splits it kept committed."""
    segments = SegmentCache(config)
    found = readability_warnings(config, segments)
    segments.commit()
    return found


def test_check_keeps_its_splits_for_a_run_that_splits_alike(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(project)
    paragraphs = dataclasses.replace(config, segmentation="paragraph")
    checked_readability(paragraphs)  # a run of paragraphs splits otherwise: nothing kept for it
    assert not (project / "build" / ".cache" / "segments" / f"{ARTICLE}.json").exists()
    checked_readability(config)
    disclaimer = (project / "source" / "disclaimer.txt").read_text(encoding="utf-8")
    seen = counting_splits(monkeypatch)
    load(config)
    assert seen and all(text.strip() in disclaimer for text in seen)  # the disclaimer only: no article is read
