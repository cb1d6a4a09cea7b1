"""What `check` adds to reading: the table's text can be printed, so that a build of what `check` accepts does not
fail on it (a character no configured font can draw stops every PDF and DOCX that holds it)."""

from __future__ import annotations

from ..errors import FontError, Problem, quote
from ..model import Model

_COLLAPSIBLE = frozenset(" \t\n\r\f")


def unprintable(model: Model, fonts) -> list[Problem]:
    """An error at the cell for each field holding a character that some font the documents set it in cannot
    draw (the glyph check of the build, ahead of it); nothing when the fonts themselves are missing (`doctor`)."""
    from ..render.glyphs import coverage
    from ..render.vocabulary import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG

    try:
        body = {name: coverage(fonts, name) for name in (FANGSONG, HEITI, KAITI, SONGTI)}
        title = coverage(fonts, XIAOBIAOSONG)
    except FontError:
        return []
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def check(text: str, what: str, where, standards: dict[str, frozenset[int]]) -> None:
        for char in text:
            if char in _COLLAPSIBLE:
                continue
            lacking = [name for name, have in standards.items() if ord(char) not in have]
            if lacking and (what, char) not in seen:
                seen.add((what, char))
                problems.append(Problem(where, f"{what} holds the character {quote(char)} (U+{ord(char):04X}), "
                                               f"which no configured font draws ({fonts.describe(lacking[0])}): "
                                               "the documents could not be built; remove it or add a font "
                                               "([fonts] in pilot-docs.toml)"))
                return

    first = model.items()[0].location if model.items() else None
    check(model.plan.title, "the table's title", first, {XIAOBIAOSONG: title, **body})
    for task in model.tasks:
        where = task.items[0].location if task.items else first
        check(task.title, "the task title", where, body)
        for group in task.groups:
            check(group, "the section heading", where, body)
        for item in task.items:
            check(item.content, "the content", item.location, body)
            check("".join(item.units), "the units", item.location, body)
            check(item.deadline.text, "the deadline", item.location, body)
            for header, value in item.extra.items():
                check(header + value, f"column {quote(header)}", item.location, body)
    for column in model.columns:
        check(column.header, f"the header {quote(column.header)}", first, body)
    return problems
