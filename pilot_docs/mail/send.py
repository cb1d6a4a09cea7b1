"""pilot-docs send: send the bundles' .eml drafts over SMTP, each message once. Never part of `build`.

Every message sent is recorded in source/sent.jsonl (agency, address, Message-ID, sha256 of the draft, time),
appended right after the server accepts it, so that a connection dropped midway loses nothing: what went out is
recorded, what did not goes on the next run, nothing twice (unless --resend). Bundles older than the table, the
config or the project's templates are refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import email
import email.policy
import email.utils
import hashlib
import json
import smtplib
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location, PilotDocsError

if TYPE_CHECKING:
    from ..model import Model
    from ..source.project import Project

SENT_NAME = "sent.jsonl"


class SendError(PilotDocsError):
    """The mail server cannot be reached or refused a message, or the drafts cannot be sent as they are."""


@dataclass
class Draft:
    """One bundle's draft: whose, where, to whom, and its bytes."""

    agency: str
    path: Path
    to: str
    subject: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The draft's sha256 (what `sent.jsonl` remembers)."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class SendResult:
    """What a send run did with each draft."""

    sent: list[Draft] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # drafts without a recipient
    already: list[Draft] = field(default_factory=list)  # sent before to the same address


def parse_server(text: str) -> tuple[str, int]:
    """HOST:PORT → (host, port)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SendError(f"--smtp takes HOST:PORT, not {text!r}")
    return host.strip("[]"), int(port)


def wanted_agencies(model: Model, asked: tuple[str, ...]) -> list[str]:
    """The agencies named by --agency (short names, full names, aliases), in the model's order; an unknown name
    is an error with a did-you-mean. None asked: every agency."""
    from ..source.units import name_key

    if not asked:
        return [a.name for a in model.agencies]
    names = {}
    for agency in model.agencies:
        for name in (agency.name, agency.full_name, *agency.aliases):
            names[name_key(name)] = agency.name
    chosen = set()
    for text in asked:
        found = names.get(name_key(text))
        if found is None:
            every = [n for a in model.agencies for n in (a.name, a.full_name, *a.aliases)]
            hint = difflib.get_close_matches(text, every, n=1, cutoff=0.5)
            raise SendError(f"--agency {text!r} names no agency of the table"
                            + (f" (did you mean {hint[0]}?)" if hint else ""))
        chosen.add(found)
    return [a.name for a in model.agencies if a.name in chosen]


def drafts(project: Project, model: Model, out: Path, agencies: list[str]) -> list[Draft]:
    """The drafts of these agencies' bundles in the build's manifest; refused when missing or stale."""
    from ..build.output import read_manifest

    listed = {o.agency: o for o in read_manifest(out) if o.kind == "bundle" and o.format == "eml"}
    missing = [a for a in agencies if a not in listed]
    if missing:
        raise SendError(f"no bundle for {'、'.join(missing[:5])}{'…' if len(missing) > 5 else ''}: run pilot-docs "
                        "build first", Location(str(out / "bundles")))
    templates = sorted(project.templates_dir.rglob("*")) if project.templates_dir.is_dir() else []
    sources = [project.workbook, *([project.config_path] if project.config_path else []),
               *(p for p in templates if p.is_file() and p.name != "README.md")]  # what a draft is made from
    newest = max(sources, key=lambda p: p.stat().st_mtime)
    found = []
    for name in agencies:
        path = out / listed[name].path
        try:
            data = path.read_bytes()
            stale = path.stat().st_mtime < newest.stat().st_mtime
        except OSError as exc:
            raise SendError(f"cannot read the draft: {exc.strerror or exc}; run pilot-docs build first",
                            Location(str(path))) from exc
        if stale:
            raise SendError(f"the bundle is older than {newest.name}: run pilot-docs build first", Location(str(path)))
        message = email.message_from_bytes(data, policy=email.policy.SMTP)
        found.append(Draft(name, path, str(message.get("To") or ""), str(message.get("Subject") or ""), data))
    return found


def sent_path(project: Project) -> Path:
    """source/sent.jsonl, beside the progress ledger."""
    from ..returns.ledger import ledger_path

    return ledger_path(project).with_name(SENT_NAME)


def read_sent(path: Path) -> set[tuple[str, str]]:
    """(address, sha256) of every message sent before; a damaged line is an error at its line."""
    if not path.exists():
        return set()
    done = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            done.add((str(data["address"]), str(data["sha256"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SendError(f"damaged line: {exc}", Location(str(path), line=n)) from exc
    return done


def record_sent(path: Path, draft: Draft, message_id: str, when: dt.datetime) -> None:
    """Append one line for a message the server accepted (O_APPEND, one write, fsync)."""
    from ..locks import append_lines

    append_lines(path, (json.dumps({"agency": draft.agency, "address": draft.to, "message_id": message_id,
                                    "sha256": draft.sha256, "sent_at": when.isoformat(timespec="seconds"),
                                    "file": str(draft.path)}, ensure_ascii=False) + "\n").encode("utf-8"))


def send(project: Project, model: Model, out: Path, server: str | None, dry_run: bool = False,
         agencies: tuple[str, ...] = (), starttls: bool = False, user: str | None = None,
         password: str | None = None, resend: bool = False) -> SendResult:
    """Send each draft that has a To: address and was not sent to it before; with dry_run, only say what would
    be sent (no server needed)."""
    chosen = drafts(project, model, out, wanted_agencies(model, agencies))
    log = sent_path(project)
    before = set() if resend else read_sent(log)
    result = SendResult()
    pending = []
    for draft in chosen:
        if not draft.to:
            result.skipped.append(str(draft.path))
        elif (draft.to, draft.sha256) in before:
            result.already.append(draft)
        else:
            pending.append(draft)
    if dry_run:
        result.sent = pending
        return result
    if not server:
        raise SendError("--smtp HOST:PORT is needed to send (--dry-run shows what would be sent without one)")
    host, port = parse_server(server)
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            for draft in pending:
                message = email.message_from_bytes(draft.data, policy=email.policy.SMTP)
                del message["X-Unsent"]
                now = dt.datetime.now(dt.UTC).astimezone()
                del message["Date"]
                message["Date"] = email.utils.format_datetime(now)  # the draft's own date stays in the file
                smtp.send_message(message)
                record_sent(log, draft, str(message.get("Message-ID") or ""), now)
                result.sent.append(draft)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"{host}:{port}: {exc} (sent {len(result.sent)} of {len(pending)}; each is recorded in "
                        f"{log.name}, the rest go on the next run)") from exc
    return result
