"""send: each message once (sent.jsonl), Date: of sending, dry runs without a server, agencies by any name,
stale bundles refused, a server that drops the connection midway; narrowed builds keep bundles and index true."""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from aiosmtpd.smtp import SMTP as SMTPServer

from pilot_docs.build import build
from tests.helpers import HEADER, registry_sheets, run_cli, write_workbook

AGENCIES = [("市安监局", "江门市安全生产监督管理局", "市安全监管局"), ("市公安局", "江门市公安局", None),
            ("市财政局", "江门市财政局", None)]


def project(tmp_path: Path) -> Path:
    rows = [HEADER, [1, "任务", "内容", "市安监局、市公安局、市财政局", "10月"]]
    registry = registry_sheets(AGENCIES)
    registry["单位名录"][0].append("电子邮箱")
    for row, address in zip(registry["单位名录"][1:], ["ajj@example.gov.cn", "gaj@example.gov.cn",
                                                      "czj@example.gov.cn"], strict=True):
        row.append(address)
    root = tmp_path / "p"
    write_workbook(root / "source" / "t.xlsx", {"S": rows, **registry})
    (root / "pilot-docs.toml").write_text('[plan]\nyear = 2009\nissuer = "某市安委会"\ndate = 2009-06-01\n'
                                          '[mail]\nfrom = "某市安委办 <office@example.gov.cn>"\n', encoding="utf-8")
    build(root, root / "build", only=("bundle",))
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Keep(Message):
    def __init__(self, drop_after: int | None = None) -> None:
        super().__init__()
        self.received: list = []
        self.drop_after = drop_after

    def handle_message(self, message) -> None:
        self.received.append(message)

    async def handle_DATA(self, server: SMTPServer, session, envelope):
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            session.transport.close()  # the connection drops before the message is accepted
            return "421 closing"
        return await super().handle_DATA(server, session, envelope)


def serve(handler: Keep) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def sent_lines(root: Path) -> list[dict]:
    path = root / "source" / "sent.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_send_twice_sends_each_message_once_with_the_time_of_sending(tmp_path: Path) -> None:
    root = project(tmp_path)
    handler = Keep()
    controller, port = serve(handler)
    try:
        before = time.time()
        first = run_cli("send", "--source", str(root), "--smtp", f"127.0.0.1:{port}")
        assert first.exit_code == 0, first.output
        assert "sent 3 message(s)" in first.output
        second = run_cli("send", "--source", str(root), "--smtp", f"127.0.0.1:{port}")
        assert second.exit_code == 0 and "sent 0 message(s), skipped 0, 3 sent before" in second.output
        assert len(handler.received) == 3
        again = run_cli("send", "--source", str(root), "--smtp", f"127.0.0.1:{port}", "--resend",
                        "--agency", "市公安局")
        assert "sent 1 message(s)" in again.output and len(handler.received) == 4
    finally:
        controller.stop()
    date = email.utils.parsedate_to_datetime(handler.received[0]["Date"]).timestamp()
    assert before - 5 <= date <= time.time() + 5  # the time of sending, not the plan's date
    draft = email.message_from_bytes(next((root / "build" / "bundles").glob("市安监局/*.eml")).read_bytes(),
                                     policy=email.policy.SMTP)
    assert draft["Date"] == "Mon, 01 Jun 2009 09:00:00 +0800"  # the draft stays reproducible
    lines = sent_lines(root)
    assert [line["agency"] for line in lines] == ["市安监局", "市公安局", "市财政局", "市公安局"]
    assert all(line["message_id"].startswith("<") and len(line["sha256"]) == 64 for line in lines)


def test_a_connection_dropped_midway_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    root = project(tmp_path)
    flaky = Keep(drop_after=1)
    controller, port = serve(flaky)
    try:
        result = run_cli("send", "--source", str(root), "--smtp", f"127.0.0.1:{port}")
    finally:
        controller.stop()
    assert result.exit_code == 1 and "sent 1 of 3" in result.stderr and "Traceback" not in result.output
    assert [line["agency"] for line in sent_lines(root)] == ["市安监局"]
    steady = Keep()
    controller, port = serve(steady)
    try:
        result = run_cli("send", "--source", str(root), "--smtp", f"127.0.0.1:{port}")
    finally:
        controller.stop()
    assert result.exit_code == 0 and "sent 2 message(s)" in result.output
    assert sorted(m["To"] for m in flaky.received + steady.received) == [
        "ajj@example.gov.cn", "czj@example.gov.cn", "gaj@example.gov.cn"]


def test_dry_run_needs_no_server_and_agencies_go_by_any_name(tmp_path: Path) -> None:
    root = project(tmp_path)
    dry = run_cli("send", "--source", str(root), "--dry-run", "--agency", "市安全监管局", "--agency", "江门市公安局")
    assert dry.exit_code == 0, dry.output
    assert "would send 市安监局 <ajj@example.gov.cn>:" in dry.output and "would send 市公安局" in dry.output
    assert "市财政局" not in dry.output and "would send 2 message(s)" in dry.output
    unknown = run_cli("send", "--source", str(root), "--dry-run", "--agency", "市安监局", "--agency", "市财正局")
    assert unknown.exit_code == 1 and "'市财正局' names no agency" in unknown.stderr and "did you mean 市财政局" in unknown.stderr
    assert run_cli("send", "--source", str(root)).exit_code == 1  # sending needs --smtp
    assert sent_lines(root) == []


def test_stale_bundles_are_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    workbook = root / "source" / "t.xlsx"
    later = time.time() + 10
    os.utime(workbook, (later, later))
    result = run_cli("send", "--source", str(root), "--dry-run")
    assert result.exit_code == 1 and "older than t.xlsx: run pilot-docs build first" in result.stderr


def test_a_narrowed_build_remakes_the_bundles_and_keeps_the_index(tmp_path: Path) -> None:
    root = project(tmp_path)
    build(root, root / "build", only=("index",))
    assert (root / "build" / "index.html").is_file()
    config = root / "pilot-docs.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("2009-06-01", "2009-06-02"), encoding="utf-8")
    result = build(root, root / "build", only=("letter",))
    assert (root / "build" / "index.html").is_file() and "index.html" not in result.removed
    assert "index.html" in {o.path for o in result.outputs}
    letter = (root / "build" / "letters" / "交办通知-市公安局.pdf").read_bytes()
    assert (root / "build" / "bundles" / "市公安局" / "交办通知-市公安局.pdf").read_bytes() == letter
