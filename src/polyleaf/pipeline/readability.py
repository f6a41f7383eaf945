"""The plain-language warnings of ``check``: the source articles read afresh, one sentence a segment whatever
``segmentation`` says (a paragraph is not a sentence), and handed to ``polyleaf.qa.readability``."""

from __future__ import annotations

from polyleaf.config import Config
from polyleaf.parse import read_source
from polyleaf.pipeline.sources import EVERYTHING, Selection, source_paths
from polyleaf.qa.model import Diagnostic


def readability_warnings(config: Config, selection: Selection = EVERYTHING) -> list[Diagnostic]:
    """The readability findings of the selected source articles (none when ``[readability] enabled = false`` or the
    source is not English: the checks read English only)."""
    from polyleaf.qa.readability import readability_diagnostics, reads_english

    if not config.readability.enabled or not reads_english(config.source_language):
        return []
    documents = [
        read_source(path, config.relative(path), language=config.source_language)
        for path in source_paths(config, selection.documents)
    ]
    return readability_diagnostics(documents, config.readability)
