"""Helpers shared by the test modules (test modules never import each other)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import traceback
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from polyleaf.cli import main
from polyleaf.pipeline.build import DRAFT, Outputs
from polyleaf.pipeline.report import Report

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "bvna-chronic-low-back-pain"
OTHER = "bvn-ablation-vertebral-venous-malformations"


def polyleaf(root: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the console entry point in this process, as ``python -m polyleaf`` would run in ``root`` (``CI`` set: no
    progress bars): the same exit codes, stdout and stderr apart, a traceback on stderr for an unexpected exception,
    Python's default warning filters, and log records that reach no handler printed on stderr.

    ``env`` adds to (or overrides) the environment for the call. What a process can only do once (fontconfig reads
    ``FONTCONFIG_FILE`` at its first use), or signals, locks and ``prefix`` commands: ``polyleaf_process``."""
    if env and any(key.startswith("FONTCONFIG") for key in env):
        raise AssertionError("fontconfig is set up once per process: run this with polyleaf_process")
    runner = CliRunner(capture="fd")  # fd: what C libraries write (fontconfig's warnings) is on stderr too
    previous = Path.cwd()
    handlers = logging.root.handlers[:]
    os.chdir(root)
    logging.root.handlers.clear()  # as in a fresh process: a record no handler takes goes to logging.lastResort
    try:
        with warnings.catch_warnings():
            warnings.resetwarnings()
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
                warnings.simplefilter("ignore", category)
            warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
            result = runner.invoke(main, args, env={"CI": "true", **(env or {})}, prog_name="python -m polyleaf")
    finally:
        logging.root.handlers[:] = handlers
        os.chdir(previous)
    stderr = result.stderr
    if result.exc_info is not None and not isinstance(result.exc_info[1], SystemExit):
        stderr += "".join(traceback.format_exception(result.exc_info[1]))
    return subprocess.CompletedProcess(["polyleaf", *args], result.exit_code, result.stdout, stderr)


def polyleaf_process(
    root: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess, as a user would (``CI`` set: no progress bars).

    ``env`` adds to (or overrides) the environment; ``prefix`` runs it under another command (``unshare …``)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "polyleaf", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true", **(env or {})},
        timeout=timeout,
    )


def isolated_home(home: Path) -> dict[str, str]:
    """The environment of a user whose home (and argos' package folder) is ``home``."""
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
    }


def content_project(root: Path, config: str) -> Path:
    """A content project at ``root``: this repo's articles and disclaimer, and ``config`` as its polyleaf.toml."""
    (root / "source").mkdir(parents=True)
    for path in (REPO / "source").iterdir():
        shutil.copyfile(path, root / "source" / path.name)
    (root / "polyleaf.toml").write_text(config, encoding="utf-8")
    return root


def copied_project(first: Path, tmp_path: Path) -> Path:
    """A fresh copy of the project ``first`` (a module's shared first run), for one test to change."""
    root = tmp_path / "project"
    shutil.copytree(first, root)
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (the project lock aside) and its bytes: to show that nothing changed."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink() and ".polyleaf.lock" not in path.name
    }


def po_path(root: Path, language: str, name: str) -> Path:
    return root / "locales" / language / "LC_MESSAGES" / f"{name}.po"


