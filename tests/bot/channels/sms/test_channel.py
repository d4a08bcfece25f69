import asyncio
import logging

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.care_team import (
    OPTED_OUT,
    TEXT_FAILED,
    CareTeamDeliveryError,
    care_team_metadata,
)
from bot.channels.guard import ESCAPE
from bot.channels.sms.channel import CHANNEL_NAME, TwilioSmsInput, form_fields
from bot.channels.sms.segments import segment_count
from bot.channels.words import channel_words, fill
from bot.settings import SettingsError, load_settings
from tests.bot.channels.buttons import YES_NO
from tests.fakes.twilio_api import FakeTwilio

SID, TOKEN, FROM = "AC" + "0" * 32, "test-auth-token-1234", "+15005550006"
PATIENT = "+447700900123"
PUBLIC = "https://bot.example.org"
WEBHOOK = PUBLIC + "/webhooks/twilio/webhook"
WORDS = channel_words()
THREE = [
    {"title": "Walking", "payload": "walking"},
    {"title": "Sitting", "payload": "sitting"},
    {"title": "Standing", "payload": "standing"},
]


@pytest.fixture
def api():
    with FakeTwilio(SID, TOKEN) as fake:
        yield fake


@pytest.fixture
def channel(tmp_path, api):
    return TwilioSmsInput(
        account_sid=SID,
        auth_token=TOKEN,
        from_number=FROM,
        public_url=PUBLIC + "/",
        api_base=api.base_url,
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        emergency_number="999",
    )


class _Event:
    def __init__(self, data):
        self.data = data
        self.action_name = data.get("name") if data.get("event") == "action" else None

    def as_dict(self):
        return self.data


class _Bot:
    """Stands in for Rasa: records what it was told, answers with scripted messages."""

    def __init__(self, replies=None, fail=False):
        self.received = []
        self.replies = replies if replies is not None else [{"text": "Hello."}]
        self.fail = fail
        self.events = []
        self.active_loop_name = None
        self.paused = False
        self.tracker_store = self

    async def retrieve(self, sender_id):
        paused = self.paused
        return type(
            "T",
            (),
            {
                "events": [_Event(e) for e in self.events],
                "active_loop_name": self.active_loop_name,
                "is_paused": lambda self: paused,
            },
        )()

    async def __call__(self, message):
        self.received.append(message)
        assert message.input_channel == CHANNEL_NAME
        assert message.output_channel.name() == CHANNEL_NAME
        if self.fail:
            raise RuntimeError("the assistant broke")
        self.events.append({"event": "user", "text": message.text})
        for reply in self.replies:
            self.events.append({"event": "bot", "data": {"buttons": reply.get("buttons")}})
            await message.output_channel.send_response(message.sender_id, dict(reply))


def run(channel, bot, body, sender=PATIENT):
    asyncio.run(channel.handle(sender, body, bot, bot))


def test_a_message_is_answered_in_one_text_with_lettered_options(channel, api):
    bot = _Bot([{"text": "Hi."}, {"text": "Which one?", "buttons": THREE}])
    run(channel, bot, "hello")
    assert bot.received[0].text == "hello"
    assert api.bodies_to(PATIENT) == [
        "Hi.\n\nWhich one?\nReply A for Walking, B for Sitting, C for Standing."
    ]
    assert api.sent[0]["From"] == FROM


def test_a_lettered_reply_sends_the_offered_payload(channel, api):
    bot = _Bot([{"text": "Which one?", "buttons": THREE}])
    run(channel, bot, "hello")
    run(channel, bot, "b")
    assert bot.received[1].text == "sitting"


def test_a_number_is_an_answer_even_when_options_are_offered(channel, api):
    bot = _Bot([{"text": "On a bad day, how many minutes?", "buttons": [{"title": "I can't do any", "payload": "none"}]}])
    run(channel, bot, "hello")
    run(channel, bot, "1")
    assert bot.received[1].text == "1"


def test_a_letter_that_was_not_offered_repeats_the_options_and_keeps_them(channel, api):
    bot = _Bot([{"text": "Which one?", "buttons": THREE}])
    run(channel, bot, "hello")
    run(channel, bot, "G")
    assert len(bot.received) == 1
    assert api.bodies_to(PATIENT)[-1] == (
        WORDS.sms["invalid_choice"] + "\nReply A for Walking, B for Sitting, C for Standing."
    )
    run(channel, bot, "A")
    assert bot.received[1].text == "walking"


