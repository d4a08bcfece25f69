"""A base for the console's models of tables the bot owns (the outbox, Rasa's events).

Subclasses set ``Meta.managed = False`` and ``db_table``; saving or deleting a row
raises :class:`ReadOnlyError`, so the console can read those tables but never change
them.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class ReadOnlyError(RuntimeError):
    """Raised on an attempt to write a table the bot owns."""


class ReadOnlyModel(models.Model):
    """A model over a table the bot owns: read it, never write it."""

    class Meta:
        """Abstract: no table of its own."""

        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse: the bot owns this table."""
        raise ReadOnlyError(f"the console never writes {self._meta.db_table}")

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse: the bot owns this table."""
        raise ReadOnlyError(f"the console never writes {self._meta.db_table}")
