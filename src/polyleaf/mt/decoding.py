"""Decoding with a loaded CTranslate2 translator, shared by every engine (argos packages and CTranslate2 model
folders): the device and compute type, sentencepiece tokenizing, and one pass over all texts of a call.

Texts are sorted by token length (longest first, as CTranslate2 does) and cut into batches of at most a token
budget (``BATCH_TOKENS``: a measured table per device, or ``[mt] max_batch_tokens``), each with its own
``max_decoding_length`` cap (``length_cap``: a batch holds texts of one cap only, so how long a translation may run
does not depend on which texts share its batch), and the order is restored afterwards; instead of one
``translate_batch`` per paragraph with a 32-token budget, as argostranslate does. A model family frames the tokens
(``Framing``): NLLB and M2M100 put a language token before the source and force one as the first target token,
MADLAD puts ``<2xx>`` before the source, and most models end the source with ``</s>``. With ``aligned``, the
decoder's attention (for beam search, the attention history of the returned hypothesis, one row per generated
token) comes back with the character spans of the source and target tokens, so that MT repair can put back a
placeholder the model dropped where the source pointed.

CTranslate2 and sentencepiece are imported inside the functions that need them.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from polyleaf.config.mt import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.mt.alignment import Alignment, Span, compose, token_spans
from polyleaf.mt.engine import Aligned, Progress
from polyleaf.mt.packages import one_line

#: Source tokens per batch when ``[mt] max_batch_tokens`` is not set, by device: the fastest budget measured with
#: ``benchmarks/mt_throughput.py --budgets-only`` (README, Performance). On a CPU, batches wider than this decode
#: fewer segments a second, not more; a GPU only fills up with wide batches. A fixed table, not a timing taken on
#: the user's machine: the budget decides which texts share a batch, which can change the last bits of a score, so
#: a budget picked by timing would make the same run translate a near-tie differently on a busy day.
BATCH_TOKENS = {"cpu": 1024, "cuda": 8192}
#: ``compute_type = "auto"``: the first type the device supports, in this order (int8 weights with float16
#: activations on a GPU; int8 on a CPU).
PREFERRED_COMPUTE_TYPES = {
    "cuda": ("int8_float16", "float16", "int8", "float32"),
    "cpu": ("int8_float32", "int8", "float32"),
}


def resolve_device(config: MtConfig) -> tuple[str, int]:
    """The CTranslate2 device for ``config.device`` (``auto``: CUDA when CTranslate2 sees a GPU) and the token budget
    per batch: ``max_batch_tokens`` when configured, else the device's entry in ``BATCH_TOKENS``."""
    import ctranslate2

    device = config.device
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    budget = config.max_batch_tokens or BATCH_TOKENS[device]
    return device, budget


def resolve_compute_type(config: MtConfig, device: str) -> str:
    """The compute type for ``device``: the configured one, or for ``auto`` the preferred one it supports."""
    if config.compute_type != "auto":
        return config.compute_type
    import ctranslate2

    try:
        supported = set(ctranslate2.get_supported_compute_types(device))
    except (RuntimeError, ValueError):
        return "auto"
    return next((kind for kind in PREFERRED_COMPUTE_TYPES.get(device, ()) if kind in supported), "auto")


class Tokenizer(Protocol):
    def encode(self, text: str) -> tuple[list[str], tuple[Span, ...] | None]: ...

    def decode(self, tokens: list[str]) -> str: ...


class SentencePiece:
    """A sentencepiece model; source character spans come from sentencepiece's offset mapping. Detokenizing uses
    sentencepiece directly (argos' ``SentencePieceTokenizer.decode`` also turns every ``_`` into a space)."""

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, text: str) -> tuple[list[str], tuple[Span, ...] | None]:
        try:
            encoded = self._processor.encode(text, return_type="offset_mapping")
        except (TypeError, ValueError):  # sentencepiece < 0.2.1
            return list(self._processor.encode(text, out_type=str)), None
        return list(encoded["pieces"]), tuple(tuple(span) for span in encoded["offsets"])

    def decode(self, tokens: list[str]) -> str:
        return str(self._processor.decode_pieces(tokens))


