"""Generated numbering: 一、 / （一） / 1. / （1）, and Chinese numerals past ten.

Staff never type these; :func:`marker` makes them and the lint in :mod:`jianbao.check`
reports text that starts with a hand-typed one.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_UNITS = ["", "十", "百", "千"]

#: Highest level the bulletin format has (一、 （一） 1. （1）).
MAX_LEVEL = 4


def cn_numeral(n: int) -> str:
    """Chinese numeral for 0 ≤ n < 100 000 000, as used in headings: 11 → 十一, 20 → 二十, 105 → 一百零五."""
    if n < 0:
        raise ValueError("negative numbers have no heading numeral")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = "" if low == 0 else (("零" if low < 1000 else "") + _below_10k(low))
        return cn_numeral(high) + "万" + rest
    return _below_10k(n)


def _below_10k(n: int) -> str:
    out: list[str] = []
    digits = str(n)
    width = len(digits)
    zero = False
    for i, ch in enumerate(digits):
        d = int(ch)
        unit = _UNITS[width - 1 - i]
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(_DIGITS[d] + unit)
    return "".join(out)


def marker(level: int, n: int) -> str:
    """The number printed before an item: level 1 一、 · 2 （一） · 3 1. · 4 （1）."""
    if level == 1:
        return f"{cn_numeral(n)}、"
    if level == 2:
        return f"（{cn_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"level {level} is beyond the four levels of a bulletin")


_CN = "一二三四五六七八九十百零〇"
#: Text that starts with a hand-typed heading number, in any of the usual (right or wrong) forms.
TYPED_NUMERAL = re.compile(
    rf"^\s*(?:"
    rf"[（(]\s*[{_CN}]+\s*[）)]"  # （一） (一)
    rf"|[{_CN}]+\s*[、.．,，]"  # 一、 一. 一，
    rf"|[（(]\s*\d{{1,3}}\s*[）)]"  # （1） (1)
    rf"|\d{{1,3}}\s*[、．,，]"  # 1、 1． 1，
    rf"|\d{{1,3}}\.(?!\d)"  # 1.  (but not 1.5万)
    rf"|[①②③④⑤⑥⑦⑧⑨⑩]"
    rf")"
)


def typed_numeral(text: str) -> str | None:
    """The hand-typed numeral at the start of *text*, if any ("（一）", "1、" …)."""
    m = TYPED_NUMERAL.match(text)
    return m.group().strip() if m else None
