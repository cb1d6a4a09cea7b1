"""pilot-docs doctor: check what the documents need from the machine and say how to fix what is missing."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

APT = "apt-get install -y"
CJK_FAMILIES = {
    "Noto Serif CJK SC": "fonts-noto-cjk",  # 仿宋/宋体/小标宋 substitutes
    "Noto Sans CJK SC": "fonts-noto-cjk",  # 黑体 substitute
}
KAI_FAMILIES = {"LXGW WenKai": "fonts-lxgw-wenkai", "AR PL UKai CN": "fonts-arphic-ukai"}


@dataclass(frozen=True)
class Check:
    """One finding of the doctor."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def harfbuzz_subset_available() -> bool:
    """True when WeasyPrint will subset fonts with HarfBuzz (fast) rather than fontTools (~40x slower)."""
    from .render.fonts import check_harfbuzz_subset

    return check_harfbuzz_subset()


def installed_families() -> set[str]:
    """Font family names fontconfig knows."""
    if shutil.which("fc-list") is None:
        return set()
    out = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def check_pango() -> Check:
    """WeasyPrint imports, and Pango is recent enough."""
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        return Check("Pango/WeasyPrint", False, f"WeasyPrint cannot load: {exc}",
                     f"{APT} libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")
    number = pango.pango_version()
    version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    if number < 14400:
        return Check("Pango/WeasyPrint", False, f"Pango {version} is older than 1.44",
                     f"{APT} libpango-1.0-0 (Debian 12 or newer)")
    return Check("Pango/WeasyPrint", True, f"WeasyPrint {weasyprint.__version__}, Pango {version}")


def check_harfbuzz() -> Check:
    """HarfBuzz font subsetting is available to WeasyPrint."""
    try:
        ok = harfbuzz_subset_available()
    except (ImportError, OSError) as exc:
        return Check("HarfBuzz subsetting", False, str(exc), f"{APT} libharfbuzz-subset0")
    if ok:
        return Check("HarfBuzz subsetting", True, "libharfbuzz-subset is loaded: CJK PDFs write in a fraction of a second")
    return Check("HarfBuzz subsetting", False,
                 "libharfbuzz-subset is missing: WeasyPrint would fall back to fontTools (~11 s per CJK PDF)",
                 f"{APT} libharfbuzz-subset0")


def check_fonts() -> list[Check]:
    """The free CJK fonts the default font map uses are installed."""
    families = installed_families()
    checks = []
    for family, package in CJK_FAMILIES.items():
        ok = family in families
        checks.append(Check(f"font {family}", ok, "installed" if ok else "not installed", f"{APT} {package}"))
    kai = [f for f in KAI_FAMILIES if f in families]
    checks.append(Check("楷体 substitute", bool(kai), ", ".join(kai) if kai else "no Kai font installed",
                        f"{APT} fonts-lxgw-wenkai"))
    return checks


def check_font_map() -> list[Check]:
    """Each standard font name (仿宋_GB2312, 方正小标宋简体, …) resolves to an installed face for the PDFs."""
    try:
        from .render.fonts import FontConfig
        from .render.vocabulary import STANDARD_FONTS
    except (ImportError, OSError) as exc:
        return [Check("font map", False, str(exc), f"{APT} libpango-1.0-0")]
    fonts = FontConfig(None, folder="fonts")
    checks = []
    for name in STANDARD_FONTS:
        faces = fonts.faces(name)
        checks.append(Check(f"font map {name}", bool(faces), fonts.describe(name) if faces else "no installed face",
                            f"{APT} fonts-noto-cjk fonts-lxgw-wenkai, or put the font in the project's fonts/"))
    return checks


def check_font_copies() -> Check:
    """The GB 2312 working copies of every face of the font map are made (once) and kept in the cache folder."""
    try:
        from .errors import FontError
        from .render.font_copies import working_copy
        from .render.fonts import FontConfig
        from .render.vocabulary import STANDARD_FONTS
    except ImportError as exc:
        return Check("font working copies", False, str(exc), "pip install uharfbuzz (or run scripts/setup.sh)")
    fonts = FontConfig(None, folder="fonts")
    start = time.perf_counter()
    try:
        copies = {working_copy(face) for name in STANDARD_FONTS for face in fonts.faces(name)}
    except FontError as exc:
        return Check("font working copies", False, str(exc), "set PILOT_DOCS_CACHE to a writable folder")
    folders = sorted({str(Path(c.path).parent) for c in copies})
    return Check("font working copies", True, f"{len(copies)} faces cut to GB 2312 in {', '.join(folders)} "
                 f"({time.perf_counter() - start:.2f} s)")


