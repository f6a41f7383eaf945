"""CTranslate2 model folders of every family (generated, random weights: ``ct2_models``): installed through the CLI,
chosen per language by ``[mt]``, framed as each family needs, and run through the whole pipeline.
"""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from argos_model import TINY, synthetic_sentences
from ct2_models import NLLB_CODES, build_ct2_model
from helpers import content_project, po_path, snapshot, twin
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.config.mt import MtConfig
from polyleaf.errors import ConfigError, TranslationError
from polyleaf.execution.workers import Parallel
from polyleaf.mt.ctranslate2_engine import Ctranslate2Engine
from polyleaf.mt.model_archives import install_ct2_model, installed_ct2_models, models_dir, vocabulary
from polyleaf.mt.registry import RoutedEngine
from polyleaf.pipeline import mt_tasks, runner, translate
from polyleaf.pipeline.review import check
from release_helpers import (
    DOSE,
    DOSE_SENTENCE,
    DOSE_SOURCE,
    MARKUP_SENTENCE,
    manifest,
    one_leaflet_project,
    release,
    review,
)

ARTICLE = "bvna-chronic-low-back-pain"
FAMILIES = ("marian", "nllb", "m2m100", "t5-madlad")
TEXTS = ["Take 2 tablets of {1} every day.", "Back pain is common.", "Back pain is common.", ""]


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ct2")
    return {family: build_ct2_model(folder, family) for family in FAMILIES}


