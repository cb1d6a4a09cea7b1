"""pilot-docs send: send the .eml drafts of build/bundles/ over SMTP. Never part of `build`."""

from __future__ import annotations

import email
import email.policy
import smtplib
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, PilotDocsError


class SendError(PilotDocsError):
    """The mail server cannot be reached or refused a message."""


@dataclass
class SendResult:
    """What a send run did with each draft."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # drafts without a recipient


def drafts(out: Path, agencies: tuple[str, ...] = ()) -> list[Path]:
    """The .eml drafts of the bundles, in a stable order, optionally only some agencies' (by folder name)."""
    found = sorted((out / "bundles").glob("*/*.eml"))
    return [p for p in found if not agencies or p.parent.name in agencies]


def parse_server(text: str) -> tuple[str, int]:
    """HOST:PORT → (host, port)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SendError(f"--smtp takes HOST:PORT, not {text!r}")
    return host.strip("[]"), int(port)


def send(out: Path, server: str, dry_run: bool = False, agencies: tuple[str, ...] = (), starttls: bool = False,
         user: str | None = None, password: str | None = None) -> SendResult:
    """Send each draft that has a To: address; with dry_run, only say what would be sent."""
    paths = drafts(out, agencies)
    if not paths:
        raise SendError("no .eml drafts: run pilot-docs build first", Location(str(out / "bundles")))
    host, port = parse_server(server)
    result = SendResult()
    messages = []
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        if not message.get("To"):
            result.skipped.append(str(path))
            continue
        del message["X-Unsent"]
        messages.append((path, message))
    if dry_run:
        result.sent = [str(p) for p, _ in messages]
        return result
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            for path, message in messages:
                smtp.send_message(message)
                result.sent.append(str(path))
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"{host}:{port}: {exc} (sent {len(result.sent)} of {len(messages)})") from exc
    return result
