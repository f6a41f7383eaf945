"""polyleaf.pipeline end to end on a temporary content project, with the deterministic fake MT engine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.errors import CatalogError, ConfigError, LockError
from polyleaf.fsio import LOCK_NAME
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline import runner
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.sources import Selection, disclaimer_text, load_sources
from polyleaf.pipeline.status import status

ARTICLE = "bvna-chronic-low-back-pain"
OTHER = "bvn-ablation-vertebral-venous-malformations"
#: The first and last lines of every draft .txt leaflet (until interface.po has the banner reviewed).
DRAFT_LINE = "*** DRAFT — not for patients ***"
FIRST_SENTENCE = (
    "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
)
SECOND_SENTENCE = (
    "The persistent discomfort can significantly impact quality of life, leading to reduced mobility, decreased "
    "productivity, and increased reliance on pain management strategies."
)


def no_engine(config: object) -> FakeEngine:
    return FakeEngine(pairs=())


def run(root: Path, engine: object = None, **kwargs: object) -> Report:
    factory = (lambda config: engine) if engine is not None else no_engine
    return runner.run(load_config(root), engine_factory=factory, **kwargs)  # type: ignore[arg-type]


def po_path(root: Path, language: str, name: str) -> Path:
    return root / "locales" / language / "LC_MESSAGES" / f"{name}.po"


def snapshot(root: Path) -> dict[Path, bytes]:
    return {
        path: path.read_bytes()
        for folder in ("locales", "build")
        if (root / folder).exists()
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def review(path: Path, msgid: str, translation: str) -> None:
    """What a translator does in Poedit: write a translation and remove the fuzzy flag."""
    po = catalog.read_po(path)
    text = path.read_text(encoding="utf-8")
    entry = next(e for e in po.entries() if e.msgid == msgid)
    lines = text.splitlines(keepends=True)
    # find the msgstr that belongs to the entry starting at entry.line, rewrite it
    index = entry.line - 1
    while not lines[index].startswith("msgstr"):
        index += 1
    end = index + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[index:end] = [f'msgstr "{translation}"\n']
    cleaned = []
    for number, line in enumerate(lines):
        if number < entry.line - 1 and line.startswith("#, fuzzy") and number > entry.line - 8:
            continue
        cleaned.append(line)
    path.write_text("".join(cleaned), encoding="utf-8")
    assert catalog.read_po(path).translations()[msgid] == catalog.Translation(translation, reviewed=True)


def test_first_run_creates_templates_catalogs_and_builds(project: Path) -> None:
    report = run(project)
    for name in (ARTICLE, OTHER, "disclaimer", "interface"):
        assert (project / "locales" / "templates" / f"{name}.pot").is_file()
        for language in ("es", "ar"):
            assert po_path(project, language, name).is_file()
    for language in ("es", "ar"):
        for name in (ARTICLE, OTHER):
            text = (project / "build" / language / f"{name}.{language}.txt").read_text(encoding="utf-8")
            assert text.endswith(f"related to your treatment.*\n{DRAFT_LINE}\n")  # a draft's last line says so
            html = (project / "build" / language / f"{name}.{language}.html").read_text(encoding="utf-8")
            assert "informational purposes only" in html
    assert any("nothing was machine-translated" in note for note in report.notes)


def test_pot_references_comments_and_disclaimer_catalog(project: Path) -> None:
    run(project)
    pot = (project / "locales" / "templates" / f"{ARTICLE}.pot").read_text(encoding="utf-8")
    assert f"#: source/{ARTICLE}.txt:2\n" in pot
    assert '#. paragraph 1, sentence 1 of 7 — section "Introduction: A New Approach to' in pot
    assert "Disclaimer" not in pot  # the article's own disclaimer is the standard one: not in its catalog
    disclaimer = (project / "locales" / "templates" / "disclaimer.pot").read_text(encoding="utf-8")
    assert 'msgid ""\n"**Disclaimer:** *This article is for informational purposes only' in disclaimer


def test_second_run_rewrites_nothing(project: Path) -> None:
    run(project)
    before = snapshot(project)
    mtimes = {path: path.stat().st_mtime_ns for path in before}
    report = run(project)
    assert report.written == []
    assert snapshot(project) == before
    assert {path: path.stat().st_mtime_ns for path in before} == mtimes


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_every_po_passes_msgfmt_check(project: Path) -> None:
    run(project, FakeEngine())
    for path in (project / "locales").rglob("*.po"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path}: {result.stderr}"


@pytest.mark.slow
def test_reviewed_translation_is_built_and_survives_source_edits(project: Path) -> None:
    run(project)
    es = po_path(project, "es", ARTICLE)
    review(es, FIRST_SENTENCE, "El dolor lumbar crónico (LBP) sigue siendo una afección generalizada.")
    review(es, SECOND_SENTENCE, "La molestia persistente puede afectar la calidad de vida.")
    run(project)
    built = (project / "build" / "es" / f"{ARTICLE}.es.txt").read_text(encoding="utf-8")
    assert "El dolor lumbar crónico (LBP) sigue siendo una afección generalizada." in built

    # the coordinator edits ANOTHER sentence of the article
    source = project / "source" / f"{ARTICLE}.txt"
    edited = SECOND_SENTENCE.replace("reduced mobility", "severely reduced mobility")
    source.write_text(source.read_text(encoding="utf-8").replace(SECOND_SENTENCE, edited), encoding="utf-8")
    run(project)
    po = catalog.read_po(es)
    translations = po.translations()
    assert translations[FIRST_SENTENCE] == catalog.Translation(
        "El dolor lumbar crónico (LBP) sigue siendo una afección generalizada.", reviewed=True
    )
    # the changed sentence keeps its old translation as fuzzy, with the previous source text shown
    assert translations[edited] == catalog.Translation(
        "La molestia persistente puede afectar la calidad de vida.", False
    )
    text = es.read_text(encoding="utf-8")
    assert '#| msgid ""\n#| "The persistent discomfort can significantly impact quality of life, "\n' in text
    built = (project / "build" / "es" / f"{ARTICLE}.es.txt").read_text(encoding="utf-8")
    assert "El dolor lumbar crónico (LBP) sigue siendo una afección generalizada." in built


def test_removed_sentence_is_kept_obsolete(project: Path) -> None:
    run(project)
    es = po_path(project, "es", ARTICLE)
    review(es, FIRST_SENTENCE, "Traducción revisada.")
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(FIRST_SENTENCE + " ", ""), encoding="utf-8")
    run(project)
    text = es.read_text(encoding="utf-8")
    assert '#~ msgstr "Traducción revisada."' in text


@pytest.mark.slow
def test_machine_translation_fills_only_empty_entries_and_is_idempotent(project: Path) -> None:
    run(project)
    es = po_path(project, "es", ARTICLE)
    review(es, FIRST_SENTENCE, "Revisada por una persona.")
    engine = FakeEngine()
    report = run(project, engine)
    po = catalog.read_po(es)
    assert po.translations()[FIRST_SENTENCE] == catalog.Translation("Revisada por una persona.", reviewed=True)
    second = po.translations()[SECOND_SENTENCE]
    assert not second.reviewed and second.text == engine.translate_one(SECOND_SENTENCE)
    assert "# mt: fake en-es 1.0" in es.read_text(encoding="utf-8")
    assert report.filled_from_mt["es"] > 0
    # each distinct text once, language after language (a chunk is at most CHUNK_SEGMENTS texts)
    texts_by_language: dict[str, list[str]] = {}
    for texts, _source, target in engine.calls:
        texts_by_language.setdefault(target, []).extend(texts)
    assert list(texts_by_language) == ["es", "ar"]
    assert all(len(texts) == len(set(texts)) for texts in texts_by_language.values())
    again = FakeEngine()
    report = run(project, again)
    assert again.calls == [] and report.written == []


def test_translation_memory_reuses_reviewed_text_across_documents(project: Path) -> None:
    shared = "Regular follow-up appointments are essential."
    (project / "source" / "extra.txt").write_text(f"Extra\n{shared} Another sentence here.\n", encoding="utf-8")
    (project / "source" / "more.txt").write_text(f"More\n{shared}\n", encoding="utf-8")
    run(project)
    review(po_path(project, "es", "extra"), shared, "Las citas de control son esenciales.")
    engine = FakeEngine()
    report = run(project, engine)
    assert catalog.read_po(po_path(project, "es", "more")).translations()[shared].text == (
        "Las citas de control son esenciales."
    )
    assert "# tm: reviewed in extra.po" in po_path(project, "es", "more").read_text(encoding="utf-8")
    assert shared not in engine.calls[0][0]
    assert report.filled_from_tm["es"] == 1


def test_draft_notice_and_disclaimer_appended(project: Path) -> None:
    run(project)
    other = (project / "build" / "es" / f"{OTHER}.es.txt").read_text(encoding="utf-8")
    assert other.startswith(
        f"{DRAFT_LINE}\nDraft: this translation has not been fully reviewed yet. Segments not reviewed: "
    )
    assert other.endswith(
        "\n—\n**Disclaimer:** *This article is for informational purposes only and does not "
        "constitute medical advice. It is essential to consult with a qualified healthcare "
        "professional for any health concerns or before making any decisions related to your "
        f"treatment.*\n{DRAFT_LINE}\n"
    )
    # a reviewed translation of the notice is used in the document's language
    review(po_path(project, "es", "interface"), INTERFACE_MESSAGES["draft"], "Borrador sin revisar.")
    run(project)
    other = (project / "build" / "es" / f"{OTHER}.es.txt").read_text(encoding="utf-8")
    assert other.startswith(f"{DRAFT_LINE}\nBorrador sin revisar. Segments not reviewed: ")


def test_reviewed_disclaimer_is_used_in_every_document(project: Path) -> None:
    run(project)
    disclaimer = disclaimer_text(load_sources(load_config(project)).disclaimer)
    review(
        po_path(project, "ar", "disclaimer"),
        disclaimer,
        "**إخلاء المسؤولية:** *هذا المقال لأغراض إعلامية فقط ولا يُعدّ نصيحة طبية.*",
    )
    run(project)
    for name in (ARTICLE, OTHER):
        text = (project / "build" / "ar" / f"{name}.ar.txt").read_text(encoding="utf-8")
        assert text.endswith(
            f"**إخلاء المسؤولية:** *هذا المقال لأغراض إعلامية فقط ولا يُعدّ نصيحة طبية.*\n{DRAFT_LINE}\n"
        )
        assert "informational purposes" not in text
        html = (project / "build" / "ar" / f"{name}.ar.html").read_text(encoding="utf-8")
        assert 'dir="rtl"' in html and "إخلاء المسؤولية" in html


def test_differently_worded_disclaimer_warns_and_uses_the_standard(project: Path) -> None:
    (project / "source" / "own.txt").write_text("Own\nText here.\n**Disclaimer:** Ask your doctor.\n", "utf-8")
    report = run(project)
    assert any("own.txt:3: disclaimer wording differs" in warning for warning in report.warnings)
    built = (project / "build" / "es" / "own.es.txt").read_text(encoding="utf-8")
    assert "Ask your doctor" not in built and "informational purposes only" in built


def test_broken_po_stops_the_run_and_nothing_is_written(project: Path) -> None:
    run(project)
    es = po_path(project, "es", ARTICLE)
    es.write_text(es.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph that changes the templates.", "utf-8")
    before = snapshot(project)
    with pytest.raises(CatalogError) as caught:
        run(project, FakeEngine())
    assert caught.value.path == es and caught.value.line is not None
    assert snapshot(project) == before


def test_project_lock_refuses_a_second_run(project: Path) -> None:
    import os

    from polyleaf.fsio import project_lock

    with project_lock(project, ()), pytest.raises(LockError, match=rf"pid {os.getpid()}, since 20"):
        run(project)
    (project / LOCK_NAME).write_text(f"{os.getppid()} 2026-01-01T00:00:00+00:00\n", encoding="ascii")
    run(project)  # a lock nobody holds (its record names a process that is not polyleaf) is taken over
    assert not (project / LOCK_NAME).exists()


def test_taking_the_lock_waits_for_no_disk(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock's record only names its holder to a run that is refused (which reads it at once): it is written,
    never flushed to disk (a flush waits for the disk at the start of every run)."""
    import os

    from polyleaf.fsio import project_lock

    flushed: list[int] = []
    monkeypatch.setattr(os, "fsync", flushed.append)
    with project_lock(project, ()):
        record = (project / LOCK_NAME).read_text(encoding="ascii")
    assert record.startswith(f"{os.getpid()} 20") and flushed == []


