"""The ctranslate2 engine: installed CTranslate2 model folders (``polyleaf.mt.model_archives``) of any family
(``polyleaf.mt.families``), decoded like argos packages (``polyleaf.mt.decoding``).

A multilingual model translates every pair it covers directly (no pivot). With a model name the engine uses that
model only; without one, the first installed model (by name) that covers the pair.
"""

from __future__ import annotations

from collections.abc import Sequence

from polyleaf.config.mt import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.mt.decoding import (
    Decoding,
    LoadedModel,
    LoadedModels,
    SentencePiece,
    decode_texts,
    load_translator,
    progress_of_distinct,
    resolve_device,
)
from polyleaf.mt.engine import Aligned, Progress
from polyleaf.mt.model_archives import CtModel, best_models, installed_ct2_models
from polyleaf.mt.packages import one_line

#: CTranslate2's default: the converted models were tuned without argos' short-output penalty.
LENGTH_PENALTY = 1.0
INSTALL_HINT = "install one with `polyleaf models install MODEL_FOLDER_OR_ZIP`"


class Ctranslate2Engine:
    """Translate with installed CTranslate2 models (or ``models``: a cluster worker's copies); ``model`` restricts
    it to the model of that name. Models are loaded once per engine."""

    name = "ctranslate2"

    def __init__(self, mt_config: MtConfig, model: str = "", models: Sequence[CtModel] | None = None) -> None:
        self._config = mt_config
        self._wanted = model
        self._given = tuple(models) if models is not None else None
        self._models: list[CtModel] | None = None
        self._loaded = LoadedModels()
        self._placement: tuple[str, int] | None = None

    def models(self) -> list[CtModel]:
        """The models this engine may use, in the order it tries them."""
        if self._models is None:
            found = installed_ct2_models() if self._given is None else list(self._given)
            self._models = [model for model in best_models(found) if not self._wanted or model.name == self._wanted]
        return self._models

    def model_for(self, source: str, target: str) -> CtModel | None:
        return next((model for model in self.models() if model.covers(source, target)), None)

    def supports(self, source: str, target: str) -> bool:
        return self.model_for(source, target) is not None

    def provenance(self, source: str, target: str) -> str:
        model = self.model_for(source, target)
        if model is None:
            return f"ctranslate2 {self._wanted or 'no model'} {source}→{target}"
        code_source, code_target = model.codes(source, target)
        return f"ctranslate2 {model.name} {code_source}→{code_target}"

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        return [result.text for result in self._translate(texts, source, target, progress, aligned=False)]

    def translate_aligned(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None
    ) -> list[Aligned]:
        return self._translate(texts, source, target, progress, aligned=True)

    def _translate(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None, *, aligned: bool
    ) -> list[Aligned]:
        model = self.model_for(source, target)
        if model is None:
            which = f"model {self._wanted}" if self._wanted else "CTranslate2 model"
            raise TranslationError(f"no {which} covers {source} → {target}: {INSTALL_HINT}")
        distinct = list(dict.fromkeys(texts))
        report = progress_of_distinct(texts, distinct, progress)

        if self._placement is None:
            self._placement = resolve_device(self._config)
        how = Decoding(self._config.beam_size, LENGTH_PENALTY, self._config.max_length_ratio, self._placement[1])
        results = decode_texts(self._load(model), model.framing(source, target), distinct, how, report, aligned)
        by_text = dict(zip(distinct, results, strict=True))
        return [by_text[text] for text in texts]

    def _load(self, model: CtModel) -> LoadedModel:
        return self._loaded.once(model.path, lambda: self._load_model(model))

    def _load_model(self, model: CtModel) -> LoadedModel:
        if self._placement is None:
            self._placement = resolve_device(self._config)
        try:
            translator = load_translator(model.path, self._config, self._placement[0])
            source = SentencePiece(model.path / model.source_tokenizer)
            target = (
                source
                if model.target_tokenizer == model.source_tokenizer
                else SentencePiece(model.path / model.target_tokenizer)
            )
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(f"cannot load model {model.name}: {one_line(error)}", model.path) from None
        return LoadedModel(translator, source, target, f"ctranslate2 {model.name}", model.path)
