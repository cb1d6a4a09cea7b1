"""The command line: parses options and calls one core function per command (imported lazily)."""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import click

from .documents.kinds import KINDS
from .documents.kinds import names as kind_names
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
    from .build.jobs import project_fonts
    from .errors import ValidationFailed
    from .source.printable import unprintable
    from .source.project import find_project, load_model

    project = find_project(source)
    model, warnings = load_model(project, year)
    errors = unprintable(model, project_fonts(project))
    if errors:
        raise ValidationFailed(warnings + errors)
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
@SOURCE
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: build/ in the project).")
@click.option("--only", multiple=True,
              type=click.Choice(kind_names()),
              help="Build only these kinds of output (repeatable; default: all of them, listed above).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["docx", "pdf", "html"]),
              help="Write only these formats (repeatable; default: docx and pdf).")
@YEAR
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date of the progress report (default: [report] as_of in the config, else today).")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary line.")
def build(source: Path | None, out: Path | None, only: tuple[str, ...], formats: tuple[str, ...],
          year: int | None, as_of, quiet: bool) -> None:
    """Write every kind of document of the project into build/, with build/manifest.json.

    Only what changed since the last build is rendered, on every core.
    """
    from .build.pipeline import FORMATS
    from .build.pipeline import build as run_build

    bar = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    try:
        result = run_build(source, out, only, formats or FORMATS, year, as_of.date() if as_of else None,
                           on_progress=bar.update)
    finally:
        bar.close()
    for problem in result.warnings:
        click.echo(str(problem), err=True)
    if not quiet:
        counts = ", ".join(f"{result.count(k)} {k}" for k in kind_names() if result.count(k))
        click.echo(f"{result.out}: {counts}; rendered {len(result.rendered)} file(s), "
                   f"{len(result.reused)} unchanged, {len(result.removed)} removed, in {result.seconds:.1f} s")


build.help = inspect.cleandoc(build.help or "") + "\n\n\b\nWhat a build makes (each a kind for --only):\n" + "\n".join(
    f"  {k.name:<9}{', '.join(k.paths())}" for k in KINDS)


class _ProgressBar:
    """A one-line progress bar on a terminal; nothing at all otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        width = 30
        filled = width * done // total
        click.echo(f"\rrendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@SOURCE
def collect(files: tuple[Path, ...], source: Path | None) -> None:
    """Check returned forms and append their rows to the progress ledger in source/."""
    from .returns.collect import collect as run_collect
    from .returns.collect import raise_if_refused

    result = run_collect(list(files), source)
    for name in result.skipped:
        click.echo(f"{name}: already collected, nothing added")
    click.echo(f"collected {len(result.added)} row(s) from {len(result.collected)} file(s)")
    raise_if_refused(result)


@main.command()
@click.option("--smtp", "server", required=True, help="Mail server as HOST:PORT.")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="The build folder holding bundles/.")
@click.option("--agency", "agencies", multiple=True, help="Send only these agencies' drafts (repeatable).")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--user", default=None, help="Log in as this user; the password is read from PILOT_DOCS_SMTP_PASSWORD.")
def send(server: str, dry_run: bool, out: Path, agencies: tuple[str, ...], starttls: bool, user: str | None) -> None:
    """Send the .eml drafts of build/bundles/ (those with a To: address from the registry)."""
    import os

    from .mail.send import send as run_send

    result = run_send(out, server, dry_run, agencies, starttls, user, os.environ.get("PILOT_DOCS_SMTP_PASSWORD"))
    verb = "would send" if dry_run else "sent"
    for path in result.sent:
        click.echo(f"{verb} {path}")
    for path in result.skipped:
        click.echo(f"skipped {path}: no e-mail address in the registry", err=True)
    click.echo(f"{verb} {len(result.sent)} message(s), skipped {len(result.skipped)}")


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


if __name__ == "__main__":
    main()
