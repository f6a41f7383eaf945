"""The plain-language warnings of ``check``: the source articles read afresh, one sentence a segment whatever
``segmentation`` says (a paragraph is not a sentence), and handed to ``polyleaf.qa.readability``; through
``check``'s cache when one is given (an article's findings depend on its bytes and the settings alone)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.config import Config
from polyleaf.parse import decode_source, parse_document, source_bytes
from polyleaf.pipeline.sources import EVERYTHING, Selection, source_paths
from polyleaf.qa.model import Diagnostic

if TYPE_CHECKING:
    from polyleaf.pipeline.qa_cache import CheckCache


def readability_warnings(
    config: Config, selection: Selection = EVERYTHING, answers: CheckCache | None = None
) -> list[Diagnostic]:
    """The readability findings of the selected source articles (none when ``[readability] enabled = false`` or the
    source is not English: the checks read English only)."""
    from polyleaf.qa.readability import reads_english

    if not config.readability.enabled or not reads_english(config.source_language):
        return []
    return [
        diagnostic
        for path in source_paths(config, selection.documents)
        for diagnostic in _article_warnings(config, path, answers)
    ]


def _article_warnings(config: Config, path: Path, answers: CheckCache | None) -> list[Diagnostic]:
    from polyleaf.pipeline.qa_cache import bytes_digest
    from polyleaf.qa.readability import readability_diagnostics

    shown = config.relative(path)
    data = source_bytes(path)

    def compute() -> list[Diagnostic]:
        document = parse_document(decode_source(data, path), shown, "sentence", language=config.source_language)
        return readability_diagnostics([document], config.readability)

    if answers is None:
        return compute()
    settings = dataclasses.asdict(config.readability)
    inputs = [shown.as_posix(), config.source_language, settings, bytes_digest(data)]
    return answers.answer(f"readability/{path.stem}", inputs, compute)
