"""The plain-language warnings of ``check``, and each article's grade for the dashboard: the source articles read
afresh, one sentence a segment whatever ``segmentation`` says (a paragraph is not a sentence), and handed to
``polyleaf.qa.readability``; ``check``'s findings through its cache when one is given (an article's findings depend
on its bytes and the settings alone), its sentence splits through the segmentation cache (``segment_cache``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf.cache import Store, content_digest
from polyleaf.config.model import Config
from polyleaf.errors import SourceError
from polyleaf.fsio import read_regular
from polyleaf.pipeline.run_record import code_salt
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.pipeline.sources import EVERYTHING, Selection, source_paths
from polyleaf.qa import readability as qa_readability
from polyleaf.qa.model import Diagnostic
from polyleaf.qa.readability import ProseMeasure
from polyleaf.qa.syllables import keep_counted
from polyleaf.source.parse.reading import decode_source, parse_document, source_bytes

if TYPE_CHECKING:
    from polyleaf.pipeline.qa_cache import CheckCache
    from polyleaf.source.segment import Splitter


def readability_warnings(
    config: Config, segments: SegmentCache, selection: Selection = EVERYTHING, answers: CheckCache | None = None
) -> list[Diagnostic]:
    """The readability findings of the selected source articles (none when ``[readability] enabled = false`` or the
    source is not English: the checks read English only); sentence splits answered from and kept in ``segments``,
    which the caller commits (holding the project lock: it writes in ``build/``)."""
    from polyleaf.qa.readability import reads_english

    if not config.readability.enabled or not reads_english(config.source_language):
        return []
    found = [
        diagnostic
        for path in source_paths(config, selection.documents)
        for diagnostic in _article_warnings(config, path, answers, segments)
    ]
    keep_counted()  # the words counted for the first time, for the next process
    return found


def source_measures(
    config: Config,
    known: Mapping[str, ProseMeasure] | None = None,
    paths: Sequence[Path] = (),
    segments: SegmentCache | None = None,
) -> dict[Path, ProseMeasure]:
    """Every source article's prose measure (its grade, for the dashboard), by source path (English sources: the
    caller checks ``reads_english``); a run of the edited articles gives the others' as ``known`` (by name, as the
    last run measured them: ``pipeline.library``) and every article's path (``paths``), and a run its segmentation
    cache (``segments``), whose splits answer an edited article's parse (pysbd is most of it).

    Kept in ``build/.cache/readability/<doc>.json`` by the SHA-256 of the article's bytes (and of the code that
    measures), so a dashboard rewritten with no article changed does not load the pronouncing dictionary again
    (slow, and every run rewrites the dashboard). An entry that is missing, not signed here or malformed is
    measured afresh; entries of articles no longer there are removed.
    """
    store = Store(config.build_dir, "readability")
    measures: dict[Path, ProseMeasure] = {}
    for path in paths or source_paths(config):
        if known is not None and path.stem in known:
            measures[path] = known[path.stem]
            continue
        relative = config.relative(path)
        try:
            data = read_regular(path)
        except OSError as error:
            raise SourceError(f"cannot read source file: {error.strerror or error}", relative) from None
        digest = content_digest(code_salt(), relative.as_posix(), config.source_language, data)
        measure = _stored(store.lookup(path.stem, digest))
        if measure is None:
            splitter = None if segments is None else segments.splitter(path.stem)[0]
            measure = _measure(config, relative, data, splitter)
            store.stage(path.stem, digest, {"words": list(measure.sentence_words), "syllables": measure.syllables})
        measures[path] = measure
    keep_counted()  # the words counted for the first time, for the next process
    store.commit()
    if known is None:
        store.prune({path.stem for path in measures})
    return measures


def _measure(config: Config, relative: Path, data: bytes, splitter: Splitter | None) -> ProseMeasure:
    """Measure the article from the bytes its digest was made of (not the file again: it may have changed since)."""
    text = decode_source(data, relative)
    document = parse_document(text, relative, language=config.source_language, splitter=splitter)
    return qa_readability.prose_measure(document)


def _stored(entry: dict[str, Any] | None) -> ProseMeasure | None:
    """The measure a cache entry of the article holds, when it is well formed."""
    if entry is None:
        return None
    words, syllables = entry.get("words"), entry.get("syllables")
    if not isinstance(words, list) or not isinstance(syllables, int) or isinstance(syllables, bool) or syllables < 0:
        return None
    if not all(isinstance(count, int) and not isinstance(count, bool) and count >= 0 for count in words):
        return None
    return ProseMeasure(tuple(words), syllables)


def _article_warnings(
    config: Config, path: Path, answers: CheckCache | None, segments: SegmentCache
) -> list[Diagnostic]:
    """The article's findings. Its sentences are split as a run with ``segmentation = "sentence"`` splits them, so
    the splits a run left in the segmentation cache answer a cold check (pysbd is most of its parse), and with that
    setting the splits made here are kept for the next run."""
    from polyleaf.pipeline.qa_cache import bytes_digest
    from polyleaf.qa.readability import readability_diagnostics

    shown = config.relative(path)
    data = source_bytes(path)

    def compute() -> list[Diagnostic]:
        splitter, used = segments.splitter(path.stem)
        text = decode_source(data, path)
        document = parse_document(text, shown, "sentence", language=config.source_language, splitter=splitter)
        if config.segmentation == "sentence":
            segments.keep(path.stem, used)
        return readability_diagnostics([document], config.readability)

    if answers is None:
        return compute()
    settings = dataclasses.asdict(config.readability)
    inputs = [shown.as_posix(), config.source_language, settings, bytes_digest(data)]
    return answers.answer(f"readability/{path.stem}", inputs, compute)
