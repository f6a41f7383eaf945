"""Where a run's heavy tasks execute: inline, on a local pool of worker processes, or on a Dask cluster.

It knows tasks and engines, never a stage: ``pipeline`` hands it work, it never imports ``pipeline``.
"""
