"""The outcomes app."""

from __future__ import annotations

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """A patient's outcomes over time, read-only."""

    name = "console.outcomes"
    label = "outcomes"
