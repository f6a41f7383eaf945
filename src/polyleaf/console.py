"""What the command line prints: progress bars, a pipeline command's report, the status table."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from polyleaf.pipeline.readiness import StatusRow
    from polyleaf.pipeline.report import Report


#: A rate is shown once the work has run this long (seconds): before, it would say more about the clock than the work.
RATE_AFTER = 1.0


@contextlib.contextmanager
def progress_bars(quiet: bool) -> Iterator[ProgressBars | None]:
    """Progress bars for the duration, on a terminal only: none with -q, in CI, in pipes (then None). A bar an
    error left unfinished is ended, so the error starts a line of its own."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        yield None
        return
    bars = ProgressBars()
    try:
        yield bars
    finally:
        bars.close()


class ProgressBars:
    """A ``polyleaf.progress.ProgressFactory`` drawing one bar at a time on stderr: what is done, the count with
    its unit (``6/14 PDFs``), and once the work has run a second, its rate and the time left."""

    def __init__(self) -> None:
        self._bar: ProgressBar[str] | None = None

    def __call__(self, what: str, total: int, unit: str) -> Callable[[int], None]:
        self.close()
        bar: ProgressBar[str] = click.progressbar(
            length=total,
            label=what,
            file=sys.stderr,
            width=0,  # as wide as the terminal leaves room for: a bar that wraps draws a new line at every step
            show_eta=False,
            show_percent=False,
            show_pos=False,
            item_show_func=lambda info: info,
        )
        self._bar = bar
        started = time.monotonic()  # the work starts now: the pipeline asks for a bar when it does
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            bar.update(count, current_item=_progress_info(done, total, unit, time.monotonic() - started))
            if done >= total:
                self.close()

        bar.current_item = _progress_info(0, total, unit, 0.0)
        bar.__enter__()
        return advance

    def close(self) -> None:
        """End the bar on the screen (its line stays), finished or not."""
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None


def _progress_info(done: int, total: int, unit: str, elapsed: float) -> str:
    """``58/118 texts``, and once ``RATE_AFTER`` has passed ``, 3.2 texts/s, 0:19 left`` (no time left at the
    end)."""
    info = f"{done}/{total} {unit}"
    if elapsed < RATE_AFTER or not done:
        return info
    rate = done / elapsed
    shown = f"{info}, {rate:.{0 if rate >= 10 else 1 if rate >= 1 else 2}f} {unit}/s"
    if done >= total:
        return shown
    left = int((total - done) / rate)
    return f"{shown}, {left // 60}:{left % 60:02d} left"


def print_report(report: Report, *, quiet: bool, verbose: bool, as_json: bool) -> None:
    """What a pipeline command did: warnings on stderr, then (unless quiet) fills, notes, releases, files."""
    config_root = Path.cwd()
    if as_json:
        click.echo(json.dumps(report.as_json(config_root), indent=2, ensure_ascii=False))
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    for line in report.qa_errors:  # reviewed text that fails QA: a release withholds it, a draft flags it
        click.echo(line, err=True)
    if quiet:
        return
    if verbose:
        for path in report.written_paths(config_root):
            click.echo(f"wrote {path}")
        for path in report.written_paths(config_root, report.removed):
            click.echo(f"removed {path}")
    for language, count in report.filled_from_tm.items():
        mt = report.filled_from_mt.get(language, 0)
        suggested = report.suggested_from_tm.get(language, 0)
        if count or mt or report.translated_texts.get(language) or suggested:
            fuzzy = f"; {suggested} with a fuzzy suggestion from memory" if suggested else ""
            click.echo(f"{language}: {_filled(count, mt, report.translated_texts.get(language, 0))}{fuzzy}")
    for note in report.notes:
        click.echo(note)
    for published in report.published:
        click.echo(f"published {published}")
    for withheld in report.withheld:
        click.echo(f"withheld {withheld}")
    if report.published or report.withheld:
        click.echo(f"{len(report.published)} leaflet(s) published, {len(report.withheld)} withheld")
    removed = f", {len(report.removed)} removed" if report.removed else ""
    click.echo(f"{len(report.written)} file(s) written{removed}")


def _filled(from_memory: int, from_mt: int, texts: int) -> str:
    """How many empty entries were filled from where, in entries; and how many distinct texts machine translation
    translated for them, the unit of its progress bar (a sentence in two documents is one text, two entries)."""
    line = f"{from_memory} entries from translation memory, {from_mt} machine-translated (fuzzy)"
    return f"{line} from {texts} distinct texts" if texts else line


def status_table(rows: Sequence[StatusRow], width: int | None) -> str:
    """``polyleaf status``'s table; the last column (the release blocker in a few words) fits ``width``."""
    headers = [
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
    table = [
        [
            row.language,
            row.document,
            str(row.stats.segments),
            str(row.stats.words),
            f"{row.stats.reviewed} ({row.stats.percent_reviewed:.0f}%)",
            str(row.stats.machine),
            str(row.stats.changed),
            str(row.stats.untranslated),
            str(row.qa_errors),
            "ready" if not row.blocker else row.summary or row.blocker,
        ]
        for row in rows
    ]
    return format_table(headers, table, text_columns=2, last_text=True, width=width) + _by_source(rows)


def _by_source(rows: Sequence[StatusRow]) -> str:
    """Per language, the words reviewed by where their translation came from: what memory saved."""
    from polyleaf.render.status import SOURCES

    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        for origin, words in row.reviewed_by_source.items():
            totals.setdefault(row.language, dict.fromkeys(SOURCES, 0))[origin] += words
    lines = [
        f"  {language}: " + ", ".join(f"{count:,} {SOURCES[origin]}" for origin, count in counts.items())
        for language, counts in totals.items()
    ]
    return "\n\nwords reviewed, by where the translation came from:\n" + "\n".join(lines) if lines else ""


def format_table(
    headers: list[str], rows: list[list[str]], text_columns: int, last_text: bool = False, width: int | None = None
) -> str:
    """Aligned columns: the first ``text_columns`` (and the last, with ``last_text``) left-aligned, numbers right.

    With ``width`` (a terminal's), a last text column that would overflow it is cut short with "…".
    """
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    room = max(width - sum(widths[:-1]) - 2 * (len(widths) - 1), len(headers[-1])) if last_text and width else 0

    def line(cells: list[str]) -> str:
        if room and len(cells[-1]) > room:
            cells = [*cells[:-1], cells[-1][: room - 1] + "…"]
        return "  ".join(
            cell.ljust(size) if index < text_columns or (last_text and index == len(cells) - 1) else cell.rjust(size)
            for index, (cell, size) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join(line(row) for row in [headers, *rows])
