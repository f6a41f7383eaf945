"""The PO file format as GNU gettext reads and writes it: entries, the reader, string escapes, headers, line
breaking, format directives and polyleaf's own data-carrying comments.

This layer knows files, not projects: it never imports ``catalog``, ``source``, ``mt``, ``render``, ``pipeline`` or the
CLI.
"""
