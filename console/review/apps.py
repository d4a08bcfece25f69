"""The review app."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The review queue, verdicts on single messages, and their export to the safety suite."""

    name = "console.review"
    label = "review"