@pytest.fixture(autouse=True)
def models_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test installs into its own (empty) models folder, and its own argos packages folder."""
    monkeypatch.setenv("POLYLEAF_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    return tmp_path / "models"


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


class Spy:
    """Wraps a translator and records what each ``translate_batch`` call was given."""

    def __init__(self, translator: Any) -> None:
        self.translator = translator
        self.calls: list[tuple[list[list[str]], Any]] = []

    def translate_batch(self, tokens: list[list[str]], **options: Any) -> Any:
        self.calls.append((tokens, options.get("target_prefix")))
        return self.translator.translate_batch(tokens, **options)


def spy_on(engine: Ctranslate2Engine, source: str, target: str) -> Spy:
    engine.translate(["warm up"], source, target)
    [(path, loaded)] = list(engine._loaded.items())
    spy = Spy(loaded.translator)
    engine._loaded[path] = dataclasses.replace(loaded, translator=spy)
    return spy


# ------------------------------------------------------------------------------------------------ families


@pytest.mark.parametrize(
    ("family", "source_first", "target_prefix"),
    [
        ("nllb", "eng_Latn", ["som_Latn"]),
        ("m2m100", "__en__", ["__so__"]),
        ("t5-madlad", "<2so>", None),
        ("marian", None, None),
    ],
)
def test_each_family_frames_its_tokens(
    archives: dict[str, Path], family: str, source_first: str | None, target_prefix: list[str] | None
) -> None:
    model = install_ct2_model(archives[family])
    engine = Ctranslate2Engine(MtConfig(beam_size=2), model.name)
    spy = spy_on(engine, "en", "so")
    outputs = engine.translate(TEXTS, "en", "so")
    assert len(outputs) == 4 and outputs[1] == outputs[2] and outputs[3] == ""
    batch = [tokens for call, _ in spy.calls for tokens in call]
    assert len(batch) == 2  # distinct, non-blank texts only
    for tokens in batch:
        assert tokens[-1] == "</s>"
        if source_first is not None:
            assert tokens[0] == source_first
        else:
            assert not tokens[0].startswith((">>", "__", "<2"))
    for call, prefixes in spy.calls:  # a batch per length cap
        assert prefixes == ([target_prefix] * len(call) if target_prefix else None)
    assert all(not text.startswith(("som_Latn", "__so__")) for text in outputs)  # the forced token is not text


def test_marian_decodes_with_its_own_target_vocabulary(archives: dict[str, Path]) -> None:
    """The target sentencepiece model is not the source one: its pieces (pseudo-words) decode to text, where the
    source model would leave them as raw pieces (``▁habre``)."""
    model = install_ct2_model(archives["marian"])
    assert model.source_tokenizer == "source.spm" and model.target_tokenizer == "target.spm"
    engine = Ctranslate2Engine(MtConfig(beam_size=1), model.name)
    outputs = engine.translate([f"Sentence number {index} about back pain." for index in range(20)], "en", "so")
    [loaded] = engine._loaded.values()
    assert loaded.source is not loaded.target
    assert all(text and "⁇" not in text and "▁" not in text for text in outputs)
    own = sorted(vocabulary(model.path, "target") - vocabulary(model.path, "source"))
    piece = next(piece for piece in own if piece.startswith("▁") and len(piece) > 3)
    assert loaded.target.decode([piece]) == piece[1:]
    assert loaded.source.decode([piece]) != piece[1:]  # the source model does not know the target's pieces


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_a_pinned_model_decodes_exactly_that_many_tokens_at_benchmark_depth(tmp_path: Path, family: str) -> None:
    """The throughput benchmark pins every output's length so that all call patterns do the same work; Marian's
    post-norm layers washed the pin out at 6 layers (some sentences decoded to the 256-token cap)."""
    import ctranslate2
    import sentencepiece

    size = dataclasses.replace(TINY, layers=6)
    folder = build_ct2_model(tmp_path, family, {"en": "en", "es": "es"}, size=size, archive=False, output_length=11)
    translator = ctranslate2.Translator(str(folder), intra_threads=1)
    source = "source.spm" if family == "marian" else "sentencepiece.bpe.model"
    processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / source))
    sentences = [*synthetic_sentences(12, seed=4), "Stop!", "x", DOSE_SENTENCE]
    tokens = [processor.encode(sentence, out_type=str) for sentence in sentences]
    for beam in (1, 4):
        results = translator.translate_batch(tokens, beam_size=beam, max_decoding_length=256, length_penalty=0.2)
        assert [len(result.hypotheses[0]) for result in results] == [11] * len(sentences)
        # Still reads its input (a deep random post-norm model repeats a few tokens, pinned or not).
        assert len({tuple(result.hypotheses[0]) for result in results}) > 2


def test_an_aligned_translation_accounts_for_the_framing_tokens(archives: dict[str, Path]) -> None:
    model = install_ct2_model(archives["nllb"])
    engine = Ctranslate2Engine(MtConfig(beam_size=2), model.name)
    [result] = engine.translate_aligned(["Back pain is common in adults."], "en", "so")
    assert result.alignment is not None
    spans = result.alignment.source_spans
    assert spans[0] == (0, 0) and spans[-1] == (30, 30)  # eng_Latn before, </s> after the text
    assert all(len(row) == len(spans) for row in result.alignment.weights)


def test_provenance_names_the_model_and_its_codes(archives: dict[str, Path]) -> None:
    install_ct2_model(archives["nllb"])
    engine = Ctranslate2Engine(MtConfig())
    assert engine.provenance("en", "so") == "ctranslate2 nllb-200-distilled-600M eng_Latn→som_Latn"
    assert engine.provenance("en", "fa_AF") == "ctranslate2 nllb-200-distilled-600M eng_Latn→prs_Arab"
    assert engine.provenance("en", "fa") == "ctranslate2 nllb-200-distilled-600M eng_Latn→pes_Arab"
    assert engine.supports("en", "es_MX")  # a territory falls back to the language
    assert not engine.supports("en", "de") and not engine.supports("en", "sr_Latn")


# ------------------------------------------------------------------------------------------------ installing


def test_models_install_list_and_remove_through_the_cli(archives: dict[str, Path], project: Path) -> None:
    result = cli("--project", str(project), "models", "install", str(archives["nllb"]), str(archives["m2m100"]))
    assert result.exit_code == 0, result.output
    assert "installed nllb-200-distilled-600M 1.0 (licence CC-BY-NC-4.0, non-commercial)" in result.output
    assert "installed m2m100_418M 1.0 (licence MIT)" in result.output
    listing = cli("--project", str(project), "models", "list")
    assert (
        "installed  nllb-200-distilled-600M  1.0  ctranslate2  licence CC-BY-NC-4.0  NON-COMMERCIAL" in listing.output
    )
    assert "installed  m2m100_418M  1.0  ctranslate2  licence MIT  (en, ne, ps, so, ti, ur)" in listing.output
    data = json.loads(cli("--project", str(project), "models", "list", "--json").output)
    assert {model["name"]: model["non_commercial"] for model in data["ctranslate2"]} == {
        "m2m100_418M": False,
        "nllb-200-distilled-600M": True,
    }
    removed = cli("--project", str(project), "models", "remove", "m2m100_418M")
    assert removed.exit_code == 0 and "removed m2m100_418M 1.0" in removed.output
    assert [model.name for model in installed_ct2_models()] == ["nllb-200-distilled-600M"]
    missing = CliRunner().invoke(main, ["models", "remove", "m2m100_418M"])
    assert missing.exit_code != 0 and "no installed model 'm2m100_418M' (installed: nllb-200-distilled-600M)" in (
        missing.output
    )


def test_a_model_folder_installs_and_replaces_the_installed_one_whole(tmp_path: Path) -> None:
    folder = build_ct2_model(tmp_path / "src", "m2m100", archive=False)
    first = install_ct2_model(folder)
    assert first.path == models_dir() / "m2m100_418M" and (first.path / "model.bin").is_file()
    manifest = json.loads((folder / "polyleaf-model.json").read_text(encoding="utf-8"))
    (folder / "polyleaf-model.json").write_text(json.dumps({**manifest, "version": "2.0"}), encoding="utf-8")
    assert install_ct2_model(folder).version == "2.0"
    assert sorted(path.name for path in models_dir().iterdir()) == ["m2m100_418M"]  # nothing left aside


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"family": "gpt"}, "family 'gpt' is not one of marian, nllb, m2m100, t5-madlad"),
        ({"languages": {"en": "eng_Latn", "de": "deu_Latn"}}, "needs 'deu_Latn', not in the source vocabulary"),
        ({"licence": ""}, "polyleaf-model.json has no licence"),
        ({"name": "../escape"}, "name '../escape' is not a plain name"),
        ({"source_prefix": "{lang}"}, "may only use {source} and {target}"),
        ({"colour": "red"}, "unknown key 'colour'"),
        ({"source_tokenizer": "missing.model"}, "no missing.model in the model folder"),
    ],
)
def test_a_model_that_is_not_what_its_manifest_says_is_refused(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    folder = build_ct2_model(tmp_path / "src", "nllb", {"en": "eng_Latn", "so": "som_Latn"}, archive=False)
    manifest = json.loads((folder / "polyleaf-model.json").read_text(encoding="utf-8"))
    (folder / "polyleaf-model.json").write_text(json.dumps({**manifest, **change}), encoding="utf-8")
    with pytest.raises(TranslationError) as caught:
        install_ct2_model(folder)
    assert message in str(caught.value) and caught.value.path == folder
    assert not models_dir().exists() or not [path for path in models_dir().iterdir() if path.name != ".x"]


def test_unsafe_archives_and_folders_are_refused(tmp_path: Path) -> None:
    folder = build_ct2_model(tmp_path / "src", "m2m100", {"en": "en", "so": "so"}, archive=False)
    (folder / "link").symlink_to("/etc/passwd")
    with pytest.raises(TranslationError, match="link is not a regular file"):
        install_ct2_model(folder)
    (folder / "link").unlink()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"m/{path.name}")
        archive.writestr("m/../../outside.txt", "x")
    with pytest.raises(TranslationError, match="unsafe path"):
        install_ct2_model(evil)
    assert not (tmp_path / "outside.txt").exists()
    squatted = models_dir() / "m2m100_418M"
    squatted.mkdir(parents=True)
    (squatted / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(TranslationError, match="is not an installed model"):
        install_ct2_model(folder)
    assert (squatted / "notes.txt").read_text(encoding="utf-8") == "mine"


# ------------------------------------------------------------------------------------------------ configuration


def write_config(project: Path, languages: str, mt: str) -> None:
    (project / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = [{languages}]\nformats = ["txt"]\n[mt]\n{mt}\n', encoding="utf-8"
    )


def test_engines_are_chosen_per_language_with_a_fallback_order(archives: dict[str, Path], project: Path) -> None:
    install_ct2_model(archives["nllb"])
    install_ct2_model(archives["m2m100"])
    write_config(
        project,
        '"so", "ti", "ps", "es"',
        'engine = ["ctranslate2:m2m100_418M", "argos"]\n[mt.languages]\nso = "ctranslate2:nllb-200-distilled-600M"\n'
        '"en-ti" = ["ctranslate2:no-such-model", "ctranslate2"]',
    )
    config = load_config(project)
    assert config.mt.engine == ("ctranslate2:m2m100_418M", "argos")
    assert config.mt.engines_for("ti") == ("ctranslate2:no-such-model", "ctranslate2")
    engine = RoutedEngine(config.mt)
    assert engine.provenance("en", "so") == "ctranslate2 nllb-200-distilled-600M eng_Latn→som_Latn"
    assert engine.provenance("en", "ps") == "ctranslate2 m2m100_418M en→ps"
    assert engine.provenance("en", "ti").startswith("ctranslate2 m2m100_418M en→ti")  # first installed by name
    assert not engine.supports("en", "es")  # m2m100 has no es here, and no argos package is installed
    assert engine.licence("en", "so") == ("CC-BY-NC-4.0", True)


@pytest.mark.parametrize(
    ("mt", "message"),
    [
        ('engine = "deepl"', "mt.engine: 'deepl' is not an engine (argos, ctranslate2, or ctranslate2:<model name>)"),
        ('engine = "argos:big"', "'argos:big' is not an engine"),
        ("engine = []", "mt.engine must be an engine or a list of engines"),
        ('[mt.languages]\nxx_nope = "argos"', "xx_nope"),
        ('[mt.languages]\n"fr-so" = "argos"', "fr-so"),
    ],
)
def test_engine_settings_are_checked(project: Path, mt: str, message: str) -> None:
    write_config(project, '"so"', mt)
    with pytest.raises(ConfigError) as caught:
        load_config(project)
    assert message in str(caught.value) and caught.value.line is not None


# ------------------------------------------------------------------------------------------------ the pipeline


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_run_fills_po_entries_with_each_family(archives: dict[str, Path], project: Path, family: str) -> None:
    model = install_ct2_model(archives[family])
    write_config(project, '"so", "ne"', f'engine = "ctranslate2:{model.name}"')
    (project / "locales").mkdir(exist_ok=True)
    (project / "locales" / "glossary.csv").write_text("term,language,translation,note\nBVNA,*,,\n", encoding="utf-8")
    result = cli("--project", str(project), "run", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["filled_from_mt"]["so"] > 0 and summary["filled_from_mt"]["ne"] > 0
    codes = {"nllb": ("eng_Latn", "som_Latn")}.get(family, ("en", "so"))
    entries = catalog.read_po(project / "locales" / "so" / "LC_MESSAGES" / f"{ARTICLE}.po").entries()
    assert entries and all(entry.fuzzy and entry.msgstr for entry in entries)
    provenance = f"mt: ctranslate2 {model.name} {codes[0]}→{codes[1]}"
    assert all(any(line.startswith(provenance) for line in entry.comments) for entry in entries)
    with_term = [entry for entry in entries if "BVNA" in entry.msgid]
    assert with_term and all("BVNA" in entry.msgstr for entry in with_term)  # do-not-translate term kept
    bold = [entry for entry in entries if "**" in entry.msgid]
    assert all(entry.msgstr.count("**") == entry.msgid.count("**") for entry in bold)  # markup placeholders
    again = json.loads(cli("--project", str(project), "run", "--json").output)
    assert again["written"] == [] and again["filled_from_mt"] == {"so": 0, "ne": 0}


@pytest.mark.slow
def test_local_workers_translate_with_the_configured_models_and_write_the_same_bytes(
    archives: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    install_ct2_model(archives["nllb"])
    install_ct2_model(archives["m2m100"])
    mt = 'engine = "ctranslate2:m2m100_418M"\n[mt.languages]\nso = "ctranslate2:nllb-200-distilled-600M"'
    here = content_project(tmp_path / "here", "")
    write_config(here, '"so", "ps"', mt)
    there = twin(here, "there")
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)
    runner.run(load_config(here), parallel=Parallel(workers=1))
    calls: list[int] = []
    original = mt_tasks.placement

    def watched(*args: Any) -> Any:
        executor, engine = original(*args)
        calls.append(os.getpid())
        assert type(engine).__name__ == "EngineRecipe"  # the registry's recipe, not the engine, goes to workers
        return executor, engine

    monkeypatch.setattr(mt_tasks, "placement", watched)
    report = runner.run(load_config(there), parallel=Parallel(workers=2))
    assert calls and report.filled_from_mt["so"] > 0 and report.filled_from_mt["ps"] > 0
    assert snapshot(there) == snapshot(here)
    po = (there / "locales" / "ps" / "LC_MESSAGES" / f"{ARTICLE}.po").read_text(encoding="utf-8")
    assert "# mt: ctranslate2 m2m100_418M en→ps" in po


def test_nllb_codes_cover_the_clinic_languages() -> None:
    assert {"so", "ti", "ps", "ne", "ur", "fa_AF"} <= NLLB_CODES.keys()


# ------------------------------------------------------------------------------------------------ licences


@pytest.mark.slow
def test_a_release_and_check_say_when_a_non_commercial_model_translated(
    archives: dict[str, Path], tmp_path: Path
) -> None:
    install_ct2_model(archives["nllb"])
    root = one_leaflet_project(tmp_path / "p", DOSE_SOURCE, ["es"])
    nllb = "mt: ctranslate2 nllb-200-distilled-600M eng_Latn→spa_Latn"
    spanish = {
        "Dosage": "Dosis",
        DOSE_SENTENCE: "Tome 2,5 mg del medicamento dos veces al día.",
        MARKUP_SENTENCE: "Mantenga **todas** las tabletas lejos de los niños.",
    }
    review(root, "es", DOSE, text=lambda language, msgid: spanish[msgid])
    po = open_po(po_path(root, "es", DOSE))
    entry = po.find(DOSE_SENTENCE)
    entry.comments = [nllb if line.startswith("mt:") else line for line in entry.comments] or [nllb]
    po.save()
    config = (root / "polyleaf.toml").read_text(encoding="utf-8")
    (root / "polyleaf.toml").write_text(
        config + '[mt]\nengine = ["ctranslate2", "argos"]\n[leaflet]\ncommercial = true\n', encoding="utf-8"
    )
    report = release(root)
    assert report.published == [f"es/{DOSE}"], (report.withheld, report.qa_errors, report.warnings)
    [record] = [record for record in manifest(root) if record["document"] == DOSE]
    assert record["non_commercial_mt"] == ["ctranslate2 nllb-200-distilled-600M eng_Latn→spa_Latn (CC-BY-NC-4.0)"]
    warnings = [d for d in check(load_config(root)) if d.check == "licence"]
    assert [str(warning) for warning in warnings] == [
        "polyleaf.toml:6: warning [licence] leaflets are commercial ([leaflet] commercial = true), but es is "
        "machine-translated with ctranslate2 nllb-200-distilled-600M eng_Latn→spa_Latn (CC-BY-NC-4.0), whose "
        "licence does not allow commercial use"
    ]
    (root / "polyleaf.toml").write_text(config + '[mt]\nengine = ["ctranslate2", "argos"]\n', encoding="utf-8")
    assert not [d for d in check(load_config(root)) if d.check == "licence"]


def test_auto_device_uses_a_gpu_with_its_compute_type(
    archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No GPU here: CTranslate2 is told there is one (and what it supports); the translator runs on the CPU."""
    import ctranslate2

    from argos_model import pretend_gpu

    install_ct2_model(archives["m2m100"])
    devices = pretend_gpu(monkeypatch)
    supported = {"cuda": {"float32", "int8", "float16", "int8_float16"}, "cpu": {"float32", "int8", "int8_float32"}}
    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", lambda device: supported[device])
    asked: list[str] = []
    on_cpu = ctranslate2.Translator

    def recording(path: str, **options: Any) -> Any:
        asked.append(options["compute_type"])
        return on_cpu(path, **{**options, "compute_type": "auto"})

    monkeypatch.setattr(ctranslate2, "Translator", recording)
    assert Ctranslate2Engine(MtConfig()).translate(["Back pain."], "en", "so")[0]
    assert devices == ["cuda"] and asked == ["int8_float16"]
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    Ctranslate2Engine(MtConfig()).translate(["Back pain."], "en", "so")
    assert devices == ["cuda", "cpu"] and asked == ["int8_float16", "int8_float32"]
    Ctranslate2Engine(MtConfig(compute_type="float32")).translate(["Back pain."], "en", "so")
    assert asked[-1] == "float32"


