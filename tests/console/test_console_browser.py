"""The console in real headless Chromium: sign in, see a seeded red-flag case, acknowledge it.

The real ``python -m console serve`` (waitress) over a fresh SQLite database whose
outbox is written by the bot's own :class:`bot.alerts.outbox.Outbox`; the user is made
with ``python -m console createuser`` reading the password from standard input. Only
the keyboard is used after the page opens.
"""

from __future__ import annotations

import pytest

from bot.alerts.outbox import PRIORITY_EMERGENCY, AlertDraft, Outbox
from tests.console.serving import (
    console_env,
    create_users,
    running_console,
    sign_in_by_keyboard,
)
from tests.fakes.browser import DESKTOP, chromium

pytestmark = pytest.mark.browser
PASSWORD = "calm-river-lantern-42"


@pytest.fixture(scope="module")
def console_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console_browser")
    db = folder / "backcare.db"
    env = console_env(folder, f"sqlite:///{db}")
    Outbox.from_url(f"sqlite:///{db}").add(
        AlertDraft(
            kind="red_flag",
            conversation_id="+447700900123",
            channel="twilio",
            tier="emergency",
            flag_ids=["cauda_equina_bladder"],
            message="<b>numb</b> between my legs and I wet myself",
            priority=PRIORITY_EMERGENCY,
            key="browser-1",
        )
    )
    create_users(env, {"dr_jones": "clinician"}, PASSWORD)
    with running_console(folder, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_sign_in_see_the_case_and_acknowledge_it_by_keyboard(console_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(console_url + "/cases/")
    assert "/login/" in page.url
    sign_in_by_keyboard(page, "dr_jones", PASSWORD)
    page.wait_for_url(console_url + "/cases/")
    assert page.get_by_role("heading", name="Cases").is_visible()
    row = page.locator("tr[data-case='1']")
    assert "emergency" in row.inner_text().lower()
    assert "+44 ••• ••• 123" in row.inner_text()
    assert "<b>numb</b> between my legs" in row.inner_text()  # shown as text, not markup
    assert row.locator("b").count() == 0
    page.get_by_role("button", name="Acknowledge case 1").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Case 1 is now acknowledged." in page.get_by_role("status").inner_text()
    assert "acknowledged" in page.locator("tr[data-case='1']").inner_text()
    assert all(url.startswith(console_url) for url in requests), requests
    page.close()
