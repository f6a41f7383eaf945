"""The dashboard (``build/status.html``, issue 23): it fits the window at a phone's and a laptop's widths, in a real
browser, and shows each source article's plain-language grade against ``[readability] max_grade``, measured once per
article content (cached), not on every run."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from chromium import Chromium, find_chromium
from helpers import ARTICLE, OTHER, content_project
from polyleaf.cache import FOLDER
from polyleaf.catalog.model import CatalogStats
from polyleaf.config.model import load_config
from polyleaf.pipeline.dashboard import write_status_page
from polyleaf.pipeline.readability import readability_warnings
from polyleaf.pipeline.readiness import StatusRow
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.qa import readability
from polyleaf.qa.model import Diagnostic
from polyleaf.render.status import (
    ArticleGrade,
    ErrorLink,
    PageLinks,
    Readability,
    StatusLine,
    StatusLinks,
    render_status_page,
)
from polyleaf.render.templating import environment

WIDTHS = (390, 1366, 1920)
LANGUAGES = ("es", "ar", "zh_Hans", "pt_BR", "fr", "ru", "vi")
#: A name as long as file systems allow, with hyphens, and one with no place to break at all.
LONG_NAME = "a-very-long-document-name-about-nonsteroidal-anti-inflammatory-drugs-and-kidney-function-in-older-adults"
UNBROKEN = "x" * 150
PLAIN = """\
# Back pain

