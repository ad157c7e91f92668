"""Celery application. Tasks live in ``disclosures.tasks``; configuration comes from Django settings."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supplychain.settings")

app = Celery("supplychain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
