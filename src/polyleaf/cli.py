"""Command line: parse options, call the pipeline, print results, map PolyleafError to exit codes. No logic."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from polyleaf import __version__, console
from polyleaf.errors import ConfigError, PolyleafError, one_line
from polyleaf.execution.workers import FROM_CONFIG, Parallel

if TYPE_CHECKING:
    from polyleaf.config import Config
    from polyleaf.pipeline.report import Report
    from polyleaf.pipeline.sources import Selection

STEPS_OF_RUN = frozenset({"extract", "update", "translate", "build"})


class Context:
    """Options shared by every command."""

    def __init__(self, project: Path | None, quiet: bool, verbose: bool) -> None:
        self.project = project
        self.quiet = quiet
        self.verbose = verbose
        self.strict = False  # --strict: reviewed translations that fail QA make a build exit with 1

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
    from polyleaf.pipeline.sources import Selection

    return Selection(languages, documents)


def _examples(*lines: str) -> str:
    """A command's epilog: examples of its use, one a line (click keeps a paragraph that starts with \\b as it is)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _completion_config(click_ctx: click.Context) -> Config | None:
    """The project's configuration while the shell completes a word (``--project`` too), None outside a project
    or when it cannot be read: completion offers nothing then, and never fails."""
    from polyleaf.config import load_config

    try:
        return load_config(click_ctx.find_root().params.get("project"))
    except (PolyleafError, OSError):
        return None


