"""The small HTML vocabulary the templates write and both writers read: parse, check, and name the fonts.

Every element, class and attribute the DOCX writer does not know is a `TemplateError` naming the template and
the line of the rendered HTML, so nothing is ever dropped silently. See docs/html-vocabulary.md.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import TypeVar

from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image

from ..errors import Location, PilotDocsError, TemplateError

E = TypeVar("E", bound=PilotDocsError)

INLINE = frozenset({"span", "strong", "em", "br"})
BLOCK = frozenset({"header", "section", "footer", "div", "p", "h1", "h2", "h3", "h4", "hr", "table", "figure"})
VOID = frozenset({"meta", "link", "hr", "br", "col", "img"})
TEXT = "#text"
PHRASING = INLINE | {TEXT}

# What each element may contain (the parent's content model).
CONTENT: dict[str, frozenset[str]] = {
    "#document": frozenset({"html"}),
    "html": frozenset({"head", "body"}),
    "head": frozenset({"meta", "title", "link", "style"}),
    "title": frozenset({TEXT}),
    "style": frozenset({TEXT}),
    "body": BLOCK,
    "section": BLOCK - {"header", "footer"},  # a part inside a part: a long part cut into pieces
    "div": frozenset({"p"}),
    "footer": frozenset({"p"}),
    "header": PHRASING,
    "p": PHRASING,
    "h1": PHRASING,
    "h2": PHRASING,
    "h3": PHRASING,
    "h4": PHRASING,
    "caption": PHRASING,
    "figure": frozenset({"img", "figcaption"}),  # one <img>, then at most one <figcaption>
    "figcaption": PHRASING,
    "span": PHRASING,
    "strong": PHRASING,
    "em": PHRASING,
    "td": PHRASING | {"p"},
    "th": PHRASING | {"p"},
    "table": frozenset({"caption", "colgroup", "thead", "tbody", "tr"}),
    "colgroup": frozenset({"col"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tr": frozenset({"th", "td"}),
}
ELEMENTS = frozenset(CONTENT) - {"#document"} | VOID

# The classes each element may carry; `body` may carry any class (only "landscape" means something).
CLASSES: dict[str, frozenset[str]] = {
    "header": frozenset({"masthead"}),
    "p": frozenset({"doc-number", "recipient", "noindent", "center", "right", "attachment-note", "issuer", "date",
                    "attachment-label", "cc", "printed"}),
    "hr": frozenset({"red-rule"}),
    "h1": frozenset({"title"}),
    "div": frozenset({"signature"}),
    "section": frozenset({"attachment", "part", "landscape"}),
    "footer": frozenset({"colophon"}),
    "span": frozenset({"printer", "print-date", "light", "red", "yellow", "green"}),
    "table": frozenset({"small", "toc"}),
    "td": frozenset({"toc-sub"}),
    "figure": frozenset({"chart"}),
}
ALL_CLASSES = frozenset().union(*CLASSES.values())

# A light (`span class="light red"`): ● and a word in one colour, dark enough to read on paper and in grey.
# gongwen.css draws the same colours; charts.py colours its bars with them.
LIGHT_COLORS = {"red": "C00000", "yellow": "BF8F00", "green": "00803C"}

# Attributes besides `class` and `data-*`.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "html": frozenset({"lang"}),
    "meta": frozenset({"charset", "name", "content"}),
    "link": frozenset({"rel", "href", "type"}),
    "style": frozenset({"type"}),
    "td": frozenset({"rowspan", "colspan"}),
    "th": frozenset({"rowspan", "colspan"}),
    "col": frozenset({"style"}),
    "img": frozenset({"src", "alt"}),
}
# Attributes an element cannot go without.
REQUIRED: dict[str, tuple[str, ...]] = {"img": ("src", "alt")}

# The only image sources: the HTML carries its images, so both writers read the same bytes and nothing is fetched.
IMAGE_URI_PREFIXES = {"data:image/png;base64,": "image/png", "data:image/jpeg;base64,": "image/jpeg"}

# The standard font (as named in GB/T 9704 and in Word) each kind of text is set in.
XIAOBIAOSONG, FANGSONG, KAITI, HEITI, SONGTI = "方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"
STANDARD_FONTS = (XIAOBIAOSONG, FANGSONG, KAITI, HEITI, SONGTI)
PAGE_NUMBER_CHARS = "— 0123456789"  # "— N —" in 宋体, drawn by the stylesheet and the DOCX footers

_WIDTH = re.compile(r"^\s*width\s*:\s*(\d+(?:\.\d+)?)\s*%\s*;?\s*$")

# Characters whose East Asian Width is W or F (or halfwidth H), Hangul excepted: CSS Text 3 removes a
# segment break between two of them. WeasyPrint 70 does not (it turns every newline into a space), so both
# writers join such lines themselves before the text reaches WeasyPrint or python-docx.
_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd"
)
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\r]*\n[ \t\r\n]*(?=[{_WIDE}])")


def join_cjk_lines(text: str) -> str:
    """Remove line breaks (and the spaces around them) that fall between two wide CJK characters."""
    return _CJK_BREAK.sub("", text)


@dataclass(frozen=True)
class ImageData:
    """The picture of an <img>: its bytes, MIME type and size in pixels."""

    data: bytes
    content_type: str
    width: int
    height: int


@lru_cache(maxsize=16)
def decode_image(src: str) -> ImageData:
    """The image of a `data:image/png;base64,` or `data:image/jpeg;base64,` URI; ValueError saying what is wrong."""
    prefix = next((p for p in IMAGE_URI_PREFIXES if src.startswith(p)), None)
    if prefix is None:
        shown = src if len(src) <= 40 else src[:37] + "..."
        raise ValueError(f'src="{shown}" on <img>: only data:image/png;base64, and data:image/jpeg;base64, URIs '
                         "are allowed (the HTML carries its images; nothing is fetched)")
    content_type = IMAGE_URI_PREFIXES[prefix]
    try:
        data = base64.b64decode(src[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"<img> src: the base64 data does not decode ({exc})") from exc
    try:
        image = Image.from_blob(data)
        found, width, height = image.content_type, image.px_width, image.px_height
    except (UnrecognizedImageError, InvalidImageStreamError, UnexpectedEndOfFileError, struct.error, ValueError,
            IndexError, KeyError, TypeError) as exc:
        raise ValueError(f"<img> src: the data is not a readable {content_type.split('/')[1].upper()} image") from exc
    if found != content_type:
        raise ValueError(f"<img> src: the data is {found}, not {content_type} as the URI says")
    if width <= 0 or height <= 0:
        raise ValueError(f"<img> src: the image is {width} x {height} pixels")
    return ImageData(data, content_type, width, height)


@dataclass(slots=True)
class Element:
    """One element of the parsed HTML: its tag, classes, other attributes, line, and children."""

    tag: str
    classes: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)
    line: int = 0
    children: list[Element | str] = field(default_factory=list)

    def has(self, cls: str) -> bool:
        """Whether the element carries the class."""
        return cls in self.classes

    def elements(self) -> list[Element]:
        """The child elements, text left out."""
        return [c for c in self.children if isinstance(c, Element)]

    def find(self, tag: str) -> Element | None:
        """The first descendant with this tag (depth first), or None."""
        for child in self.elements():
            if child.tag == tag:
                return child
            found = child.find(tag)
            if found is not None:
                return found
        return None


def located(kind: type[E], source_name: str, line: int | None, message: str) -> E:
    """An error reading "<template>: line N: <message>", its location set."""
    where = f"{source_name}: line {line}: " if line else f"{source_name}: "
    error = kind(where + message)
    error.location = Location(source_name, line=line)
    return error


def template_error(source_name: str, line: int | None, message: str) -> TemplateError:
    """A TemplateError reading "<template>: line N: <message>"."""
    return located(TemplateError, source_name, line, message)


class _Builder(HTMLParser):
    """Builds the Element tree, refusing anything outside the vocabulary."""

    def __init__(self, source_name: str, stream: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.source_name = source_name
        self.root = Element("#document")
        self.stack = [self.root]
        # parse_blocks: the body's blocks handed on as they end, and taken out of the tree
        self.events: list[tuple[str, Element]] | None = [] if stream else None

    def fail(self, message: str) -> TemplateError:
        """An error at the parser's current line."""
        return template_error(self.source_name, self.getpos()[0], message)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check the element and open it (void elements close at once)."""
        if tag not in ELEMENTS:
            raise self.fail(f"unknown element <{tag}>")
        parent = self.stack[-1]
        if tag not in CONTENT[parent.tag]:
            where = "at the top" if parent.tag == "#document" else f"inside <{parent.tag}>"
            hint = "; put it in a <figure>" if tag in ("img", "figcaption") else ""
            raise self.fail(f"<{tag}> is not allowed {where}{hint}")
        element = Element(tag, line=self.getpos()[0])
        for name, value in attrs:
            value = value or ""
            if name == "class":
                element.classes = tuple(value.split())
            elif name.startswith("data-"):
                continue
            elif name in ATTRIBUTES.get(tag, ()):
                element.attrs[name] = value
            else:
                raise self.fail(f"unknown attribute {name}= on <{tag}>")
        self._check_classes(element)
        self._check_values(element)
        if parent.tag == "figure":
            self._check_figure_child(parent, element)
        parent.children.append(element)
        if tag not in VOID:
            self.stack.append(element)
        if self.events is not None:
            if tag == "body":
                self.events.append(("start", self.root))
            elif tag == "section" and parent.tag in FLOW:
                self.events.append(("open", element))
            elif tag in VOID and parent.tag in FLOW:
                self._hand_on(parent)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """`<br/>`-style tags: open, and close unless void."""
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close the open element, which must be the one named."""
        if tag in VOID:
            if tag not in ELEMENTS:
                raise self.fail(f"unknown element </{tag}>")
            return
        current = self.stack[-1]
        if current.tag != tag:
            if tag not in ELEMENTS:
                raise self.fail(f"unknown element </{tag}>")
            opened = f"<{current.tag}> opened on line {current.line}" if current.tag != "#document" else "nothing"
            raise self.fail(f"</{tag}> does not close {opened}")
        if tag == "figure" and not any(c.tag == "img" for c in current.elements()):
            raise self.fail(f"<figure> opened on line {current.line} has no <img>")
        if tag == "table":
            self._check_table(current)
        self.stack.pop()
        if self.events is not None and self.stack[-1].tag in FLOW:
            self._hand_on(self.stack[-1])

    def _hand_on(self, parent: Element) -> None:
        """parse_blocks: the block just ended (its parent's last child) goes to the events, out of the tree."""
        element = parent.children.pop()
        assert isinstance(element, Element)
        self.events.append(("close" if element.tag == "section" else "block", element))

    def handle_data(self, data: str) -> None:
        """Keep text where text may be; whitespace between blocks is dropped."""
        parent = self.stack[-1]
        if TEXT not in CONTENT[parent.tag]:
            if data.strip(" \t\r\n\f"):
                wrapper = "figcaption" if parent.tag == "figure" else "p"
                raise self.fail(f"text {data.strip()[:20]!r} directly inside <{parent.tag}>; wrap it in <{wrapper}>")
            return
        parent.children.append(join_cjk_lines(data) if parent.tag not in ("style", "title") else data)

    def unknown_decl(self, data: str) -> None:
        """CDATA sections and the like are not part of the vocabulary."""
        raise self.fail(f"unknown declaration <![{data[:20]}")

    def handle_pi(self, data: str) -> None:
        """Processing instructions are not part of the vocabulary."""
        raise self.fail(f"unknown processing instruction <?{data[:20]}")

    def _check_classes(self, element: Element) -> None:
        if element.tag == "body":
            return
        allowed = CLASSES.get(element.tag, frozenset())
        for cls in element.classes:
            if cls not in allowed:
                known = "unknown class" if cls not in ALL_CLASSES else "class"
                where = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
                raise self.fail(f'{known} "{cls}" on <{element.tag}>{where}')
        if element.tag == "span":
            colours = [c for c in element.classes if c in LIGHT_COLORS]
            if element.has("light") and len(colours) != 1:
                raise self.fail('<span class="light"> needs one colour: red, yellow or green')
            if colours and not element.has("light"):
                raise self.fail(f'class "{colours[0]}" on <span> only with "light": <span class="light {colours[0]}">')

    def _check_values(self, element: Element) -> None:
        for name in ("rowspan", "colspan"):
            value = element.attrs.get(name)
            if value is not None and not (value.isdigit() and 1 <= int(value) <= 1000):
                raise self.fail(f'{name}="{value}" on <{element.tag}> must be a whole number from 1')
        style = element.attrs.get("style")
        if style is not None and not _WIDTH.match(style):
            raise self.fail(f'style="{style}" on <col>: only "width: NN%" is allowed')
        for name in REQUIRED.get(element.tag, ()):
            if not element.attrs.get(name, "").strip():
                what = "a description of the picture" if name == "alt" else "a data: URI"
                raise self.fail(f'<{element.tag}> needs {name}="…" ({what})')
        if element.tag == "img":
            try:
                decode_image(element.attrs["src"])
            except ValueError as exc:
                raise self.fail(str(exc)) from None

    def _check_table(self, table: Element) -> None:
        """A table of contents (class "toc"): rows of two <td>, the entry (`td.toc-sub` indented) and its page
        number; no head, spans, column widths or cell paragraphs. `toc-sub` means nothing elsewhere."""
        def fail(element: Element, message: str) -> TemplateError:
            return template_error(self.source_name, element.line, message)

        toc = table.has("toc")
        if toc and table.has("small"):
            raise fail(table, 'classes "toc" and "small" on one <table>: a table of contents is set in 3号')
        groups = table.elements()
        for group in groups:
            if toc and group.tag in ("thead", "colgroup"):
                raise fail(group, f'<{group.tag}> in a table of contents (class "toc"): it holds only rows of '
                                  "two <td>, in <tbody>")
        rows = [tr for group in groups for tr in ([group] if group.tag == "tr" else group.elements())
                if tr.tag == "tr"]
        for tr in rows:
            cells = tr.elements()
            if not toc:
                for cell in cells:
                    if cell.has("toc-sub"):
                        raise fail(cell, 'class "toc-sub" on a cell of a table that is not class "toc"')
                continue
            if len(cells) != 2 or any(c.tag != "td" for c in cells):
                raise fail(tr, 'a row of a table of contents (class "toc") has two <td>: the entry and its page '
                               "number")
            for cell in cells:
                span = next((name for name in ("rowspan", "colspan") if name in cell.attrs), None)
                if span:
                    raise fail(cell, f'{span}= on a cell of a table of contents (class "toc")')
                paragraph = cell.find("p")
                if paragraph is not None:
                    raise fail(paragraph, '<p> in a cell of a table of contents (class "toc"): write the text '
                                          "directly in the <td>")
            if cells[1].has("toc-sub"):
                raise fail(cells[1], 'class "toc-sub" on a page number: it indents the entry, the first <td>')

    def _check_figure_child(self, figure: Element, child: Element) -> None:
        """A figure holds one <img> and then, optionally, one <figcaption>."""
        before = [c.tag for c in figure.elements()]
        if (child.tag == "img" and before) or (child.tag == "figcaption" and before != ["img"]):
            raise self.fail(f"<{child.tag}> out of place: a <figure> holds one <img>, then at most one <figcaption>")


