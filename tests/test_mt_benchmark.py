"""``benchmarks/mt_throughput.py`` runs unchanged with ``--device cuda``: every translator it builds asks CTranslate2
for the GPU and polyleaf's path gets the GPU token budget, which its budget table compares with 2,048 (no GPU here:
CTranslate2 is told there is one, and the translators run on the CPU)."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

from argos_model import pretend_gpu

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "mt_throughput.py"


@pytest.mark.slow
def test_benchmark_runs_on_cuda(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    variables = (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "ARGOS_PACKAGES_DIR",
        "POLYLEAF_MODELS_DIR",
    )
    for variable in variables:
        monkeypatch.setenv(variable, os.environ.get(variable, ""))  # restored after the benchmark sets them
    devices = pretend_gpu(monkeypatch)
    spec = importlib.util.spec_from_file_location("mt_throughput", BENCHMARK)
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "mt_throughput", benchmark)
    spec.loader.exec_module(benchmark)
    benchmark.main(
        [
            *("--model", "tiny", "--device", "cuda", "--rounds", "2", "--scale", "0", "--beam", "1"),
            *("--families", "nllb", "--budgets", "2048", "--budget-scale", "0"),
        ]
    )
    output = capsys.readouterr().out
    assert re.search(r"device cuda, compute type \S+, token budget 8192 \(CUDA devices seen: 1\)", output)
    assert devices and set(devices) == {"cuda"}
    row = next(line for line in output.splitlines() if line.startswith("source/*.txt"))
    assert len(re.findall(r"\d+\.\d \(\d+\.\d–\d+\.\d\)", row)) == 4  # median (min–max) of each path
    nllb = next(line for line in output.splitlines() if line.startswith("nllb"))
    assert len(re.findall(r"\d+\.\d \(\d+\.\d–\d+\.\d\)", nllb)) == 2  # argos' pattern, polyleaf+ctranslate2
    # the budget table: the GPU's tuned budget against 2,048 on the same corpus, outputs compared
    assert re.search(r"^8192 tuned +\d+\.\d\d +\d+\.\d\d +\d+\.\d \(", output, re.MULTILINE)
    summary = re.search(
        r"^tuned 8192 vs 2048: .* ratio \d+\.\d\d .*; outputs identical (\d+)/(\d+)$", output, re.MULTILINE
    )
    assert summary is not None and int(summary[2]) > 50
    assert summary[1] == summary[2]  # the tiny model: batching changes no output
