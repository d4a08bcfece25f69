"""The review queue: conversations that raised no alert but deserve a clinician's look.

A conversation is listed, with each reason that applies (:class:`Reason`), when it
raised no red-flag alert (no ``red_flag`` row in the outbox, no red flag in the index)
and:

- a patient message holds a clinical term of the sweep list (``console/review/terms.yml``,
  :func:`sweep_terms`), matched as lower-case text;
- a patient message was not understood: Rasa's ``nlu_fallback`` intent, or an intent
  confidence under ``BACKCARE_REVIEW_MIN_CONFIDENCE``;
- it falls in the random sample: a hash of its sender id under
  ``BACKCARE_REVIEW_SAMPLE_RATE``, so the same conversations are sampled every time.

The plain rules (:func:`matched_terms`, :func:`is_low_confidence`, :func:`sampled`) have
no Django in them; :func:`review_queue` reads the conversation index and the patient
messages (``events`` rows of type ``user``, one pass) and applies them::

    items = review_queue(reason=None, sample_rate=0.05, min_confidence=0.5)
    items[0].conversation.key, [reason.kind for reason in items[0].reasons]
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from django.db import DatabaseError, transaction

from console.cases.models import OutboxAlert
from console.retention.erasure import present_tables
from console.retention.stores import EVENTS, OUTBOX
from console.transcripts import events
from console.transcripts.models import Conversation, RasaEvent

logger = logging.getLogger(__name__)

TERMS_FILE = Path(__file__).resolve().parent / "terms.yml"
KEYWORD = "keyword"
LOW_CONFIDENCE = "low_confidence"
SAMPLE = "sample"
REASON_LABELS: dict[str, str] = {
    KEYWORD: "clinical words",
    LOW_CONFIDENCE: "not understood (fallback or low confidence)",
    SAMPLE: "random sample",
}
RED_FLAG_KIND = "red_flag"
# Curly apostrophes (phones type them) are read as straight ones, as the terms are written.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_SAMPLE_SPACE = 16**8


@dataclass(frozen=True)
class Reason:
    """Why a conversation is in the queue: its kind and what was seen."""

    kind: str
    detail: str

    @property
    def label(self) -> str:
        """Return the reason as the page names it."""
        return REASON_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class QueueItem:
    """One conversation of the queue, with its reasons in a fixed order."""

    conversation: Conversation
    reasons: tuple[Reason, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Return the kinds of its reasons."""
        return tuple(reason.kind for reason in self.reasons)


@lru_cache(maxsize=4)
def sweep_terms(path: Path = TERMS_FILE) -> tuple[str, ...]:
    """Return the sweep's terms, lower-case, each once, in the file's order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = data.get("groups") or {}
    terms = [
        normalised(str(term))
        for group in groups.values()
        for term in group or []
        if str(term).strip()
    ]
    return tuple(dict.fromkeys(terms))


def normalised(text: str) -> str:
    """Return ``text`` as terms are matched: case-folded, straight apostrophes, one space."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


def matched_terms(text: str, terms: Sequence[str]) -> list[str]:
    """Return the terms found in ``text`` (lower-case, anywhere in it), in the list's order."""
    plain = normalised(text)
    return [term for term in terms if term in plain]


def is_low_confidence(intent: str, confidence: float | None, threshold: float) -> bool:
    """Say whether the NLU did not understand a message: the fallback, or low confidence."""
    if intent in events.FALLBACK_INTENTS:
        return True
    return confidence is not None and confidence < threshold


def sampled(sender_id: str, rate: float) -> bool:
    """Say whether the conversation is in the random sample at ``rate`` (0 to 1).

    The draw is the first 8 hex digits of the sender id's SHA-256, so a conversation is
    in or out of the sample for good at a given rate, and a higher rate keeps every
    conversation a lower one took.
    """
    if rate <= 0:
        return False
    draw = int(hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:8], 16)
    return draw < rate * _SAMPLE_SPACE


@dataclass
class _Seen:
    """What one conversation's patient messages showed, folded one message at a time."""

    terms: dict[str, None] = field(default_factory=dict)
    fallbacks: int = 0
    low: int = 0
    lowest: float | None = None

    def fold(self, text: str, intent: str, confidence: float | None, threshold: float,
             terms: Sequence[str]) -> None:  # fmt: skip
        self.terms.update(dict.fromkeys(matched_terms(text, terms)))
        if not is_low_confidence(intent, confidence, threshold):
            return
        if intent in events.FALLBACK_INTENTS:
            self.fallbacks += 1
        else:
            self.low += 1
        if confidence is not None:
            self.lowest = confidence if self.lowest is None else min(self.lowest, confidence)


