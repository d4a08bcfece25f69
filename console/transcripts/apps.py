"""The transcripts app."""

from __future__ import annotations

from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    """A case's conversation, read-only."""

    name = "console.transcripts"
    label = "transcripts"
