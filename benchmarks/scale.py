"""Scale: how each command's time and peak memory grow with the library, and what workers and a Dask cluster gain.

The corpus is this repository's two articles copied ``scale`` times with variations (every sentence of copy ``i``
names its cohort, so no two copies share a sentence and translation memory cannot shortcut MT), into a project
with the repository's seven languages. Every stage is a whole ``polyleaf`` command in a new process, as a user runs
it (start-up included), timed from the outside; its memory is sampled every 50 ms with psutil: ``main`` is the
command's own process, ``tree`` the command with its fork server and worker processes (which ``/usr/bin/time``
misses) at the same instant.

Stages, each from the state the previous one left (copied, so every row starts from the same files):
``extract``; ``update`` (the PO files are created); ``translate`` with a zero-cost engine (what the pipeline
itself costs: placeholders, journal, saving — the one command that is not the installed ``polyleaf`` but this
file's ``--zero-polyleaf``, which replaces the model and nothing else) and with a tiny generated argos model
(tests/argos_model.py: real tokenizing and decoding); ``checkpoint`` is the zero-cost translate minus the same
command with one chunk per language (what saving every chunk costs); ``build`` without PDF (txt, html) and with
PDF. Then three ``polyleaf run``: ``verify``, the first over what translate and build left (no record of a run with
these options yet: it reads, checks and compares everything, and finds nothing to do), ``re-run``, the same again
(nothing changed since the last run), and ``one edit``, after one word of one article changed (its sentence
machine-translated into 7 languages, 7 PO files and 14 leaflets written); ``status``, ``polyleaf status --json``
then (answered from what that run recorded). Below each table, every scale's figure
divided by the smallest scale's: linear growth gives the size ratio, flat gives 1. The last table compares
``--workers 1`` with ``--workers 2`` and with a ``distributed.LocalCluster`` of two single-threaded worker
processes (its processes are sampled with the command), for the tiny model's translate and the PDF build.

    uv run python benchmarks/scale.py [--scales 1 32 128 512] [--pdf-scales 1 8 32] [--no-parallel]
    uv run python benchmarks/scale.py --keep /tmp/scale --scales 32 128 --edit-rounds 3
    uv run python benchmarks/scale.py --keep /tmp/scale --scales 32 128 512 --cold

With ``--keep DIR`` the work folder is ``DIR`` and stays; ``--edit-rounds N`` times only the one-edit stage, N times
(the best round is shown), on a project of each scale made once (``DIR/x<scale>-ready``: translated by the tiny
model and run) and kept for the next invocation; each round changes the word back, untimed, after it. ``--cold``
times only a run of everything on a copy of each kept project without its QA cache and run record (the first run
after polyleaf changed, the one that holds the most memory).

Nothing is written outside a temporary directory (HOME, XDG_* and ARGOS_PACKAGES_DIR point into it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dask_vs_local import isolated_environment

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar")
ARTICLES = ("bvna-chronic-low-back-pain", "bvn-ablation-vertebral-venous-malformations")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])([.!?])(?=\s|$)")


class ZeroEngine:
    """A zero-cost engine: returns every text as it is (measures the pipeline, not the model)."""

    name = "zero"

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Any = None) -> list[str]:
        if progress is not None:
            progress(len(texts))
        return list(texts)

    def supports(self, source: str, target: str) -> bool:
        return True

    def provenance(self, source: str, target: str) -> str:
        return f"zero {source}-{target} 1.0"


def zero_engine(config: Any) -> ZeroEngine:
    return ZeroEngine()


# ----------------------------------------------------------------------------------------------- corpus


def make_project(folder: Path, scale: int, formats: Sequence[str]) -> Path:
    """The two articles copied ``scale`` times, each sentence of copy ``i`` ending "in cohort i"."""
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", source / "disclaimer.txt")
    articles = sorted(path for path in (ROOT / "source").glob("*.txt") if path.name != "disclaimer.txt")
    for copy in range(scale):
        for article in articles:
            text = article.read_text(encoding="utf-8")
            lines = [
                line if index == 0 else _SENTENCE_END.sub(rf" in cohort {copy}\1", line)
                for index, line in enumerate(text.split("\n"))
            ]
            (source / f"{article.stem}-{copy:04d}.txt").write_text("\n".join(lines), encoding="utf-8")
    # one decoding thread per process: the tiny model's best setting (and argos' on 2 cores), so that workers
    # compare with one process at equal threads
    (folder / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = {json.dumps(list(LANGUAGES))}\nformats = {json.dumps(list(formats))}\n'
        "[mt]\nthreads = 1\n",
        encoding="utf-8",
    )
    (folder / "locales").mkdir()
    shutil.copyfile(ROOT / "locales" / "glossary.csv", folder / "locales" / "glossary.csv")
    return folder


def install_tiny_models(packages: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from argos_model import build_argos_package, train_sentencepiece
    from polyleaf.mt.package_install import install_package
    from polyleaf.mt.packages import argos_code

    sp = train_sentencepiece(400)
    with tempfile.TemporaryDirectory() as folder:
        for language in LANGUAGES:
            archive = build_argos_package(
                Path(folder), "en", argos_code(language), sentencepiece_model=sp, eos_bias=2.0
            )
            install_package(archive)


# ----------------------------------------------------------------------------------------------- one command


class TreeSampler:
    """Peak resident memory of a running command, sampled every 50 ms with psutil: the command's own process
    (``main``), and the command with every process below it at the same instant (``tree``: its fork server and
    worker processes, which ``/usr/bin/time`` and ``getrusage`` miss), plus ``extra`` processes (a Dask cluster's)."""

    def __init__(self, pid: int, extra: Sequence[int] = ()) -> None:
        import threading

        self.main = 0.0
        self.tree = 0.0
        self._pid = pid
        self._extra = tuple(extra)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        roots = [psutil.Process(pid) for pid in (self._pid, *self._extra)]
        while not self._stop.wait(0.05):
            try:
                own = roots[0].memory_info().rss
                below = [child for root in roots for child in root.children(recursive=True)]
                total = own + sum(process.memory_info().rss for process in [*roots[1:], *below])
            except psutil.Error:
                continue
            self.main = max(self.main, own / 2**20)
            self.tree = max(self.tree, total / 2**20)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def zero_polyleaf(arguments: list[str], chunk: int) -> None:
    """``polyleaf`` with the zero-cost engine as its machine translation (and ``chunk`` segments per checkpoint):
    the whole command as a user runs it, start-up included; only the model is replaced."""
    from polyleaf.cli import main as polyleaf_main
    from polyleaf.pipeline import translate

    translate.default_engine = zero_engine
    if chunk:
        translate.CHUNK_SEGMENTS = chunk
    polyleaf_main(arguments, prog_name="polyleaf")


def command(
    project: Path,
    arguments: Sequence[str],
    env: dict[str, str],
    *,
    zero: bool = False,
    chunk: int = 0,
    cluster: Sequence[int] = (),
) -> dict[str, float]:
    """Run one ``polyleaf`` command on ``project`` in a new process; its wall time, CPU seconds (user + system, the
    command and every process it waited for) and peak memory (main, tree)."""
    polyleaf = [str(Path(sys.executable).parent / "polyleaf")]
    if zero:
        polyleaf = [sys.executable, __file__, "--zero-polyleaf", "--chunk", str(chunk), "--"]
    argv = [*polyleaf, "--project", str(project), "-q", *arguments]
    started, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid, cluster)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"polyleaf {' '.join(arguments)} failed ({process.returncode}):\n{(out + err)[-3000:]}")
    return {"seconds": seconds, "cpu": cpu, "main_mb": sampler.main, "tree_mb": sampler.tree}


