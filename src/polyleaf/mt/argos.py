"""The argos engine: installed argos packages (``polyleaf.mt.packages``), decoded by ``polyleaf.mt.decoding``.

argostranslate is not used at all: its ``translate`` imports stanza (torch), and what a package needs to translate
is CTranslate2, sentencepiece (or sacremoses and subword-nmt for ``bpe.model`` packages), imported lazily.
Decoding mirrors ``argostranslate.translate.apply_packaged_translation`` (the package's own tokenizer,
``target_prefix`` for multilingual packages, ``replace_unknowns``, ``length_penalty=0.2``) but decodes every text
of a call in one pass of token-budget batches. A pair without a package goes through English (two packages), and
its alignment is composed across the pivot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from polyleaf.config.mt import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.mt.alignment import Span
from polyleaf.mt.decoding import (
    Decoding,
    Framing,
    LoadedModel,
    LoadedModels,
    SentencePiece,
    Tokenizer,
    chain,
    decode_texts,
    load_translator,
    progress_of_distinct,
    resolve_device,
)
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
__all__ = ["ArgosEngine", "resolve_device"]


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


class ArgosEngine:
    """Translate with installed argos packages (or the ``packages`` given: a cluster worker's copies); models are
    loaded once per engine instance."""

    name = "argos"

    def __init__(self, mt_config: MtConfig, packages: Sequence[ArgosPackage] | None = None) -> None:
        self._config = mt_config
        self._packages = tuple(packages) if packages is not None else None
        self._best: dict[tuple[str, str], ArgosPackage] | None = None
        self._models = LoadedModels()
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
        report = progress_of_distinct(texts, distinct, progress)

        results = [Aligned(text) for text in distinct]
        for step, package in enumerate(route):
            last = step == len(route) - 1
            legs = self._decode(package, [result.text for result in results], report if last else None, aligned)
            results = [chain(before, after) if step else after for before, after in zip(results, legs, strict=True)]
        by_text = dict(zip(distinct, results, strict=True))
        return [by_text[text] for text in texts]

    def _load(self, package: ArgosPackage) -> LoadedModel:
        return self._models.once(package.path, lambda: self._load_model(package))

    def _load_model(self, package: ArgosPackage) -> LoadedModel:
        try:
            device, _ = self._device()
            translator = load_translator(package.path / "model", self._config, device)
            tokenizer: Tokenizer
            if (package.path / "sentencepiece.model").is_file():
                tokenizer = SentencePiece(package.path / "sentencepiece.model")
            elif (package.path / "bpe.model").is_file():
                tokenizer = _MosesBpe(package.path / "bpe.model", package.from_code, package.to_code)
            else:
                raise FileNotFoundError("no sentencepiece.model or bpe.model in the package")
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"cannot load argos package {package.pair} {package.version}: {one_line(error)}", package.path
            ) from None
        return LoadedModel(translator, tokenizer, tokenizer, f"argos {package.pair}", package.path)

    def _decode(
        self, package: ArgosPackage, texts: list[str], on_batch: Callable[[list[int]], None] | None, aligned: bool
    ) -> list[Aligned]:
        """Translate ``texts`` with one package, with the package's own target prefix (multilingual packages)."""
        framing = Framing(target_prefix=(package.target_prefix,) if package.target_prefix else ())
        how = Decoding(self._config.beam_size, ARGOS_LENGTH_PENALTY, self._config.max_length_ratio, self._device()[1])
        return decode_texts(self._load(package), framing, texts, how, on_batch, aligned)
