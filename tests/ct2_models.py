"""Build real CTranslate2 model folders of each family with random weights, for tests and benchmarks.

Like ``argos_model``: real file formats (a CTranslate2 model saved from ``ctranslate2.specs``, sentencepiece models
trained on the articles, ``polyleaf-model.json``), real language tokens in the vocabulary, gibberish output.

* ``marian``: a post-norm Transformer with *separate* source and target sentencepiece models and vocabularies
  (``source.spm``, ``target.spm``); the target one is trained on pseudo-words, so text decoded with the wrong model
  shows ``⁇``.
* ``nllb`` and ``m2m100``: pre-norm Transformers with a shared vocabulary: sentencepiece pieces, then the language
  tokens (``eng_Latn`` / ``__en__``), which sentencepiece itself does not know, as in the real models.
* ``t5-madlad``: a T5 (pre-norm RMS norm, gated GELU FFN, relative attention bias, no position encodings) whose
  sentencepiece model has the ``<2xx>`` tokens as symbols, ``<pad>`` as decoder start.

Nothing here is imported by ``polyleaf``; the heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any, TypedDict, Unpack

from argos_model import TINY, ModelSize, _fill_weights, pseudo_words, train_sentencepiece

NLLB_CODES = {
    "en": "eng_Latn",
    "es": "spa_Latn",
    "so": "som_Latn",
    "ti": "tir_Ethi",
    "am": "amh_Ethi",
    "ps": "pbt_Arab",
    "fa": "pes_Arab",
    "fa_AF": "prs_Arab",
    "ne": "npi_Deva",
    "ur": "urd_Arab",
    "my": "mya_Mymr",
    "ht": "hat_Latn",
}
LICENCES = {"marian": "CC-BY-4.0", "nllb": "CC-BY-NC-4.0", "m2m100": "MIT", "t5-madlad": "Apache-2.0"}
DEFAULT_NAMES = {
    "marian": "opus-mt-en-so",
    "nllb": "nllb-200-distilled-600M",
    "m2m100": "m2m100_418M",
    "t5-madlad": "madlad400-3b-mt",
}


def language_tokens(family: str, languages: dict[str, str]) -> list[str]:
    codes = list(dict.fromkeys(languages.values()))
    spelled = {"nllb": "{}", "m2m100": "__{}__", "t5-madlad": "<2{}>"}.get(family)
    return [spelled.format(code) for code in codes] if spelled else []


def _spec(family: str, size: ModelSize) -> Any:
    import ctranslate2
    from ctranslate2.specs import common_spec

    layers = (size.layers, size.layers)
    if family == "marian":
        return ctranslate2.specs.TransformerSpec.from_config(layers, size.heads, pre_norm=False)
    if family == "t5-madlad":
        return ctranslate2.specs.TransformerSpec.from_config(
            layers,
            size.heads,
            pre_norm=True,
            activation=common_spec.Activation.GELUTanh,
            ffn_glu=True,
            relative_attention_bias=True,
            rms_norm=True,
        )
    return ctranslate2.specs.TransformerSpec.from_config(layers, size.heads, pre_norm=True)


def _relative_attention(spec: Any, size: ModelSize) -> None:
    """T5's relative position buckets (32 buckets, distance 128), random, for every self-attention."""
    import numpy as np
    from ctranslate2.specs import model_spec

    rng = np.random.default_rng(7)

    def fill(layer: Any, name: str, value: Any) -> None:
        if name.endswith("relative_attention_bias") and value is None:
            layer.relative_attention_bias = rng.normal(0, 0.5, (32, size.heads)).astype(np.float32)
        elif name.endswith("relative_attention_max_distance") and value is None:
            layer.relative_attention_max_distance = np.dtype("int32").type(128)

    model_spec.visit_spec(spec, fill)


class ModelOptions(TypedDict, total=False):
    """How a generated model is made (every key optional)."""

    name: str  # default DEFAULT_NAMES[family]
    size: ModelSize  # default TINY
    eos_bias: float  # default 2.0: short outputs
    output_length: int | None  # default None (see argos_model; not for t5-madlad, which has no position encodings)
    archive: bool  # default True: a zip archive, else the folder
    sentencepiece_model: bytes | None  # default None: train one
    manifest: dict[str, Any]  # keys that override the generated manifest's