def reasons_for(seen: _Seen | None, is_sampled: bool) -> tuple[Reason, ...]:
    """Return a conversation's reasons, keywords first, then fallbacks, then the sample."""
    reasons: list[Reason] = []
    if seen is not None and seen.terms:
        reasons.append(Reason(KEYWORD, ", ".join(f"\u201c{term}\u201d" for term in seen.terms)))
    if seen is not None and (seen.fallbacks or seen.low):
        parts = []
        if seen.fallbacks:
            parts.append(f"{seen.fallbacks} fallback{'s' if seen.fallbacks != 1 else ''}")
        if seen.low:
            parts.append(f"{seen.low} under the confidence threshold")
        if seen.lowest is not None:
            parts.append(f"lowest confidence {seen.lowest:.2f}")
        reasons.append(Reason(LOW_CONFIDENCE, "; ".join(parts)))
    if is_sampled:
        reasons.append(Reason(SAMPLE, "in the random sample"))
    return tuple(reasons)


def alerted_senders(tables: set[str] | None = None) -> set[str]:
    """Return the sender ids of conversations with a red-flag alert in the outbox."""
    if OUTBOX not in (present_tables() if tables is None else tables):
        return set()
    return {
        str(sender)
        for sender in OutboxAlert.objects.filter(kind=RED_FLAG_KIND)
        .values_list("conversation_id", flat=True)
        .distinct()
    }


def _patient_messages(senders: set[str]) -> Iterable[tuple[str, dict[str, object]]]:
    """Yield (sender id, payload) of every patient message of ``senders``, in id order."""
    rows = (
        RasaEvent.objects.filter(type_name=events.USER)
        .order_by("id")
        .values_list("sender_id", "data")
        .iterator(chunk_size=2000)
    )
    for sender_id, data in rows:
        if sender_id in senders:
            yield sender_id, events.parse_payload(data)


def review_queue(
    reason: str | None,
    sample_rate: float,
    min_confidence: float,
    terms: Sequence[str] | None = None,
) -> list[QueueItem]:
    """Return the conversations to review, the most recently active first.

    Args:
        reason: only those with this reason (:data:`KEYWORD`, :data:`LOW_CONFIDENCE`,
            :data:`SAMPLE`; each item still shows all of its reasons); None for all.
        sample_rate: the share of conversations sampled (0 to 1).
        min_confidence: an intent confidence under this lists the message.
        terms: the sweep's terms (the file's by default).
    """
    words = sweep_terms() if terms is None else tuple(terms)
    tables = present_tables()
    if EVENTS not in tables:
        # Rasa has not created its events table yet: nothing to review.
        return []
    try:
        # A savepoint: on PostgreSQL a failed query must not spoil the request's transaction.
        with transaction.atomic():
            alerted = alerted_senders(tables)
            candidates = {
                conversation.sender_id: conversation
                for conversation in Conversation.objects.filter(tier_rank=0).only(
                    "sender_id", "key", "channel", "first_at", "last_at", "patient_messages"
                )
                if conversation.sender_id not in alerted
            }
            seen: dict[str, _Seen] = {}
            for sender_id, payload in _patient_messages(set(candidates)):
                intent, confidence = events.intent_of(payload)
                seen.setdefault(sender_id, _Seen()).fold(
                    str(payload.get("text") or ""), intent, confidence, min_confidence, words
                )
    except DatabaseError:
        logger.warning("the review queue could not be read", exc_info=True)
        return []
    items = []
    for sender_id, conversation in candidates.items():
        reasons = reasons_for(seen.get(sender_id), sampled(sender_id, sample_rate))
        if reason is not None and reason not in (r.kind for r in reasons):
            continue
        if reasons:
            items.append(QueueItem(conversation=conversation, reasons=reasons))
    items.sort(
        key=lambda item: (
            item.conversation.last_at.timestamp() if item.conversation.last_at else 0.0,
            item.conversation.pk,
        ),
        reverse=True,
    )
    return items
