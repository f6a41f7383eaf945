"""Benchmark: ``polyleaf extract`` of an article that is one long paragraph of short sentences.

Target (issue 21): linear time, whatever the length of a paragraph — the extract of a 10 MB paragraph takes at most
40 times that of a 0.3 MB one (sizes 33 times apart). Each size runs in a fresh content project (no caches), as a
user runs it: ``polyleaf extract`` in a process of its own. Its wall time and CPU time are printed (on a shared
machine the CPU time is the steadier figure), then, measured in a process of their own, the stages of the same
extract: sentence splitting, the rest of parsing, building the template and writing it.

The paragraph mixes what medical prose has: abbreviations ("Dr.", "e.g.", "approx."), doses ("2.5 mg"),
numbered steps, emphasis, inline code and links, questions, and a sentence that repeats (one entry, many
references). It is the same for every run (a fixed seed).

    uv run python benchmarks/long_paragraph.py [--sizes 0.3 0.6 3 10]

Nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_RATIO = 40.0

_SENTENCES = (
    "Dr. Lee saw patient {n} on day {d}.",
    "Take {dose} mg twice a day, e.g. with breakfast.",
    "Rest for approx. {d} days.",
    "Step {d}. Apply ice to the back.",
    "Is the pain worse at night?",
    "Ask your doctor.",
    "Walk *slowly* for {d} minutes.",
    "Stop **at once** if it hurts.",
    "Read [the guide](https://example.org/guide/{n}) first.",
    "Type `pain-log {n}` in the app.",
    "The U.S. study of group {n} found the same.",
)


def paragraph(size: int) -> str:
    """About ``size`` characters of short sentences on one line (deterministic)."""
    draw = random.Random(21)
    parts: list[str] = []
    length = 0
    number = 0
    while length < size:
        template = draw.choice(_SENTENCES)
        sentence = template.format(n=number, d=draw.randint(2, 14), dose=draw.choice(("2.5", "5", "10", "0.5")))
        parts.append(sentence)
        length += len(sentence) + 1
        number += 1
    return " ".join(parts)


def make_project(folder: Path, size: int) -> Path:
    """A content project whose one article is a title and a paragraph of ``size`` characters."""
    (folder / "source").mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", folder / "source" / "disclaimer.txt")
    (folder / "polyleaf.toml").write_text('source_language = "en"\nlanguages = ["es"]\n', encoding="utf-8")
    text = f"One long paragraph\n{paragraph(size)}\n"
    (folder / "source" / "long.txt").write_text(text, encoding="utf-8")
    return folder


def environment(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "CI": "true",
    }


def extract(project: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``polyleaf extract`` in the project, as a user runs it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "polyleaf", "extract", "-q"], cwd=project, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"polyleaf extract failed: {done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def stages(project: Path) -> None:
    """(In a process of its own) the seconds of each stage of an extract of ``project``, as JSON."""
    from polyleaf.catalog.template import template_to_bytes
    from polyleaf.config.model import load_config
    from polyleaf.pipeline.sources import load_sources, make_templates
    from polyleaf.source.segment import split_sentences

    config = load_config(project)
    text = (project / "source" / "long.txt").read_text(encoding="utf-8").splitlines()[1]
    split_sentences("Dr. Lee is ready. Start.", config.source_language)  # pysbd loaded and its rules compiled
    start = time.process_time()
    sentences = split_sentences(text, config.source_language)
    split = time.process_time() - start
    start = time.process_time()
    sources = load_sources(config)  # no cache folder yet: it splits again
    parsed = time.process_time() - start
    start = time.process_time()
    templates = make_templates(config, sources)
    built = time.process_time() - start
    start = time.process_time()
    written = sum(len(template_to_bytes(template)) for template in templates.values())
    write = time.process_time() - start
    print(
        json.dumps(
            {"sentences": len(sentences), "split": split, "parse": parsed - split, "template": built, "write": write}
        )
    )
    assert written > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.3, 0.6, 3, 10], help="paragraph sizes in MB")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages:
        stages(args.stages)
        return
    rows: dict[float, tuple[float, float]] = {}
    print("paragraph  sentences  extract wall  extract CPU |  split  parse  template  write  (CPU s)")
    with tempfile.TemporaryDirectory(prefix="polyleaf-long-paragraph-") as folder:
        env = environment(Path(folder) / "home")
        for megabytes in args.sizes:
            project = make_project(Path(folder) / f"{megabytes}MB", int(megabytes * 1_000_000))
            rows[megabytes] = extract(project, env)
            staged = Path(folder) / f"{megabytes}MB-stages"
            shutil.copytree(project, staged, ignore=shutil.ignore_patterns("build", "locales"))
            measured = subprocess.run(
                [sys.executable, __file__, "--stages", str(staged)], env=env, capture_output=True, text=True
            )
            if measured.returncode != 0:
                raise SystemExit(f"stages failed: {measured.stderr}")
            part = json.loads(measured.stdout)
            wall, cpu = rows[megabytes]
            print(
                f"{megabytes:>6g} MB  {part['sentences']:>9}  {wall:>10.1f} s  {cpu:>9.1f} s |"
                f" {part['split']:>6.1f} {part['parse']:>6.1f} {part['template']:>9.1f} {part['write']:>6.1f}",
                flush=True,
            )
            shutil.rmtree(project)
            shutil.rmtree(staged)
    smallest, largest = min(rows), max(rows)
    if largest > smallest:
        wall = rows[largest][0] / rows[smallest][0]
        cpu = rows[largest][1] / rows[smallest][1]
        verdict = "ok" if max(wall, cpu) <= MAX_RATIO else f"over {MAX_RATIO:g}x"
        print(
            f"{largest:g} MB / {smallest:g} MB ({largest / smallest:.0f}x the text): wall {wall:.1f}x, CPU {cpu:.1f}x"
            f" — target <= {MAX_RATIO:g}x: {verdict}"
        )


if __name__ == "__main__":
    main()
