"""The web pages of a build and the font subsets they link (``build/fonts/``, ``build/release/fonts/``).

The pages of one language share one WOFF2 subset per font file, made of every character those pages hold (the
site index has its own); each page declares the subsets of the faces its font stacks name, with their
``unicode-range``. A page is rendered once with a placeholder for its ``@font-face`` rules, which tells its
characters and faces (kept in ``build/.cache/webtext/`` with the hash of the page's inputs, so an unchanged page is
not rendered again to learn them); the rules go in once the subsets are made. A subset's name is a hash of what it
is made of: a page links a new name when its subset changes (its render stamp changes with it), equal subsets are
one file, and an unchanged one is neither made nor written again. Subsets no page links any more are removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, unquote

from polyleaf.cache import Store
from polyleaf.config.model import Config
from polyleaf.project import render_stamp_name

if TYPE_CHECKING:
    from polyleaf.render.fonts import FontFace, WebFonts

#: The most the characters and faces of rendered pages take in the build folder (the oldest go first).
TEXTS_BYTES = 64 * 2**20
#: A font file a page links, in its ``@font-face`` rules.
_LINKED = re.compile(r'url\("(?:\.\./)*fonts/([^"/]+)"\)')


class PageWriter(Protocol):
    """What writes a build's files (``pipeline.stamps.Stamps``): render stamps, and the hashes of font files."""

    config: Config

    def input_key(self, inputs: object) -> str: ...

    def stale(self, path: Path, inputs: object) -> str | None: ...

    def store(self, path: Path, key: str, data: bytes) -> None: ...

    def render_cached(self, path: Path, inputs: object, render: Callable[[], bytes]) -> None: ...

    def font_hash(self, path: str) -> str: ...


@dataclass(frozen=True, slots=True)
class _Page:
    path: Path
    key: str  # the hash of its inputs (``input_key``): what its render stamp hashes, besides its subsets
    render: Callable[[WebFonts], str]
    characters: frozenset[int]
    faces: tuple[FontFace, ...]
    text: str = ""  # the page with the placeholder for its rules, when it was rendered by this build
    placeholder: str = ""
    #: a build of some documents: the characters and faces of the page as the last build wrote it
    was: tuple[frozenset[int], tuple[FontFace, ...]] | None = None


#: How many pages of a set hold each character, and ask for each face (its fields as text): what the set's subsets
#: are made of (``Library`` keeps them, so a build of some documents makes the same subsets from its pages alone).
Counts = tuple[dict[str, int], dict[str, int]]


class OtherPagesChange(Exception):
    """A build of some documents would change pages it does not write (their font subsets): build them all."""


