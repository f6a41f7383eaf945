"""``polyleaf status`` (issue 4): counts per state, QA errors and release readiness, as a table, JSON and a page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from fake_engine import FakeEngine
from helpers import polyleaf
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.console import format_table
from polyleaf.pipeline import runner
from polyleaf.pipeline.readiness import status_rows
from polyleaf.pipeline.sources import load_sources, template_entries
from polyleaf.pipeline.status import status
from release_helpers import (
    ARTICLE,
    DOSE,
    DOSE_SENTENCE,
    FIRST_SENTENCE,
    OTHER,
    SECOND_SENTENCE,
    dose_project,
    line_of,
    release,
    review,
    run,
)

EDITED = FIRST_SENTENCE.replace("millions worldwide", "millions of people worldwide")


@pytest.fixture
def reviewing(project: Path) -> Path:
    """es half-way through review, ar not started (no MT for it), one changed source sentence, one QA error.

    es: ARTICLE reviewed except SECOND_SENTENCE (still MT) and FIRST_SENTENCE (reviewed, then edited in the
    source: fuzzy, "changed"); OTHER, the disclaimer and the dose leaflet fully reviewed, the dose with 25 mg
    for 2.5 mg.
    """
    (project / "source" / f"{DOSE}.txt").write_text("Dosage\n" + DOSE_SENTENCE + "\n", encoding="utf-8")
    run(project, engine=FakeEngine(pairs={("en", "es")}))
    review(project, "es", ARTICLE, skip={SECOND_SENTENCE})
    review(project, "es", OTHER)
    review(project, "es", "disclaimer")
    review(project, "es", "interface")
    spanish = {"Dosage": "Dosis", DOSE_SENTENCE: "Tome 25 mg del medicamento dos veces al día."}
    review(project, "es", DOSE, text=lambda language, msgid: spanish[msgid])
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(FIRST_SENTENCE, EDITED), encoding="utf-8")
    return project


def status_json(root: Path, *args: str) -> dict[tuple[str, str], dict[str, Any]]:
    result = polyleaf(root, "status", "--json", *args)
    assert result.returncode == 0, result.stderr
    return {(row["language"], row["document"]): row for row in json.loads(result.stdout)}


def test_status_json_counts_states_words_qa_and_readiness(reviewing: Path) -> None:
    rows = status_json(reviewing)  # before `polyleaf update`: status shows the catalogs as update would leave them
    assert set(rows) == {
        (language, name) for language in ("es", "ar") for name in (ARTICLE, OTHER, DOSE, "disclaimer", "interface")
    }
    article = rows["es", ARTICLE]
    document = load_sources(load_config(reviewing), (ARTICLE,)).documents[0]
    words = sum(catalog.count_words(entry.msgid) for entry in template_entries(document))
    ignored = ("language", "document", "blocker", "reviewed_words_by_source")
    assert {key: article[key] for key in article if key not in ignored} == {
        "segments": 35,
        "words": words,
        "reviewed": 33,
        "machine_translated": 1,
        "changed": 1,
        "fuzzy": 2,
        "untranslated": 0,
        "percent_reviewed": 94.3,
        "qa_errors": 0,
        "release_ready": False,
        "qa_waived": 0,
    }
    # its reviewed entries were machine translations a translator reviewed (their ``# mt:`` comments kept)
    reviewed_words = sum(catalog.count_words(entry.msgid) for entry in template_entries(document)) - sum(
        catalog.count_words(text) for text in (EDITED, SECOND_SENTENCE)
    )
    assert article["reviewed_words_by_source"] == {"exact_tm": 0, "fuzzy_tm": 0, "mt": reviewed_words, "scratch": 0}
    assert article["blocker"] == (  # the edited sentence comes first; no line: it is not in the PO file yet
        f"2 of 35 segments not reviewed (release threshold 100% reviewed), first: locales/es/LC_MESSAGES/{ARTICLE}.po"
    )

    assert rows["ar", ARTICLE]["untranslated"] == rows["ar", ARTICLE]["segments"] == 35
    assert rows["ar", ARTICLE]["reviewed"] == rows["ar", ARTICLE]["machine_translated"] == 0
    assert rows["ar", "disclaimer"]["blocker"] == "the disclaimer is not reviewed in ar"
    assert rows["es", "disclaimer"]["release_ready"] is True

    dose = rows["es", DOSE]
    assert dose["reviewed"] == dose["segments"] == 2
    assert dose["qa_errors"] == 1 and dose["release_ready"] is False
    where = f"locales/es/LC_MESSAGES/{DOSE}.po:{line_of(reviewing, 'es', DOSE, DOSE_SENTENCE)}"
    assert dose["blocker"] == (
        f"1 QA error in reviewed entries, first: {where}: error [numbers] 2.5 mg → 25 mg: a number differs"
    )

    assert rows["es", OTHER]["release_ready"] is True and rows["es", OTHER]["blocker"] == ""

    # after `polyleaf update` the changed sentence is in the PO file, fuzzy with its previous text: same counts
    run(reviewing, steps=frozenset({"extract", "update"}))
    updated = status_json(reviewing)
    assert updated["es", ARTICLE]["changed"] == 1 and updated["es", ARTICLE]["machine_translated"] == 1
    line = line_of(reviewing, "es", ARTICLE, EDITED)
    assert str(updated["es", ARTICLE]["blocker"]).endswith(f"first: locales/es/LC_MESSAGES/{ARTICLE}.po:{line}")
    assert f'#| msgid ""\n#| "{FIRST_SENTENCE[:40]}' in (
        reviewing / "locales" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_status_and_release_build_agree(reviewing: Path) -> None:
    ready = {
        key for key, row in status_json(reviewing).items() if row["release_ready"] and key[1] in {ARTICLE, OTHER, DOSE}
    }
    report = release(reviewing)
    assert ready == {tuple(item.split("/")) for item in report.published} == {("es", OTHER)}
    blockers = {key: row["blocker"] for key, row in status_json(reviewing).items()}
    for item in report.withheld:
        where, reason = item.split(": ", 1)
        language, name = where.split("/")
        assert blockers[language, name] == reason


def test_status_table_is_short_enough_to_read(reviewing: Path) -> None:
    result = polyleaf(reviewing, "status")
    assert result.returncode == 0, result.stderr
    table_text, _blank, sources = result.stdout.partition("\n\n")
    lines = table_text.splitlines()
    assert sources.startswith("words reviewed, by where the translation came from:\n  es: ")
    assert lines[0].split() == [
        "language",
        "document",
        "segments",
        "words",
        "reviewed",
        "MT",
        "changed",
        "untranslated",
        "QA",
        "release",
    ]
    assert len(lines) == 1 + 2 * 5
    # was ~190: the full blockers are in --json and status.html (ar's interface.po now says "labels not reviewed")
    assert max(map(len, lines)) <= 135
    table = {tuple(line.split()[:2]): line for line in lines[1:]}
    assert re.search(r"\s35\s+\d+\s+33 \(94%\)\s+1\s+1\s+0\s+0\s+2 not reviewed$", table["es", ARTICLE])
    assert table["es", DOSE].endswith("  1  1 QA error")
    assert table["es", OTHER].endswith("  ready")
    assert table["ar", ARTICLE].endswith("  35 not reviewed")
    assert table["ar", "disclaimer"].endswith("  not reviewed")
    assert table["ar", "interface"].endswith("  labels not reviewed")  # the release withholds ar for it
    assert table["es", "interface"].endswith("  ready")


def test_table_cuts_the_last_column_to_the_terminal_width() -> None:
    headers = ["language", "document", "segments", "release"]
    rows = [["es", "a-long-document-name", "58", "disclaimer not reviewed"], ["ar", "short", "3", "ready"]]
    full = format_table(headers, rows, text_columns=2, last_text=True).splitlines()
    assert full[1].endswith("disclaimer not reviewed")
    cut = format_table(headers, rows, text_columns=2, last_text=True, width=57).splitlines()
    assert max(map(len, cut)) == 57
    assert cut[1].endswith("disclaimer not…") and cut[2].endswith("ready")
    narrow = format_table(headers, rows, text_columns=2, last_text=True, width=20).splitlines()
    assert narrow[1].endswith("  discla…")  # never narrower than the column's header


class StatusPage(HTMLParser):
    """The rows (cell texts) of the catalogs' table and of the languages' table, per language its bar's parts
    (state, width %, title), and the links of the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.languages: list[list[str]] = []
        self.sources: list[list[str]] = []  # words reviewed by where their translation came from, per language
        self.other: list[list[str]] = []
        self.bars: list[tuple[str, list[tuple[str, float, str]]]] = []
        self.links: list[str] = []
        self._in_body = False
        self._table = ""
        self._cell: list[str] | None = None
        self._bar = False
        self._label = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a":
            self.links.append(values.get("href", ""))
        if tag == "table":
            self._table = values.get("class", "")
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._table_rows().append([])
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "div" and "bar" in values.get("class", "").split():
            self._bar = True
            self.bars.append((values.get("aria-label", ""), []))
        elif tag == "span" and self._bar:
            style = re.fullmatch(r"width: ([\d.]+)%", values["style"])
            assert style is not None
            width = float(style.group(1))
            self.bars[-1][1].append((values["class"], width, values["title"]))

    def _table_rows(self) -> list[list[str]]:
        tables = {"catalogs": self.rows, "sources": self.sources, "languages": self.languages}
        return tables.get(self._table, self.other)  # other: the sources' readability (test_dashboard reads it)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self._table_rows()[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "div":
            self._bar = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_status_page_has_a_row_per_catalog_and_a_bar_per_language(reviewing: Path) -> None:
    rows = status_json(reviewing)
    page = StatusPage((reviewing / "build" / "status.html").read_text(encoding="utf-8"))
    assert [(cells[0], cells[1]) for cells in page.rows] == list(rows)
    for cells in page.rows:
        row = rows[cells[0], cells[1]]
        assert cells[2:9] == [
            str(row[key])
            for key in ("segments", "words", "reviewed", "machine_translated", "changed", "untranslated", "qa_errors")
        ]
        assert cells[9] == (row["blocker"] or "release-ready")  # the full reason, on the page

    assert len(page.bars) == 2  # es, ar: every catalog of the language together
    for (label, parts), language in zip(page.bars, ("es", "ar"), strict=True):
        mine = [row for (lang, _), row in rows.items() if lang == language]
        reviewed = sum(int(row["reviewed"]) for row in mine)
        assert label == f"{round(100 * reviewed / sum(int(row['segments']) for row in mine))}% reviewed"
        assert [state for state, _, _ in parts] == ["reviewed", "machine", "changed", "untranslated"]
        assert sum(width for _, width, _ in parts) == pytest.approx(100)
        key = {"reviewed": "reviewed", "machine": "machine_translated", "changed": "changed"}
        for state, _, title in parts:
            assert title == f"{state}: {sum(int(row[key.get(state, state)]) for row in mine)}"


