"""What a fuzzer input stands for (fuzz_reader.py), kept apart from atheris so that the tests can replay the
inputs in fuzz/crashes/ without it. An input is the bytes of a file, or `PARTS\\n` and a list of parts, each
`@@ name\\n` and its bytes, zipped with correct checksums."""

from __future__ import annotations

import io
import zipfile

PARTS = b"PARTS\n"
SEP = b"\n@@ "


def package(data: bytes) -> bytes:
    """The workbook an input stands for: itself, or the zip of the parts it lists."""
    if not data.startswith(PARTS):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for chunk in data[len(PARTS):].split(SEP):
            name, _, content = chunk.removeprefix(b"@@ ").partition(b"\n")
            try:
                text = name.decode("utf-8").strip()
            except UnicodeDecodeError:
                continue
            if text and text not in archive.namelist():
                archive.writestr(zipfile.ZipInfo(text, (1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def parts_of(xlsx: bytes) -> bytes:
    """A workbook as a PARTS input (the seed form of the structured mode)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return PARTS + b"@@ " + SEP.join(name.encode() + b"\n" + archive.read(name) for name in archive.namelist())
