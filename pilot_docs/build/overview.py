"""build/index.html: an overview of the build for the browser — every document linked, each agency's status."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .output import Output


def href(path: str) -> str:
    """A relative link to an output, each path segment percent-encoded."""
    return "/".join(quote(part) for part in path.split("/"))


def overview_context(model, plan, outputs: list[Output]) -> dict[str, Any]:
    """What index.html shows: the plan, the documents by kind, per-agency links and progress, the charts."""
    by_key: dict[tuple[str, str | None], dict[str, str]] = {}
    for o in outputs:
        if o.kind == "bundle" and not o.path.endswith(".zip"):
            continue
        by_key.setdefault((o.kind, o.agency), {})[o.format] = href(o.path)
    report = next((d for d in plan.documents if d.kind == "progress"), None)
    tallies = {row["name"]: row for row in report.context["agencies"]} if report else {}
    agencies = []
    for agency in model.agencies:
        tally = tallies.get(agency.name, {})
        agencies.append({
            "name": agency.name, "full_name": agency.full_name, "items": len(agency.items),
            "email": agency.email or "",
            "letter": by_key.get(("letter", agency.name), {}), "form": by_key.get(("form", agency.name), {}),
            "bundle": by_key.get(("bundle", agency.name), {}),
            "reported": tally.get("reported", 0), "done": tally.get("done", 0),
            "overdue": tally.get("overdue", 0), "rate": tally.get("rate", "—"),
        })
    volume = next((d for d in plan.documents if d.kind == "volume"), None)
    reports: dict[str, dict[str, str]] = {}
    for o in sorted((o for o in outputs if o.kind == "progress"), key=lambda o: o.path):
        reports.setdefault(o.path.rsplit("/", 1)[-1].rsplit(".", 1)[0], {})[o.format] = href(o.path)
    return {
        "plan": {"title": model.plan.title, "issuer": model.plan.issuer, "year": model.plan.year},
        "annex": by_key.get(("annex", None), {}),
        "reports": [{"name": name, "links": links} for name, links in reports.items()],
        "summary": by_key.get(("summary", None), {}),
        "volume": by_key.get(("volume", None), {}),
        "own_summaries": volume.context.get("own") if volume else None,  # who sent their own summary, who not
        "agencies": agencies,
        "report": report.context if report else None,
        "counts": {k: len({o.path.rsplit(".", 1)[0] for o in outputs if o.kind == k})
                   for k in ("annex", "letter", "form", "progress")}
        | {"bundle": sum(1 for o in outputs if o.kind == "bundle" and o.format == "zip")},
    }
