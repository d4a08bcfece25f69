"""Template filters of the review app: ``{{ verdicts|verdict_for:entry.event_id }}``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def verdict_for(verdicts: dict[int, Any], event_id: int) -> Any:
    """Return the verdict on the message ``event_id`` (None without one)."""
    return verdicts.get(event_id) if isinstance(verdicts, dict) else None
