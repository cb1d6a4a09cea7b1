"""Save a python-docx Document as a clean, reproducible package.

Clean: python-docx's template brings parts of the Word 2010 it was made with; we keep only what a document uses
(document, styles, settings, font table, theme, footers, pictures, core and app properties) and write those that
speak of the program honestly: compatibilityMode 15 (Word 2013 and later open it without 兼容模式), zh-CN theme
fonts, app.xml naming pilot-docs with no page or word counts, a font table naming every font the document uses
with the alternative names, panose and GB2312 charset that let Word and WPS substitute (仿宋_GB2312 → 仿宋).
Reproducible: fixed core properties and a zip with fixed order and timestamps.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO

from docx.document import Document
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn

from .docx_xml import element, put

EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the zip format's own epoch
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
FIRST = "[Content_Types].xml"
DOCUMENT = "word/document.xml"
SPILL_MARK = "pilot-docs spilled "  # <!--pilot-docs spilled N-->: the N-th run of blocks written out early
_SPILLED = re.compile(rb"<!--" + SPILL_MARK.encode() + rb"(\d+)-->")
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# Parts of python-docx's template that no document of ours uses.
UNUSED = {"http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RELS + "customXml",
          RELS + "numbering", RELS + "webSettings"}
FONT_TABLE = "word/fontTable.xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# The fonts our documents name: (alternative name Word and WPS fall back to, panose, family, pitch). All are
# GB2312 fonts (charset 86). 方正小标宋简体 falls back to 宋体, the _GB2312 fonts to Windows' 仿宋 and 楷体.
FONTS = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "script", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
}
# Unicode and code-page coverage of a GB2312 font (as Word writes it for 宋体).
GB2312_SIG = {"usb0": "00000003", "usb1": "288F0000", "usb2": "00000016", "usb3": "00000000", "csb0": "00040001",
              "csb1": "00000000"}
_RFONTS = re.compile(rb"<w:rFonts\b[^>]*>")
_FONT_NAMES = re.compile(rb'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"')

APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           b"<Application>pilot-docs</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
           b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           b"<HyperlinksChanged>false</HyperlinksChanged></Properties>")


def _as_datetime(date: dt.date | dt.datetime | None) -> dt.datetime:
    """A timezone-aware UTC datetime; a plain date is taken at midnight UTC."""
    if date is None:
        return EPOCH
    if isinstance(date, dt.datetime):
        return date if date.tzinfo else date.replace(tzinfo=dt.UTC)
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def set_properties(document: Document, title: str, date: dt.date | dt.datetime | None) -> None:
    """Core properties from the document, never from the clock; python-docx's blank-page thumbnail removed."""
    when = _as_datetime(date).replace(tzinfo=None)  # python-docx writes naive datetimes as UTC ("Z")
    props = document.core_properties
    props.title = title
    props.author = "pilot-docs"
    props.last_modified_by = "pilot-docs"
    props.comments = ""
    props.created = when
    props.modified = when
    props.revision = 1
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == THUMBNAIL]:
        rels.pop(rid)


