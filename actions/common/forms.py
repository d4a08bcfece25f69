"""The base classes of the action server's forms: asking for a slot, validating answers.

Rasa runs ``action_ask_<slot>`` when a form needs a slot. :class:`AskSlot` names
itself after its slot and sends the question its subclass builds from content::

    class ActionAskPacingUnit(AskPacingSlot):  # AskPacingSlot(AskSlot) builds the question
        slot = "pacing_unit"

rasa-sdk validates every slot set since the patient's last message. Actions that
start a form clear its slots first (``SlotSet(slot, None)``), and rasa-sdk would then
"validate" those cleared slots as if the patient had answered with nothing: the pacing
form said "Sorry, I didn't get that" six times before its first question, and the
teach-back check thanked the patient for an answer they had not given yet. A cleared
slot is not an answer, so :class:`AnswerValidation` skips it::

    class ValidatePacingForm(AnswerValidation):
        def name(self) -> str:
            return "validate_pacing_form"

        def validate_pacing_activity(self, value, dispatcher, tracker, domain):
            ...

A form whose slots are all checked the same way overrides :meth:`slot_validator`
instead of writing one ``validate_<slot>`` method per slot.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import FormValidationAction, Tracker, utils
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.action import ReplyAction
from actions.common.content import OutgoingMessage
from actions.common.send import send

logger = logging.getLogger(__name__)

# validate_<slot>(value, dispatcher, tracker, domain) -> {slot: checked value, ...}
SlotValidator = Callable[[Any, CollectingDispatcher, Tracker, DomainDict], Any]


class AskSlot(ReplyAction):
    """Ask for one slot of a form; subclasses name the slot and build the question.

    Abstract until a subclass sets ``slot``, so that the action server does not
    register the base classes themselves.
    """

    @property
    @abstractmethod
    def slot(self) -> str:
        """Return the slot this action asks for."""

    def name(self) -> str:
        """Return ``action_ask_<slot>``, the name Rasa calls."""
        return f"action_ask_{self.slot}"

    @abstractmethod
    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the question to send for this slot."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the question."""
        send(dispatcher, self.question(tracker))
        return []


class AnswerValidation(FormValidationAction, ABC):
    """A form validator that validates answers only, never slots that were just cleared.

    Abstract, so that the action server does not register this base class itself.
    """

    @abstractmethod
    def name(self) -> str:
        """Return the validator's name, ``validate_<form>``."""

    def slot_validator(self, slot: str) -> SlotValidator | None:
        """Return what validates ``slot``: its ``validate_<slot>`` method, if any."""
        validator: SlotValidator | None = getattr(self, f"validate_{slot.replace('-', '_')}", None)
        return validator

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate each slot the patient just filled with a value."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        slots: dict[str, Any] = {
            name: value for name, value in tracker.slots_to_validate().items() if name in required
        }
        for name, value in list(slots.items()):
            if value is None:
                continue
            method = self.slot_validator(name)
            if method is None:
                continue
            output = await utils.call_potential_coroutine(
                method(value, dispatcher, tracker, domain)
            )
            if isinstance(output, dict):
                slots.update(output)
                tracker.slots.update(output)
            else:
                logger.warning("validate_%s returned %r, not a dict", name, type(output))
        return [SlotSet(name, value) for name, value in slots.items()]
