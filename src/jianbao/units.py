"""Units, in one place.  OOXML lengths are twips (1/20 pt) in paragraph and table properties,
eighths of a point in borders, half-points in font sizes, hundredths of a character in ``*Chars``
indents and EMU (1/914 400 inch) in drawings; the preset writes lengths in twips and sizes in
points."""

from __future__ import annotations

TWIPS_PER_POINT = 20
TWIPS_PER_INCH = 1440
MM_PER_INCH = 25.4
EMU_PER_TWIP = 635
#: ``w:firstLineChars`` and friends count hundredths of a character.
CHAR_HUNDREDTHS = 100


def pt_to_twips(pt: float) -> float:
    return pt * TWIPS_PER_POINT


def twips_to_emu(twips: float) -> int:
    return round(twips * EMU_PER_TWIP)


def twips_to_mm(twips: float) -> float:
    return twips / TWIPS_PER_INCH * MM_PER_INCH


def chars(n: float) -> int:
    """*n* characters in the hundredths that ``w:firstLineChars`` and ``w:leftChars`` take."""
    return round(n * CHAR_HUNDREDTHS)
