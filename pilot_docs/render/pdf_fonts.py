"""Bind the standard font names to installed faces inside WeasyPrint's fontconfig, face by face.

Why not `@font-face { src: local(…) }`: WeasyPrint copies the whole file and gives the family to every face in
it, so for a .ttc like NotoSerifCJK-Regular.ttc Pango picked the Japanese face (index 0) instead of SC, and it
read 20-27 MB per font per render. Instead each face of a chain is added as an application font with a scan
rule (file and index) that gives it an alias family "pilot-docs <digest> <standard name> <n>", and a pattern rule
puts those aliases, in chain order, in front of the standard name whenever a stylesheet asks for it. Fallback for
a character one font lacks then goes to the next font of the chain, not to whatever fontconfig prefers.

Pango 1.50 applies pattern rules from fontconfig's *current* configuration rather than from the one WeasyPrint
gives it, so the pattern rules go to both (they only mention our own alias names, so nothing else changes).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, SubElement, tostring

from ..errors import FontError
from .font_copies import working_copy
from .fonts import FontConfig
from .vocabulary import STANDARD_FONTS

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

_CONFIGURATIONS: dict[str, FontConfiguration] = {}
_GLOBAL_RULES: set[str] = set()


def alias(fonts: FontConfig, standard: str, position: int, copies: bool = False) -> str:
    """The private family name of the n-th font of a standard name's chain (or of its working copies)."""
    return f"pilot-docs {fonts.key}{' gb' if copies else ''} {standard} {position}"


def fontconfig_rules(fonts: FontConfig, copies: bool = False) -> tuple[bytes, bytes, list[str]]:
    """The scan rules, the pattern rules (fontconfig XML) and the font files to add, for a configuration.

    With `copies`, the faces are their working copies cut down to GB 2312 (see font_copies.py).
    """
    scan, pattern = Element("fontconfig"), Element("fontconfig")
    files: list[str] = []
    for standard in STANDARD_FONTS:
        names = []
        for position, (_, faces) in enumerate(fonts.links(standard), 1):
            name = alias(fonts, standard, position, copies)
            names.append(name)
            for face in faces:
                if copies:
                    face = working_copy(face)
                match = SubElement(scan, "match", target="scan")
                test = SubElement(match, "test", name="file", compare="eq")
                SubElement(test, "string").text = face.path
                test = SubElement(match, "test", name="index", compare="eq")
                SubElement(test, "int").text = str(face.index)
                # Appended, so the face keeps its own name first: that is the name the PDF embeds.
                edit = SubElement(match, "edit", name="family", mode="append_last")
                SubElement(edit, "string").text = name
                if face.path not in files:
                    files.append(face.path)
        match = SubElement(pattern, "match", target="pattern")
        test = SubElement(match, "test", name="family", compare="eq")
        SubElement(test, "string").text = standard
        edit = SubElement(match, "edit", name="family", mode="prepend", binding="strong")
        for name in names:
            SubElement(edit, "string").text = name
    header = b'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
    return header + tostring(scan, encoding="utf-8"), header + tostring(pattern, encoding="utf-8"), files


def _current_config() -> int:
    """Address of fontconfig's current configuration (WeasyPrint's bindings do not declare FcConfigGetCurrent)."""
    try:  # the usual name first: find_library runs ldconfig in a subprocess
        library = ctypes.CDLL("libfontconfig.so.1")
    except OSError:
        library = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    library.FcConfigGetCurrent.restype = ctypes.c_void_p
    address = library.FcConfigGetCurrent()
    if not address:
        raise FontError("fontconfig has no current configuration")
    return address


def font_configuration(fonts: FontConfig, copies: bool = False) -> FontConfiguration:
    """A WeasyPrint FontConfiguration where the standard names resolve to the chain (one per configuration),
    made of the faces themselves or, with `copies`, of their working copies."""
    key = fonts.key + (" gb" if copies else "")
    if key in _CONFIGURATIONS:
        return _CONFIGURATIONS[key]
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    scan, pattern, files = fontconfig_rules(fonts, copies)

    class BoundFontConfiguration(FontConfiguration):
        """WeasyPrint's font configuration plus our scan and pattern rules and the chain's font files."""

        def __init__(self) -> None:
            super().__init__()
            config = self._config
            if not fontconfig.FcConfigParseAndLoadFromMemory(config, scan, True) or \
                    not fontconfig.FcConfigParseAndLoadFromMemory(config, pattern, True):
                raise FontError("fontconfig refused the font bindings")
            for path in files:
                if not fontconfig.FcConfigAppFontAddFile(config, path.encode()):
                    raise FontError(f"{path}: fontconfig cannot load this font file")
            pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", self.font_map))

    if key not in _GLOBAL_RULES:
        current = ffi.cast("FcConfig *", _current_config())
        if not fontconfig.FcConfigParseAndLoadFromMemory(current, pattern, True):
            raise FontError("fontconfig refused the font bindings")
        _GLOBAL_RULES.add(key)
    configuration = BoundFontConfiguration()
    _CONFIGURATIONS[key] = configuration
    return configuration