def test_config_errors(project: Path) -> None:
    (project / "polyleaf.toml").write_text('languages = ["es", "fr_XX"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown language code 'fr_XX'"):
        load_config(project)
    (project / "polyleaf.toml").write_text('languages = ["es"]\nsource_dir = "nowhere"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="source directory 'nowhere' does not exist") as caught:
        load_config(project)
    assert caught.value.exit_code == 2


def test_leaflet_fonts_setting(project: Path) -> None:
    config = project / "polyleaf.toml"
    assert load_config(project).leaflet.fonts == ()
    config.write_text('languages = ["es"]\n[leaflet]\nfonts = ["Clinic Sans", "fonts/House.ttf"]\n', encoding="utf-8")
    assert load_config(project).leaflet.fonts == ("Clinic Sans", "fonts/House.ttf")
    for table, message in [
        ('fonts = "Clinic Sans"', "leaflet.fonts must be a list"),
        ('fonts = [""]', "leaflet.fonts must be a list"),
        ('font = ["Clinic Sans"]', "unknown setting 'font' in .leaflet. .did you mean 'fonts'"),
    ]:
        config.write_text(f'languages = ["es"]\n[leaflet]\n{table}\n', encoding="utf-8")
        with pytest.raises(ConfigError, match=message) as caught:
            load_config(project)
        assert caught.value.exit_code == 2


@pytest.mark.slow
def test_filters_by_language_and_document(project: Path) -> None:
    runner.run(load_config(project), Selection(("ar",), (OTHER,)), engine_factory=no_engine)
    assert po_path(project, "ar", OTHER).is_file()
    assert not po_path(project, "ar", ARTICLE).exists()
    assert not po_path(project, "es", OTHER).exists()


def test_status_counts(project: Path) -> None:
    run(project)
    review(po_path(project, "es", ARTICLE), FIRST_SENTENCE, "Revisada.")
    rows = {(row.language, row.document): row.stats for row in status(load_config(project))}
    stats = rows["es", ARTICLE]
    assert stats.reviewed == 1 and stats.untranslated == stats.segments - 1
    assert rows["ar", ARTICLE].reviewed == 0


def test_paragraph_segmentation(project: Path) -> None:
    (project / "polyleaf.toml").write_text('languages = ["es"]\nsegmentation = "paragraph"\n', encoding="utf-8")
    run(project)
    pot = (project / "locales" / "templates" / f"{ARTICLE}.pot").read_text(encoding="utf-8")
    assert pot.count("\nmsgid ") == 11  # header + title + 4 headings + 5 paragraphs


MARKDOWN = """# Living with back pain

Back pain is common. Most people recover within **six weeks**.

## What helps

- Stay active.
- Use heat, e.g. a warm towel.

> Ask your doctor before taking *new* medicines.

```
code is never translated
```
"""


@pytest.mark.slow
def test_markdown_article_keeps_its_skeleton(project: Path) -> None:
    (project / "source" / "living.md").write_text(MARKDOWN, encoding="utf-8")
    run(project, FakeEngine())
    built = (project / "build" / "es" / "living.es.md").read_text(encoding="utf-8")
    engine = FakeEngine()
    assert f"# {engine.translate_one('Living with back pain')}\n" in built
    assert f"- {engine.translate_one('Stay active.')}\n" in built
    assert f"> {engine.translate_one('Ask your doctor before taking *new* medicines.')}\n" in built
    assert "```\ncode is never translated\n```\n" in built
    # the standard disclaimer (machine-translated here) is appended after a Markdown rule
    assert "\n---\n\n**" + engine.translate_one("Disclaimer:** *This article") in built
    assert built.endswith(engine.translate_one("related to your treatment.*") + "\n\n> **DRAFT — not for patients**\n")
    pot = (project / "locales" / "templates" / "living.pot").read_text(encoding="utf-8")
    assert 'msgid "Most people recover within **six weeks**."' in pot
    assert "code is never translated" not in pot
    html = (project / "build" / "es" / "living.es.html").read_text(encoding="utf-8")
    assert "<li" in html and "<blockquote" in html and "<pre" in html


def test_a_french_source_is_segmented_with_french_rules(project: Path) -> None:
    """``source_language`` reaches segmentation: "env." (environ) does not end a French sentence."""
    (project / "polyleaf.toml").write_text('source_language = "fr"\nlanguages = ["es"]\n', encoding="utf-8")
    (project / "source" / "retour.txt").write_text(
        "Retour à la maison\nLa douleur diminue en env. 3 semaines. Ensuite, reprenez la marche.\n", encoding="utf-8"
    )
    run(project, steps=frozenset({"extract"}))
    pot = (project / "locales" / "templates" / "retour.pot").read_text(encoding="utf-8")
    assert 'msgid "La douleur diminue en env. 3 semaines."' in pot
    assert 'msgid "Ensuite, reprenez la marche."' in pot
