"""Turn a Document and its localized segment texts into the renderer-neutral ``Leaflet``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from polyleaf.document import Document, Segment
from polyleaf.render import Leaflet, LeafletBlock

#: Scripts that do not put a space between sentences.
_UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Thai"})


def make_leaflet(
    document: Document,
    localize: Callable[[Segment], tuple[str, bool]],
    *,
    language: str,
    source_language: str,
    script: str,
    disclaimer: str,
    draft: bool,
    draft_notice: str,
    unreviewed: int,
    total: int,
    updated: dt.date,
    page_size: str,
    labels: Mapping[str, str],
    project: str = "",
    fonts: tuple[str, ...] = (),
) -> Leaflet:
    """Blocks in reading order with their localized text; ``localize`` gives (text, reviewed) per segment.

    The title becomes ``Leaflet.title``; the document's own disclaimer block (and the separator that
    introduces it) is left out because every leaflet shows the standard disclaimer in its own box.
    """
    joiner = "" if script in _UNSPACED_SCRIPTS else " "
    blocks: list[LeafletBlock] = []
    title = ""
    for position, block in enumerate(document.blocks):
        if block.is_disclaimer or _introduces_disclaimer(document, position):
            continue
        texts = [localize(segment) for segment in block.segments]
        untranslated = bool(block.segments) and all(
            text == segment.text for (text, _), segment in zip(texts, block.segments, strict=True)
        )
        text = joiner.join(text for text, _ in texts)
        if block.kind == "title" and not title:
            title = text
            continue
        if block.kind in ("code", "html"):
            text = document.text[block.start : block.end]
        blocks.append(
            LeafletBlock(
                kind=block.kind,
                text=text,
                level=block.level,
                reviewed=all(reviewed for _, reviewed in texts),
                language=source_language if untranslated and language != source_language else "",
            )
        )
    return Leaflet(
        document=document.name,
        language=language,
        title=title or document.name,
        blocks=tuple(blocks),
        disclaimer=disclaimer,
        draft=draft,
        draft_notice=draft_notice,
        unreviewed=unreviewed,
        total=total,
        updated=updated,
        page_size=page_size,
        labels=tuple(sorted(labels.items())),
        project=project,
        fonts=fonts,
    )


def _introduces_disclaimer(document: Document, position: int) -> bool:
    """A separator directly followed by the disclaimer block belongs to it."""
    block = document.blocks[position]
    following = document.blocks[position + 1] if position + 1 < len(document.blocks) else None
    return block.kind == "separator" and following is not None and following.is_disclaimer
