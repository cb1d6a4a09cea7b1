"""PDF through Typst: the vocabulary's HTML as Typst markup, laid out to GB/T 9704 by the `typst` compiler.

A second PDF engine beside WeasyPrint (pdf.py), chosen with `[render] pdf_engine = "typst"` or `--pdf-engine typst`.
It reads the same checked HTML (vocabulary.py, the same titles broken between words by titles.py, the same glyph
check) and writes every block as Typst markup whose numbers are gongwen.css's: the 22 × 28 grid (16 pt type on a
28.95 pt pitch, -0.25 pt tracking), the masthead 35 mm down, the red rule 4 mm under the 发文字号, headings, the
附件说明's hanging indent, the signature, tables (fixed widths, repeated heads, rowspan/colspan, rows never split),
charts, the 目录 with dot leaders, landscape sections, page numbers "— N —" and the 版记 at the foot of the last,
even, page (one more layout when it falls on an odd page or a page of its own, as render_pdf does). A volume's
agencies' own documents are placed as render_pdf places them (parts.lay_out_pieces), the rest of the volume laid
out between them, its first page numbered on; the 目录's rows become links to their headings' pages as with
WeasyPrint (parts.join_pdfs), their rectangles from markers Typst's query places.

Text is data, never markup: every run of text is written as a Typst string literal (`#"…"`, only `\\` and `"`
escaped, control characters as `\\u{…}`), so `#`, `$`, `@`, `<`, `]`, `*`, `_` or `{{ }}` in a cell print as
themselves. Fonts are the project's font map, loaded from one folder per configuration (the GB 2312 working copies
when every character is in them, font_copies.py); no system font is looked at.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import FontError, TemplateError
from .font_copies import cache_folders, copies_version, covers, working_copy
from .fonts import FontConfig
from .geometry import (
    LANDSCAPE,
    LINE_PT,
    MM,
    PORTRAIT,
    RED_RULE_GAP_MM,
    PageGeometry,
    figure_size_mm,
    masthead_pt,
)
from .glyphs import GlyphCheck
from .parts import Laid, joined_pdf, lay_out_pieces, split_parts
from .pdf import prepare_html
from .vocabulary import (
    FANGSONG,
    HEITI,
    KAITI,
    LIGHT_COLORS,
    SONGTI,
    STANDARD_FONTS,
    XIAOBIAOSONG,
    Element,
    column_percent,
    image_of,
    parse,
    parse_blocks,
)

ENGINES = ("weasyprint", "typst")
_FONT_KEYS = {XIAOBIAOSONG: "xbs", FANGSONG: "fs", KAITI: "kt", HEITI: "ht", SONGTI: "st"}
_WHITE = re.compile(r"[ \t\r\n\f]+")


# --- escaping --------------------------------------------------------------------------------------------------

def string(text: str) -> str:
    """A Typst string literal holding `text` exactly: cell text is data, never Typst code."""
    out = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# Typst sets a closing bracket or quote half-width at the end of a line, and an opening one at the start (CLREQ
# 3.1.6.3); WeasyPrint does not, so a cell would hold one character more. A zero-width space after a closing mark
# moves the line's end past it; a zero-width space and a word joiner before an opening mark move the line's start
# before it. Neither adds a break: one was allowed there already (UAX #14 LB7, LB8, LB11), and none is added
# before a mark that may not start a line. (，。、；：？！ are not set half-width: the text is in Typst's "tw"
# punctuation style, with the fonts' own glyphs: see preamble.) They are cut out of the PDF's text afterwards
# (without_marks), so that searching or copying the text finds what was written.
_CLOSING = set("》）』」】〗〕〉］｝”’")
_OPENING = set("（《「『“‘〔【〈［｛〖")
_NO_LINE_START = set("，。、；：？！）》」』”’%〕】〗〉］｝…·")


def typeset(text: str) -> str:
    """The text as Typst gets it: invisible characters keeping brackets full-width at line ends (see above)."""
    if not (_CLOSING | _OPENING) & set(text):
        return text
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char in _OPENING and before and unicodedata.east_asian_width(before) in "WF":
            out.append("\u200b\u2060")
        out.append(char)
        if char in _CLOSING and after and after not in _NO_LINE_START and after not in _OPENING \
                and unicodedata.east_asian_width(after) in "WF":
            out.append("\u200b")
    return "".join(out)


def _text(text: str) -> str:
    return "#" + string(typeset(text)) if text else ""


def _len(value: float, unit: str = "pt") -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + unit


# --- fonts -----------------------------------------------------------------------------------------------------

_FONTS: dict[tuple[str, bool], tuple[object, dict[str, tuple[tuple[str, ...], int]]]] = {}


def _font_folder(fonts: FontConfig, copies: bool) -> tuple[Path, dict[str, list]]:
    """A folder holding every face of every chain (hard links, else copies, named so Typst scans them), and the
    file in it of each (standard, link) face."""
    key = hashlib.sha1(f"{fonts.key}|{copies}|{copies_version() if copies else ''}".encode(),
                       usedforsecurity=False).hexdigest()[:16]
    placed: dict[str, list] = {}
    wanted: dict[str, str] = {}
    for standard in STANDARD_FONTS:
        for _, faces in fonts.links(standard):
            for face in faces:
                source = working_copy(face) if copies else face
                suffix = Path(source.path).suffix.lower()
                suffix = suffix if suffix in (".ttf", ".otf", ".ttc", ".otc") else ".otf"
                name = hashlib.sha1(source.path.encode(), usedforsecurity=False).hexdigest()[:16] + suffix
                wanted[name] = source.path
                placed.setdefault(standard, []).append((name, source.index))
    problem = ""
    for base in cache_folders():
        folder = base.parent / f"typst-{key}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, path in wanted.items():
                target = folder / name
                if target.is_file() and target.stat().st_size == os.stat(path).st_size:
                    continue
                fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
                os.close(fd)
                os.unlink(temp)
                try:
                    os.link(path, temp)
                except OSError:
                    shutil.copyfile(path, temp)
                os.replace(temp, target)
        except OSError as exc:
            problem = f"{folder}: {exc.strerror}"
            continue
        return folder, placed
    raise FontError(f"cannot keep the fonts for Typst ({problem}); set PILOT_DOCS_CACHE to a writable folder")


def typst_fonts(fonts: FontConfig, copies: bool):
    """The typst.Fonts of a configuration (read once per process) and, for each standard name, its chain as
    Typst families and the weight of its first font."""
    import typst

    cache_key = (fonts.key, copies)
    if cache_key not in _FONTS:
        folder, placed = _font_folder(fonts, copies)
        book = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(folder)])
        infos = {(Path(i.path).name, i.index): i for i in book.fonts() if i.path}
        chains: dict[str, tuple[tuple[str, ...], int]] = {}
        for standard in STANDARD_FONTS:
            families: list[str] = []
            weights: list[int] = []
            for name, index in placed[standard]:
                info = infos.get((name, index))
                if info is None:
                    raise FontError(f"Typst cannot read a font of {fonts.describe(standard)} ({name})")
                if info.family not in families:
                    families.append(info.family)
                if info.family == families[0]:
                    weights.append(info.weight)
            weight = 400 if 400 in weights else weights[0]
            chains[standard] = (tuple(families), weight)
        _FONTS[cache_key] = (book, chains)
    return _FONTS[cache_key]


# --- the preamble: gongwen.css in Typst ------------------------------------------------------------------------

def _page_args(g: PageGeometry) -> str:
    return (f"width: {g.width}mm, height: {g.height}mm, "
            f"margin: (top: {g.top}mm, right: {g.right}mm, bottom: {g.bottom}mm, left: {g.left}mm), "
            f"foreground: pd-number({g.height - g.bottom + 7}mm, {g.left}mm, {g.right}mm)")


def preamble(chains: dict[str, tuple[tuple[str, ...], int]], title: str, landscape: bool, first_page: int = 1
             ) -> str:
    """gongwen.css in Typst: fonts, page, type; `first_page` is the number the document's first page gets (a piece
    of a volume laid out after an agency's own pages: parts.lay_out_pieces)."""
    fonts = "\n".join(
        f"#let f-{_FONT_KEYS[s]} = (font: ({', '.join(string(f) for f in fam)},), weight: {w})"
        for s, (fam, w) in chains.items())
    return f"""// pilot-docs: GB/T 9704 (gongwen.css) in Typst
{fonts}
#let pd-line = {LINE_PT}pt
#let pd-first = {first_page}
// the line box of CSS: `line` tall, the glyphs' content area (ascent 1.16 em, descent 0.288 em) in its middle
#let pd-lh(size, line) = (size: size, top-edge: line / 2 + 0.436 * size, bottom-edge: -(line / 2 - 0.436 * size))
#let pd-number(y, ml, mr) = context {{
  let n = here().page() + pd-first - 1
  let ends = query(<pd-body-end>)
  if ends.len() > 0 and here().page() > ends.first().location().page() {{ return none }}
  let label = text(..f-st, ..pd-lh(14pt, 14pt), tracking: 0pt, fill: black)[#("— " + str(n) + " —")]
  if calc.odd(n) {{
    place(top + right, dx: -(mr + 14pt), dy: y - 7pt, label)
  }} else {{
    place(top + left, dx: ml + 14pt, dy: y - 7pt, label)
  }}
}}
#set document(title: {string(title)}, date: none)
#set page({_page_args(LANDSCAPE if landscape else PORTRAIT)}, header: none, footer: none)
#set text(..f-fs, ..pd-lh(16pt, pd-line), tracking: -0.25pt, fill: black, lang: "zh", region: "tw", features: (locl: 0),
  hyphenate: false, cjk-latin-spacing: none, overhang: false, fallback: false)
#set par(leading: 0pt, spacing: 0pt, justify: false, first-line-indent: 0pt)
#set block(spacing: 0pt, above: 0pt, below: 0pt)
#show heading: it => none
#let pd-para(indent: 2em, body) = par(first-line-indent: (amount: indent, all: true), body)
#let pd-leader = box(width: 1fr, line(length: 100%, stroke: (thickness: 1.5pt, dash: "dotted")))
"""


