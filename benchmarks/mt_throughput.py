"""MT throughput: argostranslate's call pattern vs polyleaf's batched path vs one ideal translate_batch.

A transformer-base-sized random argos package is generated (6+6 layers, d_model 512, FFN 2048, 8 heads, ~32k
sentencepiece vocabulary, int8) whose output length is pinned (``--output-length`` tokens for every input, see
tests/argos_model.py), so every call pattern does exactly the same decoding work. Corpora: the sentences of
``source/*.txt`` (one paragraph per line, split with ``polyleaf.segment.split_sentences``), and a synthetic corpus
``--scale`` times larger with the same paragraph shapes and distinct sentences. Paths timed, models loaded beforehand:

(a) argostranslate 1.11 — ``apply_packaged_translation``'s pattern: one ``translate_batch`` per paragraph with its
    settings (``max_batch_size=32, batch_type="tokens"``, beam ``max(1, beam)``, ``length_penalty=0.2``,
    ``replace_unknowns``), tokens of the paragraph's sentences decoded together;
(b) polyleaf — the translate stage's ``translate_chunks`` with ``ArgosEngine``: chunks of 128 distinct segments
    (saved to the PO files between chunks), each through ``machine_translate`` (de-duplication, placeholders,
    sorted token-budget batches);
(c) ceiling — one ``translate_batch`` over the distinct segments with ``max_batch_size=2048, batch_type="tokens"``.

(a) makes one call per paragraph, so its rate does not depend on the corpus size: on the synthetic corpus it is
measured on every ``scale``-th paragraph (``--full-argos`` for all of them). (b) and (c) on the small corpus keep the
best of ``--repeat`` interleaved runs (a shared 2-core machine is noisy).

    uv run python benchmarks/mt_throughput.py [--beam 4] [--scale 20] [--output-length 16]

Nothing is written outside a temporary directory (HOME, XDG_* and ARGOS_PACKAGES_DIR point into it).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Corpus:
    name: str
    paragraphs: list[list[str]]

    @property
    def segments(self) -> list[str]:
        return [sentence for paragraph in self.paragraphs for sentence in paragraph]


def source_corpus() -> Corpus:
    from polyleaf.segment import split_sentences

    paragraphs = []
    for path in sorted((ROOT / "source").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                paragraphs.append([line[start:end] for start, end in split_sentences(line, "en")])
    return Corpus("source/*.txt", paragraphs)


def synthetic_corpus(base: Corpus, scale: int) -> Corpus:
    """``scale`` × the paragraphs of ``base`` (same sentences-per-paragraph), with distinct generated sentences."""
    from argos_model import synthetic_sentences

    shapes = [len(paragraph) for paragraph in base.paragraphs] * scale
    sentences = iter(synthetic_sentences(sum(shapes), seed=20))
    random.Random(20).shuffle(shapes)
    return Corpus(f"synthetic x{scale}", [[next(sentences) for _ in range(size)] for size in shapes])


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def argos_pattern(translator: Any, processor: Any, corpus: Corpus, beam: int) -> list[str]:
    """(a) what ``argostranslate.translate`` does: one translate_batch per paragraph, its settings."""
    outputs = []
    for paragraph in corpus.paragraphs:
        tokenized = [processor.encode(sentence, out_type=str) for sentence in paragraph]
        results = translator.translate_batch(
            tokenized,
            target_prefix=None,
            replace_unknowns=True,
            max_batch_size=32,
            batch_type="tokens",
            beam_size=max(1, beam),
            num_hypotheses=1,
            length_penalty=0.2,
            return_scores=True,
        )
        tokens = [token for result in results for token in result.hypotheses[0]]
        outputs.append(processor.decode_pieces(tokens))
    return outputs


def polyleaf_path(engine: Any, corpus: Corpus) -> list[str]:
    """(b) polyleaf's MT stage as ``polyleaf translate`` runs it: chunks of ``CHUNK_SEGMENTS`` distinct texts,
    longest first, one ``machine_translate`` call per chunk (the PO files are saved between chunks)."""
    from polyleaf.mt import Glossary
    from polyleaf.pipeline import translate_chunks

    chunks = translate_chunks(engine, corpus.segments, "en", "es", Glossary())
    return [result.text for results in chunks for result in results]


def ceiling(translator: Any, processor: Any, segments: Sequence[str], beam: int, budget: int) -> list[str]:
    """(c) one length-sorted, token-batched translate_batch over the distinct segments."""
    distinct = list(dict.fromkeys(segments))
    tokenized = [processor.encode(segment, out_type=str) for segment in distinct]
    results = translator.translate_batch(
        tokenized,
        max_batch_size=budget,
        batch_type="tokens",
        beam_size=beam,
        length_penalty=0.2,
        replace_unknowns=True,
    )
    return [processor.decode_pieces(list(result.hypotheses[0])) for result in results]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--scale", type=int, default=20, help="size of the synthetic corpus (0 to skip it)")
    parser.add_argument("--output-length", type=int, default=16, help="tokens every translation is pinned to")
    parser.add_argument("--threads", type=int, default=0, help="CTranslate2 intra_threads (0 = its default)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b) and (c) on the small corpus (best kept)")
    parser.add_argument(
        "--full-argos", action="store_true", help="run (a) on the whole synthetic corpus, not a 1/scale sample"
    )
    options = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="polyleaf-bench-"))
    for variable, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        os.environ[variable] = str(work / sub)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    sys.path.insert(0, str(ROOT / "tests"))

    import ctranslate2
    import sentencepiece

    from argos_model import build_transformer_base_package
    from polyleaf.config import MtConfig
    from polyleaf.mt.argos import ArgosEngine, install_package

    build_time, archive = timed(
        partial(build_transformer_base_package, work / "archives", output_length=options.output_length)
    )
    package = install_package(archive)
    print(
        f"model: transformer-base random (6+6 layers, d 512, FFN 2048, 8 heads, int8), "
        f"{(package.path / 'model' / 'model.bin').stat().st_size / 1e6:.0f} MB, built in {build_time:.1f} s; "
        f"beam {options.beam}; output pinned to {options.output_length} tokens; "
        f"{os.cpu_count()} CPUs, ctranslate2 {ctranslate2.__version__}"
    )

    processor = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(package.path / "model"), device="cpu", inter_threads=1, intra_threads=options.threads, compute_type="auto"
    )
    config = MtConfig(beam_size=options.beam, device="cpu", threads=options.threads)
    engine = ArgosEngine(config)
    engine.translate(["Warm up."], "en", "es")
    translator.translate_batch([processor.encode("Warm up.", out_type=str)], beam_size=options.beam)

    base = source_corpus()
    corpora = [base] + ([synthetic_corpus(base, options.scale)] if options.scale > 0 else [])
    header = f"{'corpus':<16}{'segments':>9}{'tokens/seg':>11}{'(a) argos':>12}{'(b) polyleaf':>14}{'(c) ceiling':>13}"
    print(f"\n{header}{'b/a':>7}{'b/c':>7}   (segments/s; seconds)")
    for corpus in corpora:
        segments = corpus.segments
        tokens = sum(len(processor.encode(segment)) for segment in segments) / len(segments)
        # (a) has no batching across paragraphs, so its rate can be measured on a sample of the paragraphs.
        step = 1 if options.full_argos else max(1, len(segments) // len(base.segments))
        sample = Corpus(corpus.name, corpus.paragraphs[::step])
        time_a, _ = timed(partial(argos_pattern, translator, processor, sample, options.beam))
        rate_a = len(sample.segments) / time_a
        # (b) and (c) are short on the small corpus: best of --repeat interleaved runs, against the machine's noise.
        repeats = options.repeat if corpus is base else 1
        times_b: list[float] = []
        times_c: list[float] = []
        for _ in range(repeats):
            times_b.append(timed(partial(polyleaf_path, engine, corpus))[0])
            times_c.append(
                timed(partial(ceiling, translator, processor, segments, options.beam, config.max_batch_tokens))[0]
            )
        time_b, time_c = min(times_b), min(times_c)
        rate_b, rate_c = len(segments) / time_b, len(segments) / time_c
        sampled = f" on {len(sample.segments)}" if step > 1 else ""
        print(
            f"{corpus.name:<16}{len(segments):>9}{tokens:>11.1f}{rate_a:>12.1f}{rate_b:>14.1f}{rate_c:>13.1f}"
            f"{rate_b / rate_a:>7.2f}{rate_b / rate_c:>7.2f}   ({time_a:.1f}{sampled}, {time_b:.1f}, {time_c:.1f})"
        )


if __name__ == "__main__":
    main()
