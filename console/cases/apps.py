"""The cases app."""

from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The red-flag case queue."""

    name = "console.cases"
    label = "cases"
