"""Where machine translation runs is decided by declarations: the executor's ``site`` (this process, local workers,
cluster workers) and whether the engine factory is a ``Recipe`` (plain data other processes make the engine from).
Nothing is pickled to find out. The engine a run makes is the one ``[mt] engine`` names (``polyleaf.mt.registry``).
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fake_engine import FakeEngine, fake_engine
from polyleaf.config import mt as config_module
from polyleaf.config.model import Config, load_config
from polyleaf.execution.workers import Executor, Inline, LocalPool, Site, default_workers
from polyleaf.glossary import Glossary
from polyleaf.mt import registry
from polyleaf.mt.argos import ArgosEngine
from polyleaf.mt.engine import Engine, Recipe
from polyleaf.mt.packages import ArgosPackage
from polyleaf.mt.registry import ConfiguredEngines, Models, RoutedEngine, configured_engine
from polyleaf.pipeline import translate
from polyleaf.pipeline.mt_tasks import MtSettings, placement
from polyleaf.pipeline.translate import EngineRecipe

TASKS = [("es", ["one"]), ("ar", ["two"]), ("es", ["three"])]


def settings(factory: Callable[[Config], Engine], engine: Engine) -> MtSettings:
    return MtSettings(factory, engine, Glossary(), None, 8, lambda language: None)


@dataclasses.dataclass(frozen=True)
class Shipped(Recipe):
    """What the stand-in cluster below hands its workers: the recipe it was given, marked as sent."""

    inner: Recipe

    def __call__(self, config: Config) -> Engine:
        return self.inner(config)


@dataclasses.dataclass(frozen=True)
class RecordingRecipe(Recipe):
    """A recipe that keeps the configuration each engine was made with."""

    made: list[Config]

    def __call__(self, config: Config) -> Engine:
        self.made.append(config)
        return FakeEngine()


class StandInCluster(Inline):
    """An executor that declares cluster workers: they see none of this machine's files, and decide their own
    decoder threads (it runs its tasks here: only its declarations matter to ``placement``)."""

    workers = 2
    decoder_threads = 0

    def __init__(self) -> None:
        self.shipped: list[Recipe] = []

    def site(self, tasks: int) -> Site:
        return Site.CLUSTER

    def ship(self, recipe: Recipe) -> Recipe:
        self.shipped.append(recipe)
        return Shipped(recipe)


def test_an_inline_run_translates_with_the_engine_made_here(project: Path) -> None:
    engine = FakeEngine()
    where, given = placement(load_config(project), settings(fake_engine, engine), Inline(), TASKS)
    assert given is engine and where.site(len(TASKS)) is Site.HERE


def test_a_local_pool_gets_a_recipe_and_an_equal_share_of_the_cores(project: Path) -> None:
    pool = LocalPool(2)
    where, given = placement(load_config(project), settings(fake_engine, FakeEngine()), pool, TASKS)
    assert where is pool and isinstance(given, EngineRecipe) and given.factory is fake_engine
    assert given.config.mt.threads == pool.decoder_threads == max(1, default_workers() // 2)
    assert pickle.loads(pickle.dumps(given)).key == given.key  # what goes to a worker is plain data
    assert pool.site(1) is Site.HERE  # one task: no worker is started for it
    where, one = placement(load_config(project), settings(fake_engine, FakeEngine()), pool, TASKS[:1])
    assert isinstance(where, Inline) and isinstance(one, FakeEngine)


def test_configured_threads_are_kept_on_workers(project: Path) -> None:
    (project / "polyleaf.toml").write_text(
        (project / "polyleaf.toml").read_text(encoding="utf-8") + "[mt]\nthreads = 3\n", encoding="utf-8"
    )
    _where, given = placement(load_config(project), settings(fake_engine, FakeEngine()), LocalPool(2), TASKS)
    assert isinstance(given, EngineRecipe) and given.config.mt.threads == 3


def test_an_engine_factory_that_is_no_recipe_keeps_its_engine_here(project: Path) -> None:
    engine = FakeEngine()
    where, given = placement(load_config(project), settings(lambda config: engine, engine), LocalPool(2), TASKS)
    assert given is engine and isinstance(where, Inline)
    cluster = StandInCluster()
    where, given = placement(load_config(project), settings(lambda config: engine, engine), cluster, TASKS)
    assert given is engine and isinstance(where, Inline) and cluster.shipped == []


def test_cluster_workers_are_sent_the_recipe_and_choose_their_own_threads(project: Path) -> None:
    cluster = StandInCluster()
    where, given = placement(load_config(project), settings(fake_engine, FakeEngine()), cluster, TASKS)
    assert where is cluster and cluster.shipped == [fake_engine]
    assert isinstance(given, EngineRecipe) and given.factory == Shipped(fake_engine)
    assert given.config.mt.threads == 0  # the worker decides, from its own threads and cores


def test_the_configured_recipe_is_pinned_to_the_models_chosen_here(project: Path, tmp_path: Path) -> None:
    package = ArgosPackage("en", "es", "1.0", tmp_path / "en_es")
    config = load_config(project)

    class Chosen(RoutedEngine):
        def needed(self, source: str, targets: Any) -> Models:
            assert (source, list(targets)) == ("en", ["es", "ar"])
            return Models((package,), ())

    pinned = configured_engine.for_targets(Chosen(config.mt), "en", ["es", "ar"])
    assert pinned == ConfiguredEngines(Models((package,), ()))
    assert pinned.model_folders() == (package.path,)
    copy = tmp_path / "worker" / "abc123"
    moved = pinned.relocated({package.path: copy})
    assert moved.model_folders() == (copy,)
    assert configured_engine.for_targets(FakeEngine(), "en", ["es"]) is configured_engine  # not a routed engine


def test_the_recipe_makes_its_engine_with_the_callers_settings(project: Path) -> None:
    """A worker's engine decodes with the threads the run gave the worker, not the configuration's 0 (all cores:
    two workers' decoders would each take every core)."""
    config = load_config(project)
    shared = dataclasses.replace(config, mt=dataclasses.replace(config.mt, threads=1))
    engine = ConfiguredEngines()(shared)
    assert isinstance(engine, RoutedEngine) and engine.mt.threads == 1
    assert isinstance(engine.engine(registry.EngineChoice("argos")), ArgosEngine)


def test_the_run_engine_is_the_configured_one() -> None:
    assert translate.default_engine is configured_engine and isinstance(configured_engine, Recipe)


def test_every_engine_the_configuration_accepts_the_registry_makes() -> None:
    assert set(registry.ENGINES) == set(config_module.ENGINES)


def test_an_unknown_engine_is_one_line_naming_the_file_and_line(project: Path) -> None:
    from click.testing import CliRunner

    from polyleaf.cli import main

    (project / "polyleaf.toml").write_text(
        (project / "polyleaf.toml").read_text(encoding="utf-8") + '[mt]\nbeam_size = 2\nengine = "deepl"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--project", str(project), "run"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.output
    line_number = len((project / "polyleaf.toml").read_text(encoding="utf-8").splitlines())
    assert f"polyleaf.toml:{line_number}: mt.engine: 'deepl' is not an engine" in lines[0]
    assert not (project / "locales").exists()  # nothing written


@pytest.mark.parametrize(
    ("nthreads", "resources", "expected"), [(1, {}, 1), (2, {}, 1), (1, {"cores": 4}, 4), (2, {"cores": 4}, 2)]
)
def test_a_cluster_worker_gives_each_task_its_share_of_its_cores(
    nthreads: int, resources: dict[str, float], expected: int
) -> None:
    pytest.importorskip("distributed")
    from polyleaf.execution.cluster import worker_threads

    worker = SimpleNamespace(state=SimpleNamespace(nthreads=nthreads, total_resources=resources))
    assert worker_threads(worker) == expected


@pytest.mark.parametrize(("nthreads", "configured", "threads"), [(1, 0, 1), (2, 0, 2), (2, 3, 3)])
def test_a_cluster_worker_decodes_as_many_batches_at_a_time_as_it_runs_tasks(
    nthreads: int, configured: int, threads: int, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker with two threads runs two tasks at once on its one engine: the engine gets two decoders (one per
    task), each with the worker's cores shared (here 4) or the configured ``[mt] threads``."""
    pytest.importorskip("distributed")
    from polyleaf.execution import cluster

    worker = SimpleNamespace(
        state=SimpleNamespace(nthreads=nthreads, total_resources={"cores": 4}), local_directory=str(project)
    )
    monkeypatch.setattr(cluster, "get_worker", lambda: worker)
    made: list[Config] = []
    shipped = cluster.ShippedRecipe(RecordingRecipe(made))
    config = load_config(project)
    shipped(dataclasses.replace(config, mt=dataclasses.replace(config.mt, threads=configured)))
    [given] = made
    assert (given.mt.decoders, given.mt.threads) == (nthreads, threads if configured else 4 // nthreads)


def test_executors_declare_where_they_run() -> None:
    executors: list[Executor] = [Inline(), LocalPool(3)]
    assert [executor.site(5) for executor in executors] == [Site.HERE, Site.LOCAL]
    assert all(executor.ship(fake_engine) is fake_engine for executor in executors)  # they see this machine's files


def test_a_dask_worker_keeps_the_decoders_freed_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask's MALLOC_TRIM_THRESHOLD_ pins glibc's mmap threshold at 128 KiB: the decoder's buffers were mapped and
    unmapped at every batch (a worker's system time above its user time). A decoding worker raises both."""
    pytest.importorskip("distributed")
    import ctypes

    from polyleaf.execution import cluster

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, parameter: int, value: int) -> int:
            calls.append((parameter, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    cluster.keep_freed_memory()
    assert calls == []  # glibc's own adaptive thresholds: nothing to undo
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    cluster.keep_freed_memory()
    assert calls == [(-3, 32 * 2**20), (-1, 64 * 2**20)] if sys.platform.startswith("linux") else calls == []