def test_two_tasks_at_a_time_decode_what_one_alone_does_and_a_failed_load_is_not_kept(
    archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker running two tasks at a time gives its engine two decoders: with a CTranslate2 model, as with an argos
    package, two threads translating at once get what one thread gets alone, on one loaded model. A load that fails
    fails the tasks that waited for it without keeping the failure or the lock: the next task loads the model."""
    import threading

    import ctranslate2

    model = install_ct2_model(archives["marian"])
    halves = [synthetic_sentences(6, seed=1), synthetic_sentences(6, seed=2)]
    alone = [Ctranslate2Engine(MtConfig(threads=1), model.name).translate(half, "en", "so") for half in halves]
    engine = Ctranslate2Engine(MtConfig(threads=1, decoders=2), model.name)
    original = ctranslate2.Translator
    loads: list[str] = []

    def failing_once(path: str, **options: Any) -> Any:
        loads.append(path)
        if len(loads) == 1:
            raise RuntimeError("out of memory")
        return original(path, **options)

    monkeypatch.setattr(ctranslate2, "Translator", failing_once)
    start = threading.Barrier(2)

    def translate_each(results: dict[int, object]) -> None:
        def translate_half(index: int) -> None:
            start.wait()
            try:
                results[index] = engine.translate(halves[index], "en", "so")
            except TranslationError as error:
                results[index] = error.message

        threads = [threading.Thread(target=translate_half, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)  # no deadlock

    failed: dict[int, object] = {}
    translate_each(failed)
    [message] = [result for result in failed.values() if isinstance(result, str)]  # the other task loaded it
    assert "cannot load model" in message and "out of memory" in message
    translated: dict[int, object] = {}
    translate_each(translated)
    assert [translated[0], translated[1]] == alone
    [loaded] = engine._loaded.values()
    assert loaded.translator.num_translators == 2
    assert len(loads) == 2  # the failed load, then the one the three tasks after it share
