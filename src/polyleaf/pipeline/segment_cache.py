"""Sentence splits of the sources, cached by content, so that re-running on unchanged articles does not segment
them again (pysbd is by far the slowest part of reading a source).

Every ``split_sentences`` call of a source's parse is looked up by the SHA-256 of what decides its result: the text,
the language, the forced breaks, and a salt naming the segmenter (polyleaf's version, the bytes of
``polyleaf/source/segment.py`` and ``pysbd_boundaries.py``, and pysbd's version). So a result is reused only for
exactly the input that produced it, whatever changed around it: an edited paragraph is segmented again, the others
of the article are not. The cache is one signed entry per source (``build/.cache/segments/<doc>.json``, see
``polyleaf.cache``: only this machine's entries are read) holding the splits of its last parse; spans read back are
checked too (in bounds, ordered, and covering every character of the text but whitespace: no words are left out of
what translators see), and anything else is segmented afresh. A cache that cannot be read or written is ignored (it
only saves time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from polyleaf.cache import Store, content_digest
from polyleaf.config.model import Config
from polyleaf.source.segment import Span, Splitter, split_sentences


@cache
def segmenter_salt() -> str:
    """What names the segmenter: polyleaf's version, the bytes of the modules that hold its rules (``segment.py``
    and ``pysbd_boundaries.py``: a development change to the rules invalidates the cache without a version bump)
    and pysbd's version."""
    from importlib import metadata

    from polyleaf import __version__
    from polyleaf.source import pysbd_boundaries, segment

    digest = hashlib.sha256()
    try:
        for module in (segment, pysbd_boundaries):
            digest.update(Path(module.__file__ or "").read_bytes())
        rules = digest.hexdigest()
    except OSError:
        rules = ""
    try:
        pysbd_version = metadata.version("pysbd")
    except metadata.PackageNotFoundError:
        pysbd_version = ""
    return f"{__version__} {rules} {pysbd_version}"


class SegmentCache:
    """The cached splits of one project's sources: ``splitter`` for each source's parse, ``keep`` after it, and
    ``commit`` once the run knows its inputs are good (nothing is written before: a run that stops at a broken
    PO file writes nothing)."""

    def __init__(self, config: Config) -> None:
        self.store = Store(config.build_dir, "segments")
        self.salt = segmenter_salt()
        self._kept: dict[str, dict[str, list[Span]]] = {}
        self._everything = False

    def splitter(self, name: str) -> tuple[Splitter, dict[str, list[Span]]]:
        """A splitter for the source ``name`` answering from its cache file and the splits this run kept of it, and
        the splits it was asked for (to ``keep`` after the parse)."""
        stored = self._load(name) | self._kept.get(name, {})
        used: dict[str, list[Span]] = {}

        def split(text: str, language: str, breaks: Sequence[int]) -> list[Span]:
            key = content_digest(self.salt, language, str(list(breaks)), text)
            spans = stored.get(key)
            if spans is None or not _valid(spans, text):
                spans = split_sentences(text, language, breaks=breaks)
            used[key] = spans
            return spans

        return split, used

    def keep(self, name: str, used: dict[str, list[Span]]) -> None:
        """The splits of this parse of ``name``, for ``commit`` (only those: the file does not keep old versions)."""
        self._kept[name] = used

    def complete(self) -> None:
        """Every source was read: ``commit`` also removes the cache files of sources that no longer exist."""
        self._everything = True

    def commit(self) -> None:
        """Write the kept splits (a file only when it changed). A read-only or confined build folder is no error:
        the cache only saves time."""
        for name, used in self._kept.items():
            self.store.save(name, {"splits": dict(sorted(used.items()))})
        if self._everything:
            self.store.prune(set(self._kept))
        self._kept.clear()

    def _load(self, name: str) -> dict[str, list[Span]]:
        stored = self.store.load(name)
        splits = stored.get("splits") if isinstance(stored, dict) else None
        if not isinstance(splits, dict):
            return {}
        return {
            key: [(span[0], span[1]) for span in spans]
            for key, spans in splits.items()
            if isinstance(spans, list) and all(_is_pair(span) for span in spans)
        }


def _is_pair(span: object) -> bool:
    return isinstance(span, list) and len(span) == 2 and all(type(value) is int for value in span)


def _valid(spans: list[Span], text: str) -> bool:
    """Spans ``split_sentences`` can give for ``text``: non-empty, ordered, not overlapping, in bounds, and with
    nothing but whitespace around them (a span that leaves words out would drop them from the catalog)."""
    position = 0
    for start, end in spans:
        if not position <= start < end <= len(text) or text[position:start].strip():
            return False
        position = end
    return not text[position:].strip()
