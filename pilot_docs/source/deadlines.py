"""完成时间: turn deadline text as offices write it into a date in the plan's year, or a kind."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..model import Deadline

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

ONGOING = ("持续推进", "长期坚持", "长期", "持续", "常态化", "常态", "常抓不懈", "全年持续", "逐步推进")
RECURRING = ("每季度", "每月", "每年", "每半年", "每周", "每旬", "定期", "按季度", "按月", "逐月", "逐季")


def cn_number(text: str) -> int | None:
    """An integer written in Arabic digits or Chinese numerals up to 99 (十二 → 12), else None."""
    text = text.strip()
    if text.isdecimal():  # 12, full-width １２; not ² (a digit that int() refuses)
        return int(text) if len(text) <= 9 else None
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return None  # 十十, 一二十: not a number
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if len(text) > 9:
        return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_NUM = r"[0-9０-９一二三四五六七八九十两〇]{1,3}"
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# Checked in order; the first pattern that matches names the date. Ranges (6-8月) end at their last part,
# so patterns look for the last month mentioned.
_ISO = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_YEAR_MONTH_DAY = re.compile(rf"(?:(\d{{4}})年)?({_NUM})月({_NUM})[日号]")
_MONTH = re.compile(rf"(?:(\d{{4}})年)?({_NUM})月(?:份)?(上旬|中旬|下旬|初|中|底|末)?")
_QUARTER = re.compile(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度")
_HALF = re.compile(r"(?:(\d{4})年)?(上|下)半年")
_YEAR_END = re.compile(r"(?:(\d{4})年)?(?:年底|年末|年内|全年|今年|本年度|年度内)")
_YEAR_END_AFTER_YEAR = re.compile(r"(\d{4})年(底|末|内)")
_MONTH_WORD_LEFT_OUT = re.compile(r"(^|年)(1[0-2]|0?[1-9])(底|末|上旬|中旬|下旬)")
_YEAR_ONLY = re.compile(r"(\d{4})年(?:底|末|内|前)?")


def parse_deadline(value: object, year: int | None) -> tuple[Deadline, bool]:
    """The deadline for a cell value; the flag says the text needed a year and none was known."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Deadline(text="", kind="none"), False
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Deadline(text=f"{value.year}年{value.month}月{value.day}日", date=value, kind="by"), False
    text = " ".join(str(value).split())
    date, needs_year = _date_in(text.translate(_FULL_DIGITS), year)
    schedule = milestones(text, year)
    if schedule:  # a schedule's deadline is its last milestone
        date = schedule[-1][0]
    if date is not None:
        return Deadline(text=text, date=date, kind="by"), False
    squeezed = text.replace(" ", "")
    if any(word in squeezed for word in RECURRING):
        return Deadline(text=text, kind="recurring"), False
    if any(word in squeezed for word in ONGOING):
        return Deadline(text=text, kind="ongoing"), False
    return Deadline(text=text, kind="unknown"), needs_year


def _date_in(text: str, year: int | None) -> tuple[dt.date | None, bool]:
    """The last date the text names, resolved in the plan's year; (None, True) when a year was needed."""
    text = _MONTH_WORD_LEFT_OUT.sub(r"\1\2月\3", text.replace(" ", ""))  # 2016年6底前: 月 left out
    text = _YEAR_END_AFTER_YEAR.sub(r"\1年年\2", text)  # 2024年底前 is 2024's year end
    try:
        found = _ISO.findall(text)
        if found:
            y, m, d = found[-1]
            return dt.date(int(y), int(m), int(d)), False
        found = _YEAR_MONTH_DAY.findall(text)
        if found:
            y, m, d = found[-1]
            month, day = cn_number(m), cn_number(d)
            if month and day:
                yy = int(y) if y else year
                return (dt.date(yy, month, day), False) if yy else (None, True)
        found = _MONTH.findall(text)
        if found:
            y, m, part = found[-1]
            month = cn_number(m)
            if month and 1 <= month <= 12:
                yy = int(y) if y else _year_before(text, year)
                if not yy:
                    return None, True
                if part == "上旬" or part == "初":
                    return dt.date(yy, month, 10), False
                if part in ("中旬", "中"):
                    return dt.date(yy, month, 20), False
                return _month_end(yy, month), False
        found = _QUARTER.findall(text)
        if found:
            y, q = found[-1]
            quarter = cn_number(q) or 0
            yy = int(y) if y else year
            return (_month_end(yy, quarter * 3), False) if yy else (None, True)
        found = _HALF.findall(text)
        if found:
            y, half = found[-1]
            yy = int(y) if y else year
            if not yy:
                return None, True
            return (dt.date(yy, 6, 30) if half == "上" else dt.date(yy, 12, 31)), False
        found = _YEAR_END.findall(text)
        if found:
            yy = int(found[-1]) if found[-1] else year
            return (dt.date(yy, 12, 31), False) if yy else (None, True)
        found = _YEAR_ONLY.findall(text)
        if found:
            return dt.date(int(found[-1]), 12, 31), False
    except ValueError:  # a day that does not exist, such as 2月30日
        return None, False
    return None, False


