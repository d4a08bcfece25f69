from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    UserUttered,
)

from bot.policies.safety_plan import FlagInfo
from bot.runtime.alerts import alert_drafts, shown_text

FLAGS = {
    "cauda_equina_bladder": FlagInfo("emergency", "utter_urgent_care_emergency"),
    "fever_infection": FlagInfo("urgent", "utter_urgent_care_same_day"),
}


def user(text, intent="ask_sleep", flags=(), channel="rest", message_id=None):
    entities = [{"entity": "red_flag", "value": f, "role": t} for f, t in flags]
    return UserUttered(
        text,
        {"name": intent, "confidence": 1.0},
        entities,
        input_channel=channel,
        message_id=message_id or text,
    )


def test_a_red_flag_message_gives_one_alert_with_its_words():
    events = [
        SessionStarted(),
        ActionExecuted("action_listen"),
        user("I wet myself", "red_flag_emergency", [("cauda_equina_bladder", "emergency")], "twilio"),
    ]
    [draft] = alert_drafts("p1", events, 0, FLAGS)
    assert (draft.tier, draft.flag_ids, draft.channel) == ("emergency", ["cauda_equina_bladder"], "twilio")
    assert draft.message == "I wet myself"
    assert draft.priority == 0
    assert draft.key


def test_only_new_messages_raise_alerts():
    events = [
        user("I wet myself", "red_flag_emergency", [("cauda_equina_bladder", "emergency")]),
        ActionExecuted("utter_urgent_care_emergency"),
        user("thanks", "thank"),
    ]
    assert alert_drafts("p1", events, 1, FLAGS) == []
    assert len(alert_drafts("p1", events, 0, FLAGS)) == 1


def test_ordinary_messages_raise_nothing():
    events = [user("how do I sleep better"), ActionExecuted("action_explain_topic")]
    assert alert_drafts("p1", events, 0, FLAGS) == []


def test_yes_to_a_screening_question_records_the_question_and_the_answer():
    question = "Do you have a fever, chills or sweats, or feel very unwell?"
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    events = [
        ActionExecuted("utter_ask_screen_fever_infection"),
        BotUttered(question, {"buttons": buttons}),
        ActionExecuted("action_listen"),
        user("/affirm", "affirm"),
    ]
    [draft] = alert_drafts("p1", events, 3, FLAGS)
    assert draft.question == question
    assert draft.message == "Yes"
    assert (draft.tier, draft.flag_ids) == ("urgent", ["fever_infection"])


def test_keys_differ_per_message_and_repeat_for_the_same_message():
    flagged = [("fever_infection", "urgent")]
    one = [user("fever", "red_flag_urgent", flagged, message_id="m1")]
    two = [user("fever", "red_flag_urgent", flagged, message_id="m2")]
    assert alert_drafts("p1", one, 0, FLAGS)[0].key == alert_drafts("p1", one, 0, FLAGS)[0].key
    assert alert_drafts("p1", one, 0, FLAGS)[0].key != alert_drafts("p1", two, 0, FLAGS)[0].key


def test_a_red_flag_mid_form_is_still_an_alert():
    events = [
        ActiveLoop("pacing_form"),
        ActionExecuted("action_listen"),
        user("I've got a fever", "red_flag_urgent", [("fever_infection", "urgent")]),
    ]
    assert len(alert_drafts("p1", events, 0, FLAGS)) == 1


def test_shown_text_maps_a_payload_to_its_title():
    buttons = [{"title": "Yes", "payload": "/affirm"}]
    assert shown_text("/affirm", buttons) == "Yes"
    assert shown_text("yes", buttons) == "yes"
