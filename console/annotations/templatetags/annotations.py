"""Template filters of the annotations app: ``{{ message_tags|block_for:entry.event_id }}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def block_for(blocks: dict[int, SafeString], event_id: int) -> Any:
    """Return the message's tags block (:mod:`console.annotations.render`), or nothing."""
    return blocks.get(event_id, "") if isinstance(blocks, dict) else ""
