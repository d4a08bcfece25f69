"""The console's client of Rasa's events endpoint, against a fake Rasa server on loopback."""

from __future__ import annotations

import pytest

from bot.channels.care_team import CHAT_CLOSED, OPTED_OUT, TEXT_FAILED, author_of
from bot.runtime.launch import free_port
from console.takeover.rasa_api import (
    FAILED,
    NO_ANSWER,
    OFF,
    REASONS,
    REFUSED,
    UNREACHABLE,
    RasaApi,
    RasaApiError,
    message_event,
    pause_event,
    resume_event,
)
from tests.console.takeover.conftest import PHONE, TOKEN, WEB


@pytest.fixture
def fake(fake_rasa):
    fake_rasa.received.clear()
    fake_rasa.fail_with = None
    fake_rasa.delay = 0.0
    yield fake_rasa
    fake_rasa.fail_with = None
    fake_rasa.delay = 0.0


def test_a_pause_goes_to_the_conversation_with_the_token_and_who(fake):
    RasaApi(fake.base_url, TOKEN).append(PHONE, [pause_event("nurse_kim")])
    [received] = fake.received
    # The "+" of a phone number reaches Rasa's router as it is: it does not decode paths.
    assert received.sender_id == PHONE
    assert received.query == {"token": TOKEN, "include_events": "NONE"}
    [event] = received.events
    assert event["event"] == "pause" and author_of(event["metadata"]) == "nurse_kim"


def test_a_message_is_sent_on_the_patients_channel_as_a_side_effect(fake):
    RasaApi(fake.base_url + "/", TOKEN).append(
        WEB, [message_event("nurse_kim", "Hello, it's Kim.")], channel="webchat"
    )
    [received] = fake.received
    assert received.sender_id == WEB
    assert received.query["output_channel"] == "webchat"
    assert received.query["execute_side_effects"] == "true"
    [event] = received.events
    assert (event["event"], event["text"]) == ("bot", "Hello, it's Kim.")
    assert author_of(event["metadata"]) == "nurse_kim"
    assert resume_event("kim")["event"] == "resume"


@pytest.mark.parametrize(
    ("fail_with", "reason"),
    [
        ((500, "An unexpected error occurred. Error: care-team message not delivered: chat_closed"), CHAT_CLOSED),
        ((500, "An unexpected error occurred. Error: care-team message not delivered: opted_out"), OPTED_OUT),
        ((500, "An unexpected error occurred. Error: care-team message not delivered: text_failed"), TEXT_FAILED),
        ((500, "An unexpected error occurred. Error: database is locked"), FAILED),
        ((409, "No agent loaded"), FAILED),
    ],
)
def test_rasas_errors_become_reasons_a_clinician_can_act_on(fake, fail_with, reason):
    fake.fail_with = fail_with
    with pytest.raises(RasaApiError) as raised:
        RasaApi(fake.base_url, TOKEN).append(WEB, [message_event("kim", "Hi")], channel="webchat")
    assert raised.value.reason == reason
    assert raised.value.explanation == REASONS[reason]
    assert fake.received == []


def test_a_wrong_token_is_refused(fake):
    with pytest.raises(RasaApiError) as raised:
        RasaApi(fake.base_url, "wrong").append(WEB, [pause_event("kim")])
    assert raised.value.reason == REFUSED


@pytest.mark.parametrize(("address", "token"), [("", TOKEN), ("file:///etc", TOKEN), (None, "  ")])
def test_no_token_or_no_http_address_is_said_before_any_request(fake, address, token):
    with pytest.raises(RasaApiError) as raised:
        RasaApi(fake.base_url if address is None else address, token).append(WEB, [pause_event("k")])
    assert raised.value.reason == OFF
    assert "RASA_API_TOKEN" in raised.value.explanation
    assert fake.received == []


def test_a_stopped_server_is_unreachable():
    with pytest.raises(RasaApiError) as raised:
        RasaApi(f"http://127.0.0.1:{free_port()}", TOKEN).append(WEB, [pause_event("kim")])
    assert raised.value.reason == UNREACHABLE
    assert "stopped or restarting" in raised.value.explanation


def test_a_server_that_does_not_answer_in_time_may_have_done_it(fake):
    fake.delay = 1.0
    with pytest.raises(RasaApiError) as raised:
        RasaApi(fake.base_url, TOKEN, timeout=0.2).append(WEB, [pause_event("kim")])
    assert raised.value.reason == NO_ANSWER
    assert "look at the conversation before trying again" in raised.value.explanation
