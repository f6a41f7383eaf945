"""The argos engine: installed argos packages, decoded with CTranslate2 in length-sorted token-budget batches.

The only module that touches CTranslate2, sentencepiece, sacremoses and subword-nmt, always lazily (inside
functions); ``polyleaf.mt.packages`` finds and installs the packages. argostranslate is not used at all: its
``translate`` imports stanza (torch), and what a package needs to translate is these four libraries.

Decoding mirrors ``argostranslate.translate.apply_packaged_translation`` (the package's own sentencepiece model,
``target_prefix`` for multilingual packages, ``replace_unknowns``, ``length_penalty=0.2``) but, instead of one
``translate_batch`` per paragraph with a 32-token batch budget, decodes every text of a call in one pass: texts are
sorted by token length (longest first, as CTranslate2 does) and cut into batches of at most ``max_batch_tokens``
tokens (by default 2,048 on CPU and 8,192 on a GPU), each with its own ``max_decoding_length`` cap, and the order is
restored afterwards. Detokenizing uses sentencepiece directly: argos' ``SentencePieceTokenizer.decode`` also turns
every ``_`` into a space.

``translate_aligned`` also returns the decoder's attention (``return_attention=True``: for beam search, the attention
history of the returned hypothesis, one row per generated token) with the character spans of the source and target
tokens, so that MT repair can put back a placeholder the model dropped where the source pointed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from polyleaf.config import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.mt.alignment import Alignment, Span, compose, token_spans
from polyleaf.mt.engine import Aligned, Progress
from polyleaf.mt.packages import (
    PIVOT,
    ArgosPackage,
    argos_code,
    best_packages,
    installed_packages,
    missing_message,
    one_line,
    route_pairs,
)

ARGOS_LENGTH_PENALTY = 0.2
CPU_BATCH_TOKENS = 2048
GPU_BATCH_TOKENS = 8192


def resolve_device(config: MtConfig) -> tuple[str, int]:
    """The CTranslate2 device for ``config.device`` (``auto``: CUDA when CTranslate2 sees a GPU) and the token budget
    per batch: ``max_batch_tokens`` when configured, else one suited to the device (a GPU decodes far wider batches
    at the same cost per step)."""
    import ctranslate2

    device = config.device
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    budget = config.max_batch_tokens or (GPU_BATCH_TOKENS if device == "cuda" else CPU_BATCH_TOKENS)
    return device, budget


class _Tokenizer(Protocol):
    def encode(self, text: str) -> tuple[list[str], tuple[Span, ...] | None]: ...

    def decode(self, tokens: list[str]) -> str: ...


class _SentencePiece:
    """The package's sentencepiece model; source character spans come from sentencepiece's offset mapping."""

    def __init__(self, model_file: Any) -> None:
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


class _MosesBpe:
    """Packages that ship ``bpe.model`` instead of a sentencepiece model: Moses punctuation normalisation and
    tokenization (sacremoses), then subword-nmt's BPE, exactly as argos' ``BPETokenizer`` does; decoding joins the
    ``@@`` pieces and detokenizes for the target language."""

    def __init__(self, model_file: Path, source: str, target: str) -> None:
        from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
        from subword_nmt.apply_bpe import BPE

        self._normalizer = MosesPunctNormalizer(source)
        self._tokenizer = MosesTokenizer(source)
        self._detokenizer = MosesDetokenizer(target)
        with model_file.open(encoding="utf-8") as codes:
            self._bpe = BPE(codes)

    def encode(self, text: str) -> tuple[list[str], tuple[Span, ...] | None]:
        words = " ".join(self._tokenizer.tokenize(self._normalizer.normalize(text))).strip("\r\n ").split(" ")
        return list(self._bpe.segment_tokens(words)), None

    def decode(self, tokens: list[str]) -> str:
        return str(self._detokenizer.detokenize(" ".join(tokens).replace("@@ ", "").split(" ")))


@dataclass(frozen=True, slots=True)
class _Model:
    translator: Any
    tokenizer: _Tokenizer
    target_prefix: str


@dataclass(frozen=True, slots=True)
class _Source:
    """One distinct text to decode: its tokens and their character spans (None: no alignment possible)."""

    text: str
    tokens: list[str]
    spans: tuple[Span, ...] | None


class ArgosEngine:
    """Translate with installed argos packages (or the ``packages`` given: a cluster worker's copies); models are
    loaded once per engine instance."""

    name = "argos"

    def __init__(self, mt_config: MtConfig, packages: Sequence[ArgosPackage] | None = None) -> None:
        self._config = mt_config
        self._packages = tuple(packages) if packages is not None else None
        self._best: dict[tuple[str, str], ArgosPackage] | None = None
        self._models: dict[Any, _Model] = {}
        self._placement: tuple[str, int] | None = None

    def _device(self) -> tuple[str, int]:
        """The device and token budget (``resolve_device``), decided once per engine."""
        if self._placement is None:
            self._placement = resolve_device(self._config)
        return self._placement

    def route(self, source: str, target: str) -> tuple[ArgosPackage, ...]:
        """The packages that translate ``source`` into ``target`` (one, or two through English; none)."""
        return tuple(self.packages()[pair] for pair in route_pairs(source, target, self.packages().keys()))

    def packages(self) -> dict[tuple[str, str], ArgosPackage]:
        """The package this engine uses for each argos pair (the newest installed one)."""
        if self._best is None:
            self._best = best_packages(installed_packages() if self._packages is None else self._packages)
        return self._best

    def supports(self, source: str, target: str) -> bool:
        return bool(self.route(source, target))

    def provenance(self, source: str, target: str) -> str:
        route = self.route(source, target)
        if len(route) == 1:
            return f"argos {route[0].pair} {route[0].version}"
        if len(route) == 2:
            steps = ", ".join(f"{package.pair} {package.version}" for package in route)
            return f"argos {route[0].from_code}-{route[1].to_code} via {PIVOT} ({steps})"
        return f"argos {argos_code(source)}-{argos_code(target)}"

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        """Translate all ``texts`` in one batched pass per package (two passes through English for a pivot).
        ``progress`` is told after each batch of the last pass how many of ``texts`` are done."""
        return [result.text for result in self._translate(texts, source, target, progress, aligned=False)]

    def translate_aligned(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None
    ) -> list[Aligned]:
        """``translate``, with each translation's alignment to its text (composed across a pivot); None for a text
        the tokenizer cannot map to character spans."""
        return self._translate(texts, source, target, progress, aligned=True)

    def _translate(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None, *, aligned: bool
    ) -> list[Aligned]:
        route = self.route(source, target)
        if not route:
            raise TranslationError(missing_message(source, target))
        distinct = list(dict.fromkeys(texts))
        weights = Counter(texts)

        def report(done: list[int]) -> None:
            if progress is not None:
                progress(sum(weights[distinct[index]] for index in done))

        results = [Aligned(text) for text in distinct]
        for step, package in enumerate(route):
            last = step == len(route) - 1
            legs = self._decode(package, [result.text for result in results], report if last else None, aligned)
            results = [_chain(before, after) if step else after for before, after in zip(results, legs, strict=True)]
        by_text = dict(zip(distinct, results, strict=True))
        return [by_text[text] for text in texts]

    def _load(self, package: ArgosPackage) -> _Model:
        model = self._models.get(package.path)
        if model is not None:
            return model
        try:
            import ctranslate2

            device, _ = self._device()
            translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=device,
                compute_type=self._config.compute_type,
                inter_threads=1,
                intra_threads=max(0, self._config.threads),
            )
            tokenizer: _Tokenizer
            if (package.path / "sentencepiece.model").is_file():
                tokenizer = _SentencePiece(package.path / "sentencepiece.model")
            elif (package.path / "bpe.model").is_file():
                tokenizer = _MosesBpe(package.path / "bpe.model", package.from_code, package.to_code)
            else:
                raise FileNotFoundError("no sentencepiece.model or bpe.model in the package")
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"cannot load argos package {package.pair} {package.version}: {one_line(error)}", package.path
            ) from None
        model = _Model(translator, tokenizer, package.target_prefix)
        self._models[package.path] = model
        return model

    def _decode(
        self, package: ArgosPackage, texts: list[str], on_batch: Callable[[list[int]], None] | None, aligned: bool
    ) -> list[Aligned]:
        """Translate ``texts`` with one package: distinct non-blank texts, sorted by token length, token-budget
        batches, one ``max_decoding_length`` per batch; results back in input order."""
        model = self._load(package)
        positions: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            positions.setdefault(text, []).append(index)
        outputs = [Aligned(text) for text in texts]
        blank = [index for text, indices in positions.items() if not text.strip() for index in indices]
        if blank and on_batch is not None:
            on_batch(blank)
        try:
            sources = [_Source(text, *model.tokenizer.encode(text)) for text in positions if text.strip()]
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"argos {package.pair}: tokenizing failed: {one_line(error)}", package.path
            ) from None
        # Longest first, as CTranslate2 orders its own batches: on CPU, finished (shorter) translations are
        # removed from the end of the batch in place, which is cheap.
        ordered = sorted(sources, key=lambda item: (-len(item.tokens), item.text))
        _, budget = self._device()
        for batch in _token_batches(ordered, budget):
            for item, translation in zip(batch, self._translate_batch(model, package, batch, aligned), strict=True):
                for index in positions[item.text]:
                    outputs[index] = translation
            if on_batch is not None:
                on_batch([index for item in batch for index in positions[item.text]])
        return outputs

    def _translate_batch(
        self, model: _Model, package: ArgosPackage, batch: list[_Source], aligned: bool
    ) -> list[Aligned]:
        longest = max(len(item.tokens) for item in batch)
        prefix = [model.target_prefix] if model.target_prefix else []
        try:
            results = model.translator.translate_batch(
                [item.tokens for item in batch],
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=self._config.beam_size,
                num_hypotheses=1,
                length_penalty=ARGOS_LENGTH_PENALTY,
                replace_unknowns=True,
                max_decoding_length=max(16, int(longest * self._config.max_length_ratio)) + len(prefix),
                return_attention=aligned,
            )
            translations = []
            for item, result in zip(batch, results, strict=True):
                hypothesis = list(result.hypotheses[0])
                attention = list(result.attention[0]) if aligned else []
                if prefix and hypothesis[:1] == prefix:
                    hypothesis, attention = hypothesis[1:], attention[1:]
                translations.append(_aligned(model.tokenizer, hypothesis, item.spans, attention if aligned else None))
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(f"argos {package.pair}: decoding failed: {one_line(error)}", package.path) from None
        return translations


def _aligned(
    tokenizer: _Tokenizer, hypothesis: list[str], source_spans: tuple[Span, ...] | None, attention: list[Any] | None
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


def _prefix_spans(tokenizer: _Tokenizer, hypothesis: list[str]) -> tuple[Span, ...] | None:
    """Token spans by decoding every prefix (slow; for tokens ``token_spans`` cannot map directly)."""
    spans: list[Span] = []
    previous = 0
    for end in range(1, len(hypothesis) + 1):
        length = max(previous, len(tokenizer.decode(hypothesis[:end])))
        spans.append((previous, length))
        previous = length
    return tuple(spans)


def _chain(first: Aligned, second: Aligned) -> Aligned:
    """A pivot's result: the second leg's text, aligned to the original source through the first leg."""
    if first.alignment is None or second.alignment is None:
        return Aligned(second.text)
    return Aligned(second.text, compose(first.alignment, second.alignment))


def _token_batches(ordered: list[_Source], budget: int) -> Iterable[list[_Source]]:
    """Cut length-sorted texts into batches of at most ``budget`` source tokens (CTranslate2's ``batch_type=
    "tokens"`` rule; a text longer than the budget is a batch of its own)."""
    batch: list[_Source] = []
    size = 0
    for item in ordered:
        length = len(item.tokens)
        if batch and size + length > budget:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += length
    if batch:
        yield batch
