"""Imported by the fork server that starts polyleaf's worker processes, when a run renders PDFs: WeasyPrint is
imported there once, and every worker forked from it starts with it (its import is slow, and a worker that renders
PDFs is replaced now and then). Its import creates no thread, so forking after it is safe. Nothing
else imports this module."""

import contextlib

with contextlib.suppress(ImportError, OSError):  # without Pango, the workers report it when they render
    import weasyprint  # noqa: F401
