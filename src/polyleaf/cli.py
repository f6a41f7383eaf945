"""Command line: parse options, call the pipeline, print results, map PolyleafError to exit codes. No logic."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from polyleaf import __version__
from polyleaf.errors import PolyleafError

if TYPE_CHECKING:
    from polyleaf.config import Config
    from polyleaf.pipeline import Report, Selection

STEPS_OF_RUN = frozenset({"extract", "update", "translate", "build"})


class Context:
    """Options shared by every command."""

    def __init__(self, project: Path | None, quiet: bool, verbose: bool) -> None:
        self.project = project
        self.quiet = quiet
        self.verbose = verbose

    def config(self) -> Config:
        from polyleaf.config import load_config

        return load_config(self.project)


def _display(error: PolyleafError) -> str:
    """The error as one line; a path inside the project relative to the working directory (``../x.po`` when
    polyleaf runs in a subfolder), any other path absolute."""
    if error.path is not None and error.path.is_absolute():
        from polyleaf.config import find_config_file

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


def _selection(languages: tuple[str, ...], documents: tuple[str, ...]) -> Selection:
    from polyleaf.pipeline import Selection

    return Selection(languages, documents)


def _progress_factory(ctx: Context) -> Callable[[str, int], Callable[[int], None]] | None:
    """Progress bars on a terminal only: quiet in CI, in pipes, with -q."""
    if ctx.quiet or os.environ.get("CI") or not sys.stderr.isatty():
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


def _print_report(ctx: Context, report: Report, as_json: bool) -> None:
    config_root = Path.cwd()
    if as_json:
        click.echo(json.dumps(report.as_json(config_root), indent=2, ensure_ascii=False))
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if ctx.quiet:
        return
    if ctx.verbose:
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


lang_option = click.option(
    "--lang", "languages", multiple=True, envvar="POLYLEAF_LANG", help="Only this language (repeatable)."
)
doc_option = click.option(
    "--doc", "documents", multiple=True, envvar="POLYLEAF_DOC", help="Only this document, by file stem (repeatable)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _set_quiet(click_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click_ctx.find_object(Context).quiet = True  # type: ignore[union-attr]


def _set_verbose(click_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click_ctx.find_object(Context).verbose = True  # type: ignore[union-attr]


def verbosity_options(function: Callable[..., None]) -> Callable[..., None]:
    """``-q``/``-v`` after the command name too (``polyleaf run -v``), not only before it."""
    function = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet, help="Print errors and warnings only."
    )(function)
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbose, help="List every file written."
    )(function)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "POLYLEAF"})
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


format_option = click.option(
    "--format",
    "formats",
    multiple=True,
    envvar="POLYLEAF_FORMAT",
    type=click.Choice(["txt", "html", "pdf"]),
    help="Only this output format (repeatable; default: formats in the config).",
)


def _pipeline_command(name: str, steps: frozenset[str], help_text: str) -> None:
    def command(
        ctx: Context,
        languages: tuple[str, ...],
        documents: tuple[str, ...],
        as_json: bool,
        formats: tuple[str, ...] = (),
    ) -> None:
        from polyleaf import pipeline

        report = pipeline.run(
            ctx.config(),
            _selection(languages, documents),
            steps=steps,
            progress=_progress_factory(ctx),
            formats=formats or None,
        )
        _print_report(ctx, report, as_json)
        if report.errors:
            sys.exit(1)

    decorated = click.pass_obj(command)
    for option in (json_option, *([format_option] if "build" in steps else []), doc_option, lang_option):
        decorated = option(decorated)
    main.command(name=name, help=help_text)(verbosity_options(decorated))


_pipeline_command("run", STEPS_OF_RUN, "Extract, update, machine-translate and build a draft (the main job).")
_pipeline_command("extract", frozenset({"extract"}), "Write locales/templates/*.pot from the sources.")
_pipeline_command("update", frozenset({"extract", "update"}), "Merge the templates into every language's PO files.")
_pipeline_command(
    "translate", frozenset({"extract", "update", "translate"}), "Fill empty PO entries from memory and offline MT."
)


@main.command()
@verbosity_options
@lang_option
@doc_option
@format_option
@click.option("--release", is_flag=True, help="Publish reviewed translations only; withhold what is not ready.")
@json_option
@click.pass_obj
def build(
    ctx: Context,
    languages: tuple[str, ...],
    documents: tuple[str, ...],
    formats: tuple[str, ...],
    release: bool,
    as_json: bool,
) -> None:
    """Build localized documents from the PO files (a draft, or a release with --release)."""
    from polyleaf import pipeline

    report = pipeline.run(
        ctx.config(),
        _selection(languages, documents),
        steps=frozenset({"build"}),
        release=release,
        formats=formats or None,
    )
    _print_report(ctx, report, as_json)
    if report.errors:
        sys.exit(1)  # e.g. a release whose PDF could not be built: not publishable as it is


@main.command()
@verbosity_options
@lang_option
@doc_option
@json_option
@click.pass_obj
def check(ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], as_json: bool) -> None:
    """Run the QA checks on the PO files; exit code 1 when a reviewed entry has an error."""
    from polyleaf import pipeline

    diagnostics = pipeline.check(ctx.config(), _selection(languages, documents))
    if as_json:
        click.echo(json.dumps([diagnostic.as_json() for diagnostic in diagnostics], indent=2, ensure_ascii=False))
    else:
        for diagnostic in diagnostics:
            if diagnostic.severity != "info" or ctx.verbose:
                click.echo(str(diagnostic))
        if not ctx.quiet:
            counts = {
                level: sum(1 for d in diagnostics if d.severity == level) for level in ("error", "warning", "info")
            }
            click.echo(
                f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)", err=True
            )
    if any(diagnostic.severity == "error" for diagnostic in diagnostics):
        sys.exit(1)


@main.command()
@lang_option
@doc_option
@json_option
@click.pass_obj
def status(ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], as_json: bool) -> None:
    """Show, per language and document, how much is reviewed and what stops a release.

    The table's last column gives the blocker in a few words; ``--json`` (and build/status.html) has it in full.
    """
    from polyleaf import pipeline

    rows = pipeline.status(ctx.config(), _selection(languages, documents))
    if as_json:
        click.echo(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return
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
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    click.echo(_format_table(headers, table, text_columns=2, last_text=True, width=width))


def _format_table(
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


@main.group()
def models() -> None:
    """Offline translation models (argos packages)."""


@models.command(name="list")
@click.pass_obj
def models_list(ctx: Context) -> None:
    """Installed packages, and which configured languages they cover."""
    from polyleaf import pipeline

    installed = pipeline.installed_models()
    for source, target, version in installed:
        click.echo(f"installed  {source}-{target}  {version}")
    if not installed:
        click.echo("no argos translation package is installed")
    from polyleaf.config import find_config_file

    try:
        find_config_file(ctx.project or Path.cwd())
    except PolyleafError:
        return  # outside a content project: nothing to compare against
    for status in pipeline.model_coverage(ctx.config()):
        click.echo(f"{status.language:<8} {status.provenance or 'missing: polyleaf models install FILE.argosmodel'}")


@models.command(name="install")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def models_install(files: tuple[Path, ...]) -> None:
    """Install .argosmodel files (works offline)."""
    from polyleaf import pipeline

    for path in files:
        click.echo(f"installed {pipeline.install_model(path)}")


@models.command(name="download")
@click.argument("languages", nargs=-1)
@click.pass_obj
def models_download(ctx: Context, languages: tuple[str, ...]) -> None:
    """Download packages from the argos index (needs the internet) for LANGUAGES (default: all configured)."""
    from polyleaf import pipeline

    for installed in pipeline.download_models(ctx.config(), languages):
        click.echo(f"installed {installed}")


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", "languages", multiple=True, required=True, help="A language to translate into (repeatable).")
@click.option("--source-language", default="en", show_default=True, help="The language the articles are written in.")
def init(folder: Path, languages: tuple[str, ...], source_language: str) -> None:
    """Create a content project in FOLDER: polyleaf.toml, source/disclaimer.txt, locales/glossary.csv."""
    from polyleaf.pipeline.setup import init_project

    for path in init_project(folder, languages, source_language):
        click.echo(f"wrote {path}")
    click.echo("put articles (.txt or .md) in source/ and run `polyleaf run`")


@main.command(name="add-language")
@verbosity_options
@click.argument("languages", nargs=-1, required=True)
@click.pass_obj
def add_language(ctx: Context, languages: tuple[str, ...]) -> None:
    """Add LANGUAGES to the configuration and create their PO files (like ``sphinx-intl update -l``)."""
    from polyleaf import pipeline
    from polyleaf.pipeline.setup import add_language as add_to_config

    config = ctx.config()
    added = []
    for language in languages:
        added.append(add_to_config(config, language))
        config = ctx.config()
    report = pipeline.run(config, _selection(tuple(added), ()), steps=frozenset({"extract", "update"}))
    for code in added:
        click.echo(f"added {code}")
    _print_report(ctx, report, as_json=False)