def test_status_of_a_fully_reviewed_language_is_release_ready(project: Path) -> None:
    dose_project(project)
    rows = status_json(project, "--lang", "es", "--doc", DOSE)
    assert rows["es", DOSE]["release_ready"] is rows["es", "disclaimer"]["release_ready"] is True
    assert rows["es", DOSE]["blocker"] == "" and rows["es", DOSE]["percent_reviewed"] == 100


# ----------------------------------------------------------------------------------------------- the dashboard


def status_page(root: Path) -> StatusPage:
    return StatusPage((root / "build" / "status.html").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_run_and_build_rewrites_the_dashboard_linked_from_the_index(project: Path) -> None:
    run(project, engine=FakeEngine())  # `polyleaf run`, not `status`, writes it
    page = status_page(project)
    assert [row[4] for row in page.rows if row[:2] == ["es", ARTICLE]] == ["0"]  # nothing reviewed yet
    index = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert 'href="status.html"' in index
    review(project, "es", ARTICLE)
    run(project, steps=frozenset({"build"}))  # `polyleaf build` rewrites it too
    assert [row[4] for row in status_page(project).rows if row[:2] == ["es", ARTICLE]] == ["35"]
    release(project)
    assert "status.html" not in (project / "build" / "release" / "index.html").read_text(encoding="utf-8")
    # a build of one document still shows every document
    run(project, steps=frozenset({"build"}), documents=(OTHER,))
    assert {(row[0], row[1]) for row in status_page(project).rows} >= {("ar", ARTICLE), ("es", ARTICLE)}


@pytest.mark.slow
def test_the_dashboard_shows_totals_words_to_review_qa_errors_and_links(reviewing: Path) -> None:
    run(reviewing, steps=frozenset({"extract", "update", "build"}))
    page = status_page(reviewing)
    build = reviewing / "build"
    rows = {(row.language, row.document): row for row in status_rows(load_config(reviewing))}
    languages = {cells[0].split()[-1]: cells for cells in page.languages}
    assert set(languages) == {"es", "ar"}
    for language, cells in languages.items():
        mine = [row.stats for (lang, _), row in rows.items() if lang == language]
        segments, words = sum(stats.segments for stats in mine), sum(stats.words for stats in mine)
        to_review = sum(stats.words - stats.reviewed_words for stats in mine)
        assert [cells[2], cells[5], cells[6]] == [str(to_review), str(segments), str(words)]
    assert languages["ar"][2] == languages["ar"][6]  # nothing reviewed in Arabic: every word remains
    assert 0 < int(languages["es"][2]) < int(languages["es"][6])
    assert languages["es"][3:5] == ["1", "1/3"]  # one QA error; OTHER alone is ready
    sources = {cells[0].split()[-1]: [int(cell) for cell in cells[1:]] for cells in page.sources}
    for language, counts in sources.items():  # exact memory, fuzzy memory, machine translation, from scratch
        reviewed = sum(row.stats.reviewed_words for (lang, _), row in rows.items() if lang == language)
        assert len(counts) == 4 and sum(counts) == reviewed
    assert sources["ar"] == [0, 0, 0, 0] and sources["es"][2] > 0  # es: machine translations, reviewed

    html = (build / "status.html").read_text(encoding="utf-8")
    line = line_of(reviewing, "es", DOSE, DOSE_SENTENCE)
    where = f"locales/es/LC_MESSAGES/{DOSE}.po:{line}"
    assert f'<a href="../locales/es/LC_MESSAGES/{DOSE}.po"><code>{where}</code></a> [numbers]' in html

    for href in page.links:  # every link of the page leads to a file (or a page) that is there
        assert (build / href).resolve().is_file(), href
    for language, name in rows:
        assert f"../locales/{language}/LC_MESSAGES/{name}.po" in page.links
        if name not in ("disclaimer", "interface"):
            assert f"{language}/{name}.{language}.html" in page.links


def test_the_dashboard_is_written_holding_the_project_lock(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from polyleaf.errors import LockError
    from polyleaf.fsio import project_lock
    from polyleaf.pipeline import dashboard
    from polyleaf.pipeline import status as status_module

    held: list[bool] = []
    write = dashboard.write_status_page

    def spy(config: Any, rows: Any, *measures: Any) -> Any:
        try:
            with project_lock(config.root, ()):
                held.append(False)
        except LockError:
            held.append(True)
        return write(config, rows, *measures)

    monkeypatch.setattr(runner, "write_status_page", spy)
    monkeypatch.setattr(status_module, "write_status_page", spy)
    run(project)
    page = project / "build" / "status.html"
    page.unlink()  # the project is no longer as the run left it: `status` computes the rows and writes the page
    status(load_config(project))
    assert held == [True, True] and page.exists()
    # while another run holds the lock, `status` still answers and leaves the page to that run
    page.unlink()
    with project_lock(project, ()):
        rows = status(load_config(project))
    assert rows and not page.exists() and held == [True, True]


def test_the_dashboard_is_not_rewritten_when_only_the_time_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    run(project)
    page = project / "build" / "status.html"
    before = page.read_bytes(), page.stat().st_mtime_ns
    assert b"As of 2030-01-01 00:00 UTC" in before[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893542400")  # a day later, nothing else changed
    assert page not in run(project, steps=frozenset({"build"})).written
    status(load_config(project))
    assert (page.read_bytes(), page.stat().st_mtime_ns) == before
    review(project, "es", "disclaimer")  # a change: a new page, with its time
    assert page in run(project, steps=frozenset({"build"})).written
    assert b"As of 2030-01-02 00:00 UTC" in page.read_bytes()
