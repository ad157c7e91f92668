"""Celery entry points: each takes an id, calls one service, and keeps retry handling to itself.

Split by area; every task is registered under an explicit ``disclosures.tasks.<name>`` name.
"""

from disclosures.tasks.data import *  # noqa: F403
from disclosures.tasks.filings import *  # noqa: F403
from disclosures.tasks.registry import *  # noqa: F403