def clean_package(document: Document) -> None:
    """Drop the template's unused parts; honest app.xml; settings and theme of a Word 2013+ zh-CN document."""
    part = document.part
    for rid in [rid for rid, rel in part.rels.items() if rel.reltype in UNUSED]:
        part.rels.pop(rid)
    for rel in part.package.rels.values():
        if rel.reltype == RELS + "extended-properties":
            rel.target_part._blob = APP_XML
    for rel in part.rels.values():
        if rel.reltype == RELS + "theme":
            theme = rel.target_part._blob.decode("utf-8")
            # East Asian theme fonts: 黑体 for headings (major), 宋体 for body text (minor), as Word's zh-CN theme.
            major, minor = theme.split("<a:minorFont>", 1)
            major = major.replace('<a:ea typeface=""/>', '<a:ea typeface="黑体"/>', 1)
            minor = minor.replace('<a:ea typeface=""/>', '<a:ea typeface="宋体"/>', 1)
            rel.target_part._blob = (major + "<a:minorFont>" + minor).encode("utf-8")
    settings = document.settings.element
    for tag in ("w:rsids", "w:proofState", "w:savePreviewPicture", "w:attachedTemplate"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    compat = settings.find(qn("w:compat"))
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    put(settings, element("w:themeFontLang", val="en-US", eastAsia="zh-CN"))
    lang = settings.find(qn("w:themeFontLang"))
    if lang.getparent() is settings and settings.index(lang) == len(settings) - 1:
        # put() appends unknown settings children; the schema wants it after w:rsids' place, before the
        # colour mapping python-docx's template has
        mapping = settings.find(qn("w:clrSchemeMapping"))
        if mapping is not None:
            mapping.addprevious(lang)


def font_table(fonts: list[str]) -> bytes:
    """word/fontTable.xml naming each font, with what Word and WPS need to substitute it sensibly."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    out = [f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:fonts xmlns:w=\"{w}\">"]
    for name in fonts:
        alt, panose, family, pitch = FONTS.get(name, ("", "00000000000000000000", "auto", "variable"))
        out.append(f'<w:font w:name="{name}">')
        if alt:
            out.append(f'<w:altName w:val="{alt}"/>')
        out.append(f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/>'
                   f'<w:pitch w:val="{pitch}"/>')
        out.append("<w:sig " + " ".join(f'w:{k}="{v}"' for k, v in GB2312_SIG.items()) + "/></w:font>")
    out.append("</w:fonts>")
    return "".join(out).encode("utf-8")


def _used_fonts(parts: dict[str, bytes], spilled: list[bytes]) -> list[str]:
    """The fonts the styles, the document (its blocks spilled included) and its footers name, in a fixed order
    (ours first)."""
    found: set[str] = set()
    named = [content for name, content in parts.items()
             if name in ("word/styles.xml", DOCUMENT) or name.startswith("word/footer")]
    for content in [*named, *spilled]:
        for rfonts in _RFONTS.findall(content):
            found |= {m.decode("utf-8") for m in _FONT_NAMES.findall(rfonts)}
    return [f for f in FONTS if f in found] + sorted(found - set(FONTS))


def normalize_zip(data: bytes, spilled: list[bytes] | None = None, template: bool = False) -> bytes:
    """Rewrite a DOCX zip: [Content_Types].xml first, then entries sorted, every timestamp 1980-01-01; the blocks
    written out early (`spilled`) back in place of their markers in the document; the font table of the fonts
    used; a Word template's content type when `template`."""
    source = zipfile.ZipFile(BytesIO(data))
    return _normalized(source.namelist(), {name: source.read(name) for name in source.namelist()}, spilled,
                       template)


def _normalized(members: list[str], parts: dict[str, bytes], spilled: list[bytes] | None, template: bool) -> bytes:
    """normalize_zip's package from its members' names (in any order) and their bytes."""
    names = sorted(members, key=lambda n: (n != FIRST, n))
    # the document's XML with its spilled blocks back in place, as pieces written to the zip one after the other:
    # a province's volume is hundreds of MB of XML, never joined into one
    document = _with_spilled(parts[DOCUMENT], spilled) if spilled and DOCUMENT in parts else [parts.get(DOCUMENT)]
    if FONT_TABLE in parts:
        parts[FONT_TABLE] = font_table(_used_fonts(parts, spilled or []))
    if template:
        parts[FIRST] = parts[FIRST].replace(DOCUMENT_TYPE.encode(), TEMPLATE_TYPE.encode())
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            # deflate at zlib's default level, 6: a member's bytes are the same however its data is handed over
            with target.open(info, "w") as member:
                for piece in document if name == DOCUMENT else [parts[name]]:
                    member.write(piece)
    return out.getvalue()


def _with_spilled(xml: bytes, spilled: list[bytes]) -> list[bytes]:
    """The document's XML as pieces, each spilled run of blocks in place of its marker."""
    pieces, pos = [], 0
    for match in _SPILLED.finditer(xml):
        pieces += [xml[pos:match.start()], spilled[int(match.group(1))]]
        pos = match.end()
    return [*pieces, xml[pos:]]


def package_bytes(document: Document, *, title: str, date: dt.date | dt.datetime | None,
                  spilled: list[bytes] | None = None, template: bool = False) -> bytes:
    """The clean, reproducible bytes of a Document (with its blocks written out early put back); a Word template
    (.dotx) when `template`."""
    set_properties(document, title, date)
    clean_package(document)
    written = _members(document)
    return _normalized([name for name, _ in written], dict(written), spilled, template)


def _members(document: Document) -> list[tuple[str, bytes]]:
    """Each member python-docx's save writes, with its bytes, in the order it writes them: what `Document.save`
    does (OpcPackage.save, PackageWriter.write), into memory rather than into a first zip that _normalized would
    read back (the package is compressed once)."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    return members.written


class _Members:
    """Stands in for python-docx's zip writer (PhysPkgWriter): keeps each member's bytes."""

    def __init__(self) -> None:
        self.written: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.written.append((pack_uri.membername, blob))

    def close(self) -> None:
        pass
