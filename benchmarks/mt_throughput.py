"""MT throughput: argostranslate's call pattern vs polyleaf's batched path vs one ideal translate_batch.

A random argos package is generated — transformer-base sized by default (6+6 layers, d_model 512, FFN 2048, 8
heads, ~32k sentencepiece vocabulary, int8; ``--model tiny`` for a quick smoke run) — whose output length is pinned
(``--output-length`` tokens for every input, see tests/argos_model.py), so every call pattern does exactly the same
decoding work. Corpora: the sentences of ``source/*.txt`` (one paragraph per line, split with
``polyleaf.source.segment.split_sentences``), and a synthetic corpus ``--scale`` times larger with the same
paragraph shapes and distinct sentences. Paths timed, models loaded beforehand:

(a)  argostranslate 1.11 — ``apply_packaged_translation``'s pattern: one ``translate_batch`` per paragraph with its
     settings (``max_batch_size=32, batch_type="tokens"``, beam ``max(1, beam)``, ``length_penalty=0.2``,
     ``replace_unknowns``), tokens of the paragraph's sentences decoded together; argos' default threads
     (``ARGOS_INTRA_THREADS=0``: CTranslate2's default);
(a1) the same with one thread (``intra_threads=1``: argos' best setting on 2 cores);
(b)  polyleaf — the translate stage's ``translate_chunks`` with ``ArgosEngine``: chunks of 128 distinct segments,
     each through ``machine_translate`` (de-duplication, placeholders, sorted token-budget batches, repair);
(c)  ceiling — one ``translate_batch`` over the distinct segments with polyleaf's token budget and one length cap
     for all (``max(16, longest × max_length_ratio)``; with the output length pinned, no cap is ever reached).

Every path runs ``--rounds`` times, interleaved (a, a1, b, c; the order rotates every round, so none always runs
after the same neighbour) — on a shared machine one timing each swings by 2-3×. The table gives the median
rate, the min–max range, and the ratios of medians. (a) makes one call per paragraph, so its rate does not depend on
the corpus size: on the synthetic corpus it runs on every ``scale``-th paragraph (``--full-argos`` for all).

    uv run python benchmarks/mt_throughput.py [--beam 4] [--scale 5] [--rounds 5] [--device auto|cpu|cuda]
    uv run python benchmarks/mt_throughput.py --budgets-only [--budgets 256,512,1024,2048] [--beam 1]

Then, for CTranslate2 model folders of each family (``--families``; tests/ct2_models.py: Marian, NLLB, M2M100, a
MADLAD-style T5, random weights, the same size as the argos model — transformer-base is OPUS-MT's size; the real
NLLB-600M, M2M100-418M and MADLAD-3B are 2-6 times larger), a second table on the source corpus: (a) argos'
per-paragraph pattern on that model (with the family's language tokens), (d) polyleaf with that model through the
ctranslate2 engine, and the ratios d/a and d/b (b: polyleaf with the argos package, from the first table). The T5
has no position encodings, so its output length cannot be pinned: its row compares paths on one model only. Every
pinned model is checked first (64 segments, beam 4): the run stops if it decodes any other length.

Last, the token budget per batch (``--budgets``): polyleaf (b) with each budget, interleaved, on a synthetic corpus
``--budget-scale`` times the source's (several chunks of 128 segments, as a library's language has: on the source
corpus alone most batches hold fewer tokens than any budget, whatever it is),
against the budget polyleaf picks for the device (``polyleaf.mt.decoding.BATCH_TOKENS``, "tuned") and the 2,048 it
used before on every CPU; each budget's outputs are compared with 2,048's and with one segment per batch (decoded
once, untimed). CPU seconds (the process's, all threads) are steadier than wall time on a busy machine. The last
line gives tuned vs 2,048: seconds, segments/s, their ratio (and 2,048's CPU seconds over tuned's), and how many
outputs are identical. ``--budgets-only`` skips the other tables.

``--device cuda`` (or ``auto`` on a machine with a GPU) runs every path on the GPU, with polyleaf's GPU token budget
for (b) and (c); the first line says which device and compute type were used. Nothing is written outside a
temporary directory (HOME, XDG_*, ARGOS_PACKAGES_DIR and POLYLEAF_MODELS_DIR point into it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PATHS = ("(a) argos", "(a1) argos 1 thread", "(b) polyleaf", "(c) ceiling")
#: The CPU token budget before it was tuned per device: what the budget table compares with.
BEFORE_BUDGET = 2048


@dataclass(frozen=True)
class Corpus:
    name: str
    paragraphs: list[list[str]]

    @property
    def segments(self) -> list[str]:
        return [sentence for paragraph in self.paragraphs for sentence in paragraph]


@dataclass
class Timings:
    """Seconds per round of each path, and how many segments each path translated per round."""

    segments: dict[str, int]
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def rate(self, path: str) -> float:
        return self.segments[path] / statistics.median(self.seconds[path])

    def cell(self, path: str) -> str:
        rates = [self.segments[path] / seconds for seconds in self.seconds[path]]
        return f"{self.rate(path):.1f} ({min(rates):.1f}–{max(rates):.1f})"


def source_corpus() -> Corpus:
    from polyleaf.source.segment import split_sentences

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


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def argos_pattern(translator: Any, processor: Any, corpus: Corpus, beam: int, framing: Any = None) -> list[str]:
    """(a) what ``argostranslate.translate`` does: one translate_batch per paragraph, its settings (``framing``: a
    CTranslate2 family's language tokens around each sentence)."""
    outputs = []
    for paragraph in corpus.paragraphs:
        tokenized, prefixes = framed(processor, paragraph, framing)
        results = translator.translate_batch(
            tokenized,
            target_prefix=prefixes,
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


def framed(processor: Any, sentences: Sequence[str], framing: Any) -> tuple[list[list[str]], list[list[str]] | None]:
    """The sentences' tokens with a family's language tokens around them, and the target prefixes (or None)."""
    before, after = (list(framing.source_prefix), list(framing.source_suffix)) if framing else ([], [])
    tokenized = [[*before, *processor.encode(sentence, out_type=str), *after] for sentence in sentences]
    prefix = list(framing.target_prefix) if framing and framing.target_prefix else None
    return tokenized, [prefix] * len(tokenized) if prefix else None


def require_pinned_length(translator: Any, processor: Any, corpus: Corpus, length: int, framing: Any = None) -> None:
    """Stop when a model decodes other lengths than its pin: its figures would compare different decoding work."""
    tokenized, prefixes = framed(processor, corpus.segments[:64], framing)
    results = translator.translate_batch(tokenized, target_prefix=prefixes, beam_size=4, max_decoding_length=256)
    lengths = sorted({len(result.hypotheses[0]) for result in results})
    if lengths != [length]:
        sys.exit(f"the model decodes {lengths} tokens per segment, not the {length} it is pinned to")


def polyleaf_path(engine: Any, corpus: Corpus) -> list[str]:
    """(b) polyleaf's MT stage as ``polyleaf translate`` runs it: chunks of ``CHUNK_SEGMENTS`` distinct texts,
    longest first, one ``machine_translate`` call per chunk (the PO files are saved between chunks)."""
    from polyleaf.glossary import Glossary
    from polyleaf.pipeline.translate import translate_chunks

    chunks = translate_chunks(engine, corpus.segments, "en", "es", Glossary())
    return [result.text for results in chunks for result in results]


def ceiling(
    translator: Any, processor: Any, segments: Sequence[str], beam: int, budget: int, ratio: float
) -> list[str]:
    """(c) one length-sorted, token-batched translate_batch over the distinct segments, one length cap for all."""
    distinct = list(dict.fromkeys(segments))
    tokenized = [processor.encode(segment, out_type=str) for segment in distinct]
    results = translator.translate_batch(
        tokenized,
        max_batch_size=budget,
        batch_type="tokens",
        beam_size=beam,
        length_penalty=0.2,
        replace_unknowns=True,
        max_decoding_length=max(16, int(max(len(tokens) for tokens in tokenized) * ratio)),
    )
    return [processor.decode_pieces(list(result.hypotheses[0])) for result in results]


def measure(runs: dict[str, Callable[[], Any]], segments: dict[str, int], rounds: int) -> Timings:
    """Run every path ``rounds`` times, interleaved, the order rotating each round."""
    timings = Timings(segments, {path: [] for path in runs})
    names = list(runs)
    for round_number in range(rounds):
        shift = round_number % len(names)
        for path in names[shift:] + names[:shift]:
            timings.seconds[path].append(timed(runs[path]))
    return timings


def isolate(work: Path) -> None:
    """Point argos' directories into ``work`` before argostranslate is imported."""
    for variable, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        os.environ[variable] = str(work / sub)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--scale", type=int, default=5, help="size of the synthetic corpus (0 to skip it)")
    parser.add_argument("--output-length", type=int, default=16, help="tokens every translation is pinned to")
    parser.add_argument(
        "--threads", type=int, default=0, help="intra_threads of (b) and (c) (0 = CTranslate2's default)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="interleaved runs of every path")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--model", choices=("base", "tiny"), default="base", help="transformer-base or a tiny model")
    parser.add_argument(
        "--full-argos", action="store_true", help="run (a) on the whole synthetic corpus, not a 1/scale sample"
    )
    parser.add_argument(
        "--families", default="marian,nllb,m2m100,t5-madlad", help="CTranslate2 model families to compare ('' for none)"
    )
    parser.add_argument(
        "--budgets",
        default="256,512,1024,2048",
        help="token budgets per batch to compare with the tuned one ('' for none)",
    )
    parser.add_argument("--budget-scale", type=int, default=3, help="size of the budget table's synthetic corpus")
    parser.add_argument("--budgets-only", action="store_true", help="only the token budget table")
    options = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="polyleaf-bench-"))
    isolate(work)
    sys.path.insert(0, str(ROOT / "tests"))

    import ctranslate2
    import sentencepiece

    from argos_model import TINY, TRANSFORMER_BASE, build_argos_package, build_transformer_base_package
    from polyleaf.config.mt import MtConfig
    from polyleaf.mt.argos import ArgosEngine, resolve_device
    from polyleaf.mt.decoding import resolve_compute_type
    from polyleaf.mt.package_install import install_package

    config = MtConfig(beam_size=options.beam, device=options.device, threads=options.threads)
    device, budget = resolve_device(config)
    started = time.perf_counter()
    if options.model == "base":
        archive = build_transformer_base_package(work / "archives", output_length=options.output_length)
        described = "transformer-base random (6+6 layers, d 512, FFN 2048, 8 heads, int8)"
    else:
        archive = build_argos_package(work / "archives", output_length=options.output_length)
        described = "tiny random (2+2 layers, d 64)"
    build_time = time.perf_counter() - started
    package = install_package(archive)
    print(
        f"model: {described}, {(package.path / 'model' / 'model.bin').stat().st_size / 1e6:.1f} MB, built in "
        f"{build_time:.1f} s; beam {options.beam}; output pinned to {options.output_length} tokens; device {device}, "
        f"compute type {resolve_compute_type(config, device)}, token budget {budget} (CUDA devices seen: "
        f"{ctranslate2.get_cuda_device_count()}); {os.cpu_count()} CPUs, ctranslate2 {ctranslate2.__version__}; "
        f"{options.rounds} interleaved rounds"
    )

    processor = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))

    def translator(threads: int) -> Any:
        return ctranslate2.Translator(
            str(package.path / "model"), device=device, inter_threads=1, intra_threads=threads, compute_type="auto"
        )

    argos_default, argos_one, ideal = translator(0), translator(1), translator(options.threads)
    engine = ArgosEngine(config)
    engine.translate(["Warm up."], "en", "es")
    for warm in (argos_default, argos_one, ideal):
        warm.translate_batch([processor.encode("Warm up.", out_type=str)], beam_size=options.beam)

    base = source_corpus()
    require_pinned_length(ideal, processor, base, options.output_length)
    budgets = [int(budget) for budget in options.budgets.split(",") if budget]
    budget_corpus = synthetic_corpus(base, options.budget_scale) if options.budget_scale > 0 else base
    if options.budgets_only:
        compare_budgets(budgets, budget_corpus, config, options.rounds)
        return
    corpora = [base] + ([synthetic_corpus(base, options.scale)] if options.scale > 0 else [])
    header = f"{'corpus':<15}{'segs':>6}{'tok/seg':>8}" + "".join(f"{path:>22}" for path in PATHS)
    print(f"\nsegments/s: median (min–max) of {options.rounds} rounds\n{header}{'b/a':>7}{'b/a1':>7}{'b/c':>7}")
    for corpus in corpora:
        segments = corpus.segments
        tokens = sum(len(processor.encode(segment)) for segment in segments) / len(segments)
        step = 1 if options.full_argos else max(1, len(segments) // len(base.segments))
        sample = Corpus(corpus.name, corpus.paragraphs[::step])
        runs: dict[str, Callable[[], Any]] = {
            PATHS[0]: partial(argos_pattern, argos_default, processor, sample, options.beam),
            PATHS[1]: partial(argos_pattern, argos_one, processor, sample, options.beam),
            PATHS[2]: partial(polyleaf_path, engine, corpus),
            PATHS[3]: partial(ceiling, ideal, processor, segments, options.beam, budget, config.max_length_ratio),
        }
        counts = {PATHS[0]: len(sample.segments), PATHS[1]: len(sample.segments)}
        counts |= {PATHS[2]: len(segments), PATHS[3]: len(segments)}
        timings = measure(runs, counts, options.rounds)
        rate_a, rate_a1, rate_b, rate_c = (timings.rate(path) for path in PATHS)
        print(
            f"{corpus.name:<15}{len(segments):>6}{tokens:>8.1f}"
            + "".join(f"{timings.cell(path):>22}" for path in PATHS)
            + f"{rate_b / rate_a:>7.2f}{rate_b / rate_a1:>7.2f}{rate_b / rate_c:>7.2f}"
        )
        if step > 1:
            print(f"{'':<29}(a) and (a1) on 1 paragraph in {step}: {len(sample.segments)} segments")
        if corpus is base:
            polyleaf_argos = rate_b
    families = [family for family in options.families.split(",") if family]
    if families:
        size = TRANSFORMER_BASE if options.model == "base" else TINY
        spm_model = (package.path / "sentencepiece.model").read_bytes()
        compare_families(families, base, polyleaf_argos, config, (work, size, spm_model, options))
    if budgets:
        compare_budgets(budgets, budget_corpus, config, options.rounds)


def compare_budgets(budgets: Sequence[int], corpus: Corpus, config: Any, rounds: int) -> None:
    """The token budget table: polyleaf (b) with each budget and the tuned one, interleaved, outputs compared with
    2,048's and with one segment per batch; then tuned vs 2,048."""
    import dataclasses

    from polyleaf.mt.argos import ArgosEngine, resolve_device

    device, tuned = resolve_device(dataclasses.replace(config, max_batch_tokens=None))
    compared = sorted({*budgets, tuned, BEFORE_BUDGET})
    engines = {budget: ArgosEngine(dataclasses.replace(config, max_batch_tokens=budget)) for budget in compared}
    for engine in engines.values():
        engine.translate(["Warm up."], "en", "es")
    alone = polyleaf_path(ArgosEngine(dataclasses.replace(config, max_batch_tokens=1)), corpus)
    outputs: dict[str, list[str]] = {}
    cpu: dict[str, list[float]] = {str(budget): [] for budget in compared}

    def run(budget: int) -> None:
        started = time.process_time()
        outputs[str(budget)] = polyleaf_path(engines[budget], corpus)
        cpu[str(budget)].append(time.process_time() - started)

    count, before = len(alone), str(BEFORE_BUDGET)
    runs: dict[str, Callable[[], Any]] = {str(budget): partial(run, budget) for budget in compared}
    timings = measure(runs, dict.fromkeys(runs, count), rounds)
    print(
        f"\ntoken budget per batch, polyleaf (b) on {corpus.name} ({count} distinct segments), {device}, beam "
        f"{config.beam_size}: median (min–max) of {rounds} rounds; tuned for {device}: {tuned}"
    )
    print(
        f"{'budget':<14}{'seconds':>9}{'CPU seconds':>13}{'segments/s':>23}{f'same as {before}':>15}"
        f"{'same as alone':>15}"
    )
    for key in runs:
        label = f"{key}{' tuned' if key == str(tuned) else ''}"
        print(
            f"{label:<14}{statistics.median(timings.seconds[key]):>9.2f}{statistics.median(cpu[key]):>13.2f}"
            f"{' ' + timings.cell(key):>23}"  # a space even when a fast machine's rates fill the column
            f"{identical(outputs[key], outputs[before]):>11}/{count}{identical(outputs[key], alone):>11}/{count}"
        )
    seconds = {key: statistics.median(timings.seconds[key]) for key in (str(tuned), before)}
    print(
        f"tuned {tuned} vs {before}: {seconds[str(tuned)]:.2f} s vs {seconds[before]:.2f} s, "
        f"{timings.rate(str(tuned)):.1f} vs {timings.rate(before):.1f} segments/s, ratio "
        f"{timings.rate(str(tuned)) / timings.rate(before):.2f} (CPU seconds "
        f"{statistics.median(cpu[before]) / statistics.median(cpu[str(tuned)]):.2f}); outputs identical "
        f"{identical(outputs[str(tuned)], outputs[before])}/{count}"
    )


def identical(outputs: Sequence[str], others: Sequence[str]) -> int:
    """How many outputs are the same string in both runs (same corpus, same order)."""
    return sum(one == other for one, other in zip(outputs, others, strict=True))


def compare_families(
    families: Sequence[str], corpus: Corpus, polyleaf_argos: float, config: Any, setup: tuple[Any, ...]
) -> None:
    """The second table: each family's model through argos' pattern (a) and polyleaf's ctranslate2 engine (d)."""
    import ctranslate2
    import sentencepiece

    from ct2_models import build_ct2_model
    from polyleaf.mt.ctranslate2_engine import Ctranslate2Engine
    from polyleaf.mt.decoding import resolve_device
    from polyleaf.mt.model_archives import install_ct2_model

    work, size, spm_model, options = setup
    os.environ["POLYLEAF_MODELS_DIR"] = str(work / "models")
    device, _ = resolve_device(config)
    print(
        f"\n{corpus.name}, segments/s: median (min–max) of {options.rounds} rounds; "
        f"polyleaf+argos (b) {polyleaf_argos:.1f}"
    )
    print(f"{'family':<12}{'MB':>7}{'(a) argos pattern':>22}{'(d) polyleaf+ct2':>22}{'d/a':>7}{'d/b':>7}")
    for family in families:
        pinned = options.output_length if family != "t5-madlad" else None
        folder = build_ct2_model(
            work / "ct2",
            family,
            {"en": "en", "es": "es"},
            name=f"bench-{family}",
            size=size,
            archive=False,
            output_length=pinned,
            eos_bias=0.0 if pinned else 4.0,
            sentencepiece_model=spm_model,
        )
        model = install_ct2_model(folder)
        engine = Ctranslate2Engine(config, model.name)
        engine.translate(["Warm up."], "en", "es")
        framing = model.framing("en", "es")
        processor = sentencepiece.SentencePieceProcessor(model_file=str(model.path / model.source_tokenizer))
        translator = ctranslate2.Translator(str(model.path), device=device, inter_threads=1, intra_threads=0)
        if pinned:
            require_pinned_length(translator, processor, corpus, pinned, framing)
        runs: dict[str, Callable[[], Any]] = {
            "a": partial(argos_pattern, translator, processor, corpus, options.beam, framing),
            "d": partial(polyleaf_path, engine, corpus),
        }
        timings = measure(runs, {"a": len(corpus.segments), "d": len(corpus.segments)}, options.rounds)
        megabytes = (model.path / "model.bin").stat().st_size / 1e6
        rate_a, rate_d = timings.rate("a"), timings.rate("d")
        print(
            f"{family:<12}{megabytes:>7.1f}{timings.cell('a'):>22}{timings.cell('d'):>22}"
            f"{rate_d / rate_a:>7.2f}{rate_d / polyleaf_argos:>7.2f}"
        )


if __name__ == "__main__":
    main()
