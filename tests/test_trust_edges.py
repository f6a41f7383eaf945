"""Trust at the edges (issue 10): a content repository is untrusted input; caches never disagree with their inputs;
a stale lock never blocks; a bad config or file name is one line, exit 2 or 1.

Every class is exercised through the real command line (its entry point, in this process; an interrupted build in
a subprocess), the way a coordinator meets it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ARTICLE, one_line_error, po_path, polyleaf, set_translation, tree

DOSE_SOURCE = "Dosage\nTake 2.5 mg twice a day.\n"
DOSE = "Take 2.5 mg twice a day."


def fresh(project: Path, config: str = 'languages = ["es"]\nformats = ["txt", "html"]\n') -> Path:
    (project / "polyleaf.toml").write_text(config, encoding="utf-8")
    return project


# ----------------------------------------------------------------------------------------------- confinement


def test_a_lock_file_committed_as_a_symlink_is_refused_and_its_target_untouched(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    (fresh(project) / ".polyleaf.lock").symlink_to(target)
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert one_line_error(result) == (
        "polyleaf: .polyleaf.lock: the lock file is a symbolic link; polyleaf never writes through links: delete it"
    )
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not (project / "locales").exists()


def test_a_source_symlinked_outside_the_project_is_never_read(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret title\nroot:x:0:0:root:/root:/bin/bash is a secret line.\n", encoding="utf-8")
    (fresh(project) / "source" / "leak.txt").symlink_to(secret)
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert one_line_error(result).startswith(
        "polyleaf: source/leak.txt: refusing to read: it leads outside the project"
    )
    assert not (project / "locales").exists()
    assert not (project / "build").exists()


def test_a_po_file_symlinked_outside_the_project_is_never_read(project: Path, tmp_path: Path) -> None:
    assert polyleaf(fresh(project), "update").returncode == 0
    outside = tmp_path / "other.po"
    outside.write_bytes(po_path(project, "es", ARTICLE).read_bytes())
    po_path(project, "es", ARTICLE).unlink()
    po_path(project, "es", ARTICLE).symlink_to(outside)
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert "refusing to read: it leads outside the project" in one_line_error(result)
    assert outside.read_bytes() == po_path(project, "es", ARTICLE).read_bytes()


@pytest.mark.parametrize("command", ["run", "check"])
def test_a_po_file_that_is_a_loop_of_links_is_one_line_naming_it(project: Path, command: str) -> None:
    """Python before 3.13 raises RuntimeError, not OSError, resolving a loop of links: no traceback."""
    assert polyleaf(fresh(project), "update").returncode == 0
    path = po_path(project, "es", ARTICLE)
    path.unlink()
    path.symlink_to(path.name)
    line = one_line_error(polyleaf(project, command), 1)
    assert f"{ARTICLE}.po: " in line and "symbolic links" in line  # 3.13: "Too many levels of symbolic links"


def test_a_locale_folder_symlinked_outside_the_project_is_never_written(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (fresh(project) / "locales").mkdir()
    (project / "locales" / "es").symlink_to(elsewhere, target_is_directory=True)
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert "refusing to write: the folder leads outside" in one_line_error(result)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("key", ["build_dir", "locales_dir", "source_dir", "disclaimer", "glossary"])
def test_configured_paths_stay_inside_the_project_unless_allowed(project: Path, tmp_path: Path, key: str) -> None:
    outside = tmp_path / "outside"
    (outside / "source").mkdir(parents=True)
    for path in (project / "source").iterdir():
        (outside / "source" / path.name).write_bytes(path.read_bytes())
    value = {
        "build_dir": "../outside/build",
        "locales_dir": "../outside/locales",
        "source_dir": "../outside/source",
        "disclaimer": "../outside/source/disclaimer.txt",
        "glossary": str(outside / "glossary.csv"),
    }[key]
    if key == "disclaimer":  # the project's own copy would be an article named like a reserved catalog
        (project / "source" / "disclaimer.txt").unlink()
    fresh(project, f'languages = ["es"]\nformats = ["txt"]\n{key} = "{value}"\n')
    result = polyleaf(project, "run")
    assert result.returncode == 2
    message = one_line_error(result)
    assert message.startswith(f"polyleaf: polyleaf.toml:3: {key} {value!r} is outside the project")
    assert f'outside_root = ["{key}"]' in message
    assert not (outside / "build").exists() and not (outside / "locales").exists()
    # a deliberate, documented opt-in: allowed, and every run says so
    fresh(project, f'languages = ["es"]\nformats = ["txt"]\n{key} = "{value}"\noutside_root = ["{key}"]\n')
    result = polyleaf(project, "run")
    assert result.returncode == 0, result.stderr
    assert f"{key} is outside the project: {(project / value).resolve()}" in result.stdout


# ----------------------------------------------------------------------------------------------- robustness


def test_a_stale_lock_naming_a_live_unrelated_process_does_not_block(project: Path) -> None:
    """After a reboot or a container restart the recorded pid may belong to someone else; the flock decides."""
    (fresh(project) / ".polyleaf.lock").write_text(f"{os.getppid()} 2026-01-01T00:00:00+00:00\n", encoding="ascii")
    result = polyleaf(project, "run")
    assert result.returncode == 0, result.stderr
    assert not (project / ".polyleaf.lock").exists()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[release]\nthreshold = "90"\n', "polyleaf.toml:4: release.threshold must be a number, not str '90'"),
        ("[release]\nthreshold = true\n", "polyleaf.toml:4: release.threshold must be a number, not bool True"),
        ("[release]\nthreshold = 0.9\n", "polyleaf.toml:4: release.threshold is a percentage (0–100); 0.9 looks"),
        ("[release]\nthreshold = 120\n", "polyleaf.toml:4: release.threshold must be between 0 and 100, not 120"),
        ("[mt]\nbeem = 4\n", "polyleaf.toml:4: unknown setting 'beem' in [mt] (did you mean 'beam_size'?)"),
        ("[mt]\nbeam_size = 2.5\n", "polyleaf.toml:4: mt.beam_size must be an integer, not float 2.5"),
        ('[mt]\ndevice = "gpu"\n', "polyleaf.toml:4: mt.device must be one of auto, cpu, cuda, not 'gpu'"),
        ('pagesize = "A4"\n', "polyleaf.toml:3: unknown setting 'pagesize' (did you mean 'page_size'?)"),
        ('formats = "txt"\n', "polyleaf.toml:3: formats must be a list of strings, not str 'txt'"),
        ("mt = 3\n", "polyleaf.toml:3: mt must be a table ([mt]), not int 3"),
        ('segmentation = "word"\n', "polyleaf.toml:3: segmentation must be one of sentence, paragraph, not 'word'"),
    ],
)
def test_a_wrong_config_value_is_one_line_naming_the_key(project: Path, config: str, message: str) -> None:
    fresh(project, 'languages = ["es"]\nsource_language = "en"\n' + config)
    result = polyleaf(project, "run")
    assert result.returncode == 2
    assert one_line_error(result).startswith(f"polyleaf: {message}")
    assert not (project / "locales").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Index.txt", "'Index' is a reserved name"),
        ("interface.md", "'interface' is a reserved name"),
        ("two\nlines.txt", "the file name contains the control character U+000A"),
        ("bidi\u202eevil.txt", "the file name contains the control character U+202E"),
        ("no\u00a0break \u2028line.txt", "the file name contains the control character U+2028"),  # after a space
        ("private\ue000use.txt", "the file name contains the control character U+E000"),
    ],
)
def test_file_names_that_cannot_be_represented_or_collide_are_refused(project: Path, name: str, message: str) -> None:
    (fresh(project) / "source" / name).write_text("A title\nA sentence.\n", encoding="utf-8")
    result = polyleaf(project, "run")
    assert result.returncode == 1
    assert message in one_line_error(result)
    assert not (project / "locales").exists()


def test_names_with_spaces_other_than_ascii_are_document_names() -> None:
    """A no-break or narrow space is no control character (``str.isprintable`` is false for it all the same)."""
    from polyleaf.project import name_problem

    assert name_problem("dose\u00a0guide") == name_problem("dose\u202fguide") == ""
    assert name_problem("dose\u200bguide").endswith("U+200B; rename the file")


# ----------------------------------------------------------------------------------------------- caches


KILL_ON_STAMP = """
import os, signal, sys
from polyleaf import cli
real_replace = os.replace

