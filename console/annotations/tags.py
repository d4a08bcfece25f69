"""Tags on a conversation or on one of its messages: normalised, added, removed, summarised.

A clinician types tags as free text, several at once separated by commas; each is
normalised (:func:`normalise_tag`) so that "Sciatica", " sciatica " and "SCIATICA" are
one tag, and the page suggests the tags already in use (:func:`suggestions`). The audit
is written by the views, naming tag ids and never a tag's words::

    added = add_tags(sender_id, "Sciatica, follow-up", user)            # the conversation
    added = add_tags(sender_id, "missed cue", user, event_id=4182)      # one message
    removed = remove_tag(sender_id, added[0].pk)                         # the tag, or None
    summary = tag_summary(sender_id)     # the transcript's summary, with links to messages
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from bot.channels.care_team import is_care_team
from console.annotations.models import TAG_MAX_CHARS, Tag
from console.transcripts import events
from console.transcripts.lines import page_of_event, turn_starts
from console.transcripts.models import RasaEvent

SEPARATORS = ",;\n"
MAX_TAGS_AT_ONCE = 10
SUGGESTIONS = 200
# Kept inside a tag; any other punctuation or symbol separates words.
_JOINERS = frozenset("-_'/+.&")
_TRIM = " -_'/+.&"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
PATIENT = "patient"
ASSISTANT = "assistant"
CARE_TEAM = "care team"


class TagError(ValueError):
    """Raised when a tag cannot be added; the message says why, for the clinician."""


def normalise_tag(text: str) -> str:
    """Return ``text`` as a tag is stored: NFKC, lower case, one space, no stray marks.

    Invisible characters (controls, zero-width) are dropped, white space of any kind is
    a space; punctuation other than
    ``- _ ' / + . &`` becomes a space; spaces are collapsed and trimmed with those marks
    from both ends, so ``"  #Red-flag  MISSED! "`` is ``"red-flag missed"``. The result
    may be empty or longer than :data:`~console.annotations.models.TAG_MAX_CHARS`: the
    callers check (:func:`parse_tags`).
    """
    plain = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    kept = "".join(
        char if char.isalnum() or char in _JOINERS else " "
        for char in plain
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    return " ".join(kept.casefold().split()).strip(_TRIM)


def parse_tags(raw: str) -> list[str]:
    """Return the tags typed in ``raw`` (comma-separated), normalised, each once, in order.

    Raises:
        TagError: no tag in it, one longer than the limit, or too many at once.
    """
    for separator in SEPARATORS[1:]:
        raw = raw.replace(separator, SEPARATORS[0])
    tags = list(dict.fromkeys(filter(None, map(normalise_tag, raw.split(SEPARATORS[0])))))
    if not tags:
        raise TagError("Type a tag (letters or digits), or several separated by commas.")
    if len(tags) > MAX_TAGS_AT_ONCE:
        raise TagError(f"Add at most {MAX_TAGS_AT_ONCE} tags at once.")
    too_long = [tag for tag in tags if len(tag) > TAG_MAX_CHARS]
    if too_long:
        raise TagError(f"A tag is at most {TAG_MAX_CHARS} characters long.")
    return tags


def is_message_of(sender_id: str, event_id: int) -> bool:
    """Say whether ``event_id`` is a patient, assistant or care-team message of the conversation."""
    return bool(
        RasaEvent.objects.filter(
            id=event_id, sender_id=sender_id, type_name__in=(events.USER, events.BOT)
        ).exists()
    )


def add_tags(sender_id: str, raw: str, user: Any, event_id: int | None = None) -> list[Tag]:
    """Tag the conversation (or its message ``event_id``) with the tags typed in ``raw``.

    Returns:
        The tags newly added; one already there is left as it is (and not returned).

    Raises:
        TagError: nothing usable was typed, or ``event_id`` is not one of the
            conversation's messages; nothing is added.
    """
    tags = parse_tags(raw)
    if event_id is not None and not is_message_of(sender_id, event_id):
        raise TagError("That message is not in this conversation.")
    added: list[Tag] = []
    for tag in tags:
        try:
            with transaction.atomic():
                added.append(
                    Tag.objects.create(sender_id=sender_id, event_id=event_id, tag=tag, by=user)
                )
        except IntegrityError:
            continue  # already there (perhaps added a moment ago by someone else)
    return added


def remove_tag(sender_id: str, tag_id: int) -> Tag | None:
    """Remove the conversation's tag ``tag_id``; return it (None: it was not there)."""
    tag: Tag | None = Tag.objects.filter(pk=tag_id, sender_id=sender_id).first()
    if tag is None:
        return None
    deleted, _ = Tag.objects.filter(pk=tag.pk).delete()
    return tag if deleted else None


