"""PDF: the vocabulary's HTML through WeasyPrint with the GB/T 9704 print stylesheet, checked and reproducible."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from ..errors import FontError, TemplateError
from .external import numbers_html
from .font_copies import covers
from .fonts import FontConfig, check_harfbuzz_subset
from .geometry import LANDSCAPE, PORTRAIT, masthead_pt
from .glyphs import check_glyphs
from .parts import TOC_TABLE, Laid, joined_pdf, lay_out_pieces, split_parts, toc_rows
from .pdf_fonts import font_configuration
from .titles import break_titles_html
from .vocabulary import Element, join_cjk_lines, parse, text_by_font

STYLESHEET = "gongwen.css"
# The stylesheet shipped with the package; a project's own templates/static/ is searched first.
BUILTIN_STATIC = Path(str(resources.files("pilot_docs") / "templates" / "static"))  # package data


def find_stylesheet(search_dirs: Sequence[str | Path] = ()) -> Path:
    """The first gongwen.css in the search folders, else the built-in one."""
    for folder in (*search_dirs, BUILTIN_STATIC):
        candidate = Path(folder) / STYLESHEET
        if candidate.is_file():
            return candidate
    raise TemplateError(f"{STYLESHEET} not found in {', '.join(str(d) for d in (*search_dirs, BUILTIN_STATIC))}")


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


def css_strings(css: str) -> list[str]:
    """The quoted strings of a stylesheet: generated content and font names, the only text it can put on a page."""
    return [a or b for a, b in _CSS_STRING.findall(_CSS_COMMENT.sub("", css))]


_FOOTER = re.compile(r"<footer\b[^>]*>.*?</footer>", re.DOTALL)
_BETWEEN_PARAGRAPHS = re.compile(r">\s+<(/?)(p|footer)\b")


def prepare_html(html: str) -> str:
    """The HTML as WeasyPrint gets it: CJK line breaks joined, long titles broken between words (titles.py), no
    white space between the 版记's paragraphs."""
    # In a footnote float WeasyPrint 70 turns white space between blocks into empty lines.
    html = break_titles_html(join_cjk_lines(html), PORTRAIT.text_width_mm, LANDSCAPE.text_width_mm)
    return _FOOTER.sub(lambda m: _BETWEEN_PARAGRAPHS.sub(r"><\1\2", m.group(0)), html)


_COLOPHON = re.compile(r"<footer\b[^>]*\bcolophon\b")
# Before the 版记 when it must go on a page of its own (gongwen.css: div.colophon-page); PDF only, added after the
# vocabulary is checked.
COLOPHON_PAGE = '<div class="colophon-page">'


def has_colophon(html: str) -> bool:
    """Whether a document's HTML has a 版记."""
    return _COLOPHON.search(html) is not None


def _holds_body(page) -> bool:
    """Whether a laid-out page holds any of the document's blocks besides the 版记 (the footnote area) and the page
    number (margin boxes): the empty line of the 版记's footnote call does not count."""
    from weasyprint.formatting_structure import boxes

    def walk(box) -> bool:
        if isinstance(box, (boxes.FootnoteAreaBox, boxes.MarginBox)):
            return False
        tag = getattr(box, "element_tag", None)
        if tag not in (None, "html", "body") and not tag.startswith("footer"):
            return True
        return any(walk(child) for child in getattr(box, "children", ()))

    return walk(page._page_box)


def colophon_misplaced(document, first_page: int) -> bool:
    """Whether the 版记 of a laid-out document is not where GB/T 9704 wants it: on the last page, an even one,
    with the end of the body (a page holding the 版记 alone is moved to the next even page too, unnumbered)."""
    last = first_page + len(document.pages) - 1
    return last % 2 == 1 or not _holds_body(document.pages[-1])


def colophon_on_even_page(html: str) -> str:
    """The prepared HTML with the 版记 on a page of its own, the next even one (gongwen.css: div.colophon-page)."""
    start = list(_COLOPHON.finditer(html))[-1].start()
    end = html.index("</footer>", start) + len("</footer>")
    return html[:start] + COLOPHON_PAGE + html[start:end] + "</div>" + html[end:]


def document_css(root: Element) -> str:
    """Rules that depend on the document: the masthead shrinks to fit a long issuer name on one line."""
    masthead = next((e for e in _walk(root) if e.tag == "header" and e.has("masthead")), None)
    if masthead is None:
        return ""
    text = "".join(c for c in _walk_text(masthead))
    body = root.find("body")
    size = masthead_pt(text, (LANDSCAPE if body is not None and body.has("landscape") else PORTRAIT).text_width_mm)
    return f"header.masthead {{ font-size: {size}pt; line-height: {size}pt; }}\n"


