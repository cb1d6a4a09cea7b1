"""Incremental builds keyed on content hashes (never mtimes): what an output was made from, as one digest.

An output is re-rendered only when its key changes: the key of a rendered document hashes its HTML (which holds
everything the template made of the data), the format, the stylesheet, the fonts that stand in for the standard
names and the code of pilot-docs itself; the key of a return form hashes the agency's items and the plan.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

CACHE_FILE = ".pilot-docs/cache.json"
PACKAGE = Path(__file__).resolve().parent.parent


@cache
def code_version() -> str:
    """A digest of pilot-docs' own source: a changed renderer rebuilds everything."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def digest(*parts: str | bytes) -> str:
    """One sha256 over several parts, each length-prefixed so that parts cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def fonts_key(fonts) -> str:
    """The font files standing in for each standard name (path, face, size): installing a font rebuilds."""
    from ..render.font_copies import copies_version
    from ..render.vocabulary import STANDARD_FONTS

    parts = [fonts.key, copies_version()]  # PDFs are laid out from working copies of the faces
    for name in STANDARD_FONTS:
        for face in fonts.faces(name):
            try:
                size = Path(face.path).stat().st_size
            except OSError:
                size = -1
            parts.append(f"{name}|{face.path}|{face.index}|{size}")
    return digest(*parts)


def read_cache(root: Path) -> dict[str, str]:
    """Output path → key of the build that wrote it ({} when missing or damaged: then everything rebuilds)."""
    try:
        data = json.loads((root / CACHE_FILE).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("keys", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def cache_text(keys: dict[str, str]) -> bytes:
    """The cache file's content."""
    return (json.dumps({"keys": dict(sorted(keys.items()))}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
