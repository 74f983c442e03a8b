"""The models are the contract: shapes they accept, what they normalise, how settings merge."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from jianbao.model import Bulletin, IssueFile, Item, SeriesFile


def issue(**kw) -> IssueFile:
    return IssueFile.model_validate({"number": 1, "date": dt.date(2024, 5, 13), **kw})


def test_a_string_stands_for_a_one_element_list():
    i = issue(body="导语。", note="按语。", title="标题", sections=[{"title": "动态", "body": "正文。"}])
    assert i.body == ["导语。"] and i.note == ["按语。"] and i.title == ["标题"]
    assert i.sections[0].body == ["正文。"]


def test_items_are_strings_or_mappings_at_any_depth():
    i = issue(sections=[{"title": "一", "items": ["甲", {"lead": "乙。", "body": "文", "items": [
        {"title": "丙", "items": ["丁"]}]}]}])
    items = i.sections[0].items
    assert items[0] == "甲" and isinstance(items[1], Item)
    assert items[1].items[0].title == "丙" and items[1].items[0].items == ["丁"]


@pytest.mark.parametrize("section", [{"title": "a", "lead": "b"}, {"body": "只有正文"}])
def test_a_section_has_exactly_one_heading(section):
    with pytest.raises(ValidationError, match="jb_heading_kind|title"):
        issue(sections=[section])


def test_an_item_needs_some_text():
    with pytest.raises(ValidationError):
        issue(sections=[{"title": "a", "items": [{}]}])


def test_unknown_keys_are_refused_everywhere():
    for bad in ({"nubmer": 1}, {"period": {"start": "2024-05-06", "end": "2024-05-10", "middle": 1}},
                {"sections": [{"title": "a", "itmes": []}]}):
        with pytest.raises(ValidationError, match="extra"):
            issue(**bad)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-05-13", dt.date(2024, 5, 13)), ("2024/5/13", dt.date(2024, 5, 13)),
    ("2024年5月13日", dt.date(2024, 5, 13)), (dt.datetime(2024, 5, 13), dt.date(2024, 5, 13)),
])
def test_unambiguous_dates_are_accepted(value, expected):
    assert issue(date=value).date == expected


@pytest.mark.parametrize("value", [20240513, "13/05/2024", "2024-02-30", dt.datetime(2024, 5, 13, 9, 30), True])
def test_ambiguous_or_impossible_dates_are_refused(value):
    with pytest.raises(ValidationError):
        issue(date=value)


def test_issue_overrides_series_keys_whole():
    series = SeriesFile(name="动态", editor="中心", copies=10, distribution={"报": ["甲"], "发": "乙。"})
    i = issue(copies=3, distribution={"送": ["丙"]}, separator="、")
    b = Bulletin.merge(series, i)
    assert b.series.copies == 3
    assert b.series.distribution == {"送": ["丙"]}  # replaced, not merged
    assert b.series.separator == "、" and b.series.name == "动态"
    assert Bulletin.merge(series, issue()).series.copies == 10
    assert Bulletin.merge(series, issue()).series.layout == "gbt9704"


def test_series_needs_name_and_editor():
    with pytest.raises(ValidationError) as exc:
        SeriesFile.model_validate({"name": "动态"})
    assert exc.value.errors()[0]["loc"] == ("editor",)
