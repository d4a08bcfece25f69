"""Weekly check-in with the PEG scale: ask three 0-10 questions, score, compare.

The form ``peg_form`` asks each question with ``action_ask_<slot>`` (words from
``content/checkin.yml``), ``validate_peg_form`` accepts one number from 0 to 10 per
answer, and ``action_peg_result`` gives the score and how it compares with the last
check-in (kept in the ``peg_last_score`` slot, which carries over sessions).
"""

from __future__ import annotations

import abc
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.forms import AnswerValidation
from actions.checkin.peg import compare, format_score, parse_score, peg_score

CONTENT = Path(__file__).resolve().parent.parent / "content" / "checkin.yml"
PEG_SLOTS = ("peg_pain", "peg_enjoyment", "peg_activity")


@lru_cache(maxsize=1)
def checkin_text() -> dict[str, Any]:
    """Return the check-in wording from content/checkin.yml."""
    data = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


class ActionCheckinIntro(Action):
    """Explain the check-in before the first question."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_checkin_intro"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Send the intro and clear answers from an earlier check-in."""
        dispatcher.utter_message(text=checkin_text()["intro"])
        return [SlotSet(slot, None) for slot in PEG_SLOTS]


class _AskPegQuestion(Action, metaclass=abc.ABCMeta):
    """Ask one PEG question; subclasses name the slot.

    Abstract, so that the action server does not register this base class itself.
    """

    @property
    @abc.abstractmethod
    def slot(self) -> str:
        """Return the slot this action asks for."""

    def name(self) -> str:
        """Return ``action_ask_<slot>``."""
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Send the question for this slot."""
        dispatcher.utter_message(text=checkin_text()["questions"][self.slot])
        return []


class ActionAskPegPain(_AskPegQuestion):
    """Ask about average pain in the past week."""

    @property
    def slot(self) -> str:
        """Return the slot this action asks for."""
        return "peg_pain"


class ActionAskPegEnjoyment(_AskPegQuestion):
    """Ask how much pain got in the way of enjoying life."""

    @property
    def slot(self) -> str:
        """Return the slot this action asks for."""
        return "peg_enjoyment"


class ActionAskPegActivity(_AskPegQuestion):
    """Ask how much pain got in the way of daily activities."""

    @property
    def slot(self) -> str:
        """Return the slot this action asks for."""
        return "peg_activity"


class ValidatePegForm(AnswerValidation):
    """Accept one whole number from 0 to 10 for each PEG question."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_peg_form"

    def _validate(self, value: Any, slot: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        score = parse_score(value if isinstance(value, str) else str(value))
        if score is None:
            dispatcher.utter_message(text=checkin_text()["reask"])
        return {slot: score}

    def validate_peg_pain(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Validate the pain answer."""
        return self._validate(value, "peg_pain", dispatcher)

    def validate_peg_enjoyment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Validate the enjoyment answer."""
        return self._validate(value, "peg_enjoyment", dispatcher)

    def validate_peg_activity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Validate the activity answer."""
        return self._validate(value, "peg_activity", dispatcher)


class ActionPegResult(Action):
    """Give the PEG score and how it compares with the last check-in."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_peg_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Send the score and the comparison; remember the score for next time."""
        answers = [tracker.get_slot(slot) for slot in PEG_SLOTS]
        if any(not isinstance(answer, int | float) for answer in answers):
            dispatcher.utter_message(text=checkin_text()["reask"])
            return []
        score = peg_score(*(int(answer) for answer in answers))
        previous = tracker.get_slot("peg_last_score")
        previous_score = float(previous) if isinstance(previous, int | float) else None
        text = checkin_text()
        dispatcher.utter_message(
            text=text["result"].format(score=format_score(score)),
            content_id="checkin_peg.result",
        )
        verdict = compare(previous_score, score)
        previous_text = format_score(previous_score) if previous_score is not None else ""
        dispatcher.utter_message(
            text=text["change"][verdict].format(previous=previous_text),
            buttons=[dict(button) for button in text["buttons"]],
            content_id=f"checkin_peg.change.{verdict}",
        )
        return [SlotSet("peg_last_score", score), *(SlotSet(slot, None) for slot in PEG_SLOTS)]
