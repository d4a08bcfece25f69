"""Turn a conversation's stored events into a transcript page, with provenance.

A transcript is cut into turns: a turn starts with a patient message and holds what
the assistant did until the next one (turn 0 is what came before the first message).
Each entry keeps where it came from:

- a patient message: its intent and confidence, its red-flag findings with the
  evidence words marked in the text (:mod:`console.transcripts.highlight`), the
  clarifying question it led to, and the model that read it;
- an assistant message: the domain response (``utter_...``) or the content id it came
  from, and its buttons;
- a message a clinician wrote to the patient (:mod:`console.takeover`), with who wrote
  it, and the takeover and the hand-back around it;
- the actions run (with the policy that chose them), slot changes, forms starting and
  ending, new sessions and messages taken back.

Long conversations are read a page of :data:`TURNS_PER_PAGE` turns at a time: the
turns' first event ids come from one query on the patient messages, then only the
page's events are read. The message that raised a case's alert is found exactly, by
recomputing the alert's key from the message's id and time as the tracker store did
(:mod:`bot.runtime.alerts`)::

    page = transcript_page(sender_id, page=None, alert=case.alert.alert_key)
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bot.alerts.outbox import alert_key
from bot.channels.care_team import author_of, is_care_team
from console.transcripts import events
from console.transcripts.highlight import highlighted, merged_spans
from console.transcripts.models import RasaEvent

TURNS_PER_PAGE = 200
PATIENT = "patient"
ASSISTANT = "assistant"
CARE_TEAM = "care_team"
TAKEN_OVER = "taken_over"
HANDED_BACK = "handed_back"
ACTION = "action"
SLOT = "slot"
FORM = "form"
SESSION = "session"
TAKEN_BACK = "taken_back"
OTHER = "other"
# Not worth a line: every turn ends listening; featurization is internal.
SKIPPED_ACTIONS = frozenset({"action_listen"})
SKIPPED_TYPES = frozenset({"user_featurization"})
SLOT_VALUE_CHARS = 160
# Fixed lines with nothing from the conversation in them.
_FORM_ENDED = mark_safe("Form ended")
_NEW_SESSION = mark_safe("New session started")
_TAKEN_BACK = mark_safe(
    "The patient&#x27;s message was taken back (the next one is read in the same place)"
)


@dataclass(frozen=True)
class Evidence:
    """A red-flag finding of a patient message, with the words it rests on."""

    flag: str
    tier: str
    words: str


@dataclass(frozen=True)
class Entry:
    """One thing that happened in a turn: a message, an action, a slot change..."""

    event_id: int
    kind: str
    at: datetime | None
    text: str = ""
    # The patient's text escaped, evidence marked: the only way it reaches the page.
    html: SafeString | None = None
    intent: str = ""
    confidence: str = ""
    findings: tuple[Evidence, ...] = ()
    asks: tuple[str, ...] = ()
    response: str = ""
    content_id: str = ""
    buttons: tuple[str, ...] = ()
    name: str = ""
    detail: str = ""
    model_id: str = ""
    raised_alert: bool = False
    # Raised any of the conversation's red-flag alerts (not only the case's own).
    alerted: bool = False

    @property
    def is_message(self) -> bool:
        """Say whether this is a patient, assistant or care-team message."""
        return self.kind in (PATIENT, ASSISTANT, CARE_TEAM)

    @property
    def step_html(self) -> SafeString:
        """Return the line of an action, slot change, form or session, escaped.

        Built here (each value through ``format_html``) rather than in the template:
        these are most of a long transcript's lines, and each template branch costs.
        """
        if self.kind == ACTION:
            if self.detail:
                return format_html(
                    'Action <code>{}</code> <span class="muted">chosen by {}</span>',
                    self.name,
                    self.detail,
                )
            return format_html("Action <code>{}</code>", self.name)
        if self.kind == SLOT:
            return format_html(
                "Slot <code>{}</code> set to <code>{}</code>", self.name, self.detail
            )
        if self.kind == FORM:
            if self.name:
                return format_html("Form <code>{}</code> started", self.name)
            return _FORM_ENDED
        if self.kind == SESSION:
            return _NEW_SESSION
        if self.kind == TAKEN_BACK:
            return _TAKEN_BACK
        if self.kind == TAKEN_OVER:
            return format_html(
                "<strong>Taken over by {}</strong>: the assistant stopped answering",
                self.name or "a clinician",
            )
        if self.kind == HANDED_BACK:
            return format_html(
                "<strong>Handed back by {}</strong>: the assistant answers again",
                self.name or "a clinician",
            )
        return format_html("Event <code>{}</code>", self.name)

    @cached_property
    def provenance_html(self) -> SafeString:
        """Return a message's provenance line, each value escaped (empty for a step).

        A patient message: its intent and confidence, red-flag findings with their
        evidence words, clarifying questions and the model (when it changed). An
        assistant message: its response, content id and buttons. Built here for the
        same reason as :attr:`step_html`: a long page has thousands of them.
        """
        parts: list[SafeString] = []
        if self.kind == PATIENT:
            if self.intent:
                confidence = (
                    format_html(" (confidence {})", self.confidence) if self.confidence else ""
                )
                parts.append(
                    format_html("<span>Intent: <code>{}</code>{}</span>", self.intent, confidence)
                )
            for finding in self.findings:
                words = (
                    format_html(
                        ', evidence: \u201c<span class="evidence-words">{}</span>\u201d',
                        finding.words,
                    )
                    if finding.words
                    else ""
                )
                parts.append(
                    format_html(
                        '<span class="flag">Red flag: <code>{}</code> ({}){}</span>',
                        finding.flag,
                        finding.tier,
                        words,
                    )
                )
            parts.extend(
                format_html("<span>Asked to check: <code>{}</code></span>", ask)
                for ask in self.asks
            )
            if self.model_id:
                parts.append(format_html("<span>Model: <code>{}</code></span>", self.model_id))
        elif self.kind == ASSISTANT:
            if self.response:
                parts.append(format_html("<span>Response: <code>{}</code></span>", self.response))
            if self.content_id:
                parts.append(format_html("<span>Content: <code>{}</code></span>", self.content_id))
            if self.buttons:
                parts.append(format_html("<span>Buttons: {}</span>", " \u00b7 ".join(self.buttons)))
        # Every part came from format_html, which escaped each value.
        return mark_safe("\n".join(parts))  # noqa: S308

    # Times are formatted here rather than with the template's ``date`` filter, which
    # costs a good part of a long page's rendering.
    @property
    def iso(self) -> str:
        """Return the time for a ``datetime`` attribute (empty when unknown)."""
        return self.at.isoformat() if self.at else ""

    @property
    def when(self) -> str:
        """Return the date and time, e.g. ``25 Nov 2026 09:00:05``."""
        return f"{self.at.day} {self.at:%b %Y %H:%M:%S}" if self.at else ""

    @property
    def clock(self) -> str:
        """Return the time of day, e.g. ``09:00:05``."""
        return f"{self.at:%H:%M:%S}" if self.at else ""


@dataclass(frozen=True)
class Turn:
    """A patient message and what followed it (number 0: before the first message)."""

    number: int
    entries: list[Entry]


@dataclass(frozen=True)
class TranscriptPage:
    """One page of a transcript."""

    turns: list[Turn]
    number: int
    pages: int
    turn_count: int
    model_ids: list[str] = field(default_factory=list)

    @property
    def messages(self) -> int:
        """Return how many patient and assistant messages the page shows."""
        return sum(1 for turn in self.turns for entry in turn.entries if entry.is_message)

    @property
    def first_turn(self) -> int:
        """Return the number of the page's first patient turn (1 on the first page)."""
        return (self.number - 1) * TURNS_PER_PAGE + 1

    @property
    def last_turn(self) -> int:
        """Return the number of the page's last turn."""
        return min(self.number * TURNS_PER_PAGE, self.turn_count)

    @property
    def has_previous(self) -> bool:
        """Say whether an earlier page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Say whether a later page exists."""
        return self.number < self.pages