def test_yes_or_no_answers_a_yes_no_question(channel, api):
    bot = _Bot([{"text": "Do you have a fever?", "buttons": YES_NO}])
    run(channel, bot, "hello")
    assert api.bodies_to(PATIENT) == ["Do you have a fever?\nReply YES or NO."]
    run(channel, bot, "n")
    assert bot.received[1].text == "/deny"


def test_a_long_answer_is_one_text_and_more_sends_the_rest(channel, api):
    long = "Pacing means doing about the same each day. " * 20
    bot = _Bot([{"text": long}, {"text": "Anything else?", "buttons": YES_NO}])
    run(channel, bot, "tell me about pacing")
    first = api.bodies_to(PATIENT)
    assert len(first) == 1 and WORDS.sms["more"] in first[0]
    while channel.store.pending_pages(PATIENT):
        run(channel, bot, "MORE")
    texts = api.bodies_to(PATIENT)
    assert 3 <= len(texts) <= 6
    assert texts[-1].endswith("Anything else?\nReply YES or NO.")
    assert " ".join(texts).count("Pacing means") == 20
    assert all(segment_count(text) <= 2 for text in texts)
    assert len(bot.received) == 1
    # The options of the question were kept all along: "yes" still answers it.
    run(channel, bot, "yes")
    assert bot.received[1].text == "/affirm"


def test_urgent_advice_is_never_held_back_behind_more(channel, api):
    advice = "What you describe can be serious. Please call 999 now or go to A&E. " * 5
    bot = _Bot([
        {"text": advice, "utter_action": "utter_urgent_care_emergency"},
        {"text": "Are you getting help now?", "buttons": YES_NO, "utter_action": "utter_urgent_care_check"},
    ])
    run(channel, bot, "I can't feel my legs")
    texts = api.bodies_to(PATIENT)
    assert WORDS.sms["more"] not in " ".join(texts)
    assert " ".join(texts).count("call 999 now") == 5
    assert texts[-1].endswith("Reply YES or NO.")
    assert channel.store.pending_pages(PATIENT) == []


def test_cancel_in_the_middle_of_questions_stops_the_questions_not_the_texts(channel, api):
    bot = _Bot([{"text": "OK, I've stopped those questions."}])
    bot.active_loop_name = "pacing_form"
    run(channel, bot, "cancel")
    assert [m.text for m in bot.received] == ["cancel"]
    assert not channel.store.is_opted_out(PATIENT)
    assert api.bodies_to(PATIENT)[-1].endswith(WORDS.sms["cancel_hint"])


def test_cancel_during_the_symptom_check_stops_the_check(channel, api):
    bot = _Bot([{"text": "Stopped."}])
    bot.events = [{"event": "action", "name": "utter_ask_screen_fever_infection"}]
    run(channel, bot, "END")
    assert not channel.store.is_opted_out(PATIENT)


def test_cancel_outside_questions_opts_out_as_carriers_expect(channel, api):
    bot = _Bot()
    run(channel, bot, "cancel")
    assert channel.store.is_opted_out(PATIENT)
    assert bot.received == []


def test_help_is_answered_even_after_stop(channel, api):
    bot = _Bot()
    run(channel, bot, "STOP")
    run(channel, bot, "HELP")
    assert api.bodies_to(PATIENT)[-1] == fill(WORDS.sms["help"], {"emergency_number": "999"})


def test_typed_commands_are_escaped(channel, api):
    bot = _Bot([{"text": "What now?", "buttons": YES_NO}])
    run(channel, bot, "/red_flag_soon")
    assert bot.received[0].text == ESCAPE + "/red_flag_soon"


def test_a_number_without_an_offer_is_plain_text(channel, api):
    bot = _Bot([{"text": "Ok."}])
    run(channel, bot, "7")
    assert bot.received[0].text == "7"


def test_stop_opts_out_and_nothing_is_sent_afterwards(channel, api):
    bot = _Bot([{"text": "Hello."}])
    run(channel, bot, "STOP")
    stop_reply = fill(WORDS.sms["stop"], {"emergency_number": "999"})
    assert api.bodies_to(PATIENT) == [stop_reply]
    assert channel.store.is_opted_out(PATIENT)
    run(channel, bot, "stop")  # no second confirmation
    run(channel, bot, "I can't feel my legs")  # still read: a red flag alerts the team
    assert len(bot.received) == 1
    assert api.bodies_to(PATIENT) == [stop_reply]
    assert api.requests == 1


