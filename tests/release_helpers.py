"""What release and status tests share: the repo's sentences, a dose leaflet, runs with the fake engine, and a
translator who reviews whole catalogs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from fake_engine import FakeEngine
from helpers import REPO, po_path
from po_editor import open_po
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.sources import Selection

ARTICLE = "bvna-chronic-low-back-pain"
OTHER = "bvn-ablation-vertebral-venous-malformations"
TITLE = "Introduction: A New Approach to Chronic Back Pain Relief"
FIRST_SENTENCE = (
    "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
)
SECOND_SENTENCE = (
    "The persistent discomfort can significantly impact quality of life, leading to reduced mobility, decreased "
    "productivity, and increased reliance on pain management strategies."
)
DOSE = "dose"
DOSE_SOURCE = "Dosage\nTake 2.5 mg of the medicine twice a day.\nKeep **all** tablets away from children.\n"
DOSE_SENTENCE = "Take 2.5 mg of the medicine twice a day."
MARKUP_SENTENCE = "Keep **all** tablets away from children."
BUILD = frozenset({"build"})


def run(
    root: Path,
    *,
    engine: FakeEngine | None = None,
    steps: frozenset[str] = frozenset({"extract", "update", "translate", "build"}),
    release: bool = False,
    documents: tuple[str, ...] = (),
) -> Report:
    chosen = engine or FakeEngine(pairs=())
    return runner.run(
        load_config(root),
        Selection(documents=documents),
        steps=steps,
        outputs=Outputs(release),
        engine_factory=lambda config: chosen,
    )


def release(root: Path, documents: tuple[str, ...] = ()) -> Report:
    """``polyleaf build --release``: builds from the PO files as they are, writes no PO file."""
    return run(root, steps=BUILD, release=True, documents=documents)


def reviewed_text(language: str, msgid: str) -> str:
    """A translator's (recognisable) reviewed translation: numbers and markup intact, so QA passes."""
    return f"{language.upper()}: {msgid}"


def review(
    root: Path,
    language: str,
    name: str,
    *,
    only: Collection[str] | None = None,
    skip: Collection[str] = (),
    text: Callable[[str, str], str] = reviewed_text,
) -> None:
    """What a translator does in Poedit: write the translation and clear the fuzzy flag (and ``#|``)."""
    path = po_path(root, language, name)
    po = open_po(path)
    for entry in po:
        if entry.obsolete or entry.msgid in skip or (only is not None and entry.msgid not in only):
            continue
        entry.msgstr = text(language, entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    po.save()


def line_of(root: Path, language: str, name: str, msgid: str) -> int:
    """The line of ``msgid``'s entry in the PO file on disk (where a translator goes to fix it)."""
    return open_po(po_path(root, language, name)).find(msgid).line


def translated_everything(root: Path, languages: tuple[str, ...] = ("es", "ar")) -> None:
    """MT fills every catalog (all fuzzy), then translators review the disclaimer and the leaflet's own words."""
    run(root, engine=FakeEngine())
    for language in languages:
        review(root, language, "disclaimer")
        review(root, language, "interface")


def dose_project(project: Path) -> None:
    """The project plus a short leaflet with a dose and bold text, MT-filled; es fully reviewed (with care)."""
    (project / "source" / f"{DOSE}.txt").write_text(DOSE_SOURCE, encoding="utf-8")
    translated_everything(project)
    spanish = {
        "Dosage": "Dosis",
        DOSE_SENTENCE: "Tome 2,5 mg del medicamento dos veces al día.",
        MARKUP_SENTENCE: "Mantenga **todas** las tabletas lejos de los niños.",
    }
    review(project, "es", DOSE, text=lambda language, msgid: spanish[msgid])


def manifest(root: Path) -> list[dict[str, Any]]:
    """The leaflets' records of ``build/release/release.json``."""
    path = root / "build" / "release" / "release.json"
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["leaflets"]
    return records


def one_leaflet_project(root: Path, source: str, languages: Sequence[str]) -> Path:
    """A project at ``root`` with the standard disclaimer and one leaflet (``dose``: ``source``), in txt and html,
    machine-translated (fake engine) into ``languages``; its disclaimer and the leaflet's own words reviewed."""
    (root / "source").mkdir(parents=True)
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "source" / f"{DOSE}.txt").write_text(source, encoding="utf-8")
    listed = ", ".join(f'"{language}"' for language in languages)
    (root / "polyleaf.toml").write_text(f'languages = [{listed}]\nformats = ["txt", "html"]\n', encoding="utf-8")
    translated_everything(root, tuple(languages))
    return root
