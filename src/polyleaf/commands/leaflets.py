"""The commands that make leaflets: ``run`` and its steps (``extract``, ``update``, ``translate``, ``build``),
``verify-release``, and those that report on them (``check``, ``review-sheet``, ``status``)."""

from __future__ import annotations

import functools
import gc
import json
import shutil
import sys
from pathlib import Path

import click

from polyleaf import console
from polyleaf.commands.options import (
    Context,
    doc_option,
    examples,
    exit_code,
    format_option,
    json_option,
    lang_option,
    parallel_options,
    selection,
    shown_path,
    strict_option,
    verbosity_options,
)
from polyleaf.errors import printable_line
from polyleaf.execution.workers import FROM_CONFIG, Parallel

STEPS_OF_RUN = frozenset({"extract", "update", "translate", "build"})


@functools.cache
def _keep_imported() -> None:
    """Leave what the process holds before its run (the modules the run imported, chiefly: they last as long as the
    process) out of the garbage collections to come, once: collections that looked at them again took a run after
    an edit a twentieth of its time."""
    gc.freeze()


def _pipeline_command(name: str, steps: frozenset[str], help_text: str, usage: tuple[str, ...]) -> click.Command:
    """A command that runs ``steps`` of the pipeline (``run`` runs them all)."""

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

        _keep_imported()
        with console.progress_bars(ctx.quiet) as progress:
            report = runner.run(
                ctx.config(),
                selection(languages, documents),
                steps=steps,
                progress=progress,
                outputs=Outputs(formats=formats),
                parallel=parallel,
            )
        console.print_report(report, quiet=ctx.quiet, verbose=ctx.verbose, as_json=as_json)
        sys.exit(exit_code(report, ctx.strict))

    decorated = click.pass_obj(command)
    parallel = (parallel_options,) if steps & {"translate", "build"} else ()
    building = [format_option, strict_option] if "build" in steps else []
    for option in (json_option, *parallel, *building, doc_option, lang_option):
        decorated = option(decorated)
    return click.command(name=name, help=help_text, epilog=examples(*usage))(verbosity_options(decorated))


run = _pipeline_command(
    "run",
    STEPS_OF_RUN,
    "Extract, update, machine-translate and build a draft (the main job).",
    ("polyleaf run", "polyleaf run --lang es --doc back-pain -v"),
)
extract = _pipeline_command(
    "extract", frozenset({"extract"}), "Write locales/templates/*.pot from the sources.", ("polyleaf extract",)
)
update = _pipeline_command(
    "update",
    frozenset({"extract", "update"}),
    "Merge the templates into every language's PO files.",
    ("polyleaf update", "polyleaf update --lang fr"),
)
translate = _pipeline_command(
    "translate",
    frozenset({"extract", "update", "translate"}),
    "Fill empty PO entries from memory and offline MT.",
    ("polyleaf translate --lang es", "polyleaf translate --workers 2"),
)


@click.command(epilog=examples("polyleaf build", "polyleaf build --release --format pdf --lang ar"))
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

    _keep_imported()
    with console.progress_bars(ctx.quiet) as progress:
        report = runner.run(
            ctx.config(),
            selection(languages, documents),
            steps=frozenset({"build"}),
            progress=progress,
            outputs=Outputs(release, formats),
            parallel=parallel,
        )
    console.print_report(report, quiet=ctx.quiet, verbose=ctx.verbose, as_json=as_json)
    sys.exit(exit_code(report, ctx.strict))  # 1: e.g. a release whose PDF could not be built


@click.command(
    name="verify-release", epilog=examples("polyleaf verify-release", "polyleaf verify-release /srv/leaflets --json")
)
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@json_option
@click.pass_obj
def verify_release(ctx: Context, folder: Path | None, as_json: bool) -> None:
    """Check the whole release (FOLDER: default build/release, or a copy of it elsewhere) against its release.json:
    every file it lists is there with its SHA-256, and nothing else is; exit code 1 naming each file that is
    missing, changed or not part of the release."""
    from polyleaf.pipeline.verification import verify_release as verify
    from polyleaf.project import release_dir

    found = verify(folder if folder is not None else release_dir(ctx.config()))
    shown = shown_path(found.folder)
    if as_json:
        problems = [{"path": f"{shown}/{item.path}", "problem": item.problem} for item in found.problems]
        summary = {"folder": shown, "files": found.files, "matching": found.matching, "unlisted": found.unlisted}
        click.echo(json.dumps({**summary, "leaflets": len(found.publishes), "problems": problems}))
    else:
        for item in found.problems:
            click.echo(printable_line(f"{shown}/{item.path}: {item.problem}"))
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


@click.command(epilog=examples("polyleaf check", "polyleaf check --lang ar --json"))
@verbosity_options
@lang_option
@doc_option
@json_option
@click.pass_obj
def check(ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], as_json: bool) -> None:
    """Run the QA checks on the PO files, and the plain-language checks on the English source (warnings only);
    exit code 1 when a reviewed entry has an error."""
    from polyleaf.pipeline import review

    diagnostics = review.check(ctx.config(), selection(languages, documents))
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


@click.command(
    name="review-sheet",
    epilog=examples("polyleaf review-sheet --lang ar", "polyleaf review-sheet --lang es --doc back-pain --json"),
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

    written = review_sheets(ctx.config(), selection(languages, documents), pdf=not no_pdf)
    if as_json:
        records = [
            {
                "language": item.language,
                "documents": list(item.documents),
                "version": item.version,
                "segments": item.rows,
                "html": shown_path(item.html),
                "pdf": shown_path(item.pdf) if item.pdf else None,
                "docx": shown_path(item.docx),
            }
            for item in written
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for item in written if not ctx.quiet else ():
        files = ", ".join(shown_path(path) for path in (item.html, item.pdf, item.docx) if path is not None)
        click.echo(f"{item.language}: {item.rows} segments, version {item.version[:12]}: {files}")


@click.command(epilog=examples("polyleaf status", "polyleaf status --lang es --json"))
@lang_option
@doc_option
@json_option
@click.pass_obj
def status(ctx: Context, languages: tuple[str, ...], documents: tuple[str, ...], as_json: bool) -> None:
    """Show, per language and document, how much is reviewed and what stops a release.

    The table's last column gives the blocker in a few words; --json (and build/status.html) has it in full.
    """
    from polyleaf.pipeline.status import status as project_status

    rows = project_status(ctx.config(), selection(languages, documents))
    if as_json:
        click.echo(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    click.echo(console.status_table(rows, width))
