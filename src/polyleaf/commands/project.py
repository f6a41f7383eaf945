"""``init`` and ``add-language``: make a content project, and add languages to it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from polyleaf import console
from polyleaf.commands.options import (
    Context,
    complete_new_languages,
    examples,
    json_option,
    selection,
    shown_path,
    verbosity_options,
)


@click.command(epilog=examples("polyleaf init --lang es --lang ar", "polyleaf init leaflets --lang fr --json"))
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    "languages",
    multiple=True,
    required=True,
    metavar="CODE",
    shell_complete=complete_new_languages,
    help="A language to translate into (repeatable).",
)
@click.option(
    "--source-language",
    default="en",
    show_default=True,
    metavar="CODE",
    shell_complete=complete_new_languages,
    help="The language the articles are written in.",
)
@json_option
def init(folder: Path, languages: tuple[str, ...], source_language: str, as_json: bool) -> None:
    """Create a content project in FOLDER: polyleaf.toml, source/disclaimer.txt, locales/glossary.csv."""
    from polyleaf.pipeline.setup import init_project

    written = init_project(folder, languages, source_language)
    if as_json:
        click.echo(json.dumps({"written": [shown_path(path) for path in written]}, indent=2, ensure_ascii=False))
        return
    for path in written:
        click.echo(f"wrote {path}")
    click.echo("put articles (.txt or .md) in source/ and run `polyleaf run`")


@click.command(name="add-language", epilog=examples("polyleaf add-language fr", "polyleaf add-language pt_BR zh_Hans"))
@verbosity_options
@click.argument("languages", nargs=-1, required=True, shell_complete=complete_new_languages)
@json_option
@click.pass_obj
def add_language(ctx: Context, languages: tuple[str, ...], as_json: bool) -> None:
    """Add LANGUAGES to the configuration and create their PO files (as sphinx-intl update -l does)."""
    from polyleaf.pipeline import runner
    from polyleaf.pipeline.setup import add_language as add_to_config

    config = ctx.config()
    added = []
    for language in languages:
        added.append(add_to_config(config, language))
        config = ctx.config()
    report = runner.run(config, selection(tuple(added), ()), steps=frozenset({"extract", "update"}))
    if as_json:
        click.echo(json.dumps({"added": added, **report.as_json(Path.cwd())}, indent=2, ensure_ascii=False))
        return
    for code in added:
        click.echo(f"added {code}")
    console.print_report(report, quiet=ctx.quiet, verbose=ctx.verbose, as_json=False)
