"""The command line's commands, by what they work on: ``leaflets`` (run, its steps, check, status, review sheets,
release verification), ``exchange`` (export, import), ``models`` and ``project`` (init, add-language); ``options``
holds what they share. ``polyleaf.cli`` gathers them into the ``polyleaf`` group.

Layer 9, the top: commands parse options, call the pipeline and print; no logic. Nothing below (the pipeline,
rendering, catalogs, configuration) may import this package.
"""