def parse(html: str, source_name: str) -> Element:
    """The checked element tree of a rendered template (the "#document" root holding <html>)."""
    builder = _Builder(source_name)
    builder.feed(html)
    builder.close()
    _check_ended(builder, source_name)
    return builder.root


def _check_ended(builder: _Builder, source_name: str) -> None:
    """What parse and parse_blocks check once the whole document is read: nothing left open, a body."""
    if len(builder.stack) > 1:
        open_element = builder.stack[-1]
        raise template_error(source_name, open_element.line, f"<{open_element.tag}> is never closed")
    html_element = builder.root.find("html")
    if html_element is None or html_element.find("body") is None:
        raise template_error(source_name, None, "no <html><body> in the rendered template")


FLOW = frozenset({"body", "section"})  # what holds the blocks parse_blocks hands on
CHUNK = 65_536  # characters parse_blocks reads at a time


def parse_blocks(html: str, source_name: str) -> Iterator[tuple[str, Element]]:
    """The checked document as it is read, for a writer that goes through the body's blocks in order: the same
    checks and errors as `parse`, without the whole tree in memory (a 5,000-item volume's took 350 MB).

    Yields ("start", the "#document" root: the head whole, the body with no children) when the body opens; then
    in document order ("open", section) when a section of the body or of a section opens (its attributes read,
    its children still to come), ("block", element) when any other block of theirs has ended (with all its
    content), and ("close", section) when a section ends. What has been yielded is no longer in the tree."""
    builder = _Builder(source_name, stream=True)
    assert builder.events is not None
    start = 0
    while start < len(html):
        # each piece ends before a "<": a text between two tags is then read whole, as parse reads it
        stop = html.find("<", start + CHUNK)
        stop = len(html) if stop < 0 else stop
        builder.feed(html[start:stop])
        start = stop
        yield from builder.events
        builder.events.clear()
    builder.close()
    yield from builder.events
    _check_ended(builder, source_name)


