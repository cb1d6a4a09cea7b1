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
import zlib
from dataclasses import dataclass
from pathlib import Path

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


def bundle_zip(folder: str, files: list[BundleFile], shared: frozenset[str] = frozenset()) -> bytes:
    """The bundle as a zip: entries under the agency's folder name, sorted, with fixed times.

    The files named in `shared` are in every bundle (the annex): each is compressed once per process and its
    compressed bytes written again into the next bundles, the bytes zipfile itself would write."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in sorted(files, key=_name):
            info = zipfile.ZipInfo(f"{folder}/{f.name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            if f.name in shared:
                _write_compressed_once(archive, info, f.data)
            else:
                archive.writestr(info, f.data)
    return out.getvalue()


_DEFLATED: dict[str, bytes] = {}  # sha256 of a shared file → its deflate stream, in this process
_DEFLATED_LIMIT = 8


def _write_compressed_once(archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    """archive.writestr(info, data), the deflate stream taken from the cache when these bytes were compressed
    before. zipfile compresses what one write() gives it and adds the flush: the cached stream is exactly that
    (zlib level and window as zipfile uses them), so the entry's bytes are the same."""
    key = hashlib.sha256(data).hexdigest()
    stream = _DEFLATED.get(key)
    if stream is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        stream = compressor.compress(data) + compressor.flush()
        if len(_DEFLATED) >= _DEFLATED_LIMIT:
            _DEFLATED.clear()
        _DEFLATED[key] = stream
    info.file_size = len(data)  # as writestr sets it
    with archive.open(info, "w") as dest:
        if not hasattr(dest, "_compressor"):  # another zipfile than CPython's: compress as usual
            dest.write(data)
            return
        dest._compressor = _Replay(stream)
        dest.write(data)


class _Replay:
    """A compressor giving back a stream made before: nothing for the data, all of it at the flush."""

    def __init__(self, stream: bytes) -> None:
        self._stream = stream

    def compress(self, data: bytes) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self._stream


@dataclass(frozen=True)
class BundleSpec:
    """What an agency's bundle is made of: plain data, so that a worker makes it (`BundleTask`)."""

    agency: str
    email: str | None
    sources: tuple[str, ...]  # the outputs it holds (relative paths), in bundle order
    names: tuple[str, ...]  # their names in the bundle
    shared: frozenset[str]  # the names of the files every bundle holds (the annex)
    subject: str
    body: str
    sender: str
    date: dt.date
    stem: str
    folder: str  # bundles/<agency>

    def make(self, read) -> dict[str, bytes]:
        """Every file of the bundle by its path in the output folder; `read(path)` gives a source's bytes. The
        files are read when the bundle is made, not held from planning (a province has hundreds)."""
        from ..mail.drafts import eml

        files = [BundleFile(name, read(path)) for name, path in zip(self.names, self.sources, strict=True)]
        message = eml(self.subject, self.body, self.sender, self.email, self.date, files)
        every = [*files, BundleFile(f"{self.stem}.eml", message)]
        every.append(BundleFile("manifest.json", bundle_manifest(self.agency, every)))
        return {f"{self.folder}/{f.name}": f.data for f in every} | {f"{self.folder}.zip": bundle_zip(
            self.folder.rsplit("/", 1)[-1], every, self.shared)}


@dataclass(frozen=True)
class BundleTask:
    """A bundle made in a worker: its sources read from `where` (absolute paths), the outputs asked for
    ((index, path in the output folder, absolute file to write)) written."""

    spec: BundleSpec
    where: tuple[str, ...]  # each source's file, staged or in place
    outputs: tuple[tuple[int, str, str], ...]

    def run(self) -> list[tuple[int, str]]:
        from .output import write_file

        files = dict(zip(self.spec.sources, self.where, strict=True))
        made = self.spec.make(lambda path: Path(files[path]).read_bytes())
        written = []
        for index, path, file in self.outputs:
            write_file(Path(file), made[path])
            written.append((index, hashlib.sha256(made[path]).hexdigest()))
        return written


def bundle_jobs(model, plan, sha256_of, env, mail: dict, sender_default: str):
    """The jobs writing each agency's bundle folder, its .zip and its .eml, keyed on the files they hold; each
    job's `work` is its bundle's BundleSpec (the build makes each bundle once, in a worker, for all its files).

    `plan` is the build's jobs.Plan (where the letters, annex and forms are), `sha256_of(path)` the sha256 of an
    output of this build, `env` the template environment (templates/mail.txt.j2 makes the mail).
    """
    from ..mail.drafts import mail_context, split_mail
    from ..render.templating import render_template
    from .jobs import Job
    from .keys import code_version, digest
    from .output import safe_name

    letters = {d.agency: d for d in plan.documents if d.kind == "letter"}
    # the letter first (its context makes the mail), then the other kinds' bundled formats in build order
    bundled = sorted((k for k in KINDS if k.bundled), key=lambda k: k.name != "letter")
    sender = mail.get("from", sender_default)
    date = model.plan.extra.get("date") or dt.date(model.plan.year or 2000, 1, 1)
    jobs = []
    for agency in model.agencies:
        letter = plan.paths[("letter", agency.name)]
        held = [(f"{plan.paths[key]}.{fmt}", not k.per_agency) for k in bundled for fmt in k.bundled
                if (key := (k.name, agency.name if k.per_agency else None)) in plan.paths]  # a change notice: some
        sources = [path for path, _ in held]
        names = [path.rsplit("/", 1)[-1] for path in sources]
        text = render_template(env, "mail.txt.j2", mail_context(letters[agency.name], names))
        subject, body = split_mail(text, "templates/mail.txt.j2")
        stem = letter.rsplit("/", 1)[-1]
        key = digest(code_version(), "bundle", text, sender, agency.email or "", *(sha256_of(p) for p in sources))
        folder = f"bundles/{safe_name(agency.name)}"
        outputs = [f"{folder}/{n}" for n in [*names, f"{stem}.eml", "manifest.json"]] + [f"{folder}.zip"]
        spec = BundleSpec(agency.name, agency.email, tuple(sources), tuple(names),
                          frozenset(n for n, (_, shared) in zip(names, held, strict=True) if shared),
                          subject, body, sender, date, stem, folder)
        for path in outputs:
            jobs.append(Job("bundle", agency.name, path, path.rsplit(".", 1)[-1], digest(key, path), work=spec))
    return jobs
