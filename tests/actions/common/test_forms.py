"""The form bases: AskSlot names itself after its slot; AnswerValidation skips cleared slots."""

import asyncio

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common.content import OutgoingMessage
from actions.common.forms import AnswerValidation, AskSlot

from ..dispatch import make_tracker, run

DOMAIN = {"forms": {"test_form": {"required_slots": ["colour", "size"]}}}


class ActionAskColour(AskSlot):
    """Ask for the colour, for the test."""

    slot = "colour"

    def question(self, tracker):
        return OutgoingMessage("Which colour?", "test.ask.colour")


class ValidateTestForm(AnswerValidation):
    """Upper-case every answer, for the test."""

    def name(self):
        return "validate_test_form"

    def validate_colour(self, value, dispatcher, tracker, domain):
        return {"colour": value.upper()}


def test_ask_slot_is_named_after_its_slot_and_sends_the_question():
    assert ActionAskColour().name() == "action_ask_colour"
    events, messages = run(ActionAskColour(), make_tracker())
    assert events == []
    assert [m["content_id"] for m in messages] == ["test.ask.colour"]


def validate(slots, events):
    tracker = make_tracker(slots=slots, active_loop={"name": "test_form"}, extra_events=events)
    return asyncio.run(ValidateTestForm().run(CollectingDispatcher(), tracker, DOMAIN))


def test_an_answer_is_validated():
    answered = [{"event": "slot", "name": "colour", "value": "red"}]
    assert SlotSet("colour", "RED") in validate({"colour": "red"}, answered)


def test_a_cleared_slot_is_not_an_answer():
    cleared = [{"event": "slot", "name": "colour", "value": None}]
    assert SlotSet("colour", None) in validate({"colour": None}, cleared)


def test_a_slot_without_a_validator_is_kept_as_given():
    form = ValidateTestForm()
    assert form.slot_validator("size") is None
    assert form.slot_validator("colour") == form.validate_colour
