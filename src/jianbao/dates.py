"""Dates the way a bulletin prints them: 2024年5月13日, 4月29日—4月30日 (no zero padding)."""

from __future__ import annotations

import datetime as dt

DASH = "\u2014"  # 一字线, used for ranges (GB/T 15834-2011)


def cn_date(d: dt.date, *, year: bool = True) -> str:
    """2024年5月13日 (or 5月13日 without the year)."""
    md = f"{d.month}月{d.day}日"
    return f"{d.year}年{md}" if year else md


def cn_range(start: dt.date, end: dt.date) -> str:
    """4月29日—4月30日; across years both sides carry the year: 2023年12月25日—2024年1月5日."""
    if start == end:
        return cn_date(start, year=False)
    both_years = start.year != end.year
    return f"{cn_date(start, year=both_years)}{DASH}{cn_date(end, year=both_years)}"
