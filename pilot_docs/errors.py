"""One exception tree for every error a user can cause (bad workbook, font, template, config)."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

import click

_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
MAX_QUOTED = 60  # characters of a value shown in a message


def one_line(text: str) -> str:
    """Text made safe for a one-line message: line breaks shown as ⏎, other control characters dropped."""
    text = _BREAKS.sub("⏎", text)
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text
                   if ch == "\t" or ch >= " " and ch != "\x7f")


_LONG_RUN = re.compile(r"\S{200,}")


def _shorten(match: re.Match) -> str:
    text = match.group(0)
    return f"{text[:60]}…({len(text):,} characters)"


def quote(value: object, limit: int = MAX_QUOTED) -> str:
    """A value from a file, quoted for a message: on one line and shortened to `limit` characters."""
    text = one_line("" if value is None else str(value))
    if len(text) > limit:
        text = text[: limit - 1] + f"…({len(text):,} characters)"
    return f"'{text}'"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and inside a workbook a sheet and a cell (or a line of a text file)."""

    file: str
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.sheet is not None:
            text += f"!{self.sheet}"
            if self.cell is not None:
                text += f"!{self.cell}"
        elif self.line is not None:
            text += f":{self.line}"
        return text


@dataclass(frozen=True)
class Problem:
    """One finding of validation: an error stops the job, a warning is only reported."""

    location: Location
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return one_line(f"{self.location}: {prefix}{self.message}")


class PilotDocsError(click.ClickException):
    """Base of every error a user can cause; printed as one line, exit status 1."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        message = _LONG_RUN.sub(_shorten, message)  # a message never prints data (a chart's data URL, a cell)
        self.location = location
        self.detail = message  # the message without its location
        text = f"{location}: {message}" if location else message
        super().__init__(text if self.multiline else one_line(text))

    multiline = False  # only ValidationFailed prints several lines, one per problem

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class SourceError(PilotDocsError):
    """The workbook, registry or config cannot be read or is invalid."""


class ValidationFailed(SourceError):
    """Validation found one or more errors; each is printed on its own line."""

    multiline = True

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.error_count = sum(1 for p in problems if p.severity == "error")
        lines = [str(p) for p in problems]
        if problems:
            lines.append(f"{self.error_count} error(s) in {problems[0].location.file}")
        super().__init__("\n".join(lines) or "invalid input")


class EmptyTable(ValidationFailed):
    """The table has its header row but no work items yet (a new project): `build` says what to fill in and
    makes nothing, `check` reports it as an error."""


class TemplateError(PilotDocsError):
    """A template has a syntax error, an undefined name, or produced HTML the writers do not know."""


class FontError(PilotDocsError):
    """A character has no glyph in any configured font, or a configured font is missing."""


class BuildError(PilotDocsError):
    """The build cannot write its outputs (bad output folder, unsafe path)."""


_CAUSES = {
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied (this user may not write or read here)",
    errno.EPERM: "operation not permitted (this user may not change this file or folder)",
    errno.ENOSPC: "the disk is full (no space left on the device); free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.ENAMETOOLONG: "the path is too long for the file system; use a shorter folder or file name",
    errno.EILSEQ: "the file system does not allow this name",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "a folder, not a file",
    errno.EEXIST: "already exists",
    errno.ELOOP: "too many symbolic links in the path",
    errno.EMFILE: "too many open files",
    errno.EIO: "the disk reported an input/output error",
}


def os_cause(exc: OSError) -> str:
    """What an operating-system error means for the user, in words (not an errno)."""
    cause = _CAUSES.get(exc.errno or 0)
    if cause is None and exc.errno == errno.EINVAL and exc.filename is not None:
        cause = "the file system does not allow this name"
    return cause or (exc.strerror or str(exc)).lower()


class EnvironmentProblem(PilotDocsError):
    """The disk or the file system refused: read-only, full, no permission, a path or name it does not take."""

    def __init__(self, exc: OSError) -> None:
        self.cause = exc
        where = exc.filename if exc.filename is not None else None
        message = os_cause(exc)
        if exc.filename2 is not None:
            message += f" (with {exc.filename2})"
        super().__init__(message, Location(str(where)) if where is not None else None)
