"""The command line as a user meets it: exit codes, one-line errors, JSON output, nothing damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ARTICLE, polyleaf, polyleaf_process, tree


def test_run_then_status_json(project: Path) -> None:
    result = polyleaf(project, "run")
    assert result.returncode == 0, result.stderr
    assert "nothing was machine-translated" in result.stdout
    status = polyleaf(project, "status", "--json")
    assert status.returncode == 0, status.stderr
    rows = json.loads(status.stdout)
    row = next(r for r in rows if r["language"] == "ar" and r["document"] == ARTICLE)
    assert row["segments"] == row["untranslated"] == 35
    assert row["release_ready"] is False
    assert (project / "build" / "status.html").is_file()
    table = polyleaf(project, "status", "--lang", "es").stdout.splitlines()
    assert table[0].split()[:4] == ["language", "document", "segments", "words"]
    rows, footer = table[: table.index("")], table[table.index("") + 1 :]
    assert len(rows) == 1 + 4  # two articles, the disclaimer and the interface catalog
    assert footer[0] == "words reviewed, by where the translation came from:" and footer[1].startswith("  es: 0 exact")


def test_second_run_writes_nothing(project: Path) -> None:
    assert polyleaf(project, "run").returncode == 0
    before = tree(project)
    result = polyleaf(project, "run", "--json")
    assert json.loads(result.stdout)["written"] == []
    assert tree(project) == before


def test_broken_po_is_one_line_exit_1_and_nothing_written(project: Path) -> None:
    assert polyleaf(project, "run").returncode == 0
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po"
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr ""') and i > 5)
    lines[number] = 'msgstr "sin cerrar\n'
    po.write_text("".join(lines), encoding="utf-8")
    before = tree(project)
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert result.stderr.strip() == f"polyleaf: locales/es/LC_MESSAGES/{ARTICLE}.po:{number + 1}: unterminated string"
    assert "Traceback" not in result.stderr
    assert tree(project) == before


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('languages = ["es", "spx"]\n', "unknown language code 'spx'"),
        ('languages = ["es", "pt_XX"]\n', "did you mean"),
        ('languages = ["es"]\nsource_dir = "articles"\n', "source directory 'articles' does not exist"),
        ('languages = ["es"\n', "invalid TOML"),
    ],
)
def test_config_errors_exit_2(project: Path, config: str, message: str) -> None:
    (project / "polyleaf.toml").write_text(config, encoding="utf-8")
    result = polyleaf(project, "run")
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("polyleaf: polyleaf.toml")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (project / "locales").exists()


def test_unknown_option_is_usage_error(project: Path) -> None:
    assert polyleaf(project, "run", "--nope").returncode == 2


def test_non_utf8_source_names_file_and_line(project: Path) -> None:
    (project / "source" / "latin1.txt").write_bytes("Title\nCaf\xe9 au lait.\n".encode("latin-1"))
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert result.stderr.startswith("polyleaf: source/latin1.txt:2:")
    assert not (project / "locales").exists()


def test_check_exit_code_reflects_errors_in_reviewed_entries(project: Path) -> None:
    assert polyleaf(project, "run").returncode == 0
    po = project / "locales" / "es" / "LC_MESSAGES" / "disclaimer.po"
    text = po.read_text(encoding="utf-8")
    assert polyleaf(project, "check").returncode == 0
    # a reviewed translation of the disclaimer that lost its **bold** and *italic* markup
    last = text.rindex('msgstr ""')
    po.write_text(text[:last] + 'msgstr "Aviso: este artículo es informativo."\n', encoding="utf-8")
    result = polyleaf(project, "check", "--lang", "es")
    assert result.returncode == 1
    assert "locales/es/LC_MESSAGES/disclaimer.po:" in result.stdout
    assert "error [markup]" in result.stdout


def test_help_is_fast_and_lists_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "polyleaf", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("run", "extract", "update", "translate", "check", "build", "status", "models"):
        assert command in result.stdout
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, polyleaf.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'argostranslate', 'ctranslate2', 'weasyprint', 'babel', 'pysbd', 'jinja2'}))",
        ],
        capture_output=True,
        text=True,
    )
    assert heavy.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ("run", "--nope"),  # click's usage error, exit 2
        ("import", "missing.xlf"),  # polyleaf's one-line error
        ("status", "--json"),
        ("models", "list"),
        ("--version",),
    ],
)
def test_in_process_runs_answer_as_the_console_entry_point_does(project: Path, args: tuple[str, ...]) -> None:
    """The tests run most commands in this process (``helpers.polyleaf``): the same exit code and output as
    ``python -m polyleaf``, stdout and stderr apart."""
    real = polyleaf_process(project, *args)
    here = polyleaf(project, *args)
    assert (here.returncode, here.stdout, here.stderr) == (real.returncode, real.stdout, real.stderr)
    assert real.stdout or real.stderr


def test_in_process_an_unexpected_exception_is_a_traceback_and_exit_1(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As Python prints it for ``python -m polyleaf``: so a test that finds no traceback means there was none."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug, not a user error")

    monkeypatch.setattr("polyleaf.pipeline.status.status", broken)
    result = polyleaf(project, "status")
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith("RuntimeError: a bug, not a user error\n")


def test_a_pipeline_command_leaves_what_it_imported_out_of_garbage_collection(project: Path) -> None:
    """The modules a run imports last as long as the process: a run freezes them once, before it works, so that
    the collections during the run do not look at them again."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "from polyleaf.cli import main\n"
        "main(['-q', 'extract'], prog_name='polyleaf')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["frozen", "True"]
