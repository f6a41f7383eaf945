"""The argos engine against real generated packages: install, discovery, batched CTranslate2 decoding, pivot,
errors. Nothing is written outside pytest's temporary directories; the network is never touched."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pwd
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argos_model import (
    build_argos_package,
    learn_bpe_codes,
    pretend_gpu,
    synthetic_sentences,
    train_sentencepiece,
)
from polyleaf.config.mt import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.glossary import Glossary, GlossaryEntry
from polyleaf.mt.argos import ArgosEngine, _MosesBpe, resolve_device
from polyleaf.mt.decoding import BATCH_TOKENS, length_cap
from polyleaf.mt.package_install import download_packages, install_package
from polyleaf.mt.packages import argos_code, install_dir, installed_packages, package_dirs, package_index_url
from polyleaf.mt.run import machine_translate
from polyleaf.pipeline.models import installed_models

REAL_HOME = Path(pwd.getpwuid(os.getuid()).pw_dir)
ARGOS_DIRS_AT_HOME = (".local/share/argos-translate", ".config/argos-translate", ".local/cache/argos-translate")


def _snapshot_real_home() -> dict[str, float]:
    found: dict[str, float] = {}
    for relative in ARGOS_DIRS_AT_HOME:
        root = REAL_HOME / relative
        if root.exists():
            for path in [root, *root.rglob("*")]:
                found[str(path)] = path.stat().st_mtime
    return found


@pytest.fixture(scope="module", autouse=True)
def argos_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """HOME, XDG_* and ARGOS_PACKAGES_DIR point into a temporary directory (argos' settings are read at call time);
    the real home's argos folders are untouched afterwards."""
    home = tmp_path_factory.mktemp("home")
    before = _snapshot_real_home()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_DATA_HOME", str(home / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
        patch.setenv("ARGOS_PACKAGES_DIR", str(home / "packages"))
        yield home
    assert _snapshot_real_home() == before


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Generated packages, built once per module (one sentencepiece model shared by all)."""
    out = tmp_path_factory.mktemp("archives")
    sp = train_sentencepiece(400)
    prefixed_sp = train_sentencepiece(400, user_symbols=("__es__",))
    return {
        "en-es": build_argos_package(out / "a", "en", "es", eos_bias=2.0, sentencepiece_model=sp),
        "en-es-1.1": build_argos_package(out / "b", "en", "es", version="1.1", eos_bias=2.0, sentencepiece_model=sp),
        "runaway": build_argos_package(out / "c", "en", "es", eos_bias=-50.0, sentencepiece_model=sp),
        "es-en": build_argos_package(out / "d", "es", "en", eos_bias=2.0, sentencepiece_model=sp),
        "en-fr": build_argos_package(out / "e", "en", "fr", eos_bias=2.0, sentencepiece_model=sp),
        "en-pb": build_argos_package(out / "f", "en", "pb", eos_bias=2.0, sentencepiece_model=sp),
        "prefixed": build_argos_package(
            out / "g", "en", "es", eos_bias=2.0, target_prefix="__es__", sentencepiece_model=prefixed_sp
        ),
    }


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty packages directory for this test (ARGOS_PACKAGES_DIR is read at call time, not import time)."""
    directory = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    return directory


TEXTS = [
    "Chronic low back pain remains a pervasive and debilitating condition.",
    "Understanding the Mechanism of Action",
    "Chronic low back pain remains a pervasive and debilitating condition.",
    "The needle precisely disrupts the nerve.",
    "Recovery",
    "",
    *synthetic_sentences(12, seed=3),
]


class Spy:
    """Wraps a CTranslate2 translator to record each translate_batch call and its results."""

    def __init__(self, translator: Any) -> None:
        self.translator = translator
        self.calls: list[tuple[list[list[str]], dict[str, Any], list[list[str]]]] = []

    def translate_batch(self, batch: list[list[str]], **options: Any) -> Any:
        results = self.translator.translate_batch(batch, **options)
        self.calls.append((batch, options, [list(result.hypotheses[0]) for result in results]))
        return results


def spy_on(engine: ArgosEngine, source: str, target: str) -> Spy:
    """Load the model of the direct pair and wrap its translator."""
    engine.translate(["warm up"], source, target)
    [(path, model)] = [(path, model) for path, model in engine._models.items()]
    spy = Spy(model.translator)
    engine._models[path] = dataclasses.replace(model, translator=spy)
    return spy


def test_packages_are_where_argos_puts_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """argos' rules, read at call time: ARGOS_PACKAGES_DIR, else argos' settings.json, else XDG_DATA_HOME's
    argos-translate/packages; the index likewise. Reading them creates nothing."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    assert package_dirs() == [tmp_path / "packages"] == [install_dir()]
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    assert install_dir() == tmp_path / "data" / "argos-translate" / "packages"
    assert installed_packages() == []
    assert list(tmp_path.iterdir()) == []
    assert package_index_url() == "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": "/srv/argos", "ARGOS_PACKAGE_INDEX": "https://mirror/"}))
    assert package_dirs() == [Path("/srv/argos")]
    assert package_index_url() == "https://mirror/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://other/")
    assert package_index_url() == "https://other/index.json"
    settings.write_text("{not json")
    with pytest.raises(TranslationError, match="cannot read argos' settings") as caught:
        install_dir()
    assert caught.value.path == settings


def test_importing_the_engine_is_light(tmp_path: Path) -> None:
    code = (
        "import sys, polyleaf.mt, polyleaf.mt.argos\n"
        "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'sacremoses', 'subword_nmt') if m in sys.modules]\n"
        "print(heavy)"
    )
    environment = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    output = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def test_install_and_discover(archives: dict[str, Path], packages: Path) -> None:
    assert installed_models() == []
    package = install_package(archives["en-es"])
    assert (package.from_code, package.to_code, package.version) == ("en", "es", "1.0")
    assert package.path.parent == packages
    assert installed_models() == [("en", "es", "1.0")]
    assert [path.name for path in packages.parent.iterdir() if path.name.startswith(".polyleaf")] == []
    engine = ArgosEngine(MtConfig())
    assert engine.supports("en", "es")
    assert engine.supports("en", "es_MX")
    assert not engine.supports("en", "fr")
    assert engine.provenance("en", "es") == "argos en-es 1.0"
    # A newer version wins; reinstalling the same file replaces it in place.
    install_package(archives["en-es-1.1"])
    install_package(archives["en-es-1.1"])
    assert installed_models() == [("en", "es", "1.0"), ("en", "es", "1.1")]
    assert ArgosEngine(MtConfig()).provenance("en", "es") == "argos en-es 1.1"


def test_moses_bpe_tokenizer(tmp_path: Path) -> None:
    """A bpe.model package's tokenizer: Moses normalisation and tokenization, then BPE merges in rank order with
    word-final ``</w>`` (subword-nmt codes version 0.2), ``@@`` joining non-final pieces; decoding undoes both."""
    codes = tmp_path / "bpe.model"
    codes.write_text("#version: 0.2\nl o\nlo w</w>\ne r</w>\n", encoding="utf-8")
    tokenizer = _MosesBpe(codes, "en", "es")
    tokens, spans = tokenizer.encode("lower  low.")
    assert (tokens, spans) == (["lo@@", "w@@", "er", "low", "."], None)
    assert tokenizer.decode(tokens) == "lower low."
    # Moses normalises the punctuation (’ « »), splits and escapes it; unmerged words go character by character.
    tokens, _ = tokenizer.encode("It’s «2.5 mg»")
    assert tokens[:3] == ["I@@", "t", "&@@"] and tokens[-3:] == ["o@@", "t@@", ";"]
    assert " ".join(tokens).replace("@@ ", "") == "It &apos;s &quot; 2.5 mg &quot;"
    assert tokenizer.decode(tokens) == 'It \'s "2.5 mg"'  # detokenized by the target's (Spanish) rules


def test_translate_with_a_bpe_package(packages: Path, tmp_path: Path) -> None:
    """A package with bpe.model (Moses + BPE, no sentencepiece) installs and translates through the same path."""
    archive = build_argos_package(tmp_path / "bpe", "en", "es", eos_bias=2.0, bpe_codes=learn_bpe_codes(200))
    package = install_package(archive)
    assert (package.path / "bpe.model").is_file() and not (package.path / "sentencepiece.model").exists()
    engine = ArgosEngine(MtConfig(beam_size=2))
    first = engine.translate(TEXTS, "en", "es")
    assert len(first) == len(TEXTS) and first[0] == first[2] and first[5] == ""
    assert all(text and "@@ " not in text for index, text in enumerate(first) if index != 5)  # pieces joined
    assert ArgosEngine(MtConfig(beam_size=2)).translate(TEXTS, "en", "es") == first
    [model] = engine._models.values()
    assert isinstance(model.source, _MosesBpe)


def test_translate_real_decoding(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["en-es"])
    engine = ArgosEngine(MtConfig(beam_size=2))
    first = engine.translate(TEXTS, "en", "es")
    assert len(first) == len(TEXTS)
    assert all(isinstance(text, str) for text in first)
    assert all(out.strip() for text, out in zip(TEXTS, first, strict=True) if text.strip())
    assert first[TEXTS.index("")] == ""
    assert first[0] == first[2]
    assert len(set(first)) > len(TEXTS) // 2  # gibberish, but it depends on the input
    # Deterministic: the same engine, a fresh engine, and a reversed input order agree.
    assert engine.translate(TEXTS, "en", "es") == first
    assert ArgosEngine(MtConfig(beam_size=2)).translate(TEXTS, "en", "es") == first
    assert engine.translate(TEXTS[::-1], "en", "es") == first[::-1]


def test_one_sorted_pass_with_token_budget_batches(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["en-es"])
    engine = ArgosEngine(MtConfig(beam_size=2, max_batch_tokens=200))
    spy = spy_on(engine, "en", "es")
    steps: list[int] = []
    result = engine.translate(TEXTS, "en", "es", progress=steps.append)
    assert len(result) == len(TEXTS)
    distinct = {text for text in TEXTS if text.strip()}
    batches = [batch for batch, _, _ in spy.calls]
    assert sum(len(batch) for batch in batches) == len(distinct)  # each distinct text once
    assert len(batches) > 1
    lengths = [len(tokens) for batch in batches for tokens in batch]
    assert lengths == sorted(lengths, reverse=True)  # longest first, across batches
    for batch in batches:
        assert sum(len(tokens) for tokens in batch) <= 200 or len(batch) == 1
    assert sum(steps) == len(TEXTS)
    assert len(steps) >= len(batches)


def test_model_is_loaded_once(archives: dict[str, Path], packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2

    install_package(archives["en-es"])
    created: list[str] = []
    original = ctranslate2.Translator

    def counting(path: str, **options: Any) -> Any:
        created.append(path)
        assert options["device"] == "cpu"
        assert options["compute_type"] in ("int8_float32", "int8")
        assert (options["inter_threads"], options["intra_threads"]) == (1, 2)
        return original(path, **options)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    engine = ArgosEngine(MtConfig(threads=2, device="auto"))
    engine.translate(["One sentence."], "en", "es")
    engine.translate(["Another sentence.", "And one more."], "en", "es")
    assert len(created) == 1


def test_a_worker_running_two_tasks_at_a_time_decodes_two_batches_at_a_time(
    archives: dict[str, Path], packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dask worker with two threads runs two tasks at once on one engine: with one CTranslate2 replica the second
    task's batches waited for the first's (one core idle). ``decoders`` 2 gives two replicas (one copy of the
    weights), two threads translating at once get exactly what one thread gets alone, and the two tasks that start
    together load the model once."""
    import threading

    import ctranslate2

    install_package(archives["en-es"])
    created: list[str] = []
    original = ctranslate2.Translator

    def counting(path: str, **options: Any) -> Any:
        created.append(path)
        time.sleep(0.2)  # a slow load: both tasks ask for the model while it loads
        return original(path, **options)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    halves = [TEXTS[::2], TEXTS[1::2]]
    one_decoder = ArgosEngine(MtConfig(threads=1))
    alone = [one_decoder.translate(half, "en", "es") for half in halves]
    engine = ArgosEngine(MtConfig(threads=1, decoders=2))
    results: dict[int, list[str]] = {}
    start = threading.Barrier(2)

    def translate_half(index: int) -> None:
        start.wait()
        results[index] = engine.translate(halves[index], "en", "es")

    threads = [threading.Thread(target=translate_half, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[0], results[1]] == alone
    [model] = engine._models.values()
    assert model.translator.num_translators == 2
    assert len(created) == 2  # one for the one-decoder engine, one for the two threads


def test_decoding_length_is_capped(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["runaway"])  # never emits EOS on its own
    engine = ArgosEngine(MtConfig(beam_size=1, max_length_ratio=1.5))
    spy = spy_on(engine, "en", "es")
    texts = ["Pain.", "Chronic low back pain remains a pervasive and debilitating condition.", *TEXTS[6:10]]
    outputs = engine.translate(texts, "en", "es")
    assert all(outputs)
    for batch, options, hypotheses in spy.calls:
        # every text of a batch has the same cap, 1.5 × its length (at least 16) rounded up to 16, 24, 32, 48…
        [cap] = {length_cap(len(tokens), 1.5) for tokens in batch}
        assert options["max_decoding_length"] == cap
        assert all(max(16, 1.5 * len(tokens)) <= cap < max(24, 2.25 * len(tokens)) for tokens in batch)
        assert all(len(hypothesis) == cap for hypothesis in hypotheses)
    assert [length_cap(tokens, 3.0) for tokens in (1, 6, 9, 11, 16, 22, 40)] == [16, 24, 32, 48, 48, 96, 128]


def test_target_prefix_is_forced_and_stripped(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["prefixed"])
    engine = ArgosEngine(MtConfig(beam_size=2))
    spy = spy_on(engine, "en", "es")
    outputs = engine.translate(TEXTS[:5], "en", "es")
    assert sum(len(batch) for batch, _, _ in spy.calls) == 4
    for batch, options, hypotheses in spy.calls:
        assert options["target_prefix"] == [["__es__"]] * len(batch)
        assert all(hypothesis[0] == "__es__" for hypothesis in hypotheses)
    assert all(output and "__es__" not in output for output in outputs)


def test_pivot_through_english(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["es-en"])
    install_package(archives["en-fr"])
    engine = ArgosEngine(MtConfig(beam_size=2))
    assert engine.supports("es", "fr")
    assert not engine.supports("fr", "es")
    assert engine.provenance("es", "fr") == "argos es-fr via en (es-en 1.0, en-fr 1.0)"
    steps: list[int] = []
    texts = ["El dolor lumbar crónico.", "La aguja.", "El dolor lumbar crónico."]
    outputs = engine.translate(texts, "es", "fr", progress=steps.append)
    assert len(outputs) == 3 and all(outputs) and outputs[0] == outputs[2]
    assert len(engine._models) == 2
    assert sum(steps) == 3
    # The two legs, composed by hand, give the same result.
    english = engine.translate(texts, "es", "en")
    assert engine.translate(english, "en", "fr") == outputs


def test_babel_identifiers_map_to_argos_codes(archives: dict[str, Path], packages: Path) -> None:
    assert [argos_code(code) for code in ("pt_BR", "pt-BR", "zh_Hans", "zh_Hant", "zh_TW", "es_MX", "pt", "ar")] == [
        "pb",
        "pb",
        "zh",
        "zt",
        "zt",
        "es",
        "pt",
        "ar",
    ]
    install_package(archives["en-pb"])
    engine = ArgosEngine(MtConfig(beam_size=1))
    assert engine.supports("en", "pt_BR")
    assert not engine.supports("en", "pt")
    assert engine.translate(["Back pain."], "en", "pt_BR")[0]


def test_missing_package_message(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["en-es"])
    engine = ArgosEngine(MtConfig())
    assert [language for language in ("es", "ar", "zh_Hans") if not engine.supports("en", language)] == [
        "ar",
        "zh_Hans",
    ]
    with pytest.raises(TranslationError) as caught:
        engine.translate(["Hello."], "en", "ar")
    assert str(caught.value) == (
        "no package for ar (en → ar): install one with `polyleaf models install FILE.argosmodel`"
    )


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "not a zip archive"),
        ({"metadata.json": b"{}"}, "one folder with metadata.json"),
        ({"pkg/README.md": b"x"}, "one folder with metadata.json"),
        ({"pkg/metadata.json": b"{not json"}, "metadata.json"),
        ({"pkg/metadata.json": b'{"from_code": "en"}'}, "no to_code"),
        ({"pkg/metadata.json": b'{"from_code": "en", "to_code": "es"}'}, "no model/model.bin"),
        (
            {"pkg/metadata.json": b'{"from_code": "en", "to_code": "es"}', "pkg/model/model.bin": b""},
            "no sentencepiece.model",
        ),
        ({"pkg/metadata.json": b'{"from_code": "en", "to_code": "es"}', "../evil": b""}, "unsafe path"),
    ],
)
def test_install_rejects_bad_files(
    tmp_path: Path, packages: Path, files: dict[str, bytes] | None, message: str
) -> None:
    path = tmp_path / "bad.argosmodel"
    if files is None:
        path.write_text("this is not a zip file")
    else:
        _zip(path, files)
    with pytest.raises(TranslationError, match=message) as caught:
        install_package(path)
    assert caught.value.path == path
    assert "\n" not in str(caught.value)
    assert not packages.exists() or not any(packages.iterdir())


