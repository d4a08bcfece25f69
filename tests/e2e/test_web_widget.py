"""The web chat widget end to end: headless Chromium, the real servers, the real model.

Screenshots go to var/artifacts/ (webchat-desktop.png, webchat-phone.png,
webchat-rasa-webchat.png).
"""

from __future__ import annotations

import time

import pytest

from tests.fakes.browser import ARTIFACTS, DESKTOP, PHONE, chromium

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

RED_FLAG = "I can't feel my bum and I wet myself"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def page_url(stack):
    return f"{stack.rasa_url}/webhooks/webchat/"


def say(page, text):
    page.get_by_label("Type your message").fill(text)
    page.get_by_role("button", name="Send").click()


def wait_for_bot_messages(page, count, quiet_seconds=1.5):
    """Wait for the count-th bot message, then until the turn's messages stop arriving.

    A busy machine can space a turn's messages out, so wait for a quiet spell rather
    than a fixed time; return the number of bot messages shown.
    """
    page.locator(".bc-msg--bot").nth(count - 1).wait_for(timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    last, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        shown = page.locator(".bc-msg").count()
        if shown != last:
            last, quiet_since = shown, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_seconds:
            break
        page.wait_for_timeout(100)
    return page.locator(".bc-msg--bot").count()


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_patient_talks_reloads_and_gets_the_urgent_message(channels_stack, browser, name,
                                                             viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(page_url(channels_stack))
    assert "999" in page.locator(".bc-emergency").inner_text()

    # The greeting and its disclaimer arrive as soon as the chat opens.
    bot_count = wait_for_bot_messages(page, 2)
    assert page.locator(".bc-msg--user").count() == 0
    greeting = page.locator(".bc-msg--bot").first.inner_text()
    assert "not medical advice" in greeting and "999" in greeting
    assert page.locator(".bc-msg--urgent").count() == 0  # mentioning 999 is not urgent
    replies = page.get_by_role("group", name="Suggested replies").get_by_role("button")
    first_title = replies.first.inner_text()
    replies.first.click()
    bot_count = wait_for_bot_messages(page, bot_count + 1)
    assert page.locator(".bc-msg--user").last.inner_text().endswith(first_title)

    session = page.evaluate("window.BackCareWidget.sessionId()")
    shown = page.locator(".bc-msg").count()
    page.reload()
    page.locator(".bc-msg").nth(shown - 1).wait_for()
    assert page.evaluate("window.BackCareWidget.sessionId()") == session
    assert page.locator(".bc-msg").count() == shown

    say(page, RED_FLAG)
    urgent = page.locator(".bc-msg--urgent")
    urgent.first.wait_for()
    assert urgent.first.get_attribute("role") == "alert"
    urgent_text = urgent.first.inner_text()
    assert "Go to A&E now" in urgent_text or "go to A&E now" in urgent_text
    assert "call 999" in urgent_text.lower()
    # The number can be tapped to call.
    assert urgent.first.locator("a[href='tel:999']").count() >= 1
    page.get_by_role("button", name="Yes, I'm getting help").wait_for()
    # The conversation continues on the server: the tracker has it under this session.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"webchat-{name}.png"))
    assert errors == []
    context.close()


def test_the_conversation_survives_a_new_connection(channels_stack, browser):
    # A reconnect (e.g. after a server restart) joins the same conversation: the id is
    # the widget's, and the tracker store is SQL.
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(page_url(channels_stack))
    wait_for_bot_messages(page, 2)
    page.evaluate("window.BackCareWidget.reconnect()")
    # The widget's CSP forbids eval, so wait on the DOM, not with wait_for_function.
    page.locator("[data-backcare][data-connection=ready]").wait_for()
    page.get_by_role("group", name="Suggested replies").get_by_role("button").first.click()
    wait_for_bot_messages(page, 3)
    # The quick reply was accepted as a command: it was the bot's own offer.
    assert "didn't catch that" not in page.locator(".bc-msg--bot").last.inner_text()
    context.close()


def test_a_second_window_takes_the_conversation_over_and_the_first_is_told(
    channels_stack, browser
):
    context = browser.new_context(viewport=DESKTOP)
    first = context.new_page()
    first.set_default_timeout(TIMEOUT_MS)
    first.goto(page_url(channels_stack))
    wait_for_bot_messages(first, 2)
    session = first.evaluate("window.BackCareWidget.sessionId()")
    # Same browser, same stored conversation: the second window joins it.
    second = context.new_page()
    second.set_default_timeout(TIMEOUT_MS)
    second.goto(page_url(channels_stack))
    second.locator("[data-backcare][data-connection=ready]").wait_for()
    assert second.evaluate("window.BackCareWidget.sessionId()") == session
    first.get_by_text("now open in another window").wait_for()
    assert first.locator("[data-backcare]").get_attribute("data-connection") == "waiting"
    context.close()


def test_a_made_up_conversation_id_gets_a_new_conversation(channels_stack, browser):
    context = browser.new_context(viewport=DESKTOP)
    forged = "0" * 32 + "." + "0" * 24
    key = f"backcare:{channels_stack.rasa_url}:session"
    context.add_init_script(
        f"window.localStorage.setItem('{key}', JSON.stringify('{forged}'));"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(page_url(channels_stack))
    wait_for_bot_messages(page, 2)
    assert page.evaluate("window.BackCareWidget.sessionId()") != forged
    context.close()


def test_rasa_webchat_still_works_with_the_channel(channels_stack, browser):
    origin = channels_stack.rasa_url
    host_page = (
        "<!doctype html><html lang=en><head><title>rasa-webchat</title></head><body>"
        "<div id=webchat></div>"
        f"<script src='{origin}/webhooks/webchat/static/vendor/rasa-webchat/index.js'></script>"
        "<script>WebChat.default({selector: '#webchat', socketUrl: '" + origin + "', "
        "socketPath: '/socket.io/', title: 'BackCare', embedded: true, initPayload: 'hi', "
        "params: {storage: 'session'}}, null);</script></body></html>"
    )
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    # Same origin as the server, as a clinic page proxying the chat would be.
    page.route(f"{origin}/rasa-webchat-test", lambda route: route.fulfill(
        body=host_page, content_type="text/html"))
    page.goto(f"{origin}/rasa-webchat-test")
    page.locator(".rw-response").first.wait_for()  # the answer to the init payload
    page.locator(".rw-new-message").fill("hello")
    page.keyboard.press("Enter")
    page.locator(".rw-response").nth(1).wait_for()
    assert "999" in " ".join(page.locator(".rw-response").all_inner_texts())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-rasa-webchat.png"))
    context.close()
