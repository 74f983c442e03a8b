"""Text metrics without a renderer: how wide a line of text is, and the size at which it fits.

The renderer uses these to shrink the masthead name and the editor line to one line, and the
lint (:mod:`jianbao.check`) uses the same arithmetic to warn when a name will not fit; so this
module imports nothing heavy (no lxml, no python-docx) and ``jianbao check`` stays fast.
"""

from __future__ import annotations

from .units import pt_to_twips


def is_wide(c: str) -> bool:
    """Whether *c* takes a full em: CJK ideographs and punctuation, full-width forms, dashes."""
    o = ord(c)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x2010 <= o <= 0x2027 or 0x20000 <= o <= 0x3FFFF)


def has_cjk(text: str) -> bool:
    return any(is_wide(c) for c in text)


def em_width(text: str) -> float:
    """Approximate width of *text* in ems: CJK and full-width characters 1, others ½."""
    return sum(1.0 if is_wide(c) else 0.5 for c in text)


def fit_size(text: str, sizes: list[float], width_twips: int, spacing_twips: int = 0,
             extra_em: float = 0) -> float | None:
    """The first size in *sizes* at which *text* fits on one line of *width_twips*, else None."""
    n = len(text)
    for size in sizes:
        need = pt_to_twips((em_width(text) + extra_em) * size) + spacing_twips * max(0, n - 1)
        if need <= width_twips:
            return size
    return None


def split_balanced(text: str) -> str:
    """Break *text* into two lines of nearly equal width (for masthead names too long for one)."""
    total = em_width(text)
    acc, cut = 0.0, len(text)
    for i, c in enumerate(text):
        acc += em_width(c)
        if acc >= total / 2:
            cut = i + 1
            break
    return text[:cut] + "\n" + text[cut:]
