"""Catalogs with gettext's semantics: templates, the msgmerge-style update, imported translations, translation
memory and the states a translation is in.

It builds on ``po`` (the file format) and ``qa`` (the notes QA leaves); it never imports ``mt``, ``render``,
``execution``, ``pipeline`` or the CLI.
"""