def _confidence(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def _slot_value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SLOT_VALUE_CHARS else text[: SLOT_VALUE_CHARS - 1] + "\u2026"


def _buttons(payload: dict[str, Any]) -> tuple[str, ...]:
    data = payload.get("data")
    buttons = data.get("buttons") if isinstance(data, dict) else None
    return tuple(
        str(button.get("title") or button.get("payload") or "")
        for button in buttons or []
        if isinstance(button, dict)
    )


def patient_entry(
    event_id: int,
    payload: dict[str, Any],
    sender_id: str,
    alert: str | None,
    alert_keys: frozenset[str] = frozenset(),
) -> Entry:
    """Return a patient message's entry: its text with evidence marked, and provenance."""
    text = str(payload.get("text") or "")
    findings = events.findings_of(payload)
    spans = [(f.start, f.end) for f in findings if f.start is not None and f.end is not None]
    evidence = []
    for finding in findings:
        located = (
            merged_spans(len(text), [(finding.start, finding.end)])
            if finding.start is not None and finding.end is not None
            else []
        )
        words = text[located[0][0] : located[0][1]] if located else ""
        evidence.append(Evidence(flag=finding.flag, tier=finding.tier, words=words))
    intent, confidence = events.intent_of(payload)
    own_key = alert_key(sender_id, payload.get("message_id") or "", payload.get("timestamp"))
    return Entry(
        event_id=event_id,
        kind=PATIENT,
        at=events.moment(payload.get("timestamp")),
        text=text,
        html=highlighted(text, spans),
        intent=intent,
        confidence=_confidence(confidence),
        findings=tuple(evidence),
        asks=tuple(events.asks_of(payload)),
        model_id=events.model_id_of(payload),
        raised_alert=bool(alert) and own_key == alert,
        alerted=own_key in alert_keys or (bool(alert) and own_key == alert),
    )


def entry_for(
    event_id: int,
    type_name: str,
    payload: dict[str, Any],
    sender_id: str,
    alert: str | None,
    alert_keys: frozenset[str] = frozenset(),
) -> Entry | None:
    """Return the transcript entry of one stored event (None: not shown)."""
    at = events.moment(payload.get("timestamp"))
    if type_name == events.USER:
        return patient_entry(event_id, payload, sender_id, alert, alert_keys)
    if type_name == events.BOT and is_care_team(payload.get("metadata")):
        return Entry(
            event_id=event_id,
            kind=CARE_TEAM,
            at=at,
            text=str(payload.get("text") or ""),
            name=author_of(payload.get("metadata")),
        )
    if type_name == events.BOT:
        response, content_id = events.bot_sources(payload)
        return Entry(
            event_id=event_id,
            kind=ASSISTANT,
            at=at,
            text=events.shown_text(payload.get("text")),
            response=response,
            content_id=content_id,
            buttons=_buttons(payload),
        )
    if type_name == events.ACTION:
        name = str(payload.get("name") or "")
        if name in SKIPPED_ACTIONS:
            return None
        confidence = payload.get("confidence")
        policy = str(payload.get("policy") or "")
        if isinstance(confidence, (int, float)) and policy:
            policy = f"{policy} {_confidence(float(confidence))}"
        return Entry(event_id=event_id, kind=ACTION, at=at, name=name, detail=policy)
    if type_name == events.SLOT:
        return Entry(
            event_id=event_id,
            kind=SLOT,
            at=at,
            name=str(payload.get("name") or ""),
            detail=_slot_value(payload.get("value")),
        )
    if type_name == "active_loop":
        return Entry(event_id=event_id, kind=FORM, at=at, name=str(payload.get("name") or ""))
    if type_name == "session_started":
        return Entry(event_id=event_id, kind=SESSION, at=at)
    if type_name == "rewind":
        return Entry(event_id=event_id, kind=TAKEN_BACK, at=at)
    if type_name in (events.PAUSE, events.RESUME):
        kind = TAKEN_OVER if type_name == events.PAUSE else HANDED_BACK
        return Entry(event_id=event_id, kind=kind, at=at, name=author_of(payload.get("metadata")))
    if type_name in SKIPPED_TYPES:
        return None
    return Entry(event_id=event_id, kind=OTHER, at=at, name=type_name)


def turn_starts(sender_id: str) -> list[int]:
    """Return the event ids of the conversation's patient messages, in order."""
    return list(
        RasaEvent.objects.filter(sender_id=sender_id, type_name=events.USER)
        .order_by("id")
        .values_list("id", flat=True)
    )


def page_of_alert(sender_id: str, alert: str) -> int | None:
    """Return the page holding the patient message that raised ``alert`` (None: not found)."""
    rows = (
        RasaEvent.objects.filter(sender_id=sender_id, type_name=events.USER)
        .order_by("id")
        .values_list("data", flat=True)
    )
    for index, data in enumerate(rows):
        payload = events.parse_payload(data)
        if alert_key(sender_id, payload.get("message_id") or "", payload.get("timestamp")) == alert:
            return index // TURNS_PER_PAGE + 1
    return None


def page_of_event(starts: list[int], event_id: int) -> int:
    """Return the page holding the event ``event_id``, given the turns' first event ids.

    Args:
        starts: :func:`turn_starts` of the conversation (the patient messages' ids).
        event_id: any of the conversation's event ids.
    """
    turn = bisect_right(starts, event_id)  # 0: before the first patient message
    return max(1, -(-turn // TURNS_PER_PAGE))


def pages_for(turn_count: int) -> int:
    """Return how many pages a transcript of ``turn_count`` turns takes (at least one)."""
    return max(1, -(-turn_count // TURNS_PER_PAGE))


def transcript_page(
    sender_id: str,
    page: int | None,
    alert: str | None = None,
    alert_keys: frozenset[str] = frozenset(),
) -> TranscriptPage:
    """Return one page of the conversation's transcript.

    Args:
        sender_id: the tracker's sender id.
        page: the page (from 1; out of range is brought within). None: the first, or
            with ``alert`` the page of the message that raised it.
        alert: a case's alert key, to mark the message that raised it (None: no mark).
        alert_keys: the keys of all the conversation's red-flag alerts: the messages
            that raised one are marked ``alerted``.
    """
    starts = turn_starts(sender_id)
    pages = pages_for(len(starts))
    if page is None:
        page = (page_of_alert(sender_id, alert) if alert else None) or 1
    page = max(1, min(page, pages))
    rows = RasaEvent.objects.filter(sender_id=sender_id)
    first_index = (page - 1) * TURNS_PER_PAGE
    if page > 1:
        rows = rows.filter(id__gte=starts[first_index])
    if page * TURNS_PER_PAGE < len(starts):
        rows = rows.filter(id__lt=starts[page * TURNS_PER_PAGE])
    turns: list[Turn] = []
    current = Turn(number=first_index if page > 1 else 0, entries=[])
    model_ids: list[str] = []
    for event_id, type_name, data in rows.order_by("id").values_list("id", "type_name", "data"):
        entry = entry_for(
            event_id, type_name, events.parse_payload(data), sender_id, alert, alert_keys
        )
        if entry is None:
            continue
        if entry.kind == PATIENT:
            if current.entries:
                turns.append(current)
            current = Turn(number=current.number + 1, entries=[])
            # The model is named on the first message it read, not on every one.
            if entry.model_id and (not model_ids or model_ids[-1] != entry.model_id):
                model_ids.append(entry.model_id)
            else:
                entry = replace(entry, model_id="")
        current.entries.append(entry)
    if current.entries:
        turns.append(current)
    return TranscriptPage(
        turns=turns,
        number=page,
        pages=pages,
        turn_count=len(starts),
        model_ids=list(dict.fromkeys(model_ids)),
    )