def column_percent(col: Element) -> float | None:
    """The width of a <col> in percent of the table, or None when it has none."""
    match = _WIDTH.match(col.attrs.get("style", ""))
    return float(match.group(1)) if match else None


def image_of(img: Element) -> ImageData:
    """The picture of a checked <img>."""
    return decode_image(img.attrs["src"])


def font_of(element: Element, inherited: str = FANGSONG) -> str:
    """The standard font the text directly inside an element is set in (mirrors gongwen.css)."""
    if element.tag == "h1" or element.has("masthead"):
        return XIAOBIAOSONG
    if element.tag in ("h2", "th", "caption", "figcaption") or element.has("attachment-label"):
        return HEITI
    if element.tag == "h3":
        return KAITI
    if element.tag in ("h4", "td"):
        return FANGSONG
    return inherited


def text_by_font(root: Element) -> dict[str, list[tuple[str, int]]]:
    """Every piece of visible text, with its line, grouped by the standard font it is set in."""
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in STANDARD_FONTS}

    def walk(element: Element, font: str) -> None:
        if element.tag == "head":
            return
        font = font_of(element, font)
        for child in element.children:
            if isinstance(child, Element):
                walk(child, font)
            else:
                found[font].append((child, element.line))

    walk(root, FANGSONG)
    found[SONGTI].append((PAGE_NUMBER_CHARS, 0))
    return found
