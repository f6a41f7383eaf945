"""Dask: machine translation on a real ``distributed.LocalCluster`` (two worker processes on loopback; PDFs on
local workers).

The files are byte-identical to a run in one process — with a real (generated) argos package that reaches the
workers without a shared file system, and when a worker is killed in the middle of the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from argos_model import build_argos_package
from fake_engine import WorkerEngineFactory, fake_engine
from helpers import snapshot, twin
from polyleaf.config.model import load_config
from polyleaf.errors import PolyleafError
from polyleaf.execution.workers import Parallel
from polyleaf.mt.package_install import install_package
from polyleaf.pipeline import printed, runner, translate

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.usefixtures("pinned_clock")  # runs compared byte for byte: the same PO dates


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two worker processes that see no argos package of their own (``ARGOS_PACKAGES_DIR`` is empty for them)."""
    empty = tmp_path_factory.mktemp("worker-packages")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        env={"ARGOS_PACKAGES_DIR": str(empty)},
        local_directory=str(tmp_path_factory.mktemp("dask")),
    ) as local:
        yield local.scheduler_address


@pytest.fixture
def argos_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    archives = tmp_path / "archives"
    install_package(build_argos_package(archives, "en", "es", eos_bias=2.0))
    install_package(build_argos_package(archives, "en", "ar", eos_bias=2.0))
    return folder


@pytest.mark.slow
def test_a_cluster_run_with_argos_writes_the_same_bytes(
    project: Path, cluster: str, argos_packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("weasyprint")
    (project / "polyleaf.toml").write_text(
        'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt", "html", "pdf"]\n', encoding="utf-8"
    )
    on_cluster = twin(project, "cluster")
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)
    monkeypatch.setattr(printed, "PDFS_FOR_WORKERS", 1)
    here = runner.run(load_config(project), parallel=Parallel(workers=1))
    there = runner.run(load_config(on_cluster), parallel=Parallel(scheduler=cluster))
    assert here.filled_from_mt["es"] > 0 and there.filled_from_mt == here.filled_from_mt
    assert not there.warnings, there.warnings
    assert snapshot(on_cluster) == snapshot(project)
    client = distributed.Client(cluster, set_as_default=False)
    try:  # every worker unpacked its own copy of the two packages, once
        copies = client.run(
            lambda dask_worker: sorted(os.listdir(Path(dask_worker.local_directory) / "polyleaf-models"))
        )
    finally:
        client.close()
    assert len(copies) == 2 and all(len(names) == 2 for names in copies.values())


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(
    project: Path, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_cluster = twin(project, "cluster")
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)
    runner.run(load_config(project), engine_factory=fake_engine, parallel=Parallel(workers=1))
    factory = WorkerEngineFactory(str(tmp_path / "engine.log"), kill_marker=str(tmp_path / "killed"))
    runner.run(load_config(on_cluster), engine_factory=factory, parallel=Parallel(scheduler=cluster))
    assert (tmp_path / "killed").exists()  # a worker died with a task in hand
    assert snapshot(on_cluster) == snapshot(project)
    pids = {line.split(" ", 1)[0] for line in (tmp_path / "engine.log").read_text(encoding="utf-8").splitlines()}
    assert str(os.getpid()) not in pids


def test_an_unreachable_scheduler_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("polyleaf.execution.cluster.CONNECT_TIMEOUT", 1)
    with pytest.raises(PolyleafError) as caught:
        runner.run(load_config(project), engine_factory=fake_engine, parallel=Parallel(scheduler="tcp://127.0.0.1:9"))
    assert str(caught.value).startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_a_cluster_run_with_a_ctranslate2_model_writes_the_same_bytes(
    project: Path, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model folder the configuration chose reaches the workers, which have none installed."""
    from ct2_models import build_ct2_model
    from polyleaf.mt.model_archives import install_ct2_model

    monkeypatch.setenv("POLYLEAF_MODELS_DIR", str(tmp_path / "models"))
    install_ct2_model(build_ct2_model(tmp_path / "archives", "m2m100", {"en": "en", "es": "es", "ar": "ar"}))
    (project / "polyleaf.toml").write_text(
        'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt"]\n[mt]\nengine = "ctranslate2"\n',
        encoding="utf-8",
    )
    on_cluster = twin(project, "cluster-ct2")
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)
    here = runner.run(load_config(project), parallel=Parallel(workers=1))
    there = runner.run(load_config(on_cluster), parallel=Parallel(scheduler=cluster))
    assert here.filled_from_mt["ar"] > 0 and there.filled_from_mt == here.filled_from_mt
    assert snapshot(on_cluster) == snapshot(project)
    po = (on_cluster / "locales" / "ar" / "LC_MESSAGES" / "disclaimer.po").read_text(encoding="utf-8")
    assert "# mt: ctranslate2 m2m100_418M en→ar" in po
