"""Check a printed registry proof offline: ``python manage.py verify_proof FILE`` (or ``-`` for standard input).

Prints one line: ``valid: ...`` or ``invalid (tampered|unknown_key|malformed): ...``. Exit status 0 when valid,
1 when invalid, 2 when the input cannot be read. Never prints a traceback.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from disclosures.core import signing
from disclosures.services.registry import registry_public_keys

MAX_PROOF_BYTES = 64 * 1024


class Command(BaseCommand):
    help = "Check a registry proof's signature against this site's public key (offline; no lookup is made)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="A text file holding the proof block, or - for standard input.")

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read(MAX_PROOF_BYTES)
        with Path(name).open("r", encoding="utf-8") as handle:
            return handle.read(MAX_PROOF_BYTES)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = self._read(options["file"])
        except (OSError, UnicodeDecodeError) as exc:
            self.stderr.write(f"unreadable: {options['file']}: {getattr(exc, 'strerror', None) or exc}")
            sys.exit(2)
        try:
            proof = signing.proof_parse(text)
        except signing.ProofError as exc:
            self.stdout.write(f"invalid (malformed): {exc.reason}")
            sys.exit(1)
        check = signing.proof_check(proof, registry_public_keys())
        if check.is_valid:
            self.stdout.write(
                f"valid: {proof.number} was {proof.status} as of {proof.as_of.isoformat()}. {check.reason}"
            )
            return
        self.stdout.write(f"invalid ({check.result}): {check.reason}")
        sys.exit(1)
