"""Conventions a command-line user expects (issue 14): the project is found from any subfolder, options come from
``POLYLEAF_*`` environment variables too, ``init`` and ``add-language`` set a project up, shell completion works."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helpers import ARTICLE, one_line_error, polyleaf


def test_the_project_is_found_from_a_subfolder_like_git_finds_its_repository(project: Path) -> None:
    (project / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["txt"]\n', encoding="utf-8")
    deep = project / "source" / "drafts"
    deep.mkdir()
    result = polyleaf(deep, "run")
    assert result.returncode == 0, result.stderr
    assert (project / "locales" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po").is_file()
    assert not (deep / "locales").exists()
    status = polyleaf(deep, "status")
    assert status.returncode == 0 and "es" in status.stdout


def test_a_pyproject_without_a_polyleaf_table_is_passed_over(project: Path) -> None:
    (project / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["txt"]\n', encoding="utf-8")
    package = project / "tools"
    package.mkdir()
    (package / "pyproject.toml").write_text('[project]\nname = "tools"\n', encoding="utf-8")
    assert polyleaf(package, "extract").returncode == 0
    assert (project / "locales" / "templates" / f"{ARTICLE}.pot").is_file()


def test_outside_any_project_is_one_line_pointing_at_init(tmp_path: Path) -> None:
    result = polyleaf(tmp_path, "run")
    assert result.returncode == 2
    assert "not a polyleaf project" in one_line_error(result)
    assert "polyleaf init" in result.stderr


def test_options_come_from_polyleaf_environment_variables(project: Path) -> None:
    (project / "polyleaf.toml").write_text('languages = ["es", "ar"]\nformats = ["txt"]\n', encoding="utf-8")
    done = polyleaf(project, "run", env={"POLYLEAF_LANG": "ar", "POLYLEAF_DOC": ARTICLE})
    assert done.returncode == 0, done.stderr
    assert (project / "build" / "ar" / f"{ARTICLE}.ar.txt").is_file()
    assert not (project / "build" / "es").exists()
    assert sorted(path.name for path in (project / "build" / "ar").glob("*.txt")) == [f"{ARTICLE}.ar.txt"]


@pytest.mark.slow
def test_init_creates_a_working_project_and_never_overwrites_one(tmp_path: Path) -> None:
    result = polyleaf(tmp_path, "init", "--lang", "es", "--lang", "Arabic")
    assert result.returncode == 2  # a language name, not a code: one line with a suggestion
    assert "did you mean 'ar'" in one_line_error(result)
    assert not (tmp_path / "polyleaf.toml").exists()
    assert polyleaf(tmp_path, "init", "--lang", "es", "--lang", "ar").returncode == 0
    text = (tmp_path / "polyleaf.toml").read_text(encoding="utf-8")
    assert 'languages = ["es", "ar"]' in text
    assert f'\nproject_name = "{tmp_path.name}"' in text  # named once: a clone elsewhere keeps the name
    (tmp_path / "source" / "rest.txt").write_text("Rest\nRest for a day.\n", encoding="utf-8")
    done = polyleaf(tmp_path, "run")
    assert done.returncode == 0
    assert "project_name" not in done.stdout + done.stderr  # no notice: the name is configured
    assert (tmp_path / "locales" / "ar" / "LC_MESSAGES" / "rest.po").is_file()
    config = (tmp_path / "polyleaf.toml").read_bytes()
    again = polyleaf(tmp_path, "init", "--lang", "fr")
    assert again.returncode == 2
    assert one_line_error(again) == "polyleaf: polyleaf.toml: there is a polyleaf project here already"
    assert (tmp_path / "polyleaf.toml").read_bytes() == config


def test_init_keeps_what_runs_leave_behind_out_of_git(tmp_path: Path) -> None:
    """A killed run's MT journal (``locales/.journal/``), the lock and the build folder are not committed."""
    assert polyleaf(tmp_path, "init", "--lang", "es").returncode == 0
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    left = ["locales/.journal/es.jsonl", ".polyleaf.lock", "build/es/x.es.txt", "locales/es/LC_MESSAGES/x.po"]
    ignored = subprocess.run(["git", "check-ignore", *left], cwd=tmp_path, capture_output=True, text=True).stdout
    assert ignored.split() == left[:3]


def test_add_language_keeps_the_config_layout_and_creates_the_po_files(project: Path) -> None:
    config = '# our clinic\nlanguages = [\n  "es",  # Madrid\n]\nformats = ["txt"]\n'
    (project / "polyleaf.toml").write_text(config, encoding="utf-8")
    assert polyleaf(project, "run").returncode == 0
    result = polyleaf(project, "add-language", "pt-BR")
    assert result.returncode == 0, result.stderr
    assert "added pt_BR" in result.stdout
    text = (project / "polyleaf.toml").read_text(encoding="utf-8")
    assert text.startswith("# our clinic\n") and '"es",  # Madrid' in text and '"pt_BR"' in text
    assert (project / "locales" / "pt_BR" / "LC_MESSAGES" / f"{ARTICLE}.po").is_file()
    assert not (project / "build" / "pt_BR").exists()  # update only: nothing translated or built
    again = polyleaf(project, "add-language", "pt_BR")
    assert again.returncode == 2 and "'pt_BR' is configured already" in one_line_error(again)


def test_shell_completion_script_is_generated(project: Path) -> None:
    env = {**os.environ, "_POLYLEAF_COMPLETE": "bash_source"}
    done = subprocess.run(["polyleaf"], cwd=project, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0
    assert "_polyleaf_completion" in done.stdout


def test_the_package_is_typed() -> None:
    import polyleaf

    assert (Path(polyleaf.__file__).parent / "py.typed").is_file()
