"""What every command shares: the context (``--project``, ``-q``, ``-v``, ``--strict``), the options that pick
languages, documents, formats and workers, shell completion, and the few helpers that turn results into output."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from polyleaf.errors import ConfigError, PolyleafError
from polyleaf.execution.workers import Parallel
from polyleaf.formats import FORMAT_NAMES

if TYPE_CHECKING:
    from polyleaf.config.model import Config
    from polyleaf.pipeline.report import Report
    from polyleaf.pipeline.sources import Selection


class Context:
    """Options shared by every command."""

    def __init__(self, project: Path | None, quiet: bool, verbose: bool) -> None:
        self.project = project
        self.quiet = quiet
        self.verbose = verbose
        self.strict = False  # --strict: reviewed translations that fail QA make a build exit with 1

    def config(self) -> Config:
        from polyleaf.config.model import load_config

        return load_config(self.project)


def selection(languages: tuple[str, ...], documents: tuple[str, ...]) -> Selection:
    from polyleaf.pipeline.sources import Selection

    return Selection(languages, documents)


def examples(*lines: str) -> str:
    """A command's epilog: examples of its use, one a line (click keeps a paragraph that starts with \\b as it is)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _completion_config(click_ctx: click.Context) -> Config | None:
    """The project's configuration while the shell completes a word (``--project`` too), None outside a project
    or when it cannot be read: completion offers nothing then, and never fails."""
    from polyleaf.config.model import load_config

    try:
        return load_config(click_ctx.find_root().params.get("project"))
    except (PolyleafError, OSError):
        return None


def complete_languages(click_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """The configured languages that start with what was typed."""
    config = _completion_config(click_ctx)
    return [code for code in config.languages if code.startswith(incomplete)] if config else []


def _complete_documents(click_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """The documents of source/ (file stems) that start with what was typed."""
    from polyleaf.pipeline.sources import source_paths

    config = _completion_config(click_ctx)
    try:
        names = [path.stem for path in source_paths(config)] if config else []
    except PolyleafError:
        return []
    return [name for name in names if name.startswith(incomplete)]


def complete_new_languages(click_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Babel's language codes that start with what was typed (case aside), less those configured already."""
    from polyleaf.locale import identifiers

    config = _completion_config(click_ctx) if click_ctx.command.name != "init" else None
    configured = set(config.languages) if config else set()
    typed = incomplete.replace("-", "_").casefold()
    return [code for code in identifiers() if code.casefold().startswith(typed) and code not in configured]


lang_option = click.option(
    "--lang",
    "languages",
    multiple=True,
    envvar="POLYLEAF_LANG",
    metavar="CODE",
    shell_complete=complete_languages,
    help="Only this language (repeatable).",
)
doc_option = click.option(
    "--doc",
    "documents",
    multiple=True,
    envvar="POLYLEAF_DOC",
    metavar="NAME",
    shell_complete=_complete_documents,
    help="Only this document, by file stem (repeatable).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output (JSON on stdout).")


def _set_quiet(click_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click_ctx.find_object(Context).quiet = True  # type: ignore[union-attr]


def _set_verbose(click_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click_ctx.find_object(Context).verbose = True  # type: ignore[union-attr]


def _set_strict(click_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click_ctx.find_object(Context).strict = True  # type: ignore[union-attr]


strict_option = click.option(
    "--strict",
    is_flag=True,
    expose_value=False,
    callback=_set_strict,
    envvar="POLYLEAF_STRICT",
    help="Exit with 1 when a reviewed translation fails QA (for CI); without it the errors are printed, exit 0.",
)


def exit_code(report: Report, strict: bool) -> int:
    """1 when the command failed, or (``--strict``) when reviewed translations fail QA; else 0."""
    return 1 if report.errors or (strict and report.qa_errors) else 0


def verbosity_options(function: Callable[..., None]) -> Callable[..., None]:
    """``-q``/``-v`` after the command name too (``polyleaf run -v``), not only before it."""
    function = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet, help="Print errors and warnings only."
    )(function)
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbose, help="List every file written."
    )(function)


format_option = click.option(
    "--format",
    "formats",
    multiple=True,
    envvar="POLYLEAF_FORMAT",
    type=click.Choice(FORMAT_NAMES),
    help="Only this output format (repeatable; default: formats in the config).",
)


workers_option = click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes for machine translation and PDFs (default: [tool.polyleaf] workers, else the cores).",
)


def _scheduler_address(_click_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--scheduler`` checked at once, as ``[cluster] scheduler`` is (empty: worker processes here)."""
    from polyleaf.config.sections import scheduler_problem

    problem = scheduler_problem(value) if value else ""
    if problem:
        raise ConfigError(f"--scheduler {problem}")
    return value


scheduler_option = click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    callback=_scheduler_address,
    help="Run machine translation on this Dask cluster (tcp://host:8786; needs polyleaf[distributed]); "
    "PDFs still render on this machine.",
)


def parallel_options(function: Callable[..., None]) -> Callable[..., None]:
    """``--workers`` and ``--scheduler``, handed to the command as one ``parallel`` value."""

    @functools.wraps(function)
    def command(*args: Any, workers: int | None, scheduler: str | None, **kwargs: Any) -> None:
        function(*args, parallel=Parallel(workers, scheduler), **kwargs)

    return workers_option(scheduler_option(command))


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
