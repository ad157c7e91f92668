"""Signed registry proofs: Ed25519 (via ``cryptography``) over a canonical JSON payload. No Django here.

A proof says "registry number N had status S as of date D, checked at time T". The payload is canonical JSON
(sorted keys, no spaces, ASCII), so anyone can rebuild the exact bytes from the four printed fields and check the
signature against the published public key. The key id is a short fingerprint of the raw public key, so a proof
names the key it was signed with and key rotation stays possible.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PAYLOAD_VERSION = 1
SEED_BYTES = 32
PROOF_BEGIN = "-----BEGIN REGISTRY PROOF-----"
PROOF_END = "-----END REGISTRY PROOF-----"
PROOF_FIELDS = ("number", "status", "as_of", "checked_at", "key_id", "signature")
_DERIVATION_INFO = b"supplychain registry proof signing key v1"


class ProofError(ValueError):
    """A proof text that cannot be read. ``code`` is ``malformed``."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Proof:
    number: str
    status: str
    as_of: date
    checked_at: datetime  # aware, UTC
    key_id: str
    signature: str

    def payload(self) -> bytes:
        return canonical_payload(number=self.number, status=self.status, as_of=self.as_of, checked_at=self.checked_at)


@dataclass(frozen=True, slots=True)
class ProofCheck:
    result: str  # "valid" | "tampered" | "unknown_key"
    reason: str

    @property
    def is_valid(self) -> bool:
        return self.result == "valid"


# --- Keys -----------------------------------------------------------------------------------------------------


def seed_derive(secret: str) -> bytes:
    """A deterministic 32-byte Ed25519 seed from another secret (HKDF-SHA256): only for when no key is set."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=SEED_BYTES, salt=None, info=_DERIVATION_INFO)
    return hkdf.derive(secret.encode("utf-8"))


def seed_decode(text: str) -> bytes:
    """Decode a base64 (standard or url-safe, padding optional) raw 32-byte private key."""
    cleaned = "".join(text.split())
    try:
        raw = base64.urlsafe_b64decode(_pad(cleaned.replace("+", "-").replace("/", "_")))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("The signing key is not valid base64.") from exc
    if len(raw) != SEED_BYTES:
        raise ValueError(f"The signing key must be {SEED_BYTES} raw bytes, base64-encoded; got {len(raw)} bytes.")
    return raw


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_raw(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem(public_raw: bytes) -> str:
    key = Ed25519PublicKey.from_public_bytes(public_raw)
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_key_from_pem(pem: str) -> bytes:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("Not an Ed25519 public key.")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_raw: bytes) -> str:
    """First 16 hex characters of the SHA-256 of the raw public key: short enough to print, long enough to tell."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


# --- Payload, signature ---------------------------------------------------------------------------------------


def _pad(text: str) -> str:
    return text + "=" * (-len(text) % 4)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def checked_at_text(moment: datetime) -> str:
    """ISO 8601 in UTC to the second with a ``Z``: one spelling per instant, so the payload is canonical."""
    if moment.tzinfo is None:
        raise ValueError("checked_at must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_payload(*, number: str, status: str, as_of: date, checked_at: datetime) -> bytes:
    body = {
        "as_of": as_of.isoformat(),
        "checked_at": checked_at_text(checked_at),
        "number": number,
        "status": status,
        "v": PAYLOAD_VERSION,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def sign(private_key: Ed25519PrivateKey, payload: bytes) -> str:
    return b64url(private_key.sign(payload))


def verify(public_raw: bytes, payload: bytes, signature: str) -> bool:
    try:
        raw_signature = base64.urlsafe_b64decode(_pad(signature.strip()))
        Ed25519PublicKey.from_public_bytes(public_raw).verify(raw_signature, payload)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def proof_make(*, private_key: Ed25519PrivateKey, number: str, status: str, as_of: date, checked_at: datetime) -> Proof:
    moment = datetime.strptime(checked_at_text(checked_at), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    payload = canonical_payload(number=number, status=status, as_of=as_of, checked_at=moment)
    return Proof(
        number=number,
        status=status,
        as_of=as_of,
        checked_at=moment,
        key_id=key_id(public_key_raw(private_key)),
        signature=sign(private_key, payload),
    )


# --- The printable text block ---------------------------------------------------------------------------------


def proof_format(proof: Proof) -> str:
    lines = [
        PROOF_BEGIN,
        f"number: {proof.number}",
        f"status: {proof.status}",
        f"as_of: {proof.as_of.isoformat()}",
        f"checked_at: {checked_at_text(proof.checked_at)}",
        f"key_id: {proof.key_id}",
        f"signature: {proof.signature}",
        PROOF_END,
    ]
    return "\n".join(lines)


_LINE_RE = re.compile(r"^\s*([A-Za-z_ ]+?)\s*[:=]\s*(.*?)\s*$")


def _fields_from_text(text: str) -> dict[str, str]:
    body = text
    if PROOF_BEGIN in text:
        body = text.split(PROOF_BEGIN, 1)[1].split(PROOF_END, 1)[0]
    fields: dict[str, str] = {}
    for line in body.splitlines():
        match = _LINE_RE.match(line)
        if match is None:
            continue
        name = match.group(1).strip().lower().replace(" ", "_")
        if name in PROOF_FIELDS and name not in fields:
            fields[name] = match.group(2)
    return fields


def _parse_dates(fields: dict[str, str]) -> tuple[date, datetime]:
    try:
        as_of = date.fromisoformat(fields["as_of"])
    except ValueError:
        raise ProofError("malformed", f"as_of is not a date (YYYY-MM-DD): {fields['as_of']!r}.") from None
    try:
        checked_at = datetime.strptime(fields["checked_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ProofError(
            "malformed", f"checked_at is not a UTC time like 2026-03-01T17:30:00Z: {fields['checked_at']!r}."
        ) from None
    return as_of, checked_at


def proof_parse(text: str) -> Proof:
    """Read a pasted proof: the BEGIN/END block, or just its ``field: value`` lines, in any order."""
    if not text or not text.strip():
        raise ProofError("malformed", "The proof is empty.")
    fields = _fields_from_text(text)
    missing = [name for name in PROOF_FIELDS if not fields.get(name)]
    if missing:
        raise ProofError("malformed", f"The proof is missing: {', '.join(missing)}.")
    as_of, checked_at = _parse_dates(fields)
    return Proof(
        number=fields["number"],
        status=fields["status"],
        as_of=as_of,
        checked_at=checked_at,
        key_id=fields["key_id"].lower(),
        signature=fields["signature"],
    )


def proof_check(proof: Proof, public_keys: dict[str, bytes]) -> ProofCheck:
    """valid / tampered / unknown_key. ``public_keys`` maps key ids to raw public keys the site has published."""
    public_raw = public_keys.get(proof.key_id)
    if public_raw is None:
        return ProofCheck("unknown_key", f"The proof was signed with key {proof.key_id}, which this site never used.")
    if verify(public_raw, proof.payload(), proof.signature):
        return ProofCheck("valid", f"The signature matches key {proof.key_id}: the printed fields are unchanged.")
    return ProofCheck(
        "tampered", "The signature does not match the printed fields: the proof was changed after it was signed."
    )
