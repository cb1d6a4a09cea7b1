"""Working copies of the CJK faces cut down to GB 2312, so that a PDF does not read a whole 20-27 MB font.

For every document WeasyPrint reads each face it uses whole into memory and subsets it with HarfBuzz: for the
Noto CJK collections (65,535 glyphs) that is ~25 ms and ~25 MB per face per document, most of a letter's time,
and every worker process keeps the files' pages resident. A working copy holds only the characters of the
repertoire below (GB 2312, the characters of Chinese official documents, plus Latin and punctuation), with its
names, metrics, outlines and layout tables untouched: laid out from it, a document gets the same glyphs in the
same places. A document with a character outside the repertoire is rendered from the original faces, as before.

Copies are made with HarfBuzz's subsetter (uharfbuzz) once per font file version and kept in the user's cache
folder (`$PILOT_DOCS_CACHE`, else `$XDG_CACHE_HOME/pilot-docs` or `~/.cache/pilot-docs`), under a name that digests
the file's path, size and modification time, the face index, the repertoire and the HarfBuzz version.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..errors import FontError
from .fonts import Face

REPERTOIRE_VERSION = "gb2312-1"


@cache
def repertoire() -> frozenset[int]:
    """GB 2312 (7,445 characters: hanzi, kana, Greek, Cyrillic, symbols) plus Latin-1, general and CJK punctuation,
    letter-like and number forms, circled numbers and full-width forms."""
    codes = set(range(0x20, 0x7F)) | set(range(0xA0, 0x250))
    for start, end in ((0x2000, 0x2070), (0x2100, 0x2190), (0x2460, 0x2500), (0x3000, 0x3040),
                       (0xFE30, 0xFE50), (0xFF00, 0xFFF0)):
        codes.update(range(start, end))
    for code in range(0x80, 0x10000):
        if not 0xD800 <= code < 0xE000:
            try:
                chr(code).encode("gb2312")
            except UnicodeEncodeError:
                continue
            codes.add(code)
    return frozenset(codes)


_COLLAPSIBLE = frozenset(" \t\n\r\f")  # the white space CSS collapses: never drawn


def covers(texts: Iterable[str]) -> bool:
    """Whether every character of the texts is in the repertoire (collapsible white space aside)."""
    have = repertoire()
    return all(ord(char) in have or char in _COLLAPSIBLE for text in texts for char in text)


def cache_folders() -> list[Path]:
    """Where working copies are kept: the user's cache folder, else (read-only home) the temporary folder."""
    configured = os.environ.get("PILOT_DOCS_CACHE")
    if configured:
        return [Path(configured) / "fonts"]
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [Path(base) / "pilot-docs" / "fonts", Path(tempfile.gettempdir()) / f"pilot-docs-{os.getuid()}" / "fonts"]


def _harfbuzz_version() -> str:
    import uharfbuzz

    return uharfbuzz.version_string()


def copies_version() -> str:
    """What the working copies are made with: the repertoire's version and HarfBuzz's."""
    return f"{REPERTOIRE_VERSION} HarfBuzz {_harfbuzz_version()}"


def copy_name(face: Face) -> str:
    """The file name of a face's working copy: changes when the font file, the repertoire or HarfBuzz does."""
    try:
        info = os.stat(face.path)
    except OSError as exc:
        raise FontError(f"{face.path}: font file is missing ({exc.strerror})") from exc
    key = "|".join((copies_version(), face.path, str(face.index), str(info.st_size),
                    str(info.st_mtime_ns)))
    return hashlib.sha256(key.encode()).hexdigest()[:20] + ".font"


def subset_face(face: Face) -> bytes:
    """The face cut down to the repertoire: every name, metric, outline and layout feature of those characters."""
    import uharfbuzz as hb

    try:
        blob = hb.Blob.from_file_path(face.path)
        source = hb.Face(blob, face.index)
    except Exception as exc:  # uharfbuzz raises plain exceptions for unreadable files
        raise FontError(f"{face.path}: HarfBuzz cannot read this font ({exc})") from exc
    subset = hb.SubsetInput()
    subset.unicode_set.update(repertoire())
    for kept in (subset.name_id_set, subset.name_lang_id_set, subset.layout_feature_tag_set,
                 subset.layout_script_tag_set):
        kept.clear()
        kept.invert()  # keep them all
    subset.flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.NAME_LEGACY
    result = hb.subset(source, subset)
    if result is None:
        raise FontError(f"{face.path}: HarfBuzz could not subset face {face.index}")
    return result.blob.data


@cache
def working_copy(face: Face) -> Face:
    """The working copy of a face (made on first use), as a face of its own file."""
    name = copy_name(face)
    folders = cache_folders()
    for folder in folders:
        if (folder / name).is_file():
            return _as_face(face, folder / name)
    data = subset_face(face)
    problem = ""
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, folder / name)  # several workers may race: they write the same bytes
        except OSError as exc:
            problem = f"{folder}: {exc.strerror}"
            continue
        return _as_face(face, folder / name)
    raise FontError(f"cannot keep a working copy of {face.path} ({problem}); set PILOT_DOCS_CACHE to a writable "
                    "folder")


def _as_face(face: Face, path: Path) -> Face:
    return Face(str(path), 0, face.families, face.fullnames, face.psname, label=face.label)