def _walk(element: Element) -> Iterator[Element]:
    for child in element.elements():
        yield child
        yield from _walk(child)


def _walk_text(element: Element) -> Iterator[str]:
    for child in element.children:
        if isinstance(child, str):
            yield child
        else:
            yield from _walk_text(child)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings and errors of one render."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _weasyprint_warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect what WeasyPrint logs at WARNING and above while rendering."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    old_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _raise_for(records: list[logging.LogRecord], source_name: str, stylesheet: Path) -> None:
    """Treat WeasyPrint's warnings as errors: a fontTools fallback is a setup error, the rest a template error."""
    for record in records:
        message = record.getMessage()
        if "instead of HarfBuzz" in message:
            raise FontError(f"{source_name}: WeasyPrint fell back to fontTools to subset fonts; "
                            "install libharfbuzz-subset0 (HarfBuzz ≥ 4.1)")
        if "Font-face" in message:
            raise FontError(f"{source_name}: {message}")
    if records:
        raise TemplateError(f"{source_name} with {stylesheet}: WeasyPrint: {records[0].getMessage()}")


def _inspect(html: str, fonts: FontConfig, source_name: str, stylesheet: Path) -> tuple[str, bool]:
    """Check the document's HTML and glyphs; the rules it needs and whether the fonts' working copies have all its
    characters. The parsed tree is let go on return, before the layout needs the memory."""
    root = parse(html, source_name)
    check_glyphs(root, fonts, source_name)
    extra = document_css(root)
    head = root.find("head")
    styles = [text for e in (head.elements() if head is not None else []) if e.tag == "style" for text in e.children]
    css = [stylesheet.read_text(encoding="utf-8"), *styles, extra]  # what CSS may print (content: "…")
    texts = (text for pieces in text_by_font(root).values() for text, _ in pieces)
    return extra, covers(texts) and covers(string for sheet in css for string in css_strings(sheet))


def _numbers(sheets, font_config):
    """What lays out page numbers alone (external.place_pdf): empty pages, one a side, with our stylesheet."""
    from weasyprint import CSS, HTML

    def numbers(first: int, sides: list[str]) -> bytes:
        start = CSS(string=f"@page :first {{ counter-reset: page {first} }}\n"
                           f"html {{ break-before: {'right' if first % 2 else 'left'} }}", font_config=font_config)
        return HTML(string=numbers_html(sides)).render(stylesheets=[*sheets, start], font_config=font_config
                                                       ).write_pdf(pdf_identifier=False, custom_metadata=False)

    return numbers


_CSS_OBJECTS: dict[tuple, object] = {}  # (kind, file or text, font configuration) → weasyprint.CSS, per process
_CSS_LIMIT = 256  # the piece rules (one per first page number) of a province's volumes stay few


def _css(key: tuple[str, str], font_config):
    """The parsed stylesheet (a file, or a rule's text) for a font configuration: parsed once per process, not
    once per document. A stylesheet file is keyed on its bytes too, so an edited one is parsed again."""
    from weasyprint import CSS

    kind, value = key
    full = (kind, value, Path(value).read_bytes() if kind == "file" else b"", id(font_config))
    css = _CSS_OBJECTS.get(full)
    if css is None:
        if len(_CSS_OBJECTS) >= _CSS_LIMIT:
            _CSS_OBJECTS.clear()
        css = (CSS(filename=value, font_config=font_config) if kind == "file"
               else CSS(string=value, font_config=font_config))
        _CSS_OBJECTS[full] = css
    return css


def warm_up(fonts: FontConfig, base_url: str | Path | None = None) -> None:
    """Set up in advance what rendering a PDF needs first (a worker does it while the build plans): WeasyPrint's
    modules, the fonts' configuration (their working copies) and the parsed stylesheet."""
    style_dirs = [Path(base_url) / "templates" / "static"] if base_url is not None and Path(base_url).is_dir() else []
    _css(("file", str(find_stylesheet(style_dirs))), font_configuration(fonts, copies=True))


# Laid-out pieces kept while a document is made twice (a 目录's first pass, then the document with its page
# numbers): a piece with the same HTML, rules and first page gives the same pages, so only the 目录's part is laid
# out again — every part when the 目录's page count changed (the later first pages differ, so do the keys).
_PIECES: dict[tuple, tuple[bytes | None, list[list[tuple[int, str]]], bool]] | None = None


@contextmanager
def reusing_pieces() -> Iterator[None]:
    """While inside, render_pdf keeps each piece's PDF and bookmarks and reuses them when asked for the same piece
    again; a first pass (write=False) then writes its pieces' PDFs too. Forgotten on leaving."""
    global _PIECES
    outer = _PIECES
    _PIECES = {} if outer is None else outer
    try:
        yield
    finally:
        _PIECES = outer


