"""Take over, write, hand back: the console's views with a fake Rasa server on loopback."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bot.channels.care_team import author_of
from bot.runtime.launch import free_port
from console.audit.models import AuditEvent, Kind
from console.takeover.forms import MAX_MESSAGE_CHARS
from console.takeover.state import takeover_of
from console.transcripts.index import conversation_key
from tests.console.conftest import MODEL_BACKEND, signed_in
from tests.console.takeover.conftest import PHONE, WEB, chat
from tests.console.transcripts.conftest import TS, red_flag, user

CHAT_CLOSED = "An unexpected error occurred. Error: care-team message not delivered: chat_closed"


def url(key, step=""):
    return f"/conversations/{key}/takeover/" + (f"{step}/" if step else "")


def take_over(client, key, **extra):
    return client.post(url(key, "start"), {"next": f"/conversations/{key}/", **extra})


def draft_of(page):
    return re.search(r'name="draft" value="([0-9a-f]+)"', page).group(1)


def send(client, key, text, draft=None):
    if draft is None:
        draft = draft_of(client.get(url(key)).content.decode())
    return client.post(url(key, "send"), {"text": text, "draft": draft})


def audited(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("id"))


def test_a_clinician_takes_over_from_the_transcript(rasa, web_chat, clinician_client):
    page = clinician_client.get(f"/conversations/{web_chat}/").content.decode()
    assert "Take over this conversation" in page
    response = take_over(clinician_client, web_chat)
    assert response.status_code == 302 and response["Location"] == url(web_chat)
    [received] = rasa.received
    assert received.sender_id == WEB and "output_channel" not in received.query
    assert [e["event"] for e in received.events] == ["pause"]
    assert author_of(received.events[0]["metadata"]) == "dr_jones"
    held = takeover_of(WEB)
    assert held.paused and held.by == "dr_jones" and held.channel == "webchat"
    [row] = audited(Kind.TAKEOVER)
    assert (row.username, row.target, row.detail) == ("dr_jones", f"conversation:{web_chat}", "channel webchat")
    page = clinician_client.get(url(web_chat)).content.decode()
    assert "Taken over by dr_jones" in page
    assert "Taken over by dr_jones</strong>: the assistant stopped answering" in page
    assert "Hand back to the assistant" in page


def test_taking_over_twice_changes_nothing_and_says_who_holds_it(rasa, web_chat, clinician_client, make_user):
    take_over(clinician_client, web_chat)
    other = signed_in(make_user("nurse_kim"))
    response = take_over(other, web_chat)
    assert response["Location"] == url(web_chat)
    assert len(rasa.received) == 1
    assert len(audited(Kind.TAKEOVER)) == 1
    page = other.get(url(web_chat)).content.decode()
    assert "Already taken over by dr_jones" in page


def test_a_message_goes_to_the_patients_channel_and_is_audited_without_its_words(
    rasa, sms_chat, clinician_client
):
    take_over(clinician_client, sms_chat)
    response = send(clinician_client, sms_chat, "  Hello, it's Dr Jones. Are you at home?  ")
    assert response.status_code == 302
    message = rasa.received[-1]
    assert message.sender_id == PHONE
    assert message.query["output_channel"] == "twilio"
    assert message.query["execute_side_effects"] == "true"
    assert message.events[0]["text"] == "Hello, it's Dr Jones. Are you at home?"
    [row] = audited(Kind.TAKEOVER_MESSAGE)
    assert row.detail == "38 characters by twilio"
    assert "Dr Jones" not in row.detail
    page = clinician_client.get(url(sms_chat)).content.decode()
    assert "Sent to the patient by SMS." in page
    assert "Care team (dr_jones)" in page
    transcript = clinician_client.get(f"/conversations/{sms_chat}/").content.decode()
    assert "Hello, it&#x27;s Dr Jones. Are you at home?" in transcript
    assert "Care team (dr_jones)" in transcript


def test_the_same_message_posted_twice_is_sent_once(rasa, web_chat, clinician_client):
    take_over(clinician_client, web_chat)
    draft = draft_of(clinician_client.get(url(web_chat)).content.decode())
    send(clinician_client, web_chat, "See you at three.", draft)
    response = send(clinician_client, web_chat, "See you at three.", draft)
    assert response.status_code == 302
    assert [r.events[0]["event"] for r in rasa.received] == ["pause", "bot"]
    assert "That message was already sent." in clinician_client.get(url(web_chat)).content.decode()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Write a message first."),
        ("   \n  ", "Write a message first."),
        ("x" * (MAX_MESSAGE_CHARS + 1), f"at most {MAX_MESSAGE_CHARS} characters (it has {MAX_MESSAGE_CHARS + 1})"),
        ("y" * 100_000, "(it has 100000)"),
    ],
    ids=["empty", "spaces", "one-too-many", "huge"],
)
def test_an_empty_or_too_long_message_is_refused_and_kept(rasa, web_chat, clinician_client, text, error):
    take_over(clinician_client, web_chat)
    response = send(clinician_client, web_chat, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert [r.events[0]["event"] for r in rasa.received] == ["pause"]
    if text.strip():
        assert text in page  # still in the box
    assert audited(Kind.TAKEOVER_MESSAGE) == []


def test_nothing_is_sent_before_taking_over(rasa, web_chat, clinician_client):
    response = send(clinician_client, web_chat, "Are you there?", draft="d1")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Take it over first" in page
    assert "Are you there?</textarea>" in page
    assert rasa.received == []


def test_hand_back_resumes_the_assistant_and_is_audited(rasa, web_chat, clinician_client):
    take_over(clinician_client, web_chat)
    response = clinician_client.post(url(web_chat, "end"))
    assert response.status_code == 302
    assert [r.events[0]["event"] for r in rasa.received] == ["pause", "resume"]
    assert not takeover_of(WEB).paused
    [row] = audited(Kind.HAND_BACK)
    assert row.detail.startswith("taken over by dr_jones at ")
    page = clinician_client.get(url(web_chat)).content.decode()
    assert "Handed back: the assistant answers the patient&#x27;s next message." in page
    assert "Handed back by dr_jones" in page
    assert "Take over this conversation" in page


def test_handing_back_a_conversation_not_held_changes_nothing(rasa, web_chat, clinician_client):
    clinician_client.post(url(web_chat, "end"))
    assert rasa.received == []
    assert audited(Kind.HAND_BACK) == []
    assert "already answering" in clinician_client.get(url(web_chat)).content.decode()


def test_with_the_rasa_server_down_the_clinician_is_told_and_nothing_is_lost(
    rasa, web_chat, clinician_client, settings
):
    settings.CONSOLE_RASA_URL = f"http://127.0.0.1:{free_port()}"
    response = take_over(clinician_client, web_chat)
    assert response["Location"] == f"/conversations/{web_chat}/"
    page = clinician_client.get(f"/conversations/{web_chat}/").content.decode()
    assert "The conversation was not taken over. The assistant server could not be reached" in page
    assert not takeover_of(WEB).paused and audited(Kind.TAKEOVER) == []
    # Held while the server was up; it stops before the message is sent.
    settings.CONSOLE_RASA_URL = rasa.base_url
    take_over(clinician_client, web_chat)
    settings.CONSOLE_RASA_URL = f"http://127.0.0.1:{free_port()}"
    response = send(clinician_client, web_chat, "Please ring the clinic today.")
    assert response.status_code == 502
    page = response.content.decode()
    assert "Nothing was sent or saved. The assistant server could not be reached" in page
    assert "Please ring the clinic today.</textarea>" in page
    assert audited(Kind.TAKEOVER_MESSAGE) == []
    response = clinician_client.post(url(web_chat, "end"))
    page = clinician_client.get(url(web_chat)).content.decode()
    assert "not handed back: the assistant is still paused" in page
    assert takeover_of(WEB).paused


def test_a_closed_web_chat_is_said_plainly(rasa, web_chat, clinician_client):
    take_over(clinician_client, web_chat)
    rasa.fail_with = (500, CHAT_CLOSED)
    response = send(clinician_client, web_chat, "Hello?")
    assert response.status_code == 502
    assert "The patient&#x27;s web chat is not open now" in response.content.decode()


def test_a_rest_conversation_cannot_be_taken_over(rasa, events_table, clinician_client):
    key = chat(events_table, "rest:integration-1", "rest")
    page = clinician_client.get(f"/conversations/{key}/").content.decode()
    assert "Take over this conversation" not in page
    response = take_over(clinician_client, key)
    assert response.status_code == 302
    assert rasa.received == []
    assert "the console can write to patients only on web chat and SMS" in (
        clinician_client.get(f"/conversations/{key}/").content.decode()
    )


def test_only_roles_with_the_permission_may_take_over(rasa, web_chat, make_user, admin_client_):
    nobody = signed_in(make_user("visitor", role=""))
    for path in (url(web_chat), url(web_chat, "lines")):
        assert nobody.get(path).status_code == 403
    for step in ("start", "send", "end"):
        assert nobody.post(url(web_chat, step), {"text": "hi", "draft": "d1"}).status_code == 403
    assert Client().get(url(web_chat)).status_code == 302  # to sign in
    assert rasa.received == []
    assert take_over(admin_client_, web_chat).status_code == 302
    assert len(rasa.received) == 1


def test_every_change_needs_the_csrf_token(rasa, web_chat, clinician):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician, backend=MODEL_BACKEND)
    for step in ("start", "send", "end"):
        assert client.post(url(web_chat, step), {"text": "hi", "draft": "d1"}).status_code == 403
    assert rasa.received == []


def test_the_page_shows_new_patient_messages_as_they_arrive(rasa, web_chat, events_table, clinician_client):
    take_over(clinician_client, web_chat)
    page = clinician_client.get(url(web_chat)).content.decode()
    after = re.search(r'data-after="(\d+)"', page).group(1)
    lines = url(web_chat, "lines") + f"?auto=1&after={after}"
    assert 'data-kind="patient"' not in clinician_client.get(lines).content.decode()
    reads = AuditEvent.objects.filter(kind=Kind.TRANSCRIPT_VIEW).count()
    events_table(WEB, user("Is anyone there? <b>hi</b>", "greet", at=TS + 120, channel="webchat"))
    events_table(WEB, red_flag("and now I can't feel my bum", "can't feel my bum", at=TS + 180, channel="webchat"))
    fragment = clinician_client.get(lines).content.decode()
    assert fragment.count('data-kind="patient"') == 2
    assert "Is anyone there? &lt;b&gt;hi&lt;/b&gt;" in fragment
    assert "cauda_equina_bladder" in fragment
    assert 'data-paused="yes"' in fragment
    assert AuditEvent.objects.filter(kind=Kind.TRANSCRIPT_VIEW).count() == reads + 1
    newest = re.search(r'data-entries data-after="(\d+)"', fragment).group(1)
    later = url(web_chat, "lines") + f"?auto=1&after={newest}"
    assert 'data-kind="patient"' not in clinician_client.get(later).content.decode()


def test_a_case_page_offers_the_takeover_for_web_and_sms_only(rasa, outbox, clinician_client, sms_chat):
    sms_case = outbox.add(conversation_id=PHONE, channel="twilio")
    rest_case = outbox.add(conversation_id="rest:x", channel="rest")
    page = clinician_client.get(f"/cases/{sms_case}/").content.decode()
    assert f'action="/conversations/{conversation_key(PHONE)}/takeover/start/"' in page
    assert "Take over this conversation" not in clinician_client.get(f"/cases/{rest_case}/").content.decode()
    response = take_over(clinician_client, sms_chat, next=f"/cases/{sms_case}/")
    assert response["Location"] == url(sms_chat)
    assert takeover_of(PHONE).paused