def check_word_table() -> Check:
    """jieba's dictionary, from which long titles break between words, kept as a table in the cache folder (made
    once: render/word_table.py), so that no build process loads it whole."""
    from .render.word_table import Frequencies, segmenter

    start = time.perf_counter()
    words = segmenter()
    if isinstance(words.freq, Frequencies):
        return Check("title words", True, f"jieba's dictionary kept in {words.freq.path} "
                     f"({time.perf_counter() - start:.2f} s)")
    return Check("title words", False, "no cache folder can be written: each build process loads jieba's whole "
                 "dictionary (about 1 s of CPU)", "set PILOT_DOCS_CACHE to a writable folder")


def check_cjk_render() -> Check:
    """A CJK line renders to PDF with a CJK font embedded, without the fontTools fallback, and quickly."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        return Check("CJK PDF", False, f"WeasyPrint cannot load: {exc}", f"{APT} libpango-1.0-0")
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        start = time.perf_counter()
        pdf = HTML(string="<p style=\"font-family: 'Noto Serif CJK SC'\">中华人民共和国国务院办公厅：〔二〇二五〕</p>").write_pdf(uncompressed_pdf=True)
        elapsed = time.perf_counter() - start
    finally:
        logger.removeHandler(handler)
    fonts = sorted(set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+)?([^\s/]+)", pdf or b"")))
    names = [name.decode("latin-1") for _, name in fonts]
    if any("fontTools instead of HarfBuzz" in r for r in records):
        return Check("CJK PDF", False, "WeasyPrint fell back to fontTools for subsetting", f"{APT} libharfbuzz-subset0")
    if not any("CJK" in n for n in names):
        return Check("CJK PDF", False, f"no CJK font embedded (got {', '.join(names) or 'none'})",
                     f"{APT} fonts-noto-cjk")
    return Check("CJK PDF", True, f"rendered with {', '.join(names)} in {elapsed:.2f} s")


def check_typst_render() -> Check:
    """The default PDF engine, Typst, lays out a CJK page of our vocabulary with the font map's faces embedded."""
    try:
        from .errors import PilotDocsError
        from .render.fonts import FontConfig
        from .render.typst import render_typst
    except ImportError as exc:
        return Check("CJK PDF (Typst)", False, f"Typst cannot load: {exc}", "pip install typst (or run scripts/setup.sh)")
    html = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>doctor</title></head>'
            '<body class="letter"><p>中华人民共和国国务院办公厅：〔二〇二五〕</p></body></html>')
    start = time.perf_counter()
    try:
        pdf = render_typst(html, fonts=FontConfig(None, folder="fonts"), source_name="doctor")
    except (PilotDocsError, ImportError, RuntimeError) as exc:
        return Check("CJK PDF (Typst)", False, str(exc), f"{APT} fonts-noto-cjk; pip install typst")
    elapsed = time.perf_counter() - start
    names = sorted({name.decode("latin-1") for name in re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/]+)", pdf)
                    if not name.endswith(b"-Identity-H")})
    if not any("CJK" in n for n in names):
        return Check("CJK PDF (Typst)", False, f"no CJK font embedded (got {', '.join(names) or 'none'})",
                     f"{APT} fonts-noto-cjk")
    return Check("CJK PDF (Typst)", True, f"rendered with {', '.join(names)} in {elapsed:.2f} s")


def check_xml_safety() -> Check:
    """openpyxl reads XML through defusedxml."""
    import openpyxl

    ok = bool(openpyxl.DEFUSEDXML)
    return Check("safe XML", ok, "openpyxl uses defusedxml" if ok else "openpyxl does not use defusedxml",
                 "pip install defusedxml and unset OPENPYXL_DEFUSEDXML")


def check_libreoffice() -> Check:
    """LibreOffice is optional: only used to check DOCX files by hand and in the benchmark."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    return Check("LibreOffice (optional)", True, path or "not installed; only the benchmark and manual checks use it")


def run_checks() -> list[Check]:
    """Every check, in the order a fix would be applied."""
    return [check_pango(), check_harfbuzz(), *check_fonts(), *check_font_map(), check_font_copies(), check_word_table(),
            check_cjk_render(), check_typst_render(), check_xml_safety(), check_libreoffice()]
