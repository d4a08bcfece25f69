"""The annotations app."""

from __future__ import annotations

from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    """Tags on conversations and single messages, and clinicians' private notes."""

    name = "console.annotations"
    label = "annotations"
