"""The STarT Back actions: the one-time offer, the intro with Keele's credit, the 9 items,
reading answers, and the result saved and told in plain words."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.start_back.actions import (
    OFFER_SLOT,
    SLOTS,
    ActionAskStartBackQ1,
    ActionAskStartBackQ5,
    ActionAskStartBackQ9,
    ActionIntroduceStartBack,
    ActionOfferStartBack,
    ActionScoreStartBack,
    ValidateStartBackForm,
)
from actions.start_back.scoring import score
from tests.actions.dispatch import content_ids, make_tracker, payloads, run

SENDER = "patient-1"


def answers(*values):
    return dict(zip(SLOTS, values, strict=True))


@pytest.mark.parametrize(
    ("before", "answered", "after"),
    [(None, False, "now"), (None, True, "done"), ("now", False, "done"), ("done", False, None)],
)
def test_the_offer_is_made_once_and_never_to_someone_who_answered(
    start_back_store, before, answered, after
):
    if answered:
        start_back_store.save(SENDER, score((0,) * 9))
    events, messages = run(ActionOfferStartBack(), make_tracker("hello", {OFFER_SLOT: before}))
    assert messages == []  # the menu that follows says it
    assert events == ([SlotSet(OFFER_SLOT, after)] if after else [])


def test_the_intro_credits_keele_and_clears_earlier_answers():
    events, messages = run(ActionIntroduceStartBack(), make_tracker("check my risk"))
    assert content_ids(messages) == ["start_back.intro", "start_back.intro.credit"]
    assert "Keele University" in messages[1]["text"]
    assert events == [SlotSet(OFFER_SLOT, "done"), *(SlotSet(slot, None) for slot in SLOTS)]


def test_the_sms_intro_is_the_short_one_and_still_credits_keele():
    _, messages = run(ActionIntroduceStartBack(), make_tracker("check my risk", channel="twilio"))
    assert "Text cancel to stop" in messages[0]["text"]
    assert "Keele University" in messages[1]["text"]


def test_items_are_asked_word_for_word_with_agree_and_disagree():
    action = ActionAskStartBackQ1()
    assert action.name() == "action_ask_start_back_q1"
    _, (message,) = run(action, make_tracker())
    assert message["content_id"] == "start_back.items.0"
    assert (
        '"My back pain has spread down my leg(s) at some time in the last 2 weeks"'
        in message["text"]
    )
    assert message["text"].startswith("Question 1 of 9")
    assert payloads(message) == ["agree", "disagree"]
    _, (five,) = run(ActionAskStartBackQ5(), make_tracker(channel="twilio"))
    assert five["text"].startswith("5 of 9: ")
    assert "It's not really safe for a person with a condition like mine" in five["text"]


def test_item_9_offers_its_five_answers():
    _, (message,) = run(ActionAskStartBackQ9(), make_tracker())
    assert message["content_id"] == "start_back.items.8"
    assert message["text"].endswith(
        "Overall, how bothersome has your back pain been in the last 2 weeks?"
    )
    assert [b["title"] for b in message["buttons"]] == [
        "Not at all",
        "Slightly",
        "Moderately",
        "Very much",
        "Extremely",
    ]


@pytest.mark.parametrize(
    ("slot", "text", "value", "reask"),
    [
        ("start_back_q1", "agree", 1, None),
        ("start_back_q4", "No", 0, None),
        ("start_back_q8", "maybe", None, "start_back.reask.statement"),
        ("start_back_q9", "very much", 3, None),
        ("start_back_q9", "2", 1, None),
        ("start_back_q9", "agree", None, "start_back.reask.question"),
        # Answers kept across a red flag are validated again when the form resumes.
        ("start_back_q2", 0, 0, None),
        ("start_back_q3", 1.0, 1, None),
        ("start_back_q9", 4, 4, None),
        ("start_back_q5", 3, None, "start_back.reask.statement"),
        ("start_back_q9", 5, None, "start_back.reask.question"),
    ],
)
def test_answers_are_read_and_unclear_ones_asked_again(slot, text, value, reask):
    form = ValidateStartBackForm()
    assert form.name() == "validate_start_back_form"
    dispatcher = CollectingDispatcher()
    validate = form.slot_validator(slot)
    assert validate(text, dispatcher, make_tracker(text), {}) == {slot: value}
    assert content_ids(dispatcher.messages) == ([reask] if reask else [])
    assert form.slot_validator("requested_slot") is None


@pytest.mark.parametrize(
    ("values", "group"),
    [
        ((0, 0, 1, 0, 0, 0, 0, 0, 1), "low"),
        ((1, 1, 1, 0, 0, 1, 0, 0, 3), "medium"),
        ((1, 0, 1, 0, 1, 1, 1, 1, 2), "high"),
    ],
)
def test_the_result_is_saved_and_told_in_plain_words(start_back_store, values, group):
    events, messages = run(ActionScoreStartBack(), make_tracker("extremely", answers(*values)))
    assert content_ids(messages) == [f"start_back.result.{group}", "start_back.result.saved"]
    assert payloads(messages[-1]) == ["/show_menu"]
    assert events == [SlotSet(slot, None) for slot in SLOTS]
    (stored,) = start_back_store.results(SENDER)
    assert stored.result == score(values)
    assert stored.result.group == group


def test_the_sms_result_is_the_short_variant(start_back_store):
    _, messages = run(
        ActionScoreStartBack(), make_tracker("1", answers(*(0,) * 9), channel="twilio")
    )
    assert messages[0]["content_id"] == "start_back.result.low"
    assert len(messages[0]["text"]) <= 306


def test_missing_answers_are_not_scored_or_saved(start_back_store):
    values = answers(1, 0, 1, 1, 0, None, 0, 0, 3)
    events, messages = run(ActionScoreStartBack(), make_tracker("x", values))
    assert content_ids(messages) == ["start_back.result.error"]
    assert payloads(messages[0]) == ["/request_start_back", "/show_menu"]
    assert start_back_store.results(SENDER) == []
    assert events == [SlotSet(slot, None) for slot in SLOTS]
