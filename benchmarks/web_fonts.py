"""Benchmark: the bytes of fonts each web page loads, per language, with the whole font files and with subsets.

Target (issue 23, item 7): a Chinese leaflet's page loads at most 1 MB of fonts. The repository's articles are
built as web pages in es, ar, ru and zh_Hans, "translated" into real text of each language: sentences drawn (by a
hash of the English) from the translations of the programs installed here (``/usr/share/locale/<lang>/*.mo``), so
each page holds as many different characters as a real translation of its length would. For each page it prints
what it would load with the whole font files its font stacks declare (before) and with the subsets it links, all
of them and those whose ``unicode-range`` holds a character of the page (after). Run with:

    uv run python benchmarks/web_fonts.py
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote

import polib  # type: ignore[import-untyped]

from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from polyleaf.render.fonts import font_stack
from polyleaf.render.webfonts import page_characters

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = {"es": "es", "ar": "ar", "ru": "ru", "zh_Hans": "zh_CN"}  # polyleaf code → system locale folder
#: Characters of a translation per character of English (Chinese says as much in about a third of the length).
LENGTH = {"zh_Hans": 0.35}
_RULE = re.compile(r'src: url\("([^"]+)"\)[^}]*?unicode-range: ([^;]+);')
_PLACEHOLDER = re.compile(r"\{\d+\}")
_FORMAT = re.compile(r"%[-#0-9.*]*[a-zA-Z]|\$\{?\w+\}?|[<>_&\\]|\s+")
LIMIT = 1_000_000


def sentences(locale_folder: str) -> list[str]:
    """Real text in a language: the translations of the programs installed here, without format directives."""
    found: set[str] = set()
    for path in sorted(Path("/usr/share/locale", locale_folder, "LC_MESSAGES").glob("*.mo")):
        for entry in polib.mofile(str(path)):
            text = _FORMAT.sub(" ", entry.msgstr).strip()
            if len(text) > 8:
                found.add(text)
    return sorted(found)


class PoolEngine:
    """Translates each text into real text of the target language: pool sentences picked by a hash of the
    English, as long as a translation would be, the placeholders kept."""

    name = "pool"

    def __init__(self) -> None:
        self.pools = {language: sentences(folder) for language, folder in LANGUAGES.items()}

    def translate(
        self, texts: Sequence[str], source: str, target: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        outputs = [self.translate_one(text, target) for text in texts]
        if progress is not None:
            progress(len(texts))
        return outputs

    def translate_one(self, text: str, target: str) -> str:
        pool = self.pools[target]
        wanted = len(text) * LENGTH.get(target, 1.0)
        parts: list[str] = []
        while sum(map(len, parts)) < wanted:
            digest = hashlib.sha256(f"{text}\0{len(parts)}".encode()).digest()
            parts.append(pool[int.from_bytes(digest[:8], "big") % len(pool)])
        return " ".join([*parts, *_PLACEHOLDER.findall(text)])

    def supports(self, source: str, target: str) -> bool:
        return target in self.pools and bool(self.pools[target])

    def provenance(self, source: str, target: str) -> str:
        return f"pool {source}-{target} 1.0"


def project(root: Path) -> Path:
    (root / "source").mkdir(parents=True)
    for path in (REPO / "source").glob("*.txt"):
        shutil.copy(path, root / "source" / path.name)
    languages = ", ".join(f'"{language}"' for language in LANGUAGES)
    (root / "polyleaf.toml").write_text(
        f'project_name = "web fonts"\nlanguages = [{languages}]\nformats = ["txt", "html"]\n', encoding="utf-8"
    )
    return root


def loaded(page: Path) -> tuple[int, int, int, int]:
    """What a page's fonts weigh: the whole files of its font stacks (as pages linked them before), the subsets
    it links, those of them with a character of the page in their ``unicode-range``, and its characters."""
    text = page.read_text(encoding="utf-8")
    language = page.parent.name
    before = sum(face.path.stat().st_size for face in font_stack(language).faces)
    characters = {ord(char) for char in page_characters(text)}
    declared = needed = 0
    for url, ranges in _RULE.findall(text):
        size = (page.parent / unquote(url)).stat().st_size
        declared += size
        if any(_covers(part.strip(), characters) for part in ranges.split(",")):
            needed += size
    return before, declared, needed, len(characters)


def _covers(part: str, characters: set[int]) -> bool:
    first, _, last = part.removeprefix("U+").partition("-")
    low, high = int(first, 16), int(last or first, 16)
    return any(low <= point <= high for point in characters)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    engine = PoolEngine()
    with tempfile.TemporaryDirectory() as folder:
        root = project(Path(folder) / "project")
        config = load_config(root)
        start = time.perf_counter()
        runner.run(config, engine_factory=lambda config: engine)
        first = time.perf_counter() - start
        fonts = root / "build" / "fonts"
        stamp = {path.name: path.stat().st_mtime_ns for path in fonts.iterdir()}
        (root / "build" / ".cache" / "run.json").unlink()  # not replayed: built again, from its render stamps
        start = time.perf_counter()
        runner.run(config, engine_factory=lambda config: engine)
        again = time.perf_counter() - start
        unchanged = stamp == {path.name: path.stat().st_mtime_ns for path in fonts.iterdir()}
        print(f"{'page':<60} {'chars':>6} {'before':>11} {'linked':>10} {'loaded':>10} {'ratio':>7}")
        worst = 0
        for language in LANGUAGES:
            for page in sorted((root / "build" / language).glob("*.html")):
                before, declared, needed, count = loaded(page)
                if language == "zh_Hans" and page.name != "index.html":
                    worst = max(worst, needed)
                name = f"{language}/{page.name}"
                print(f"{name:<60} {count:>6} {before:>11,} {declared:>10,} {needed:>10,} {before / needed:>6.0f}x")
        total = sum(path.stat().st_size for path in fonts.iterdir())
        print(f"\nfonts/: {len(stamp)} subsets, {total:,} bytes; build {first:.1f} s, again {again:.1f} s")
        print(f"a re-run with nothing changed leaves every subset as it was: {unchanged}")
        print(f"largest Chinese leaflet page loads {worst:,} bytes (target ≤ {LIMIT:,}): {worst <= LIMIT}")


if __name__ == "__main__":
    main()
