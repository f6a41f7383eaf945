"""The token budget per batch: a measured table per device, ``[mt] max_batch_tokens`` over it (validated), and
batching that changes no output of the generated (deterministic) model: one text per batch, the device's budget
and the old 2,048 all translate alike. Nothing is written outside pytest's temporary directories."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from argos_model import build_argos_package, pretend_gpu, synthetic_sentences
from polyleaf.config.model import load_config
from polyleaf.config.mt import MtConfig
from polyleaf.errors import ConfigError
from polyleaf.mt.argos import ArgosEngine
from polyleaf.mt.decoding import BATCH_TOKENS, resolve_device
from polyleaf.mt.package_install import install_package


class BatchSizes:
    """Wraps a CTranslate2 translator to record the source tokens of each ``translate_batch`` call."""

    def __init__(self, translator: Any) -> None:
        self.translator = translator
        self.tokens: list[int] = []

    def translate_batch(self, batch: list[list[str]], **options: Any) -> Any:
        self.tokens.append(sum(len(tokens) for tokens in batch))
        return self.translator.translate_batch(batch, **options)


def batch_sizes(engine: ArgosEngine) -> BatchSizes:
    """Load the en-es model and record the batches it decodes from now on."""
    engine.translate(["warm up"], "en", "es")
    [(path, model)] = engine._models.items()
    spy = BatchSizes(model.translator)
    engine._models[path] = dataclasses.replace(model, translator=spy)
    return spy


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("archives"), "en", "es", eos_bias=2.0)


@pytest.fixture
def installed(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    install_package(archive)


def project_with(root: Path, mt_table: str) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "polyleaf.toml").write_text(f'languages = ["es"]\n\n[mt]\n{mt_table}', encoding="utf-8")
    return root


def test_each_device_has_its_measured_budget_and_the_config_overrides_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_device(MtConfig(device="cpu")) == ("cpu", BATCH_TOKENS["cpu"])
    assert BATCH_TOKENS["cpu"] < 2048 < BATCH_TOKENS["cuda"]  # narrower than before on a CPU, wide on a GPU
    assert resolve_device(MtConfig(device="cpu", max_batch_tokens=300)) == ("cpu", 300)
    pretend_gpu(monkeypatch)
    assert resolve_device(MtConfig()) == ("cuda", BATCH_TOKENS["cuda"])
    assert resolve_device(MtConfig(device="cpu")) == ("cpu", BATCH_TOKENS["cpu"])
    assert resolve_device(MtConfig(max_batch_tokens=300)) == ("cuda", 300)


def test_max_batch_tokens_is_read_from_the_project_config(tmp_path: Path) -> None:
    assert load_config(project_with(tmp_path / "a", "")).mt.max_batch_tokens is None
    assert load_config(project_with(tmp_path / "b", "max_batch_tokens = 1\n")).mt.max_batch_tokens == 1
    assert load_config(project_with(tmp_path / "c", "max_batch_tokens = 512\n")).mt.max_batch_tokens == 512


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "mt.max_batch_tokens must be between 1 and 65536, not 0"),
        ("100000", "mt.max_batch_tokens must be between 1 and 65536, not 100000"),
        ("-5", "mt.max_batch_tokens must be between 1 and 65536, not -5"),
        ("512.0", "mt.max_batch_tokens must be an integer, not float 512.0"),
        ('"auto"', "mt.max_batch_tokens must be an integer, not str 'auto'"),
        ("true", "mt.max_batch_tokens must be an integer, not bool True"),
    ],
)
def test_a_wrong_max_batch_tokens_is_one_line_naming_file_and_line(tmp_path: Path, value: str, message: str) -> None:
    root = project_with(tmp_path, f"beam_size = 2\nmax_batch_tokens = {value}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert str(raised.value) == f"{root / 'polyleaf.toml'}:5: {message}"


@pytest.mark.slow  # real decoding with a generated argos model
@pytest.mark.usefixtures("installed")
def test_the_engine_decodes_in_batches_of_the_device_budget() -> None:
    texts = synthetic_sentences(200, seed=11)
    for budget in (None, 300):
        engine = ArgosEngine(MtConfig(beam_size=1, device="cpu", max_batch_tokens=budget))
        spy = batch_sizes(engine)
        engine.translate(texts, "en", "es")
        limit = budget or BATCH_TOKENS["cpu"]
        assert len(spy.tokens) > 1 and sum(spy.tokens) > limit
        assert all(size <= limit for size in spy.tokens)
        assert max(spy.tokens) > limit * 0.8  # batches are filled up to the budget, not cut short


@pytest.mark.slow  # real decoding with a generated argos model
@pytest.mark.usefixtures("installed")
def test_batched_output_equals_one_text_at_a_time_on_a_deterministic_model() -> None:
    """The generated model's scores have no near-ties, so which texts share a batch (and its padding) changes no
    output: the tuned budget, the old 2,048 and one text per batch agree on every text."""
    texts = synthetic_sentences(120, seed=12)
    outputs = {}
    for budget in (1, None, 2048):
        engine = ArgosEngine(MtConfig(beam_size=4, device="cpu", max_batch_tokens=budget))
        spy = batch_sizes(engine)
        outputs[budget] = engine.translate(texts, "en", "es")
        if budget is None:
            assert len(spy.tokens) >= 2  # the tuned budget did batch these texts together
        if budget == 1:
            assert len(spy.tokens) == len(set(texts))  # one text per batch
    assert len(set(outputs[1])) > len(texts) // 2  # real, input-dependent translations
    assert outputs[None] == outputs[1]
    assert outputs[2048] == outputs[1]


def test_decoders_is_the_executors_to_set_not_the_projects(tmp_path: Path) -> None:
    """How many batches decode at once follows from how many tasks a worker runs at once (the executor's to
    say): a project file that sets it is told the setting does not exist."""
    with pytest.raises(ConfigError) as raised:
        load_config(project_with(tmp_path, "decoders = 2\n"))
    assert "unknown setting 'decoders' in [mt]" in str(raised.value)
    assert load_config(project_with(tmp_path / "b", "")).mt.decoders == 1
