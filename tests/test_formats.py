"""The format registries (``polyleaf.formats``): what derives from them agrees with them, and a registry that would
let one leaflet file overwrite another — an ``.html`` source's text leaflet and the web page — cannot load."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from helpers import content_project, invoke_in
from polyleaf import formats
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.errors import ConfigError, SourceError
from polyleaf.formats import LEAFLET_FORMATS, SOURCE_FORMATS, LeafletFormat, SourceFormat, registry_problem
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline.sources import source_paths
from polyleaf.render.leaflet_files import FILE_RENDERERS
from polyleaf.source.parse.reading import PARSERS, source_format

HTML_SOURCE = SourceFormat(name="html", suffixes=(".html", ".htm"), label="Web page source")


def test_an_html_source_format_could_not_be_registered_beside_the_web_page() -> None:
    problem = registry_problem(LEAFLET_FORMATS, (*SOURCE_FORMATS, HTML_SOURCE))
    assert problem == (
        "the text leaflet of source format 'html' and leaflet format 'html' would both write <doc>.<lang>.html"
    )


def test_two_leaflet_formats_of_one_extension_or_name_could_not_be_registered() -> None:
    fragment = LeafletFormat(name="snippet", extension="pdf")
    assert "would both write <doc>.<lang>.pdf" in registry_problem((*LEAFLET_FORMATS, fragment), SOURCE_FORMATS)
    again = LeafletFormat(name="html", extension="htm")
    assert "one name" in registry_problem((*LEAFLET_FORMATS, again), SOURCE_FORMATS)
    markdown_too = SourceFormat(name="markdown", suffixes=(".md",), label="Markdown")
    assert "one suffix" in registry_problem(LEAFLET_FORMATS, (*SOURCE_FORMATS, markdown_too))


def test_the_registry_as_shipped_has_no_problem_and_every_format_its_renderer_or_parser() -> None:
    assert registry_problem(LEAFLET_FORMATS, SOURCE_FORMATS) == ""
    assert {leaflet.name for leaflet in LEAFLET_FORMATS if leaflet.kind == "file"} == set(FILE_RENDERERS)
    assert {source.name for source in SOURCE_FORMATS} == set(PARSERS)
    for source in SOURCE_FORMATS:
        for suffix in source.suffixes:
            assert source_format(Path(f"x{suffix.upper()}")) == source.name


def test_an_html_file_in_the_sources_is_refused_naming_the_file(tmp_path: Path) -> None:
    root = content_project(tmp_path / "project", 'source_language = "en"\nlanguages = ["es"]\n')
    (root / "source" / "clinic-page.html").write_text("<h1>Hours</h1>\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        source_paths(load_config(root))
    assert raised.value.path == Path("source/clinic-page.html")
    assert raised.value.message == "unsupported source file type '.html' (use .txt or .md)"


def test_configuration_and_command_line_accept_exactly_the_registered_formats(tmp_path: Path) -> None:
    root = content_project(tmp_path / "project", 'languages = ["es"]\nformats = ["txt", "docx"]\n')
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert raised.value.message == f"formats: unknown format 'docx' (known: {', '.join(formats.FORMAT_NAMES)})"
    run = main.commands["run"]
    (option,) = [param for param in run.params if param.name == "formats"]
    assert isinstance(option.type, click.Choice)
    registered = tuple(sorted(leaflet.name for leaflet in LEAFLET_FORMATS))
    assert tuple(option.type.choices) == formats.FORMAT_NAMES == registered
    result = invoke_in(root, "run", "--format", "docx")
    assert result.exit_code == 2 and "'docx' is not one of" in result.output


def test_every_file_a_language_index_links_has_its_label_in_the_interface_catalog() -> None:
    keys = [key for key in INTERFACE_MESSAGES if key.startswith("format_")]
    offered = [f"format_{extension}" for extension in formats.OFFERED_EXTENSIONS]
    assert set(offered) <= set(keys)
    # the order of interface.pot is kept: translators' files do not move
    assert keys[:5] == ["format_html", "format_pdf", "format_large_print", "format_txt", "format_md"]
    assert INTERFACE_MESSAGES["format_md"] == "Markdown file" and INTERFACE_MESSAGES["format_html"] == "Web page"


def test_the_text_leaflet_takes_its_sources_format_and_only_printed_files_come_in_editions() -> None:
    text = formats.leaflet_format(formats.TEXT)
    assert text.extensions == ("txt", "md") and formats.of_extension("md") is text
    assert [leaflet.name for leaflet in LEAFLET_FORMATS if leaflet.on_workers] == [formats.PRINTED]
    assert formats.LEAFLET_EXTENSIONS[:4] == ("html", "pdf", "txt", "md")  # the order an index offers them