# --- the body --------------------------------------------------------------------------------------------------

class _Writer:
    def __init__(self, root: Element, images: dict[str, bytes], chains) -> None:
        self.out: list[str] = []
        self.spans = 0  # merged cells drawn in reading order (see group)
        self.keeps = 0  # paragraphs kept with a 附件说明 or signature (see kept)
        self.split: set[int] = set()
        self.skip: set[int] = set()
        self.fonts = None
        self.mark = ""  # a marker the next paragraph starts with
        self.marks: dict[int, str] = {}
        self.toc_rows: list[tuple[str, PageGeometry]] = []  # the 目录's entries, in order, and their pages' geometry
        self.images = images
        self.chains = chains
        body = root.find("body")
        self.body = body
        self.landscape_body = body is not None and body.has("landscape")
        self.geometry = LANDSCAPE if self.landscape_body else PORTRAIT

    # inline content
    def inline(self, element: Element, strip: bool = True) -> str:
        mark, self.mark = self.mark, ""
        return mark + self._inline_content(element, strip)

    def _inline_content(self, element: Element, strip: bool) -> str:
        pieces: list[str] = []
        self._inline(element, pieces)
        if strip:
            while pieces and pieces[0] == " ":
                pieces.pop(0)
            while pieces and pieces[-1] == " ":
                pieces.pop()
        # spaces around a line break go, as at the start and end of a line
        out = []
        for i, piece in enumerate(pieces):
            if piece == " " and ((i and pieces[i - 1] == _BREAK)
                                 or (i + 1 < len(pieces) and pieces[i + 1] == _BREAK)):
                continue
            out.append(piece)
        return _join(out, end=True)

    def _inline(self, element: Element, pieces: list[str]) -> None:
        for child in element.children:
            if isinstance(child, str):
                for part in re.split(r"([ \t\r\n\f]+)", child):
                    if not part:
                        continue
                    if _WHITE.fullmatch(part):
                        if not pieces or pieces[-1] != " ":
                            pieces.append(" ")
                    else:
                        pieces.append(part)
            elif child.tag == "br":
                pieces.append(_BREAK)
            elif child.tag in ("strong", "em"):
                inner: list[str] = []
                self._inline(child, inner)
                fn = "strong" if child.tag == "strong" else "emph"
                pieces.append(Markup(f"#{fn}[{_join(inner)}]"))
            elif child.has("light"):  # a light: the ● and its word in its colour, never split (gongwen.css)
                inner = []
                self._inline(child, inner)
                colour = next(c for c in child.classes if c in LIGHT_COLORS)
                pieces.append(Markup(f"#box[#text(fill: rgb(\"#{LIGHT_COLORS[colour]}\"))[{_join(inner)}]]"))
            else:  # span
                self._inline(child, pieces)

    def emit(self, text: str) -> None:
        self.out.append(text)

    def font(self, standard: str) -> str:
        return f"..f-{_FONT_KEYS[standard]}"

    # blocks
    def blocks(self, parent: Element, geometry: PageGeometry) -> None:
        previous: Element | None = None
        children = parent.elements()
        for i, child in enumerate(children):
            following = children[i + 1] if i + 1 < len(children) else None
            if following is not None and _kept_with_previous(following) and child.tag == "p" \
                    and (previous is None or not _kept_with_previous(child)):
                self.kept(child, previous, children[i + 1:], geometry)
            else:
                self.block(child, previous, geometry)
            previous = child

    def kept(self, anchor: Element, previous: Element | None, rest: list[Element], g: PageGeometry) -> None:
        """The paragraph before a 附件说明 or a signature (gongwen.css: break-before: avoid on them, orphans and
        widows 2). The first layout marks where it ends and where what follows begins; when the latter starts a
        page, the next layout cuts the paragraph before its last two lines and keeps those with what follows."""
        self.keeps += 1
        n = self.keeps
        chain = []
        for e in rest:
            if not _kept_with_previous(e):
                break
            chain.append(e)
        start = len(self.out)
        if n in self.split:
            head, tail = _split_paragraph(anchor, self.line_width(g), self.fonts)
            if head is not None:
                self.block(head, previous, g)
            # the tail continues the paragraph: no first-line indent
            tail = Element(tail.tag, tuple(c for c in tail.classes if c != "recipient") + ("noindent",),
                           tail.attrs, tail.line, tail.children)
            self.block(tail, previous, g)
            self.out[start + (head is not None):] = [
                "#block(width: 100%, sticky: true)[" + "".join(self.out[start + (head is not None):]) + "]"]
            for e in chain[:-1]:
                mark = len(self.out)
                self.block(e, anchor, g)
                written = "".join(self.out[mark:])
                space = re.match(r"#v\([^)]*\)", written)  # the space above stays outside (weak at a block's top)
                lead = space.group(0) if space else ""
                self.out[mark:] = [lead + "#block(width: 100%, sticky: true)[" + written[len(lead):] + "]"]
        else:
            self.block(anchor, previous, g)
            if len(self.out) > start and self.out[-1].endswith("]"):  # at the end of its last line
                self.out[-1] = (self.out[-1][:-1] + f"#context [#metadata((k: \"kept-end\", n: {n}, "
                                f"p: here().page()))<pd>]]")
                # and at the start of each block that follows
                for e in chain:
                    self.marks[id(e)] = f"#context [#metadata((k: \"kept-next\", n: {n}, p: here().page()))<pd>]"
        self.skip.update(id(e) for e in chain[:-1] if n in self.split)

    def line_width(self, g: PageGeometry) -> float:
        return g.text_width_mm * MM

    def block(self, e: Element, previous: Element | None, g: PageGeometry) -> None:
        if id(e) in self.skip:
            return
        self.mark = self.marks.pop(id(e), "")
        tag = e.tag
        if tag == "header":
            self.masthead(e, g)
        elif tag == "p":
            self.paragraph(e, previous)
        elif tag == "hr":
            if e.has("red-rule"):
                self.emit(f"#v({RED_RULE_GAP_MM}mm)#block(width: 100%, height: 0.5mm, fill: rgb(\"#FF0000\"))")
            else:
                self.emit("#block(width: 100%, height: 0.25mm, fill: black)")
        elif tag == "h1":
            above = 0.0
            if previous is not None and previous.tag == "hr":
                above = 2 * LINE_PT
            elif previous is not None and previous.tag == "p" and previous.has("attachment-label"):
                above = LINE_PT
            self.heading(e, 1, above)
        elif tag in ("h2", "h3", "h4"):
            self.heading(e, int(tag[1]), 0)
        elif tag == "table":
            self.table(e, g)
        elif tag == "figure":
            self.figure(e, g)
        elif tag == "div":
            self.division(e)
        elif tag == "section":
            self.section(e, g)
        elif tag == "footer":
            pass  # the 版记 is written last, where render_typst puts it
        else:  # the vocabulary has been checked: nothing else gets here
            raise TemplateError(f"<{tag}> is not in the vocabulary")

    def masthead(self, e: Element, g: PageGeometry) -> None:
        text = "".join(_all_text(e))
        size = masthead_pt(text, g.text_width_mm)
        self.emit(f"#v(35mm)#block(width: 100%)[#set text({self.font(XIAOBIAOSONG)}, ..pd-lh({size}pt, {size}pt), "
                  f"tracking: 0pt, fill: rgb(\"#FF0000\"));#set par(justify: false);#align(center)[{self.inline(e)}]]")

    def paragraph(self, e: Element, previous: Element | None) -> None:
        body = self.inline(e)
        if e.has("doc-number"):
            self.emit(f"#v({2 * LINE_PT}pt)#align(center)[#par(justify: false)[{body}]]")
        elif e.has("recipient"):
            self.emit(f"#v({LINE_PT}pt, weak: true)#pd-para(indent: 0pt)[{body}]")
        elif e.has("attachment-note"):
            if previous is not None and previous.tag == "p" and previous.has("attachment-note"):
                self.emit(f"#pad(left: 5em)[#pd-para(indent: 0pt)[{body}]]")
            else:
                self.emit(f"#v({LINE_PT}pt, weak: true)#pad(left: 2em)[#par(hanging-indent: 3em)[{body}]]")
        elif e.has("attachment-label"):
            self.emit(f"#block[#set text({self.font(HEITI)});#pd-para(indent: 0pt)[{body}]]")
        elif e.has("center"):
            self.emit(f"#align(center)[#par(justify: false)[{body}]]")
        elif e.has("right"):
            self.emit(f"#align(right)[#par(justify: false)[{body}]]")
        elif e.has("noindent"):
            self.emit(f"#pd-para(indent: 0pt)[{body}]")
        else:
            self.emit(f"#pd-para[{body}]")

    def heading(self, e: Element, level: int, above: float) -> None:
        body = self.inline(e)
        label = "".join(_all_text(e, br="")).strip()
        label = _WHITE.sub(" ", label)
        mark = ""
        if level <= 3:
            mark = (f"#heading(level: {level}, outlined: false, bookmarked: true)[#{string(label)}]"
                    f"#context [#metadata((k: \"mark\", t: {string(label)}, l: {level}, p: here().page()))<pd>]")
        space = f"#v({above}pt, weak: true)" if above else ""
        if level == 1:
            style = (f"#set text({self.font(XIAOBIAOSONG)}, ..pd-lh(22pt, pd-line), tracking: -0.25pt);"
                     "#set par(justify: false);")
            self.emit(f"{space}#block(width: 100%, sticky: true)[{mark}{style}#align(center)[#par[{body}]]]")
        else:
            font = {2: HEITI, 3: KAITI, 4: FANGSONG}[level]
            self.emit(f"{space}#block(width: 100%, sticky: true)[{mark}#set text({self.font(font)});"
                      f"#set par(justify: false);#pd-para[{body}]]")

    def division(self, e: Element) -> None:
        lines = []
        for p in e.elements():
            body = self.inline(p)
            if p.has("issuer"):
                lines.append(f"#pad(right: 32pt)[#align(right)[#par(justify: false)[{body}]]]")
            elif p.has("date"):
                lines.append(f"#pad(right: 64pt)[#align(right)[#par(justify: false)[{body}]]]")
            else:
                lines.append(f"#pd-para[{body}]")
        if e.has("signature"):
            self.emit(f"#v({2 * LINE_PT}pt, weak: true)#block(breakable: false, width: 100%)[{''.join(lines)}]")
        else:
            self.emit("".join(lines))

    def section(self, e: Element, g: PageGeometry) -> None:
        starts_page = e.has("attachment") or e.has("part")
        if e.has("landscape") and not self.landscape_body:
            # a page run of its own: it starts a new page; the page numbers run on
            self.emit(f"#page({_page_args(LANDSCAPE)})[")
            self.blocks(e, LANDSCAPE)
            self.emit("]")
            return
        if starts_page:
            self.emit("#pagebreak(weak: true)")
        self.blocks(e, g)

    def figure(self, e: Element, g: PageGeometry) -> None:
        img = e.find("img")
        picture = image_of(img)
        name = hashlib.sha256(picture.data).hexdigest()[:20] + (".png" if picture.content_type == "image/png"
                                                                 else ".jpg")
        self.images[name] = picture.data
        width, height = figure_size_mm(picture.width, picture.height, g)
        parts = [f"#align(center)[#image({string('/' + name)}, width: {width:.3f}mm, height: {height:.3f}mm)]"]
        caption = e.find("figcaption")
        if caption is not None:
            parts.append(f"#block(width: 100%)[#set text({self.font(HEITI)}, ..pd-lh(14pt, pd-line));"
                         f"#set par(justify: false);#align(center)[#par[{self.inline(caption)}]]]")
        self.emit(f"#block(breakable: false, width: 100%)[{''.join(parts)}]")

    # tables
    def table(self, t: Element, g: PageGeometry) -> None:
        if t.has("toc"):
            self.toc(t, g)
            return
        small = t.has("small")
        size, line = (10.5, 15.0) if small else (14.0, 20.0)
        caption = next((c for c in t.elements() if c.tag == "caption"), None)
        colgroup = next((c for c in t.elements() if c.tag == "colgroup"), None)
        head = [r for s in t.elements() if s.tag == "thead" for r in s.elements()]
        bodies = [[r for r in s.elements()] for s in t.elements() if s.tag == "tbody"]
        loose = [r for r in t.elements() if r.tag == "tr"]
        if loose:
            bodies.append(loose)
        count = _column_count([*head, *(r for b in bodies for r in b)])
        widths: list[str] = []
        percents: list[float | None] = []
        if colgroup is not None:
            for col in colgroup.elements():
                percent = column_percent(col)
                percents.append(percent)
                widths.append(_len(percent, "%") if percent is not None else "1fr")
        widths = (widths + ["1fr"] * count)[:count] if count else ["1fr"]
        percents = (percents + [None] * count)[:count]
        total = g.text_width_mm * MM
        rest = total - sum(total * p / 100 for p in percents if p is not None)
        free = sum(p is None for p in percents) or 1
        points = [total * p / 100 if p is not None else rest / free for p in percents]
        out = []
        if caption is not None:
            out.append(f"#block(width: 100%, sticky: true)[#set text({self.font(HEITI)}, ..pd-lh(16pt, pd-line));"
                       f"#set par(justify: false);#align(center)[#par[{self.inline(caption)}]]]")
        cells = []
        if head:
            cells.append("table.header(repeat: true, " + ", ".join(self.group(head, points)) + ")")
        for rows in bodies:
            cells.extend(self.group(rows, points))
        # WeasyPrint keeps a collapsed table's outer borders whole inside the table on each page (CSS would let half
        # of them spill out): 0.25 pt above and below each page's run of rows
        out.append(f"#block(width: 100%, inset: (y: {_BORDER / 2}pt))[#set text({self.font(FANGSONG)}, "
                   f"..pd-lh({size}pt, {line}pt));"
                   f"#set par(justify: false);"
                   f"#table(columns: ({', '.join(widths)},), stroke: 0.5pt + black, inset: (x: {_INSET_X}pt, "
                   f"y: {_INSET_Y}pt), align: left + horizon, {', '.join(cells)})]")
        self.emit("".join(out))

    def group(self, rows: list[Element], points: list[float]) -> list[str]:
        """The cells of a thead or tbody, a rowspan ending with it (as in HTML).

        Typst draws a merged cell after the rows it spans, so its words would come out of reading order in the
        PDF's text. Its words are therefore laid out hidden in the merged cell (which keeps its size and place),
        and drawn at that place from the cell before it in the same row (or after it), which Typst draws in
        order: the text reads as the HTML does."""
        places = _grid(rows)
        content = {id(c): self.cell_content(c) for r in rows for c in r.elements()}
        before: dict[int, list[str]] = {}
        after: dict[int, list[str]] = {}
        hidden: dict[int, str] = {}
        for r, row in enumerate(rows):
            cells = row.elements()
            for i, c in enumerate(cells):
                span = min(int(c.attrs.get("rowspan") or 1), len(rows) - r)
                if span <= 1:
                    continue
                anchors_before = [a for a in cells[:i] if int(a.attrs.get("rowspan") or 1) <= 1]
                anchors_after = [a for a in cells[i + 1:] if int(a.attrs.get("rowspan") or 1) <= 1]
                if not anchors_before and not anchors_after:
                    continue
                self.spans += 1
                n = self.spans
                _, col = places[id(c)]
                width = sum(points[col:col + int(c.attrs.get("colspan") or 1)]) - 2 * _INSET_X
                align = "center" if c.tag == "th" else "left"
                # a repeated head has its labels once on every page: each looks for its twin on its own page
                drawn = (f"#place(top + left)[#metadata(none)<pd-rc{n}>]#context {{ let pg = here().page(); "
                         f"let p = query(<pd-rs{n}>).filter(x => x.location().page() == pg); "
                         f"let me = query(<pd-rc{n}>).filter(x => x.location().page() == pg); "
                         f"if p.len() > 0 and me.len() > 0 {{ let p = p.first().location().position(); "
                         f"let me = me.first().location().position(); "
                         f"place(top + left, dx: p.x - me.x, dy: p.y - me.y, block(width: {width:.3f}pt)"
                         f"[#align({align})[{content[id(c)]}]]) }} }}")
                marked = f"#block(width: 100%)[#place(top + left)[#metadata(none)<pd-rs{n}>]{content[id(c)]}]"
                hidden[id(c)] = (f"#context {{ let pg = here().page(); if query(<pd-rc{n}>).any(x => "
                                 f"x.location().page() == pg) {{ hide[{marked}] }} else [{marked}] }}")
                if anchors_before:
                    after.setdefault(id(anchors_before[-1]), []).append(drawn)
                else:
                    before.setdefault(id(anchors_after[0]), []).append(drawn)
        out = []
        for r, row in enumerate(rows):
            for c in row.elements():
                body = hidden.get(id(c), content[id(c)])
                body = "".join(before.get(id(c), [])) + body + "".join(after.get(id(c), []))
                out.append(self.cell(c, body, len(rows) - r))
        return out

    def cell_content(self, c: Element, mark: str = "") -> str:
        """A cell's words; `mark` goes first on its first line."""
        paragraphs = [p for p in c.elements() if p.tag == "p"]
        if paragraphs:
            inner = []
            for i, p in enumerate(paragraphs):
                body = ("" if i else mark) + self.inline(p)
                if p.has("center"):
                    inner.append(f"#align(center)[#par[{body}]]")
                elif p.has("right"):
                    inner.append(f"#align(right)[#par[{body}]]")
                else:
                    inner.append(f"#par[{body}]")
            content = "".join(inner)
        else:
            content = mark + self.inline(c)
        if c.tag == "th":
            content = f"#set text({self.font(HEITI)});" + content
        return content

    def cell(self, c: Element, content: str, rows_left: int) -> str:
        args = []
        span = min(int(c.attrs.get("rowspan") or 1), rows_left)
        if span > 1:
            args.append(f"rowspan: {span}")
        else:
            args.append("breakable: false")  # a row never splits; a rowspan runs on over pages
        if int(c.attrs.get("colspan") or 1) > 1:
            args.append(f"colspan: {int(c.attrs['colspan'])}")
        if c.tag == "th":
            args.append("align: center + horizon")
        return f"table.cell({', '.join(args)})[{content}]"

    def toc(self, t: Element, g: PageGeometry) -> None:
        caption = next((c for c in t.elements() if c.tag == "caption"), None)
        if caption is not None:
            self.emit(f"#block(width: 100%, sticky: true)[#set text({self.font(HEITI)});"
                      f"#set par(justify: false);#align(center)[#par[{self.inline(caption)}]]]")
        rows = [r for s in t.elements() if s.tag in ("tbody", "tr") for r in ([s] if s.tag == "tr" else s.elements())]
        for row in rows:
            entry, number = row.elements()
            pad = "2em" if entry.has("toc-sub") else "0pt"
            # where the row is, top and bottom, for its link (parts.toc_links): markers that take no room
            n = len(self.toc_rows)
            self.toc_rows.append(("".join(_all_text(entry)), g))
            where = [f"#place({side} + left)[#context [#metadata((k: \"toc-{side}\", n: {n}, p: here().page(), "
                     f"y: here().position().y.pt()))<pd>]]" for side in ("top", "bottom")]
            self.emit(f"#block(breakable: false, width: 100%)[{where[0]}#set par(justify: false);"
                      f"#grid(columns: (1fr, 3em), align: (left + bottom, right + bottom), "
                      f"pad(left: {pad})[#par[{self.inline(entry)}#h(0.25em)#pd-leader]], "
                      f"[#par[#pd-leader#h(0.25em){self.inline(number)}]]){where[1]}]")

    def colophon(self, footer: Element) -> str:
        pieces = ["#block(width: 100%, height: 0.35mm, fill: black)"]
        for i, p in enumerate(footer.elements()):
            if i:
                pieces.append("#block(width: 100%, height: 0.25mm, fill: black)")
            if p.has("printed"):
                spans = [s for s in p.elements() if s.tag == "span"]
                printer = next((s for s in spans if s.has("printer")), None)
                date = next((s for s in spans if s.has("print-date")), None)
                left = self.inline(printer) if printer is not None else ""
                right = self.inline(date) if date is not None else ""
                pieces.append(f"#pad(x: 14pt)[#grid(columns: (auto, 1fr), [#par[{left}]], "
                              f"align(right)[#par[{right}]])]")
            elif p.has("cc"):
                pieces.append(f"#pad(left: 14pt, right: 14pt)[#par(hanging-indent: 42pt)[{self.inline(p)}]]")
            else:
                pieces.append(f"#pad(x: 14pt)[#par[{self.inline(p)}]]")
        pieces.append("#block(width: 100%, height: 0.35mm, fill: black)")
        return (f"#block(width: 100%, breakable: false)[#set text(..pd-lh(14pt, pd-line));#set par(justify: false);"
                f"#context [#metadata((k: \"colophon\", p: here().page()))<pd>]{''.join(pieces)}]")


