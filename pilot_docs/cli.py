"""The command line: parses options and calls one core function per command (imported lazily)."""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import click

from .documents.kinds import KINDS
from .documents.kinds import names as kind_names
from .errors import EmptyTable, EnvironmentProblem, PilotDocsError

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
        except OSError as exc:  # the disk or file system refused: a user's problem to fix, named as such
            if _VERBOSE["on"]:
                raise
            raise EnvironmentProblem(exc) from exc
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
    from .source.project import find_project, load_model, masthead_warnings

    project = find_project(source)
    model, warnings = load_model(project, year)
    errors = unprintable(model, project_fonts(project))
    if errors:
        raise ValidationFailed(warnings + errors)
    warnings += masthead_warnings(project, model)
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
@click.option("--no-wait", "no_wait", is_flag=True,
              help="If another build is writing into the same folder, exit 1 (naming it) instead of waiting.")
@click.option("--pdf-engine", "pdf_engine", type=click.Choice(["weasyprint", "typst"]), default=None,
              help="Make the PDFs with this engine (default: [render] pdf_engine in the config, else typst).")
def build(source: Path | None, out: Path | None, only: tuple[str, ...], formats: tuple[str, ...],
          year: int | None, as_of, quiet: bool, no_wait: bool, pdf_engine: str | None) -> None:
    """Write every kind of document of the project into build/, with build/manifest.json.

    Only what changed since the last build is rendered, on every core.
    """
    from .build.pipeline import FORMATS
    from .build.pipeline import build as run_build

    bar = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    try:
        result = run_build(source, out, only, formats or FORMATS, year, as_of.date() if as_of else None,
                           on_progress=bar.update, wait=not no_wait, on_wait=_tell, pdf_engine=pdf_engine)
    except EmptyTable as empty:  # a new project: say what to fill in, and that nothing was made
        for problem in empty.problems:
            click.echo(str(problem), err=True)
        click.echo("nothing to build yet: fill in the table, then run pilot-docs build again")
        return
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


def _tell(message: str) -> None:
    """A note on stderr while a command waits for another to finish."""
    click.echo(message, err=True)


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
@click.argument("folder", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option("--force", is_flag=True, help="Also in a folder that is not empty (existing files are kept).")
def init(folder: Path, force: bool) -> None:
    """Start a project for a new office in FOLDER (default: here): an empty table, a commented pilot-docs.toml,
    templates/ and .gitignore. Never overwrites a file."""
    from .source.scaffold import WORKBOOK, init_project

    written = init_project(folder, force)
    for path in written:
        click.echo(f"wrote {path}")
    if not written:
        click.echo(f"{folder}: every file of a new project is there already; nothing written")
        return
    where = "" if folder == Path(".") else f" (in {folder})"
    click.echo(f"next{where}: fill in the table in {WORKBOOK} (one row per work item below the header row), "
               "set issuer, issuer_mark, doc_number and date in pilot-docs.toml, then run pilot-docs check and "
               "pilot-docs build")


@main.command()
@SOURCE
@click.option("--show", "show", type=click.Choice([k.name for k in KINDS if k.rendered]), default=None,
              help="Print the context of one real document of this kind as JSON.")
@click.option("--agency", default=None, help="With --show letter: this agency's letter (default: the first).")
@click.option("--copy", "copy", type=click.Choice([k.name for k in KINDS if k.rendered] + ["mail", "stylesheet"]),
              default=None, help="Copy a built-in template into the project's templates/ to edit it.")
def templates(source: Path | None, show: str | None, agency: str | None, copy: str | None) -> None:
    """List the built-in templates and which of them the project overrides; show what a template sees."""
    from .render.templating import copy_template, list_templates
    from .source.project import find_project

    project = find_project(source)
    if copy:
        target = copy_template(project.templates_dir, copy)
        click.echo(f"wrote {target}: it now overrides the built-in one")
    elif show:
        from .documents.contexts import show_context

        click.echo(show_context(project, show, agency))
    else:
        for line in list_templates(project.templates_dir):
            click.echo(line)


DATE = click.DateTime(["%Y-%m-%d"])


@main.command()
@SOURCE
@click.option("--since", type=DATE, default=None, help="Compare with what was issued on or before this date.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def changes(source: Path | None, since, as_json: bool) -> None:
    """List, per agency, what changed in the table since it was last issued to (pilot-docs issue)."""
    from .mail.register import changes as find_changes
    from .mail.register import read_register, register_path
    from .source.project import find_project, load_model

    project = find_project(source)
    model, _ = load_model(project)
    found = find_changes(model, read_register(register_path(project)), since.date() if since else None)
    if as_json:
        click.echo(json.dumps({a: [c.__dict__ for c in cs] for a, cs in found.items()}, ensure_ascii=False,
                              indent=2))
        return
    for agency, items in found.items():
        click.echo(f"{agency}:")
        for c in items:
            click.echo(f"  {c.item} {c.label}: {c.before or '—'} → {c.after or '—'}")
    click.echo(f"{len(found)} agenc{'y' if len(found) == 1 else 'ies'} with changes")


@main.command()
@SOURCE
@click.option("--out", type=click.Path(path_type=Path), default=None, help="The build folder (default: build/).")
@click.option("--date", "date", type=DATE, default=None, help="Date of issue (default: today).")
def issue(source: Path | None, out: Path | None, date) -> None:
    """Record in source/issued.jsonl what the build issues: each agency's letter the first time, its change
    notice when its assignment changed, its reminder (督办通知) of the latest date when new or changed; with the
    documents' numbers and sha256."""
    import datetime as dt

    from .mail.register import issue as run_issue
    from .source.project import find_project, load_model

    project = find_project(source)
    model, _ = load_model(project)
    records = run_issue(project, model, out or project.root / "build", date.date() if date else dt.date.today())
    for r in records:
        click.echo(f"issued {r.path}{f' ({r.number})' if r.number else ''} to {r.agency}")
    click.echo(f"recorded {len(records)} document(s) in the issue register")


@main.command()
@SOURCE
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path), default=None,
              help="Also write the register as a workbook (发文登记簿) to this file.")
