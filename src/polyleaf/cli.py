"""Command line: parse options, call the pipeline, print results, map PolyleafError to exit codes. No logic.

The commands live in ``polyleaf.commands`` by what they work on; this module is the ``polyleaf`` group that holds
them (the console entry point) and the one place where an error becomes a line on stderr and an exit code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from polyleaf import __version__
from polyleaf.commands import exchange, leaflets, models, project
from polyleaf.commands.options import Context, examples
from polyleaf.errors import PolyleafError


def _display(error: PolyleafError) -> str:
    """The error as one line; a path inside the project relative to the working directory (``../x.po`` when
    polyleaf runs in a subfolder), any other path absolute."""
    if error.path is not None and error.path.is_absolute():
        from polyleaf.config.model import find_config_file

        try:
            root = find_config_file(Path.cwd()).parent
        except PolyleafError:
            root = Path.cwd()
        if error.path.is_relative_to(root) or error.path.is_relative_to(Path.cwd()):
            error.path = Path(os.path.relpath(error.path, Path.cwd()))
    return str(error)


class _Commands(click.Group):
    """The one place where a user error becomes one line on stderr and its exit code (never a traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolyleafError as error:
            click.echo(f"polyleaf: {_display(error)}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("polyleaf: interrupted; files on disk are complete (writes are atomic)", err=True)
            ctx.exit(130)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "POLYLEAF"},
    epilog=examples("polyleaf init --lang es --lang ar", "polyleaf run", "polyleaf status"),
)
@click.version_option(__version__, prog_name="polyleaf")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Content project directory (default: the nearest folder, here or above, with a polyleaf configuration).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors and warnings only.")
@click.option("-v", "--verbose", is_flag=True, help="List every file written.")
@click.pass_context
def main(click_ctx: click.Context, project: Path | None, quiet: bool, verbose: bool) -> None:
    """polyleaf: health articles → reviewed, localized patient leaflets, offline."""
    click_ctx.obj = Context(project, quiet, verbose)


for _command in (
    leaflets.run,
    leaflets.extract,
    leaflets.update,
    leaflets.translate,
    leaflets.build,
    leaflets.verify_release,
    leaflets.check,
    leaflets.review_sheet,
    leaflets.status,
    exchange.export_command,
    exchange.import_command,
    models.models,
    project.init,
    project.add_language,
):
    main.add_command(_command)
