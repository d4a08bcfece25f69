"""A patient's flare-up plan: five answers in their own words, checked and laid out.

The plan follows the flare-up guidance cited in content/flare_ups.yml: likely
triggers, early warning signs, what helps, who can help, and how to step back to the
usual pacing baseline. The form
``flare_plan_form`` asks one question per field (slot ``flare_<field>``);
:func:`clean_answer` tidies each answer, :class:`actions.pacing.store.PlansStore` keeps
the plan, and the layout functions show it back with headings from
``content/flare_ups.yml``::

    plan = FlarePlan.from_slots(tracker.slots)
    text = render_sms(plan, templates, labels)  # at most 306 characters

No Rasa imports here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from actions.common.content import SMS_LIMIT, fill

# The plan's fields in the order they are asked and shown; slot names add "flare_".
FIELDS: Final = ("triggers", "warning_signs", "helps", "contacts", "step_back")
SLOT_PREFIX: Final = "flare_"
# Longest answer kept; a patient writing more is cut, marked with an ellipsis.
MAX_ANSWER_CHARS: Final = 300
ELLIPSIS: Final = "\u2026"


def slot_name(field: str) -> str:
    """Return the slot that holds ``field`` while the form runs."""
    return f"{SLOT_PREFIX}{field}"


SLOTS: Final = tuple(slot_name(field) for field in FIELDS)


@dataclass(frozen=True)
class FlarePlan:
    """One patient's flare-up plan, each field as the patient wrote it (cleaned)."""

    triggers: str
    warning_signs: str
    helps: str
    contacts: str
    step_back: str

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> FlarePlan:
        """Build the plan from the form's slots; a missing answer is an empty text."""
        values = {field: slots.get(slot_name(field)) for field in FIELDS}
        return cls(**{key: "" if value is None else str(value) for key, value in values.items()})

    def answers(self) -> dict[str, str]:
        """Return the answers by field name, in :data:`FIELDS` order."""
        return {field: str(getattr(self, field)) for field in FIELDS}


def clean_answer(text: str | None, limit: int = MAX_ANSWER_CHARS) -> str | None:
    """Return a tidy answer, or ``None`` when it has no words or numbers at all.

    Whitespace is collapsed, and an answer longer than ``limit`` is cut at a word
    boundary and marked with an ellipsis.
    """
    if text is None:
        return None
    tidy = " ".join(text.split())
    if not re.search(r"\w", tidy):
        return None
    return shorten(tidy, limit)


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, at a word boundary if possible."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;.") + ELLIPSIS


def render_web(plan: FlarePlan, templates: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """Return the chat layout: a heading, then one line per field.

    Args:
        plan: the plan.
        templates: ``heading`` and ``line`` (with ``{label}`` and ``{answer}``).
        labels: a heading word per field name.
    """
    lines = [templates["heading"]]
    for field, answer in plan.answers().items():
        lines.append(fill(templates["line"], {"label": labels[field], "answer": answer}))
    return "\n".join(lines)


def render_sms(
    plan: FlarePlan,
    templates: Mapping[str, str],
    labels: Mapping[str, str],
    limit: int = SMS_LIMIT,
) -> str:
    """Return the plan as one SMS of at most ``limit`` characters.

    The fixed words are kept; when the answers do not fit, the longest are cut first
    so that every field keeps a fair share of the room.

    Args:
        plan: the plan.
        templates: ``heading`` and ``line`` (with ``{label}`` and ``{answer}``).
        labels: a short heading word per field name.
        limit: the most characters allowed.
    """
    # The line template ends each answer with a full stop; avoid "..".
    answers = {field: text.rstrip(" .") for field, text in plan.answers().items()}

    def layout(texts: Mapping[str, str]) -> str:
        lines = [templates["heading"]]
        for field in FIELDS:
            lines.append(fill(templates["line"], {"label": labels[field], "answer": texts[field]}))
        return " ".join(lines)

    room = limit - len(layout(dict.fromkeys(FIELDS, "")))
    allowance = share_room({field: len(answers[field]) for field in FIELDS}, max(0, room))
    text = layout({field: shorten(answers[field], allowance[field]) for field in FIELDS})
    return text[:limit]


def share_room(lengths: Mapping[str, int], room: int) -> dict[str, int]:
    """Share ``room`` characters between texts: short texts keep their length.

    The rest of the room is split evenly between the longer texts (water filling).
    """
    allowance: dict[str, int] = {}
    pending = sorted(lengths, key=lambda key: lengths[key])
    left = room
    while pending:
        share = left // len(pending)
        key = pending[0]
        if lengths[key] <= share:
            allowance[key] = lengths[key]
            left -= lengths[key]
            pending.pop(0)
            continue
        for other in pending:
            allowance[other] = share
        break
    return allowance
