"""Give and withdraw verdicts on patient messages, and count them per model version.

A clinician reading a transcript can say of a patient message that it **should have
escalated** (to emergency, urgent or soon: above the tier it reached), or of a message
that raised a red-flag alert that it **should not have escalated**. The message is read
from Rasa's ``events`` by its id and must be the conversation's own patient message; its
words, time and model are copied into the verdict. The audit is written by the view::

    verdict = give_verdict(sender_id, event_id, VerdictKind.MISSED, "urgent", "fever", user)
    withdraw_verdict(sender_id, verdict.pk)      # the withdrawn verdict, or None
    model_counts()                               # missed and false alarms per model id
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from bot.alerts.outbox import alert_key
from console.cases.models import OutboxAlert
from console.retention.erasure import present_tables
from console.retention.stores import OUTBOX
from console.review.models import Verdict, VerdictKind
from console.review.queue import RED_FLAG_KIND
from console.transcripts import events
from console.transcripts.models import RasaEvent

# The tiers a missed message can be said to deserve, most urgent first.
MISSED_TIERS = ("emergency", "urgent", "soon")
NOTE_MAX_CHARS = 500
NOT_RECORDED = "not recorded"


class VerdictError(ValueError):
    """Raised when a verdict cannot be given; the message says why, for the clinician."""


def alert_keys(sender_id: str) -> frozenset[str]:
    """Return the alert keys of the conversation's red-flag alerts (the messages they name)."""
    if OUTBOX not in present_tables():
        return frozenset()
    keys = OutboxAlert.objects.filter(conversation_id=sender_id, kind=RED_FLAG_KIND)
    return frozenset(str(key) for key in keys.values_list("alert_key", flat=True) if key)


def message_key(sender_id: str, payload: dict[str, Any]) -> str:
    """Return the alert key a patient message would have raised (as the tracker store makes it)."""
    return alert_key(sender_id, payload.get("message_id") or "", payload.get("timestamp"))


def verdicts_by_event(sender_id: str) -> dict[int, Verdict]:
    """Return the conversation's verdicts by the event id of the message they judge."""
    rows = Verdict.objects.filter(sender_id=sender_id).select_related("by")
    return {int(verdict.event_id): verdict for verdict in rows}


def give_verdict(
    sender_id: str, event_id: int, kind: str, tier: str, note: str, user: Any
) -> Verdict:
    """Record a verdict on the conversation's patient message ``event_id``.

    Raises:
        VerdictError: no such patient message in the conversation; a missed verdict's
            tier is not above the tier the message reached; a false alarm on a message
            that raised no alert; or the message already has a verdict.
    """
    row = RasaEvent.objects.filter(id=event_id, sender_id=sender_id, type_name=events.USER).first()
    if row is None:
        raise VerdictError("That message is not a patient message of this conversation.")
    payload = row.payload
    if kind == VerdictKind.MISSED:
        if tier not in MISSED_TIERS:
            raise VerdictError("Choose the tier it should have reached.")
        reached = events.tier_of(payload)
        if events.tier_rank(tier) <= events.tier_rank(reached):
            raise VerdictError(f"That message already reached {reached}.")
    elif kind == VerdictKind.FALSE_ALARM:
        if message_key(sender_id, payload) not in alert_keys(sender_id):
            raise VerdictError("That message raised no alert.")
        tier = events.NO_TIER
    else:
        raise VerdictError("Unknown verdict.")
    try:
        with transaction.atomic():
            verdict: Verdict = Verdict.objects.create(
                sender_id=sender_id,
                event_id=event_id,
                kind=kind,
                tier=tier,
                note=note.strip()[:NOTE_MAX_CHARS],
                text=str(payload.get("text") or ""),
                model_id=events.model_id_of(payload)[:255],
                message_at=events.moment(payload.get("timestamp")),
                by=user,
            )
    except IntegrityError:
        raise VerdictError("That message already has a verdict: withdraw it first.") from None
    return verdict


def withdraw_verdict(sender_id: str, verdict_id: int) -> Verdict | None:
    """Delete the conversation's verdict ``verdict_id``; return it (None: there was none)."""
    verdict: Verdict | None = Verdict.objects.filter(pk=verdict_id, sender_id=sender_id).first()
    if verdict is None:
        return None
    deleted, _ = Verdict.objects.filter(pk=verdict.pk).delete()
    return verdict if deleted else None


@dataclass
class ModelCounts:
    """The running counts of one model version."""

    model_id: str
    missed: int = 0
    false_alarms: int = 0
    missed_by_tier: dict[str, int] = field(default_factory=dict)
    latest: Any = None

    @property
    def name(self) -> str:
        """Return the model id, or says it was not recorded."""
        return self.model_id or NOT_RECORDED

    @property
    def tiers_text(self) -> str:
        """Return the missed ones per tier, e.g. ``emergency 1, urgent 2``."""
        return ", ".join(
            f"{tier} {self.missed_by_tier[tier]}"
            for tier in MISSED_TIERS
            if tier in self.missed_by_tier
        )


def model_counts() -> list[ModelCounts]:
    """Return missed and false alarms per model version, the latest judged message's first."""
    counts: dict[str, ModelCounts] = defaultdict(lambda: ModelCounts(model_id=""))
    rows = (
        Verdict.objects.order_by()
        .values("model_id", "kind", "tier")
        .annotate(n=Count("id"), latest=Max("message_at"))
    )
    for row in rows:
        model_id = str(row["model_id"] or "")
        entry = counts[model_id]
        entry.model_id = model_id
        if row["kind"] == VerdictKind.MISSED:
            entry.missed += row["n"]
            entry.missed_by_tier[row["tier"]] = entry.missed_by_tier.get(row["tier"], 0) + row["n"]
        else:
            entry.false_alarms += row["n"]
        if row["latest"] is not None and (entry.latest is None or row["latest"] > entry.latest):
            entry.latest = row["latest"]
    return sorted(
        counts.values(),
        key=lambda entry: (
            entry.latest is not None,
            entry.latest.timestamp() if entry.latest else 0,
        ),
        reverse=True,
    )