Most back pain gets better in a few weeks. Keep moving. Short walks are good for your back.
Take pain pills only as your doctor tells you.
"""


# ----------------------------------------------------------------------------------------------- layout

#: What the browser reports: the viewport, the page's scroll width, and every element that sticks out of the
#: window or scrolls sideways inside its own box (visually hidden table heads aside).
MEASURE = """(async () => {
  await document.fonts.ready;
  const width = window.innerWidth;
  const hidden = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement)
      if (getComputedStyle(node).clipPath !== "none") return true;
    return false;
  };
  const clipped = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (hidden(element)) continue;
    const box = element.getBoundingClientRect();
    const outside = box.left < -0.5 || box.right > width + 0.5;
    const scrolls = element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1;
    if (outside || scrolls)
      clipped.push(`<${element.tagName.toLowerCase()} class="${element.className}"> at ${Math.round(box.left)}..` +
        `${Math.round(box.right)}, scroll ${element.scrollWidth}/${element.clientWidth}: ` +
        element.textContent.trim().slice(0, 50));
  }
  const row = document.querySelector("table.catalogs tbody tr");
  return {viewport: width, client: document.documentElement.clientWidth,
          scroll: document.documentElement.scrollWidth, clipped: clipped,
          rows: getComputedStyle(row).display, links: document.querySelectorAll("a").length};
})()"""


def crowded_dashboard() -> str:
    """A dashboard with everything that made it overflow: seven languages (one right-to-left), document names that
    are long or have no place to break, release reasons naming long PO paths, every link, long QA errors."""
    rows, links, errors = [], {}, []
    for language in LANGUAGES:
        for document in (LONG_NAME, UNBROKEN, ARTICLE, "disclaimer", "interface"):
            po = f"locales/{language}/LC_MESSAGES/{document}.po"
            error = Diagnostic(
                Path(po), 1234, "error", "numbers", f"2.5 mg → 25 mg: a number differs in {document}", ""
            )
            reason = f"35 of 35 segments not reviewed (release threshold 100% reviewed), first: {po}:19"
            stats = CatalogStats(segments=35, words=642, reviewed=12, reviewed_words=200, machine=20, untranslated=3)
            rows.append(StatusRow(language, document, stats, qa_errors=1, blocker=reason, errors=(error,)))
            links[language, document] = StatusLinks(f"../{po}", f"{language}/{document}.html", f"r/{document}.pdf")
            errors.append(ErrorLink(f"{po}:1234", f"../{po}", error))
    grades = [ArticleGrade(name, f"../source/{name}.txt", 16.3, 52, 8) for name in (LONG_NAME, UNBROKEN, ARTICLE)]
    return render_status_page(
        rows,
        project="Clinic of the Very Long Name " + "and Partners " * 8,
        generated="2026-12-06 17:45 UTC",
        links=PageLinks(links, {language: f"{language}/index.html" for language in LANGUAGES}, "index.html"),
        errors=errors,
        readability=Readability(grades, 8, 25),
    )


@pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium is not installed (the README's fresh machine has none): `apt-get install chromium`; .ci/run "
    "installs it",
)
def test_the_dashboard_fits_the_window_at_a_phones_and_a_laptops_widths(tmp_path: Path) -> None:
    page = tmp_path / "status.html"
    page.write_text(crowded_dashboard(), encoding="utf-8")
    executable = find_chromium()
    assert executable is not None
    with Chromium(executable, tmp_path / "profile") as browser:  # one browser; each width set by the protocol
        for width in WIDTHS:
            browser.show(page.as_uri(), width)
            layout = browser.evaluate(MEASURE)
            assert (layout["viewport"], layout["client"]) == (width, width)  # the window is the width asked for
            assert layout["scroll"] == width, layout["clipped"]  # nothing makes the page scroll sideways
            assert layout["clipped"] == [], width  # no column, link or reason out of sight, nor in its own scroll box
            assert layout["links"] == 7 + 1 + 3 + 7 * 5 * 3 + 7 * 5  # every link is on the page
            assert layout["rows"] == ("grid" if width == 390 else "table-row")  # a phone shows cards, not columns


# ----------------------------------------------------------------------------------------------- readability


class ReadabilityTable(HTMLParser):
    """The rows of the page's plain-language table: (row class, [cell texts], link)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str], str]] = []
        self.note = ""
        self._inside = False
        self._cell: list[str] | None = None
        self.feed(html)
        section = html.partition("<h2>Plain language of the sources</h2>")[2].partition("<h2>")[0]
        note = re.search(r'<p class="note">(.*?)</p>', section)
        self.note = re.sub(r"<[^>]+>", "", note.group(1)) if note else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "table":
            self._inside = "readability" in values.get("class", "").split()
        elif self._inside and tag == "tr" and values.get("class"):
            self.rows.append((values["class"], [], ""))
        elif self._inside and tag == "td" and self.rows:
            self._cell = []
        elif self._inside and tag == "a" and self.rows:
            self.rows[-1] = (self.rows[-1][0], self.rows[-1][1], values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._inside = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def dashboard(root: Path) -> ReadabilityTable:
    """Write the dashboard as ``run`` does (no catalogs needed for the sources' grades) and read its table."""
    config = load_config(root)
    write_status_page(config, [])
    return ReadabilityTable((config.build_dir / "status.html").read_text(encoding="utf-8"))


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source paths measured (the pronouncing dictionary loaded), in order."""
    calls: list[str] = []
    measure = readability.prose_measure

    def counting(document: Any) -> readability.ProseMeasure:
        calls.append(document.path.as_posix())
        return measure(document)

    monkeypatch.setattr(readability, "prose_measure", counting)
    return calls


def test_the_dashboard_shows_each_articles_grade_flagged_above_the_limit(project: Path, measured: list[str]) -> None:
    (project / "source" / "plain.md").write_text(PLAIN, encoding="utf-8")
    table = dashboard(project)
    config = load_config(project)
    graded = {  # what `polyleaf check` says of each article
        diagnostic.path.as_posix(): re.search(r"reads at grade ([\d.]+)", diagnostic.message)
        for diagnostic in readability_warnings(config, SegmentCache(config))
        if diagnostic.check == "readability"
    }
    rows = {cells[0]: (kind, cells, href) for kind, cells, href in table.rows}
    assert sorted(rows) == sorted([ARTICLE, OTHER, "plain"])
    for name, (kind, cells, href) in rows.items():
        path = next(path for path in graded if Path(path).stem == name)
        assert (project / "build" / href).resolve() == (project / path).resolve()  # the link opens the article
        check = graded[path]
        assert check is not None and cells[1] == check.group(1)  # the grade `check` reports
        assert cells[2] == "8"  # the default limit, shown
        hard = float(cells[1]) > 8
        assert kind == ("hard" if hard else "ok")
        assert cells[4] == ("above the limit: simplify before it is translated" if hard else "within the limit")
    assert rows[ARTICLE][0] == rows[OTHER][0] == "hard" and rows["plain"][0] == "ok"  # seeds: university level
    sentences = rows[OTHER][1][3]
    assert re.fullmatch(r"[1-9]\d* of [1-9]\d*", sentences), sentences  # long sentences of all prose sentences
    assert "long sentences have more than 25 words" in table.note and "polyleaf check" in table.note


def test_grades_are_measured_once_per_article_content(project: Path, measured: list[str]) -> None:
    first = dashboard(project).rows
    assert sorted(measured) == [f"source/{OTHER}.txt", f"source/{ARTICLE}.txt"]
    measured.clear()
    assert dashboard(project).rows == first and measured == []  # nothing changed: nothing measured again

    article = project / "source" / f"{ARTICLE}.txt"
    article.write_text(PLAIN, encoding="utf-8")  # only the edited article is measured again
    after = {cells[0]: cells[1] for _, cells, _ in dashboard(project).rows}
    assert measured == [f"source/{ARTICLE}.txt"]
    assert float(after[ARTICLE]) < 8 and after[OTHER] == next(c[1] for _, c, _ in first if c[0] == OTHER)

    measured.clear()  # a new limit needs no new measure: the cache keeps counts, not verdicts
    config = project / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[readability]\nmax_grade = 20\n", encoding="utf-8")
    assert {kind for kind, _, _ in dashboard(project).rows} == {"ok"} and measured == []

    article.unlink()  # a removed article's entry goes with it
    assert [cells[0] for _, cells, _ in dashboard(project).rows] == [OTHER]
    assert not (project / "build" / FOLDER / "readability" / f"{ARTICLE}.json").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"garbage",
        lambda data: data[:-5],  # cut short: the signature no longer matches
        lambda data: data.replace(b'"syllables":', b'"syllables":-'),  # edited by hand
    ],
)
def test_a_damaged_cache_entry_is_measured_afresh(project: Path, measured: list[str], damage: Any) -> None:
    first = dashboard(project).rows
    entry = project / "build" / FOLDER / "readability" / f"{OTHER}.json"
    entry.write_bytes(damage(entry.read_bytes()))
    measured.clear()
    assert dashboard(project).rows == first
    assert measured == [f"source/{OTHER}.txt"]


def test_a_signed_entry_of_the_wrong_shape_is_measured_afresh(project: Path, measured: list[str]) -> None:
    from polyleaf.cache import Store

    first = dashboard(project).rows
    store = Store(project / "build", "readability")
    stored = store.load(OTHER)
    for wrong in ({**stored, "words": ["12"]}, {**stored, "syllables": True}, [stored], {**stored, "words": None}):
        store.save(OTHER, wrong)
        measured.clear()
        assert dashboard(project).rows == first and measured == [f"source/{OTHER}.txt"]


def test_no_grades_when_the_checks_are_off_or_cannot_read_the_source(tmp_path: Path, measured: list[str]) -> None:
    off = content_project(tmp_path / "off", 'languages = ["es"]\n[readability]\nenabled = false\n')
    table = dashboard(off)
    assert table.rows == [] and table.note == "Not checked: [readability] enabled = false."
    french = content_project(tmp_path / "fr", 'source_language = "fr"\nlanguages = ["es"]\n')
    table = dashboard(french)
    assert table.rows == [] and table.note == "Not checked: the checks read English sources, not fr."
    assert measured == []


# ----------------------------------------------------------------------------------------------- markup

#: The template's loops over the catalogs and the QA errors, as they were before ``render/status.py`` made their
#: markup (issue 27: Jinja took most of a run's dashboard at 512× the seed articles). The page must not change.
TEMPLATE_ROWS = (
    "{% for row in rows %}\n"
    "{% set link = links.get((row.language, row.document), no_links) %}\n"
    "<tr class=\"{{ 'ok' if not row.blocker else 'blocked' }}\">"
    '<td class="wide title" data-label="language">{{ row.language }}</td>'
    '<td class="wide title" data-label="document">{{ row.document }}</td>'
    '<td class="n" data-label="segments">{{ row.stats.segments }}</td>'
    '<td class="n" data-label="words">{{ row.stats.words }}</td>'
    '<td class="n" data-label="reviewed">{{ row.stats.reviewed }}</td>'
    '<td class="n" data-label="MT">{{ row.stats.machine }}</td>'
    '<td class="n" data-label="changed">{{ row.stats.changed }}</td>'
    '<td class="n" data-label="untranslated">{{ row.stats.untranslated }}</td>'
    '<td class="n" data-label="QA errors">{{ row.qa_errors }}</td>'
    '<td class="ready wide" data-label="release">{{ row.blocker or "release-ready" }}</td>'
    '<td class="files wide" data-label="files">'
    '{% if link.po %}<a class="po" href="{{ link.po }}">PO file</a>{% endif %}'
    '{% if link.draft %}<a class="draft" href="{{ link.draft }}">draft</a>{% endif %}'
    '{% if link.release %}<a class="release" href="{{ link.release }}">released</a>{% endif %}'
    "</td></tr>\n"
    "{% endfor %}\n"
)
TEMPLATE_ERRORS = (
    "{% for error in errors %}\n"
    '<li><a href="{{ error.href }}"><code>{{ error.where }}</code></a> '
    "[{{ error.diagnostic.check }}] {{ error.diagnostic.message }}</li>\n"
    "{% endfor %}\n"
)
#: What HTML escapes, and quotes of both kinds.
AWKWARD = '<b>Tom & "Jerry\'s"</b>'


def awkward_page() -> tuple[list[StatusLine], dict[tuple[str, str], StatusLinks], list[ErrorLink]]:
    """Rows, links and errors with HTML's special characters in every text a row or an error shows, a
    right-to-left language, and rows with every link, some links, empty links and no links at all."""
    rows: list[StatusLine] = []
    links, errors = {}, []
    for language in ("ar", "es"):
        for n, document in enumerate((f"doc {AWKWARD}", "plain", "disclaimer", "interface")):
            po = f"locales/{language}/LC_MESSAGES/{document}.po"
            error = Diagnostic(Path(po), 7 + n, "error", f"check {AWKWARD}", f"message {AWKWARD} in {document}", "")
            stats = CatalogStats(segments=9 + n, words=100, reviewed=3, reviewed_words=40, machine=n, untranslated=2)
            blocker = "" if n == 1 else f"{AWKWARD} blocks {po}:3"
            rows.append(StatusRow(language, document, stats, qa_errors=n, blocker=blocker, errors=(error,)))
            if n < 3:  # the last row has no links at all
                hrefs = [
                    (f"../{po}?a=1&b=<2>", f'{language}/"{document}".html', "r/'x'.pdf"),
                    (f"../{po}", "", "r.pdf"),
                ]
                links[language, document] = StatusLinks(*hrefs[n]) if n < 2 else StatusLinks("")
            errors.append(ErrorLink(f"{po}:{7 + n}", f"../{po}?x=<y>&z", error))
    return rows, links, errors


def test_the_rows_and_the_errors_are_the_markup_the_templates_loops_made() -> None:
    rows, links, errors = awkward_page()
    page = render_status_page(
        rows,
        project=f"Clinic {AWKWARD}",
        generated="2026-12-06 17:45 UTC",
        links=PageLinks(links, {"ar": "ar/index.html"}, "index.html"),
        errors=errors,
        readability=Readability([ArticleGrade(f"a {AWKWARD}", "../source/a.txt", 9.25, 4, 1)]),
    )
    jinja = environment()
    made = jinja.from_string(TEMPLATE_ROWS).render(rows=rows, links=links, no_links=StatusLinks(""))
    listed = jinja.from_string(TEMPLATE_ERRORS).render(errors=errors)
    assert "&lt;b&gt;Tom &amp; &#34;Jerry&#39;s&#34;&lt;/b&gt;" in made and "ar/&#34;doc" in made  # escaped
    assert made.count('<a class="po"') == 4 and made.count('<a class="draft"') == 2 and "?x=&lt;y&gt;&amp;z" in listed
    catalogs = page.partition('<table class="catalogs">\n')[2]
    assert catalogs.partition("<tbody>\n")[2].partition("</tbody>\n</table>\n<h2>QA errors</h2>\n")[0] == made
    assert page.partition('<ul class="errors">\n')[2].partition("</ul>\n</body>\n</html>\n")[0] == listed
    none = render_status_page(rows, project="", generated="now")
    assert none.endswith("<h2>QA errors</h2>\n<p>None in reviewed entries.</p>\n</body>\n</html>\n")


@pytest.mark.parametrize(
    ("damage", "rewritten"),
    [
        (lambda page: page.replace(b"As of ", b"As of long before, "), False),  # only the time differs
        (lambda page: page[:-10], True),
        (lambda page: page.replace(b"<h1>", b"<h1>x"), True),
        (lambda page: page.replace(b"</h2>", b"</h2>x"), True),
        (lambda page: page.replace(b" UTC</p>", b" UTC</p>x</p>"), True),  # after the time, before the rest
        (lambda page: page.replace(b'<p class="when">', b"<p>"), True),
        (lambda page: b"", True),
    ],
)
def test_a_page_that_differs_in_more_than_its_time_is_rewritten(
    project: Path, monkeypatch: pytest.MonkeyPatch, damage: Any, rewritten: bool
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    config = load_config(project)
    page = write_status_page(config, [])
    assert page is not None and write_status_page(config, []) is None  # nothing changed: not written again
    written = page.read_bytes()
    page.write_bytes(damage(written))
    assert (write_status_page(config, []) == page) is rewritten
    assert (page.read_bytes() == written) is rewritten
