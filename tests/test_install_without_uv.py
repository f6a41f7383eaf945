"""Installing with pip: ``pip install --no-deps -r requirements.txt <polyleaf wheel>`` (see the README).

pip has no dependency overrides, so the wheel's own requirements would pull argostranslate's stanza and with it
torch and CUDA (gigabytes). requirements.txt pins the locked runtime environment instead, which keeps that stack
out as ``[tool.uv] override-dependencies`` does for uv. Checked offline: it must list exactly what uv.lock installs.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KEPT_OUT = "sys_platform == 'never'"  # the marker [tool.uv] override-dependencies gives stanza, spacy, minisbd
REGENERATE = (
    "uv export --frozen --no-dev --no-hashes --no-emit-project --no-header --no-annotate"
    " | grep -v \"sys_platform == 'never'$\" > requirements.txt"
)


def locked_runtime() -> dict[str, set[str]]:
    """Name -> versions of every package uv installs for polyleaf without the dev group."""
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
                if dependency.get("marker") != KEPT_OUT:
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


def test_requirements_txt_pins_what_uv_lock_installs() -> None:
    assert pinned() == locked_runtime(), f"requirements.txt is out of date with uv.lock: run {REGENERATE}"


def test_requirements_txt_keeps_the_torch_stack_out() -> None:
    names = set(pinned())
    assert "argostranslate" in names and "weasyprint" in names
    assert not names & {"torch", "stanza", "spacy", "minisbd", "triton"}
    assert not any(name.startswith("nvidia-") for name in names)


def test_the_readme_documents_the_pip_path() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install --no-deps -r requirements.txt" in readme
    assert REGENERATE in readme
