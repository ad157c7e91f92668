"""quickstart's pieces on a brand-new database file: migrate, seed, and a site that serves demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quickstart_prepares_a_fresh_database_with_demo_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(SQLITE_PATH=str(tmp_path / "fresh.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"))
    result = subprocess.run(
        [sys.executable, "manage.py", "quickstart", "--no-serve"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Database migrated." in result.stdout
    assert "demo-northwind-2026" in result.stdout
    check = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.test import Client; c = Client(); "
            "print(c.get('/').status_code, c.get('/?q=nrthwind').content.count(b'Northwind') > 0, "
            "c.get('/companies/northwind-apparel/').status_code, c.get('/healthz').status_code)",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.stdout.split() == ["200", "True", "200", "200"], check.stderr[-2000:]