def copy(project: Path, name: str) -> Path:
    target = project.parent / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(project, target, symlinks=True)
    return target


# ----------------------------------------------------------------------------------------------- tables


COLUMNS = (
    "extract",
    "update",
    "translate (zero)",
    "checkpoint",
    "translate (tiny)",
    "build",
    "build +pdf",
    "verify",
    "re-run",
    "one edit",
    "status",
)
#: Each stage as the command a user runs (after ``polyleaf --project P -q``).
TINY = ("--workers", "1")


def measure_scale(work: Path, scale: int, env: dict[str, str], pdf: bool) -> dict[str, Any]:
    """Every stage at ``scale``, each a whole command from the state the previous one left."""
    row: dict[str, Any] = {}
    base = make_project(work / f"x{scale}", scale, ["txt", "html"])
    row["extract"] = command(base, ["extract"], env)
    row["update"] = command(base, ["update"], env)
    zero = copy(base, f"x{scale}-zero")
    row["translate (zero)"] = command(zero, ["translate", *TINY], env, zero=True)
    one_chunk = copy(base, f"x{scale}-onechunk")
    baseline = command(one_chunk, ["translate", *TINY], env, zero=True, chunk=100_000_000)
    overhead = row["translate (zero)"]["seconds"] - baseline["seconds"]
    row["checkpoint"] = {"seconds": overhead, "main_mb": float("nan"), "tree_mb": float("nan")}
    shutil.rmtree(one_chunk)
    shutil.rmtree(zero)
    tiny = copy(base, f"x{scale}-tiny")
    row["translate (tiny)"] = command(tiny, ["translate", *TINY], env)
    row["build"] = command(tiny, ["build", *TINY], env)
    row["verify"] = command(tiny, ["run", *TINY], env)
    row["re-run"] = command(tiny, ["run", *TINY], env)
    row["one edit"] = one_edit(tiny, env)
    row["status"] = command(tiny, ["status", "--json"], env)
    if pdf:
        with_pdf = copy(tiny, f"x{scale}-pdf")
        toml = with_pdf / "polyleaf.toml"
        toml.write_text(toml.read_text().replace('"html"]', '"html", "pdf"]'), encoding="utf-8")
        row["build +pdf"] = command(with_pdf, ["build", *TINY], env)
        shutil.rmtree(with_pdf / "build")
        row["build +pdf, 2 workers"] = command(with_pdf, ["build", "--workers", "2"], env)
        shutil.rmtree(with_pdf)
    shutil.rmtree(base)
    return row


