"""What each template sees: the contexts of real documents, described name by name (for docs/templates.md) and
printed as JSON (`pilot-docs templates --show KIND`).

Generated from the code's own contexts, so the description cannot drift from what the templates receive:
`python -m pilot_docs.documents.contexts > docs/templates.md` remakes the page from the example project, and a
test fails when the page is stale.
"""

from __future__ import annotations

import json
from typing import Any

from .common import Document
from .kinds import KINDS

LONG = 60  # characters: longer example values are shortened, with their length


def short(value: str, limit: int = LONG) -> str:
    """A long text cut to `limit` characters, saying how long it was (a chart's data URL is megabytes)."""
    if value.startswith("data:"):  # an image: its bytes are not an example anyone reads
        return value[:value.find(",") + 1] + "…"
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value):,} characters)"


def describe(value: Any, name: str = "") -> list[tuple[str, str, str]]:
    """(dotted name, type, example) for a context and everything inside it; a list is described by its first
    element, as `name[]`."""
    rows: list[tuple[str, str, str]] = []
    if isinstance(value, dict):
        for key in value:
            rows += _one(value[key], f"{name}.{key}" if name else str(key))
    return rows


def _one(value: Any, name: str) -> list[tuple[str, str, str]]:
    if isinstance(value, dict):
        return [(name, "mapping", "")] + describe(value, name)
    if isinstance(value, (list, tuple)):
        if not value:
            return [(name, "list (empty here)", "[]")]
        first = value[0]
        if isinstance(value, tuple) or not isinstance(first, (dict, list, tuple)):
            example = short(json.dumps(list(value[:3]), ensure_ascii=False, default=str))
            return [(name, "pair" if isinstance(value, tuple) else f"list of {_type(first)}", example)]
        head = [(name, f"list of {_type(first)}", f"{len(value)} here")]
        return head + (describe(first, f"{name}[]") if isinstance(first, dict) else _one(first, f"{name}[]"))
    if isinstance(value, str):
        return [(name, "text", json.dumps(short(value), ensure_ascii=False))]
    return [(name, _type(value), short(json.dumps(value, ensure_ascii=False, default=str)))]


def _type(value: Any) -> str:
    return {bool: "bool", int: "int", float: "float", str: "text", dict: "mapping", list: "list",
            tuple: "pair", type(None): "none"}.get(type(value), type(value).__name__)


def context_json(doc: Document) -> str:
    """A document's context as JSON, long texts shortened."""
    return json.dumps(_shortened(doc.context), ensure_ascii=False, indent=2, default=str)


def _shortened(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shortened(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shortened(v) for v in value]
    if isinstance(value, str) and (len(value) > 200 or value.startswith("data:")):
        return short(value)
    return value


def templates_page(documents: dict[str, Document]) -> str:
    """docs/templates.md: per kind, every variable its template sees, with its type and an example value."""
    out = ["# What each template sees",
           "",
           "Every rendered kind of document has one template (`pilot_docs/templates/`, overridden by a file of the",
           "same name in a project's `templates/`). This page lists, per kind, every variable the template sees, with",
           "its type and an example value from the example project (`source/` of this repository). It is generated",
           "from the code (`python -m pilot_docs.documents.contexts > docs/templates.md`) and a test keeps it true.",
           "`pilot-docs templates --show KIND` prints the whole context of one real document of your own project.",
           "",
           "A `list of mapping` is described by its first element, as `name[].key`. Text is already normalized",
           "(full-width punctuation, 〔〕, dates as 2009年6月30日); templates only lay it out. Filters: `cn_ordinal`",
           "(3 → 三) besides Jinja's own. Names are strict: an undefined one fails the build with the template and line.",
           ""]
    for k in KINDS:
        if not k.rendered:
            continue
        if k.name not in documents:
            out += [f"## `{k.name}` — `{k.template}`", "", k.description[:1].upper() + k.description[1:] + ".", "",
                    ("The example project has no document of this kind (nothing was issued to any agency yet); "
                    f"`pilot-docs templates --show {k.name}` prints one of a project that has."), ""]
            continue
        doc = documents[k.name]
        out += [f"## `{k.name}` — `{k.template}`", "", k.description[:1].upper() + k.description[1:] + ".", "",
                "| variable | type | example |", "| --- | --- | --- |"]
        for name, type_, example in describe(doc.context):
            cell = example.replace("|", "\\|").replace("\n", " ")
            out.append(f"| `{name}` | {type_} | {cell} |")
        out.append("")
    return "\n".join(out)


def example_documents(project, model, fonts) -> dict[str, Document]:
    """One real document of each rendered kind of a project (the first agency's letter)."""
    from ..build.jobs import inputs_of

    settings = project.config.get("report", {})
    inputs = inputs_of(project, model, fonts, settings.get("as_of"))
    found = {}
    for k in KINDS:
        if k.rendered and (docs := k.documents(inputs)):
            found[k.name] = docs[0]
    return found


def show_context(project, kind_name: str, agency: str | None = None) -> str:
    """The context of one real document of a kind of a project (an agency's letter with `agency`), as JSON."""
    from ..build.jobs import inputs_of, project_fonts
    from ..errors import PilotDocsError
    from ..source.project import load_model
    from ..source.units import name_key
    from .kinds import kind

    model, _ = load_model(project)
    inputs = inputs_of(project, model, project_fonts(project), project.config.get("report", {}).get("as_of"))
    docs = kind(kind_name).documents(inputs)
    if agency:
        docs = [d for d in docs if d.agency and name_key(d.agency) == name_key(agency)]
        if not docs:
            names = "、".join(a.name for a in model.agencies[:10])
            raise PilotDocsError(f"no {kind_name} for agency {agency!r} (agencies: {names}…)")
    return context_json(docs[0])


if __name__ == "__main__":  # python -m pilot_docs.documents.contexts: docs/templates.md from the current folder
    from ..build.jobs import project_fonts
    from ..source.project import find_project, load_model

    project = find_project()
    model, _ = load_model(project)
    print(templates_page(example_documents(project, model, project_fonts(project))), end="")
