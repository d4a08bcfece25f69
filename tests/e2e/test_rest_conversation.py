"""End to end over the REST channel: real Rasa server, real action server, SQL store."""

from __future__ import annotations

import json
import time

import pytest

from bot.channels.guard import ESCAPE
from tests.conftest import own_stack, responses, say_to, stored

pytestmark = pytest.mark.e2e

EMERGENCY = "utter_urgent_care_emergency"


def texts(messages):
    return [m.get("text", "") for m in messages]


def tracker_rows(db_path, sender):
    return stored(db_path, "events", "type_name, intent_name, action_name, data", sender)


def alerts(db_path, sender):
    return stored(db_path, "care_team_outbox", "kind, tier, flag_ids, channel, message", sender)


def test_greeting_has_disclaimer_with_configured_number(rest_say, sender):
    replies = rest_say(sender, "hello")
    assert "not medical advice" in replies[0]["text"]
    assert "999" in replies[0]["text"]
    assert any(m.get("buttons") for m in replies)


def test_conversation_is_stored_in_the_sql_tracker_store(stack, rest_say, sender):
    rest_say(sender, "hi there")
    rest_say(sender, "bye")
    rows = tracker_rows(stack.database_path, sender)
    user_intents = [intent for kind, intent, _, _ in rows if kind == "user"]
    actions = [action for kind, _, action, _ in rows if kind == "action"]
    assert user_intents == ["greet", "goodbye"]
    assert "utter_greet" in actions and "utter_goodbye" in actions


def test_red_flag_gets_urgent_message_and_a_durable_alert(stack, rest_say, sender):
    replies = rest_say(sender, "hi. since yesterday I cant feel my bum and I wet myself")
    assert responses(replies) == [EMERGENCY, "utter_urgent_care_check"]
    [(kind, tier, flag_ids, channel, message)] = alerts(stack.database_path, sender)
    assert (kind, tier, channel) == ("red_flag", "emergency", "rest")
    assert "cauda_equina" in flag_ids
    assert "wet myself" in message


def test_a_relatives_red_flag_gets_the_advice_for_them_and_an_alert(stack, rest_say, sender):
    replies = rest_say(sender, "Dad's 79, he's had a temperature and chills since lunchtime")
    assert responses(replies) == ["utter_urgent_care_same_day", "utter_urgent_care_someone_else"]
    assert "writing about someone else" in texts(replies)[-1]
    [(kind, tier, flag_ids, _, _)] = alerts(stack.database_path, sender)
    assert (kind, tier) == ("red_flag", "urgent") and "fever_infection" in flag_ids


def test_emergency_holds_the_conversation_until_help_is_confirmed(rest_say, sender):
    rest_say(sender, "my legs are getting weaker and weaker")
    assert responses(rest_say(sender, "how should I sleep?")) == ["utter_urgent_care_hold"]
    # "ok" is not "I'm getting help"; the hold says it again, in other words.
    assert responses(rest_say(sender, "ok")) == ["utter_urgent_care_hold_again"]
    released = rest_say(sender, "yes I'm getting help")
    assert responses(released) == ["utter_urgent_care_confirmed"]


def test_symptom_check_stops_at_the_first_emergency_yes(stack, rest_say, sender):
    replies = rest_say(sender, "is my back pain something to worry about?")
    assert any(m.get("buttons") for m in replies)
    rest_say(sender, "/deny")  # button payload the bot offered: accepted as a command
    replies = rest_say(sender, "/affirm")
    assert responses(replies)[0] == EMERGENCY
    [(_, tier, flag_ids, _, message)] = alerts(stack.database_path, sender)
    assert tier == "emergency"
    assert "cauda_equina_bladder" in flag_ids
    assert message == "Yes"  # the button's title, not "/affirm"


def test_typed_command_is_escaped_and_still_checked(stack, rest_say, sender):
    replies = rest_say(sender, '/affirm{"screening": "full"} I wet myself')
    assert responses(replies)[0] == EMERGENCY
    rows = tracker_rows(stack.database_path, sender)
    [user_event] = [json.loads(data) for kind, _, _, data in rows if kind == "user"]
    assert user_event["text"].startswith(ESCAPE)
    assert user_event["parse_data"]["intent"]["name"] == "red_flag_emergency"


def test_typed_red_flag_intent_cannot_be_forged(stack, rest_say, sender):
    rest_say(sender, "/red_flag_emergency")
    assert alerts(stack.database_path, sender) == []


@pytest.mark.parametrize(
    "text",
    ["", " ", "😀😀😀", "<script>alert(1)</script>", "x" * 10000, "背中が痛い", "/", "{}"],
)
def test_bad_input_gets_a_safe_answer(rest_say, sender, text):
    replies = rest_say(sender, text)
    assert replies, "every message gets an answer"
    assert all("<script>" not in t for t in texts(replies))


def test_action_server_down_still_gives_urgent_care_and_the_alert(e2e_dir):
    with own_stack(e2e_dir, "no-actions", with_actions=False) as stack:
        db = stack.database_path
        say = say_to(stack)
        started = time.monotonic()
        replies = say("down-1", "I fell off a ladder and now I cant move my legs")
        assert responses(replies)[0] == "utter_urgent_care_emergency_trauma"
        assert time.monotonic() - started < 30
        assert len(alerts(db, "down-1")) == 1
        replies = say("down-2", "check my symptoms")
        say("down-2", "/deny")
        replies = say("down-2", "/affirm")
        assert responses(replies)[0] == EMERGENCY
        assert len(alerts(db, "down-2")) == 1
        # An ordinary question needs the action server: the patient is told, not ignored.
        replies = say("down-3", "why does my back hurt?")
        assert responses(replies) == ["utter_turn_fallback"]
        assert say("down-3", "I can't feel my bum")[0]["response"] == EMERGENCY
