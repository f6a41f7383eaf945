"""Benchmark: parsing and writing a 10,000-entry PO file with polyleaf's own PO layer, and with the polib-based
catalog.py it replaced (loaded from git history, in the same run, when polib is importable). The reader is also
timed against the one before it read entry by entry (``poread`` and ``pofile`` of OLD_READER_COMMIT, from git
history), on this file and on a catalog of a leaflet's size, in alternate rounds.

    uv run --with polib python benchmarks/po_parse_write.py [--entries 10000] [--repeat 3]

The file is realistic: references and extracted comments on every entry, a third reviewed, a third machine
translated (fuzzy, ``# mt:``), a third empty, sentences of 5-40 words in Spanish, Arabic, Chinese and Russian.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: The last commit with the polib-based catalog.py.
POLIB_COMMIT = "0b4a70c"
#: The last commit whose reader read every file token by token (no entry-by-entry reading).
OLD_READER_COMMIT = "f2cc775"
#: Entries of a leaflet's catalog (a 128x library holds 1,806 of them, each read about ten times a run).
LEAFLET_ENTRIES = 60
#: Space-separated words per language.
WORDS = {
    "en": "the pain back nerve treatment patients chronic relief clinical study results procedure",
    "es": "el dolor espalda nervio tratamiento pacientes crónico alivio clínico estudio resultados",
    "ar": "الألم الظهر العصب العلاج المرضى المزمن تخفيف السريرية الدراسة النتائج",
    "zh": "疼痛 背部 神经 治疗 患者 慢性 缓解 临床 研究 结果",
    "ru": "боль спина нерв лечение пациенты хронический облегчение клинический исследование",
}


def sentence(rng: random.Random, language: str) -> str:
    vocabulary = WORDS[language].split(" ")
    words = [rng.choice(vocabulary) for _ in range(rng.randint(5, 40))]
    joiner = "" if language == "zh" else " "
    return joiner.join(words).capitalize() + ("。" if language == "zh" else ".")


def make_po(entries: int) -> bytes:
    """A PO file as polyleaf writes it (so both readers accept it)."""
    from polyleaf.catalog import merge
    from polyleaf.catalog.model import Fill, TemplateEntry
    from polyleaf.catalog.template import build_template

    rng = random.Random(42)
    items = [
        TemplateEntry(f"{index} {sentence(rng, 'en')}", (("source/a.txt", index + 1),), (f"paragraph {index}",))
        for index in range(entries)
    ]
    pot = build_template(items, "bench", Path("/nonexistent/a.pot"), dt.datetime(2026, 1, 1))
    po = merge.update(pot, None, "es", Path("a.po"), "bench")
    languages = ["es", "ar", "zh", "ru"]
    fills = []
    for index, item in enumerate(items):
        if index % 3 != 2:
            fills.append(Fill(item.msgid, sentence(rng, languages[index % 4]), "mt: bench", fuzzy=index % 3 == 1))
    po.fill(fills)
    return po.to_bytes(dt.datetime(2026, 1, 2))


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def alternating(functions: dict[str, Callable[[], object]], rounds: int, calls: int = 1) -> dict[str, float]:
    """The best milliseconds per call of each function, timed in turn round after round (the machine's load then
    weighs on each alike)."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            for _ in range(calls):
                function()
            times[name].append((time.perf_counter() - start) / calls)
    return {name: min(found) * 1000 for name, found in times.items()}


def old_catalog() -> ModuleType | None:
    """catalog.py as it was with polib, or None when polib is not installed."""
    try:
        import polib  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return None
    return module_from_history(POLIB_COMMIT, "src/polyleaf/catalog.py", "old_catalog")


def old_reader() -> ModuleType:
    """poread as it was at OLD_READER_COMMIT, with the pofile of then (its flags and references reading)."""
    from polyleaf.po import pofile

    try:
        sys.modules["polyleaf.po.pofile"] = module_from_history(
            OLD_READER_COMMIT, "src/polyleaf/po/pofile.py", "old_pofile"
        )
        return module_from_history(OLD_READER_COMMIT, "src/polyleaf/po/poread.py", "old_poread")
    finally:
        sys.modules["polyleaf.po.pofile"] = pofile


def module_from_history(commit: str, path: str, name: str) -> ModuleType:
    """The module ``path`` of the repository as it was at ``commit``, imported as ``name``."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix=f"polyleaf-{name}-"))
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def reader_rows(data: bytes, path: Path, repeat: int) -> list[tuple[str, float]]:
    """The reader against the one before it, on ``data`` and on a leaflet's catalog, with the ratios."""
    from polyleaf.po import poread

    old = old_reader()
    leaflet = make_po(LEAFLET_ENTRIES)
    rows = []
    for label, text, calls in (("this file", data, 1), (f"a {LEAFLET_ENTRIES}-entry file", leaflet, 200)):
        best_of = alternating(
            {"old": partial(old.parse_po_file, text, path), "new": partial(poread.parse_po_file, text, path)},
            max(repeat, 3),
            calls,
        )
        rows += [
            (f"poread, {label}, reader of {OLD_READER_COMMIT}", best_of["old"]),
            (f"poread, {label}, entry by entry", best_of["new"]),
            ("  ratio (how many times faster)", best_of["old"] / best_of["new"]),
        ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from polyleaf.catalog import model as catalog
    from polyleaf.catalog.merge import update
    from polyleaf.po import pofile, poread

    data = make_po(args.entries)
    path = Path("locales/es/LC_MESSAGES/bench.po")
    print(f"{args.entries} entries, {len(data) / 1e6:.2f} MB; best of {args.repeat}, milliseconds")
    parsed = catalog.parse_po(data, path)
    po = poread.parse_po_file(data, path)
    rows = [
        ("polyleaf parse (read_po/parse_po)", best(lambda: catalog.parse_po(data, path), args.repeat)),
        ("polyleaf write, unchanged entries reused", best(lambda: pofile.write_po(po), args.repeat)),
        ("polyleaf write, every entry wrapped anew", best(lambda: pofile.render(po, reuse=False), args.repeat)),
        ("polyleaf fingerprint", best(parsed.fingerprint, args.repeat)),
        (
            "polyleaf update (10k template into 10k PO)",
            best(lambda: update(_template(catalog, po), parsed, "es", path, "bench"), 1),
        ),
    ]
    rows += reader_rows(data, path, args.repeat)
    old = old_catalog()
    if old is not None:
        old_parsed = old.parse_po(data, path)
        rows += [
            ("polib path parse (validate + polib.pofile)", best(lambda: old.parse_po(data, path), args.repeat)),
            ("polib path write (to_bytes)", best(lambda: old_parsed.to_bytes(dt.datetime(2026, 1, 2)), args.repeat)),
        ]
    else:
        print("(polib is not installed: run with `uv run --with polib` to compare with the old path)")
    for name, milliseconds in rows:
        print(f"  {name:<50} {milliseconds:8.0f}" if milliseconds >= 10 else f"  {name:<50} {milliseconds:8.2f}")
    sys.stdout.flush()


def _template(catalog: ModuleType, po: Any) -> Any:
    """The template the PO came from, rebuilt from its entries (the update benchmark's input)."""
    from polyleaf.catalog.model import TemplateEntry
    from polyleaf.catalog.template import build_template

    items = [
        TemplateEntry(m.msgid, tuple((name, line or 0) for name, line in m.references), m.extracted)
        for m in po.messages
        if not m.is_header
    ]
    return build_template(items, "bench", Path("/nonexistent/a.pot"), dt.datetime(2026, 1, 1))


if __name__ == "__main__":
    main()
