"""Exchange with CAT tools: catalogs as XLIFF 2.0, XLIFF 1.2 and TMX 1.4, the glossary as TBX-Basic; XLIFF and TMX
read back.

The format modules (``xliff``, ``xliff12``, ``tmx``, ``tbx``) turn plain values into bytes and bytes into plain
values; which catalogs are exported is ``polyleaf.pipeline.exchange``, how imports are merged into PO files
``polyleaf.pipeline.importing``; the rules an import follows (never replace a reviewed translation unless the file
says *final*) are ``imports.apply_to``.

Values shared by the formats live in ``model``: what is exported of an entry (``ExportEntry``), what a file says
of one translation (``ImportedUnit``), the stable unit id, and language tags (BCP 47 in files, Babel's in polyleaf).

It builds on ``catalog`` (states, import kinds); it never imports ``render``, ``execution``, ``pipeline`` or the CLI.
"""
