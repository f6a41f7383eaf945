"""Test isolation: no test may touch the real home directory or the network (pip installing the wheel, marked
``network``, is the one exception).

argos packages are looked for through HOME/XDG_*/ARGOS_PACKAGES_DIR (and tools such as pip cache there),
so the environment is pointed at a throw-away directory before any test module is imported.
Under CI, Hypothesis draws the same examples every run (a CI verdict does not depend on luck); locally it explores.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import content_project

REPO = Path(__file__).resolve().parent.parent
_SANDBOX = Path(tempfile.mkdtemp(prefix="polyleaf-tests-home-"))
#: The cache folder every pytest-xdist worker uses (the main process's).
_SHARED_CACHE = "POLYLEAF_TESTS_SHARED_CACHE"

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    for variable, sub in {
        "HOME": "home",
        "XDG_DATA_HOME": "home/.local/share",
        "XDG_CONFIG_HOME": "home/.config",
        "XDG_CACHE_HOME": "home/.cache",
        "ARGOS_PACKAGES_DIR": "argos-packages",
    }.items():
        path = _SANDBOX / sub
        path.mkdir(parents=True, exist_ok=True)
        os.environ[variable] = str(path)
    # pytest-xdist's workers (each with a home of its own) share the main process's cache folder, as one user's
    # processes do: the web font subsets are made once per run, not once per worker. The main process sets this
    # before it starts the workers, which inherit its environment; a test of the cache itself uses a folder of its own.
    if "PYTEST_XDIST_WORKER" in os.environ and _SHARED_CACHE in os.environ:
        os.environ["XDG_CACHE_HOME"] = os.environ[_SHARED_CACHE]
    else:
        os.environ[_SHARED_CACHE] = os.environ["XDG_CACHE_HOME"]
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    os.environ.pop("CI", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A content project with this repo's two articles and disclaimer, two languages (one RTL), no PO files yet."""
    config = 'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt", "html"]\n'
    yield content_project(tmp_path / "project", config)


@pytest.fixture
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project clock stands still (``SOURCE_DATE_EPOCH``): two runs a minute apart write the same dates."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
