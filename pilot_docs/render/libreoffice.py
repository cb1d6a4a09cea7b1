"""LibreOffice (standing in for Word and WPS) converting our DOCX, with the fonts our PDF uses.

Our DOCX names the standard fonts (仿宋_GB2312, 方正小标宋简体, …), as an office's PC has them. A machine without
them lets LibreOffice substitute whatever fontconfig offers: here DejaVu Sans for the Latin letters and digits
(0.6 em against 仿宋's 0.5 em) and some CJK face for the rest, so lines with digits break earlier than in print and
pages differ for a reason no office would see. `fontconfig_file` writes a fontconfig configuration that gives each
standard name the face our PDF uses for it (`FontConfig`, the project's `[fonts]` and fonts/ folder), and `convert`
runs one soffice for many files with it.

`as_word_reads` further corrects two misreadings of LibreOffice 7.4's DOCX import, measured here: it ignores
w:autoSpaceDE/DN="0" (keeping its own extra space between Chinese and Latin letters or digits), and it reads
w:overflowPunct the wrong way round (writerfilter sets ParaIsHangingPunctuation to `val == 0`, so our "no
punctuation past the margin" — what print and Word do — hangs 、。， past the margin). With `word=True` each DOCX goes
through LibreOffice's own format first, set as Word reads the DOCX, then to PDF.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

from ..errors import BuildError
from .fonts import FontConfig
from .vocabulary import STANDARD_FONTS

SYSTEM_CONF = "/etc/fonts/fonts.conf"
WORD_READING = ((b'style:text-autospace="ideograph-alpha"', b'style:text-autospace="none"'),
                (b'style:punctuation-wrap="hanging"', b'style:punctuation-wrap="simple"'))


def fontconfig_file(fonts: FontConfig, folder: Path) -> Path:
    """A fonts.conf in `folder`: the system's configuration, the project's font folders, and each standard name
    bound (strongly, so nothing else comes first) to the family and weight of the face our PDF uses for it."""
    root = Element("fontconfig")
    SubElement(root, "include", ignore_missing="yes").text = SYSTEM_CONF
    for font_dir in fonts.font_dirs:
        if font_dir.is_dir():
            SubElement(root, "dir").text = str(font_dir.resolve())
    SubElement(root, "cachedir").text = str((folder / "fontconfig-cache").resolve())
    for standard in STANDARD_FONTS:
        _, faces = fonts.links(standard)[0]
        face = faces[0]
        match = SubElement(root, "match", target="pattern")
        test = SubElement(match, "test", name="family", qual="any")
        SubElement(test, "string").text = standard
        edit = SubElement(match, "edit", name="family", mode="assign", binding="strong")
        SubElement(edit, "string").text = face.families[0] if face.families else face.label
        if all("bold" in " ".join((f.psname, *f.fullnames)).casefold() for f in faces):  # a bold face named
            edit = SubElement(match, "edit", name="weight", mode="assign", binding="strong")
            SubElement(edit, "const").text = "bold"
    path = folder / "fonts.conf"
    path.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n' + tostring(root))
    return path


def as_word_reads(odt: bytes) -> bytes:
    """LibreOffice's own document of our DOCX, set as Word reads the DOCX (see the module)."""
    source = zipfile.ZipFile(io.BytesIO(odt))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename in ("styles.xml", "content.xml"):
                for old, new in WORD_READING:
                    part = part.replace(old, new)
            target.writestr(info, part, zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _soffice(work: Path, env: dict[str, str], to: str, outdir: Path, files: Sequence[Path]) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise BuildError("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    result = subprocess.run([soffice, "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                             "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
                            capture_output=True, timeout=1800, env=env, check=False)
    if result.returncode != 0:
        raise BuildError(f"soffice --convert-to {to} failed: {result.stderr.decode(errors='replace').strip()}")


def convert(docx: Sequence[Path], work: Path, fonts: FontConfig | None = None, word: bool = False) -> list[Path]:
    """The PDF LibreOffice makes of each DOCX (in order), with one soffice call (two with `word`), in `work`.

    With `fonts`, the standard names resolve to the faces our PDF uses (`fontconfig_file`)."""
    work = Path(work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if fonts is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig_file(fonts, work))
    staged = work / "in"
    staged.mkdir(exist_ok=True)
    files = []
    for n, path in enumerate(docx):  # numbered apart: names may repeat across folders
        files.append(staged / f"{n:05d}.docx")
        files[-1].write_bytes(Path(path).read_bytes())
    if word:
        odt = work / "odt"
        odt.mkdir(exist_ok=True)
        _soffice(work, env, "odt", odt, files)
        files = [odt / f.with_suffix(".odt").name for f in files]
        for f in files:
            f.write_bytes(as_word_reads(f.read_bytes()))
    _soffice(work, env, "pdf", work, files)
    out = [work / f.with_suffix(".pdf").name for f in files]
    missing = [p.name for p in out if not p.is_file()]
    if missing:
        raise BuildError(f"LibreOffice made no PDF of {', '.join(missing)}")
    return out
