import datetime as dt

from jianbao.dates import cn_date, cn_range


def test_no_zero_padding():
    assert cn_date(dt.date(2024, 5, 3)) == "2024年5月3日"
    assert cn_date(dt.date(2024, 5, 13), year=False) == "5月13日"


def test_range_uses_the_em_dash_and_repeats_the_month():
    assert cn_range(dt.date(2024, 4, 29), dt.date(2024, 4, 30)) == "4月29日\u20144月30日"
    assert cn_range(dt.date(2024, 4, 29), dt.date(2024, 5, 3)) == "4月29日—5月3日"


def test_range_across_years_repeats_the_year():
    assert cn_range(dt.date(2023, 12, 25), dt.date(2024, 1, 5)) == "2023年12月25日—2024年1月5日"


def test_one_day_range():
    assert cn_range(dt.date(2024, 5, 6), dt.date(2024, 5, 6)) == "5月6日"