def _lay_out(piece: str, base: str | None, sheets: list, font_config, first_page: int, last: bool,
             write: bool) -> tuple[bytes | None, list[list[tuple[int, str]]], bool, list]:
    """One piece laid out: its PDF (when `write`), each page's bookmarks (level, label), whether its 版记 was
    moved to a page of its own, and its 目录 rows when it has a 目录 (page, rectangle, entry: parts.toc_rows)."""
    from weasyprint import HTML

    own_page = False
    document = HTML(string=piece, base_url=base).render(stylesheets=sheets, font_config=font_config)
    if last and _COLOPHON.search(piece) and colophon_misplaced(document, first_page):
        del document
        document = HTML(string=colophon_on_even_page(piece), base_url=base).render(
            stylesheets=sheets, font_config=font_config)
        own_page = True
    rows = toc_rows(document, first_page) if write and TOC_TABLE.search(piece) else []  # become links
    page_marks = [[(level, label) for level, label, *_ in page.bookmarks] for page in document.pages]
    # No /ID, no dates: WeasyPrint writes /CreationDate only from <meta name=dcterms.created>.
    pdf = document.write_pdf(pdf_identifier=False, custom_metadata=False) if write else None
    del document  # its pages are what takes the memory
    return pdf, page_marks, own_page, rows


def render_pdf(html: str, *, base_url: str | Path | None, fonts: FontConfig, source_name: str,
               style_dirs: Sequence[str | Path] = (), outline: list[tuple[str, int, int]] | None = None,
               write: bool = True, layout: dict | None = None) -> bytes:
    """The PDF of a rendered template: same HTML and fonts give the same bytes.

    The stylesheet is the first gongwen.css in `style_dirs` (by default the project's templates/static/ under
    `base_url`, when that is a folder), else the built-in one. When `outline` is a list, it receives the PDF's
    bookmarks as (title, level, page number), for a 目录 filled in by a second rendering; such a first rendering
    needs only the layout (`write=False`: no PDF is written, b"" is returned).

    The 版记 goes on an even page (GB/T 9704 7.4): when the first layout puts it on an odd page, or on a page of
    its own, the last piece is laid out again with the 版记 starting the next even page, which carries no page
    number, nor does a blank page before it (7.5). When `layout` is a dict, it receives `pages` (the page count)
    and `colophon_page` (True when the 版记 has a page of its own), which the DOCX follows.
    """
    if not check_harfbuzz_subset():
        raise FontError("WeasyPrint cannot use HarfBuzz to subset fonts (it would fall back to fontTools, "
                        "~40x slower); install libharfbuzz-subset0")
    base = str(base_url) if base_url else None
    if base_url is not None and Path(base_url).is_dir():
        base = Path(base_url).resolve().as_uri() + "/"  # so that "a.css" resolves inside the folder
        style_dirs = style_dirs or [Path(base_url) / "templates" / "static"]
    stylesheet = find_stylesheet(style_dirs)
    extra, copies = _inspect(html, fonts, source_name, stylesheet)
    # Working copies of the fonts when every character is in them (nearly always): same glyphs, far less work.
    font_config = font_configuration(fonts, copies=copies)
    with _weasyprint_warnings() as records:
        sheet_keys = [("file", str(stylesheet))] + ([("string", extra)] if extra else [])

        def lay_out(piece: str, first_page: int, last: bool) -> Laid:
            piece_keys = sheet_keys
            if not last or first_page > 1:  # continue the page numbers, odd pages on the right
                side = "right" if first_page % 2 else "left"
                rule = f"@page :first {{ counter-reset: page {first_page} }}\nhtml {{ break-before: {side} }}"
                piece_keys = [*sheet_keys, ("string", rule)]
            key = (piece, tuple(piece_keys), not last, base, id(font_config))
            laid = _PIECES.get(key) if _PIECES is not None else None
            if laid is None:
                laid = _lay_out(piece, base, [_css(k, font_config) for k in piece_keys], font_config, first_page,
                                last=last, write=write or _PIECES is not None)
                if _PIECES is not None:
                    _PIECES[key] = laid
            pdf, page_marks, own_page, rows = laid
            return Laid(pdf, len(page_marks), [(label, level, first_page + n) for n, page in enumerate(page_marks)
                                               for level, label in page], own_page, rows)

        numbers = _numbers([_css(k, font_config) for k in sheet_keys], font_config)
        pdfs, whole = lay_out_pieces(split_parts(prepare_html(html)), lay_out, numbers, base_url, write)
    _raise_for(records, source_name, stylesheet)
    if outline is not None:
        outline.extend(whole.marks)
    if layout is not None:
        layout.update(pages=whole.pages, colophon_page=whole.own_page)
    return joined_pdf(pdfs, whole) if write else b""
