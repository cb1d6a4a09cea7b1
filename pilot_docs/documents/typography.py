"""Chinese typography for rendered text: full-width punctuation, 〔〕 in document numbers, dates as 2009年6月30日."""

from __future__ import annotations

import datetime as dt
import re

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》"
_IS_CJK = re.compile(f"[{_CJK}]")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT = re.compile(r"[ \t]*([,;:?!])[ \t]*")
_PAREN = re.compile(r"\(([^()]*)\)")
_DOC_NUMBER = re.compile(r"[\[【（(〔［]\s*((?:19|20)\d{2})\s*[\]】）)〕］]")


def _cjk_near(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return bool(_IS_CJK.match(before) or _IS_CJK.match(after))


def cn_text(text: str) -> str:
    """Half-width , ; : ? ! and ( ) beside Chinese text become full-width; numbers such as 1,000 or 8:30 stay."""
    if not text or not _IS_CJK.search(text):
        return text

    def punct(m: re.Match[str]) -> str:
        mark = m.group(1)
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isdigit() and after.isdigit() and mark in ",:":
            return m.group(0)
        if _cjk_near(text, m.start(), m.end()):
            return _FULL[mark]
        return m.group(0)

    text = _PUNCT.sub(punct, text)

    def paren(m: re.Match[str]) -> str:
        if _IS_CJK.search(m.group(1)) or _cjk_near(text_now, m.start(), m.end()):
            return f"（{m.group(1)}）"
        return m.group(0)

    for _ in range(3):  # nested brackets, innermost first
        text_now = text
        new = _PAREN.sub(paren, text)
        if new == text:
            break
        text = new
    return text


def doc_number(text: str) -> str:
    """A document number with its year in 六角括号: ××委[2009]5号 → ××委〔2009〕5号."""
    return _DOC_NUMBER.sub(lambda m: f"〔{m.group(1)}〕", " ".join(text.split()))


def cn_date(value: dt.date | None) -> str:
    """A date as official documents write it: 2009年6月30日 (Arabic numerals, no leading zeros)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_list(names: list[str]) -> str:
    """Names joined with 、 as in Chinese prose; a name that itself holds 、 (各市、区人民政府) is set off with ，."""
    out = ""
    for n, name in enumerate(names):
        if n:
            out += "，" if "、" in name or "、" in names[n - 1] else "、"
        out += name
    return out