def _split_paragraph(p: Element, width_pt: float, fonts) -> tuple[Element | None, Element]:
    """A paragraph cut before its last two lines (head None when it has no more), the lines found as the grid
    lays them out: 16 pt characters with -0.25 pt tracking, the first line two characters in, no break before
    a closing mark or after an opening one, nor inside a run of Latin letters and digits."""
    text = "".join(_all_text(p))
    text = _WHITE.sub(" ", text).strip()
    size, tracking = 16.0, -0.25
    widths = [(size if unicodedata.east_asian_width(ch) in "WF" else _latin_width(ch, fonts) * size) + tracking
              for ch in text]
    starts = [0]
    x = 0.0 if {"noindent", "recipient", "center", "right", "attachment-label"} & set(p.classes) else 2 * size
    last_break = None
    i = 0
    while i < len(text):
        if i > starts[-1] and _may_break(text, i):
            last_break = i
        if x + widths[i] - tracking > width_pt + 0.01 and i > starts[-1]:
            cut = last_break if last_break is not None and last_break > starts[-1] else i
            starts.append(cut)
            x = sum(widths[cut:i])
            last_break = None
        x += widths[i]
        i += 1
    if len(starts) <= 2:
        return None, p
    offset = starts[-2]
    return _cut(p, offset)


