"""Mail drafts: each bundle's .eml, an RFC 5322 message with the bundle's files attached.

It opens in any mail client (X-Unsent marks it as a draft) or is sent with `pilot-docs send`; its subject and body
come from templates/mail.txt.j2. It is deterministic: the date is the plan's, the Message-ID and MIME boundary are
derived from the content.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
import mimetypes
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING

from ..documents.common import Document
from ..errors import TemplateError

if TYPE_CHECKING:
    from ..build.bundles import BundleFile

MIME = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def split_mail(text: str, template: str) -> tuple[str, str]:
    """Subject (the first line) and body (after the blank line that follows) of a rendered mail template."""
    lines = text.lstrip("\n").split("\n")
    subject = lines[0].strip()
    if not subject or len(lines) < 2 or lines[1].strip():
        raise TemplateError(f"{template}: the first line must be the subject and the second line blank")
    body = "\n".join(lines[2:]).strip("\n") + "\n"
    return subject, body


def eml(subject: str, body: str, sender: str, to: str | None, date: dt.date, files: list[BundleFile]) -> bytes:
    """The draft message with the files attached, as RFC 5322 bytes with CRLF line ends."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = _address(sender)
    if to:
        msg["To"] = _address(to)
    msg["Date"] = email.utils.format_datetime(dt.datetime(date.year, date.month, date.day, 9, 0,
                                                          tzinfo=dt.timezone(dt.timedelta(hours=8))))
    seed = hashlib.sha256(subject.encode() + b"".join(f.data for f in files) + (to or "").encode()).hexdigest()
    msg["Message-ID"] = f"<{seed[:32]}@pilot-docs.invalid>"
    msg["X-Unsent"] = "1"
    msg.set_content(body, charset="utf-8", cte="base64")
    for f in files:
        suffix = f.name[f.name.rfind("."):].lower()
        maintype, subtype = MIME.get(suffix) or (mimetypes.guess_type(f.name)[0] or "application/octet-stream").split("/")
        msg.add_attachment(f.data, maintype=maintype, subtype=subtype, filename=f.name)
    msg.set_boundary(f"=_pilot-docs_{seed[32:56]}")
    return msg.as_bytes(policy=email.policy.SMTP)


def _address(text: str) -> str:
    """A From/To value: 'Name <addr>' or a bare address, checked so that a malformed one fails clearly."""
    name, addr = email.utils.parseaddr(text)
    if "@" not in addr:
        raise TemplateError(f"not an e-mail address: {text!r}")
    return str(Address(display_name=name, addr_spec=addr)) if name else addr


def mail_context(letter: Document, attachments: list[str]) -> dict:
    """What the mail template sees: the letter's context and the attachment names."""
    return {**letter.context, "attachments": attachments}
