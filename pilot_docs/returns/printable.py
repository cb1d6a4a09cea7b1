"""Text a document can print: every character of an agency's words must have a glyph in the body font's chain.

`collect` refuses such text at its cell; a ledger that already holds it (collected before this check, or with
other fonts) never stops a build: the character is shown as 〓 (the placeholder of Chinese typesetting for a
character the type case lacks) and a warning names the agency, the item and the ledger line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import FontError, Location, Problem, quote
from .ledger import Entry, numbered_ledger

PLACEHOLDER = "〓"
TEXT_FIELDS = ("text", "problems", "contact")  # what an agency writes that documents print
_SPACES = frozenset(" \t\n\r\f")


def glyph_check(fonts) -> Callable[[str], str | None] | None:
    """For a FontConfig: a function giving why a text cannot be printed (None when it can); None when the fonts
    themselves are missing (then the build reports that, and collect checks nothing here)."""
    from ..render.glyphs import coverage
    from ..render.vocabulary import FANGSONG

    try:
        have = coverage(fonts, FANGSONG)
        chain = fonts.describe(FANGSONG)
    except FontError:
        return None

    def check(text: str) -> str | None:
        for char in text:
            if char not in _SPACES and ord(char) not in have:
                return (f"character {quote(char)} (U+{ord(char):04X}) has no glyph in any configured font ({chain}), "
                        "so no document could print it; remove it or write it in words")
        return None

    check.have = have  # type: ignore[attr-defined]
    return check


def printable_entries(path: Path, display: str, fonts) -> tuple[list[Entry], list[Problem]]:
    """The ledger's entries with each unprintable character replaced by 〓, and a warning for each entry changed."""
    check = glyph_check(fonts)
    numbered = numbered_ledger(path)
    if check is None:
        return [e for _, e in numbered], []
    have = check.have  # type: ignore[attr-defined]
    entries, warnings = [], []
    for line, entry in numbered:
        changed = {}
        for name in TEXT_FIELDS:
            value = getattr(entry, name)
            why = check(value)
            if why:
                changed[name] = "".join(c if c in _SPACES or ord(c) in have else PLACEHOLDER for c in value)
                warnings.append(Problem(Location(display, line=line), f"{entry.agency}, item {entry.item}: {why}; "
                                        f"shown as {PLACEHOLDER}", "warning"))
        entries.append(Entry(**{**entry.__dict__, **changed}) if changed else entry)
    return entries, warnings
