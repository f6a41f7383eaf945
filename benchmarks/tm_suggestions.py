"""How much fuzzy translation memory offers on a held-out style library, and whether its adaptations are right.

Twenty leaflets generated from templates (tests/tm_library.py) that vary the drug, the dose, the body part and
the schedule; the even ones are reviewed in Spanish (their true translations), the odd ones are new. ``polyleaf
translate`` runs (no machine translation model installed), then every unreviewed entry of the new leaflets is
looked at:

- the share that carries a suggestion of at least ``[tm] min_similarity`` (75 %), and how many of those are
  adapted whole, partly adapted, or offered as they are;
- every entry for which memory holds a sentence that differs from it only in numbers: its suggestion must be
  adapted whole, be exactly the true Spanish translation, and pass the QA checks that compare numbers, units and
  quantities with the English.

    uv run python benchmarks/tm_suggestions.py [--leaflets 20]

Nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from polyleaf.catalog.fuzzy_adapt import Comparison
    from polyleaf.catalog.tmcomments import MemorySuggestion
    from polyleaf.qa.model import CheckContext

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leaflets", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="polyleaf-tm-") as folder:
        work = Path(folder)
        os.environ.update({"HOME": str(work / "home"), "ARGOS_PACKAGES_DIR": str(work / "packages"), "CI": "true"})
        measure(work / "library", args.leaflets)


def measure(root: Path, count: int) -> None:

    from polyleaf.catalog import model as catalog
    from polyleaf.catalog.fuzzy_adapt import compare, slot_shape
    from polyleaf.catalog.tmcomments import memory_suggestion
    from polyleaf.config.model import load_config
    from polyleaf.pipeline import runner
    from polyleaf.qa.model import CheckContext
    from tm_library import leaflet, name_of, review, write_library
    from tm_lookup import no_engine

    (root / "source").mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "polyleaf.toml").write_text('project_name = "library"\nlanguages = ["es"]\nformats = ["txt"]\n')
    written = write_library(root / "source", range(count))
    config = load_config(root)
    runner.run(config, steps=frozenset({"extract", "update"}))
    truth = {item.texts["en"]: item.texts["es"] for number in range(count) for item in leaflet(number)}
    memory_shapes: dict[str, list[str]] = {}
    for number in range(0, count, 2):
        name = name_of(number)
        review(
            root / "locales" / "es" / "LC_MESSAGES" / f"{name}.po",
            {s.texts["en"]: s.texts["es"] for s in written[name]},
        )
        for sentence in written[name]:
            memory_shapes.setdefault(slot_shape(sentence.texts["en"]), []).append(sentence.texts["en"])
    report = runner.run(config, steps=frozenset({"extract", "update", "translate"}), engine_factory=no_engine)
    context = CheckContext("en", "es")
    kinds: Counter[str] = Counter()
    number_only = wrong = 0
    unreviewed = 0
    for number in range(1, count, 2):
        path = root / "locales" / "es" / "LC_MESSAGES" / f"{name_of(number)}.po"
        for entry in catalog.read_po(path).entries():
            if entry.state == "reviewed":
                continue
            unreviewed += 1
            found = memory_suggestion(entry.comments, entry.msgid)
            adapted_whole = found is not None and found.adapted
            kinds["none" if found is None else "adapted" if adapted_whole else "partly adapted or as it is"] += 1
            alike = memory_shapes.get(slot_shape(entry.msgid), [])
            if not any(_numbers_only(compare(entry.msgid, other)) for other in alike):
                continue
            number_only += 1
            faults = _adapted_wrong(entry.msgid, found, truth[entry.msgid], context)
            if faults:
                wrong += 1
                print(f"  not adapted right: {entry.msgid!r} → {found.text if found else None!r}: {faults}")
    offered = unreviewed - kinds["none"]
    print(f"library: {count} leaflets, {len(range(0, count, 2))} reviewed in Spanish")
    print(f"exact memory filled {report.filled_from_tm['es']} entries (reviewed at once)")
    print(f"unreviewed entries in the new leaflets: {unreviewed}")
    print(f"  with a suggestion ≥ {config.tm.min_similarity:g} %: {offered} ({100 * offered / unreviewed:.0f} %)")
    print(f"    adapted whole (numbers, units or terms substituted): {kinds['adapted']}")
    print(f"    partly adapted or as it is (words differ: drug, body part): {kinds['partly adapted or as it is']}")
    print(f"  differing from a reviewed sentence only in numbers: {number_only}, adapted right: {number_only - wrong}")


def _adapted_wrong(english: str, found: MemorySuggestion | None, truth: str, context: CheckContext) -> list[str]:
    """What is wrong with the suggestion for ``english``, which memory can adapt whole: none, not adapted whole,
    not the true translation, or faulted by the QA checks of numbers, units and quantities."""
    from polyleaf.qa.registry import CHECKS

    if found is None:
        return ["no suggestion"]
    faults = [] if found.adapted else ["not adapted whole"]
    faults += [] if found.text == truth else [f"the translation is {truth!r}"]
    checks = [check for check in CHECKS if check.id in ("numbers", "units", "quantities")]
    return faults + [message for check in checks for message in check.function(english, found.text, context)]


def _numbers_only(comparison: Comparison) -> bool:
    differences = comparison.differences
    return bool(differences) and all(difference.slot == "number" for difference in differences)


if __name__ == "__main__":
    main()
