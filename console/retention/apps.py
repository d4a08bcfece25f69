"""The retention app."""

from __future__ import annotations

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Legal holds, the retention purge and a patient's erasure."""

    name = "console.retention"
    label = "retention"
