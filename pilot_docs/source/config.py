"""pilot-docs.toml: the project's configuration (plan metadata, workbook location, fonts)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import Location, SourceError, quote

CONFIG_NAME = "pilot-docs.toml"
SECTIONS = {"source", "plan", "fonts", "report", "reminder", "change", "numbering", "mail", "returns", "render"}
PLAN_KEYS = {
    "title": str, "name": str, "year": int, "issuer": str, "issuer_mark": str, "office": str,
    "doc_number": str, "date": dt.date, "print_date": dt.date, "cc": list,
    "leadership": list, "letter_title": str, "letter_intro": str,
}


REPORT_KEYS = {
    "as_of": dt.date, "at_risk_days": int, "issuer": str, "issuer_mark": str, "doc_number": str, "title": str,
    "recipients": str, "requirements": str,
}


REMINDER_KEYS = {"doc_number": str, "title": str, "reply_days": int, "requirements": str}


CHANGE_KEYS = {"title": str, "reason": str, "date": dt.date}
NUMBERED = ("letter", "change", "reminder")  # [numbering.<kind>]
NUMBERING_KEYS = {"pattern": str, "start": int, "batch": bool}


MAIL_KEYS = {"from": str}
RENDER_KEYS = {"pdf_engine": str}
PDF_ENGINES = ("weasyprint", "typst")  # render/pdf.py, render/typst.py
DEFAULT_PDF_ENGINE = "typst"  # README: PDF engines
SOURCE_KEYS = ("workbook", "columns")
# The roles a column can be given in [source] columns (the model's Column.role).
COLUMN_ROLES = ("number", "task", "content", "units", "lead", "partners", "deadline", "people", "remarks", "extra",
                "group")


def every_key() -> list[str]:
    """Every key pilot-docs.toml may set, as section.key (fonts takes any standard font name)."""
    tables = (("source", SOURCE_KEYS), ("plan", PLAN_KEYS), ("report", REPORT_KEYS), ("reminder", REMINDER_KEYS),
              ("change", CHANGE_KEYS), ("mail", MAIL_KEYS), ("returns", RETURNS_KEYS), ("render", RENDER_KEYS),
              *((f"numbering.{k}", NUMBERING_KEYS) for k in NUMBERED))
    return [f"{section}.{key}" for section, keys in tables for key in keys] + ["fonts"]


RETURNS_KEYS = {"password": str, "accept_old_versions": list, "date_margin_days": int}
# what may differ between a returned form's locked cells and the current plan without refusing the form
OLD_VERSION_CHANGES = {
    "task": "an item's 工作任务 (task title) was reworded",
    "content": "an item's 工作内容 was reworded",
    "deadline": "an item's 完成时间 was changed",
    "added": "items were added to the agency since the form was made (the form reports on the others)",
    "removed": "items were removed from the agency since (their rows on the form are ignored)",
}


def _line_of(text: str, key: str) -> int | None:
    """The line where a key is set, to point messages at it."""
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line) or line.strip() in (f"[{key}]", f"[[{key}]]"):
            return n
    return None


def load_config(path: Path, display: str) -> dict[str, Any]:
    """The parsed and checked configuration; a mistake names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError("not UTF-8 text; save it as UTF-8", Location(display)) from exc
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", Location(display)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise SourceError(f"not valid TOML: {exc}", Location(display, line=int(m.group(1)) if m else None)) from exc
    for section in data:
        if section not in SECTIONS:
            raise SourceError(f"unknown section [{section}] (known: {', '.join(sorted(SECTIONS))})",
                              Location(display, line=_line_of(text, section)))
        if not isinstance(data[section], dict):
            raise SourceError(f"{section} must be a section [{section}], not a value",
                              Location(display, line=_line_of(text, section)))
    for name, value in data.get("fonts", {}).items():
        if not (isinstance(value, str) or isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise SourceError(f"fonts.{name} must be a font name or a list of font names",
                              Location(display, line=_line_of(text, name)))
    for kind, table in data.get("numbering", {}).items():
        where = Location(display, line=_line_of(text, f"numbering.{kind}"))
        if kind not in NUMBERED or not isinstance(table, dict):
            raise SourceError(f"numbering.{kind}: numbering is set per kind as "
                              f"{', '.join(f'[numbering.{k}]' for k in NUMBERED)}", where)
        _check_keys(table, f"numbering.{kind}", NUMBERING_KEYS, text, display)
        if "{n}" not in table.get("pattern", ""):
            raise SourceError(f"numbering.{kind}.pattern must hold {{n}} (and may hold {{year}}), e.g. "
                              "\"×府〔{year}〕{n}号\"", where)
    for section, known in (("plan", PLAN_KEYS), ("report", REPORT_KEYS), ("reminder", REMINDER_KEYS),
                           ("change", CHANGE_KEYS), ("mail", MAIL_KEYS), ("returns", RETURNS_KEYS),
                           ("render", RENDER_KEYS)):
        _check_keys(data.get(section, {}), section, known, text, display)
    engine = data.get("render", {}).get("pdf_engine", DEFAULT_PDF_ENGINE)
    if engine not in PDF_ENGINES:
        raise SourceError(f"render.pdf_engine must be one of {', '.join(PDF_ENGINES)}, not {quote(engine)}",
                          Location(display, line=_line_of(text, "pdf_engine")))
    plan = data.get("plan", {})
    for n, entry in enumerate(plan.get("leadership", []), 1):
        if _has_unwritable(entry):
            raise SourceError(f"plan.leadership entry {n} holds a control character (written as \\u0001 or the like)",
                              Location(display, line=_line_of(text, "plan.leadership")))
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not isinstance(
                entry.get("heading", ""), str):
            raise SourceError(f"plan.leadership entry {n} needs text = \"...\" (and optionally heading)",
                              Location(display, line=_line_of(text, "plan.leadership")))
    workbook = data.get("source", {}).get("workbook")
    if workbook is not None and not isinstance(workbook, str):
        raise SourceError("source.workbook must be a path", Location(display, line=_line_of(text, "workbook")))
    for key in data.get("source", {}):
        if key not in SOURCE_KEYS:
            raise SourceError(f"unknown key source.{key} (known: {', '.join(sorted(SOURCE_KEYS))})",
                              Location(display, line=_line_of(text, key)))
    columns = data.get("source", {}).get("columns", {})
    where = Location(display, line=_line_of(text, "columns") or _line_of(text, "source.columns"))
    if not isinstance(columns, dict):
        raise SourceError('source.columns must be a table of header = "role", such as columns = '
                          '{ "推进举措" = "content" }', where)
    for header, role in columns.items():
        if role not in COLUMN_ROLES:
            raise SourceError(f"source.columns: the role of {quote(header)} must be one of "
                              f"{', '.join(COLUMN_ROLES)}, not {quote(role)}", Location(display, line=_line_of(
                                  text, header) or where.line))
    return data


def pdf_engine(config: dict[str, Any], override: str | None = None) -> str:
    """The PDF engine a build uses: `override` (--pdf-engine), else [render] pdf_engine, else Typst."""
    return override or config.get("render", {}).get("pdf_engine", DEFAULT_PDF_ENGINE)


def _check_keys(table: dict[str, Any], section: str, known: dict[str, type], text: str, display: str) -> None:
    """Every key of a section is known and of the right type (dates as TOML dates, numbers as integers)."""
    for key, value in table.items():
        where = Location(display, line=_line_of(text, key))
        if key not in known:
            raise SourceError(f"unknown key {section}.{key} (known: {', '.join(sorted(known))})", where)
        want = known[key]
        if want is dt.date and isinstance(value, dt.datetime):
            table[key] = value.date()
        elif want is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise SourceError(f"{section}.{key} must be a whole number, not {value!r}", where)
        elif want is dt.date and not isinstance(value, dt.date):
            raise SourceError(f"{section}.{key} must be a date such as 2009-06-30, not {value!r}", where)
        elif not isinstance(value, want):
            raise SourceError(f"{section}.{key} must be a {want.__name__}, not {quote(value)}", where)
        _check_value(section, key, value, where)


_RANGES = {"year": (1900, 2200), "at_risk_days": (0, 3650), "reply_days": (0, 3650)}
_CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ud800-\\udfff\\ufffe\\uffff]")


