"""完成时间 text → date in the plan's year, or a kind."""

from __future__ import annotations

import datetime as dt

import pytest

from pilot_docs.source.deadlines import cn_number, parse_deadline

CASES = [
    ("上半年前", "2009-06-30", "by"), ("年底前", "2009-12-31", "by"), ("10月", "2009-10-31", "by"),
    ("10月份", "2009-10-31", "by"), ("10月底前", "2009-10-31", "by"), ("6月底前", "2009-06-30", "by"),
    ("5月底前动工", "2009-05-31", "by"), ("9月投入使用", "2009-09-30", "by"), ("2023年6月底前", "2023-06-30", "by"),
    ("2月", "2009-02-28", "by"), ("十二月底", "2009-12-31", "by"), ("第三季度", "2009-09-30", "by"),
    ("二季度末", "2009-06-30", "by"), ("下半年", "2009-12-31", "by"), ("2009年6月30日", "2009-06-30", "by"),
    ("2009-07-15", "2009-07-15", "by"), ("2009.7.15", "2009-07-15", "by"), ("6-8月", "2009-08-31", "by"),
    ("2009年6月至2010年3月", "2010-03-31", "by"), ("3月上旬", "2009-03-10", "by"), ("11月中旬", "2009-11-20", "by"),
    ("７月底前", "2009-07-31", "by"), ("年内完成", "2009-12-31", "by"),
    ("2016年6底前", "2016-06-30", "by"), ("6底前", "2009-06-30", "by"), ("常态工作", None, "ongoing"),
    ("持续推进", None, "ongoing"), ("长期坚持", None, "ongoing"), ("每季度", None, "recurring"),
    ("每月上报", None, "recurring"), ("尽快", None, "unknown"), ("", None, "none"), (None, None, "none"),
]


@pytest.mark.parametrize("text,date,kind", CASES)
def test_deadline_text(text, date, kind) -> None:
    deadline, needs_year = parse_deadline(text, 2009)
    assert deadline.to_json() == {"text": text or "", "date": date, "kind": kind}
    assert needs_year is False


def test_excel_dates_keep_a_readable_text() -> None:
    deadline, _ = parse_deadline(dt.datetime(2009, 6, 30), 2009)
    assert deadline.to_json() == {"text": "2009年6月30日", "date": "2009-06-30", "kind": "by"}
    assert parse_deadline(dt.date(2010, 1, 5), None)[0].date == dt.date(2010, 1, 5)


def test_text_without_a_year_needs_one() -> None:
    deadline, needs_year = parse_deadline("10月底前", None)
    assert (deadline.kind, deadline.date, needs_year) == ("unknown", None, True)
    assert parse_deadline("2023年6月底前", None)[0].date == dt.date(2023, 6, 30)


def test_impossible_day_names_no_date() -> None:
    assert parse_deadline("2月30日", 2009)[0].kind == "unknown"


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十二", 12), ("二十一", 21), ("7", 7), ("甲", None)])
def test_chinese_numbers(text, value) -> None:
    assert cn_number(text) == value
