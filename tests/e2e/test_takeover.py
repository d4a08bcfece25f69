"""A clinician takes over a conversation, writes to the patient and hands back: end to end.

Real parts all the way: the Rasa server with the web chat and SMS channels and the
action server (``channels_stack``), the console (``python -m console serve``) on the
same SQLite database and reaching Rasa's HTTP API with its token, headless Chromium
for the clinician and for the web chat patient, and signed Twilio webhooks with the
fake Twilio REST API on loopback for the SMS patient. On each channel: the patient
gets the clinician's words as from "your care team"; while paused the assistant says
nothing to an ordinary message, which appears on the clinician's page without a
reload; a red flag still gets the urgent-care reply and one care-team alert; after the
hand-back the assistant answers again; the audit has the takeover, the message and
the hand-back. Screenshots go to var/artifacts/console/takeover-*.png.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
import time
import uuid

import pytest

from tests.conftest import API_TOKEN
from tests.console.serving import console_env, create_users, running_console
from tests.console.serving import sign_in as sign_in_as
from tests.e2e.test_sms import new_number, text
from tests.e2e.test_web_widget import page_url, say, wait_for_bot_messages
from tests.fakes.browser import ARTIFACTS, PHONE, chromium

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
PASSWORD = "steady-harbour-kettle-58"
CONSOLE_KEY = "takeover-e2e-" + uuid.uuid4().hex
RED_FLAG = "I can't feel my bum and I wet myself"
TIMEOUT_MS = 60_000
SHOTS = ARTIFACTS / "console"


@pytest.fixture(scope="module")
def console(channels_stack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("console_takeover")
    env = console_env(folder, f"sqlite:///{channels_stack.database_path}")
    env.update(
        RASA_API_TOKEN=API_TOKEN,
        BACKCARE_RASA_URL=channels_stack.rasa_url,
        BACKCARE_CONSOLE_SECRET_KEY=CONSOLE_KEY,
    )
    create_users(env, {"nurse_kim": "clinician", "admin_sam": "admin"}, PASSWORD)
    with running_console(folder, env) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def key_of(sender_id):
    """Return the console's address of a conversation (its keyed hash, as the console makes it)."""
    digest = hmac.new(CONSOLE_KEY.encode(), sender_id.encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:16]


def rows(stack, sql, *params):
    with sqlite3.connect(stack.database_path) as connection:
        return connection.execute(sql, params).fetchall()


def alerts(stack, sender_id):
    return rows(stack, "SELECT tier FROM care_team_outbox WHERE conversation_id = ?", sender_id)


def wait_for_turn(stack, sender_id, words, timeout=60.0):
    """Wait until the patient message containing ``words`` is stored.

    The tracker is saved last in a turn, after anything the assistant sends: once the
    message is stored, the turn is over.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = rows(
            stack,
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
            sender_id,
        )
        if any(words in data for (data,) in found):
            return
        time.sleep(0.2)
    raise AssertionError(f"the message {words!r} was not stored")


def clinician_takes_over(browser, console, sender_id, name):
    page = sign_in_as(browser, console, "nurse_kim", PASSWORD)
    page.set_default_timeout(TIMEOUT_MS)
    key = key_of(sender_id)
    page.goto(f"{console}/conversations/{key}/")
    page.get_by_role("button", name="Take over this conversation").click()
    page.wait_for_url(f"{console}/conversations/{key}/takeover/")
    assert "You have taken over." in page.get_by_role("status").first.inner_text()
    assert "Taken over by nurse_kim" in page.locator("#takeover-state").inner_text()
    page.screenshot(path=str(SHOTS / f"takeover-{name}-1-taken-over.png"), full_page=True)
    return page


def clinician_writes(page, words, channel_name):
    page.get_by_label("Message to the patient").fill(words)
    page.get_by_role("button", name="Send to the patient").click()
    page.wait_for_load_state()
    assert f"Sent to the patient by {channel_name}." in page.get_by_role("status").first.inner_text()
    assert words in page.locator("#live li.care-team").last.inner_text()


def clinician_sees(page, words):
    """The patient's words appear on the open page without a reload."""
    exactly = re.compile("^" + re.escape(words) + "$")
    page.locator("#live li.patient p.message-text").filter(has_text=exactly).wait_for()


def clinician_hands_back(page, name):
    page.screenshot(path=str(SHOTS / f"takeover-{name}-2-live.png"), full_page=True)
    page.get_by_role("button", name="Hand back to the assistant").click()
    page.wait_for_load_state()
    assert "Handed back" in page.get_by_role("status").first.inner_text()
    assert "The assistant is answering" in page.locator("#takeover-state").inner_text()


def audit_has_the_takeover(browser, console, sender_id):
    admin = sign_in_as(browser, console, "admin_sam", PASSWORD)
    admin.goto(f"{console}/audit/?user=nurse_kim")
    table = admin.inner_text("main")
    for seen in ("took over a conversation", "wrote to a patient", "handed a conversation back"):
        assert seen in table, seen
    assert f"conversation:{key_of(sender_id)}" in table
    admin.context.close()