def test_start_opts_back_in(channel, api):
    bot = _Bot([{"text": "Hello."}])
    run(channel, bot, "unsubscribe")
    run(channel, bot, "START")
    run(channel, bot, "hi")
    bodies = api.bodies_to(PATIENT)
    assert bodies[1] == fill(WORDS.sms["start"], {"emergency_number": "999"})
    assert bodies[2] == "Hello."
    assert not channel.store.is_opted_out(PATIENT)


def test_help_explains_the_service_and_the_emergency_number(channel, api):
    bot = _Bot()
    run(channel, bot, "help")
    (body,) = api.bodies_to(PATIENT)
    assert body == fill(WORDS.sms["help"], {"emergency_number": "999"})
    assert "999" in body
    assert bot.received == []


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_message_is_ignored(channel, api, body):
    bot = _Bot()
    run(channel, bot, body)
    assert bot.received == []
    assert api.sent == []


@pytest.mark.parametrize(
    "body", ["x" * 10_000, "😀🙏 my back 💥" * 50, "у меня болит спина", "腰が痛い", "ألم الظهر"]
)
def test_long_emoji_and_non_latin_messages_survive(channel, api, body):
    bot = _Bot([{"text": body}])
    run(channel, bot, body)
    assert len(bot.received[0].text) <= 1600
    (sent,) = api.bodies_to(PATIENT)
    assert sent and segment_count(sent) <= 2


def test_a_send_failure_is_logged_masked_and_not_raised(channel, api, caplog):
    api.fail_with = 400
    bot = _Bot([{"text": "Hello."}])
    with caplog.at_level(logging.INFO, logger="bot.channels.sms.sender"):
        run(channel, bot, "hello")
    assert api.requests == 1
    assert "+44*******123" in caplog.text
    assert PATIENT not in caplog.text


def test_an_assistant_failure_sends_nothing_and_does_not_raise(channel, api):
    bot = _Bot(fail=True)
    run(channel, bot, "hello")
    assert api.sent == []


def test_signatures_are_checked_against_the_public_url(channel):
    params = {"From": PATIENT, "Body": "hello", "To": FROM}
    good = RequestValidator(TOKEN).compute_signature(WEBHOOK, params)
    assert channel.is_signed(WEBHOOK, params, good)
    assert not channel.is_signed(WEBHOOK, params, "")
    assert not channel.is_signed(WEBHOOK, {**params, "Body": "changed"}, good)
    wrong_key = RequestValidator("another-token").compute_signature(WEBHOOK, params)
    assert not channel.is_signed(WEBHOOK, params, wrong_key)
    other_url = RequestValidator(TOKEN).compute_signature("https://evil.example/x", params)
    assert not channel.is_signed(WEBHOOK, params, other_url)


@pytest.mark.parametrize("token", ["", "changeme", "placeholder"])
def test_the_channel_refuses_to_start_without_a_real_auth_token(monkeypatch, token):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", SID)
    monkeypatch.setenv("TWILIO_FROM_NUMBER", FROM)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", token)
    monkeypatch.setattr("bot.channels.sms.channel.get_settings", load_settings)
    with pytest.raises(SettingsError):
        TwilioSmsInput.from_credentials({})


def test_the_channel_starts_from_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", SID)
    monkeypatch.setenv("TWILIO_FROM_NUMBER", FROM)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setattr("bot.channels.sms.channel.get_settings", load_settings)
    channel = TwilioSmsInput.from_credentials({})
    assert channel.name() == "twilio"
    assert not (tmp_path / "x.db").exists()


def test_messages_outside_a_turn_are_sent_at_once(channel, api):
    output = channel.get_output_channel()
    asyncio.run(output.send_response(PATIENT, {"text": "Time to check in?", "buttons": YES_NO}))
    assert api.bodies_to(PATIENT) == ["Time to check in?\nReply YES or NO."]
    assert channel.store.offered_buttons(PATIENT) == YES_NO


def test_blank_fields_are_kept_for_the_signature(channel):
    raw = b"From=%2B447700900123&To=%2B15005550006&Body=&NumMedia=1"
    form = form_fields("application/x-www-form-urlencoded; charset=utf-8", raw)
    assert form.first("Body") == ""
    assert form.first("From") == PATIENT
    params = {"From": PATIENT, "To": FROM, "Body": "", "NumMedia": "1"}
    signature = RequestValidator(TOKEN).compute_signature(WEBHOOK, params)
    assert channel.is_signed(WEBHOOK, form, signature)
    assert form_fields("application/json", b'{"From": "x"}').first("From") == ""


def care_team_message(text):
    return {"text": text, **care_team_metadata("nurse_kim")}


