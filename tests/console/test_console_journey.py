"""The console's whole journey in real headless Chromium, with a screenshot of each page.

A red flag is stored as the running bot stores it: the bot's own tracker store
(:class:`bot.runtime.tracker_store.SafetyTrackerStore`) saves the conversation's events
and, in the same transaction, the care-team alert. The message is not sent through a
running Rasa server because the console's browser test before this one seeds the bot's
tables directly too, and a Rasa server needs a trained model (minutes of training on
this machine's two cores); from the tracker store on, every step is the product's own.

Then: the case appears in the queue; the queue takes in a new case by itself; the
clinician acknowledges it, records the patient contacted, closes it with an outcome
note and reads the transcript; an admin sees those reads and changes in the audit; a
clinician gets 403 on /audit/ and /users/; five wrong passwords lock an account, which
an admin unlocks from /users/; a form posted without its CSRF token is refused; an admin
sets up sign-in codes and sign-in then asks for one. Screenshots go to
``var/artifacts/console/`` (git-ignored).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.alerts.outbox import PRIORITY_URGENT, AlertDraft, Outbox, utcnow
from tests.console.codes import code_after, key_from_secret
from tests.console.serving import console_env, create_users, running_console
from tests.console.serving import sign_in as sign_in_as
from tests.fakes.browser import ARTIFACTS, DESKTOP, REPO_ROOT, chromium

pytestmark = pytest.mark.browser
PASSWORD = "calm-river-lantern-42"
PHONE = "+447700900123"
RED_FLAG = "<b>numb</b> between my legs and I wet myself"
SHOTS = ARTIFACTS / "console"
USERS = {"dr_jones": "clinician", "admin_ali": "admin", "locky_lee": "clinician"}


def store_red_flag_conversation(url: str) -> None:
    """Save a greeting and a red-flag turn through the bot's tracker store (alert included)."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.tracker_store import SafetyTrackerStore

    domain = Domain.load(str(REPO_ROOT / "domain.yml"))
    store = SafetyTrackerStore(domain=domain, host=url, dialect="sqlite")
    tracker = DialogueStateTracker.from_events(
        PHONE,
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        domain.slots,
    )
    for event in (
        UserUttered("hello", {"name": "greet", "confidence": 0.98}, input_channel="twilio",
                    message_id=uuid.uuid4().hex),
        ActionExecuted("utter_greet"),
        BotUttered("Hello, I'm BackCare.", metadata={"utter_action": "utter_greet"}),
        ActionExecuted("action_listen"),
        UserUttered(
            RED_FLAG,
            {"name": "red_flag_emergency", "confidence": 1.0},
            [{"entity": "red_flag", "value": "cauda_equina_bladder", "role": "emergency"}],
            input_channel="twilio",
            message_id=uuid.uuid4().hex,
        ),
        ActionExecuted("utter_urgent_care_emergency"),
        BotUttered(
            "Please call [999](tel:999) now.",
            metadata={"utter_action": "utter_urgent_care_emergency"},
        ),
    ):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    store.engine.dispose()


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console_journey")
    url = f"sqlite:///{folder / 'backcare.db'}"
    env = console_env(folder, url)
    store_red_flag_conversation(url)
    create_users(env, USERS, PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_console(folder, env) as address:
        yield address, url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(browser, address, name, password=PASSWORD):
    return sign_in_as(browser, address, name, password)


def test_a_red_flag_goes_from_alert_to_closed_case_and_every_read_is_audited(console, browser):
    address, url = console
    page = browser.new_context(viewport=DESKTOP).new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(address + "/cases/")
    shot(page, "01-sign-in")
    page.get_by_label("User name").fill("dr_jones")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(address + "/cases/")

    row = page.locator("tr[data-case='1']")
    assert "emergency" in row.inner_text().lower()
    assert "+44 ••• ••• 123" in row.inner_text()
    assert RED_FLAG in row.inner_text() and row.locator("b").count() == 0

    # A call-back-style urgent alert raised three hours ago arrives while the page is open:
    # the page's script brings it in, marked overdue, without a reload.
    Outbox.from_url(url).add(
        AlertDraft("red_flag", "web-77aa", "webchat", "urgent", ["progressive_weakness"],
                   "my leg is getting weaker by the day", PRIORITY_URGENT, key="journey-2"),
        now=utcnow() - timedelta(hours=3),
    )
    page.wait_for_selector("tr[data-case='2'].overdue", timeout=60_000)
    assert "OVERDUE" in page.locator("tr[data-case='2']").inner_text()
    assert "1 overdue for acknowledgement" in page.locator("[data-summary]").inner_text()
    shot(page, "02-cases-queue")

    page.get_by_role("link", name="Case 1", exact=True).click()
    page.wait_for_url(address + "/cases/1/")
    shot(page, "03-case-new")
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state()
    assert "Case 1 is now acknowledged." in page.get_by_role("status").inner_text()
    page.get_by_label("Note (optional)").fill("Called twice, no answer yet.")
    page.get_by_role("button", name="Record patient contacted").click()
    page.wait_for_load_state()
    assert "Case 1 is now patient contacted." in page.get_by_role("status").inner_text()
    page.get_by_label("Outcome note (required)").fill("Sent to A&E by ambulance; seen the same day.")
    page.get_by_role("button", name="Close case").click()
    page.wait_for_load_state()
    assert "Case 1 is now closed." in page.get_by_role("status").inner_text()
    assert "Sent to A&E by ambulance" in page.locator("blockquote").last.inner_text()
    shot(page, "04-case-closed")

    page.get_by_role("link", name="Read the whole conversation").click()
    page.wait_for_url(address + "/conversations/1/")
    raised = page.locator("li.line.raised")
    assert RED_FLAG in raised.inner_text() and raised.locator("b").count() == 0
    assert "This message raised case 1." in raised.inner_text()
    assert "cauda_equina_bladder" in raised.inner_text()
    assert "Please call 999 now." in page.inner_text("main")
    shot(page, "05-conversation")
    assert all(request.startswith(address) for request in requests), requests

    admin = sign_in(browser, address, "admin_ali")
    admin.goto(address + "/audit/?user=dr_jones")
    text = admin.inner_text("main")
    for seen in ("read a conversation", "changed a case's state", "viewed a case",
                 "viewed the case queue", "signed in"):
        assert seen in text, seen
    changes = admin.locator("tr", has_text="changed a case's state")
    assert changes.count() == 3
    assert "contacted -> closed" in text
    shot(admin, "06-audit")


def test_a_clinician_is_refused_the_audit_and_the_users(console, browser):
    address, _ = console
    page = sign_in(browser, address, "dr_jones")
    assert page.goto(address + "/audit/").status == 403
    assert page.goto(address + "/users/").status == 403
    shot(page, "07-clinician-refused")
    nav = page.get_by_role("navigation", name="Main").inner_text()
    assert "Audit" not in nav and "Users" not in nav


def test_five_wrong_passwords_lock_the_account_and_an_admin_unlocks_it(console, browser):
    address, _ = console
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(address + "/login/")
    for _ in range(5):
        page.get_by_label("User name").fill("locky_lee")
        page.get_by_label("Password").fill("not-the-password-at-all")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if "Sign-in locked" in page.content():
            break
        assert "did not match" in page.content()
    page.goto(address + "/login/")
    page.get_by_label("User name").fill("locky_lee")
    page.get_by_label("Password").fill(PASSWORD)  # even the right password now
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "Sign-in locked" in page.content()
    shot(page, "08-locked-out")

    admin = sign_in(browser, address, "admin_ali")
    admin.goto(address + "/users/")
    assert "LOCKED" in admin.locator("tr[data-user='locky_lee']").inner_text()
    shot(admin, "09-users")
    admin.get_by_role("link", name="locky_lee").click()
    admin.get_by_role("button", name="Unlock sign-in").click()
    admin.wait_for_load_state()
    assert "locky_lee can sign in again." in admin.get_by_role("status").inner_text()
    shot(admin, "10-user")
    again = sign_in(browser, address, "locky_lee")
    assert again.url == address + "/cases/"


def test_a_form_posted_without_its_csrf_token_is_refused(console, browser):
    address, url = console
    page = sign_in(browser, address, "dr_jones")
    status = page.evaluate(
        """async () => (await fetch('/cases/2/step/', {
             method: 'POST', body: new URLSearchParams({expected: 'new'})})).status"""
    )
    assert status == 403
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        moved = connection.execute(
            sa.text("SELECT COUNT(*) FROM console_case_state WHERE alert_id = 2")
        ).scalar()
    engine.dispose()
    assert moved == 0


# Last in the module: from here on admin_ali's sign-in asks for a code.
def test_an_admin_sets_up_sign_in_codes_and_sign_in_then_asks_for_one(console, browser):
    address, _ = console
    page = sign_in(browser, address, "admin_ali")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Set up sign-in codes").click()
    page.wait_for_load_state()
    key = key_from_secret(page.locator("[data-secret]").inner_text())
    shot(page, "11-account-codes-setup")
    code, used = code_after(key)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Turn on sign-in codes").click()
    page.wait_for_load_state()
    assert "Sign-in codes are on" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    again = sign_in(browser, address, "admin_ali")
    assert "/login/code/" in again.url
    shot(again, "12-sign-in-code")
    code, _ = code_after(key, used)
    again.get_by_label("Code from your authenticator app").fill(code)
    again.get_by_role("button", name="Continue").click()
    again.wait_for_url(address + "/cases/")
    again.goto(address + "/audit/?kind=code_accepted")
    assert "gave a correct sign-in code" in again.inner_text("main")
