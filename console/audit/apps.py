"""The audit app: records sign-ins, sign-outs and failed sign-ins through auth signals."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log."""

    name = "console.audit"
    label = "audit"

    def ready(self) -> None:
        """Connect the sign-in signals to the audit."""
        from console.audit import signals

        signals.connect()
