"""Benchmark: parsing and writing a 10,000-entry PO file with polyleaf's own PO layer, and with the polib-based
catalog.py it replaced (loaded from git history, in the same run, when polib is importable).

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
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: The last commit with the polib-based catalog.py.
POLIB_COMMIT = "0b4a70c"
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


def old_catalog() -> ModuleType | None:
    """catalog.py as it was with polib, or None when polib is not installed."""
    try:
        import polib  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return None
    source = subprocess.run(
        ["git", "show", f"{POLIB_COMMIT}:src/polyleaf/catalog.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="polyleaf-old-catalog-"))
    (folder / "old_catalog.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_catalog", folder / "old_catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_catalog"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


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
        print(f"  {name:<45} {milliseconds:8.0f}")
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
