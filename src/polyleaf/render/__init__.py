"""Renderers: localized text/Markdown (skeleton-preserving), HTML leaflet, PDF, index and status pages.

Renderers take a ``polyleaf.localize.LocalizedDocument`` (what each segment shows, in which language, reviewed or
not) and a small ``LeafletMeta`` record (``meta``); they never touch PO files or the source parser.
"""
