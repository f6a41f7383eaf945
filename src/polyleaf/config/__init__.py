"""The project's configuration: ``polyleaf.toml`` or ``[tool.polyleaf]`` of ``pyproject.toml``, read once, at the
edge, into one frozen ``model.Config``.

Every key is validated here, with its type and range: a wrong value or an unknown key (a typo such as ``beem``)
is one line naming the key and its line in the file, exit code 2 — never a traceback, never silently ignored.

Paths are confined to the project root: a content repository is untrusted input, so ``source_dir``,
``locales_dir``, ``build_dir``, ``disclaimer`` and ``glossary`` must resolve (symlinks included) inside it. A path
deliberately kept elsewhere is allowed only when its key is listed in ``outside_root`` (e.g.
``outside_root = ["build_dir"]`` to publish into a web server's folder); every run names such paths.

``model`` holds ``Config`` and ``load_config``; ``reader`` the typed values every table is read with; ``leaflet``,
``mt`` and ``sections`` one table (or a few small ones) each. This package is layer 2: it imports only the foundation
(errors, fsio, jsonio, clock, progress, invisible, locale, terms, cache, glossary), never po/, catalog/, the
pipeline or the command line.
"""