def test_install_missing_file(tmp_path: Path, packages: Path) -> None:
    with pytest.raises(TranslationError, match="no such file"):
        install_package(tmp_path / "nope.argosmodel")


def test_corrupt_model_is_a_one_line_error(archives: dict[str, Path], packages: Path) -> None:
    package = install_package(archives["en-es"])
    (package.path / "model" / "model.bin").write_bytes(b"garbage")
    with pytest.raises(TranslationError, match=r"cannot load argos package en-es 1\.0") as caught:
        ArgosEngine(MtConfig()).translate(["Hello."], "en", "es")
    assert caught.value.path == package.path
    assert "\n" not in str(caught.value)


def test_broken_package_folder_is_a_one_line_error(packages: Path) -> None:
    (packages / "leftover").mkdir(parents=True)
    with pytest.raises(TranslationError, match="cannot read the installed argos packages") as caught:
        ArgosEngine(MtConfig()).supports("en", "es")
    assert "\n" not in str(caught.value)


def _refuse_network(*args: Any, **kwargs: Any) -> Any:
    raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))


def test_download_offline_fails_fast_with_one_line(monkeypatch: pytest.MonkeyPatch, packages: Path) -> None:
    monkeypatch.setattr(urllib.request, "urlopen", _refuse_network)
    started = time.monotonic()
    with pytest.raises(TranslationError) as caught:
        download_packages(["es"])
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("cannot reach the argos package index")
    assert "polyleaf models install FILE.argosmodel" in message


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def test_download_from_a_fake_index(archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch, packages: Path) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://index.example/argos/")
    index = [
        {"from_code": "es", "to_code": "en", "package_version": "1.0", "type": "translate", "links": ["https://x/a"]},
        {"from_code": "en", "to_code": "fr", "package_version": "1.0", "type": "translate", "links": ["https://x/b"]},
    ]
    served = {
        "https://index.example/argos/index.json": json.dumps(index).encode(),
        "https://x/a": archives["es-en"].read_bytes(),
        "https://x/b": archives["en-fr"].read_bytes(),
    }
    requested: list[tuple[str, float]] = []

    def fake_urlopen(request: urllib.request.Request, timeout: float) -> _Response:
        requested.append((request.full_url, timeout))
        return _Response(served[request.full_url])

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    installed = download_packages(["fr"], source="es")
    assert [package.pair for package in installed] == ["es-en", "en-fr"]
    assert all(timeout <= 30 for _, timeout in requested)
    assert ArgosEngine(MtConfig()).supports("es", "fr")
    assert download_packages(["fr"], source="es") == []  # already installed
    with pytest.raises(TranslationError, match="no package for ar"):
        download_packages(["ar"], source="es")


