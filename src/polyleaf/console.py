"""What the command line prints: progress bars, a pipeline command's report, the status table."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from polyleaf.pipeline import Report, StatusRow


def progress_bars(quiet: bool) -> Callable[[str, int], Callable[[int], None]] | None:
    """Progress bars on a terminal only: quiet in CI, in pipes, with -q."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None

    def factory(language: str, total: int) -> Callable[[int], None]:
        bar = click.progressbar(
            length=total,
            label=f"translating {language}",
            file=sys.stderr,
            show_pos=True,
            show_eta=True,
            item_show_func=lambda rate: rate,
        )
        bar.__enter__()
        started = time.monotonic()
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            rate = done / max(time.monotonic() - started, 1e-6)
            bar.update(count, current_item=f"{rate:.1f} segments/s")
            if done >= total:
                bar.__exit__(None, None, None)

        return advance

    return factory


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
    for language, count in report.filled_from_tm.items():
        mt = report.filled_from_mt.get(language, 0)
        if count or mt:
            click.echo(f"{language}: {count} from translation memory, {mt} machine-translated (fuzzy)")
    for note in report.notes:
        click.echo(note)
    for published in report.published:
        click.echo(f"published {published}")
    for withheld in report.withheld:
        click.echo(f"withheld {withheld}")
    if report.published or report.withheld:
        click.echo(f"{len(report.published)} leaflet(s) published, {len(report.withheld)} withheld")
    click.echo(f"{len(report.written)} file(s) written")


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
    return format_table(headers, table, text_columns=2, last_text=True, width=width)


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
