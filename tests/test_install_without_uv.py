"""Installing with pip, the README's way: ``pip install -c requirements.txt <polyleaf wheel>`` in a fresh venv.

polyleaf depends on CTranslate2, sentencepiece, sacremoses and subword-nmt directly rather than on argostranslate
(whose stanza requirement pulls torch and, from PyPI, CUDA: gigabytes), so pip resolves it like any package and
``pip check`` is clean. requirements.txt pins the versions uv.lock holds (checked offline here); the install itself
needs PyPI and is marked ``network`` (``pytest -m "not network"`` leaves it out; without PyPI it skips, saying so).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from argos_model import build_argos_package
from helpers import isolated_home

REPO = Path(__file__).resolve().parent.parent
REGENERATE = "uv export --frozen --no-dev --no-hashes --no-emit-project --no-header --no-annotate > requirements.txt"
README_INSTALL = ".venv/bin/pip install -c requirements.txt "
#: What must never come with polyleaf: argostranslate's sentence splitters and their machine-learning stack.
UNWANTED = {"argostranslate", "torch", "triton", "stanza", "spacy", "minisbd"}
PIP_TIMEOUT = 900


def locked_runtime() -> dict[str, set[str]]:
    """Name -> versions of every package uv installs for polyleaf without the dev group or extras."""
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    entries: dict[str, list[dict[str, object]]] = {}
    for package in lock["package"]:
        entries.setdefault(package["name"], []).append(package)
    found: dict[str, set[str]] = {}
    pending: list[tuple[str, str | None, tuple[str, ...]]] = [("polyleaf", None, ())]
    seen: set[tuple[str, object, tuple[str, ...]]] = set()
    while pending:
        name, version, extras = pending.pop()
        for package in entries[name]:
            if (version is not None and package["version"] != version) or (name, package["version"], extras) in seen:
                continue
            seen.add((name, package["version"], extras))
            found.setdefault(name, set()).add(str(package["version"]))
            optional: dict[str, list[dict[str, str]]] = package.get("optional-dependencies", {})  # type: ignore[assignment]
            dependencies: list[dict[str, str]] = package.get("dependencies", [])  # type: ignore[assignment]
            for dependency in [*dependencies, *(d for extra in extras for d in optional.get(extra, []))]:
                pending.append((dependency["name"], dependency.get("version"), tuple(dependency.get("extra", ()))))
    found.pop("polyleaf")
    return found


def pinned() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^ ;]+)(?: ; .+)?", line)
        assert match, f"requirements.txt: unexpected line {line!r}"
        found.setdefault(match.group(1).lower(), set()).add(match.group(2))
    return found


def unwanted(names: set[str]) -> set[str]:
    return {name for name in names if name.lower() in UNWANTED or name.lower().startswith("nvidia-")}


def test_requirements_txt_pins_what_uv_lock_installs() -> None:
    assert pinned() == locked_runtime(), f"requirements.txt is out of date with uv.lock: run {REGENERATE}"


def test_nothing_brings_the_torch_stack() -> None:
    names = set(pinned())
    assert {"ctranslate2", "sentencepiece", "sacremoses", "subword-nmt", "weasyprint"} <= names
    assert unwanted(names) == set()


def test_the_readme_documents_the_pip_path() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_INSTALL in readme
    assert REGENERATE in readme
    assert readme.startswith("# polyleaf\n\n    uv run polyleaf run ")
    assert "\n    uv run pytest " in readme.split("\n\n")[1]


def test_ci_runs_every_test_with_the_readmes_command() -> None:
    """Plain ``pytest`` leaves the slow tests out (pyproject's addopts); CI must not."""
    every_test = 'uv run pytest -m "slow or not slow"'
    assert f"\n    {every_test} " in (REPO / "README.md").read_text(encoding="utf-8").split("\n\n")[1]
    assert f"\n{every_test}\n" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------------------------- the real install


@pytest.fixture(scope="module")
def pypi() -> None:
    """Skip, saying why, when PyPI cannot be reached."""
    try:
        with urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=15) as response:
            response.read(1)
    except OSError as error:
        pytest.skip(f"needs PyPI to install polyleaf's dependencies into a fresh venv ({error})")