def build_ct2_model(
    dest_dir: Path, family: str, languages: dict[str, str] | None = None, **options: Unpack[ModelOptions]
) -> Path:
    """Write a model of ``family`` below ``dest_dir``: a zip archive or the folder; returns its path.

    ``languages`` maps Babel identifiers to the model's codes (default: NLLB's codes for nllb, the identifiers for
    the others; a marian model translates from en into the others).
    """
    import sentencepiece as spm

    name, size = options.get("name", ""), options.get("size", TINY)
    eos_bias, output_length = options.get("eos_bias", 2.0), options.get("output_length")
    sentencepiece_model = options.get("sentencepiece_model")
    if languages is None:
        languages = dict(NLLB_CODES) if family == "nllb" else {key: key for key in ("en", "so", "ti", "ps", "ne", "ur")}
    name = name or DEFAULT_NAMES[family]
    tokens = language_tokens(family, languages)
    symbols = tuple(tokens) if family == "t5-madlad" else ()
    source_model = sentencepiece_model or train_sentencepiece(size.vocab_size, user_symbols=symbols)
    source_pieces = _pieces(spm, source_model)
    if family == "marian":
        target_model = train_sentencepiece(size.vocab_size, seed=3, user_symbols=tuple(pseudo_words(40, seed=9)))
        target_pieces = _pieces(spm, target_model)
    else:
        target_model, target_pieces = source_model, source_pieces
    extra = [token for token in tokens if token not in source_pieces]
    extra += ["<pad>"] if family == "t5-madlad" else []
    source_vocabulary = [*source_pieces, *extra]
    target_vocabulary = [*target_pieces, *extra] if family != "marian" else target_pieces

    spec = _spec(family, size)
    if family == "t5-madlad":
        _relative_attention(spec, size)
    spec.config.decoder_start_token = "<pad>" if family == "t5-madlad" else "</s>"
    vocab = max(len(source_vocabulary), len(target_vocabulary))
    _fill_weights(spec, size, vocab, eos_bias=eos_bias, output_length=output_length, banned=[])
    _trim_embeddings(spec, len(source_vocabulary), len(target_vocabulary))
    spec.register_source_vocabulary(source_vocabulary)
    spec.register_target_vocabulary(target_vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")

    files = {"marian": ("source.spm", "target.spm"), "t5-madlad": ("spiece.model",) * 2}.get(
        family, ("sentencepiece.bpe.model",) * 2
    )
    content: dict[str, Any] = {"name": name, "family": family, "version": "1.0", "licence": LICENCES[family]}
    if family == "marian":
        content["sources"] = {key: code for key, code in languages.items() if key == "en"}
        content["targets"] = {key: code for key, code in languages.items() if key != "en"}
    else:
        content["languages"] = languages
    content.update(options.get("manifest", {}))
    dest_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=dest_dir))
    folder = work / name
    folder.mkdir()
    spec.save(str(folder))
    (folder / files[0]).write_bytes(source_model)
    (folder / files[1]).write_bytes(target_model)
    (folder / "polyleaf-model.json").write_text(json.dumps(content, indent=2), encoding="utf-8")
    if not options.get("archive", True):
        return folder
    path = dest_dir / f"{name}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in sorted(folder.rglob("*")):
            zf.write(item, item.relative_to(work).as_posix())
    return path


def _pieces(spm: Any, model: bytes) -> list[str]:
    processor = spm.SentencePieceProcessor(model_proto=model)
    return [processor.id_to_piece(index) for index in range(processor.get_piece_size())]


def _trim_embeddings(spec: Any, source_size: int, target_size: int) -> None:
    """The weights were made for the larger vocabulary: cut each side's embeddings and projection to its own."""
    encoder_embeddings = spec.encoder.embeddings[0]
    encoder_embeddings.weight = encoder_embeddings.weight[:source_size]
    spec.decoder.embeddings.weight = spec.decoder.embeddings.weight[:target_size]
    spec.decoder.projection.weight = spec.decoder.projection.weight[:target_size]
    spec.decoder.projection.bias = spec.decoder.projection.bias[:target_size]
