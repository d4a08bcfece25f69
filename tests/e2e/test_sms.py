"""End to end over SMS: Twilio-signed webhooks into the real servers, texts out to a fake
Twilio REST API on loopback (see tests/e2e/conftest.py)."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.sms.segments import segment_count
from tests.e2e.conftest import PUBLIC_URL, TWILIO_FROM, TWILIO_TOKEN

pytestmark = pytest.mark.e2e

PATH = "/webhooks/twilio/webhook"
RED_FLAG = "I can't feel my bum and I wet myself"


def new_number() -> str:
    return "+4477009" + str(uuid.uuid4().int)[:5]


def post(stack, params, signature=None, sign_url=PUBLIC_URL + PATH):
    if signature is None:
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(sign_url, params)
    request = urllib.request.Request(
        stack.rasa_url + PATH,
        data=urllib.parse.urlencode(params).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            **({"X-Twilio-Signature": signature} if signature else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def text(stack, number, body, sid=None):
    sid = sid or "SM" + uuid.uuid4().hex
    return post(stack, {"From": number, "To": TWILIO_FROM, "Body": body, "MessageSid": sid})


def test_a_signed_message_is_answered_by_one_text_with_lettered_options(
    channels_stack, fake_twilio
):
    number = new_number()
    status, twiml = text(channels_stack, number, "hello")
    assert status == 200
    assert "<Response" in twiml
    (greeting,) = fake_twilio.wait_for(1, number=number)
    assert "999" in greeting
    assert "Reply A for " in greeting
    assert segment_count(greeting) <= 2


def test_a_lettered_reply_picks_the_offered_button(channels_stack, fake_twilio):
    number = new_number()
    text(channels_stack, number, "hello")
    first = fake_twilio.wait_for(1, number=number)
    status, _ = text(channels_stack, number, "a")
    assert status == 200
    later = fake_twilio.wait_for(len(first) + 1, number=number)[len(first) :]
    # "A" was "Learn about pain": the course starts.
    assert later and "Lesson 1" in later[0]


def test_a_replayed_webhook_is_answered_once(channels_stack, fake_twilio):
    number = new_number()
    for _ in range(3):
        assert text(channels_stack, number, RED_FLAG, sid="SMreplayed" + number[-5:])[0] == 200
    fake_twilio.wait_for(1, number=number)
    import time

    time.sleep(2)
    texts_sent = fake_twilio.bodies_to(number)
    assert len(texts_sent) == 1
    with sqlite3.connect(channels_stack.database_path) as connection:
        [(count,)] = connection.execute(
            "SELECT COUNT(*) FROM care_team_outbox WHERE conversation_id = ?", (number,)
        ).fetchall()
    assert count == 1


@pytest.mark.parametrize(
    ("signature", "sign_url"),
    [
        ("", PUBLIC_URL + PATH),
        ("bm90IGEgc2lnbmF0dXJl", PUBLIC_URL + PATH),
        (None, "https://attacker.example" + PATH),
    ],
)
def test_unsigned_or_wrongly_signed_requests_are_refused(
    channels_stack, fake_twilio, signature, sign_url
):
    number = new_number()
    params = {"From": number, "To": TWILIO_FROM, "Body": "hello"}
    status, _ = post(channels_stack, params, signature=signature, sign_url=sign_url)
    assert status == 403
    assert fake_twilio.bodies_to(number) == []


def test_a_red_flag_by_text_gets_the_urgent_care_text(channels_stack, fake_twilio):
    number = new_number()
    status, _ = text(channels_stack, number, RED_FLAG)
    assert status == 200
    bodies = fake_twilio.wait_for(1, number=number)
    joined = "\n".join(bodies)
    assert "Go to A&E now" in joined and "call 999" in joined
    assert joined.endswith("Are you getting help now?\nReply YES or NO.")
    assert "MORE" not in joined  # urgent advice is never held back
    assert all(segment_count(body) <= 3 for body in bodies)


def test_a_relatives_red_flag_by_text_gets_the_advice_for_them(channels_stack, fake_twilio):
    number = new_number()
    body = "Mum's been wetting herself since yesterday and never did before"
    status, _ = text(channels_stack, number, body)
    assert status == 200
    joined = "\n".join(fake_twilio.wait_for(1, number=number))
    assert "Go to A&E now" in joined
    assert "writing about someone else, this advice is for them" in joined
    assert joined.endswith("Are you getting help now?\nReply YES or NO.")
    assert "MORE" not in joined


def test_stop_then_nothing_is_sent_until_start(channels_stack, fake_twilio):
    number = new_number()
    text(channels_stack, number, "STOP")
    (confirmation,) = fake_twilio.wait_for(1, number=number)
    assert "START" in confirmation
    text(channels_stack, number, "hello")
    text(channels_stack, number, RED_FLAG)
    assert fake_twilio.bodies_to(number) == [confirmation]
    # HELP is always answered, as carriers expect.
    text(channels_stack, number, "HELP")
    assert "STOP" in fake_twilio.wait_for(2, number=number)[1]
    text(channels_stack, number, "START")
    assert len(fake_twilio.wait_for(3, number=number)) == 3
    # The emergency raised while opted out is still held, and the reminder stands alone.
    text(channels_stack, number, "hi")
    held = fake_twilio.wait_for(4, number=number)[3]
    assert held.startswith("What you told me can be a sign of something serious.")


def test_help_explains_the_service(channels_stack, fake_twilio):
    number = new_number()
    text(channels_stack, number, "help")
    (reply,) = fake_twilio.wait_for(1, number=number)
    assert "999" in reply and "STOP" in reply


@pytest.mark.parametrize(
    "body", ["", "x" * 10_000, "my back 😭😭🔥 hurts so much", "у меня болит спина", "腰が痛いです"]
)
def test_odd_messages_never_break_the_webhook(channels_stack, fake_twilio, body):
    number = new_number()
    status, _ = text(channels_stack, number, body)
    assert status == 200
    if body:
        assert all(segment_count(b) <= 2 for b in fake_twilio.wait_for(1, number=number))


def test_a_missing_body_field_is_not_a_crash(channels_stack):
    status, _ = post(channels_stack, {"From": new_number(), "To": TWILIO_FROM})
    assert status == 200


def test_a_twilio_outage_still_answers_twilio_with_200(channels_stack, fake_twilio):
    number = new_number()
    fake_twilio.fail_with = 500
    try:
        before = fake_twilio.requests
        status, twiml = text(channels_stack, number, "hello")
        assert status == 200
        assert "<Response" in twiml
        assert fake_twilio.requests > before
    finally:
        fake_twilio.fail_with = None
    log = (channels_stack.log_dir / "rasa.log").read_text(errors="replace")
    assert number not in log


def converse(stack, twilio, number, body):
    """Text ``body`` and return the texts that came back for it."""
    before = len(twilio.bodies_to(number))
    text(stack, number, body)
    return twilio.wait_for(before + 1, number=number)[before:]


def test_a_number_answers_a_number_question_even_when_options_are_offered(
    channels_stack, fake_twilio
):
    number = new_number()
    converse(channels_stack, fake_twilio, number, "make a pacing plan for walking")
    converse(channels_stack, fake_twilio, number, "minutes")
    asked = converse(channels_stack, fake_twilio, number, "30")
    assert "Reply A for I can't do any" in asked[-1]
    converse(channels_stack, fake_twilio, number, "1")  # one minute, not option 1
    with sqlite3.connect(channels_stack.database_path) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'", (number,)
        ).fetchall()
    values = [json.loads(data) for (data,) in rows]
    assert {"name": "pacing_bad_day", "value": 1.0} in [
        {"name": v["name"], "value": v["value"]} for v in values
    ]


def test_a_letter_that_was_not_offered_gets_the_options_again(channels_stack, fake_twilio):
    number = new_number()
    converse(channels_stack, fake_twilio, number, "hello")
    [again] = converse(channels_stack, fake_twilio, number, "G")
    assert again.startswith("Sorry, that's not one of the options.")
    assert "Reply A for " in again
    later = converse(channels_stack, fake_twilio, number, "A")
    assert "Lesson 1" in later[0]


def test_quit_in_the_middle_of_questions_stops_the_questions_not_the_texts(
    channels_stack, fake_twilio
):
    number = new_number()
    converse(channels_stack, fake_twilio, number, "check my symptoms")
    [stopped] = converse(channels_stack, fake_twilio, number, "QUIT")
    assert "reply STOP" in stopped
    assert converse(channels_stack, fake_twilio, number, "hello")  # still texting


def test_a_long_answer_comes_a_text_at_a_time_with_more(channels_stack, fake_twilio):
    number = new_number()
    texts = converse(channels_stack, fake_twilio, number, "why does my back hurt so much?")
    assert all(segment_count(t) <= 2 for t in texts)
    if "Reply MORE" in texts[-1]:
        more = converse(channels_stack, fake_twilio, number, "MORE")
        assert more and segment_count(more[0]) <= 2


def test_the_alert_from_a_symptom_check_records_the_question(channels_stack, fake_twilio):
    number = new_number()
    converse(channels_stack, fake_twilio, number, "check my symptoms")
    urgent = converse(channels_stack, fake_twilio, number, "yes")
    assert "999" in urgent[0]
    with sqlite3.connect(channels_stack.database_path) as connection:
        [(message, question)] = connection.execute(
            "SELECT message, question FROM care_team_outbox WHERE conversation_id = ?",
            (number,),
        ).fetchall()
    assert message.lower() == "yes"
    assert question and "numbness" in question
