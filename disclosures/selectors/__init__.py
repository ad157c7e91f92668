"""Reads that are more than a one-line query, one module per area."""
