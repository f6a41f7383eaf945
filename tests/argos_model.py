"""Build real ``.argosmodel`` packages with random weights, for tests and benchmarks.

The package is the real thing as far as loading, tokenizing and decoding go: a sentencepiece model trained on the
articles in ``source/`` plus generated text, a CTranslate2 Transformer (int8) built from
``ctranslate2.specs.TransformerSpec`` with random weights, and ``metadata.json``, zipped with the package folder at
the archive root. Its output is gibberish by design.

Output length is controlled on the EOS row (id 2) of the decoder projection:

* ``eos_bias`` is added to the EOS logit at every step: a large negative value makes the model run until the
  ``max_decoding_length`` cap, a large positive one makes it stop at once;
* ``output_length`` pins the length exactly: a dedicated dimension of the (learned) decoder position encodings is
  negative before that position and positive from it on, and only the EOS row reads that dimension, so EOS is
  impossible before ``output_length`` tokens and certain at it, whatever the input, beam or batch. Benchmarks use it
  so that every call pattern does exactly the same decoding work. A post-norm decoder (Marian's layout) renormalises
  the stream after every sub-layer, so the signal would fade with depth: there no sub-layer writes that dimension but
  two units of each feed-forward block, which rewrite its sign at a fixed size (see ``_keep_length_signal``).

Nothing here is imported by ``polyleaf``; the heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import functools
import io
import json
import random
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack, cast

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = REPO_ROOT / "source"

EOS_ID = 2
_MAX_POSITIONS = 1024
_SWITCH = 24.0
_RESTORE_GAIN, _RESTORE_SIZE = 4.0, 2.0


@dataclass(frozen=True, slots=True)
class ModelSize:
    layers: int
    d_model: int
    heads: int
    ffn: int
    vocab_size: int


TINY = ModelSize(layers=2, d_model=64, heads=4, ffn=128, vocab_size=400)
TRANSFORMER_BASE = ModelSize(layers=6, d_model=512, heads=8, ffn=2048, vocab_size=32000)

_SYLLABLE_TEXT = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu ha he hi ho hu ja je jo ka ke ki "
    "ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to "
    "tu va ve vi vo vu wa we xa xe ya yo za ze zi zo zu bra bre cla cre dra dro fla fre gla gro pla pre sta ste "
    "stri tra tre tro que qui ph th sh ch ion ism ent ant ous ive al ar er or"
)
_SYLLABLES = tuple(_SYLLABLE_TEXT.split())


def source_text() -> str:
    """The project's articles (training text that looks like what will be translated)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SOURCE_DIR.glob("*.txt")))


def source_words() -> list[str]:
    return [word.strip(".,;:()*\"'") for word in source_text().split() if word.strip(".,;:()*\"'")]


