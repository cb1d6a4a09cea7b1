"""Exclusive locks between pilot-docs processes: one collect per ledger, one build per output folder.

A lock is `fcntl.flock` on a small lock file, which also records the holder's process id for messages. The kernel
releases a flock when its process ends however it ends (kill -9 included), so a lock left by a dead process is
simply free: the next process takes it without any clean-up and without guessing from the recorded pid.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import Location, PilotDocsError


class LockHeld(PilotDocsError):
    """Another process holds the lock and the caller asked not to wait."""


def holder(lock_file: Path) -> str:
    """Who holds a lock, as recorded in its file: 'process 1234' (or 'another process' if unreadable)."""
    try:
        pid = lock_file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


@contextmanager
def exclusive(lock_file: Path, what: str, wait: bool = True,
              on_wait: Callable[[str], None] | None = None, place: Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock on lock_file for the block. When another process holds it: wait (telling on_wait
    once, with a message naming the holder), or with wait=False raise LockHeld naming it. Messages start with
    `place` (default: the lock file's folder)."""
    place = place or lock_file.parent
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            who = holder(lock_file)
            if not wait:
                raise LockHeld(f"{what} is in use by {who}; wait for it to finish, or run again without --no-wait "
                               "to wait", Location(str(place))) from exc
            if on_wait:
                on_wait(f"{place}: waiting for {who}, which is using {what} …")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race with a process opening it)


def append_lines(path: Path, data: bytes) -> None:
    """Append whole lines to an append-only record (the issue register, the sent log): one write with O_APPEND
    under an exclusive lock, then fsync; a torn last line of a crash is ended first, so that the new lines stand
    on lines of their own. Nothing before them is ever rewritten."""
    import fcntl
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size:
            with open(path, "rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    data = b"\n" + data
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
