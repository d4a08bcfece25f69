"""The messages of the pacing conversation, built from ``content/pacing.yml``.

Plain functions from content and plans to :class:`~actions.common.content.OutgoingMessage`
objects; the actions (:mod:`actions.pacing.actions`) send them::

    content = get_pacing_content()
    send(dispatcher, *plan_messages(content, store.pacing_plans(sender_id), sms=False))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actions.common.content import ContentFile, OutgoingMessage, get_content
from actions.pacing.answers import MINUTES
from actions.pacing.form import plan_unit
from actions.pacing.plan import (
    DEFAULT_WEEKS,
    PacingPlan,
    PlanLabels,
    fit_sms,
    render_sms_line,
    render_web,
)
from actions.pacing.store import StoredPacingPlan


def get_pacing_content() -> ContentFile:
    """Return the words of the pacing conversation, read on first use."""
    return get_content("pacing")


def activity_label(content: ContentFile, activity: str | None) -> str:
    """Return how ``activity`` is named in a sentence; own activities as typed."""
    names = content.texts("activities")
    return names.get(activity or "", activity or "")


def unit_label(content: ContentFile, unit: str | None, amount: float | None = None) -> str:
    """Return the unit word, singular for an amount of exactly 1."""
    words = content.texts(f"units.{unit or MINUTES}")
    return words["one"] if amount == 1 else words["many"]


def plan_labels(content: ContentFile, plan: PacingPlan) -> PlanLabels:
    """Return the words a plan's layout needs."""
    return PlanLabels(
        activity=activity_label(content, plan.activity),
        unit=unit_label(content, plan.unit),
        unit_short=content.texts(f"units.{plan.unit}")["short"],
    )


def plan_messages(
    content: ContentFile, plans: Sequence[StoredPacingPlan], *, sms: bool
) -> list[OutgoingMessage]:
    """Return the messages that show ``plans``, this week marked, with the next steps.

    On the web each plan is one short message and a tip with buttons follows; on SMS
    all plans share one compact message of at most 306 characters.
    """
    buttons = content.buttons("buttons.managed", "buttons.too_much")
    if sms:
        templates = content.texts("render.sms")
        lines = [
            render_sms_line(s.plan.weeks, s.current_week, plan_labels(content, s.plan), templates)
            for s in plans
        ]
        text = fit_sms(lines, templates["tail"], templates["more"])
        return [OutgoingMessage(text, "pacing.render.sms", buttons)]
    templates = content.texts("render.web")
    messages = [
        OutgoingMessage(
            render_web(s.plan.weeks, s.current_week, plan_labels(content, s.plan), templates),
            "pacing.render.web",
        )
        for s in plans
    ]
    buttons += content.buttons("buttons.change_baseline")
    messages.append(content.message("show.tip", buttons=buttons))
    return messages


def no_plan_message(content: ContentFile) -> OutgoingMessage:
    """Return the offer to make a plan, for a patient who has none."""
    buttons = content.buttons("buttons.yes_new_plan", "buttons.not_now")
    return content.message("show.none", buttons=buttons)


def question_values(content: ContentFile, slots: Mapping[str, Any]) -> dict[str, object]:
    """Return the placeholder values for questions and re-asks, from the form's slots."""
    words = content.texts(f"units.{plan_unit(slots)}")
    return {
        "activity": activity_label(content, slots.get("pacing_activity")),
        "unit": words["many"],
        "example": words["example"],
        "goal_example": words["goal_example"],
        "weeks": DEFAULT_WEEKS,
    }


def question(
    content: ContentFile, slot: str, slots: Mapping[str, Any], *, by_unit: bool = False
) -> OutgoingMessage:
    """Return the question for ``slot``: the text at ``ask.<slot>`` and its buttons.

    Args:
        content: the pacing words.
        slot: the slot asked for.
        slots: the form's slots so far, for the wording.
        by_unit: whether the text is worded per unit, at ``ask.<slot>.<unit>``.
    """
    key = f"ask.{slot}"
    buttons = content.buttons(f"{key}.buttons") if "buttons" in content.node(key) else ()
    text_key = f"{key}.{plan_unit(slots)}" if by_unit else key
    return content.message(text_key, question_values(content, slots), buttons=buttons)


@dataclass(frozen=True)
class Move:
    """The words for moving a plan one week on (+1) or back (-1).

    Attributes:
        section: the content section, ``managed`` or ``too_much``.
        limit_key: the text when the plan cannot move (at its end, or its start).
        moved_key: the text after the move.
        limit_buttons: button keys with ``limit_key``; ``moved_buttons``: with ``moved_key``.
    """

    section: str
    limit_key: str
    moved_key: str
    limit_buttons: tuple[str, ...]
    moved_buttons: tuple[str, ...]


MOVES = {
    +1: Move(
        "managed",
        "managed.finished",
        "managed.done",
        ("buttons.new_plan", "buttons.show"),
        ("buttons.show", "buttons.menu"),
    ),
    -1: Move(
        "too_much",
        "too_much.at_start",
        "too_much.stepped_back",
        ("buttons.change_baseline", "buttons.flare_up"),
        ("buttons.flare_up", "buttons.menu"),
    ),
}