@pytest.fixture(scope="module")
def pip_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment pip, the build and polyleaf run in: a throw-away home, caches included."""
    home = tmp_path_factory.mktemp("pip-home")
    return {**os.environ, **isolated_home(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


@pytest.fixture(scope="module")
def wheel(pypi: None, pip_home: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """polyleaf's wheel, built from this checkout (``uv build``; hatchling is the build backend)."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("building the wheel needs uv (`pip install uv`)")
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(out), str(REPO)],
        env=pip_home,
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT,
    )
    assert built.returncode == 0, built.stderr
    [path] = out.glob("polyleaf-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with pip and nothing else."""
    path = tmp_path_factory.mktemp("venv") / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=300)
    yield path


def pip(venv: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "pip"), *args], env=env, capture_output=True, text=True, timeout=PIP_TIMEOUT
    )


def planned(venv: Path, env: dict[str, str], report: Path, *requirements: str) -> dict[str, Version]:
    """Name -> version of what ``pip install --dry-run`` would install for ``requirements``."""
    result = pip(venv, env, "install", "--dry-run", "--quiet", "--report", str(report), *requirements)
    assert result.returncode == 0, result.stderr
    plan = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {canonicalize_name(item["metadata"]["name"]): Version(item["metadata"]["version"]) for item in plan}


def pinned_here() -> dict[str, Version]:
    """Name -> version of the pins of requirements.txt whose environment marker holds on this machine."""
    found: dict[str, Version] = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            [pin] = requirement.specifier
            found[canonicalize_name(requirement.name)] = Version(pin.version)
    return found


@pytest.mark.slow
@pytest.mark.network
def test_the_wheel_installs_with_pip_and_runs(
    wheel: Path, venv: Path, pip_home: dict[str, str], tmp_path: Path
) -> None:
    constraints = str(REPO / "requirements.txt")
    # First what pip would do, nothing installed: plain `pip install polyleaf` and the README's pinned way.
    plain = planned(venv, pip_home, tmp_path / "plain.json", str(wheel))
    assert unwanted(set(plain)) == set() and "ctranslate2" in plain
    readme_way = planned(venv, pip_home, tmp_path / "pinned.json", "-c", constraints, str(wheel))
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert readme_way == {**pinned_here(), "polyleaf": Version(version)}

    installed = pip(venv, pip_home, "install", "--quiet", "-c", constraints, str(wheel))
    assert installed.returncode == 0, installed.stderr
    check = pip(venv, pip_home, "check")
    assert check.returncode == 0 and check.stdout.strip() == "No broken requirements found.", check.stdout

    # A small content project, the way a user starts one, translated by a real (generated) argos package.
    project = tmp_path / "clinic"
    command = str(venv / "bin" / "polyleaf")
    env = {**pip_home, "CI": "true"}
    init = subprocess.run([command, "init", str(project), "--lang", "es"], env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    (project / "source" / "knee-injection.txt").write_text(
        "Knee injection\nThe injection takes ten minutes. Rest your knee for 2 days.\n", encoding="utf-8"
    )
    model = build_argos_package(tmp_path / "model", "en", "es", eos_bias=2.0)
    install = subprocess.run([command, "models", "install", str(model)], cwd=project, env=env, capture_output=True)
    assert install.returncode == 0, install.stderr
    run = subprocess.run([command, "run"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "machine-translated" in run.stdout
    po = (project / "locales" / "es" / "LC_MESSAGES" / "knee-injection.po").read_text(encoding="utf-8")
    assert "# mt: argos en-es 1.0" in po and '"Rest your knee for 2 days."' in po
    # init's formats: text, web page and PDF (WeasyPrint and its fonts, as pip installed them)
    leaflet = project / "build" / "es" / "knee-injection.es"
    text = Path(f"{leaflet}.txt").read_text(encoding="utf-8")
    assert text.startswith("*** ") and "DRAFT — not for patients" in text.splitlines()[0]
    assert "Knee injection" not in text and "Rest your knee" not in text
    assert '<html lang="es"' in Path(f"{leaflet}.html").read_text(encoding="utf-8")
    assert Path(f"{leaflet}.pdf").read_bytes().startswith(b"%PDF-")
