"""The glyph check: every character of a document must be in some font of the chain its text is set in."""

from __future__ import annotations

import os
from functools import cache

from ..errors import FontError
from .fonts import Face, FontConfig
from .vocabulary import STANDARD_FONTS, Element, located, text_by_font

_COLLAPSIBLE = frozenset(" \t\n\r\f")


@cache
def _cmap(path: str, index: int, stamp: tuple[int, int]) -> frozenset[int]:
    """The code points a face maps to glyphs (cached per file version for the life of the process).

    Read by HarfBuzz: a tenth of the time fontTools takes on a CJK font, without its transient 80 MB."""
    import uharfbuzz as hb

    try:
        codes = frozenset(hb.Face(hb.Blob.from_file_path(path), index).unicodes)
    except Exception as exc:  # uharfbuzz raises plain exceptions for unreadable files
        raise FontError(f"{path}: cannot read the font's character map ({exc})") from exc
    if not codes:
        raise FontError(f"{path}: face {index} maps no character (not a font HarfBuzz can read)")
    return codes


def cmap(face: Face) -> frozenset[int]:
    """The code points of one face."""
    try:
        info = os.stat(face.path)
    except OSError as exc:
        raise FontError(f"{face.path}: font file is missing ({exc.strerror})") from exc
    return _cmap(face.path, face.index, (info.st_mtime_ns, info.st_size))


@cache
def _union(faces: tuple[Face, ...], stamps: tuple[tuple[int, int], ...]) -> frozenset[int]:
    return frozenset().union(*(_cmap(f.path, f.index, s) for f, s in zip(faces, stamps, strict=True)))


def coverage(fonts: FontConfig, standard: str) -> frozenset[int]:
    """The code points some face of a standard name's chain has."""
    faces = fonts.faces(standard)
    stamps = []
    for face in faces:
        cmap(face)  # raises FontError for a missing file
        info = os.stat(face.path)
        stamps.append((info.st_mtime_ns, info.st_size))
    return _union(faces, tuple(stamps))


def check_glyphs(root: Element, fonts: FontConfig, source_name: str) -> None:
    """Raise FontError at the first character (in document order) that no font of its chain can draw."""
    check = GlyphCheck(fonts, source_name)
    check.add(root)
    check.done()


class GlyphCheck:
    """check_glyphs of a document read block by block (vocabulary.parse_blocks): `add` each block, then `done`
    raises what check_glyphs raises of the whole: the first standard font (in their order) with a problem, a font
    file it cannot read or the first character (in document order) none of its chain draws. `chars`: every
    character of the text."""

    def __init__(self, fonts: FontConfig, source_name: str) -> None:
        self.fonts, self.source_name = fonts, source_name
        self.problems: dict[str, Exception | None] = {}  # standard font with text → its first problem, if any
        self.chars: set[str] = set()

    def add(self, element: Element) -> None:
        """Check the text of a block (or of a whole document), set in the body's font unless it says otherwise."""
        for standard, pieces in text_by_font(element).items():
            if not pieces or self.problems.get(standard) is not None:
                continue
            try:
                have = coverage(self.fonts, standard)
            except FontError as exc:
                self.problems[standard] = exc
                continue
            self.problems[standard] = None
            for text, line in pieces:
                self.chars.update(text)
                missing = next((c for c in text if c not in _COLLAPSIBLE and ord(c) not in have), None)
                if missing is not None:
                    message = (f"character '{missing}' (U+{ord(missing):04X}) has no glyph in any configured font "
                               f"({self.fonts.describe(standard)})")
                    self.problems[standard] = located(FontError, self.source_name, line or None, message)
                    break

    def done(self) -> None:
        """Raise the document's first problem, if any."""
        for standard in STANDARD_FONTS:
            problem = self.problems.get(standard)
            if problem is not None:
                raise problem