def replace(source, target, *args, **kwargs):
    if "/.cache/stamps/" in str(target) and "dose.es.html" in str(target):  # the web page's own stamp
        if {mode!r} == "kill":
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 between the output and its stamp
        raise OSError(28, os.strerror(28))  # ENOSPC on the stamp
    return real_replace(source, target, *args, **kwargs)

os.replace = replace
cli.main(["build"])
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["kill", "disk-full"])
def test_an_interrupted_build_never_leaves_a_leaflet_that_disagrees_with_its_catalog(project: Path, mode: str) -> None:
    """2.5 mg → 25 mg (build interrupted after the leaflet, before its cache stamp) → 2.5 mg: the leaflet says 2.5."""
    (fresh(project) / "source" / "dose.txt").write_text(DOSE_SOURCE, encoding="utf-8")
    assert polyleaf(project, "run").returncode == 0
    po, html = po_path(project, "es", "dose"), project / "build" / "es" / "dose.es.html"
    set_translation(po, DOSE, '"Tome 2,5 mg dos veces al día."')
    assert polyleaf(project, "build").returncode == 0
    assert "2,5 mg" in html.read_text(encoding="utf-8")
    set_translation(po, DOSE, '"Tome 25 mg dos veces al día."')
    interrupted = subprocess.run(
        [sys.executable, "-c", KILL_ON_STAMP.format(mode=mode)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true"},
        timeout=300,
    )
    assert interrupted.returncode != 0 if mode == "kill" else interrupted.returncode == 0  # a cache only saves time
    assert "25 mg" in html.read_text(encoding="utf-8")  # the leaflet was written, its stamp was not
    (project / ".polyleaf.lock").unlink(missing_ok=True)  # what kill -9 leaves behind
    set_translation(po, DOSE, '"Tome 2,5 mg dos veces al día."')
    assert polyleaf(project, "build").returncode == 0
    shown = html.read_text(encoding="utf-8")
    assert "2,5 mg" in shown and "25 mg" not in shown
    before = tree(project)
    assert polyleaf(project, "build").returncode == 0
    assert tree(project) == before  # and a build with nothing changed still renders nothing


# ----------------------------------------------------------------------------------------------- injected structure


@pytest.mark.slow
def test_a_translation_cannot_add_block_structure_to_text_and_markdown_output(project: Path) -> None:
    (fresh(project) / "source" / "rest.md").write_text("# Rest\n\nRest for a day.\n\n- Drink water.\n", "utf-8")
    (project / "source" / "rest-plain.txt").write_text("Rest\nRest for a day.\n", encoding="utf-8")
    assert polyleaf(project, "run").returncode == 0
    injected = r'"Descanse.\n\n<script>alert(1)</script>\n\n# Deje de tomar el medicamento"'
    set_translation(po_path(project, "es", "rest"), "Rest for a day.", injected)
    set_translation(po_path(project, "es", "rest"), "Drink water.", r'"# Beba agua."')
    set_translation(po_path(project, "es", "rest-plain"), "Rest for a day.", injected)
    assert polyleaf(project, "build").returncode == 0
    markdown = (project / "build" / "es" / "rest.es.md").read_text(encoding="utf-8")
    # a reviewed translation that fails QA: flagged in the draft, and the flag is plain text too
    flagged = "Descanse. \\<script>alert(1)\\</script> # Deje de tomar el medicamento \\[QA error: \\[markup\\] "
    assert flagged in markdown and "; \\[structure\\] a line break" in markdown
    assert "- \\# Beba agua. \\[QA error: \\[structure\\] " in markdown
    assert "\n# Deje" not in markdown and "\n<script>" not in markdown
    plain = (project / "build" / "es" / "rest-plain.es.txt").read_text(encoding="utf-8").split("\n")
    assert any(
        line.startswith("Descanse. <script>alert(1)</script> # Deje de tomar el medicamento [QA") for line in plain
    )
    check = polyleaf(project, "check")  # and QA refuses such a reviewed translation: it blocks a release
    assert check.returncode == 1
    found = [line for line in check.stdout.splitlines() if "error [structure]" in line]
    assert len(found) == 3 and all("locales/es/LC_MESSAGES/rest" in line for line in found), check.stdout


# ----------------------------------------------------------------------------------------------- renamed articles


@pytest.mark.slow
def test_a_renamed_article_keeps_its_reviewed_translations(project: Path) -> None:
    """Renaming an article orphans its PO file; its reviewed text (obsolete entries too) is translation memory."""
    (fresh(project) / "source" / "dose.txt").write_text(DOSE_SOURCE + "Keep it dry.\n", encoding="utf-8")
    assert polyleaf(project, "run").returncode == 0
    old = po_path(project, "es", "dose")
    set_translation(old, DOSE, '"Tome 2,5 mg dos veces al día."')
    set_translation(old, "Keep it dry.", '"Manténgalo seco."')
    (project / "source" / "dose.txt").write_text(DOSE_SOURCE, encoding="utf-8")  # "Keep it dry." → obsolete
    assert polyleaf(project, "run").returncode == 0
    assert '#~ msgid "Keep it dry."' in old.read_text(encoding="utf-8")
    (project / "source" / "dose.txt").rename(project / "source" / "dosing.txt")
    (project / "source" / "dosing.txt").write_text(DOSE_SOURCE + "Keep it dry.\n", encoding="utf-8")
    result = polyleaf(project, "run", "--json")
    assert result.returncode == 0, result.stderr
    new = po_path(project, "es", "dosing").read_text(encoding="utf-8")
    for text in ("Tome 2,5 mg dos veces al día.", "Manténgalo seco."):
        entry = new[new.index(f'msgstr "{text}"') - 300 : new.index(f'msgstr "{text}"')]
        assert "# tm: reviewed in dose.po" in entry and "#, fuzzy" not in entry.split("# tm:")[1]
    assert old.exists()  # the orphaned file stays where it was
    status = polyleaf(project, "status", "--json")
    row = next(row for row in json.loads(status.stdout) if row["document"] == "dose")
    assert row["blocker"].startswith("orphaned") and row["release_ready"] is False
