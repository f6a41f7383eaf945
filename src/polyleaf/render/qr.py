"""QR codes for printed leaflets (segno, a pure-Python encoder), as inline SVG: vector in the PDF, crisp at any
printer resolution, black on white.

Error correction level M at least (segno raises it when the symbol's size allows): a printed sheet gets folded,
creased and photocopied. The quiet zone (four modules) is part of the drawing, so the code scans whatever
surrounds it on the page.
"""

from __future__ import annotations

from markupsafe import Markup

#: Modules of white around the symbol, as the QR standard requires.
QUIET_ZONE = 4


def qr_svg(data: str) -> Markup:
    """``data`` (a URL) as an ``<svg>`` element sized by its ``viewBox`` alone: the stylesheet gives its size."""
    import segno

    code = segno.make_qr(data, error="m", boost_error=True)
    svg = code.svg_inline(border=QUIET_ZONE, dark="#000", light="#fff", omitsize=True, svgclass="qr-code")
    return Markup(svg)  # segno's own markup: paths and colours, no text of ``data``
