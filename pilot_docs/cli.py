"""The command line: parses options and calls one core function per command (imported lazily)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import PilotDocsError

_VERBOSE = {"on": False}


class _Group(click.Group):
    """A group that prints user errors as one line and hides tracebacks unless --verbose."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug, not a user error: say so in one line unless --verbose
            if _VERBOSE["on"]:
                raise
            raise click.ClickException(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the "
                                       "traceback, and please report it)") from exc


@click.group(cls=_Group)
@click.option("--verbose", is_flag=True, help="Show tracebacks and more detail.")
@click.version_option(package_name="pilot-docs")
def main(verbose: bool) -> None:
    """Turn a task responsibility table (任务责任分解表) into official documents."""
    _VERBOSE["on"] = verbose


SOURCE = click.option("--source", type=click.Path(path_type=Path), default=None,
                      help="Project folder or one .xlsx workbook (default: the current folder).")
YEAR = click.option("--year", type=click.IntRange(1900, 2200), default=None,
                    help="The plan's year, for deadlines such as 10月底前 (default: config, else the table title).")


@main.command()
@SOURCE
@YEAR
@click.option("--json", "as_json", is_flag=True, help="Print the normalized model as JSON on stdout.")
def check(source: Path | None, year: int | None, as_json: bool) -> None:
    """Read and validate the workbook; report every problem with its cell."""
    from .errors import ValidationFailed
    from .project import find_project, load_model

    project = find_project(source)
    try:
        model, warnings = load_model(project, year)
    except ValidationFailed as failed:
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        errors = sum(1 for p in failed.problems if p.severity == "error")
        click.echo(f"{errors} error(s) in {failed.problems[0].location.file}", err=True)
        sys.exit(1)
    for problem in warnings:
        click.echo(str(problem), err=True)
    if as_json:
        click.echo(json.dumps(model.to_json(), ensure_ascii=False, indent=2))
        return
    items = model.items()
    click.echo(f"{model.source}: {len(model.tasks)} tasks, {len(items)} work items, "
               f"{len(model.agencies)} agencies; year {model.plan.year}; "
               f"{len(warnings)} warning(s)")


@main.command()
def doctor() -> None:
    """Check the environment: CJK fonts, HarfBuzz subsetting for WeasyPrint, Pango."""
    from .doctor import run_checks

    ok = True
    for check_ in run_checks():
        mark = "ok  " if check_.ok else "FAIL"
        click.echo(f"{mark} {check_.name}: {check_.detail}")
        if not check_.ok:
            ok = False
            click.echo(f"     fix: {check_.fix}")
    if not ok:
        sys.exit(1)


def run() -> None:
    """Entry point that maps user errors to exit status 1."""
    try:
        main(standalone_mode=True)
    except PilotDocsError as exc:  # pragma: no cover - click handles these in standalone mode
        exc.show()
        sys.exit(1)
