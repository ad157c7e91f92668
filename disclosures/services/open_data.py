"""Dated open-data snapshots: the same four files the site streams, frozen once a day for citation."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from disclosures.selectors.data import OPEN_DATA_EXPORTS, open_data_export


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside the target, then rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            for chunk in chunks:
                file.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_data_snapshot(*, today: dt.date) -> list[Path]:
    """Write ``OPEN_DATA_DIR/<today>/{companies,registry}.{csv,json}`` and return their paths.

    Idempotent: a file already written for that day is kept as it is (a snapshot is the data as of its first
    write, so a citation to it stays valid), and a run that died part-way only writes what is missing.
    """
    directory = Path(settings.OPEN_DATA_DIR) / today.isoformat()
    directory.mkdir(parents=True, exist_ok=True)
    generated_at = timezone.now()
    paths = []
    for name in OPEN_DATA_EXPORTS:
        path = directory / name
        if not path.exists():
            _write_atomically(path, open_data_export(name=name, generated_at=generated_at))
        paths.append(path)
    return paths
