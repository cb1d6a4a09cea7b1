"""The output folder: safe file names, writes that never leave it or half a file, and the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import BuildError, Location

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]|\s')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_NAME = 80


def safe_name(stem: str) -> str:
    """A file name stem valid on Windows, macOS and Linux that stays in its folder whatever the agency is called."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", stem))
    name = name.strip(" ._") or "_"
    if _RESERVED.match(name):
        name = "_" + name
    return name[:MAX_NAME]


@dataclass(frozen=True)
class Output:
    """One written file, as listed in build/manifest.json."""

    kind: str
    agency: str | None
    format: str
    path: str  # relative to the output folder, with forward slashes
    sha256: str


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same folder and a rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class OutputFolder:
    """Owns the output folder: every write goes through here, inside it, once per build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._written: set[str] = set()
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BuildError(f"cannot create the output folder: {exc.strerror or exc}", Location(str(root))) from exc
        if not root.is_dir():
            raise BuildError("the output path is not a folder", Location(str(root)))

    def target(self, relative: str) -> Path:
        """The path for a relative name, refused if it would leave the output folder."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise BuildError(f"refusing to write outside the output folder: {relative}", Location(str(self.root)))
        return path

    def write(self, relative: str, data: bytes) -> str:
        """Write one output; a second write to the same file in one build is a bug in the document list."""
        if relative in self._written:
            raise BuildError(f"two documents would both be written to {relative}", Location(str(self.root)))
        self._written.add(relative)
        atomic_write(self.target(relative), data)
        return hashlib.sha256(data).hexdigest()

    def write_manifest(self, outputs: list[Output], previous: list[Output] | None = None) -> None:
        """build/manifest.json: this build's outputs, plus earlier ones not rebuilt whose files are unchanged."""
        merged = {o.path: o for o in previous or [] if self._unchanged(o)}
        merged.update({o.path: o for o in outputs})
        data = {"outputs": [asdict(merged[p]) for p in sorted(merged)]}
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        atomic_write(self.root / "manifest.json", text.encode("utf-8"))

    def read_manifest(self) -> list[Output]:
        """The outputs listed by the manifest already in the folder (none when it is missing or unreadable)."""
        try:
            data = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
            return [Output(**o) for o in data.get("outputs", [])]
        except (OSError, ValueError, TypeError):
            return []

    def _unchanged(self, output: Output) -> bool:
        try:
            return hashlib.sha256(self.target(output.path).read_bytes()).hexdigest() == output.sha256
        except (OSError, BuildError):
            return False
