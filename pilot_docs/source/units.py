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


# Role labels inside one cell: 牵头单位：X；配合单位：Y, X牵头，Y配合, X负责，Y协助.
_LABEL = re.compile(r"(牵头单位|牵头部门|牵头|主责单位|主办单位|责任单位|责任部门|配合单位|配合部门|协办单位|协助单位|"
                    r"参与单位|参加单位|协同单位|配合|协办|协助|参与)\s*[:：]")
_LABEL_ROLE = {"牵头单位": "lead", "牵头部门": "lead", "牵头": "lead", "主责单位": "lead", "主办单位": "lead",
               "责任单位": None, "责任部门": None}
_TRAILING_ROLE = re.compile(r"^(.+?)(?:共同)?(牵头|负责|主办|主责|配合|协助|协办|参与|参加)(?:实施|落实)?$")
_TRAILING_PUNCT = "。．.，,；;、：:！!？? "
_ETC = re.compile(r"(等(?:有关|相关)?(?:部门|单位|部门单位)?)$")


def clean_name(name: str) -> tuple[str, bool]:
    """A unit name without trailing punctuation and without 等 / 等部门; the flag says 等 was there."""
    name = " ".join(name.split())
    name = name.rstrip(_TRAILING_PUNCT) or name  # a name that is only punctuation stays as typed
    m = _ETC.search(name)
    if m and len(name) > len(m.group(1)) + 1:
        return name[: m.start()].rstrip(_TRAILING_PUNCT), True
    return name, False


def _clauses(text: str) -> list[tuple[str | None, str]]:
    """The cell cut where a role label starts: (role or None, text after the label)."""
    marks = list(_LABEL.finditer(text))
    if not marks:
        return [(None, text)]
    out: list[tuple[str | None, str]] = []
    # 牵头单位：X；责任单位：Y — beside a lead, 责任单位 names the co-operating units.
    others = "partner" if any(_LABEL_ROLE.get(m.group(1)) == "lead" for m in marks) else None
    if marks[0].start() > 0 and text[: marks[0].start()].strip(_TRAILING_PUNCT + "\n"):
        out.append((None, text[: marks[0].start()]))
    for n, m in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        label = m.group(1)
        role = _LABEL_ROLE.get(label, "partner")
        out.append((others if label in ("责任单位", "责任部门") else role, text[m.end() : end]))
    return out


def read_units_cell(text: str, protected: list[str] | tuple[str, ...] = ()
                    ) -> tuple[list[tuple[str, str | None]], bool]:
    """The units a cell names, each with its role ('lead', 'partner' or None), and whether it ended in 等.

    Role labels (牵头单位：…；配合单位：…), trailing role words (X牵头，Y配合 / X负责，Y协助) and marks (（牵头）)
    set the roles; names lose trailing punctuation and 等 / 等部门; a place prefix written once (市A、B局) is not
    guessed here (see `distribute_prefixes`)."""
    out: list[tuple[str, str | None]] = []
    more = False
    for role, clause in _clauses(text):
        # X牵头，Y配合: a role word closes the run of names before it.
        runs: list[tuple[str | None, str]] = []
        pending: list[str] = []
        for piece in re.split(r"([，,；;。\n])", clause):
            if piece in ("，", ",", "；", ";", "。", "\n"):
                pending.append(piece)
                continue
            m = _TRAILING_ROLE.match(piece.strip()) if role is None else None
            if m and split_units(m.group(1), protected):
                word = m.group(2)
                runs.append(("lead" if word in ("牵头", "负责", "主办", "主责") else "partner",
                             "".join(pending) + m.group(1)))
                pending = []
            else:
                pending.append(piece)
        if pending:
            runs.append((role, "".join(pending)))
        for run_role, run in runs:
            for unit in split_units(run, protected):
                name, mark = role_mark(unit)
                name, etc = clean_name(name)
                more = more or etc
                if name and name not in ("等", "等部门"):
                    out.append((name, mark or run_role))
    return out, more


_PREFIX = re.compile(r"^(各?[\u4e00-\u9fff]{0,3}?[省市区县镇乡])(?=[\u4e00-\u9fff]{2,})")


def place_prefix(name: str) -> str:
    """The place a name starts with (市 in 市教育局, 蓬江区 in 蓬江区住建局), or ''."""
    m = _PREFIX.match(name)
    return m.group(1) if m else ""


def same_body(name: str, other: str) -> bool:
    """True when two names differ only by a place prefix one of them has (交通局 / 市交通局)."""
    short, long = sorted((name, other), key=len)
    return short != long and long.endswith(short) and place_prefix(long) == long[: len(long) - len(short)]