def _year_before(text: str, year: int | None) -> int | None:
    """The year written before the last month of a range such as 2009年6月至8月, else the plan's year."""
    years = re.findall(r"(\d{4})年", text)
    return int(years[-1]) if years else year


def impossible_date(value: object) -> str | None:
    """Why deadline text names a date that does not exist (13月, 2月30日, 6月31日), or None."""
    if not isinstance(value, str):
        return None
    text = value.translate(_FULL_DIGITS).replace(" ", "")
    for y, m, d in _ISO.findall(text):
        if not 1 <= int(m) <= 12:
            return f"month {int(m)} does not exist"
        if not 1 <= int(d) <= calendar.monthrange(int(y), int(m))[1]:
            return f"{int(y)}-{int(m)} has no day {int(d)}"
    for m in re.finditer(rf"(?:(\d{{4}})年)?({_NUM})月(?:({_NUM})[日号])?", text):
        month = cn_number(m.group(2))
        if month is None:
            continue
        if not 1 <= month <= 12:
            return f"{m.group(0)} names month {month}, which does not exist"
        if m.group(3):
            day = cn_number(m.group(3))
            year = int(m.group(1)) if m.group(1) else 2000  # a leap year: 2月29日 without a year is possible
            if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
                return f"{m.group(0)} names a day that month does not have"
    return None


def written_years(value: object) -> list[int]:
    """The years a deadline text writes out (2024年底前 → [2024]); an Excel date gives its own year."""
    if isinstance(value, (dt.date, dt.datetime)):
        return [value.year]
    if not isinstance(value, str):
        return []
    text = value.translate(_FULL_DIGITS)
    return [int(y) for y in re.findall(r"((?:19|20|21)\d{2})\s*(?:年|[-./]\s*\d{1,2}\s*[-./]\s*\d)", text)]


_SEGMENT = re.compile(r"[；;\n。]+")


def milestones(value: object, year: int | None) -> list[tuple[dt.date, str]]:
    """The (date, text) of each milestone of a schedule cell (3月底前完成…；9月底前…；年底前…), in order, when
    it names two or more dates; [] for a plain deadline."""
    if not isinstance(value, str):
        return []
    found: list[tuple[dt.date, str]] = []
    for segment in _SEGMENT.split(value):
        segment = " ".join(segment.split()).strip("，,、 ")
        if not segment:
            continue
        date, _ = _date_in(segment.translate(_FULL_DIGITS), year)
        written = re.findall(r"(\d{4})年", segment.translate(_FULL_DIGITS))
        year = int(written[-1]) if written else year  # 2021年3月底前…；9月底前…: 9月 is 2021's
        if date is not None:
            found.append((date, segment))
        elif found:  # text without a date belongs to the milestone before it
            found[-1] = (found[-1][0], f"{found[-1][1]}；{segment}")
    return found if len(found) >= 2 else []


_IN_CONTENT = re.compile(rf"(?:\d{{4}}年)?(?:{_NUM}月(?:{_NUM}[日号])?(?:上旬|中旬|下旬|底|末|份)?|年底|年末|上半年|下半年|"
                         rf"(?:第)?[一二三四1-4]季度(?:末)?)(?:前|以前|之前)|"
                         rf"(?<=于)(?:\d{{4}}年)?{_NUM}月(?:{_NUM}[日号])?(?:上旬|中旬|下旬|底|末|份)?"
                         rf"(?=(?:前|以前|之前)?(?:完工|完成|建成|竣工|投用|投入使用|交付))")


def deadline_in_content(text: str) -> str | None:
    """The deadline that content text writes out (2021年2月底前完成… → 2021年2月底前), or None."""
    found = _IN_CONTENT.findall(text.translate(_FULL_DIGITS).replace(" ", ""))
    return found[-1] if found else None