def _complete_languages(click_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
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


def _complete_new_languages(click_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
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
    shell_complete=_complete_languages,
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


def _exit_code(report: Report, strict: bool) -> int:
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


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "POLYLEAF"},
    epilog=_examples("polyleaf init --lang es --lang ar", "polyleaf run", "polyleaf status"),
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


format_option = click.option(
    "--format",
    "formats",
    multiple=True,
    envvar="POLYLEAF_FORMAT",
    type=click.Choice(["txt", "html", "pdf"]),
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
    from polyleaf.config import scheduler_problem

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


def _pipeline_command(name: str, steps: frozenset[str], help_text: str, examples: tuple[str, ...]) -> None:
    def command(
        ctx: Context,
        languages: tuple[str, ...],
        documents: tuple[str, ...],
        as_json: bool,
        parallel: Parallel = FROM_CONFIG,
        formats: tuple[str, ...] = (),
    ) -> None:
        from polyleaf.pipeline import runner
        from polyleaf.pipeline.build import Outputs

        with console.progress_bars(ctx.quiet) as progress:
            report = runner.run(
                ctx.config(),
                _selection(languages, documents),
                steps=steps,
                progress=progress,
                outputs=Outputs(formats=formats),
                parallel=parallel,
            )
        console.print_report(report, quiet=ctx.quiet, verbose=ctx.verbose, as_json=as_json)
        sys.exit(_exit_code(report, ctx.strict))

    decorated = click.pass_obj(command)
    parallel = (parallel_options,) if steps & {"translate", "build"} else ()
    building = [format_option, strict_option] if "build" in steps else []
    for option in (json_option, *parallel, *building, doc_option, lang_option):
        decorated = option(decorated)
    main.command(name=name, help=help_text, epilog=_examples(*examples))(verbosity_options(decorated))


_pipeline_command(
    "run",
    STEPS_OF_RUN,
    "Extract, update, machine-translate and build a draft (the main job).",
    ("polyleaf run", "polyleaf run --lang es --doc back-pain -v"),
)
_pipeline_command(
    "extract", frozenset({"extract"}), "Write locales/templates/*.pot from the sources.", ("polyleaf extract",)
)
_pipeline_command(
    "update",
    frozenset({"extract", "update"}),
    "Merge the templates into every language's PO files.",
    ("polyleaf update", "polyleaf update --lang fr"),
)
_pipeline_command(
    "translate",
    frozenset({"extract", "update", "translate"}),
    "Fill empty PO entries from memory and offline MT.",
    ("polyleaf translate --lang es", "polyleaf translate --workers 2"),
)


@main.command(epilog=_examples("polyleaf build", "polyleaf build --release --format pdf --lang ar"))
@verbosity_options
@lang_option
@doc_option
@format_option
@click.option("--release", is_flag=True, help="Publish reviewed translations only; withhold what is not ready.")
@strict_option
@parallel_options
@json_option
@click.pass_obj
def build(
    ctx: Context,
    languages: tuple[str, ...],
    documents: tuple[str, ...],
    formats: tuple[str, ...],
    release: bool,
    parallel: Parallel,
    as_json: bool,
) -> None:
    """Build localized documents from the PO files (a draft, or a release with --release)."""
    from polyleaf.pipeline import runner
    from polyleaf.pipeline.build import Outputs

    with console.progress_bars(ctx.quiet) as progress:
        report = runner.run(
            ctx.config(),
            _selection(languages, documents),
            steps=frozenset({"build"}),
            progress=progress,
            outputs=Outputs(release, formats),
            parallel=parallel,
        )
    console.print_report(report, quiet=ctx.quiet, verbose=ctx.verbose, as_json=as_json)
    sys.exit(_exit_code(report, ctx.strict))  # 1: e.g. a release whose PDF could not be built


@main.command(
    name="verify-release", epilog=_examples("polyleaf verify-release", "polyleaf verify-release /srv/leaflets --json")
)
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@json_option
@click.pass_obj
def verify_release(ctx: Context, folder: Path | None, as_json: bool) -> None:
    """Check the whole release (FOLDER: default build/release, or a copy of it elsewhere) against its release.json:
    every file it lists is there with its SHA-256, and nothing else is; exit code 1 naming each file that is
    missing, changed or not part of the release."""
    from polyleaf.pipeline.release import verify_release as verify
    from polyleaf.project import release_dir

    found = verify(folder if folder is not None else release_dir(ctx.config()))
    shown = _shown(found.folder)
    if as_json:
        problems = [{"path": f"{shown}/{item.path}", "problem": item.problem} for item in found.problems]
        summary = {"folder": shown, "files": found.files, "matching": found.matching, "unlisted": found.unlisted}
        click.echo(json.dumps({**summary, "leaflets": len(found.publishes), "problems": problems}))
    else:
        for item in found.problems:
            click.echo(one_line(f"{shown}/{item.path}: {item.problem}"))
        unlisted = ""
        if found.unlisted:  # withdrawn since, most likely: ``rsync -a`` without ``--delete`` keeps them
            unlisted = f"; {found.unlisted} file(s) it does not list (copy a release with `rsync -a --delete`)"
        click.echo(
            f"{shown}: {found.matching} of {found.files} file(s) of {len(found.publishes)} leaflet(s) match "
            f"release.json{unlisted}",
            err=bool(found.problems),
        )
    if found.problems:
        sys.exit(1)


@main.command(epilog=_examples("polyleaf check", "polyleaf check --lang ar --json"))
@verbosity_options
@lang_option
@doc_option
@json_option
@click.pass_obj
def check(ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], as_json: bool) -> None:
    """Run the QA checks on the PO files, and the plain-language checks on the English source (warnings only);
    exit code 1 when a reviewed entry has an error."""
    from polyleaf.pipeline import review

    diagnostics = review.check(ctx.config(), _selection(languages, documents))
    if as_json:
        click.echo(json.dumps([diagnostic.as_json() for diagnostic in diagnostics], indent=2, ensure_ascii=False))
    else:
        for diagnostic in diagnostics:
            if diagnostic.severity != "info" or ctx.verbose or diagnostic.check == "review-sheet":
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


@main.command(
    name="review-sheet",
    epilog=_examples("polyleaf review-sheet --lang ar", "polyleaf review-sheet --lang es --doc back-pain --json"),
)
@verbosity_options
@lang_option
@doc_option
@click.option("--no-pdf", is_flag=True, help="Write the HTML and Word sheets only.")
@json_option
@click.pass_obj
def review_sheet(
    ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], no_pdf: bool, as_json: bool
) -> None:
    """Write the bilingual review sheet of each language (HTML, PDF and Word, in build/review/): English,
    translation, state, QA findings and an empty comment column, in document order, for a clinician to mark. Its
    version, printed on every page, is a hash of the PO files; polyleaf check says which sheet they match."""
    from polyleaf.pipeline.review_sheet import review_sheets

    written = review_sheets(ctx.config(), _selection(languages, documents), pdf=not no_pdf)
    if as_json:
        records = [
            {
                "language": item.language,
                "documents": list(item.documents),
                "version": item.version,
                "segments": item.rows,
                "html": _shown(item.html),
                "pdf": _shown(item.pdf) if item.pdf else None,
                "docx": _shown(item.docx),
            }
            for item in written
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for item in written if not ctx.quiet else ():
        files = ", ".join(_shown(path) for path in (item.html, item.pdf, item.docx) if path is not None)
        click.echo(f"{item.language}: {item.rows} segments, version {item.version[:12]}: {files}")


@main.command(epilog=_examples("polyleaf status", "polyleaf status --lang es --json"))
@lang_option
@doc_option
@json_option
@click.pass_obj
def status(ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], as_json: bool) -> None:
    """Show, per language and document, how much is reviewed and what stops a release.

    The table's last column gives the blocker in a few words; --json (and build/status.html) has it in full.
    """
    from polyleaf.pipeline import review

    rows = review.status(ctx.config(), _selection(languages, documents))
    if as_json:
        click.echo(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    click.echo(console.status_table(rows, width))


@main.command(
    name="export",
    epilog=_examples("polyleaf export --format xliff", "polyleaf export --format tmx --mt --lang fr -o fr.tmx"),
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
        made = export(config, fmt, _selection(languages, documents), output, machine, progress)
    if as_json:
        records = [
            {"path": _shown(item.path), "language": item.language, "counts": dict(item.counts), "written": item.written}
            for item in made
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if ctx.quiet:
        return
    for item in made:
        counts = ", ".join(f"{count} {name}" for name, count in item.counts.items()) or "nothing"
        state = "wrote" if item.written else "unchanged"
        click.echo(f"{state} {_shown(item.path)}: {counts}")


@main.command(
    name="import", epilog=_examples("polyleaf import build/exchange/fr.xlf", "polyleaf import memory.tmx --lang es")
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
    from polyleaf.pipeline.exchange import import_file

    with console.progress_bars(ctx.quiet) as progress:
        report = import_file(ctx.config(), file, as_reviewed, _selection(languages, documents), progress)
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
            click.echo(f"wrote {_shown(path)}")
    click.echo(f"{report.summary()}; {len(report.written)} file(s) written")
    if report.advice():
        click.echo(f"note: {report.advice()}")


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)


@main.group(epilog=_examples("polyleaf models list", "polyleaf models install translate-en_es-1_0.argosmodel"))
def models() -> None:
    """Offline translation models (argos packages, CTranslate2 model folders)."""


def _package_json(package: tuple[str, str, str]) -> dict[str, str]:
    source, target, version = package
    return {"from": source, "to": target, "version": version}


@models.command(name="list", epilog=_examples("polyleaf models list", "polyleaf models list --json"))
@json_option
@click.pass_obj
def models_list(ctx: Context, as_json: bool) -> None:
    """Installed models with their licences, and which engine translates each configured language (inside a
    project)."""
    from polyleaf.config import find_config_file
    from polyleaf.pipeline import models as mt_models

    installed = mt_models.installed_models()
    folders = mt_models.installed_ctranslate2_models()
    try:
        find_config_file(ctx.project or Path.cwd())
    except PolyleafError:
        coverage = None  # outside a content project: nothing to compare against
    else:
        coverage = mt_models.model_coverage(ctx.config())
    if as_json:
        languages = None if coverage is None else {status.language: status.provenance or None for status in coverage}
        packages = [_package_json(package) for package in installed]
        models = [model.as_json() for model in folders]
        click.echo(
            json.dumps(
                {"installed": packages, "ctranslate2": models, "languages": languages}, indent=2, ensure_ascii=False
            )
        )
        return
    for source, target, version in installed:
        click.echo(f"installed  {source}-{target}  {version}")
    for model in folders:
        restriction = "  NON-COMMERCIAL" if model.non_commercial else ""
        click.echo(
            f"installed  {model.name}  {model.version}  ctranslate2  licence {model.licence}{restriction}  "
            f"({', '.join(model.languages)})"
        )
    if not installed and not folders:
        click.echo("no translation model is installed (argos package or CTranslate2 model)")
    for status in coverage or ():
        if not status.provenance:
            click.echo(f"{status.language:<8} missing: polyleaf models install FILE.argosmodel or MODEL_FOLDER")
            continue
        licence = f"  [{status.licence}{', non-commercial' if status.non_commercial else ''}]" if status.licence else ""
        click.echo(f"{status.language:<8} {status.provenance}{licence}")


@models.command(
    name="install",
    epilog=_examples(
        "polyleaf models install translate-en_es-1_0.argosmodel", "polyleaf models install nllb-200-distilled-600M/"
    ),
)
@verbosity_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@click.pass_obj
def models_install(ctx: Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Install .argosmodel files, or CTranslate2 model folders (or zip archives of one) that hold a
    polyleaf-model.json (works offline)."""
    from polyleaf.pipeline import models as mt_models

    installed: list[dict[str, object]] = []
    with console.progress_bars(ctx.quiet) as progress:
        for path in files:
            model = mt_models.install_any(path, progress)
            described = _package_json(model.pair) if model.pair else model.as_json()
            installed.append({"file": _shown(path), **described})
            if not as_json and not ctx.quiet:
                licence = f" (licence {model.licence}{', non-commercial' if model.non_commercial else ''})"
                click.echo(f"installed {model.name} {model.version}{licence if model.engine != 'argos' else ''}")
    if as_json:
        click.echo(json.dumps(installed, indent=2, ensure_ascii=False))


@models.command(name="remove", epilog=_examples("polyleaf models remove nllb-200-distilled-600M"))
@verbosity_options
@click.argument("name")
@json_option
@click.pass_obj
def models_remove(ctx: Context, name: str, as_json: bool) -> None:
    """Remove the installed CTranslate2 model NAME."""
    from polyleaf.pipeline import models as mt_models

    model = mt_models.remove_model(name)
    if as_json:
        click.echo(json.dumps(model.as_json(), indent=2, ensure_ascii=False))
    elif not ctx.quiet:
        click.echo(f"removed {model.name} {model.version}")


@models.command(name="download", epilog=_examples("polyleaf models download", "polyleaf models download es fr"))
@verbosity_options
@click.argument("languages", nargs=-1, shell_complete=_complete_languages)
@json_option
@click.pass_obj
def models_download(ctx: Context, languages: tuple[str, ...], as_json: bool) -> None:
    """Download packages from the argos index (needs the internet) for LANGUAGES (default: all configured)."""
    from polyleaf.pipeline import models as mt_models

    with console.progress_bars(ctx.quiet) as progress:
        installed = mt_models.download_models(ctx.config(), languages, progress)
    if as_json:
        click.echo(json.dumps([_package_json(package) for package in installed], indent=2, ensure_ascii=False))
        return
    for source, target, version in installed if not ctx.quiet else ():
        click.echo(f"installed {source}-{target} {version}")


@main.command(epilog=_examples("polyleaf init --lang es --lang ar", "polyleaf init leaflets --lang fr --json"))
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    "languages",
    multiple=True,
    required=True,
    metavar="CODE",
    shell_complete=_complete_new_languages,
    help="A language to translate into (repeatable).",
)
@click.option(
    "--source-language",
    default="en",
    show_default=True,
    metavar="CODE",
    shell_complete=_complete_new_languages,
    help="The language the articles are written in.",
)
@json_option
def init(folder: Path, languages: tuple[str, ...], source_language: str, as_json: bool) -> None:
    """Create a content project in FOLDER: polyleaf.toml, source/disclaimer.txt, locales/glossary.csv."""
    from polyleaf.pipeline.setup import init_project

    written = init_project(folder, languages, source_language)
    if as_json:
        click.echo(json.dumps({"written": [_shown(path) for path in written]}, indent=2, ensure_ascii=False))
        return
    for path in written:
        click.echo(f"wrote {path}")
    click.echo("put articles (.txt or .md) in source/ and run `polyleaf run`")


@main.command(name="add-language", epilog=_examples("polyleaf add-language fr", "polyleaf add-language pt_BR zh_Hans"))
@verbosity_options
@click.argument("languages", nargs=-1, required=True, shell_complete=_complete_new_languages)
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
    report = runner.run(config, _selection(tuple(added), ()), steps=frozenset({"extract", "update"}))
    if as_json:
        click.echo(json.dumps({"added": added, **report.as_json(Path.cwd())}, indent=2, ensure_ascii=False))
        return
    for code in added:
        click.echo(f"added {code}")
    console.print_report(report, quiet=ctx.quiet, verbose=ctx.verbose, as_json=False)
