"""Per-agency mailing bundles: the bundled formats of each kind (the letter, the annex, the return form), a
manifest, an .eml draft (mail/drafts.py), and a .zip.

Everything is deterministic: the zip's entries are sorted with fixed times, and the draft's date and identifiers
come from the plan and the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from ..documents.kinds import KINDS
from .ziputil import FIXED_TIME


@dataclass(frozen=True)
class BundleFile:
    """One file of a bundle: its name in the bundle and its bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The file's sha256."""
        return hashlib.sha256(self.data).hexdigest()


def bundle_manifest(agency: str, files: list[BundleFile]) -> bytes:
    """The bundle's manifest.json: each file's name, size and sha256."""
    data = {"agency": agency,
            "files": [{"name": f.name, "size": len(f.data), "sha256": f.sha256} for f in sorted(files, key=_name)]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _name(f: BundleFile) -> str:
    return f.name


def bundle_zip(folder: str, files: list[BundleFile]) -> bytes:
    """The bundle as a zip: entries under the agency's folder name, sorted, with fixed times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in sorted(files, key=_name):
            info = zipfile.ZipInfo(f"{folder}/{f.name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, f.data)
    return out.getvalue()


def bundle_jobs(model, plan, read, env, mail: dict, sender_default: str):
    """The jobs writing each agency's bundle folder, its .zip and its .eml, keyed on the files they hold.

    `plan` is the build's jobs.Plan (where the letters, annex and forms are), `read(path)` the bytes of an output
    of this build, `env` the template environment (templates/mail.txt.j2 makes the mail).
    """
    from ..mail.drafts import eml, mail_context, split_mail
    from ..render.templating import render_template
    from .jobs import Job
    from .keys import code_version, digest
    from .output import safe_name

    letters = {d.agency: d for d in plan.documents if d.kind == "letter"}
    # the letter first (its context makes the mail), then the other kinds' bundled formats in build order
    bundled = sorted((k for k in KINDS if k.bundled), key=lambda k: k.name != "letter")
    sender = mail.get("from", sender_default)
    date = model.plan.extra.get("date") or dt.date(model.plan.year or 2000, 1, 1)
    hashes: dict[str, str] = {}  # path → sha256, each source read once here (the annex is in every bundle)

    def sha256_of(path: str) -> str:
        if path not in hashes:
            hashes[path] = hashlib.sha256(read(path)).hexdigest()
        return hashes[path]

    jobs = []
    for agency in model.agencies:
        letter = plan.paths[("letter", agency.name)]
        sources = [f"{plan.paths[key]}.{fmt}" for k in bundled for fmt in k.bundled
                   if (key := (k.name, agency.name if k.per_agency else None)) in plan.paths]  # a change notice: some
        names = [path.rsplit("/", 1)[-1] for path in sources]
        text = render_template(env, "mail.txt.j2", mail_context(letters[agency.name], names))
        subject, body = split_mail(text, "templates/mail.txt.j2")
        stem = letter.rsplit("/", 1)[-1]
        key = digest(code_version(), "bundle", text, sender, agency.email or "", *(sha256_of(p) for p in sources))
        folder = f"bundles/{safe_name(agency.name)}"
        outputs = [f"{folder}/{n}" for n in [*names, f"{stem}.eml", "manifest.json"]] + [f"{folder}.zip"]

        def make_all(sources=sources, names=names, agency=agency, subject=subject, body=body, stem=stem,
                     folder=folder) -> dict[str, bytes]:
            # the files are read when the bundle is made, not held from planning (a province has hundreds)
            files = [BundleFile(name, read(path)) for name, path in zip(names, sources, strict=True)]
            message = eml(subject, body, sender, agency.email, date, files)
            every = [*files, BundleFile(f"{stem}.eml", message)]
            every.append(BundleFile("manifest.json", bundle_manifest(agency.name, every)))
            return {f"{folder}/{f.name}": f.data for f in every} | {f"{folder}.zip": bundle_zip(
                folder.rsplit("/", 1)[-1], every)}

        made = _Once(make_all, len(outputs))
        for path in outputs:
            jobs.append(Job("bundle", agency.name, path, path.rsplit(".", 1)[-1], digest(key, path),
                            make=lambda path=path, made=made: made.take(path)))
    return jobs


class _Once:
    """An agency's bundle, made once for all its files and let go when the last of them has been taken."""

    def __init__(self, make, count: int) -> None:
        self._make, self._left, self._files = make, count, None

    def take(self, path: str) -> bytes:
        if self._files is None:
            self._files = self._make()
        data = self._files[path]
        self._left -= 1
        if self._left == 0:
            self._files = None  # a province's bundles would otherwise all stay in memory
        return data
