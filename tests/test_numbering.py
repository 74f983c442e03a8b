import pytest

from jianbao.numbering import cn_numeral, marker, typed_numeral


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
     (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"), (1010, "一千零一十"), (10001, "一万零一")],
)
def test_cn_numeral(n, text):
    assert cn_numeral(n) == text


def test_markers_for_the_four_levels_past_ten():
    assert [marker(level, 11) for level in (1, 2, 3, 4)] == ["十一、", "（十一）", "11.", "（11）"]
    assert marker(1, 1) == "一、" and marker(3, 2) == "2."


def test_no_fifth_level():
    with pytest.raises(ValueError):
        marker(5, 1)


@pytest.mark.parametrize("text", ["（一）本周", "(二)本周", "一、本周", "十二、本周", "一.本周", "1.本周", "1、本周",
                                  "（1）本周", "(3)本周", "①本周"])
def test_typed_numerals_are_found(text):
    assert typed_numeral(text)


@pytest.mark.parametrize("text", ["本周（一）", "一是加强", "12345热线", "1.5万人次", "2024年", "4月29日，", "一体化平台"])
def test_ordinary_text_is_not_a_numeral(text):
    assert typed_numeral(text) is None
