"""Ed25519 proofs: canonical payloads, valid / tampered / wrong-key signatures, and the pasted text block."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from disclosures.core import signing
from disclosures.core.signing import ProofError

SEED = bytes(range(32))
OTHER_SEED = bytes(range(1, 33))
KEY = signing.private_key_from_seed(SEED)
PUBLIC = signing.public_key_raw(KEY)
KEYS = {signing.key_id(PUBLIC): PUBLIC}
CHECKED_AT = datetime(2026, 3, 1, 17, 30, 5, 123456, tzinfo=UTC)


def make_proof(private_key: signing.Ed25519PrivateKey = KEY) -> signing.Proof:
    return signing.proof_make(
        private_key=private_key,
        number="CSR-2026-000123-7",
        status="active",
        as_of=date(2026, 3, 1),
        checked_at=CHECKED_AT,
    )


def test_the_payload_is_canonical_json() -> None:
    payload = signing.canonical_payload(
        number="CSR-2026-000123-7", status="active", as_of=date(2026, 3, 1), checked_at=CHECKED_AT
    )
    assert payload == (
        b'{"as_of":"2026-03-01","checked_at":"2026-03-01T17:30:05Z","number":"CSR-2026-000123-7",'
        b'"status":"active","v":1}'
    )


def test_the_same_instant_in_another_zone_gives_the_same_payload() -> None:
    pacific = CHECKED_AT.astimezone(timezone(timedelta(hours=-8)))
    kwargs = {"number": "N", "status": "active", "as_of": date(2026, 3, 1)}
    assert signing.canonical_payload(**kwargs, checked_at=pacific) == signing.canonical_payload(
        **kwargs, checked_at=CHECKED_AT
    )


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        signing.checked_at_text(datetime(2026, 3, 1, 12, 0))  # noqa: DTZ001 - the point of the test


def test_a_fresh_proof_is_valid() -> None:
    check = signing.proof_check(make_proof(), KEYS)
    assert (check.result, check.is_valid) == ("valid", True)


def test_a_proof_survives_printing_and_pasting() -> None:
    text = "Printed from the registry\n\n" + signing.proof_format(make_proof()) + "\n\nPage 1 of 1"
    parsed = signing.proof_parse(text)
    assert parsed == make_proof()
    assert signing.proof_check(parsed, KEYS).is_valid


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "revoked"),
        ("number", "CSR-2026-000124-5"),
        ("as_of", "2026-03-02"),
        ("checked_at", "2026-03-01T17:30:06Z"),
    ],
)
def test_an_edited_field_makes_the_proof_tampered(field: str, value: str) -> None:
    lines = signing.proof_format(make_proof()).splitlines()
    edited = "\n".join(f"{field}: {value}" if line.startswith(f"{field}:") else line for line in lines)
    check = signing.proof_check(signing.proof_parse(edited), KEYS)
    assert check.result == "tampered"


def test_a_changed_signature_is_tampered() -> None:
    proof = make_proof()
    raw = bytearray(base64.urlsafe_b64decode(proof.signature + "=="))
    raw[0] ^= 1
    forged = signing.Proof(**{**proof_fields(proof), "signature": signing.b64url(bytes(raw))})
    assert signing.proof_check(forged, KEYS).result == "tampered"


def test_garbage_in_the_signature_is_tampered_not_an_error() -> None:
    forged = signing.Proof(**{**proof_fields(make_proof()), "signature": "not*base64!"})
    assert signing.proof_check(forged, KEYS).result == "tampered"


def test_a_proof_signed_with_another_key_is_unknown_key() -> None:
    other = make_proof(signing.private_key_from_seed(OTHER_SEED))
    check = signing.proof_check(other, KEYS)
    assert check.result == "unknown_key"
    assert other.key_id in check.reason


def test_a_proof_claiming_our_key_id_but_signed_with_another_key_is_tampered() -> None:
    other = make_proof(signing.private_key_from_seed(OTHER_SEED))
    claimed = signing.Proof(**{**proof_fields(other), "key_id": signing.key_id(PUBLIC)})
    assert signing.proof_check(claimed, KEYS).result == "tampered"


def proof_fields(proof: signing.Proof) -> dict[str, object]:
    return {name: getattr(proof, name) for name in signing.Proof.__slots__}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("number: CSR-2026-000123-7\nstatus: active", "missing"),
        (signing.proof_format(make_proof()).replace("as_of: 2026-03-01", "as_of: 1 March"), "as_of"),
        (signing.proof_format(make_proof()).replace("T17:30:05Z", " 5:30pm"), "checked_at"),
    ],
)
def test_unreadable_proofs_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ProofError, match=message) as caught:
        signing.proof_parse(text)
    assert caught.value.code == "malformed"


def test_the_key_id_is_a_short_stable_fingerprint() -> None:
    assert signing.key_id(PUBLIC) == signing.key_id(signing.public_key_raw(signing.private_key_from_seed(SEED)))
    assert len(signing.key_id(PUBLIC)) == 16
    assert signing.key_id(PUBLIC) != signing.key_id(signing.public_key_raw(signing.private_key_from_seed(OTHER_SEED)))


def test_the_pem_round_trips() -> None:
    assert signing.public_key_from_pem(signing.public_key_pem(PUBLIC)) == PUBLIC


def test_a_configured_key_decodes_from_standard_or_urlsafe_base64() -> None:
    assert signing.seed_decode(base64.b64encode(SEED).decode()) == SEED
    assert signing.seed_decode(base64.urlsafe_b64encode(SEED).decode().rstrip("=")) == SEED


@pytest.mark.parametrize("text", ["too-short", base64.b64encode(b"x" * 31).decode(), "!!!!"])
def test_a_bad_configured_key_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="signing key"):
        signing.seed_decode(text)


def test_the_derived_key_is_deterministic_and_depends_on_the_secret() -> None:
    assert signing.seed_derive("secret-a") == signing.seed_derive("secret-a")
    assert signing.seed_derive("secret-a") != signing.seed_derive("secret-b")
    assert len(signing.seed_derive("secret-a")) == 32