@dataclass(frozen=True, slots=True)
class Framing:
    """The tokens a model family puts around one pair's source tokens, and forces at the start of the target."""

    source_prefix: tuple[str, ...] = ()
    source_suffix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """A translator with its tokenizers (``target`` decodes what it writes: Marian's own target vocabulary) and
    ``label``, which names it in errors (``argos en-es``, ``ctranslate2 nllb-200``)."""

    translator: Any
    source: Tokenizer
    target: Tokenizer
    label: str
    path: Path


class LoadedModels(dict[Path, LoadedModel]):
    """An engine's loaded models by folder, each loaded once: tasks that start together on a worker's threads and
    ask for the same model wait for one load (each would otherwise load its own copy)."""

    def __init__(self) -> None:
        super().__init__()
        self._loading = threading.Lock()

    def once(self, path: Path, load: Callable[[], LoadedModel]) -> LoadedModel:
        model = self.get(path)
        if model is None:
            with self._loading:
                model = self.get(path)
                if model is None:
                    model = self[path] = load()
        return model


@dataclass(frozen=True, slots=True)
class Decoding:
    """How to decode: beam, length penalty, the length cap (``length_cap`` of ``max_length_ratio`` times a
    source's length) and the token budget of a batch."""

    beam_size: int
    length_penalty: float
    max_length_ratio: float
    budget: int


@dataclass(frozen=True, slots=True)
class _Source:
    """One distinct text to decode: its framed tokens and their character spans (None: no alignment possible)."""

    text: str
    tokens: list[str]
    spans: tuple[Span, ...] | None


def progress_of_distinct(
    texts: Sequence[str], distinct: list[str], progress: Progress | None
) -> Callable[[list[int]], None]:
    """What ``decode_texts`` calls with the indices of ``distinct`` it finished: ``progress`` told how many of
    ``texts`` (duplicates counted) are done."""
    weights = Counter(texts)

    def report(done: list[int]) -> None:
        if progress is not None:
            progress(sum(weights[distinct[index]] for index in done))

    return report


def load_translator(path: Path, config: MtConfig, device: str) -> Any:
    """A CTranslate2 translator for the model folder ``path`` on ``device``: ``[mt] threads`` threads for each
    batch, and as many batches at a time as the process decodes at a time (``decoders``: calls from that many
    threads run in parallel, not one after the other)."""
    import ctranslate2

    return ctranslate2.Translator(
        str(path),
        device=device,
        compute_type=resolve_compute_type(config, device),
        inter_threads=max(1, config.decoders),
        intra_threads=max(0, config.threads),
    )


def decode_texts(
    model: LoadedModel,
    framing: Framing,
    texts: list[str],
    how: Decoding,
    on_batch: Callable[[list[int]], None] | None = None,
    aligned: bool = False,
) -> list[Aligned]:
    """Translate ``texts``: distinct non-blank texts, sorted by token length, token-budget batches of texts with
    the same length cap; results back in input order. ``on_batch`` gets the indices each batch finished."""
    positions: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        positions.setdefault(text, []).append(index)
    outputs = [Aligned(text) for text in texts]
    blank = [index for text, indices in positions.items() if not text.strip() for index in indices]
    if blank and on_batch is not None:
        on_batch(blank)
    try:
        sources = [_framed(text, model.source, framing) for text in positions if text.strip()]
    except (RuntimeError, ValueError, OSError) as error:
        raise TranslationError(f"{model.label}: tokenizing failed: {one_line(error)}", model.path) from None
    # Longest first, as CTranslate2 orders its own batches: on CPU, finished (shorter) translations are
    # removed from the end of the batch in place, which is cheap.
    ordered = sorted(sources, key=lambda item: (-len(item.tokens), item.text))
    for batch in token_batches(ordered, how.budget, how.max_length_ratio):
        for item, translation in zip(batch, _translate_batch(model, framing, batch, how, aligned), strict=True):
            for index in positions[item.text]:
                outputs[index] = translation
        if on_batch is not None:
            on_batch([index for item in batch for index in positions[item.text]])
    return outputs


def _framed(text: str, tokenizer: Tokenizer, framing: Framing) -> _Source:
    """The text's tokens between the family's prefix and suffix tokens, which span no character of the text."""
    tokens, spans = tokenizer.encode(text)
    before, after = list(framing.source_prefix), list(framing.source_suffix)
    if spans is not None:
        spans = ((0, 0),) * len(before) + spans + ((len(text), len(text)),) * len(after)
    return _Source(text, [*before, *tokens, *after], spans)


