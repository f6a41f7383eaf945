"""``export`` and ``import``: the catalogs to and from CAT tools (XLIFF, TMX) and the glossary (TBX)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from polyleaf import console
from polyleaf.commands.options import (
    Context,
    doc_option,
    examples,
    json_option,
    lang_option,
    selection,
    shown_path,
    verbosity_options,
)


@click.command(
    name="export",
    epilog=examples("polyleaf export --format xliff", "polyleaf export --format tmx --mt --lang fr -o fr.tmx"),
)
@verbosity_options
@lang_option
@doc_option
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["xliff", "xliff12", "tmx", "tbx"]),
    help="xliff: XLIFF 2.0, one file per language; xliff12: XLIFF 1.2 (for tools without XLIFF 2); tmx: TMX 1.4 of "
    "the reviewed translations; tbx: the glossary.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="A file (one language) or a folder; default build/exchange/ (<lang>.xlf, <lang>.xliff12.xlf, <lang>.tmx, "
    "glossary.tbx).",
)
@click.option("--mt", "machine", is_flag=True, help="TMX: add the machine translations, marked as such.")
@json_option
@click.pass_obj
def export_command(
    ctx: Context,
    languages: tuple[str, ...],
    documents: tuple[str, ...],
    fmt: str,
    output: Path | None,
    machine: bool,
    as_json: bool,
) -> None:
    """Export the catalogs for CAT tools (XLIFF 2.0 or 1.2, TMX 1.4) or the glossary (TBX-Basic)."""
    from polyleaf.pipeline.exchange import export

    config = ctx.config()
    with console.progress_bars(ctx.quiet) as progress:
        made = export(config, fmt, selection(languages, documents), output, machine, progress)
    if as_json:
        records = [
            {
                "path": shown_path(item.path),
                "language": item.language,
                "counts": dict(item.counts),
                "written": item.written,
            }
            for item in made
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if ctx.quiet:
        return
    for item in made:
        counts = ", ".join(f"{count} {name}" for name, count in item.counts.items()) or "nothing"
        state = "wrote" if item.written else "unchanged"
        click.echo(f"{state} {shown_path(item.path)}: {counts}")


@click.command(
    name="import", epilog=examples("polyleaf import build/exchange/fr.xlf", "polyleaf import memory.tmx --lang es")
)
@verbosity_options
@lang_option
@doc_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as-reviewed",
    is_flag=True,
    help="Take the translations the file says were confirmed (XLIFF translated/reviewed/signed-off, TMX) as reviewed "
    "here; "
    "each entry says so (# tm: imported as reviewed from FILE) and build/release.json lists them.",
)
@json_option
@click.pass_obj
def import_command(
    ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], file: Path, as_reviewed: bool, as_json: bool
) -> None:
    """Import translations from an XLIFF (1.1, 1.2, 2.x) or TMX 1.4 file into the PO files.

    A reviewed translation is replaced only by one the file marks final. Other translations are fuzzy suggestions
    (# tm: imported from FILE) until a translator reviews them, unless --as-reviewed. A translation of English that
    changed since the export becomes the fuzzy suggestion of the changed entry, or is listed and skipped. With
    --lang or --doc, only those PO files change; the file is checked whole all the same.
    """
    from polyleaf.pipeline.importing import import_file

    with console.progress_bars(ctx.quiet) as progress:
        report = import_file(ctx.config(), file, as_reviewed, selection(languages, documents), progress)
    if as_json:
        click.echo(json.dumps(report.as_json(Path.cwd()), indent=2, ensure_ascii=False))
        return
    for notice in report.notices:
        click.echo(f"warning: {notice}", err=True)
    for diagnostic in report.diagnostics:
        if diagnostic.severity != "info" or ctx.verbose:
            click.echo(str(diagnostic))
    if ctx.quiet:
        return
    if ctx.verbose:
        for path in report.written:
            click.echo(f"wrote {shown_path(path)}")
    click.echo(f"{report.summary()}; {len(report.written)} file(s) written")
    if report.advice():
        click.echo(f"note: {report.advice()}")
