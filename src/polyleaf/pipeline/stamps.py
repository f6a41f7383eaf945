"""Render only what is stale, write only what changed: the render stamps of a build's outputs, in one place.

Rendering (Jinja, and WeasyPrint above all) is the slow part of a re-run. The stamp of an output in
``build/.cache/stamps/`` records the hash of its inputs (the ``repr`` of the frozen input dataclasses, with the
polyleaf version and ``renderer_digest``: the code and templates that render) *and* of the output it produced; an
output is reused only when both still match. So an output and its stamp never disagree, whatever was interrupted:
a build killed between writing the output and its stamp, a full disk, a failed write — the next build sees a
mismatch and renders again. Stamps are signed (``polyleaf.cache``): a committed output with a stamp made elsewhere
is rendered again. Every format's outputs go through ``Stamps`` (the web pages through ``pipeline.web_fonts``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from polyleaf import __version__
from polyleaf.cache import Store
from polyleaf.config.model import Config
from polyleaf.pipeline.manifest import file_sha256
from polyleaf.project import render_stamp_name

#: A polyleaf module a renderer imports: ``from polyleaf.qa.quantities import …``, ``from polyleaf import locale``.
_IMPORT = re.compile(r"^[ \t]*from polyleaf(\.[\w.]+)? import \(?([\w, ]+)", re.MULTILINE)


class Stamps:
    """The render stamps of one build; ``write`` writes a file when its content changed."""

    def __init__(self, config: Config, write: Callable[[Path, bytes], None], font_hash: Callable[[str], str]) -> None:
        self.config = config
        self._write = write
        self._font_hash = font_hash
        self._store = Store(config.build_dir, "stamps")

    def render_cached(self, path: Path, inputs: object, render: Callable[[], bytes]) -> None:
        """Write ``render()`` to ``path`` unless the file was already rendered from equal ``inputs``."""
        key = self.stale(path, inputs)
        if key is not None:
            self.store(path, key, render())

    def stale(self, path: Path, inputs: object) -> str | None:
        """The hash of ``inputs`` when ``path`` must be rendered (again), None when it is up to date."""
        key = self.input_key(inputs)
        stamp = self._store.load(render_stamp_name(self.config, path))
        if path.is_file() and not path.is_symlink() and stamp == [key, file_sha256(path)]:
            return None
        return key

    def input_key(self, inputs: object) -> str:
        """The hash of what an output is rendered from, with the code that renders it."""
        return hashlib.sha256(f"{__version__}\n{renderer_digest()}\n{inputs!r}".encode()).hexdigest()

    def store(self, path: Path, key: str, data: bytes) -> None:
        """Write a rendered output, then its stamp."""
        self._write(path, data)
        self._store.save(render_stamp_name(self.config, path), [key, hashlib.sha256(data).hexdigest()])

    def font_hash(self, path: str) -> str:
        """The hash of a font file's content, read once per build (a web page's subsets are made of them)."""
        return self._font_hash(path)


@functools.cache
def renderer_digest() -> str:
    """A hash of the code and templates that turn a leaflet's inputs into bytes (``code_digest`` of this polyleaf),
    computed once per process: a renderer changed without a new version number (a development install, a patched
    template) renders every output again."""
    return code_digest(Path(__file__).resolve().parents[1])


def code_digest(package: Path) -> str:
    """A hash of ``package/render/`` (code and templates) and of the polyleaf modules its code imports."""
    files = {path for path in (package / "render").rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    for code in [path for path in files if path.suffix == ".py"]:
        for module, names in _IMPORT.findall(code.read_text(encoding="utf-8")):
            for name in [module.lstrip(".")] if module else [name.strip() for name in names.split(",")]:
                relative = name.replace(".", "/")
                files.update(path for path in (package / f"{relative}.py", package / relative / "__init__.py"))
    digest = hashlib.sha256()
    for path in sorted(path for path in files if path.is_file()):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