def _translate_batch(
    model: LoadedModel, framing: Framing, batch: list[_Source], how: Decoding, aligned: bool
) -> list[Aligned]:
    cap = length_cap(len(batch[0].tokens), how.max_length_ratio)
    prefix = list(framing.target_prefix)
    try:
        results = model.translator.translate_batch(
            [item.tokens for item in batch],
            target_prefix=[prefix] * len(batch) if prefix else None,
            beam_size=how.beam_size,
            num_hypotheses=1,
            length_penalty=how.length_penalty,
            replace_unknowns=True,
            max_decoding_length=cap + len(prefix),
            return_attention=aligned,
        )
        translations = []
        for item, result in zip(batch, results, strict=True):
            hypothesis = list(result.hypotheses[0])
            attention = list(result.attention[0]) if aligned else []
            if prefix and hypothesis[: len(prefix)] == prefix:
                hypothesis, attention = hypothesis[len(prefix) :], attention[len(prefix) :]
            translations.append(_aligned(model.target, hypothesis, item.spans, attention if aligned else None))
    except (RuntimeError, ValueError, OSError) as error:
        raise TranslationError(f"{model.label}: decoding failed: {one_line(error)}", model.path) from None
    return translations


def _aligned(
    tokenizer: Tokenizer, hypothesis: list[str], source_spans: tuple[Span, ...] | None, attention: list[Any] | None
) -> Aligned:
    """The detokenized translation, with its alignment when there is attention and both sides map to spans."""
    decoded = tokenizer.decode(hypothesis)
    text = decoded.strip()
    if attention is None or source_spans is None or len(attention) != len(hypothesis):
        return Aligned(text)
    spans = token_spans(hypothesis, decoded) or _prefix_spans(tokenizer, hypothesis)
    if spans is None:
        return Aligned(text)
    shift = len(decoded) - len(decoded.lstrip())
    clamp = [(min(max(start - shift, 0), len(text)), min(max(end - shift, 0), len(text))) for start, end in spans]
    rows = tuple(tuple(float(weight) for weight in row[: len(source_spans)]) for row in attention)
    if any(len(row) != len(source_spans) for row in rows):
        return Aligned(text)
    return Aligned(text, Alignment(source_spans, tuple(clamp), rows))


def _prefix_spans(tokenizer: Tokenizer, hypothesis: list[str]) -> tuple[Span, ...] | None:
    """Token spans by decoding every prefix (slow; for tokens ``token_spans`` cannot map directly)."""
    spans: list[Span] = []
    previous = 0
    for end in range(1, len(hypothesis) + 1):
        length = max(previous, len(tokenizer.decode(hypothesis[:end])))
        spans.append((previous, length))
        previous = length
    return tuple(spans)


def chain(first: Aligned, second: Aligned) -> Aligned:
    """A pivot's result: the second leg's text, aligned to the original source through the first leg."""
    if first.alignment is None or second.alignment is None:
        return Aligned(second.text)
    return Aligned(second.text, compose(first.alignment, second.alignment))


def length_cap(tokens: int, ratio: float) -> int:
    """The most tokens the translation of a source of ``tokens`` tokens may run to: ``ratio`` times its length,
    at least 16, rounded up to the next of 16, 24, 32, 48, 64, 96… (a power of two or one and a half times one).
    It depends on the text alone, never on its batch, and the few steps let length-sorted batches stay long."""
    wanted = max(16, math.ceil(tokens * ratio))
    cap = 16
    while cap < wanted:
        cap = cap + cap // 2 if cap & (cap - 1) == 0 else cap * 4 // 3
    return cap


def token_batches(ordered: list[_Source], budget: int, ratio: float) -> Iterable[list[_Source]]:
    """Cut length-sorted texts into batches of at most ``budget`` source tokens (CTranslate2's ``batch_type=
    "tokens"`` rule; a text longer than the budget is a batch of its own) whose texts have the same
    ``length_cap``: CTranslate2 caps a whole batch at once, and a text decoded with its longest neighbour's cap
    could run on where alone it would have been cut."""
    batch: list[_Source] = []
    size, cap = 0, 0
    for item in ordered:
        length = len(item.tokens)
        if batch and (size + length > budget or length_cap(length, ratio) != cap):
            yield batch
            batch, size = [], 0
        cap = length_cap(length, ratio)
        batch.append(item)
        size += length
    if batch:
        yield batch
