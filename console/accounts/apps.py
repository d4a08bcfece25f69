"""The accounts app: keeps the role groups in step with :mod:`console.accounts.roles`."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Sign-in and roles."""

    name = "console.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Sync the role groups after every migrate (permissions exist by then)."""
        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(**kwargs: Any) -> None:
    from console.accounts.roles import sync_roles

    sync_roles(using=kwargs.get("using", "default"))