def one_line_error(result: subprocess.CompletedProcess[str], code: int | None = None) -> str:
    """The single line a failed command printed (asserting it is one line, no traceback, and exit ``code``)."""
    if code is not None:
        assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def cli(project: Path, *args: str) -> str:
    """``polyleaf --project PROJECT ARGS`` in-process (click's runner); it exits 0, or 1 for QA errors."""
    from click.testing import CliRunner

    from polyleaf.cli import main

    result = CliRunner().invoke(main, ["--project", str(project), *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def translate(po: Path, translations: Mapping[str, str]) -> None:
    """Reviewed translations written into a PO file, as a translator writes them (no flags, no comments)."""
    from dataclasses import replace

    from polyleaf.po.pofile import write_po
    from polyleaf.po.poread import parse_po_file

    catalog = parse_po_file(po.read_bytes(), po)
    messages = tuple(
        replace(message, msgstr=(translations[message.msgid],), flags=(), comments=())
        if message.msgid in translations
        else message
        for message in catalog.messages
    )
    po.write_bytes(write_po(replace(catalog, messages=messages)))


def po_string(text: str) -> str:
    """``text`` as a one-line PO string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def set_translation(po: Path, msgid: str, msgstr: str, *, reviewed: bool = True) -> None:
    """What a translator does in a text editor: write ``msgstr`` for the (one-line) ``msgid`` and, when
    ``reviewed``, remove the entry's fuzzy flag. ``msgstr`` is written as given (escapes included)."""
    lines = po.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"msgid {po_string(msgid)}")
    end = start + 1
    while not lines[end].startswith("msgstr"):
        end += 1
    stop = end + 1
    while stop < len(lines) and lines[stop].startswith('"'):
        stop += 1
    lines[end:stop] = [f"msgstr {msgstr}"]
    first = start
    while first > 0 and lines[first - 1].startswith("#"):
        first -= 1
    if reviewed:
        for number in range(first, start):
            if lines[number].startswith("#,"):
                flags = [flag.strip() for flag in lines[number][2:].split(",") if flag.strip() != "fuzzy"]
                lines[number] = f"#, {', '.join(flags)}" if flags else ""
        lines[first:start] = [line for line in lines[first:start] if line and not line.startswith("#|")]
    po.write_text("\n".join(lines), encoding="utf-8")


VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "base", "col", "embed", "track"}


@dataclass
class Node:
    """An element of a parsed HTML page: a tiny DOM on top of the stdlib parser."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def elements(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]

    def iter(self, tag: str | None = None) -> list[Node]:
        found: list[Node] = []
        for child in self.elements:
            if tag is None or child.tag == tag:
                found.append(child)
            found.extend(child.iter(tag))
        return found

    def find(self, tag: str) -> Node:
        found = self.iter(tag)
        assert found, f"no <{tag}>"
        return found[0]

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The tree of an HTML page (asserting every element is closed where it should be)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file a run writes (PO files, templates, outputs, stamps), by relative path; not the run record, which
    names this copy's inodes and times (``pipeline.run_record``), nor the library it leaves for the next run, named
    by the record (``pipeline.library``)."""
    cache = root / "build" / ".cache"
    record = (cache / "run.json", cache / "run-files.json")
    return {
        str(path.relative_to(root)): path.read_bytes()
        for folder in ("locales", "build")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and path not in record and not path.is_relative_to(cache / "library")
    }


def twin(project: Path, name: str) -> Path:
    """A copy of ``project`` under the same folder name (the project's name is the folder's, and it is printed)."""
    other = project.parent / name / project.name
    shutil.copytree(project, other)
    return other


def invoke_in(root: Path, *args: str) -> Result:
    """``polyleaf --project root ARGS`` in process (click's CliRunner): a user error exits, never raises."""
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def run_everything(
    project: Path, monkeypatch: pytest.MonkeyPatch, outputs: Outputs = DRAFT
) -> tuple[Report, list[tuple[str, ...]]]:
    """One ``polyleaf run`` of everything with the fake engine (a model for every language), in this process; the
    documents it parsed, each time it parsed some (a run of one edited article parses that article alone)."""
    from fake_engine import FakeEngine
    from polyleaf.config.model import load_config
    from polyleaf.execution.workers import Parallel
    from polyleaf.pipeline import runner, sources

    parsed: list[tuple[str, ...]] = []
    load_sources = sources.load_sources

    def counting(config: object, only: tuple[str, ...] = (), *args: object) -> sources.Sources:
        found = load_sources(config, only, *args)  # type: ignore[arg-type]
        parsed.append(tuple(document.name for document in found.documents))
        return found

    monkeypatch.setattr(runner, "load_sources", counting)
    config, engine = load_config(project), lambda _config: FakeEngine()
    report = runner.run(config, sources.EVERYTHING, engine_factory=engine, outputs=outputs, parallel=Parallel(1))
    monkeypatch.setattr(runner, "load_sources", load_sources)
    return report, parsed