def pseudo_words(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct pronounceable pseudo-words (deterministic for a seed)."""
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5)))] = None
    return list(words)


def synthetic_sentences(count: int, seed: int = 0, vocabulary: list[str] | None = None) -> list[str]:
    """Distinct sentences made of words from ``vocabulary`` (default: the articles' words), with article-like
    lengths (6-40 words) and punctuation."""
    rng = random.Random(seed)
    vocab = vocabulary or source_words()
    sentences: dict[str, None] = {}
    while len(sentences) < count:
        words = [rng.choice(vocab) for _ in range(rng.randint(6, 40))]
        if len(words) > 8 and rng.random() < 0.5:
            words[rng.randint(2, len(words) - 3)] += ","
        sentence = " ".join(words)
        sentences[sentence[0].upper() + sentence[1:] + rng.choice(".....?!")] = None
    return list(sentences)


def numeric_sentences(count: int, seed: int = 0) -> list[str]:
    """Sentences with the numbers, units and punctuation of real medical text (``2.5 mg``, ``35%``, ``(n = 48)``,
    ``[3]``, ``e.g.``, ``U.S.``); a real model's vocabulary covers them, so the test tokenizer must too."""
    rng = random.Random(seed)
    words = source_words()
    templates = (
        "In {y}, {p}% of {n} patients (n = {m}) reported {w} {w} after {d} mg [{c}].",
        "A dose of {d} mg/kg every {m} hours, e.g. {w} or {w}, is {w} {w}.",
        '{W} {w}: {n} cases in the U.S. ({p}%); see section {c}.{m} and "{w} {w}".',
        "Follow-up at {m} weeks & {y} months - {w}/{w} #{c} @ {d} {w}; {w} {w}? {p}!",
        "{W} {w} {w} {{c}} <{w}> | {w} ~ {d} + {m} = {n} * {c} _{w}_ `{w}` ^{c} $%{p}",
    )
    fill = {
        "W": lambda: rng.choice(words).capitalize(),
        "y": lambda: str(rng.randint(1990, 2030)),
        "p": lambda: str(rng.randint(1, 99)),
        "n": lambda: f"{rng.randint(10, 9999):,}",
        "m": lambda: str(rng.randint(1, 120)),
        "d": lambda: f"{rng.randint(1, 500) / 10:g}",
        "c": lambda: str(rng.randint(1, 40)),
        "w": lambda: rng.choice(words),
    }
    lines = []
    for _ in range(count):
        template = rng.choice(templates)
        lines.append(re.sub(r"\{([Wypnmdcw])\}", lambda match: fill[match.group(1)](), template))
    return lines


def _training_lines(vocab_size: int, seed: int) -> Iterator[str]:
    text = source_text()
    repeats = 3 if vocab_size <= 1000 else 20
    for _ in range(repeats):
        yield from (line for line in text.splitlines() if line.strip())
    yield from numeric_sentences(200 if vocab_size <= 1000 else 2000, seed=seed)
    if vocab_size <= 1000:
        yield from synthetic_sentences(200, seed=seed)
        return
    # A large vocabulary needs many distinct strings: pseudo-words, several times each.
    vocab = pseudo_words(vocab_size * 2, seed=seed)
    rng = random.Random(seed)
    for _ in range(12):
        rng.shuffle(vocab)
        for start in range(0, len(vocab), 20):
            yield " ".join(vocab[start : start + 20])


def train_sentencepiece(vocab_size: int, *, seed: int = 0, user_symbols: tuple[str, ...] = ()) -> bytes:
    """A serialized sentencepiece model (ids 0/1/2 = ``<unk>``/``<s>``/``</s>``)."""
    import sentencepiece as spm

    model = io.BytesIO()
    options: dict[str, Any] = {
        "sentence_iterator": _training_lines(vocab_size, seed),
        "model_writer": model,
        "vocab_size": vocab_size,
        "character_coverage": 1.0,
        "minloglevel": 2,
        "hard_vocab_limit": False,
    }
    if vocab_size > 1000:
        options.update(model_type="bpe", num_threads=4, input_sentence_size=0)
    else:
        options.update(model_type="unigram", num_threads=1)
    if user_symbols:
        options["user_defined_symbols"] = list(user_symbols)
    spm.SentencePieceTrainer.train(**options)
    return model.getvalue()


def learn_bpe_codes(merges: int = 300, seed: int = 0) -> str:
    """An argos ``bpe.model``: subword-nmt BPE codes learned on Moses-tokenized training text (the tokenization an
    argos BPE package applies before BPE)."""
    from sacremoses import MosesTokenizer
    from subword_nmt.learn_bpe import learn_bpe

    tokenizer = MosesTokenizer("en")
    text = "\n".join(" ".join(tokenizer.tokenize(line)) for line in _training_lines(400, seed))
    codes = io.StringIO()
    learn_bpe(io.StringIO(text), codes, merges)
    return codes.getvalue()


def _bpe_vocabulary(codes: str, seed: int) -> list[str]:
    """``<unk> <s> </s>`` and every BPE token of the training text (CTranslate2 maps any other token to ``<unk>``)."""
    from sacremoses import MosesTokenizer
    from subword_nmt.apply_bpe import BPE

    tokenizer, bpe = MosesTokenizer("en"), BPE(io.StringIO(codes))
    tokens = {token for line in _training_lines(400, seed) for token in bpe.segment_tokens(tokenizer.tokenize(line))}
    return ["<unk>", "<s>", "</s>", *sorted(tokens)]


def _fill_weights(
    spec: Any, size: ModelSize, vocab: int, *, eos_bias: float, output_length: int | None, banned: list[int]
) -> None:
    """Give every unset variable of ``spec`` a deterministic random (or neutral) value."""
    import numpy as np
    from ctranslate2.specs import model_spec

    rng = np.random.default_rng(1234)
    d = size.d_model

    def fill(layer: Any, name: str, value: Any) -> None:
        if value is not None:
            return
        attribute = name.rsplit("/", 1)[-1]
        if name.endswith("layer_norm/gamma"):
            array = np.ones(d, dtype=np.float32)
        elif name.endswith("layer_norm/beta"):
            array = np.zeros(d, dtype=np.float32)
        elif "embeddings" in name:
            array = rng.normal(0.0, 1.0 / np.sqrt(d), (vocab, d)).astype(np.float32)
        elif name.endswith("projection/weight"):
            array = rng.normal(0.0, 1.0 / np.sqrt(d), (vocab, d)).astype(np.float32)
            if output_length is not None:
                array[:, d - 1] = 0.0
                array[EOS_ID, :] = 0.0
                array[EOS_ID, d - 1] = 4.0
        else:
            rows, cols = _linear_shape(name, size)
            # Cross-attention output is amplified so that outputs depend visibly on the input.
            scale = 4.0 if "/attention/linear_2" in name and "self_attention" not in name else 0.5
            array = rng.normal(0.0, scale / np.sqrt(cols), (rows, cols)).astype(np.float32)
        setattr(layer, attribute, array)

    model_spec.visit_spec(spec, fill)

    def fill_biases(layer: Any, name: str, value: Any) -> None:
        if name.endswith("/bias") and isinstance(value, str):
            rows = _linear_shape(name.rsplit("/", 1)[0] + "/weight", size)[0] if "projection" not in name else vocab
            bias = np.zeros(rows, dtype=np.float32)
            if "projection" in name:
                bias[EOS_ID] = eos_bias
                bias[banned] = -1e4
            layer.bias = bias

    model_spec.visit_spec(spec, fill_biases)

    if output_length is not None:
        positions = np.arange(_MAX_POSITIONS)[:, None]
        rates = np.exp(-np.log(10000.0) * (np.arange(0, d, 2) / d))
        table = np.zeros((_MAX_POSITIONS, d), dtype=np.float32)
        table[:, 0::2] = np.sin(positions * rates)
        table[:, 1::2] = np.cos(positions * rates)
        # Step t predicts output token t + 1 (step 0 reads <s>): EOS becomes the winner at step output_length.
        table[:, d - 1] = np.where(np.arange(_MAX_POSITIONS) >= output_length, _SWITCH, -_SWITCH)
        spec.decoder.position_encodings.encodings = table
        if not spec.decoder.pre_norm:
            _keep_length_signal(spec, d)


def _keep_length_signal(spec: Any, d: int) -> None:
    """Keep the length dimension's sign through a post-norm decoder, whatever its depth and input.

    Each layer norm divides that dimension by the whole vector's spread, and the sub-layers (cross-attention is
    amplified) add noise to it: after 6 layers its sign was lost for some inputs and decoding ran to the cap. So
    no attention or feed-forward output writes it, except the last two hidden units of every feed-forward block:
    ``relu(g·x + s) - relu(g·x - s) - s`` = ``clamp(g·x, -s, s)`` adds the sign back at size ``s`` every layer.
    """
    gain, size = _RESTORE_GAIN, _RESTORE_SIZE
    for layer in spec.decoder.layer:
        layer.self_attention.linear[1].weight[d - 1, :] = 0.0
        layer.attention.linear[2].weight[d - 1, :] = 0.0
        hidden_in, hidden_out = layer.ffn.linear_0, layer.ffn.linear_1
        hidden_in.weight[-2:, :] = 0.0
        hidden_in.weight[-2:, d - 1] = gain
        hidden_in.bias[-2:] = (size, -size)
        hidden_out.weight[d - 1, :] = 0.0
        hidden_out.weight[d - 1, -2:] = (1.0, -1.0)
        hidden_out.bias[d - 1] = -size


def _linear_shape(name: str, size: ModelSize) -> tuple[int, int]:
    d, ffn = size.d_model, size.ffn
    if "/ffn/linear_0" in name:
        return ffn, d
    if "/ffn/linear_1" in name:
        return d, ffn
    if "/self_attention/linear_0" in name:
        return 3 * d, d
    if "/attention/linear_1" in name and "self_attention" not in name:
        return 2 * d, d
    return d, d


class PackageOptions(TypedDict, total=False):
    """How a generated package is made (every key optional: the defaults make a tiny model)."""

    size: ModelSize  # default TINY
    eos_bias: float  # default 0.0
    output_length: int | None  # default None
    version: str  # default "1.0"
    target_prefix: str  # default ""
    seed: int  # default 0
    sentencepiece_model: bytes | None  # default None: train one
    bpe_codes: str | None  # default None; BPE codes (learn_bpe_codes): a Moses + BPE package instead of sentencepiece
    copies_placeholders: bool  # default True


def build_argos_package(
    dest_dir: Path, from_code: str = "en", to_code: str = "es", **options: Unpack[PackageOptions]
) -> Path:
    """Write ``<dest_dir>/translate-<from>_<to>-<version>.argosmodel`` and return its path.

    ``sentencepiece_model`` reuses an already trained tokenizer (training a 32k vocabulary takes a while).
    ``target_prefix`` makes a multilingual-style package whose outputs start with that token.
    ``copies_placeholders=False`` makes a model that can never write a ``{N}`` placeholder back: every piece with a
    brace, and ``<unk>``, gets a -10,000 bias (a weak real model may drop placeholders; this one always does).

    The weights and tokenizer are a function of the options alone, so a tiny package is built once per process and
    its archive copied for every later test that asks for the same one (a transformer-base one is too big to keep).
    """
    key = (from_code, to_code, *sorted(options.items()))
    if options.get("size", TINY) == TINY:
        name, archive_bytes = _tiny_package(key)
    else:
        name, archive_bytes = _package(from_code, to_code, options)
    dest_dir.mkdir(parents=True, exist_ok=True)
    archive = dest_dir / f"{name}.argosmodel"
    archive.write_bytes(archive_bytes)
    return archive


@functools.lru_cache(maxsize=32)
def _tiny_package(key: tuple[Any, ...]) -> tuple[str, bytes]:
    from_code, to_code, *items = key
    return _package(from_code, to_code, cast(PackageOptions, dict(items)))


def _package(from_code: str, to_code: str, options: PackageOptions) -> tuple[str, bytes]:
    """The package's name and its zipped bytes."""
    import ctranslate2
    import sentencepiece as spm

    size = options.get("size", TINY)
    eos_bias, output_length = options.get("eos_bias", 0.0), options.get("output_length")
    version, target_prefix = options.get("version", "1.0"), options.get("target_prefix", "")
    seed, sentencepiece_model = options.get("seed", 0), options.get("sentencepiece_model")
    copies_placeholders = options.get("copies_placeholders", True)
    symbols = (target_prefix,) if target_prefix else ()
    bpe_codes = options.get("bpe_codes")
    if bpe_codes is not None:
        tokenizer_file, tokenizer_bytes = "bpe.model", bpe_codes.encode("utf-8")
        pieces = _bpe_vocabulary(bpe_codes, seed)
    else:
        tokenizer_file = "sentencepiece.model"
        tokenizer_bytes = sentencepiece_model or train_sentencepiece(size.vocab_size, seed=seed, user_symbols=symbols)
        processor = spm.SentencePieceProcessor(model_proto=tokenizer_bytes)
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        if processor.id_to_piece(EOS_ID) != "</s>":
            raise ValueError("the sentencepiece model must have </s> at id 2")

    spec = ctranslate2.specs.TransformerSpec.from_config((size.layers, size.layers), size.heads)
    # <unk> too: CTranslate2's replace_unknowns would copy the source piece it attends to, a brace included.
    banned = [] if copies_placeholders else [i for i, p in enumerate(pieces) if i == 0 or any(c in p for c in "{}｛｝")]
    _fill_weights(spec, size, len(pieces), eos_bias=eos_bias, output_length=output_length, banned=banned)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")

    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as work:
        package_dir = Path(work) / name
        (package_dir / "model").mkdir(parents=True)
        spec.save(str(package_dir / "model"))
        (package_dir / tokenizer_file).write_bytes(tokenizer_bytes)
        metadata: dict[str, Any] = {
            "package_version": version,
            "argos_version": "1.11",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "type": "translate",
            "links": [],
        }
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        (package_dir / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (package_dir / "README.md").write_text("Random-weight test package; output is gibberish.\n")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(package_dir.rglob("*")):
                zf.write(path, path.relative_to(package_dir.parent).as_posix())
    return name, archive.getvalue()


def build_transformer_base_package(
    dest_dir: Path,
    from_code: str = "en",
    to_code: str = "es",
    *,
    output_length: int | None = 24,
    sentencepiece_model: bytes | None = None,
) -> Path:
    """A transformer-base-sized package (6+6 layers, d 512, FFN 2048, 8 heads, ~32k vocab, int8) for benchmarks."""
    return build_argos_package(
        dest_dir,
        from_code,
        to_code,
        size=TRANSFORMER_BASE,
        output_length=output_length,
        sentencepiece_model=sentencepiece_model,
    )


def extract_package(archive: Path, dest_dir: Path) -> Path:
    """Unzip ``archive`` into ``dest_dir`` and return the package folder (for tests that load it directly)."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest_dir)
        top = zf.namelist()[0].split("/", 1)[0]
    return dest_dir / top


def copy_package(archive: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(archive, dest_dir / archive.name))


def pretend_gpu(monkeypatch: Any, count: int = 1) -> list[str]:
    """Make CTranslate2 report ``count`` CUDA devices and build every translator on the CPU whatever device it is
    asked for; returns the list the requested devices are appended to (there is no GPU on the test machines)."""
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: count)
    devices: list[str] = []
    original = ctranslate2.Translator

    def on_cpu(path: str, **options: Any) -> Any:
        devices.append(options["device"])
        return original(path, **{**options, "device": "cpu"})

    monkeypatch.setattr(ctranslate2, "Translator", on_cpu)
    return devices
