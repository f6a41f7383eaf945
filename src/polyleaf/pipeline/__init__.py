"""The only package that composes stages: parse → extract → update → translate → check → build.

The CLI calls its modules: ``runner`` (``run``, the main job; ``report`` is what a command did), ``review``
(``check``, ``status``), ``models`` (argos packages, CTranslate2 model folders). Each reads everything it needs
first (so a bad PO or source file stops the run before anything is written), computes the new file contents, then
writes them atomically — only the files whose content really changed.

One module per concern: ``sources`` (parse, extract), ``catalogs`` (read and update the PO files, in memory),
``translate`` (translation memory, saving PO files safely), ``mt_tasks`` (machine translation as tasks of an
executor), ``journal`` (MT checkpoints), ``build`` (leaflets, release, manifest), ``release`` (a release built
aside and swapped in whole; ``verify-release``), ``review`` (QA, release readiness, status), ``segment_cache``,
``po_cache`` and ``qa_cache`` (what a re-run need not compute again, in ``build/.cache``), ``run_record`` (a run
with nothing to do: the project is as the last run left it).

It may import every layer below it (``execution``, ``render``, ``catalog``, ``mt`` …); nothing below imports it.
"""
