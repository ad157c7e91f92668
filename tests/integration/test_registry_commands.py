"""``manage.py verify_proof``: one line out, exit 0 valid, 1 invalid, 2 unreadable; never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from disclosures.core import signing
from disclosures.services.registry import registry_proof_sign

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def proof_text() -> str:
    proof = registry_proof_sign(
        number="CSR-2026-000001-4", status="active", as_of=date(2026, 3, 2), checked_at=datetime(2026, 3, 2, tzinfo=UTC)
    )
    return signing.proof_format(proof)


def run(path: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_proof", path, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_valid_proof_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "proof.txt"
    path.write_text("Printed 2026-03-02\n" + proof_text())
    code, out, _err = run(str(path))
    assert code == 0
    assert out.startswith("valid: CSR-2026-000001-4 was active as of 2026-03-02")
    assert out.count("\n") == 1


def test_a_tampered_proof_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "proof.txt"
    path.write_text(proof_text().replace("status: active", "status: expired"))
    code, out, _err = run(str(path))
    assert (code, out.split(":")[0]) == (1, "invalid (tampered)")


def test_a_proof_from_another_key_exits_1(tmp_path: Path) -> None:
    foreign = signing.proof_make(
        private_key=signing.private_key_from_seed(b"\x05" * 32),
        number="CSR-2026-000001-4",
        status="active",
        as_of=date(2026, 3, 2),
        checked_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    path = tmp_path / "proof.txt"
    path.write_text(signing.proof_format(foreign))
    code, out, _err = run(str(path))
    assert (code, out.split(":")[0]) == (1, "invalid (unknown_key)")


def test_a_malformed_proof_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "proof.txt"
    path.write_text("number: CSR-2026-000001-4\n")
    code, out, _err = run(str(path))
    assert (code, out.split(":")[0]) == (1, "invalid (malformed)")


def test_an_unreadable_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "missing.txt"))
    assert (code, out) == (2, "")
    assert err.startswith("unreadable:")
    assert "Traceback" not in err


def test_it_reads_standard_input(monkeypatch: Any) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(proof_text()))
    assert run("-")[0] == 0


def test_binary_garbage_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "proof.bin"
    path.write_bytes(b"\xff\xfe\x00\x81" * 10)
    assert run(str(path))[0] == 2


def test_as_a_real_process_it_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_proof", str(path)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
