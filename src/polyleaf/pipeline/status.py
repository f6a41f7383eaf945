"""``polyleaf status``: each catalog's counts and release readiness, and ``build/status.html``.

While the project is exactly as the last ``polyleaf run`` left it (``RunRecord.left_as_is``: every file's times,
the code, the configuration; on any day, since the rows have no date), the rows are those that run recorded in the
library and the page is the one it wrote: nothing is read or checked again. Otherwise the rows are computed from
the files (``status_rows``: every catalog read, merged and checked; a minute at 128 × this repository's articles)
and the page written.
"""

from __future__ import annotations

import contextlib

from polyleaf.config.model import Config
from polyleaf.errors import LockError
from polyleaf.fsio import project_lock
from polyleaf.pipeline.build import DRAFT
from polyleaf.pipeline.dashboard import write_status_page
from polyleaf.pipeline.incremental import run_record
from polyleaf.pipeline.library import Library
from polyleaf.pipeline.readiness import StatusRow, status_rows
from polyleaf.pipeline.sources import ALL_STEPS, EVERYTHING, Selection, source_paths
from polyleaf.project import DISCLAIMER, INTERFACE


def status(config: Config, selection: Selection = EVERYTHING) -> list[StatusRow]:
    """Counts per language and catalog as they would be after ``update``, with release readiness.

    Nothing is changed but ``build/status.html`` (every language and document, whatever ``selection``), written
    holding the project lock; while a run holds it, that run rewrites the page when it ends.
    """
    if not selection.documents:
        recorded = recorded_rows(config, selection.languages_of(config))
        if recorded is not None:
            return recorded
    rows = status_rows(config, selection)
    with contextlib.suppress(LockError), project_lock(config.root, config.written_folders):
        write_status_page(config, rows if selection == EVERYTHING else status_rows(config))
    return rows


def recorded_rows(config: Config, languages: tuple[str, ...]) -> list[StatusRow] | None:
    """The rows of ``languages`` as the last run of everything recorded them, in the order ``status_rows`` gives
    (each language's catalogs, then the orphans; the languages in the order asked for), when the project is as
    that run left it; else None."""
    since = run_record(config, ALL_STEPS, EVERYTHING, DRAFT).left_as_is()
    library = None if since is None else Library.load(config, since, warned=True)
    if library is None:
        return None
    current = {DISCLAIMER, INTERFACE, *(path.stem for path in source_paths(config))}
    order = {language: index for index, language in enumerate(dict.fromkeys(languages))}  # as asked: "ar", "es"
    chosen = sorted(
        (row for (language, _name), row in library.rows().items() if language in order),
        key=lambda row: order[row.language],
    )
    return [row for row in chosen if row.document in current] + [row for row in chosen if row.document not in current]
