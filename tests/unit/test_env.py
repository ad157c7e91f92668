"""The typed environment readers fail loudly on bad values and fall back only when a variable is unset."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from supplychain.env import env_bool, env_int, env_list, env_secret, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), (" on ", True), ("0", False), ("False", False), ("no", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset_or_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True
    monkeypatch.setenv("FLAG", "  ")
    assert env_bool("FLAG", default=False) is False


def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG", default=False)


def test_env_int_parses_and_enforces_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT", " 42 ")
    assert env_int("LIMIT", default=1) == 42
    monkeypatch.setenv("LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("LIMIT", default=5, minimum=1)


def test_env_int_rejects_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("LIMIT", default=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", default=["x"]) == ["a.example", "b.example"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", default=["x"]) == ["x"]


def test_env_str_treats_empty_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAME", "")
    assert env_str("NAME", "fallback") == "fallback"


def test_env_secret_reads_a_file_when_name_file_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(secret_file))
    assert env_secret("TOKEN") == "s3cr3t"


def test_env_secret_prefers_the_variable_over_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("TOKEN", "direct")
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    assert env_secret("TOKEN") == "direct"


def test_env_secret_names_an_unreadable_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="TOKEN_FILE points at"):
        env_secret("TOKEN")
