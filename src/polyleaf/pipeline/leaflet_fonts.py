"""The fonts of a build's leaflets: ``[leaflet] fonts`` checked, and what the fonts of a leaflet are by content
(the files a render stamp of a PDF or a web page's subsets hash)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf.cache import content_digest, user_store
from polyleaf.config.model import Config
from polyleaf.errors import ConfigError, RenderError
from polyleaf.formats import sets_fonts
from polyleaf.pipeline.manifest import file_sha256

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument
    from polyleaf.render.meta import LeafletMeta


#: The part of this user's cache folder that keeps font files' hashes (by each file's state).
HASHES = "font-hashes"
#: The most those take (a hash is a few hundred bytes; the oldest go first).
HASHES_BYTES = 2**20


def preferred_fonts(config: Config, formats: Sequence[str]) -> tuple[str, ...]:
    """``[leaflet] fonts`` checked, for ``formats`` that set text in fonts (HTML, PDF): family names as they are,
    font files as absolute paths inside the project."""
    from polyleaf.render.fonts import check_family, font_file_face, is_font_file

    if not sets_fonts(formats):
        return ()
    entries: list[str] = []
    root = config.root.resolve()
    for entry in config.leaflet.fonts:
        try:
            if not is_font_file(entry):
                entries.append(check_family(entry))
                continue
            path = (config.root / entry).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise RenderError(f"{entry}: no such font file in the project")
            font_file_face(path)
            entries.append(str(path))
        except RenderError as error:
            raise ConfigError(f"leaflet.fonts: {error.message}", config.config_file) from None
    return tuple(entries)


def pdf_inputs(localized: LocalizedDocument, meta: LeafletMeta) -> tuple[object, ...]:
    """What a leaflet's PDF is rendered from (its render stamp's key, with ``FontFiles.digest``): the fonts' files
    included."""
    from polyleaf.render.fonts import font_stack

    return (localized, meta, font_stack(localized.language, meta.fonts).faces)


class FontFiles:
    """What the fonts of a build's PDFs are, by content: the files it declares (``[leaflet] fonts``, the packaged
    Noto fonts) and the files fontconfig has for every family the leaflets name — so a font file edited in place,
    or a font installed that fontconfig now answers with, renders the PDFs again. Each file is hashed once (known by
    path, device, inode, size, modification and change times, as git knows a file unchanged: the change time is the
    kernel's), and its hash kept in this user's cache (``HASHES``, signed like every polyleaf cache: see
    ``polyleaf.cache``) for the next builds — a run after an edit hashed megabytes of font files; fontconfig is
    asked once."""

    def __init__(self, config: Config, fonts: tuple[str, ...]) -> None:
        self._languages = (config.source_language, *config.languages)
        self._fonts = fonts
        self._answer: dict[str, tuple[str, ...]] | None = None
        self._hashes: dict[str, str] = {}
        self._kept = user_store(HASHES, max_bytes=HASHES_BYTES)  # None where nothing can be cached
        self._digests: dict[tuple[str, tuple[str, ...]], str] = {}

    def digest(self, language: str, fonts: tuple[str, ...]) -> str:
        """One hash of every font file a leaflet in ``language`` may be set in, and of fontconfig's answer."""
        from polyleaf.render.fonts import families_of, font_stack, is_font_file

        if (language, fonts) not in self._digests:
            families = families_of([language], [entry for entry in fonts if not is_font_file(entry)])
            answer = self._fontconfig()
            found = {family: answer.get(family, ()) for family in families}
            declared = [str(face.path) for face in font_stack(language, fonts).faces]
            paths = [*declared, *(path for files in found.values() for path in files)]
            text = repr((sorted(found.items()), [(path, self.file_hash(path)) for path in dict.fromkeys(paths)]))
            self._digests[language, fonts] = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
        return self._digests[language, fonts]

    def _fontconfig(self) -> dict[str, tuple[str, ...]]:
        from polyleaf.render.fontconfig import fontconfig_answer
        from polyleaf.render.fonts import families_of, is_font_file

        if self._answer is None:
            named = [entry for entry in self._fonts if not is_font_file(entry)]
            self._answer = fontconfig_answer(families_of(self._languages, named))[0]
        return self._answer

    def file_hash(self, path: str) -> str:
        try:
            info = os.stat(path)
        except OSError as error:
            return f"unreadable: {error.errno}"
        state = (path, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        known = content_digest(repr(state))
        if known not in self._hashes:
            store = self._kept
            stored = None if store is None else store.lookup(known, known)
            digest = stored.get("file") if stored is not None else None
            if not isinstance(digest, str) or not digest:
                digest = file_sha256(Path(path))
                if store is not None and digest:
                    store.stage(known, known, {"file": digest})
                    store.commit()
            self._hashes[known] = digest
        return self._hashes[known]
