"""The report's fonts: Bitstream Vera, the TrueType family ReportLab ships, registered once and embedded (subset) in
every PDF, so a report prints the same on any machine and needs no system fonts."""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

BODY_FONT = "Vera"
BOLD_FONT = "Vera-Bold"

pdfmetrics.registerFont(TTFont(BODY_FONT, "Vera.ttf"))
pdfmetrics.registerFont(TTFont(BOLD_FONT, "VeraBd.ttf"))
pdfmetrics.registerFont(TTFont("Vera-Italic", "VeraIt.ttf"))
pdfmetrics.registerFont(TTFont("Vera-BoldItalic", "VeraBI.ttf"))
addMapping(BODY_FONT, 0, 0, BODY_FONT)
addMapping(BODY_FONT, 1, 0, BOLD_FONT)
addMapping(BODY_FONT, 0, 1, "Vera-Italic")
addMapping(BODY_FONT, 1, 1, "Vera-BoldItalic")
