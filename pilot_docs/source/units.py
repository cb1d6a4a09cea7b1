"""责任单位: split a cell of unit names the way offices type them, without breaking a registered name."""

from __future__ import annotations

import re

SEPARATORS = "、，,；;"
_SPLIT = re.compile(r"[、，,；;\s]+")
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕"}
# 各市、区人民政府 and 各县、市、区: a short place word before 、 belongs to the name that follows.
_PLACE_PREFIX = re.compile(r"^各?[\u4e00-\u9fff]?[市区县镇乡]$")
_ROLE_MARK = re.compile(r"[（(]\s*(牵头|配合|协办|主办|牵头单位|配合单位)\s*[）)]$")


def name_key(name: str) -> str:
    """A unit name folded for comparison: full-width brackets as half-width, no spaces."""
    return "".join(name.split()).replace("（", "(").replace("）", ")")


def split_units(text: str, protected: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The unit names in a cell, in order, each whitespace-normalized; registered names stay whole."""
    text = " ".join(text.split())
    if not text:
        return []
    tokens: list[str] = []

    def protect(match_text: str) -> str:
        tokens.append(match_text)
        return f"\x00{len(tokens) - 1}\x00"

    # Registered names that contain a separator (各市、区人民政府) are taken out before splitting, longest first.
    for name in sorted((n for n in protected if any(ch in n for ch in SEPARATORS + " ")), key=len, reverse=True):
        pattern = re.escape(name).replace(r"\(", "[(（]").replace(r"\)", "[)）]")
        pattern = pattern.replace("（", "[(（]").replace("）", "[)）]")
        text = re.sub(pattern, lambda m: protect(m.group(0)), text)
    text = _protect_brackets(text, protect)
    parts: list[str] = []
    pending = ""
    for piece, sep in _pieces(text):
        if sep == "、" and _PLACE_PREFIX.match(piece):
            pending += piece + "、"
            continue
        parts.append(pending + piece)
        pending = ""
    if pending:
        parts.append(pending.rstrip("、"))
    restored = [re.sub(r"\x00(\d+)\x00", lambda m: tokens[int(m.group(1))], p) for p in parts]
    return [" ".join(p.split()) for p in restored if p.strip()]


def _pieces(text: str) -> list[tuple[str, str]]:
    """Pieces of text with the separator that follows each ('' after the last)."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _SPLIT.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], m.group(0).strip() or " "))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def _protect_brackets(text: str, protect) -> str:
    """Separators inside brackets (市司法局(普法办、法制办)) do not split: bracketed runs are protected."""
    out, depth, start = [], 0, 0
    closing: list[str] = []
    for i, ch in enumerate(text):
        if ch in _BRACKETS:
            if depth == 0:
                out.append(text[start:i])
                start = i
            depth += 1
            closing.append(_BRACKETS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
            depth -= 1
            if depth == 0:
                out.append(protect(text[start : i + 1]))
                start = i + 1
    out.append(text[start:])
    return "".join(out)


def role_mark(unit: str) -> tuple[str, str | None]:
    """A unit without a trailing role mark such as （牵头）, and the role: 'lead', 'partner' or None."""
    m = _ROLE_MARK.search(unit)
    if not m:
        return unit, None
    role = "lead" if m.group(1) in ("牵头", "主办", "牵头单位") else "partner"
    return unit[: m.start()].strip(), role
