"""Weekly check-in with the PEG scale: ask three 0-10 questions, score, compare.

The form ``peg_form`` asks each question with ``action_ask_<slot>`` (words from
``content/checkin.yml``), ``validate_peg_form`` accepts one number from 0 to 10 per
answer (:mod:`actions.checkin.peg`), and ``action_peg_result`` gives the score and how
it compares with the last check-in (kept in the ``peg_last_score`` slot, which carries
over sessions).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checkin.peg import compare, format_score, parse_score, peg_score
from actions.common.action import ReplyAction
from actions.common.content import ContentFile, OutgoingMessage, get_content
from actions.common.forms import AnswerValidation, AskSlot, SlotValidator
from actions.common.send import send

PEG_SLOTS = ("peg_pain", "peg_enjoyment", "peg_activity")


def checkin_content() -> ContentFile:
    """Return the check-in wording from ``content/checkin.yml``, read on first use."""
    return get_content("checkin", "checkin_peg")


def plain(key: str) -> OutgoingMessage:
    """Return the check-in text at ``key``; these texts carry no content id."""
    return OutgoingMessage(checkin_content().text(key))


class ActionCheckinIntro(ReplyAction, action="action_checkin_intro"):
    """Explain the check-in before the first question."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the intro and clear answers from an earlier check-in."""
        send(dispatcher, plain("intro"))
        return [SlotSet(slot, None) for slot in PEG_SLOTS]


class AskPegQuestion(AskSlot):
    """Ask one PEG question, the text at ``questions.<slot>``."""

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the question for this slot."""
        return plain(f"questions.{self.slot}")


class ActionAskPegPain(AskPegQuestion):
    """Ask about average pain in the past week."""

    slot = "peg_pain"


class ActionAskPegEnjoyment(AskPegQuestion):
    """Ask how much pain got in the way of enjoying life."""

    slot = "peg_enjoyment"


class ActionAskPegActivity(AskPegQuestion):
    """Ask how much pain got in the way of daily activities."""

    slot = "peg_activity"


class ValidatePegForm(AnswerValidation):
    """Accept one whole number from 0 to 10 for each PEG question."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_peg_form"

    def slot_validator(self, slot: str) -> SlotValidator | None:
        """Return the same check for every PEG answer."""
        return partial(validate_score, slot) if slot in PEG_SLOTS else None


def validate_score(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """Accept one number from 0 to 10 as the answer for ``slot``; re-ask otherwise."""
    score = parse_score(value if isinstance(value, str) else str(value))
    if score is None:
        send(dispatcher, plain("reask"))
    return {slot: score}


class ActionPegResult(ReplyAction, action="action_peg_result"):
    """Give the PEG score and how it compares with the last check-in."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the score and the comparison; remember the score for next time."""
        answers = [tracker.get_slot(slot) for slot in PEG_SLOTS]
        if any(not isinstance(answer, int | float) for answer in answers):
            send(dispatcher, plain("reask"))
            return []
        score = peg_score(*(int(answer) for answer in answers))
        previous = tracker.get_slot("peg_last_score")
        previous_score = float(previous) if isinstance(previous, int | float) else None
        content = checkin_content()
        verdict = compare(previous_score, score)
        previous_text = format_score(previous_score) if previous_score is not None else ""
        send(
            dispatcher,
            content.message("result", {"score": format_score(score)}),
            content.message(
                f"change.{verdict}", {"previous": previous_text}, buttons=content.buttons("buttons")
            ),
        )
        return [SlotSet("peg_last_score", score), *(SlotSet(slot, None) for slot in PEG_SLOTS)]
