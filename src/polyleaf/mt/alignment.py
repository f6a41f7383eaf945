"""Soft word alignment between a text and its translation, as the decoder's attention gives it.

An ``Alignment`` holds the character spans of the source's tokens, the character spans of the translation's tokens,
and for every translation token its attention over the source tokens (CTranslate2's ``return_attention``: one row
per generated token, one column per source token, each row summing to 1). ``compose`` chains the two legs of a pivot
translation (source → English → target) through the character spans of the English text, since the two models
tokenize it differently. ``best_target_token`` answers what MT repair asks: which token of the translation was
generated while looking at a given piece of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Attention of each target token (rows) over the source tokens (columns), with their character spans."""

    source_spans: tuple[Span, ...]
    target_spans: tuple[Span, ...]
    weights: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        if len(self.weights) != len(self.target_spans) or any(
            len(row) != len(self.source_spans) for row in self.weights
        ):
            raise ValueError("alignment weights must have one row per target token and one column per source token")


def _overlaps(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def compose(first: Alignment, second: Alignment) -> Alignment:
    """Source → pivot (``first``) then pivot → target (``second``): target rows over the original source tokens.

    A pivot token of the second model takes, in equal shares, the attention rows of the first model's tokens whose
    character spans it overlaps."""
    bridge: list[list[float]] = []
    width = len(first.source_spans)
    for span in second.source_spans:
        rows = [row for target, row in zip(first.target_spans, first.weights, strict=True) if _overlaps(span, target)]
        bridge.append([sum(column) / len(rows) for column in zip(*rows, strict=True)] if rows else [0.0] * width)
    weights = tuple(
        tuple(sum(weight * bridge[middle][column] for middle, weight in enumerate(row)) for column in range(width))
        for row in second.weights
    )
    return Alignment(first.source_spans, second.target_spans, weights)


def best_target_token(alignment: Alignment, source: Span) -> int | None:
    """The target token that attends most to the source tokens overlapping the character span ``source`` (the first
    of equals; None when no source token overlaps it or none attends to them at all)."""
    columns = [index for index, span in enumerate(alignment.source_spans) if _overlaps(span, source)]
    if not columns or not alignment.weights:
        return None
    scores = [sum(row[column] for column in columns) for row in alignment.weights]
    best = max(range(len(scores)), key=lambda index: (scores[index], -index))
    return best if scores[best] > 0 else None


def token_spans(pieces: Sequence[str], text: str) -> tuple[Span, ...] | None:
    """Character spans of sentencepiece ``pieces`` in their decoded ``text`` (``▁`` is a space, the first one
    dropped), or None when the pieces do not spell the text that way (byte pieces, unknown tokens)."""
    spans: list[Span] = []
    position = 0
    for index, piece in enumerate(pieces):
        surface = piece.replace("▁", " ")
        if index == 0:
            surface = surface.lstrip(" ")
        if not text.startswith(surface, position):
            return None
        spans.append((position, position + len(surface)))
        position += len(surface)
    return tuple(spans) if position == len(text) else None