def one_edit(project: Path, env: dict[str, str], word: tuple[str, str] = (" pain", " ache")) -> dict[str, float]:
    """``run`` after one word of one article changed (the first ``word`` for the second)."""
    edited = project / "source" / f"{ARTICLES[0]}-0000.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace(*word, 1), encoding="utf-8")
    return command(project, ["run", *TINY], env)


def edit_rounds(work: Path, scale: int, env: dict[str, str], rounds: int, reviewed: bool) -> dict[str, Any]:
    """Only the one-edit stage, ``rounds`` times: the project is made (translated, built, run) once and kept in
    ``work`` (``--keep``); each round changes the word and, untimed, changes it back and runs again, so the kept
    project is ready for the next round and the next invocation. ``reviewed``: on a copy where translators have
    reviewed some translations (``review_some``), as in a real project."""
    ready = ready_project(work, scale, env)
    if reviewed:
        copied = work / f"x{scale}-reviewed"
        if not (copied / ".ready").exists():
            ready = copy(ready, copied.name)
            review_some(ready)
        ready = copied
    command(ready, ["run", *TINY], env)  # settled by this polyleaf (another one re-checks everything)
    times = []
    for _ in range(rounds):
        times.append(one_edit(ready, env))
        one_edit(ready, env, (" ache", " pain"))
    best = {**min(times, key=lambda value: value["seconds"]), "cpu": min(value["cpu"] for value in times)}
    print(f"{scale}×: one edit " + ", ".join(f"{v['seconds']:.2f}s ({v['cpu']:.2f} CPU)" for v in times), flush=True)
    return {"one edit": best, "status": command(ready, ["status", "--json"], env)}


def ready_project(work: Path, scale: int, env: dict[str, str]) -> Path:
    """The project of ``scale`` kept in ``work`` (``--keep``): translated by the tiny model and run, made once."""
    ready = work / f"x{scale}-ready"
    if not (ready / ".ready").exists():
        if ready.exists():
            shutil.rmtree(ready)
        make_project(ready, scale, ["txt", "html"])
        for arguments in (["update"], ["translate", *TINY], ["run", *TINY], ["run", *TINY]):
            command(ready, arguments, env)
        (ready / ".ready").write_text("made by scale.py --keep\n", encoding="utf-8")
    return ready


def cold_run(work: Path, scale: int, env: dict[str, str]) -> dict[str, Any]:
    """``run`` on a copy of the kept project of ``scale`` without its QA cache and run record, as the first run
    after polyleaf changed: every catalog is read, merged, checked, saved and built (the run that holds the most)."""
    cold = copy(ready_project(work, scale, env), f"x{scale}-cold")
    shutil.rmtree(cold / "build" / ".cache" / "qa", ignore_errors=True)
    for record in ("run.json", "run-files.json"):
        (cold / "build" / ".cache" / record).unlink(missing_ok=True)
    try:
        return command(cold, ["run", *TINY], env)
    finally:
        shutil.rmtree(cold)


