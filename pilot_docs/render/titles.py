"""Where a long 标题 breaks: between words, never inside a 《》 name, in balanced lines (GB/T 9704 7.3.3: 回行时要
做到词意完整，排列对称，长短适宜，间距恰当; 梯形 or 菱形).

Both writers break a title that does not fit one line at the same places, with explicit line breaks: the PDF
(`<br>` put into the HTML WeasyPrint lays out) and the DOCX (`w:br` in the title's paragraph). Words come from
jieba's segmentation (its dictionary only, no guessing of new words), with numbers kept with their unit (2009年)
and 《…》 names, the names a document gives itself (its masthead's issuer) and words of two characters or more
never split. The lines are as even as the words allow, no line longer than the one after it where that can be had (梯形, the lines growing downwards).
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from .geometry import CHAR_SPACING_PT, MM, TITLE_PT, char_width

_NO_LINE_START = set("，。、；：？！）》」』”’%")
_NO_LINE_END = set("（《「『“‘")


@cache
def _segmenter():
    """jieba's segmentation, its dictionary read from disk as needed (word_table.py)."""
    from .word_table import segmenter

    return segmenter()


def capacity_ems(text_width_mm: float, size_pt: float = TITLE_PT) -> float:
    """How many ems of title type a line of the type area holds (letter-spacing included)."""
    return text_width_mm * MM / (size_pt + CHAR_SPACING_PT) + 0.01


def _width(text: str) -> float:
    return sum(char_width(c) for c in text)


def words(text: str, keep: tuple[str, ...] = (), names: bool = True) -> list[str]:
    """The title's unbreakable pieces: jieba's words, merged so that no break falls inside a 《》 name, a name in
    `keep`, a number and its unit, or before closing / after opening punctuation."""
    tokens = [t for t in _segmenter().cut(text) if t]
    # the places a break may not go: inside 《…》, inside a kept name
    protected: set[int] = set()
    for match in re.finditer(r"《[^》]*》", text) if names else ():
        protected.update(range(match.start() + 1, match.end()))
    for name in keep:
        for match in re.finditer(re.escape(name), text) if name else ():
            protected.update(range(match.start() + 1, match.end()))
    for match in re.finditer(r"[0-9０-９A-Za-z.]+[年月日号期届次%]?", text):
        protected.update(range(match.start() + 1, match.end()))
    pieces: list[str] = []
    at = 0
    for token in tokens:
        if pieces and (at in protected or token[0] in _NO_LINE_START or pieces[-1][-1] in _NO_LINE_END):
            pieces[-1] += token
        else:
            pieces.append(token)
        at += len(token)
    return pieces


def title_lines(text: str, text_width_mm: float, keep: tuple[str, ...] = (), size_pt: float = TITLE_PT) -> list[str]:
    """The lines a title is set in: one if it fits, else the fewest lines that hold its words, as even as they
    can be, growing downwards; a 《》 name longer than a line breaks between its words."""
    capacity = capacity_ems(text_width_mm, size_pt)
    if _width(text) <= capacity or not text.strip():
        return [text]
    for pieces in (words(text, keep), words(text, keep, names=False)):  # a 《》 name longer than a line may break
        widths = [_width(p) for p in pieces]
        total = sum(widths)
        for count in range(2, len(pieces) + 1):
            best = _best_split(pieces, widths, count, capacity, total / count)
            if best is not None:
                return best
    return [text]


def _best_split(pieces: list[str], widths: list[float], count: int, capacity: float,
                ideal: float) -> list[str] | None:
    """The split into `count` lines, each within `capacity`, with the least squared deviation from the ideal line
    and no line longer than the one after it where that can be had (梯形)."""
    n = len(pieces)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)

    @cache
    def solve(start: int, lines: int) -> tuple[float, tuple[int, ...]] | None:
        if lines == 1:
            width = prefix[n] - prefix[start]
            return ((width - ideal) ** 2, ()) if width <= capacity else None
        best = None
        for stop in range(start + 1, n - lines + 2):
            width = prefix[stop] - prefix[start]
            if width > capacity:
                break
            rest = solve(stop, lines - 1)
            if rest is None:
                continue
            nxt_stop = rest[1][0] if rest[1] else n
            longer_first = width > (prefix[nxt_stop] - prefix[stop]) + 0.5  # 梯形: the lines grow downwards
            cost = (width - ideal) ** 2 + rest[0] + (4.0 if longer_first else 0.0)
            if best is None or cost < best[0]:
                best = (cost, (stop, *rest[1]))
        return best

    found = solve(0, count)
    if found is None:
        return None
    cuts = (0, *found[1], n)
    return ["".join(pieces[a:b]) for a, b in itertools.pairwise(cuts)]


def issuer_names(masthead: str) -> tuple[str, ...]:
    """The names a masthead gives, kept whole in titles: the issuer(s) without 文件."""
    name = re.sub(r"(文件|公文)$", "", masthead.strip())
    return tuple(n for n in (name, masthead.strip()) if len(n) > 1)


_TAG = re.compile(r"<(/?)(section|body|h1|header)\b([^>]*)>")


def break_titles_html(html: str, portrait_mm: float, landscape_mm: float) -> str:
    """The HTML with `<br>` at the chosen breaks of every plain-text `<h1>` that does not fit its line (the PDF's
    side of `title_lines`; the DOCX writer breaks the same titles the same way from the parsed tree)."""
    from html import escape, unescape

    masthead = re.search(r"<header\b[^>]*\bmasthead\b[^>]*>([^<]*)</header>", html)
    keep = issuer_names(unescape(masthead.group(1))) if masthead else ()
    out: list[str] = []
    stack: list[bool] = []
    at = 0
    for match in _TAG.finditer(html):
        closing, tag, attrs = match.groups()
        if tag in ("section", "body"):
            if closing:
                if stack:
                    stack.pop()
            else:
                landscape = bool(re.search(r'class="[^"]*\blandscape\b', attrs))
                stack.append(landscape or (bool(stack) and stack[-1]))
            continue
        if tag != "h1" or closing:
            continue
        end = html.find("</h1>", match.end())
        inner = html[match.end():end]
        if end < 0 or "<" in inner or match.start() < at:
            continue
        width = landscape_mm if stack and stack[-1] else portrait_mm
        lines = title_lines(unescape(inner).strip(), width, keep)
        if len(lines) > 1:
            out.append(html[at:match.end()])
            out.append("<br>".join(escape(line, quote=False) for line in lines))
            at = end
    out.append(html[at:])
    return "".join(out)
