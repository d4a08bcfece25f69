"""The conversation list: the index filtered, searched, newest first, and shown masked.

Every filter is a query on the index (:class:`console.transcripts.models.Conversation`),
one row per conversation, so a page costs a few indexed queries however many events
there are::

    rows = conversations({"tier": "emergency", "q": "numb"})
    page = Paginator(rows, PER_PAGE).get_page(1)
    shown = list_rows(page.object_list)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

import yaml
from django.db.models import Exists, OuterRef, QuerySet

from bot.policies.safety_names import TIER_ORDER
from bot.settings import REPO_ROOT
from console.annotations.models import Tag
from console.annotations.tags import tags_by_conversation
from console.cases.masking import mask_phone, pseudonym
from console.transcripts.events import FALLBACK_INTENTS, NO_TIER
from console.transcripts.forms import NO, YES
from console.transcripts.models import Conversation, ConversationReview
from console.transcripts.summary import BAR, search_form

PER_PAGE = 50
TIER_NAMES = {rank: tier for tier, rank in TIER_ORDER.items()}
# What a list row needs: the search text can be large and is never shown.
LIST_FIELDS = (
    "sender_id",
    "key",
    "channel",
    "first_at",
    "last_at",
    "patient_messages",
    "tier_rank",
    "fallback",
)


@lru_cache(maxsize=1)
def domain_intents() -> tuple[str, ...]:
    """Return the intents a patient message can have: the domain's and the fallback."""
    files = [REPO_ROOT / "domain.yml", *sorted((REPO_ROOT / "domain").glob("*.yml"))]
    names: set[str] = set(FALLBACK_INTENTS)
    for path in files:
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for intent in data.get("intents") or []:
            names.add(str(next(iter(intent))) if isinstance(intent, dict) else str(intent))
    return tuple(sorted(names))


def channels() -> list[str]:
    """Return the channels the index has seen, in name order."""
    values = Conversation.objects.exclude(channel="").values_list("channel", flat=True)
    return sorted({str(value) for value in values.distinct()})


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def conversations(filters: Mapping[str, Any]) -> QuerySet[Conversation]:
    """Return the conversations matching ``filters``, the most recently active first.

    Args:
        filters: valid values of :class:`~console.transcripts.forms.ConversationFilterForm`:
            ``start``/``end`` (dates, UTC: the conversation was active on a day between
            them), ``channel``, ``tier`` (the highest reached), ``intent`` (of any
            patient message), ``fallback`` and ``reviewed`` (``yes``/``no``), ``tag``
            (normalised: on the conversation or any of its messages) and ``q`` (words
            in any patient or assistant message, case ignored).
    """
    rows = Conversation.objects.only(*LIST_FIELDS)
    if filters.get("start"):
        rows = rows.filter(last_at__gte=_day_start(filters["start"]))
    if filters.get("end"):
        rows = rows.filter(first_at__lt=_day_start(filters["end"] + timedelta(days=1)))
    if filters.get("channel"):
        rows = rows.filter(channel=filters["channel"])
    if filters.get("tier") in TIER_ORDER:
        rows = rows.filter(tier_rank=TIER_ORDER[filters["tier"]])
    if filters.get("intent"):
        rows = rows.filter(intents__contains=f"{BAR}{filters['intent']}{BAR}")
    if filters.get("fallback") in (YES, NO):
        rows = rows.filter(fallback=filters["fallback"] == YES)
    if filters.get("reviewed") in (YES, NO):
        reviewed = Exists(ConversationReview.objects.filter(sender_id=OuterRef("sender_id")))
        rows = rows.filter(reviewed) if filters["reviewed"] == YES else rows.exclude(reviewed)
    if filters.get("tag"):
        rows = rows.filter(
            Exists(Tag.objects.filter(sender_id=OuterRef("sender_id"), tag=filters["tag"]))
        )
    words = search_form(str(filters.get("q") or ""))
    if words:
        rows = rows.filter(search_text__contains=words)
    return rows.order_by("-last_at", "-id")


@dataclass(frozen=True)
class ListRow:
    """One conversation as the list shows it."""

    conversation: Conversation
    patient: str
    phone: str
    tier: str
    review: ConversationReview | None
    # (tag, how many messages carry it): the conversation's own tags first.
    tags: list[tuple[str, int]]

    @property
    def red_flag(self) -> bool:
        """Say whether any red flag was raised."""
        return self.tier != NO_TIER


def list_rows(page: Iterable[Conversation]) -> list[ListRow]:
    """Return the list's rows for one page of conversations, with review marks and tags."""
    conversations_on_page = list(page)
    senders = [conversation.sender_id for conversation in conversations_on_page]
    reviews = {
        review.sender_id: review
        for review in ConversationReview.objects.filter(sender_id__in=senders).select_related("by")
    }
    tags = tags_by_conversation(senders)
    return [
        ListRow(
            conversation=conversation,
            patient=pseudonym(conversation.sender_id),
            phone=mask_phone(conversation.sender_id),
            tier=TIER_NAMES.get(conversation.tier_rank, NO_TIER),
            review=reviews.get(conversation.sender_id),
            tags=tags.get(conversation.sender_id, []),
        )
        for conversation in conversations_on_page
    ]
