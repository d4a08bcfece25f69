"""Template filters of the annotations app: ``{{ tags.by_event|tags_for:entry.event_id }}``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def tags_for(by_event: dict[int, list[Any]], event_id: int) -> list[Any]:
    """Return the tags on the message ``event_id`` (empty without any)."""
    return by_event.get(event_id, []) if isinstance(by_event, dict) else []