def print_cold_table(rows: dict[int, dict[str, Any]]) -> None:
    """The cold run per scale: seconds, CPU seconds, peak memory, and memory's ratio to the smallest scale's."""
    first = min(rows)
    print("\ncold run: polyleaf run without a QA cache or a run record (whole command, --workers 1)")
    print("| scale | seconds | CPU seconds | main MB | tree MB | main MB / smallest scale's |")
    print("|---|---|---|---|---|---|")
    for scale in sorted(rows):
        row = rows[scale]
        ratio = row["main_mb"] / rows[first]["main_mb"]
        print(
            f"| {scale}× | {row['seconds']:.1f} | {row['cpu']:.1f} | {row['main_mb']:.0f} | {row['tree_mb']:.0f} | "
            f"{ratio:.2f} |"
        )


def review_some(project: Path) -> None:
    """What translators have done in a real project: the disclaimer reviewed in every language, and the sentences
    of every eighth article and of the edited one (those without the words the rounds change) — the fuzzy flag
    taken off their machine translations (not of obsolete entries: those are a past edit round's)."""
    edited = f"{ARTICLES[0]}-0000"
    for po in sorted(project.glob("locales/*/LC_MESSAGES/*.po")):
        number = po.stem.rsplit("-", 1)[-1]
        if po.stem not in ("disclaimer", edited) and not (number.isdigit() and int(number) % 8 == 3):
            continue
        blocks = po.read_text(encoding="utf-8").split("\n\n")
        for index, block in enumerate(blocks):
            header, obsolete = 'msgid ""\nmsgstr ""\n"' in block, "\n#~ " in f"\n{block}"
            if header or obsolete or (po.stem == edited and ("pain" in block or "ache" in block)):
                continue
            lines = block.split("\n")
            for at, line in enumerate(lines):
                flags = line[3:].split(", ") if line.startswith("#, ") else []
                if "fuzzy" in flags:
                    rest = [flag for flag in flags if flag != "fuzzy"]
                    lines[at] = "#, " + ", ".join(rest) if rest else ""
            blocks[index] = "\n".join(line for line in lines if line)
        po.write_text("\n\n".join(blocks), encoding="utf-8")


def cell(value: dict[str, float] | None, what: str) -> str:
    if value is None:
        return "—"
    number = value[what]
    if number != number:  # NaN
        return "—"
    return f"{number:.2f}" if what == "seconds" else f"{number:.0f}"


