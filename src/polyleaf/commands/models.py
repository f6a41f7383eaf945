"""``models``: the offline translation models installed on this machine (argos packages, CTranslate2 folders)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from polyleaf import console
from polyleaf.commands.options import Context, complete_languages, examples, json_option, shown_path, verbosity_options
from polyleaf.errors import PolyleafError


@click.group(epilog=examples("polyleaf models list", "polyleaf models install translate-en_es-1_0.argosmodel"))
def models() -> None:
    """Offline translation models (argos packages, CTranslate2 model folders)."""


def _package_json(package: tuple[str, str, str]) -> dict[str, str]:
    source, target, version = package
    return {"from": source, "to": target, "version": version}


@models.command(name="list", epilog=examples("polyleaf models list", "polyleaf models list --json"))
@json_option
@click.pass_obj
def models_list(ctx: Context, as_json: bool) -> None:
    """Installed models with their licences, and which engine translates each configured language (inside a
    project)."""
    from polyleaf.config.model import find_config_file
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
    epilog=examples(
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
            installed.append({"file": shown_path(path), **described})
            if not as_json and not ctx.quiet:
                licence = f" (licence {model.licence}{', non-commercial' if model.non_commercial else ''})"
                click.echo(f"installed {model.name} {model.version}{licence if model.engine != 'argos' else ''}")
    if as_json:
        click.echo(json.dumps(installed, indent=2, ensure_ascii=False))


@models.command(name="remove", epilog=examples("polyleaf models remove nllb-200-distilled-600M"))
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


@models.command(name="download", epilog=examples("polyleaf models download", "polyleaf models download es fr"))
@verbosity_options
@click.argument("languages", nargs=-1, shell_complete=complete_languages)
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
