"""The takeover app."""

from __future__ import annotations

from django.apps import AppConfig


class TakeoverConfig(AppConfig):
    """A clinician's takeover of a conversation, through the Rasa server's HTTP API."""

    name = "console.takeover"
    label = "takeover"