def print_table(rows: dict[int, dict[str, Any]], what: str, title: str) -> None:
    scales = sorted(rows)
    print(f"\n{title}")
    print("| scale | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for scale in scales:
        print(f"| {scale}× | " + " | ".join(cell(rows[scale].get(c), what) for c in COLUMNS) + " |")
    first = scales[0]
    for scale in scales[1:]:
        ratios = []
        for column in COLUMNS:
            a, b = rows[first].get(column), rows[scale].get(column)
            ok = a and b and a[what] > 0 and a[what] == a[what] and column != "checkpoint"
            ratios.append(f"{b[what] / a[what]:.2f}" if ok else "—")  # type: ignore[index]
        print(f"| {scale}×/{first}× (size ×{scale // first}) | " + " | ".join(ratios) + " |")


def print_edit_table(rows: dict[int, dict[str, Any]]) -> None:
    """The one-edit stage alone: seconds (the best round), CPU seconds (the fewest of a round) and memory per scale,
    and the ratio of seconds to the smallest scale's."""
    first = min(rows)
    print("\none edit: polyleaf run after one word of one article changed (whole command, best round);")
    print("then polyleaf status --json (the project as that run left it)")
    print("| scale | seconds | CPU seconds | ratio to the smallest scale | main MB | tree MB | status s (CPU s) |")
    print("|---|---|---|---|---|---|---|")
    for scale in sorted(rows):
        edit, status = rows[scale]["one edit"], rows[scale]["status"]
        ratio = edit["seconds"] / rows[first]["one edit"]["seconds"]
        print(
            f"| {scale}× | {edit['seconds']:.2f} | {edit['cpu']:.2f} | {ratio:.2f} | {edit['main_mb']:.0f} | "
            f"{edit['tree_mb']:.0f} | {status['seconds']:.2f} ({status['cpu']:.2f}) |"
        )


def print_tables(rows: dict[int, dict[str, Any]]) -> None:
    print_table(rows, "seconds", "seconds per command (--workers 1), wall time of the whole command")
    print_table(rows, "main_mb", "peak memory of the command's own process, MB")
    print_table(rows, "tree_mb", "peak memory of the command with its fork server and workers, MB")
    print("\nbuild +pdf with --workers 2: seconds; peak MB of the main process and of the whole tree")
    print("| scale | seconds | main MB | tree MB | speed-up over --workers 1 |")
    print("|---|---|---|---|---|")
    for scale in sorted(rows):
        two, one = rows[scale].get("build +pdf, 2 workers"), rows[scale].get("build +pdf")
        if two and one:
            print(
                f"| {scale}× | {two['seconds']:.2f} | {two['main_mb']:.0f} | {two['tree_mb']:.0f} | "
                f"{one['seconds'] / two['seconds']:.2f}× |"
            )


def parallel_table(work: Path, scale: int, env: dict[str, str]) -> None:
    """--workers 1 vs --workers 2 vs a Dask LocalCluster of two single-threaded worker processes, tiny-model
    translate and PDF build, at ``scale``: whole commands; the cluster's processes are sampled with the command."""
    import psutil
    from distributed import LocalCluster

    base = make_project(work / f"p{scale}", scale, ["txt", "html", "pdf"])
    command(base, ["update"], env)
    print(f"\nparallel speed-up at {scale}× (seconds; peak MB: main process / whole tree, cluster included)")
    print("| executor | translate (tiny) | build +pdf | speed-up translate | speed-up build |")
    print("|---|---|---|---|---|")
    first: tuple[float, float] | None = None
    for label in ("--workers 1", "--workers 2", "LocalCluster(2)"):
        project = copy(base, "p-run")
        cluster = None
        options = label.split()
        if label.startswith("LocalCluster"):
            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
            )
            options = ["--scheduler", cluster.scheduler_address]
        others = [child.pid for child in psutil.Process().children()] if cluster else []
        translated = command(project, ["translate", *options], env, cluster=others)
        built = command(project, ["build", *options], env, cluster=others)
        if cluster is not None:
            cluster.close()
        times = (translated["seconds"], built["seconds"])
        first = first or times
        print(
            f"| {label} | {times[0]:.2f} ({translated['main_mb']:.0f}/{translated['tree_mb']:.0f}) | "
            f"{times[1]:.2f} ({built['main_mb']:.0f}/{built['tree_mb']:.0f}) | "
            f"{first[0] / times[0]:.2f}× | {first[1] / times[1]:.2f}× |"
        )
        shutil.rmtree(project)


def main() -> None:
    if sys.argv[1:2] == ["--zero-polyleaf"]:  # a command of the benchmark itself (see ``command``)
        chunk, arguments = int(sys.argv[3]), sys.argv[5:]
        zero_polyleaf(arguments, chunk)
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 8, 32, 128])
    parser.add_argument("--pdf-scales", type=int, nargs="*", default=[1, 8, 32])
    parser.add_argument("--parallel-scale", type=int, default=8)
    parser.add_argument("--no-parallel", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the one-edit projects there")
    parser.add_argument("--edit-rounds", type=int, default=0, help="only the one-edit stage, this many rounds")
    parser.add_argument("--reviewed", action="store_true", help="the one-edit rounds on a project with reviews")
    parser.add_argument("--cold", action="store_true", help="only a cold run of each kept project (with --keep)")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.keep is not None:
            work = args.keep.resolve()
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="polyleaf-scale-")))
        env = isolated_environment(work)
        env.pop("SOURCE_DATE_EPOCH", None)  # dates as a user's runs have them
        # as a user's install does, Python keeps the compiled modules (a shell that forbids it compiles polyleaf
        # again in every command)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["CI"] = "true"
        if not any((work / "packages").iterdir()):
            install_tiny_models(work / "packages")
        rows: dict[int, dict[str, Any]] = {}
        if args.cold:
            print_cold_table({scale: cold_run(work, scale, env) for scale in args.scales})
            return
        for scale in args.scales:
            if args.edit_rounds:
                rows[scale] = edit_rounds(work, scale, env, args.edit_rounds, args.reviewed)
                continue
            rows[scale] = measure_scale(work, scale, env, scale in args.pdf_scales)
            print(f"{scale}×: " + ", ".join(f"{k} {v['seconds']:.2f}s" for k, v in rows[scale].items()), flush=True)
        if args.edit_rounds:
            print_edit_table(rows)
            return
        print_tables(rows)
        if not args.no_parallel:
            parallel_table(work, args.parallel_scale, env)


if __name__ == "__main__":
    main()
