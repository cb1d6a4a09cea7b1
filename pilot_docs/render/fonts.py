"""Which installed font stands in for each standard font name (方正小标宋简体, 仿宋_GB2312, …), and HarfBuzz.

A standard name maps to a chain of font names tried in order: faces found in the project's `fonts/` folder whose
name is the standard name (or one of the chain's names) come first, then the chain from the `[fonts]` table of
the configuration, or the default chain: the standard font itself when the machine has it, its usual Windows
equivalents, then the free fonts Debian ships (Noto Serif/Sans CJK SC, LXGW WenKai, AR PL UKai).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import FontError
from .vocabulary import FANGSONG, HEITI, KAITI, SONGTI, STANDARD_FONTS, XIAOBIAOSONG

DEFAULT_CHAINS: dict[str, tuple[str, ...]] = {
    XIAOBIAOSONG: (XIAOBIAOSONG, "Noto Serif CJK SC Bold"),
    FANGSONG: (FANGSONG, "仿宋", "Noto Serif CJK SC"),
    KAITI: (KAITI, "楷体", "LXGW WenKai", "AR PL UKai CN"),
    HEITI: (HEITI, "Noto Sans CJK SC"),
    SONGTI: (SONGTI, "Noto Serif CJK SC"),
}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class Face:
    """One face of one font file (a .ttc holds several), with the names fontconfig and fontTools know it by."""

    path: str
    index: int
    families: tuple[str, ...]
    fullnames: tuple[str, ...]
    psname: str
    label: str = ""

    def named(self, name: str) -> bool:
        """Whether the face's full name or PostScript name is `name` (case and spaces ignored)."""
        key = _key(name)
        return any(_key(n) == key for n in (*self.fullnames, self.psname) if n)

    def of_family(self, name: str) -> bool:
        """Whether one of the face's family names is `name`."""
        key = _key(name)
        return any(_key(n) == key for n in self.families)


def _key(name: str) -> str:
    """Fontconfig compares names ignoring case and blanks."""
    return "".join(name.split()).casefold()


@cache
def system_faces() -> tuple[Face, ...]:
    """Every face fontconfig knows, read once per process with `fc-list`."""
    if shutil.which("fc-list") is None:
        return ()
    fmt = "%{file}\t%{index}\t%{family}\t%{fullname}\t%{postscriptname}\n"
    out = subprocess.run(["fc-list", "--format", fmt], capture_output=True, text=True, check=False).stdout
    faces = []
    for line in sorted(out.splitlines()):
        parts = line.split("\t")
        if len(parts) != 5 or not parts[1].isdigit():
            continue
        path, index, families, fullnames, psname = parts
        faces.append(Face(path, int(index), tuple(families.split(",")), tuple(fullnames.split(",")), psname))
    return tuple(faces)


def folder_faces(folder: Path) -> tuple[Face, ...]:
    """The faces of the font files in a project's fonts/ folder, named from their `name` tables (every language)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    faces = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file()):
        try:
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = list(TTCollection(str(path), lazy=True).fonts)
            else:
                fonts = [TTFont(str(path), lazy=True)]
        except (TTLibError, OSError, AssertionError) as exc:
            raise FontError(f"{path}: not a font file fontTools can read ({exc})") from exc
        for index, font in enumerate(fonts):
            names = font["name"].names if "name" in font else []

            def strings(*ids: int, names: list = names) -> tuple[str, ...]:
                found = []
                for record in names:
                    if record.nameID in ids:
                        try:
                            text = record.toUnicode().strip()
                        except UnicodeDecodeError:
                            continue
                        if text and text not in found:
                            found.append(text)
                return tuple(found)

            psnames = strings(6)
            faces.append(Face(str(path), index, strings(16, 1), strings(4), psnames[0] if psnames else "",
                              label=path.name))
    return tuple(faces)


def _resolve(name: str, faces: Sequence[Face]) -> list[Face]:
    """Faces matching a configured name: a whole family, else one face by its full or PostScript name."""
    family = [f for f in faces if f.of_family(name)]
    return family or [f for f in faces if f.named(name)]


class FontConfig:
    """The font chain of every standard font name, from defaults, the `[fonts]` table and a fonts/ folder."""

    def __init__(self, overrides: Mapping[str, str | Sequence[str]] | None = None,
                 font_dirs: Sequence[str | Path] = (), *, folder: str | Path | None = None) -> None:
        self.chains: dict[str, tuple[str, ...]] = dict(DEFAULT_CHAINS)
        for name, value in (overrides or {}).items():
            if name not in STANDARD_FONTS:
                raise FontError(f"[fonts]: unknown font name {name!r} (known: {', '.join(STANDARD_FONTS)})")
            chain = (value,) if isinstance(value, str) else tuple(value)
            if not chain or not all(isinstance(v, str) and v.strip() for v in chain):
                raise FontError(f"[fonts]: {name} must be a font name or a list of font names")
            self.chains[name] = chain
        self.font_dirs = tuple(Path(d) for d in (*font_dirs, *([folder] if folder is not None else [])))
        self._links: dict[str, tuple[tuple[str, tuple[Face, ...]], ...]] = {}
        self._local: tuple[Face, ...] | None = None

    @property
    def key(self) -> str:
        """A short digest naming this configuration (chains and font files), for caches."""
        text = repr(sorted(self.chains.items())) + repr(self.local_faces())
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]

    def local_faces(self) -> tuple[Face, ...]:
        """The faces in the project's fonts/ folders (read once)."""
        if self._local is None:
            self._local = tuple(face for folder in self.font_dirs if folder.is_dir()
                                for face in folder_faces(folder))
        return self._local

    def links(self, standard: str) -> tuple[tuple[str, tuple[Face, ...]], ...]:
        """The chain as installed: (name, faces of that font) pairs, best first; FontError when none is installed."""
        if standard not in self._links:
            chain = self.chains[standard]
            links: list[tuple[str, tuple[Face, ...]]] = []
            seen: set[Face] = set()

            def add(name: str, faces: list[Face]) -> None:
                fresh = tuple(f for f in faces if f not in seen)
                if fresh:
                    links.append((name, fresh))
                    seen.update(fresh)

            local = self.local_faces()
            for name in (standard, *chain):
                matched = _resolve(name, local)
                for family in dict.fromkeys(f.families[0] if f.families else f.label for f in matched):
                    group = [f for f in matched if (f.families[0] if f.families else f.label) == family]
                    add(group[0].label, group)
            for name in chain:
                add(name, _resolve(name, system_faces()))
            if not links:
                raise FontError(f"no installed font for {standard}: tried {', '.join(chain)}"
                                " (install fonts-noto-cjk, or put the font in the project's fonts/ folder)")
            self._links[standard] = tuple(links)
        return self._links[standard]

    def faces(self, standard: str) -> tuple[Face, ...]:
        """Every installed face standing in for a standard name, best first."""
        return tuple(face for _, faces in self.links(standard) for face in faces)

    def describe(self, standard: str) -> str:
        """The chain as people read it, e.g. "仿宋_GB2312 → Noto Serif CJK SC"."""
        return f"{standard} → {', '.join(name for name, _ in self.links(standard))}"


def check_harfbuzz_subset() -> bool:
    """True when WeasyPrint subsets fonts with HarfBuzz, as it decides it (libharfbuzz-subset, HarfBuzz ≥ 4.1)."""
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except (ImportError, OSError):
        return False
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
