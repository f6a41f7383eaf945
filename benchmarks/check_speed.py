"""Benchmark: QA over a 10,000-entry catalog of dose sentences, and the whole ``polyleaf check`` command.

Builds a temporary project with one article of generated dose sentences (doses, ranges, bounds, ages, decimals,
acronyms) translated into the seven configured languages, reviewed, about 5% of them with a swapped pair of
numbers (every template). Times ``qa.check_catalog_entries`` over every catalog (the first run, which loads
num2words and the vocabularies, and the best of three) against the qa.py this branch started from (extracted
with ``git archive <merge-base>``), and ``polyleaf check`` as a command with both. Target (issue 11): < 2 s
for 10,000 entries. Run with:

    uv run python benchmarks/check_speed.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from polyleaf.po import pofile, poread

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar")

# English template, then one per language; {a} < {b}. A "{a}.5" is written with the language's decimal sign.
TEMPLATES: list[dict[str, str]] = [
    {
        "en": "Take {a} tablets every {b} hours.",
        "es": "Tome {a} comprimidos cada {b} horas.",
        "fr": "Prenez {a} comprimés toutes les {b} heures.",
        "pt_BR": "Tome {a} comprimidos a cada {b} horas.",
        "ru": "Принимайте по {a} таблетки каждые {b} часов.",
        "zh_Hans": "每{b}小时服用{a}片。",
        "vi": "Uống {a} viên mỗi {b} giờ.",
        "ar": "تناول {a} أقراص كل {b} ساعات.",
    },
    {
        "en": "Start with {a} mg and take at most {b} mg a day.",
        "es": "Empiece con {a} mg y tome como máximo {b} mg al día.",
        "fr": "Commencez par {a} mg et prenez au maximum {b} mg par jour.",
        "pt_BR": "Comece com {a} mg e tome no máximo {b} mg por dia.",
        "ru": "Начните с {a} мг и принимайте не более {b} мг в сутки.",
        "zh_Hans": "起始剂量为{a}毫克，每天最多{b}毫克。",
        "vi": "Bắt đầu với {a} mg, tối đa {b} mg mỗi ngày.",
        "ar": "ابدأ بجرعة {a} ملغ، ولا تتجاوز {b} ملغ يوميًا.",
    },
    {
        "en": "Apply ice for {a}–{b} minutes after the injection.",
        "es": "Aplique hielo durante {a}–{b} minutos después de la inyección.",
        "fr": "Appliquez de la glace pendant {a} à {b} minutes après l’injection.",
        "pt_BR": "Aplique gelo por {a} a {b} minutos após a injeção.",
        "ru": "Прикладывайте лёд на {a}–{b} минут после инъекции.",
        "zh_Hans": "注射后冰敷{a}至{b}分钟。",
        "vi": "Chườm đá trong {a}–{b} phút sau khi tiêm.",
        "ar": "ضع الثلج لمدة {a}–{b} دقيقة بعد الحقن.",
    },
    {
        "en": "Give {a}.5 ml of syrup {b} times a day, not for children under {c} years.",
        "es": "Administre {a},5 ml de jarabe {b} veces al día, no apto para niños menores de {c} años.",
        "fr": "Donnez {a},5 ml de sirop {b} fois par jour, pas aux enfants de moins de {c} ans.",
        "pt_BR": "Dê {a},5 ml de xarope {b} vezes ao dia, não indicado para menores de {c} anos.",
        "ru": "Давайте по {a},5 мл сиропа {b} раза в день, не детям младше {c} лет.",
        "zh_Hans": "糖浆每次{a}.5毫升，每天{b}次，{c}岁以下儿童禁用。",
        "vi": "Cho uống {a},5 ml siro {b} lần mỗi ngày, không dùng cho trẻ dưới {c} tuổi.",
        "ar": "أعطِ {a}٫5 مل من الشراب {b} مرات يوميًا، ولا يُعطى للأطفال دون سن {c} عامًا.",
    },
    {
        "en": "Chronic low back pain (LBP) affects {a}% of adults for more than {b} weeks.",
        "es": "El dolor lumbar crónico (LBP) afecta al {a} % de los adultos durante más de {b} semanas.",
        "fr": "La lombalgie chronique (LBP) touche {a} % des adultes pendant plus de {b} semaines.",
        "pt_BR": "A dor lombar crônica (LBP) afeta {a}% dos adultos por mais de {b} semanas.",
        "ru": "Хроническая боль в пояснице (LBP) беспокоит {a} % взрослых дольше {b} недель.",
        "zh_Hans": "慢性腰痛（LBP）影响{a}%的成年人，持续超过{b}周。",
        "vi": "Đau thắt lưng mạn tính (LBP) ảnh hưởng đến {a}% người lớn trong hơn {b} tuần.",
        "ar": "يصيب ألم أسفل الظهر المزمن (LBP) {a}٪ من البالغين لأكثر من {b} أسابيع.",
    },
]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sentences(count: int) -> Iterator[tuple[int, int, int, int]]:
    """Distinct (template, a, b, c) with a < b."""
    made = 0
    for b in range(2, 400):
        for a in range(1, b):
            for template in range(len(TEMPLATES)):
                if made == count:
                    return
                yield template, a, b, 12 + (a + b) % 7
                made += 1


def translate(language: str, template: int, a: int, b: int, c: int, defect: bool) -> str:
    if defect:
        a, b = b, a
    text = TEMPLATES[template][language].format(a=a, b=b, c=c)
    return text.translate(ARABIC_DIGITS) if language == "ar" else text


def read(path: Path) -> pofile.PoFile:
    return poread.parse_po_file(path.read_bytes(), path)


def make_project(root: Path, per_language: int) -> dict[str, str]:
    """The project: one article, its PO files (made by polyleaf itself), filled in as reviewed translations."""
    rows = list(sentences(per_language))
    english = {row: TEMPLATES[row[0]]["en"].format(a=row[1], b=row[2], c=row[3]) for row in rows}
    (root / "source").mkdir(parents=True)
    lines = ["Dosing examples", "", *(english[row] for row in rows)]
    (root / "source" / "doses.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    (root / "source" / "disclaimer.txt").write_text("This leaflet does not replace your doctor.\n", encoding="utf-8")
    languages = ", ".join(f'"{language}"' for language in LANGUAGES)
    (root / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = [{languages}]\nformats = ["txt"]\n', encoding="utf-8"
    )
    polyleaf(root, "update")
    by_msgid = {text: row for row, text in english.items()}
    for language in LANGUAGES:
        path = root / "locales" / language / "LC_MESSAGES" / "doses.po"
        po = poread.parse_po_file(path.read_bytes(), path)
        messages = [message for message in po.messages if message.is_header]
        for index, entry in enumerate(message for message in po.messages if not message.is_header):
            row = by_msgid.get(entry.msgid)
            if row is not None:
                text = translate(language, *row, defect=index % 19 == 7)
                entry = replace(entry, msgstr=(text,), flags=tuple(flag for flag in entry.flags if flag != "fuzzy"))
            messages.append(entry)
        path.write_bytes(pofile.write_po(pofile.PoFile(tuple(messages))))
    return {language: str(root / "locales" / language / "LC_MESSAGES" / "doses.po") for language in LANGUAGES}


def polyleaf(root: Path, *arguments: str, src: Path | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(os.environ, HOME=str(root / "home"), ARGOS_PACKAGES_DIR=str(root / "argos"))
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [sys.executable, "-c", "import sys; from polyleaf.cli import main; sys.exit(main())", *arguments]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result


#: The last commit of round 1, with the QA that compared numbers as a bag (``src/polyleaf/qa.py``).
BASELINE = "0b4a70c2af10d23604ab5cb4f0d4d4792102e356"


def base_commit() -> str:
    return BASELINE


def old_sources(into: Path) -> Path:
    """The package as round 1 left it (before quantities), extracted to ``into``/src."""
    archive = subprocess.run(["git", "archive", base_commit(), "src"], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def load_old_qa(src: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("polyleaf_qa_before", src / "polyleaf" / "qa.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_qa(module: Any, catalogs: dict[str, list[tuple[str, str, int]]]) -> tuple[float, int]:
    getattr(module, "_FINDINGS", {}).clear()  # each entry checked for real: no findings from the run before
    start = time.perf_counter()
    errors = 0
    for language, entries in catalogs.items():
        views = [module.EntryView(msgid, msgstr, line, False) for msgid, msgstr, line in entries]
        context = module.CheckContext("en", language, dnt_terms=("LBP",))
        diagnostics = module.check_catalog_entries(views, context, Path(f"{language}.po"))
        errors += sum(1 for d in diagnostics if d.severity == "error")
    return time.perf_counter() - start, errors


def best(runs: int, function: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    return min((function() for _ in range(runs)), key=lambda result: result[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="entries in all catalogs together")
    args = parser.parse_args()
    per_language = args.entries // len(LANGUAGES)
    with tempfile.TemporaryDirectory(prefix="polyleaf-check-speed-") as temp:
        root = Path(temp) / "project"
        root.mkdir()
        paths = make_project(root, per_language)
        catalogs = {
            language: [(m.msgid, m.text, m.line) for m in read(Path(path)).messages if m.text and m.msgid]
            for language, path in paths.items()
        }
        total = sum(map(len, catalogs.values()))
        from polyleaf.qa import registry

        old = load_old_qa(old_sources(Path(temp)))
        new_first = run_qa(registry, catalogs)
        new_best = best(3, lambda: run_qa(registry, catalogs))
        old_best = best(3, lambda: run_qa(old, catalogs))
        command_new = min(polyleaf(root, "check", "-q")[0] for _ in range(3))
        old_runs = [polyleaf(root, "check", "-q", src=Path(temp) / "src") for _ in range(3)]
        command_old = min(seconds for seconds, _ in old_runs)
        polyleaf(root, "run", "-q")  # the main job: its QA cache then answers ``check`` for unchanged catalogs
        command_after_run = min(polyleaf(root, "check", "-q")[0] for _ in range(3))
        old_failure = next(  # exit 1 is "QA errors found"; a traceback is a crash (round 1 needs polib)
            (r.stderr.strip() for _, r in old_runs if r.returncode not in (0, 1) or "Traceback" in r.stderr), ""
        )

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work slows every figure)")
    print(f"catalog: {total} reviewed entries in {len(LANGUAGES)} languages ({', '.join(LANGUAGES)})")
    print(f"{'':34}{'seconds':>9}{'errors':>8}")
    print(f"{'qa, first run (loads num2words)':34}{new_first[0]:9.2f}{new_first[1]:8}")
    print(f"{'qa, best of 3':34}{new_best[0]:9.2f}{new_best[1]:8}")
    print(f"{'qa before quantities, best of 3':34}{old_best[0]:9.2f}{old_best[1]:8}")
    print(f"{'polyleaf check, best of 3':34}{command_new:9.2f}")
    print(f"{'polyleaf check after a run, best 3':34}{command_after_run:9.2f}")
    if old_failure:  # round 1's reader refuses files it did not write; it needs polib (``uv run --with polib``)
        print(f"{'polyleaf check before':34}  failed: {old_failure.splitlines()[-1][:80]}")
        print(f"ratio qa / before: {new_best[0] / old_best[0]:.2f}")
    else:
        print(f"{'polyleaf check before, best of 3':34}{command_old:9.2f}")
        print(f"ratio qa / before: {new_best[0] / old_best[0]:.2f}; command: {command_new / command_old:.2f}")
    verdict = {True: "met", False: "NOT met"}
    print(f"target < 2 s for 10,000 entries: qa {verdict[new_first[0] < 2]}, whole command {verdict[command_new < 2]}")


if __name__ == "__main__":
    main()