def register(source: Path | None, xlsx: Path | None) -> None:
    """List the issue register: what was issued to whom, with its number and date."""
    from .mail.register import read_register, register_path, register_workbook
    from .source.project import find_project

    records = read_register(register_path(find_project(source)))
    if xlsx:
        from .build.output import atomic_write

        atomic_write(xlsx, register_workbook(records))
        click.echo(f"wrote {xlsx}")
    for r in records:
        click.echo(f"{r.date}  {r.number or '(no number)'}  {r.kind}  {r.agency}  {r.path}  {r.sha256[:12]}")
    click.echo(f"{len(records)} record(s)")

@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@SOURCE
def collect(files: tuple[Path, ...], source: Path | None) -> None:
    """Check returned forms and append their rows to the progress ledger in source/."""
    from .returns.collect import collect as run_collect
    from .returns.collect import raise_if_refused

    result = run_collect(list(files), source, on_wait=_tell)
    for name in result.skipped:
        click.echo(f"{name}: already collected, nothing added")
    click.echo(f"collected {len(result.added)} row(s) from {len(result.collected)} file(s)")
    raise_if_refused(result)


@main.command()
@SOURCE
@click.option("--smtp", "server", default=None, help="Mail server as HOST:PORT (not needed with --dry-run).")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent: agency, address, subject.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The build folder holding bundles/ (default: build/ in the project).")
@click.option("--agency", "agencies", multiple=True,
              help="Send only these agencies' drafts: short name, full name or alias (repeatable).")
@click.option("--resend", is_flag=True, help="Send again what was sent before to the same address.")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--user", default=None, help="Log in as this user; the password is read from PILOT_DOCS_SMTP_PASSWORD.")
def send(source: Path | None, server: str | None, dry_run: bool, out: Path | None, agencies: tuple[str, ...],
         resend: bool, starttls: bool, user: str | None) -> None:
    """Send the bundles' .eml drafts (those with a To: address), each message once, recorded in source/sent.jsonl."""
    import os

    from .mail.send import send as run_send
    from .source.project import find_project, load_model

    project = find_project(source)
    model, _ = load_model(project)
    result = run_send(project, model, out or project.root / "build", server, dry_run, agencies, starttls, user,
                      os.environ.get("PILOT_DOCS_SMTP_PASSWORD"), resend)
    verb = "would send" if dry_run else "sent"
    for draft in result.sent:
        click.echo(f"{verb} {draft.agency} <{draft.to}>: {draft.subject}")
    for draft in result.already:
        click.echo(f"already sent {draft.agency} <{draft.to}> (--resend sends it again)")
    for path in result.skipped:
        click.echo(f"skipped {path}: no e-mail address in the registry", err=True)
    click.echo(f"{verb} {len(result.sent)} message(s), skipped {len(result.skipped)}"
               + (f", {len(result.already)} sent before" if result.already else ""))


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
