"""The base class of the action server's form validators.

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
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker, utils
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)


class AnswerValidation(FormValidationAction, ABC):
    """A form validator that validates answers only, never slots that were just cleared.

    Abstract, so that the action server does not register this base class itself.
    """

    @abstractmethod
    def name(self) -> str:
        """Return the validator's name, ``validate_<form>``."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Call ``validate_<slot>`` for each slot the patient just filled with a value."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        slots: dict[str, Any] = {
            name: value for name, value in tracker.slots_to_validate().items() if name in required
        }
        for name, value in list(slots.items()):
            if value is None:
                continue
            method = getattr(self, f"validate_{name.replace('-', '_')}", None)
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