def test_a_care_team_message_is_sent_whole_and_labelled(channel, api):
    output = channel.get_output_channel()
    asyncio.run(output.send_response(PATIENT, care_team_message("Hello, it's Kim. How are you?")))
    assert api.bodies_to(PATIENT) == [WORDS.sms["care_team"] + "\nHello, it's Kim. How are you?"]


def test_a_long_care_team_message_takes_several_texts_and_loses_nothing(channel, api):
    long = "Please rest today and take your painkillers as prescribed. " * 12
    output = channel.get_output_channel()
    asyncio.run(output.send_response(PATIENT, care_team_message(long)))
    texts = api.bodies_to(PATIENT)
    assert len(texts) > 1
    assert all(text.startswith(WORDS.sms["care_team"] + "\n") for text in texts)
    assert all(segment_count(text) <= 3 for text in texts)
    assert " ".join(texts).count("take your painkillers") == 12
    assert WORDS.sms["more"] not in " ".join(texts)


def test_a_care_team_message_withdraws_the_options_and_pages_left_waiting(channel, api):
    long = "Pacing means doing about the same each day. " * 20
    bot = _Bot([{"text": long}, {"text": "Which one?", "buttons": THREE}])
    run(channel, bot, "tell me about pacing")
    assert channel.store.pending_pages(PATIENT) and channel.store.offered_buttons(PATIENT)
    asyncio.run(channel.get_output_channel().send_response(PATIENT, care_team_message("Hi.")))
    assert channel.store.pending_pages(PATIENT) == []
    assert channel.store.offered_buttons(PATIENT) == []


def test_a_care_team_message_to_an_opted_out_number_raises_and_sends_nothing(channel, api):
    channel.store.set_opted_out(PATIENT, True)
    output = channel.get_output_channel()
    with pytest.raises(CareTeamDeliveryError) as raised:
        asyncio.run(output.send_response(PATIENT, care_team_message("Hello.")))
    assert raised.value.reason == OPTED_OUT
    assert api.requests == 0


def test_a_care_team_message_twilio_refuses_raises(channel, api):
    api.fail_with = 500
    output = channel.get_output_channel()
    with pytest.raises(CareTeamDeliveryError) as raised:
        asyncio.run(output.send_response(PATIENT, care_team_message("Hello.")))
    assert raised.value.reason == TEXT_FAILED


def test_while_a_clinician_holds_the_conversation_letters_and_more_are_words(channel, api):
    long = "Pacing means doing about the same each day. " * 20
    bot = _Bot([{"text": long}, {"text": "Which one?", "buttons": THREE}])
    run(channel, bot, "tell me about pacing")
    sent = len(api.bodies_to(PATIENT))
    bot.paused = True
    bot.replies = []  # the assistant is silent while paused
    run(channel, bot, "B")
    run(channel, bot, "G")
    run(channel, bot, "MORE")
    assert [m.text for m in bot.received[1:]] == ["B", "G", "MORE"]
    assert len(api.bodies_to(PATIENT)) == sent  # no page, no "not one of the options"
    # STOP, START and HELP keep their meaning.
    run(channel, bot, "HELP")
    assert "STOP" in api.bodies_to(PATIENT)[-1]


def test_stop_turns_the_patients_reminders_off_and_start_does_not_bring_them_back(channel, api):
    from datetime import datetime, time, timezone

    from bot.reminders.schedule import Schedule
    from bot.reminders.store import CHANNEL_SMS

    morning = Schedule(frozenset(range(7)), time(9, 0), "Europe/London")
    now = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    channel.reminders.save(PATIENT, "exercise", CHANNEL_SMS, morning, now=now)
    channel.reminders.save("+447700900999", "exercise", CHANNEL_SMS, morning, now=now)
    bot = _Bot()
    run(channel, bot, "STOP")
    assert channel.reminders.active(PATIENT) == []
    run(channel, bot, "START")
    assert channel.reminders.active(PATIENT) == []
    assert [r.kind for r in channel.reminders.active("+447700900999")] == ["exercise"]


def test_cancel_in_the_middle_of_questions_keeps_the_reminders(channel, api):
    from datetime import time

    from bot.reminders.schedule import Schedule
    from bot.reminders.store import CHANNEL_SMS

    morning = Schedule(frozenset(range(7)), time(9, 0), "Europe/London")
    channel.reminders.save(PATIENT, "checkin", CHANNEL_SMS, morning)
    bot = _Bot([{"text": "OK, I've stopped those questions."}])
    bot.active_loop_name = "reminder_form"
    run(channel, bot, "cancel")
    assert [r.kind for r in channel.reminders.active(PATIENT)] == ["checkin"]
