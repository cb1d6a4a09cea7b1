"""Inline text as the DOCX writer needs it: runs with bold/italic and line breaks, white space collapsed as CSS does."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .vocabulary import Element

# CSS collapsible white space: space, tab, and segment breaks. U+3000 (ideographic space) and NBSP are text.
_SPACES = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting, or a line break (`<br>`)."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    classes: tuple[str, ...] = ()
    brk: bool = False


def inline_runs(element: Element) -> list[Run]:
    """The runs of an element holding phrasing content, white space collapsed like `white-space: normal`."""
    raw: list[Run] = []

    def walk(node: Element, bold: bool, italic: bool, classes: tuple[str, ...]) -> None:
        for child in node.children:
            if isinstance(child, str):
                raw.append(Run(_SPACES.sub(" ", child), bold, italic, classes))
            elif child.tag == "br":
                raw.append(Run(brk=True))
            else:
                walk(child, bold or child.tag == "strong", italic or child.tag == "em", classes + child.classes)

    walk(element, False, False, ())
    return collapse(raw)


def collapse(raw: list[Run]) -> list[Run]:
    """Drop spaces at the start and end of each line and spaces that follow a space, across runs."""
    out: list[Run] = []
    line_start = True
    for run in raw:
        if run.brk:
            _strip_end(out)
            out.append(run)
            line_start = True
            continue
        text = run.text
        if line_start or (out and out[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if text:
            out.append(replace(run, text=text))
            line_start = False
    _strip_end(out)
    return out


def _strip_end(out: list[Run]) -> None:
    """Remove trailing spaces of the current line (they hang in CSS and are not drawn)."""
    while out and not out[-1].brk:
        text = out[-1].text.rstrip(" ")
        if text:
            out[-1] = replace(out[-1], text=text)
            return
        out.pop()


def cell_paragraphs(cell: Element) -> list[tuple[Element | None, list[Run]]]:
    """The paragraphs of a table cell: its <p> children, and runs of loose inline content between them."""
    paragraphs: list[tuple[Element | None, list[Run]]] = []
    loose: list[Element | str] = []

    def flush() -> None:
        if loose:
            runs = inline_runs(Element(cell.tag, children=list(loose)))
            if runs:
                paragraphs.append((None, runs))
            loose.clear()

    for child in cell.children:
        if isinstance(child, Element) and child.tag == "p":
            flush()
            paragraphs.append((child, inline_runs(child)))
        else:
            loose.append(child)
    flush()
    return paragraphs


def plain_text(runs: list[Run]) -> str:
    """The text of runs, a line break as a newline."""
    return "".join("\n" if run.brk else run.text for run in runs)
