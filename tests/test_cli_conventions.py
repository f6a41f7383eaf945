"""Command-line conventions (issue 22): every command's help shows an example in plain text, every command reports
as JSON with --json, --lang and --doc complete to the project's languages and documents, and an import can be
limited to languages and documents as the other commands can. In-process (click's runner): no interpreter to start.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from argos_model import build_argos_package
from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, REPO, po_path
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.pipeline import exchange, importing, models, runner
from polyleaf.pipeline.sources import Selection


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, prog_name="polyleaf")


def commands(
    command: click.Command = main, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group of the command line, with the words that call it."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, (*path, name))


# ----------------------------------------------------------------------------------------------- help and --json


@pytest.mark.parametrize("path", [path for path, _command in commands()], ids=lambda path: " ".join(path) or "-")
def test_every_help_shows_an_example_of_its_command_in_plain_text(path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Examples:" in text
    examples = [line.strip() for line in text.split("Examples:", 1)[1].splitlines() if line.strip()]
    assert examples and all(line.startswith(" ".join(("polyleaf", *path))) for line in examples)
    assert "`" not in text and "\b" not in text  # no reST literals or roles; click's no-rewrap marker not shown


def test_every_command_takes_json() -> None:
    leaves = [(path, command) for path, command in commands() if not isinstance(command, click.Group)]
    assert len(leaves) >= 14
    for path, command in leaves:
        assert "as_json" in {parameter.name for parameter in command.params}, " ".join(path)


def test_every_reporting_command_prints_valid_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "leaflets"

    def reported(*args: str) -> object:
        result = invoke(*args, "--json")
        assert result.exit_code == 0, (args, result.output)
        return json.loads(result.stdout)

    made = reported("init", "leaflets", "--lang", "es")
    assert isinstance(made, dict) and "leaflets/polyleaf.toml" in made["written"]
    for name in (f"{ARTICLE}.txt", f"{OTHER}.txt"):
        shutil.copyfile(REPO / "source" / name, root / "source" / name)
    project = ("--project", str(root))
    added = reported(*project, "add-language", "ar")
    assert isinstance(added, dict) and added["added"] == ["ar"]
    assert f"leaflets/locales/ar/LC_MESSAGES/{ARTICLE}.po" in added["written"]
    for command in ("extract", "update", "translate", "run --format txt", "build --format html"):
        report = reported(*project, *command.split())
        assert isinstance(report, dict) and {"written", "warnings", "machine_translated_texts"} <= report.keys()
    assert isinstance(reported(*project, "check"), list)
    rows = reported(*project, "status")
    assert isinstance(rows, list) and {(row["language"], row["document"]) for row in rows} >= {("es", ARTICLE)}
    exported = reported(*project, "export", "--format", "xliff")
    assert isinstance(exported, list) and [record["language"] for record in exported] == ["es", "ar"]
    imported = reported(*project, "import", str(root / "build" / "exchange" / "es.xlf"))
    assert isinstance(imported, dict) and imported["format"] == "XLIFF" and imported["written"] == []

    assert reported(*project, "models", "list") == {
        "installed": [],
        "ctranslate2": [],
        "languages": {"es": None, "ar": None},
    }
    assert reported("models", "list") == {"installed": [], "ctranslate2": [], "languages": None}  # outside a project
    package = build_argos_package(tmp_path / "models", "en", "es")
    installed = reported(*project, "models", "install", str(package))
    assert installed == [{"file": f"models/{package.name}", "from": "en", "to": "es", "version": "1.0"}]
    listed = reported(*project, "models", "list")
    assert isinstance(listed, dict) and listed["installed"] == [{"from": "en", "to": "es", "version": "1.0"}]
    assert listed["languages"]["es"] == "argos en-es 1.0" and listed["languages"]["ar"] is None

    monkeypatch.setattr(models, "download_models", lambda config, languages, progress: [("en", "ar", "1.9")])
    assert reported(*project, "models", "download", "ar") == [{"from": "en", "to": "ar", "version": "1.9"}]


# ----------------------------------------------------------------------------------------------- completion


def completions(line: str) -> list[str]:
    """What the shell would offer for the last word of ``line`` (bash's protocol, in this process)."""
    env = {"_POLYLEAF_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)}
    result = invoke(env=env)
    assert result.exit_code == 0, result.output
    return [item.split(",", 1)[1] for item in result.stdout.splitlines() if item]


def test_lang_and_doc_complete_to_the_projects_languages_and_documents(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "source")  # found from a subfolder, as every command finds it
    assert completions("polyleaf run --lang ") == ["es", "ar"]
    assert completions("polyleaf status --lang a") == ["ar"]
    assert completions("polyleaf build --doc ") == [OTHER, ARTICLE]
    assert completions("polyleaf import memory.tmx --doc bvna") == [ARTICLE]
    assert completions("polyleaf models download ") == ["es", "ar"]
    new = completions("polyleaf add-language e")
    assert {"el", "en", "et"} <= set(new) and "es" not in new  # Babel's codes, less those configured
    assert {"pt_BR", "zh_Hans"} <= set(completions("polyleaf add-language ")) and "ar" not in new
    assert {"zh_Hans", "zh_Hant"} <= set(completions("polyleaf init --lang zh_han"))
    assert "es" in completions("polyleaf init --lang e")  # a new project: nothing is configured yet
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert completions(f"polyleaf --project {project} run --lang ") == ["es", "ar"]
    assert completions("polyleaf run --lang ") == completions("polyleaf run --doc ") == []  # outside a project
    (project / "polyleaf.toml").write_text("languages = [", encoding="utf-8")
    assert completions(f"polyleaf --project {project} check --lang ") == []  # a broken config: no crash


# ----------------------------------------------------------------------------------------------- import


def test_an_import_limited_by_lang_and_doc_changes_those_po_files_only(project: Path) -> None:
    runner.run(load_config(project), engine_factory=lambda _config: FakeEngine())
    config = load_config(project)
    folder = project / "build" / "exchange"
    exchange.export(config, "xliff")
    for name in ("es.xlf", "ar.xlf"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace('state="initial"', 'state="final"'), "utf-8")
    before = {name: po_path(project, "es", name).read_bytes() for name in (OTHER, "disclaimer", "interface")}
    report = importing.import_file(config, folder / "es.xlf", selection=Selection(("es",), (ARTICLE,)))
    assert report.written == [po_path(project, "es", ARTICLE)]
    assert report.counts["reviewed"] > 0 and report.counts["unselected"] > 0
    assert {name: po_path(project, "es", name).read_bytes() for name in before} == before
    assert "not selected (skipped: --lang, --doc)" in report.summary()

    arabic = po_path(project, "ar", ARTICLE).read_bytes()
    result = invoke("--project", str(project), "import", str(folder / "ar.xlf"), "--lang", "es", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["written"] == [] and po_path(project, "ar", ARTICLE).read_bytes() == arabic
    assert json.loads(result.stdout)["counts"] == {
        "unselected": report.counts["reviewed"] + report.counts["unselected"]
    }
    unknown = invoke("--project", str(project), "import", str(folder / "ar.xlf"), "--doc", "nope")
    assert unknown.exit_code == 2 and "no source document named 'nope'" in unknown.stderr
