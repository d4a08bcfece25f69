"""Conversations in real headless Chromium: list, filter, search, open, see the evidence, mark.

The real ``python -m console serve`` (waitress) over a fresh SQLite database whose
``events`` table is Rasa's own (``SQLTrackerStore.SQLEvent``), written with Rasa's
events as the tracker store writes them. Only the keyboard is used after the page
opens. Screenshots of the list and the transcript go to ``var/artifacts/``.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine

from tests.console.serving import (
    console_env,
    create_users,
    running_console,
    sign_in_by_keyboard,
)
from tests.console.transcripts.conftest import TS, bot, red_flag, user
from tests.fakes.browser import ARTIFACTS, DESKTOP, chromium

pytestmark = pytest.mark.browser
PASSWORD = "calm-river-lantern-42"
HOSTILE = "<b>numb</b> between my legs and I wet myself"


def seed(db):
    engine = create_engine(f"sqlite:///{db}")
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    engine.dispose()
    conversation = {
        "+447700900123": [
            user("hello", "greet", at=TS, channel="twilio"),
            bot("Hello, I am BackCare.", at=TS + 1, response="utter_greet"),
            red_flag(HOSTILE, "wet myself", at=TS + 60, channel="twilio"),
            bot("Call [999](tel:999) now.", at=TS + 61, response="utter_red_flag_emergency"),
        ],
        "web-calm": [
            user("what is pacing", "ask_pacing", at=TS + 120),
            bot("Pacing means a steady amount each day.", at=TS + 121, content_id="pacing.intro"),
        ],
    }
    rows = []
    for sender, events in conversation.items():
        for event in events:
            data = event.as_dict()
            rows.append(
                (
                    sender,
                    event.type_name,
                    data["timestamp"],
                    (data.get("parse_data") or {}).get("intent", {}).get("name"),
                    data.get("name"),
                    json.dumps(data),
                )
            )
    with sqlite3.connect(db) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


@pytest.fixture(scope="module")
def console_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conversations_browser")
    db = folder / "backcare.db"
    env = console_env(folder, f"sqlite:///{db}")
    seed(db)
    create_users(env, {"dr_jones": "clinician"}, PASSWORD)
    with running_console(folder, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_filter_open_a_transcript_see_the_evidence_and_mark_it_reviewed(console_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(console_url + "/conversations/")
    assert "/login/" in page.url
    sign_in_by_keyboard(page, "dr_jones", PASSWORD)
    page.wait_for_url(console_url + "/conversations/")
    assert page.get_by_role("heading", name="Conversations").is_visible()
    assert page.locator("tbody tr").count() == 2

    # Filter by keyboard: the highest tier, then a search, submitted with Enter.
    page.get_by_label("Highest red-flag tier").focus()
    page.keyboard.press("ArrowDown")  # Any -> emergency
    page.get_by_label("Search messages").focus()
    page.keyboard.type("WET MYSELF")
    page.keyboard.press("Enter")
    page.wait_for_url("**tier=emergency**")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "+44 ••• ••• 123" in rows.inner_text()
    assert "emergency" in rows.inner_text().lower()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-conversations.png"), full_page=True)

    # Open it by keyboard.
    rows.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/conversations/P-*/")
    patient = page.locator(".line.patient.flagged")
    assert patient.locator("mark.evidence").inner_text() == "wet myself"
    assert HOSTILE in patient.locator(".message-text").inner_text()  # shown as text
    assert patient.locator(".message-text b").count() == 0
    assert "Red flag: cauda_equina_bladder (emergency)" in patient.inner_text()
    assert "Call 999 now." in page.locator(".line.assistant").last.inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-transcript.png"), full_page=True)

    page.get_by_role("button", name="Mark reviewed").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "is marked reviewed." in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("button", name="Remove the reviewed mark").is_visible()
    assert all(url.startswith(console_url) for url in requests), requests
    page.close()
