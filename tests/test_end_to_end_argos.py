"""The whole pipeline through a REAL argos package (generated, random weights): install it with
``polyleaf models install``, run, and check states, provenance, idempotence and the built documents.

HOME/XDG/ARGOS_PACKAGES_DIR point into tmp_path. The first journey runs in subprocesses, as a user would run the
README's commands; the others run the same entry point in this process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from argos_model import build_argos_package
from helpers import isolated_home, polyleaf, polyleaf_process
from polyleaf.catalog import model as catalog
from polyleaf.glossary import load_glossary
from polyleaf.terms import term_pattern

pytestmark = pytest.mark.slow  # a real argos model: generated, installed and decoded

ARTICLE = "bvna-chronic-low-back-pain"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("archives")
    return [
        build_argos_package(folder, "en", "es", eos_bias=2.0),
        build_argos_package(folder, "en", "ar", eos_bias=2.0, version="1.1"),
    ]


def test_models_install_then_run_translates_with_argos(project: Path, archives: list[Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = polyleaf_process(project, "models", "install", *map(str, archives), env=isolated_home(home))
    assert result.returncode == 0, result.stderr
    assert "installed en-es 1.0" in result.stdout and "installed en-ar 1.1" in result.stdout
    listing = polyleaf_process(project, "models", "list", env=isolated_home(home))
    assert "es       argos en-es 1.0" in listing.stdout

    run = polyleaf_process(project, "run", "--json", env=isolated_home(home))
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    po_es = project / "locales" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po"
    distinct = {
        e.msgid
        for name in (ARTICLE, "bvn-ablation-vertebral-venous-malformations", "disclaimer", "interface")
        for e in catalog.read_po(po_es.with_name(f"{name}.po")).entries()
    }
    assert summary["filled_from_mt"] == {"es": len(distinct), "ar": len(distinct)}

    entries = catalog.read_po(po_es).entries()
    assert entries and all(entry.fuzzy and entry.msgstr for entry in entries)
    assert all("mt: argos en-es 1.0" in entry.comments for entry in entries)
    ar_text = (project / "locales" / "ar" / "LC_MESSAGES" / f"{ARTICLE}.po").read_text(encoding="utf-8")
    assert "# mt: argos en-ar 1.1" in ar_text
    if shutil.which("msgfmt"):
        for path in (project / "locales").rglob("*.po"):
            check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr

    # the built draft shows the machine translation, marked as a draft
    first = entries[0]
    built = (project / "build" / "es" / f"{ARTICLE}.es.txt").read_text(encoding="utf-8")
    assert built.startswith("*** DRAFT — not for patients ***\nDraft: ") and first.msgstr in built

    # nothing changed: nothing is translated or written again
    again = json.loads(polyleaf_process(project, "run", "--json", env=isolated_home(home)).stdout)
    assert again["written"] == [] and again["filled_from_mt"] == {"es": 0, "ar": 0}


MARKUP = {"**": r"\*\*", "*": r"(?<!\*)\*(?!\*)", "`": r"`", "link": r"\]\("}


def test_suggestions_keep_protected_text_with_a_model_that_never_copies_placeholders(
    project: Path, tmp_path: Path
) -> None:
    """Models that cannot write ``{N}`` back lose every term and all markup unless MT repair puts them back."""
    glossary = load_glossary(REPO / "locales" / "glossary.csv")
    (project / "locales").mkdir()
    shutil.copyfile(REPO / "locales" / "glossary.csv", project / "locales" / "glossary.csv")
    folder = tmp_path / "archives"
    archives = [
        build_argos_package(folder, "en", language, eos_bias=2.0, copies_placeholders=False)
        for language in ("es", "ar")
    ]
    home = tmp_path / "home"
    assert polyleaf(project, "models", "install", *map(str, archives), env=isolated_home(home)).returncode == 0
    run = polyleaf(project, "run", env=isolated_home(home))
    assert run.returncode == 0, run.stderr

    pattern = term_pattern(glossary.dnt_terms)
    assert pattern is not None
    terms = repaired = 0
    for po in sorted((project / "locales").glob("*/LC_MESSAGES/*.po")):
        for entry in catalog.read_po(po).entries():
            if not entry.msgstr:
                continue
            where = f"{po.name}: {entry.msgid[:60]!r} → {entry.msgstr[:60]!r}"
            source_terms = sorted(pattern.findall(entry.msgid))
            assert sorted(term for term in pattern.findall(entry.msgstr) if term in source_terms) == source_terms, where
            for mark, regex in MARKUP.items():
                assert len(re.findall(regex, entry.msgstr)) == len(re.findall(regex, entry.msgid)), (mark, where)
            terms += len(source_terms)
            repaired += any("(repaired: " in comment for comment in entry.comments)
    assert terms > 60  # the articles' acronyms, in both languages
    assert repaired > 40  # the model dropped them: repair put them back and said so
    disclaimer = (project / "locales" / "es" / "LC_MESSAGES" / "disclaimer.po").read_text(encoding="utf-8")
    assert "(repaired: **…**, *…*)" in disclaimer
