"""Table arithmetic shared by the stages: cells as printed text, numbers in cells, column sums.

:mod:`jianbao.resolve` finishes tables with it (the computed 合计 row), :mod:`jianbao.check_figures`
checks typed totals with it, and the docx writer aligns numeric columns with it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .figures.values import num

#: Words that label a total row of a table.
TOTAL_LABELS = ("合计", "总计")
TOTAL_LABEL = "合计"

# --- tables ------------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANK = ("", "—", "-", "－", "/", "／")


def cell_text(value: Any) -> str:
    """A table cell as printed."""
    if value is None:
        return ""
    if isinstance(value, bool):  # pragma: no cover - the model refuses booleans
        return str(value)
    if isinstance(value, (int, float)):
        return num(value)
    return value


def cell_number(text: str) -> Decimal | None:
    """The number a printed cell holds (“1,234”, “12.5”), else None."""
    t = text.strip()
    if not _NUMERIC.match(t):
        return None
    return Decimal(t.replace(",", "").replace("−", "-"))


def is_blank(text: str) -> bool:
    return text.strip() in _BLANK


def is_breakdown(row: list[str]) -> bool:
    """A row that repeats part of the rows around it (“小计”, “其中：网上受理”): not summed."""
    first = row[0].strip() if row else ""
    return "小计" in first or first.startswith("其中")


def column_sums(rows: list[list[str]], columns: int) -> list[tuple[Decimal, int, bool] | None]:
    """For each column after the first: (sum, decimals, grouped) when every non-blank cell is a
    number, else None.  Breakdown rows (小计, 其中……) are left out of the sum."""
    out: list[tuple[Decimal, int, bool] | None] = [None]
    rows = [r for r in rows if not is_breakdown(r)]
    for c in range(1, columns):
        cells = [r[c] for r in rows if c < len(r) and not is_blank(r[c])]
        found = [cell_number(t) for t in cells]
        numbers = [n for n in found if n is not None]
        if not cells or len(numbers) < len(found):
            out.append(None)
            continue
        decimals = max(max(0, -int(n.as_tuple().exponent)) for n in numbers)
        out.append((sum(numbers, Decimal(0)), decimals, any("," in t for t in cells)))
    return out


def format_sum(total: Decimal, decimals: int, grouped: bool) -> str:
    q = total.quantize(Decimal(1).scaleb(-decimals))
    return f"{q:,f}" if grouped else f"{q:f}"