def test_machine_translate_with_the_argos_engine(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["en-es"])
    glossary = Glossary(entries=(GlossaryEntry("BVNA"), GlossaryEntry("LBP")))
    texts = ["**Disclaimer:** BVNA helps with LBP.", "Recovery", "**Disclaimer:** BVNA helps with LBP.", "BVNA"]
    results = machine_translate(ArgosEngine(MtConfig(beam_size=2)), texts, "en", "es", glossary)
    assert [result.source_text for result in results] == texts
    assert all(result.text and result.provenance.startswith("argos en-es 1.0") for result in results)
    assert results[0] == results[2]
    assert results[3].text == "BVNA" and results[3].lost_placeholders == ()
    # A random model keeps no placeholders: repair puts every one back and says so.
    first = results[0]
    assert first.text.startswith("**") and first.text.count("**") == 2
    assert "BVNA" in first.text and "LBP" in first.text
    assert first.lost_placeholders == ()
    assert set(first.repaired) <= {"**…**", "BVNA", "LBP"} and first.repaired
    assert first.provenance == f"argos en-es 1.0 (repaired: {', '.join(first.repaired)})"


def test_translate_aligned_gives_the_decoder_attention(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["prefixed"])
    engine = ArgosEngine(MtConfig(beam_size=4))
    texts = ["The MRI {1} scan takes an hour.", "Back pain."]
    results = engine.translate_aligned(texts, "en", "es")
    assert [result.text for result in results] == engine.translate(texts, "en", "es")
    for text, result in zip(texts, results, strict=True):
        alignment = result.alignment
        assert alignment is not None
        # one row per generated token (the target prefix dropped), one column per source token, rows sum to 1
        assert len(alignment.weights) == len(alignment.target_spans) > 0
        assert all(sum(row) == pytest.approx(1.0, abs=1e-3) for row in alignment.weights)
        assert "".join(text[start:end] for start, end in alignment.source_spans).replace(" ", "") == text.replace(
            " ", ""
        )
        assert alignment.target_spans[-1][1] == len(result.text)
        assert all(start <= end for start, end in alignment.target_spans)


