"""What every document shares: the Document record, the plan's part of a context, Chinese ordinals, parts.

Text from the workbook and config is normalized here and in each kind's module (full-width punctuation, 〔〕,
Chinese dates), so the templates only lay it out. Nothing in documents/ knows about HTML, DOCX or PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Model
from .typography import cn_date, cn_text, doc_number

CN_DIGITS = "零一二三四五六七八九"
CN_ORDINALS = "一二三四五六七八九十"  # 1..10, for templates that index it


def _cn_below_10000(n: int) -> str:
    """1..9999 in Chinese numerals: 一百零一, 一千零一十, 三千二百."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + CN_DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


PART_ROWS = 600  # table rows in one part of a long document, about 40 pages (see render/parts.py)


def in_parts(things: list, weight: Callable[[Any], int] = lambda _: 1, limit: int = PART_ROWS) -> list[list]:
    """Consecutive runs of `things`, each weighing at most `limit` (a heavier single thing is a run of its own):
    a long document puts each run after the first in a <section class="part">, which begins on a new page and
    is laid out on its own, so that memory stays bounded. A short document is one run: its layout is unchanged."""
    runs: list[list] = [[]]
    total = 0
    for thing in things:
        w = weight(thing)
        if runs[-1] and total + w > limit:
            runs.append([])
            total = 0
        runs[-1].append(thing)
        total += w
    return runs


def cn_ordinal(n: int) -> str:
    """A positive number in Chinese numerals, for headings 一、 and （一）: 1 → 一, 12 → 十二, 21 → 二十一,
    101 → 一百零一, 1010 → 一千零一十, 20003 → 二万零三. Zero and negatives stay in Arabic digits."""
    if n <= 0:
        return str(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        return cn_ordinal(high) + "万" + (("零" if low < 1000 else "") + _cn_below_10000(low) if low else "")
    text = _cn_below_10000(n)
    return text[1:] if 10 <= n < 20 else text  # 十二, not 一十二


@dataclass
class Document:
    """One document to produce: its kind, template, file stem, the agency it is for, and what it says."""

    kind: str  # "annex" | "letter"
    template: str
    stem: str  # file name without extension, before sanitizing
    agency: str | None
    context: dict[str, Any] = field(default_factory=dict)
    landscape: bool = False


# What a document shows where the config leaves out a field it cannot do without (check and build warn about
# each, naming the key): visible, so that nobody sends a letter with a blank masthead or a made-up date.
PLACEHOLDERS = {"issuer": "××××××", "issuer_mark": "××××××文件", "doc_number": "〔　〕号",
                "date": "××××年××月××日"}


TABLE_WORDS = re.compile(r"(?:工作)?(?:任务)?(?:责任)?(?:分解|分工)?(?:表|清单|台账)$")


def subject_of(title: str) -> str:
    """What a table is about, from its title: 2024年××县城乡环境整治重点工作任务分解表 → 2024年××县城乡环境整治重点
    工作 (for titles such as 关于落实…任务分工的通知 when the config names no programme)."""
    stripped = TABLE_WORDS.sub("", title.strip())
    stripped = stripped or title.strip()
    return stripped + "工作" if stripped and not stripped.endswith(("工作", "任务", "事项", "项目", "实事")) else stripped


def plan_context(model: Model) -> dict[str, Any]:
    """What every document shows of the plan: issuer, number, dates, 抄送, 组织领导 (placeholders for what the
    config does not say)."""
    extra = model.plan.extra
    year = model.plan.year
    date = extra.get("date")
    issuer = cn_text(model.plan.issuer or extra.get("office", ""))
    return {
        "title": cn_text(model.plan.title),
        "name": cn_text(extra.get("name", "")),  # the programme's document, quoted in 《》 where it is set
        "subject": cn_text(extra.get("name") or subject_of(model.plan.title)),  # what the work is about
        "year": year,
        "issuer": issuer or PLACEHOLDERS["issuer"],
        "issuer_mark": cn_text(extra.get("issuer_mark") or (issuer + "文件" if issuer else PLACEHOLDERS["issuer_mark"])),
        "office": cn_text(extra.get("office", issuer)) or PLACEHOLDERS["issuer"],
        "doc_number": doc_number(extra.get("doc_number", "")) or PLACEHOLDERS["doc_number"],
        "date": cn_date(date) if date else PLACEHOLDERS["date"],
        "print_date": cn_date(extra.get("print_date") or date) if (extra.get("print_date") or date)
        else PLACEHOLDERS["date"],
        "cc": [cn_text(c) for c in extra.get("cc", [])],
        "leadership": [{"heading": cn_text(e.get("heading", "")), "text": cn_text(e["text"])}
                       for e in extra.get("leadership", [])],
    }