def suggestions(limit: int = SUGGESTIONS) -> list[str]:
    """Return the tags in use anywhere, the most used first (for the input's suggestions)."""
    rows = Tag.objects.order_by().values("tag").annotate(uses=Count("id"))
    ranked = sorted(rows, key=lambda row: (-int(row["uses"]), str(row["tag"])))
    return [str(row["tag"]) for row in ranked[:limit]]


def tags_by_conversation(sender_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Return each conversation's tags as ``(tag, messages)`` pairs, for the lists.

    ``messages`` is how many of its messages carry the tag (0: only the conversation
    does); tags on the conversation itself come first, then the rest, each by name.
    """
    found: dict[str, dict[str, list[int]]] = defaultdict(dict)
    rows = Tag.objects.filter(sender_id__in=sender_ids).values_list("sender_id", "tag", "event_id")
    for sender_id, tag, event_id in rows:
        counts = found[str(sender_id)].setdefault(str(tag), [0, 0])
        counts[0 if event_id is None else 1] += 1
    return {
        sender_id: [
            (tag, counts[1])
            for tag, counts in sorted(tags.items(), key=lambda item: (not item[1][0], item[0]))
        ]
        for sender_id, tags in found.items()
    }


@dataclass(frozen=True)
class TaggedMessage:
    """A tagged message, as the summary links to it."""

    event_id: int
    page: int
    speaker: str
    at: datetime | None

    @property
    def anchor(self) -> str:
        """Return the message's element id on the transcript page."""
        return f"message-{self.event_id}"


@dataclass(frozen=True)
class MessageTagCount:
    """One tag used on messages: how many, and which (in the conversation's order)."""

    tag: str
    messages: tuple[TaggedMessage, ...]

    @property
    def count(self) -> int:
        """Return how many messages carry the tag."""
        return len(self.messages)


@dataclass(frozen=True)
class TagSummary:
    """A conversation's tags: on the conversation, counted on messages, and by message."""

    conversation: list[Tag] = field(default_factory=list)
    on_messages: list[MessageTagCount] = field(default_factory=list)
    by_event: dict[int, list[Tag]] = field(default_factory=dict)

    @property
    def tagged_messages(self) -> int:
        """Return how many messages carry at least one tag."""
        return len(self.by_event)

    @property
    def empty(self) -> bool:
        """Say whether the conversation has no tag at all."""
        return not self.conversation and not self.by_event


def _speaker(type_name: str, data: str | None) -> str:
    if type_name == events.USER:
        return PATIENT
    return CARE_TEAM if is_care_team(events.parse_payload(data).get("metadata")) else ASSISTANT


def tag_summary(sender_id: str) -> TagSummary:
    """Return the conversation's tags for the top of its transcript and beside each message.

    A message tag whose message is no longer stored is left out.
    """
    tags = list(Tag.objects.filter(sender_id=sender_id).select_related("by"))
    on_conversation = [tag for tag in tags if tag.event_id is None]
    on_messages = [tag for tag in tags if tag.event_id is not None]
    if not on_messages:
        return TagSummary(conversation=on_conversation)
    ids = sorted({int(tag.event_id) for tag in on_messages if tag.event_id is not None})
    rows = RasaEvent.objects.filter(sender_id=sender_id, id__in=ids).values_list(
        "id", "type_name", "timestamp", "data"
    )
    starts = turn_starts(sender_id)
    messages = {
        int(event_id): TaggedMessage(
            event_id=int(event_id),
            page=page_of_event(starts, int(event_id)),
            speaker=_speaker(str(type_name), data),
            at=events.moment(timestamp),
        )
        for event_id, type_name, timestamp, data in rows
    }
    by_event: dict[int, list[Tag]] = defaultdict(list)
    by_tag: dict[str, list[TaggedMessage]] = defaultdict(list)
    for tag in on_messages:
        message = messages.get(int(tag.event_id or 0))
        if message is None:
            continue
        by_event[message.event_id].append(tag)
        by_tag[tag.tag].append(message)
    counts = [
        MessageTagCount(tag=tag, messages=tuple(sorted(found, key=lambda m: m.event_id)))
        for tag, found in by_tag.items()
    ]
    counts.sort(key=lambda count: (-count.count, count.tag))
    return TagSummary(conversation=on_conversation, on_messages=counts, by_event=dict(by_event))
