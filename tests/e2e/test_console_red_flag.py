"""A red flag sent through the real Rasa server becomes a case a clinician closes.

Real parts all the way: the patient's message goes to the running Rasa server over REST
(with the action server beside it); the bot's tracker store saves the conversation and
the care-team alert in one transaction; the console (``python -m console serve``) runs
on the same SQLite database, and a clinician works the case in headless Chromium: the
case is in the queue, acknowledged, patient contacted, closed with an outcome; the
transcript shows the evidence highlighted; an admin finds every read in the audit.
"""

from __future__ import annotations

import pytest

from tests.conftest import responses, stored
from tests.console.serving import console_env, create_users, running_console
from tests.console.serving import sign_in as sign_in_as
from tests.fakes.browser import chromium

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
PASSWORD = "quiet-harbour-lamp-73"
RED_FLAG = "since yesterday I can't feel my bum when I wipe"


@pytest.fixture(scope="module")
def console(stack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("console_real_rasa")
    env = console_env(folder, f"sqlite:///{stack.database_path}")
    create_users(env, {"nurse_kim": "clinician", "admin_sam": "admin"}, PASSWORD)
    with running_console(folder, env) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def sign_in(browser, address, name):
    return sign_in_as(browser, address, name, PASSWORD)


def test_a_red_flag_through_rasa_goes_from_alert_to_closed_case(
    stack, rest_say, sender, console, browser
):
    address = console
    assert responses(rest_say(sender, RED_FLAG))[0] == "utter_urgent_care_emergency"
    [(case_id,)] = stored(stack.database_path, "care_team_outbox", "id", sender)

    page = sign_in(browser, address, "nurse_kim")
    page.goto(address + "/cases/")
    row = page.locator(f"tr[data-case='{case_id}']")
    assert "emergency" in row.inner_text().lower()
    assert RED_FLAG in row.inner_text()

    page.get_by_role("link", name=f"Case {case_id}", exact=True).click()
    page.wait_for_url(f"{address}/cases/{case_id}/")
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state()
    assert f"Case {case_id} is now acknowledged." in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Record patient contacted").click()
    page.wait_for_load_state()
    page.get_by_label("Outcome note (required)").fill("Went to A&E; scan the same evening.")
    page.get_by_role("button", name="Close case").click()
    page.wait_for_load_state()
    assert f"Case {case_id} is now closed." in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Read the whole conversation").click()
    page.wait_for_load_state()
    raised = page.locator("li.line.raised")
    assert f"This message raised case {case_id}." in raised.inner_text()
    # The words that made the finding are highlighted inside the patient's own text.
    highlighted = raised.locator("mark").all_inner_texts()
    assert highlighted and all(part in RED_FLAG for part in highlighted)
    assert "cauda_equina_saddle" in raised.inner_text()

    admin = sign_in(browser, address, "admin_sam")
    admin.goto(address + "/audit/?user=nurse_kim")
    text = admin.inner_text("main")
    for seen in ("viewed the case queue", "viewed a case", "changed a case's state",
                 "read a conversation"):
        assert seen in text, seen
    assert admin.locator("tr", has_text="changed a case's state").count() == 3
