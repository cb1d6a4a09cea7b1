"""责任单位: split a cell of unit names the way offices type them, without breaking a registered name."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
                for part in split_and(name):
                    if part and part not in ("等", "等部门"):
                        out.append((part, mark or run_role))
    return out, more


_PREFIX = re.compile(r"^(各?[\u4e00-\u9fff]{0,3}?[省市区县镇乡])(?=[\u4e00-\u9fff]{2,})")


def place_prefix(name: str) -> str:
    """The place a name starts with (市 in 市教育局, ××区 in ××区住建局), or ''."""
    m = _PREFIX.match(name)
    return m.group(1) if m else ""


def same_body(name: str, other: str) -> bool:
    """True when two names differ only by a place prefix one of them has (交通局 / 市交通局)."""
    short, long = sorted((name, other), key=len)
    return short != long and long.endswith(short) and place_prefix(long) == long[: len(long) - len(short)]


# ---------------------------------------------------------------- what a unit cell says besides names

# A bracketed note in a unit cell (（列第一位者为工作牵头单位，下同）): it says something about the names, is none.
_NOTE = re.compile(r"[（(]([^（）()]*(?:下同|第一位|首位|第一个|排序|为准|以下各项|不再)[^（）()]*)[）)]")
_LEAD_FIRST = re.compile(r"(第一位|首位|第一个|排名第一|排在首位|排在第一).{0,6}(牵头|主办|主责|负责)")
# A sentence of the cell after the names that is a remark about them (具体任务均涉及…，不再做分工，下同。).
_NOTE_SENTENCE = re.compile(r"下同|不再|均涉及|具体任务|以下各项|同上")
# 按职责分工负责: every unit named takes its share; no one leads.
_SHARE = re.compile(r"(?:按|根据)(?:各自)?(?:职责|职能)(?:分工)?(?:负责|落实|推进)?|分别负责")
# A deadline written among the names (…，6月底完成): its own piece of the cell.
_DATE_PIECE = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}[日号])?(?:上旬|中旬|下旬|底|末|份)?|年底|年内|年末|"
                         r"上半年|下半年)(?:前|以前|之前)?(?:完成|到位|实现|建成|落实)?$")


@dataclass(frozen=True)
class CellNotes:
    """What a unit cell says besides its names: the cell without it, whether the first unit listed leads (and for
    the rows below too: 下同), and a deadline written among the names."""

    text: str
    lead_first: bool = False
    standing: bool = False
    deadline: str | None = None
    shared: bool = False  # 按职责分工负责: the units named share the work, none leads


def cell_notes(text: str) -> CellNotes:
    """The names of a unit cell apart from its notes (a bracketed remark, a closing sentence about the names,
    按职责分工负责) and a deadline written among them (…，6月底完成)."""
    lead_first = standing = False
    for m in _NOTE.finditer(text):
        lead_first = lead_first or bool(_LEAD_FIRST.search(m.group(1)))
        standing = standing or "下同" in m.group(1)
    text = _NOTE.sub("", text)
    sentences = re.split(r"(?<=。)", text)
    kept = [sentences[0]] + [s for s in sentences[1:] if not _NOTE_SENTENCE.search(s)]
    if len(kept) < len(sentences):
        standing = standing or any("下同" in s for s in sentences[1:])
    text = "".join(kept)
    shared = bool(_SHARE.search(text))
    text = _SHARE.sub("", text)
    deadline = None
    pieces = re.split(r"([，,；;。\n])", text)
    for n, piece in enumerate(pieces):
        if n % 2 == 0 and _DATE_PIECE.match(piece.strip().translate(_FULL_DIGITS)):
            deadline = piece.strip()
            pieces[n] = ""
    if deadline is not None:
        text = "".join(pieces)
    return CellNotes(text, lead_first, standing, deadline, shared)


_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_BODY_END = re.compile(r"(局|委|办|厅|部|院|署|会|政府|中心|公司|队|站|所|处|科|室|股|镇|乡|街道|管委会|集团|社|行|馆|团|单位|部门|"
                       r"机构)$")


def split_and(name: str) -> list[str]:
    """州委编办及州直相关单位 → two names, when each side of 及 is itself a unit name."""
    if "及" not in name:
        return [name]
    left, _, right = name.partition("及")
    if len(left) >= 2 and len(right) >= 2 and _BODY_END.search(left) and _BODY_END.search(right):
        return [left, *split_and(right)]
    return [name]
