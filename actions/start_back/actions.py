"""Actions of the STarT Back questionnaire: offer it once, ask the 9 items, score and tell.

Flow (rules in ``data/stories/start_back.yml``):

- the first greeting: :class:`ActionOfferStartBack` runs between ``utter_greet`` and
  ``utter_offer_help`` and sets ``start_back_offer`` to ``"now"`` for a patient who was
  never offered it and has no result; ``utter_offer_help`` then shows its first-visit
  variant (domain.yml), which adds the questionnaire to the usual options. The next
  greeting sets it to ``"done"``, so it is offered once. Saying no, picking another
  option or typing anything else is declining; a red flag never reaches the greeting
  rule at all.
- ``request_start_back`` ("check my risk", the offer's button):
  :class:`ActionIntroduceStartBack` says what the questions are and credits Keele
  University, then ``start_back_form`` asks items 1-9 (``action_ask_start_back_q<n>``);
  :class:`ValidateStartBackForm` reads each answer (:mod:`.answers`) and asks again
  when it is unclear. A red flag typed mid-form is not an answer (the slots' mappings
  leave red-flag intents out) and the safety policy ends the form; "carry on" resumes it.
- the form done: :class:`ActionScoreStartBack` scores the answers (:mod:`.scoring`),
  saves the result (:mod:`.store`) and tells the patient their group in plain words.

Every word comes from ``content/start_back.yml`` (:mod:`.messages`); SMS replies use
the compact variants, and the answer buttons become lettered options there.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Final

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.action import ReplyAction
from actions.common.channel import is_sms
from actions.common.content import OutgoingMessage
from actions.common.forms import AnswerValidation, AskSlot, SlotValidator
from actions.common.send import send
from actions.start_back.answers import AGREE, DISAGREE, read_agreement, read_bother
from actions.start_back.messages import (
    QUESTION_ITEM,
    error_message,
    get_start_back_content,
    intro_messages,
    question_message,
    reask_message,
    result_messages,
)
from actions.start_back.scoring import BOTHER_OPTIONS, ITEM_COUNT, ScoringError, score
from actions.start_back.store import get_start_back_store

SLOT_PREFIX: Final = "start_back_q"
SLOTS: Final = tuple(f"{SLOT_PREFIX}{number}" for number in range(1, ITEM_COUNT + 1))
# Where the first-visit offer stands: None (never offered), "now" (this greeting shows
# it), "done" (offered before, or the patient has answered).
OFFER_SLOT: Final = "start_back_offer"
OFFER_NOW: Final = "now"
OFFER_DONE: Final = "done"


def item_of(slot: str) -> int:
    """Return the item number (1 to 9) a ``start_back_q<n>`` slot holds the answer to."""
    return int(slot.removeprefix(SLOT_PREFIX))


class ActionOfferStartBack(ReplyAction, action="action_offer_start_back"):
    """Decide whether this greeting offers the questionnaire: once, at the first visit."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Set the offer slot; the menu that follows shows the offer while it is "now"."""
        offer = tracker.get_slot(OFFER_SLOT)
        if offer is None:
            answered = get_start_back_store().has_result(tracker.sender_id)
            return [SlotSet(OFFER_SLOT, OFFER_DONE if answered else OFFER_NOW)]
        if offer != OFFER_DONE:
            return [SlotSet(OFFER_SLOT, OFFER_DONE)]
        return []


class ActionIntroduceStartBack(ReplyAction, action="action_introduce_start_back"):
    """Say what the questions are, credit Keele University, and clear earlier answers."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the introduction; the form asks the first question next."""
        send(dispatcher, *intro_messages(get_start_back_content(), sms=is_sms(tracker)))
        return [SlotSet(OFFER_SLOT, OFFER_DONE), *(SlotSet(slot, None) for slot in SLOTS)]


class AskStartBackItem(AskSlot):
    """Ask one item, numbered, with its answer buttons."""

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return this slot's item as a question."""
        content = get_start_back_content()
        return question_message(content, item_of(self.slot), sms=is_sms(tracker))


class ActionAskStartBackQ1(AskStartBackItem):
    """Ask item 1 (pain down the legs)."""

    slot = "start_back_q1"


class ActionAskStartBackQ2(AskStartBackItem):
    """Ask item 2 (shoulder or neck pain)."""

    slot = "start_back_q2"


class ActionAskStartBackQ3(AskStartBackItem):
    """Ask item 3 (walking only short distances)."""

    slot = "start_back_q3"


class ActionAskStartBackQ4(AskStartBackItem):
    """Ask item 4 (dressing more slowly)."""

    slot = "start_back_q4"


class ActionAskStartBackQ5(AskStartBackItem):
    """Ask item 5 (not safe to be active)."""

    slot = "start_back_q5"


class ActionAskStartBackQ6(AskStartBackItem):
    """Ask item 6 (worrying thoughts)."""

    slot = "start_back_q6"


class ActionAskStartBackQ7(AskStartBackItem):
    """Ask item 7 (pain terrible, never better)."""

    slot = "start_back_q7"


class ActionAskStartBackQ8(AskStartBackItem):
    """Ask item 8 (not enjoying things)."""

    slot = "start_back_q8"


class ActionAskStartBackQ9(AskStartBackItem):
    """Ask item 9 (how bothersome, five answers)."""

    slot = "start_back_q9"


class ValidateStartBackForm(AnswerValidation):
    """Read agree or disagree for items 1-8 and one of five answers for item 9."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_start_back_form"

    def slot_validator(self, slot: str) -> SlotValidator | None:
        """Return the same check for every item's slot."""
        return partial(validate_answer, slot) if slot in SLOTS else None


def validate_answer(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """Accept a clear answer for ``slot``; say so and ask again otherwise.

    A form that starts again ("carry on" after a red flag) validates the answers it
    kept, which are already numbers: those stand as they are.
    """
    number = item_of(slot)
    valid = range(BOTHER_OPTIONS) if number == QUESTION_ITEM else (DISAGREE, AGREE)
    if isinstance(value, int | float) and not isinstance(value, bool):
        answer: int | None = int(value) if value in valid else None
    else:
        text = value if isinstance(value, str) else str(value)
        answer = read_bother(text) if number == QUESTION_ITEM else read_agreement(text)
    if answer is None:
        send(dispatcher, reask_message(get_start_back_content(), number))
    return {slot: answer}


class ActionScoreStartBack(ReplyAction, action="action_score_start_back"):
    """Score the answers, save the result and tell the patient their group."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the group in plain words; clear the answers (the result is kept)."""
        content = get_start_back_content()
        clear = [SlotSet(slot, None) for slot in SLOTS]
        answers = [tracker.get_slot(slot) for slot in SLOTS]
        try:
            result = score([int(a) if isinstance(a, int | float) else -1 for a in answers])
        except ScoringError:
            send(dispatcher, error_message(content))
            return clear
        get_start_back_store().save(tracker.sender_id, result)
        send(dispatcher, *result_messages(content, result.group, sms=is_sms(tracker)))
        return clear