def _has_unwritable(value: object) -> bool:
    """True when text in a value holds a character no document can carry (a control character)."""
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_has_unwritable(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unwritable(v) for v in value)
    return False


def _check_value(section: str, key: str, value: object, where: Location) -> None:
    """A value of the right type is also in range, and its text is printable."""
    if key in _RANGES and isinstance(value, int):
        low, high = _RANGES[key]
        if not low <= value <= high:
            raise SourceError(f"{section}.{key} must be between {low} and {high}, not {value}", where)
    if key == "cc" and not all(isinstance(v, str) for v in value):  # type: ignore[union-attr]
        raise SourceError(f"{section}.cc must be a list of names in quotes", where)
    if key == "accept_old_versions":
        for change in value:  # type: ignore[union-attr]
            if change not in OLD_VERSION_CHANGES:
                raise SourceError(f"returns.accept_old_versions: unknown change {quote(change)} (known: "
                                  f"{', '.join(OLD_VERSION_CHANGES)})", where)
    if key == "date_margin_days" and isinstance(value, int) and not 0 <= value <= 3650:
        raise SourceError(f"returns.date_margin_days must be between 0 and 3650, not {value}", where)
    if key == "password" and isinstance(value, str) and not 1 <= len(value) <= 255:
        raise SourceError("returns.password must be 1 to 255 characters", where)
    if key != "leadership" and _has_unwritable(value):
        raise SourceError(f"{section}.{key} holds a control character (written as \\u0001 or the like)", where)
