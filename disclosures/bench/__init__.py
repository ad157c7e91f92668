"""Benchmarks behind ``python manage.py bench``: plain functions returning dicts, no Django needed."""