def test_a_clinician_takes_over_a_web_chat_and_hands_it_back(channels_stack, console, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    patient = browser.new_context(viewport=PHONE).new_page()
    patient.set_default_timeout(TIMEOUT_MS)
    patient.goto(page_url(channels_stack))
    shown = wait_for_bot_messages(patient, 2)
    say(patient, "my back hurts when I sit for long")
    shown = wait_for_bot_messages(patient, shown + 1)
    sender_id = patient.evaluate("window.BackCareWidget.sessionId()")

    clinician = clinician_takes_over(browser, console, sender_id, "webchat")
    # A message being written survives a reload (or a sign-out) of the page.
    box = clinician.get_by_label("Message to the patient")
    box.fill("Hello, this is")
    clinician.reload()
    assert box.input_value() == "Hello, this is"
    assert "unsent message was put back" in clinician.locator("#draft-note").inner_text()
    words = "Hello, this is Kim from the back pain team. How are you feeling now?"
    clinician_writes(clinician, words, "web chat")
    clinician.reload()
    assert box.input_value() == ""  # sent: nothing is put back

    # The patient sees it at once, labelled as from their care team.
    from_team = patient.locator(".bc-msg--care-team")
    from_team.wait_for()
    assert from_team.inner_text().startswith("Your care team")
    assert words in from_team.inner_text()
    shown = patient.locator(".bc-msg--bot").count()

    # While paused the assistant stays silent; the clinician sees the reply arrive.
    reply = "a bit better thanks, the heat pad helps"
    say(patient, reply)
    wait_for_turn(channels_stack, sender_id, reply)
    clinician_sees(clinician, reply)
    patient.wait_for_timeout(1500)
    assert patient.locator(".bc-msg--bot").count() == shown

    # A red flag during the pause: the urgent-care reply and one alert all the same.
    assert alerts(channels_stack, sender_id) == []
    say(patient, RED_FLAG)
    patient.locator(".bc-msg--urgent").first.wait_for()
    assert "go to a&e now" in patient.locator(".bc-msg--urgent").first.inner_text().lower()
    assert alerts(channels_stack, sender_id) == [("emergency",)]
    clinician_sees(clinician, RED_FLAG)
    assert clinician.locator("#live li.patient.flagged", has_text=RED_FLAG).count() == 1
    patient.screenshot(path=str(SHOTS / "takeover-webchat-patient.png"))

    clinician_hands_back(clinician, "webchat")
    shown = patient.locator(".bc-msg--bot").count()
    say(patient, "yes I'm getting help now")
    wait_for_bot_messages(patient, shown + 1)
    assert alerts(channels_stack, sender_id) == [("emergency",)]
    # The widget keeps the care team's message, labelled, across a reload.
    patient.reload()
    patient.locator(".bc-msg--care-team").wait_for()
    assert patient.locator(".bc-msg--care-team .bc-from").inner_text() == "Your care team"
    clinician.context.close()
    patient.context.close()
    audit_has_the_takeover(browser, console, sender_id)


def test_a_clinician_takes_over_an_sms_conversation_and_hands_it_back(
    channels_stack, fake_twilio, console, browser
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    number = new_number()
    assert text(channels_stack, number, "hello")[0] == 200
    greeting = fake_twilio.wait_for(1, number=number)
    assert "Reply A for " in greeting[-1]

    clinician = clinician_takes_over(browser, console, number, "sms")
    # While paused a letter the assistant offered before is the patient's word for the
    # clinician, not an option: nothing is sent back.
    assert text(channels_stack, number, "A")[0] == 200
    wait_for_turn(channels_stack, number, '"text": "A"')
    clinician_sees(clinician, "A")
    assert fake_twilio.bodies_to(number) == greeting

    words = "Hello, this is Kim from the back pain team. Can you talk now?"
    clinician_writes(clinician, words, "SMS")
    sent = fake_twilio.wait_for(len(greeting) + 1, number=number)
    assert sent[-1] == "Your care team:\n" + words

    reply = "yes, I'm at home today"
    assert text(channels_stack, number, reply)[0] == 200
    wait_for_turn(channels_stack, number, "at home today")
    clinician_sees(clinician, reply)
    assert fake_twilio.bodies_to(number) == sent

    # A red flag during the pause: the urgent-care text and one alert all the same.
    assert text(channels_stack, number, RED_FLAG)[0] == 200
    urgent = fake_twilio.wait_for(len(sent) + 1, number=number)[len(sent) :]
    assert "Go to A&E now" in "\n".join(urgent)
    assert alerts(channels_stack, number) == [("emergency",)]
    clinician_sees(clinician, RED_FLAG)

    clinician_hands_back(clinician, "sms")
    before = len(fake_twilio.bodies_to(number))
    assert text(channels_stack, number, "yes I'm getting help now")[0] == 200
    assert len(fake_twilio.wait_for(before + 1, number=number)) > before
    assert alerts(channels_stack, number) == [("emergency",)]
    clinician.context.close()
    audit_has_the_takeover(browser, console, number)
