"""Health of the parts the site depends on, for /healthz."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection


def database_health() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "vendor": connection.vendor, "error": str(error)[:200]}
    return {"ok": True, "vendor": connection.vendor}


def broker_health() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager", "detail": "No broker configured: tasks run in-process."}
    from supplychain.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return {"ok": False, "mode": "broker", "error": str(error)[:200]}
    return {"ok": True, "mode": "broker", "transport": app.conf.broker_url.split(":", 1)[0]}


def site_health() -> dict[str, Any]:
    database = database_health()
    broker = broker_health()
    return {"ok": database["ok"] and broker["ok"], "database": database, "broker": broker}