def test_translate_aligned_composes_a_pivot(archives: dict[str, Path], packages: Path) -> None:
    install_package(archives["es-en"])
    install_package(archives["en-fr"])
    engine = ArgosEngine(MtConfig(beam_size=2))
    [pivot] = engine.translate_aligned(["El dolor lumbar crónico."], "es", "fr")
    [first] = engine.translate_aligned(["El dolor lumbar crónico."], "es", "en")
    [second] = engine.translate_aligned([first.text], "en", "fr")
    assert pivot.text == second.text
    assert pivot.alignment is not None and first.alignment is not None and second.alignment is not None
    assert pivot.alignment.source_spans == first.alignment.source_spans
    assert pivot.alignment.target_spans == second.alignment.target_spans
    assert all(sum(row) == pytest.approx(1.0, abs=1e-2) for row in pivot.alignment.weights)


@pytest.mark.slow
def test_auto_device_picks_cuda_with_a_gpu_token_budget(
    archives: dict[str, Path], packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No GPU here: CTranslate2 is told there is one, and the translator it is asked for runs on the CPU."""
    import ctranslate2

    install_package(archives["en-es"])
    devices = pretend_gpu(monkeypatch)
    assert resolve_device(MtConfig()) == ("cuda", BATCH_TOKENS["cuda"])
    assert resolve_device(MtConfig(max_batch_tokens=1000)) == ("cuda", 1000)
    assert resolve_device(MtConfig(device="cpu")) == ("cpu", BATCH_TOKENS["cpu"])

    texts = synthetic_sentences(300, seed=5)
    sizes = {}
    for count in (1, 0):
        monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda count=count: count)
        engine = ArgosEngine(MtConfig(beam_size=1))
        spy = spy_on(engine, "en", "es")
        engine.translate(texts, "en", "es")
        sizes[count] = [sum(len(tokens) for tokens in batch) for batch, _, _ in spy.calls]
    assert devices == ["cuda", "cpu"]
    assert max(sizes[1]) <= BATCH_TOKENS["cuda"] < sum(sizes[1]) and max(sizes[1]) > BATCH_TOKENS["cpu"]
    assert max(sizes[0]) <= BATCH_TOKENS["cpu"] and len(sizes[0]) > len(sizes[1])
