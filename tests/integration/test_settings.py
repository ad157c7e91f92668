"""Settings switch between the embedded default and production-style purely by environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "a-production-secret-" + "k" * 50


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=120
    )


def test_debug_off_without_a_secret_key_stops_with_one_clear_line() -> None:
    result = _manage("check", env={"DJANGO_DEBUG": "False"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set when DJANGO_DEBUG is false."
    ]


def test_deploy_check_is_clean_with_production_settings() -> None:
    env = {"DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": PRODUCTION_KEY, "DJANGO_ALLOWED_HOSTS": "shop.example"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_invalid_boolean_is_reported_not_guessed() -> None:
    result = _manage("check", env={"DJANGO_DEBUG": "perhaps"})
    assert result.returncode == 2
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_https_settings_can_be_switched_off_by_env() -> None:
    env = {
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": PRODUCTION_KEY,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    script = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE)"
    result = _manage("shell", "-v", "0", "-c", script, env=env)
    assert result.stdout.split() == ["False", "True"]


def test_the_embedded_default_is_sqlite_eager_celery_and_local_memory_cache() -> None:
    script = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, "
        "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], settings.DEBUG)"
    )
    result = _manage("shell", "-v", "0", "-c", script, env={})
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "LocMemCache", "True"]


def test_database_and_redis_urls_switch_to_production_style_services() -> None:
    script = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, "
        "settings.CELERY_BROKER_URL, settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1])"
    )
    env = {"DATABASE_URL": "postgresql://u@db.example:5432/app", "REDIS_URL": "redis://cache.example:6379/0"}
    result = _manage("shell", "-v", "0", "-c", script, env=env)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://cache.example:6379/0",
        "RedisCache",
    ]
