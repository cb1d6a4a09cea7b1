"""The output folder: safe file names, staged writes committed so an interrupted build leaves it consistent.

A build writes what it renders into a staging folder first. Committing then (1) drops from the manifest the
entries about to change, (2) renames each staged file into place, listing the files already in place at
checkpoints (after 1, 2, 4, 8… files: the manifest is rewritten ~log2(n) times, not once per file), (3) removes
stale files and (4) writes the full manifest. A kill at any moment leaves every file whole, and every file the
manifest lists holds exactly the bytes its sha256 says; a file in place but not yet listed is made again by the
next build, which completes the job.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import BuildError, Location, os_cause
from ..locks import exclusive

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]|\s')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_NAME = 80
STATE_DIR = ".pilot-docs"
MANIFEST = "manifest.json"


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


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write data to path through a temporary file in the same folder and a rename: never half a file.

    `durable` also flushes it to disk (against power loss); a rename alone already survives a killed process.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        os.chmod(fd, _mode_for(path))  # mkstemp makes 0600; the file gets the mode any other write would give it
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # name the file being written, not the temporary one beside it
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write a file (of a staging folder, discarded whole if the build fails); an error names the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc  # a failed write() names no file


def _read_umask() -> int:
    """The process's umask, read once at import (setting it to read it back is not safe once threads run)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or for a new file 0666 less the umask (as open() gives)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


LOCK_NAME = "lock"  # in .pilot-docs/: held by the build writing into the folder


def _alive(pid: str) -> bool:
    """True when a process of this id runs (a staging folder of a running build is not stale)."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by another user
    return True


class OutputFolder:
    """Owns the output folder: every write goes through here, inside it, once per build."""

    def __init__(self, root: Path, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the folder for this build: its lock (held until close(); another build waits, or with
        wait=False is refused naming the holder), then remove the staging folders that dead builds left."""
        self.root = root
        self._staged: dict[str, Path] = {}
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BuildError(f"cannot create the output folder: {os_cause(exc)}", Location(str(root))) from exc
        if not root.is_dir():
            raise BuildError("the output path is not a folder", Location(str(root)))
        self._lock = ExitStack()
        try:
            (root / STATE_DIR).mkdir(exist_ok=True)
            self._lock.enter_context(exclusive(root / STATE_DIR / LOCK_NAME, "the output folder", wait, on_wait, root))
        except OSError as exc:
            raise BuildError(f"cannot write into the output folder: {os_cause(exc)}", Location(str(root))) from exc
        for stale in (root / STATE_DIR).glob("staging-*"):  # left by a build that was killed
            if not _alive(stale.name.removeprefix("staging-")):
                shutil.rmtree(stale, ignore_errors=True)
        self.staging = root / STATE_DIR / f"staging-{os.getpid()}"

    def close(self) -> None:
        """Forget what was staged and let the next build have the folder."""
        self.discard()
        self._lock.close()

    def target(self, relative: str) -> Path:
        """The path for a relative name, refused if it would leave the output folder."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()) or relative.startswith(STATE_DIR):
            raise BuildError(f"refusing to write outside the output folder: {relative}", Location(str(self.root)))
        return path

    def stage(self, relative: str, data: bytes) -> str:
        """Stage one output for the commit; a second write to the same file in one build is a bug."""
        self._refuse_second(relative)
        write_file(self.staged_path(relative), data)
        return self.adopt(relative, hashlib.sha256(data).hexdigest())

    def _refuse_second(self, relative: str) -> None:
        if relative in self._staged:
            raise BuildError(f"two documents would both be written to {relative}", Location(str(self.root)))

    def staged_path(self, relative: str) -> Path:
        """Where an output of this build is staged (for a worker process to write it there)."""
        self.target(relative)
        return self.staging / relative

    def adopt(self, relative: str, sha256: str) -> str:
        """Stage an output another process wrote at staged_path(relative); its sha256 is returned."""
        self._refuse_second(relative)
        path = self.staged_path(relative)
        if not path.is_file():
            raise BuildError(f"{relative} was not written", Location(str(self.root)))
        self._staged[relative] = path
        return sha256

    def source_path(self, relative: str) -> Path:
        """The file of an output of this build, for another process to read: staged if made now, else in place."""
        staged = self._staged.get(relative)
        return staged if staged is not None else self.target(relative)

    def read(self, relative: str) -> bytes:
        """The bytes of an output of this build: staged if it was made now, else the file in place."""
        staged = self._staged.get(relative)
        return staged.read_bytes() if staged is not None else self.target(relative).read_bytes()

    def commit(self, outputs: list[Output], extra: dict[str, bytes] | None = None) -> list[str]:
        """Put the staged files in place and make `outputs` the manifest; returns the stale paths removed."""
        old = self.read_manifest()
        keep = {o.path for o in outputs}
        changing = set(self._staged) | {o.path for o in old if o.path not in keep}
        listed = {o.path: o for o in old if o.path not in changing}
        self._write_manifest(list(listed.values()))
        # The cache may name the new keys already: an output is reused only when the manifest lists it and
        # its file matches, which holds for each file only once it is in place.
        for name, data in (extra or {}).items():
            atomic_write(self.root / STATE_DIR / name, data)
        new = {o.path: o for o in outputs}
        checkpoint = 1
        for placed, (relative, staged) in enumerate(sorted(self._staged.items()), 1):
            target = self.target(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            listed[relative] = new[relative]  # listed from the next checkpoint on, never before it is in place
            if placed == checkpoint:  # after 1, 2, 4, 8… files: a few writes, not one per file (quadratic)
                self._write_manifest(list(listed.values()), durable=False)
                checkpoint *= 2
        removed = sorted(o.path for o in old if o.path not in keep)
        for relative in removed:
            self.target(relative).unlink(missing_ok=True)
        self._write_manifest(outputs)
        self.discard()
        return removed

    def discard(self) -> None:
        """Forget what was staged (after a commit, or when the build fails): the folder stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self._staged.clear()

    def _write_manifest(self, outputs: list[Output], durable: bool = True) -> None:
        data = {"outputs": [asdict(o) for o in sorted(outputs, key=lambda o: o.path)]}
        text = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        atomic_write(self.root / MANIFEST, text, durable)

    def read_manifest(self) -> list[Output]:
        """The outputs listed by the manifest already in the folder (none when it is missing or unreadable)."""
        return read_manifest(self.root)

    def unchanged(self, output: Output) -> bool:
        """True when the file is there with the bytes the manifest says."""
        try:
            return hashlib.sha256(self.target(output.path).read_bytes()).hexdigest() == output.sha256
        except (OSError, BuildError):
            return False


def read_manifest(root: Path) -> list[Output]:
    """The outputs listed by a build folder's manifest (none when it is missing or unreadable), without taking
    the folder's lock: for commands that only read a build (issue, send)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        return [Output(**o) for o in data.get("outputs", [])]
    except (OSError, ValueError, TypeError, AttributeError):
        return []
