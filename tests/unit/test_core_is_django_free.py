"""disclosures.core must stay pure Python: importing all of it must not import Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import disclosures.core

REPO = Path(__file__).resolve().parents[2]


def test_every_core_module_imports_without_django() -> None:
    modules = [f"disclosures.core.{info.name}" for info in pkgutil.iter_modules(disclosures.core.__path__)]
    assert "disclosures.core.types" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked))\n"
    )
    # disclosures/__init__.py is empty, so importing disclosures.core pulls in nothing else.
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