_NO_START = set("，。、；：？！）》」』”’%〕】…")
_NO_END = set("（《「『“‘〔【")


def _may_break(text: str, i: int) -> bool:
    before, here = text[i - 1], text[i]
    if here in _NO_START or before in _NO_END or here == " ":
        return False
    return not (before.isascii() and here.isascii() and before != " ")  # a Latin word or number stays whole


def _latin_width(ch: str, fonts) -> float:
    """The advance of a narrow character in the body font, in ems (0.5 when it cannot be read)."""
    if fonts is None:
        return 0.5
    return _advances(fonts.faces(FANGSONG)[0].path, fonts.faces(FANGSONG)[0].index).get(ord(ch), 0.5)


@functools.cache
def _advances(path: str, index: int) -> dict[int, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    units = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    return {code: metrics[name][0] / units for code, name in cmap.items() if code < 0x3000 and name in metrics}


def _cut(p: Element, offset: int) -> tuple[Element, Element]:
    """The paragraph's inline content in two at a character offset of its collapsed text."""
    head = Element(p.tag, p.classes, p.attrs, p.line, [])
    tail = Element(p.tag, p.classes, p.attrs, p.line, [])
    seen = 0
    started = False

    def walk(src: Element, a: Element, b: Element) -> None:
        nonlocal seen, started
        for child in src.children:
            if isinstance(child, str):
                collapsed = _WHITE.sub(" ", child)
                if not started:
                    collapsed = collapsed.lstrip()
                    if collapsed:
                        started = True
                take = max(0, min(len(collapsed), offset - seen))
                if take:
                    a.children.append(collapsed[:take])
                if take < len(collapsed):
                    b.children.append(collapsed[take:])
                seen += len(collapsed)
            elif child.tag == "br":
                (a if seen < offset else b).children.append(child)
            else:
                ca = Element(child.tag, child.classes, child.attrs, child.line, [])
                cb = Element(child.tag, child.classes, child.attrs, child.line, [])
                walk(child, ca, cb)
                if ca.children:
                    a.children.append(ca)
                if cb.children:
                    b.children.append(cb)

    walk(p, head, tail)
    return head, tail


def _kept_with_previous(e: Element) -> bool:
    return (e.tag == "div" and e.has("signature")) or (e.tag == "p" and e.has("attachment-note"))


class Markup(str):
    """A piece of inline content that is Typst markup we wrote; every other piece is text (data)."""


_BREAK = Markup("#linebreak()")


def _join(pieces: list[str], end: bool = False) -> str:
    """Inline pieces as markup: adjacent runs of text as one string literal, our markup as it is. `end`: the
    pieces end their paragraph, so a closing mark at their end gets its zero-width space too (Typst would set it
    half-width at the end of the paragraph's last line, where WeasyPrint gives it its full width)."""
    out: list[str] = []
    run: list[str] = []
    for piece in pieces:
        if isinstance(piece, Markup):
            out.append(_text("".join(run)))
            run = []
            out.append(piece)
        else:
            run.append(piece)
    tail = "".join(run)
    out.append(_text(tail + ("\u200b" if end and tail and tail[-1] in _CLOSING else "")))
    return "".join(out)


def _all_text(e: Element, br: str = "") -> Iterator[str]:
    for child in e.children:
        if isinstance(child, str):
            yield child
        elif child.tag == "br":
            yield br
        else:
            yield from _all_text(child, br)


_BORDER = 0.5  # gongwen.css: th, td { border: 0.5pt solid }
_INSET_X = 4.25  # gongwen.css: padding 4 pt, and half of each 0.5 pt border (Typst strokes take no room)
_INSET_Y = 2.25


def _grid(rows: list[Element]) -> dict[int, tuple[int, int]]:
    """Each cell's (row, column) in a group of rows, rowspans and colspans taken into account."""
    taken: set[tuple[int, int]] = set()
    places: dict[int, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row.elements():
            while (r, c) in taken:
                c += 1
            places[id(cell)] = (r, c)
            rs, cs = int(cell.attrs.get("rowspan") or 1), int(cell.attrs.get("colspan") or 1)
            taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            c += cs
    return places


def _column_count(rows: list[Element]) -> int:
    """The number of columns of a table, rowspans and colspans counted (as an HTML table's grid)."""
    taken: dict[tuple[int, int], bool] = {}
    widest = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row.elements():
            while taken.get((r, c)):
                c += 1
            rs, cs = int(cell.attrs.get("rowspan") or 1), int(cell.attrs.get("colspan") or 1)
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = True
            c += cs
            widest = max(widest, c)
    return widest


# --- compile ---------------------------------------------------------------------------------------------------

def typst_source(html: str, fonts: FontConfig, source_name: str, *, colophon: str = "float",
                 images: dict[str, bytes] | None = None, copies: bool = True, split: frozenset[int] = frozenset(),
                 first_page: int = 1) -> str:
    """The Typst markup of a checked document. `colophon`: "float" puts the 版记 at the foot of the last page;
    "page" on a page of its own, the next even one, unnumbered (as a blank page before it). `split`: the
    paragraphs (counted from 1) whose last two lines go with the 附件说明 or signature after them. `first_page`:
    the number of its first page (a piece of a volume after an agency's own pages)."""
    return _source(html, fonts, source_name, colophon=colophon, images=images, copies=copies, split=split,
                   first_page=first_page)[0]


def _source(html: str, fonts: FontConfig, source_name: str, *, colophon: str, images: dict[str, bytes] | None,
            copies: bool, split: frozenset[int], first_page: int) -> tuple[str, _Writer]:
    """typst_source, and the writer that wrote it (what it found: the 目录's rows)."""
    root = parse(prepare_html(html), source_name)
    _, chains = typst_fonts(fonts, copies)
    writer = _Writer(root, images if images is not None else {}, chains)
    writer.split = set(split)
    writer.fonts = fonts
    head = root.find("head")
    title_element = head.find("title") if head is not None else None
    title = "".join(_all_text(title_element)).strip() if title_element is not None else ""
    body = writer.body
    writer.blocks(body, writer.geometry)
    footer = next((e for e in body.elements() if e.tag == "footer" and e.has("colophon")), None)
    if footer is not None:
        block = writer.colophon(footer)
        if colophon == "page":
            # where the body ends: inside its last block, or the landscape section that ends it (a marker between
            # blocks may fall on the next page, and after a landscape section it would)
            end = "#context [#metadata(here().page())<pd-body-end>]"
            if writer.out and writer.out[-1].endswith("]"):
                writer.out[-1] = writer.out[-1][:-1] + end + "]"
            else:
                writer.emit(end)
            # Typst's sides are the pages' places in the PDF: the 版记 goes on an even page of the document's numbers
            side = "even" if first_page % 2 else "odd"
            writer.emit(f"#pagebreak(to: \"{side}\")"
                        f"#block(width: 100%, height: 100%)[#v(1fr){block}]")
        else:
            # where the body ends: inside its last block (a marker between blocks may fall on the next page)
            end = "#context [#metadata((k: \"end\", p: here().page()))<pd>]"
            if writer.out and writer.out[-1].endswith("]"):
                writer.out[-1] = writer.out[-1][:-1] + end + "]"
            else:
                writer.emit(end)
            writer.emit(f"#place(bottom, float: true, clearance: 0pt)[{block}]")
    writer.emit("#context [#metadata((k: \"pages\", p: counter(page).final().first()))<pd>]")
    return preamble(chains, title, writer.landscape_body, first_page) + "\n".join(writer.out) + "\n", writer


def _inspect(html: str, fonts: FontConfig, source_name: str) -> bool:
    """Check the HTML and its glyphs (the same errors as render_pdf); whether the working copies have every
    character. Read block by block (parse_blocks): a 5,000-item volume's whole tree took 350 MB before its layout,
    which then laid out on top of what the tree had left in the heap."""
    check = GlyphCheck(fonts, source_name)
    for event, element in parse_blocks(html, source_name):
        if event == "block":
            check.add(element)
    check.done()
    return covers(check.chars)


_COMPILED: list[bool] = []


def compiled() -> bool:
    """Whether Typst has compiled in this process (its threads do not survive a fork: build/parallel.py)."""
    return bool(_COMPILED)


EVICT_AGE = 10  # typst-py evicts Typst's memo cache after each compile, keeping what the last 10 compiles used


def evict_cache() -> None:
    """Let go of what Typst remembers of earlier documents. Typst memoizes each compile's work (comemo) so that
    the next compile of a similar document is fast, and typst-py ends each compile by evicting what no compile
    used in the last EVICT_AGE ones: a worker that laid out a long document, part after part, would hold each
    part's layouts through the next several compiles (a 1,000-item volume's 36 parts: 670 MB, against 225 MB
    when evicted after each part). typst-py exposes no eviction of its own, so EVICT_AGE + 1 compiles of an
    empty document (~30 ms in all, the last one doing the evicting) age the rest out."""
    if not _COMPILED:
        return
    compiler = _empty_compiler()
    for _ in range(EVICT_AGE + 1):
        compiler.compile(format="svg")


_EMPTY: dict[int, tuple[Path, object]] = {}  # process → the folder and compiler of its empty file


def _empty_compiler():
    """A compiler of an empty file (typst-py's Compiler cannot compile bytes), one per process, its folder removed
    when the process ends (a build's worker too, as _working_folder's)."""
    import typst

    if os.getpid() not in _EMPTY or not (_EMPTY[os.getpid()][0] / "empty.typ").is_file():
        from multiprocessing.util import Finalize

        _EMPTY.clear()
        folder = Path(tempfile.mkdtemp(prefix="pilot-docs-typst-empty-"))
        Finalize(None, shutil.rmtree, args=(str(folder), True), exitpriority=0)
        (folder / "empty.typ").write_bytes(b"")
        _EMPTY[os.getpid()] = (folder, typst.Compiler(str(folder / "empty.typ"), root=str(folder),
                                                      ignore_system_fonts=True))
    return _EMPTY[os.getpid()][1]


def _query(compiler) -> list[dict]:
    """What the document's markers say after layout: each heading's page, where the body ends and the 版记 is."""
    return json.loads(compiler.query("<pd>", field="value", format="json"))


_WORK: dict[int, tuple[Path, dict[int, object]]] = {}  # process → its working folder, its compiler per font book


@contextmanager
def _working_folder(book) -> Iterator[tuple[str, object]]:
    """This process's folder for Typst (removed when the process ends) and its compiler for a font book, reading
    main.typ there: one compiler for every layout of every document, main.typ and the pictures written anew before
    each (Typst reads its files again at every compile), so that the fonts' faces are read once a process rather
    than once a layout. The document's pictures are removed after it."""
    import typst

    # a forked process makes its own folder, and so does one whose folder was removed (a /tmp cleaner)
    if os.getpid() not in _WORK or not _WORK[os.getpid()][0].is_dir():
        from multiprocessing.util import Finalize

        _WORK.clear()
        folder = Path(tempfile.mkdtemp(prefix="pilot-docs-typst-"))
        Finalize(None, shutil.rmtree, args=(str(folder), True), exitpriority=0)  # at exit, in a worker too
        (folder / "main.typ").write_text("", encoding="utf-8")
        _WORK[os.getpid()] = (folder, {})
    folder, compilers = _WORK[os.getpid()]
    if id(book) not in compilers:  # books are kept for the process's life (typst_fonts)
        compilers[id(book)] = typst.Compiler(str(folder / "main.typ"), root=str(folder), font_paths=book,
                                             ignore_system_fonts=True)
    try:
        yield str(folder), compilers[id(book)]
    finally:
        for file in folder.iterdir():
            if file.name != "main.typ":
                file.unlink(missing_ok=True)


def render_typst(html: str, *, base_url: str | Path | None = None, fonts: FontConfig, source_name: str,
                 style_dirs: Sequence[str | Path] = (), outline: list[tuple[str, int, int]] | None = None,
                 write: bool = True, layout: dict | None = None) -> bytes:
    """The PDF of a rendered template through Typst; the same arguments and results as render_pdf (`style_dirs`
    is not used: the layout is this module's, gongwen.css's numbers in Typst; `base_url` is the project, where
    the agencies' own documents of a volume are). A long document is laid out part by part, and a volume's own
    documents are placed, as render_pdf does (parts.lay_out_pieces)."""
    copies = _inspect(html, fonts, source_name)
    book, chains = typst_fonts(fonts, copies)

    laid_out = [0]  # characters laid out since the cache was last emptied

    def lay_out(piece: str, first_page: int, last: bool) -> Laid:
        laid = _lay_out(piece, fonts, source_name, copies, book, first_page, write)
        laid_out[0] += len(piece)
        if not last and laid_out[0] >= PIECES_BEFORE_EVICTING:  # a long document: let the parts laid out go
            evict_cache()
            laid_out[0] = 0
        return laid

    # cut before each part, as render_pdf does, so that memory follows the longest part: Typst's grows faster
    # than the document (a 1,000-item volume laid out whole peaks at 1.5 GB, its longest part alone at 180 MB)
    pdfs, whole = lay_out_pieces(split_parts(html), lay_out, _numbers(book, chains, source_name), base_url, write)
    if outline is not None:
        outline.extend(whole.marks)
    if layout is not None:
        layout.update(pages=whole.pages, colophon_page=whole.own_page)
    return joined_pdf(pdfs, whole) if write else b""


# Characters of HTML laid out in pieces before Typst's memo cache is emptied (evict_cache): a 1,000-item volume
# peaks at 295 MB evicting after each of its 36 parts, 640 MB every 500,000 characters, 700 MB never.
PIECES_BEFORE_EVICTING = 20_000


def _typst_error(exc: RuntimeError, source_name: str) -> Exception:
    message = getattr(exc, "message", str(exc))
    if "font" in message.lower():
        return FontError(f"{source_name}: Typst: {message}")
    return TemplateError(f"{source_name}: Typst: {message}")


def _lay_out(html: str, fonts: FontConfig, source_name: str, copies: bool, book, first_page: int,
             write: bool) -> Laid:
    """One piece laid out from `first_page` on: its PDF (when `write`), pages, bookmarks, whether its 版记 has a
    page of its own, and its 目录's rows (page, rectangle, entry) for their links."""
    with _working_folder(book) as (root, compiler):
        images: dict[str, bytes] = {}
        source, writer = _source(html, fonts, source_name, colophon="float", images=images, copies=copies,
                                 split=frozenset(), first_page=first_page)
        for name, data in images.items():
            Path(root, name).write_bytes(data)
        own_page = False
        main = Path(root, "main.typ")
        colophon, split = "float", frozenset()
        try:
            for again in range(4):  # a layout, and again for each rule the first one breaks
                if again:  # (the first layout's source is made above)
                    source, writer = _source(html, fonts, source_name, colophon=colophon, images=images,
                                             copies=copies, split=split, first_page=first_page)
                main.write_text(source, encoding="utf-8")
                _COMPILED[:] = [True]
                found = _query(compiler)
                ends = {m["n"]: m["p"] for m in found if m["k"] == "kept-end"}
                starts_page = frozenset(m["n"] for m in found  # any of the blocks kept with it
                                        if m["k"] == "kept-next" and m["p"] > ends.get(m["n"], m["p"]))
                if starts_page - split:  # what follows a paragraph kept with it starts a page: keep two lines
                    split = split | starts_page
                    continue
                end = [m["p"] for m in found if m["k"] == "end"]
                where = [m["p"] for m in found if m["k"] == "colophon"]
                if colophon == "float" and where and ((where[0] + first_page - 1) % 2 == 1 or where[0] != end[0]):
                    own_page, colophon = True, "page"
                    continue
                break
            pdf = None
            if write:
                pdf, warnings = compiler.compile_with_warnings(format="pdf", pdf_tags=False)
                if warnings:
                    raise TemplateError(f"{source_name}: Typst: {warnings[0].message}")
                pdf = without_marks(pdf)
        except RuntimeError as exc:  # typst.TypstError, and the query's plain RuntimeError
            raise _typst_error(exc, source_name) from exc
    shift = first_page - 1  # Typst counts the piece's pages from 1
    marks = [(m["t"], m["l"], m["p"] + shift) for m in found if m["k"] == "mark"]
    pages = next(m["p"] for m in found if m["k"] == "pages")
    rows = []
    if write and writer.toc_rows:
        tops = {m["n"]: m for m in found if m["k"] == "toc-top"}
        bottoms = {m["n"]: m for m in found if m["k"] == "toc-bottom"}
        for n, (text, g) in enumerate(writer.toc_rows):
            top, bottom = tops[n], bottoms[n]
            height, left = g.height * MM, g.left * MM
            rows.append((top["p"] + shift, (left, height - bottom["y"], left + g.text_width_mm * MM, height - top["y"]),
                         text))
    return Laid(pdf, pages, marks, own_page, rows)


_MARKS = (b"200B", b"2060")  # the invisible characters of typeset(), as UTF-16 code units in hex
_OBJECT = re.compile(rb"(\d+) 0 obj\n")
_STREAM = re.compile(rb"(\d+) 0 obj\n<</Length (\d+)([^>]*)>>\nstream\n")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_ACTUAL_TEXT = re.compile(rb"/ActualText<FEFF([0-9A-Fa-f]*)>")


def without_marks(pdf: bytes) -> bytes:
    """A Typst PDF whose text holds none of typeset()'s invisible characters: they stay in the layout, where they
    keep brackets full-width, but a reader searching the PDF for ××〔2009〕5号 finds it, as in WeasyPrint's.
    Typst writes them into the text of the glyph before them, in the fonts' ToUnicode maps and in ActualText
    spans; both are cut out of the streams that hold them, and the cross-reference table is written again. A PDF
    not as Typst writes it (or without such text) is returned as it is."""
    if b"FlateDecode" not in pdf:
        return pdf
    xref = pdf.rfind(b"\nxref\n")
    first = _OBJECT.search(pdf)
    if xref < 0 or first is None:
        return pdf
    objects: list[bytes] = []
    pos, changed = first.start(), False
    while pos < xref + 1:
        stream = _STREAM.match(pdf, pos)
        if stream is not None:
            length = int(stream.group(2))
            body = pdf[stream.end():stream.end() + length]
            tail = stream.end() + length
            if not pdf.startswith(b"\nendstream\nendobj\n", tail):
                return pdf
            end = tail + len(b"\nendstream\nendobj\n")
            cleaned = _clean_stream(stream.group(3), body)
            if cleaned is not None:
                changed = True
                objects.append(b"%s 0 obj\n<</Length %d%s>>\nstream\n%s\nendstream\nendobj\n"
                               % (stream.group(1), len(cleaned), stream.group(3), cleaned))
            else:
                objects.append(pdf[pos:end])
        else:
            if _OBJECT.match(pdf, pos) is None:
                return pdf
            end = pdf.find(b"\nendobj\n", pos)
            if end < 0:
                return pdf
            end += len(b"\nendobj\n")
            objects.append(pdf[pos:end])
        pos = end
    if not changed:
        return pdf
    trailer = pdf.find(b"trailer\n", xref)
    startxref = pdf.find(b"\nstartxref\n", trailer)
    if trailer < 0 or startxref < 0:
        return pdf
    out = [pdf[:first.start()]]
    offsets, offset = [], first.start()
    for obj in objects:
        offsets.append(offset)
        out.append(obj)
        offset += len(obj)
    out.append(b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1))
    out.extend(b"%010d 00000 n\r\n" % o for o in offsets)
    out.append(pdf[trailer:startxref] + b"\nstartxref\n%d\n%%%%EOF" % offset)
    return b"".join(out)


def _clean_stream(rest: bytes, body: bytes) -> bytes | None:
    """A ToUnicode map or page content without the invisible marks, compressed again; None if it has none."""
    import zlib

    if b"/FlateDecode" not in rest or b"/Subtype" in rest or b"/N " in rest:  # fonts, pictures, colour profiles
        return None
    try:
        text = zlib.decompress(body)
    except zlib.error:
        return None
    if b"begincmap" in text:
        fixed = _HEX.sub(lambda m: b"<%s>" % _cut_marks(m.group(1)), text)
    elif b"/ActualText" in text:
        fixed = _ACTUAL_TEXT.sub(lambda m: b"/ActualText<FEFF%s>" % _cut_marks(m.group(1)), text)
    else:
        return None
    return zlib.compress(fixed) if fixed != text else None


def _cut_marks(units: bytes) -> bytes:
    """UTF-16 code units in hex without the invisible marks (unless nothing else is there)."""
    if len(units) % 4:
        return units
    kept = b"".join(units[i:i + 4] for i in range(0, len(units), 4) if units[i:i + 4].upper() not in _MARKS)
    return kept or units


def _numbers(book, chains, source_name: str):
    """What lays out page numbers alone (external.place_pdf): empty pages, one a side, numbered from `first`."""
    def numbers(first: int, sides: list[str]) -> bytes:
        pages = "".join(f"#page({_page_args(LANDSCAPE if side == 'landscape' else PORTRAIT)})[]" for side in sides)
        with _working_folder(book) as (root, compiler):
            Path(root, "main.typ").write_text(preamble(chains, "", False, first) + pages, encoding="utf-8")
            _COMPILED[:] = [True]
            try:
                pdf, _ = compiler.compile_with_warnings(format="pdf", pdf_tags=False)
            except RuntimeError as exc:
                raise _typst_error(exc, source_name) from exc
        return pdf

    return numbers


def pdf_renderer(engine: str):
    """The function that makes a PDF with an engine: render_pdf (WeasyPrint) or render_typst."""
    if engine == "typst":
        return render_typst
    if engine == "weasyprint":
        from .pdf import render_pdf

        return render_pdf
    raise TemplateError(f"unknown PDF engine {engine!r} (known: {', '.join(ENGINES)})")


__all__ = ["ENGINES", "MM", "pdf_renderer", "render_typst", "string", "typst_source"]