class WebPages:
    """The web pages of a build, written a page set at a time (``add`` each page, then ``flush``)."""

    def __init__(self, output: PageWriter, folder: Path) -> None:
        self.output = output
        self.folder = folder
        self._texts = Store(output.config.build_dir, "webtext", max_bytes=TEXTS_BYTES)
        self._pending: dict[str, list[_Page]] = {}
        self._pages: set[Path] = set()  # every page of this build
        self._linked: set[str] = set()  # the subsets they link
        #: by set of pages: what all of them were made of as the last build left them, and the subsets they link,
        #: for a build of some documents (its pages the only ones that change); after ``flush``, what they are now
        self.counts: dict[str, Counts] = {}
        self.subsets: dict[str, list[str]] = {}
        self.partial = False

    def add(self, group: str, path: Path, inputs: object, render: Callable[[WebFonts], str]) -> None:
        """A page of the set ``group`` (a language; "" for the site index), rendered by ``render`` when it is out
        of date."""
        from polyleaf.render.fonts import WebFonts

        key = self.output.input_key(inputs)
        name = render_stamp_name(self.output.config, path)
        known = _known(self._texts.lookup(name, key))
        was = _known(self._texts.load(name)) if self.partial and group in self.counts else None
        if known is not None:
            page = _Page(path, key, render, *known, was=was)
        else:
            fonts = WebFonts()
            text = render(fonts)
            characters = frozenset(map(ord, set(text.replace(fonts.placeholder, ""))))
            page = _Page(path, key, render, characters, tuple(fonts.asked), text, fonts.placeholder, was)
            faces = [_face_key(face) for face in page.faces]
            self._texts.stage(name, key, {"characters": "".join(map(chr, sorted(characters))), "faces": faces})
        self._pending.setdefault(group, []).append(page)
        self._pages.add(path)

    def flush(self) -> None:
        """Make the subsets of the pending page sets and write their pages (those out of date)."""
        for group, pages in self._pending.items():
            chars, faces = self._counted(group, pages)
            characters = frozenset(ord(char) for char, count in chars.items() if count > 0)
            asked = [_face(json.loads(face)) for face, count in faces.items() if count > 0]
            subsets = self._subsets(characters, asked)
            names = sorted({name for name, _range in subsets.values()})
            if self.partial and group in self.subsets and names != self.subsets[group]:
                raise OtherPagesChange(f"the font subsets of {group or 'the site index'} change")
            self.counts[group], self.subsets[group] = (chars, faces), names
            for page in pages:
                self._write(page, subsets)
        self._pending.clear()

    def commit(self) -> None:
        """Keep the characters and faces of the pages rendered (once a build, after its last ``flush``: keeping
        the cache within its size reads its whole folder)."""
        self._texts.commit()

    def _counted(self, group: str, pages: list[_Page]) -> Counts:
        """What the set's pages are made of (``Counts``): counted over its pages, or for a build of some documents,
        the last build's counts with its pages' changes (``OtherPagesChange`` when they are not known)."""
        partial = self.partial and group in self.counts
        chars, faces = (dict(self.counts[group][0]), dict(self.counts[group][1])) if partial else ({}, {})
        for page in pages:
            if partial:
                if page.was is None:
                    raise OtherPagesChange(f"{page.path.name} as the last build wrote it is not known")
                _add(chars, faces, *page.was, -1)
            _add(chars, faces, page.characters, page.faces, 1)
        return chars, faces

    def _subsets(self, characters: frozenset[int], faces: list[FontFace]) -> dict[FontFace, tuple[str, str]]:
        """The subset of each face the pages ask for (file name, ``unicode-range``), written when it is not there
        already; a face with none of their characters has none."""
        from polyleaf.render.webfonts import font_characters, subset_name, subset_woff2, unicode_range

        subsets: dict[FontFace, tuple[str, str]] = {}
        for face in faces:
            digest = self.output.font_hash(str(face.path))
            points = font_characters(face.path, digest).covered(characters)
            if not points:
                continue
            name = subset_name(face.path, digest, points)

            def subset(path: Path = face.path, digest: str = digest, points: frozenset[int] = points) -> bytes:
                return subset_woff2(path, digest, points)

            self.output.render_cached(self.folder / name, (name, str(face.path)), subset)
            subsets[face] = (name, unicode_range(points))
            self._linked.add(name)
        return subsets

    def _write(self, page: _Page, subsets: dict[FontFace, tuple[str, str]]) -> None:
        from polyleaf.render.fonts import WebFont, WebFonts

        folder = Path(os.path.relpath(self.folder, page.path.parent)).as_posix()
        web = {
            face: WebFont(f"{folder}/{quote(subsets[face][0])}", subsets[face][1])
            for face in page.faces
            if face in subsets
        }
        # the inputs' hash, not the inputs again: a language's index page has a link to each of its leaflets
        key = self.output.stale(page.path, (page.key, tuple(web.items())))
        if key is None:
            return
        if page.text:
            text = page.text.replace(page.placeholder, WebFonts(web).css(page.faces), 1)
        else:
            text = page.render(WebFonts(web))
        self.output.store(page.path, key, text.encode("utf-8"))

    def remove_unlinked(self, site: Path) -> None:
        """Remove the subsets no page links: neither the pages of this build nor the other pages in ``site`` (the
        build folder or the release's: a build of some languages or documents leaves the others' pages), nor the
        review sheets (which link whole copies of the files)."""
        from polyleaf.pipeline.sheet_versions import REVIEW_DIR

        linked = set(self._linked)
        for page in [site / "index.html", *site.glob("*/*.html"), *(site / REVIEW_DIR).glob("*/*.html")]:
            if page not in self._pages and page.is_file() and not page.is_symlink() and not page.parent.is_symlink():
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    linked.update(unquote(name) for name in _LINKED.findall(page.read_text(encoding="utf-8")))
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name not in linked and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def _add(
    chars: dict[str, int], faces: dict[str, int], points: frozenset[int], asked: Sequence[FontFace], by: int
) -> None:
    for point in points:
        chars[chr(point)] = chars.get(chr(point), 0) + by
    for face in dict.fromkeys(asked):
        key = json.dumps(_face_key(face))
        faces[key] = faces.get(key, 0) + by


def _face_key(face: FontFace) -> list[str]:
    return [str(field) for field in astuple(face)]


def _face(fields: list[str]) -> FontFace:
    from polyleaf.render.fonts import FontFace

    family, path, *rest = fields
    return FontFace(family, Path(path), *rest)


def _known(entry: dict[str, object] | None) -> tuple[frozenset[int], tuple[FontFace, ...]] | None:
    """The characters and faces of a page rendered before from the same inputs; None when the cache has nothing
    (trustworthy and well formed) for them."""

    characters, faces = (None, None) if entry is None else (entry.get("characters"), entry.get("faces"))
    if not isinstance(characters, str) or not isinstance(faces, list) or not all(_strings(face, 6) for face in faces):
        return None
    found = tuple(_face(face) for face in faces)
    return frozenset(map(ord, characters)), found


def _strings(value: object, count: int) -> bool:
    return isinstance(value, list) and len(value) == count and all(isinstance(item, str) for item in value)
