"""One exception tree for every error a user can cause (bad workbook, font, template, config)."""

from __future__ import annotations

from dataclasses import dataclass

import click


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
        return f"{self.location}: {prefix}{self.message}"


class PilotDocsError(click.ClickException):
    """Base of every error a user can cause; printed as one line, exit status 1."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class SourceError(PilotDocsError):
    """The workbook, registry or config cannot be read or is invalid."""


class ValidationFailed(SourceError):
    """Validation found one or more errors; each is printed on its own line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.error_count = sum(1 for p in problems if p.severity == "error")
        lines = [str(p) for p in problems]
        if problems:
            lines.append(f"{self.error_count} error(s) in {problems[0].location.file}")
        super().__init__("\n".join(lines) or "invalid input")


class TemplateError(PilotDocsError):
    """A template has a syntax error, an undefined name, or produced HTML the writers do not know."""


class FontError(PilotDocsError):
    """A character has no glyph in any configured font, or a configured font is missing."""


class BuildError(PilotDocsError):
    """The build cannot write its outputs (bad output folder, unsafe path)."""
