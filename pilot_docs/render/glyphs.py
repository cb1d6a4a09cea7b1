"""The glyph check: every character of a document must be in some font of the chain its text is set in."""

from __future__ import annotations

import os
from functools import cache

from ..errors import FontError
from .fonts import Face, FontConfig
from .vocabulary import Element, located, text_by_font

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
    for standard, pieces in text_by_font(root).items():
        if not pieces:
            continue
        have = coverage(fonts, standard)
        for text, line in pieces:
            for char in text:
                if char in _COLLAPSIBLE or ord(char) in have:
                    continue
                message = (f"character '{char}' (U+{ord(char):04X}) has no glyph in any configured font "
                           f"({fonts.describe(standard)})")
                raise located(FontError, source_name, line or None, message)
