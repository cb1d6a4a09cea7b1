"""Mailing bundles: folder, zip and manifest agree; the .eml parses back; send speaks real SMTP to 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import socket
import zipfile
from pathlib import Path

import pytest

from pilot_docs.build.pipeline import build
from tests.helpers import HEADER, REPO, registry_sheets, run_cli, write_workbook


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundles")
    result = build(REPO, out, only=("bundle",))
    assert result.count("bundle") == 41
    return out


def test_each_bundle_matches_its_manifest_and_zip(bundles: Path) -> None:
    folders = sorted(p for p in (bundles / "bundles").iterdir() if p.is_dir())
    assert len(folders) == 41
    for folder in folders:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        names = sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
        assert sorted(f["name"] for f in manifest["files"]) == names
        for f in manifest["files"]:
            data = (folder / f["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"]
        with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
            entries = archive.namelist()
            assert entries == sorted(entries)
            assert sorted(entries) == sorted(f"{folder.name}/{n}" for n in [*names, "manifest.json"])
            for name in entries:
                assert archive.read(name) == (folder / name.split("/", 1)[1]).read_bytes()
                assert archive.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)
    kinds = sorted(p.suffix for p in (bundles / "bundles" / "市安监局").iterdir())
    assert kinds == [".docx", ".eml", ".json", ".pdf", ".pdf", ".xlsx"]


def test_bundles_are_listed_in_the_build_manifest(bundles: Path) -> None:
    outputs = json.loads((bundles / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    listed = {o["path"] for o in outputs if o["kind"] == "bundle"}
    on_disk = {p.relative_to(bundles).as_posix() for p in (bundles / "bundles").rglob("*") if p.is_file()}
    assert listed == on_disk and len(listed) == 41 * 7


def test_eml_parses_back_with_its_attachments(bundles: Path) -> None:
    folder = bundles / "bundles" / "市安监局"
    message = email.message_from_bytes((folder / "交办通知-市安监局.eml").read_bytes(), policy=email.policy.default)
    assert "关于落实2009年江门市开展全国安全生产应急管理综合试点工作方案任务分工的通知" in message["Subject"]
    assert message["To"] is None and message["X-Unsent"] == "1"  # the seed registry has no e-mail addresses
    assert message["Date"] == "Wed, 20 May 2009 09:00:00 +0800"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("江门市安全生产监督管理局：") and "承担14项工作任务" in body
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert sorted(attachments) == ["交办通知-市安监局.docx", "交办通知-市安监局.pdf", "进度反馈表-市安监局.xlsx",
                                   "附件-任务责任分解表.pdf"]
    for name, data in attachments.items():
        assert data == (folder / name).read_bytes()


def project_with_emails(tmp_path: Path) -> Path:
    rows = [HEADER, [1, "任务", "内容", "市安监局、市公安局", "10月"]]
    registry = registry_sheets([("市安监局", "江门市安全生产监督管理局", None), ("市公安局", "江门市公安局", None)])
    registry["单位名录"][1].append("ajj@example.gov.cn")
    registry["单位名录"][0].append("电子邮箱")
    registry["单位名录"] = [[r[0], r[1], r[2], r[-1]] if i else ["简称", "全称", "别名", "电子邮箱"]
                           for i, r in enumerate(registry["单位名录"])]
    registry["单位名录"][2][3] = None
    root = tmp_path / "p"
    write_workbook(root / "source" / "t.xlsx", {"S": rows, **registry})
    (root / "pilot-docs.toml").write_text('[plan]\nyear = 2009\nissuer = "某市安委会"\ndate = 2009-06-01\n'
                                          '[mail]\nfrom = "某市安委办 <office@example.gov.cn>"\n', encoding="utf-8")
    return root


def test_send_to_a_real_smtp_server(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    root = project_with_emails(tmp_path)
    build(root, root / "build", only=("bundle",))
    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        dry = run_cli("send", "--source", str(root), "--dry-run")
        assert dry.exit_code == 0 and "would send 1 message(s), skipped 1" in dry.output and received == []
        result = run_cli("send", "--source", str(root), "--smtp", f"127.0.0.1:{port}")
        assert result.exit_code == 0, result.output
        assert "sent 1 message(s), skipped 1" in result.output
        assert "no e-mail address in the registry" in result.stderr
    finally:
        controller.stop()
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "ajj@example.gov.cn" and "office@example.gov.cn" in message["From"]
    assert message["X-Unsent"] is None
    assert len([p for p in message.walk() if p.get_filename()]) == 4


def test_send_reports_an_unreachable_server(tmp_path: Path) -> None:
    root = project_with_emails(tmp_path)
    build(root, root / "build", only=("bundle",))
    result = run_cli("send", "--source", str(root), "--smtp", "127.0.0.1:1")
    assert result.exit_code == 1 and "127.0.0.1:1:" in result.stderr and "Traceback" not in result.output
    assert "--smtp takes HOST:PORT" in run_cli("send", "--source", str(root), "--smtp", "nohost").stderr


def test_each_bundle_is_made_once_and_let_go(tmp_path: Path, monkeypatch) -> None:
    """An agency's seven bundle files come from one making of its bundle (it once was made for each file, a third
    of the seed build), in a worker: the task a worker gets is plain data naming the files to read, not holding
    them (the sources are read when the bundle is made, not all held from planning)."""
    import pickle

    from pilot_docs.build import bundles as module
    from pilot_docs.mail import drafts

    build(REPO, tmp_path, only=("annex", "letter", "form"))
    made: list[str] = []
    tasks: list = []
    real, real_run = drafts.eml, module.BundleTask.run
    monkeypatch.setattr(drafts, "eml", lambda *args: made.append(args[0]) or real(*args))
    monkeypatch.setattr(module.BundleTask, "run", lambda self: tasks.append(self) or real_run(self))
    result = build(REPO, tmp_path, only=("bundle",), workers=1)  # in this process, so that the calls are seen
    assert len(made) == 41 and result.count("bundle") == 41 and len(tasks) == 41
    task = tasks[0]
    assert len(task.outputs) == 7 and all(Path(p).is_file() for p in task.where)
    assert len(pickle.dumps(task)) < 10_000  # paths and the mail's text, not the letters and the annex


def test_a_shared_file_compressed_once_gives_the_zip_zipfile_writes() -> None:
    """The annex every bundle holds is compressed once and its deflate stream reused: the zips are byte for byte
    those zipfile writes compressing each file itself, and they read back."""
    import io
    import zipfile

    from pilot_docs.build import bundles as module

    annex = bytes(range(256)) * 400 + "附件".encode() * 1000
    for agency in ("甲", "乙"):
        files = [module.BundleFile("附件.pdf", annex), module.BundleFile(f"{agency}.pdf", agency.encode() * 5000)]
        shared = module.bundle_zip(agency, files, frozenset({"附件.pdf"}))
        assert shared == module.bundle_zip(agency, files)
        with zipfile.ZipFile(io.BytesIO(shared)) as archive:
            assert archive.read(f"{agency}/附件.pdf") == annex and archive.testzip() is None
    assert len(module._DEFLATED) >= 1
