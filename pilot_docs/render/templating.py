"""Jinja for documents: sandboxed, autoescaped and strict; a project's templates/ overrides the built-in ones."""

from __future__ import annotations

import traceback
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..documents.common import cn_ordinal
from ..errors import Location, TemplateError

# the built-in templates ship inside the package (package data), so that a wheel works anywhere
BUILTIN_TEMPLATES = Path(str(resources.files("pilot_docs") / "templates"))


def environment(project_templates: Path | None = None) -> SandboxedEnvironment:
    """The template environment: cell text is data (autoescaped, never evaluated), undefined names fail."""
    folders = [str(p) for p in (project_templates, BUILTIN_TEMPLATES) if p is not None and p.is_dir()]
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(dict.fromkeys(folders))),
        autoescape=lambda name: name is None or not name.endswith(".txt.j2"),  # mail text is not HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_ordinal"] = cn_ordinal
    return env


def template_path(env: SandboxedEnvironment, name: str) -> str:
    """The file a template name resolves to, as users see it, for messages and dependency tracking."""
    try:
        source = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template '{name}' not found in the project's templates/ or the built-in ones") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(f"template '{name}' is not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise TemplateError(f"cannot read template '{name}': {exc.strerror or exc}") from exc
    filename = source[1] or name
    try:
        return str(Path(filename).relative_to(Path.cwd()))
    except ValueError:
        return filename


def render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """The template's HTML; a syntax error or undefined name fails with the template file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(exc.filename or template_path(env, name), line=exc.lineno)
        raise TemplateError(f"template syntax error: {exc.message}", where) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template '{exc.name}' not found in the project's templates/ or the built-in ones") from exc
    except UnicodeDecodeError as exc:
        template_path(env, name)  # names the template that is not UTF-8
        raise TemplateError(f"a template included by '{name}' is not UTF-8 text; save it as UTF-8") from exc
    except Exception as exc:  # anything a template does wrong: an undefined name, 1/0, a recursion
        file, line = _template_frame(exc, env, name)
        raise TemplateError(f"{type(exc).__name__}: {exc}", Location(file, line=line)) from exc


def _template_frame(exc: BaseException, env: SandboxedEnvironment, name: str) -> tuple[str, int | None]:
    """The innermost template file and line in an exception's traceback (Jinja maps frames to templates)."""
    found: tuple[str, int | None] = (template_path(env, name), None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".html", ".jinja")):
            found = (_shown(frame.filename), frame.lineno)
    return found


def _shown(filename: str) -> str:
    try:
        return str(Path(filename).relative_to(Path.cwd()))
    except ValueError:
        return filename


def list_templates(own: Path) -> list[str]:
    """One line per built-in template (the kind it makes, whether the project overrides it), then the project's
    own templates that override nothing."""
    from ..documents.kinds import KINDS

    used = {k.template: k.name for k in KINDS if k.template}
    builtin = sorted(p.relative_to(BUILTIN_TEMPLATES).as_posix() for p in BUILTIN_TEMPLATES.rglob("*")
                     if p.is_file() and not p.name.startswith("."))
    lines = []
    for name in builtin:
        mark = f"overridden by {_shown(str(own / name))}" if (own / name).is_file() else "built-in"
        lines.append(f"{name}{f' ({used[name]})' if name in used else ''}: {mark}")
    extra = sorted(p.relative_to(own).as_posix() for p in own.rglob("*") if p.is_file()) if own.is_dir() else []
    lines += [f"{name}: the project's own (included by an override, or unused)"
              for name in extra if name not in builtin and name != "README.md"]
    return lines


COPYABLE = {"mail": "mail.txt.j2", "stylesheet": "static/gongwen.css"}


def copy_template(own: Path, what: str) -> Path:
    """Copy the built-in template of a kind (or "mail", "stylesheet") into the project's templates/, never over
    a file that is there."""
    from ..documents.kinds import kind

    name = COPYABLE.get(what) or kind(what).template
    assert name is not None
    target = own / name
    if target.exists():
        raise TemplateError(f"{_shown(str(target))} exists already: edit it, or remove it to copy the built-in one")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((BUILTIN_TEMPLATES / name).read_bytes())
    return target
