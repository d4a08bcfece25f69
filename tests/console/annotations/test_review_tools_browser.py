"""Review tools in real headless Chromium: tag a message, write a note, mark reviewed, save a filter.

The real ``python -m console serve`` over a fresh SQLite database whose ``events`` table is
Rasa's own, written with Rasa's events as the tracker store writes them. A clinician opens
a conversation, tags one patient message (and follows the summary's link to it), writes
a private note, marks the conversation reviewed, then filters the list by the tag and the
reviewed state, saves that filter under a name, and applies it again from the unfiltered
list. The audit holds each change without the note's or the tag's words. Screenshots of
the transcript and the filtered list go to ``var/artifacts/console/``.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine

from tests.console.serving import console_env, create_users, running_console, sign_in
from tests.console.transcripts.conftest import TS, bot, user
from tests.fakes.browser import ARTIFACTS, chromium

pytestmark = pytest.mark.browser
PASSWORD = "calm-river-lantern-42"
SHOTS = ARTIFACTS / "console"
FELL = "I fell off a ladder on Sunday and my back has hurt since"
NOTE = "Rang her: she saw the GP on Monday, no leg symptoms. Review again next week."


def seed(db):
    engine = create_engine(f"sqlite:///{db}")
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    engine.dispose()
    conversation = {
        "+447700900123": [
            user("hello", "greet", at=TS, channel="twilio"),
            bot("Hello, I am BackCare.", at=TS + 1, response="utter_greet"),
            user(FELL, "ask_pain", at=TS + 60, channel="twilio", message_id="m-fell"),
            bot("A fall can shake you up.", at=TS + 61, content_id="pain.fall"),
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
            data.setdefault("metadata", {})["model_id"] = "model-2026-11-20"
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
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review_tools_browser")
    db = folder / "backcare.db"
    env = console_env(folder, f"sqlite:///{db}")
    seed(db)
    create_users(env, {"dr_jones": "clinician"}, PASSWORD)
    with running_console(folder, env) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_tag_note_mark_reviewed_save_a_filter_and_apply_it(console, browser):
    url, db = console
    page = sign_in(browser, url, "dr_jones", PASSWORD)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url + "/conversations/")
    rows = page.locator("tbody tr[data-conversation]")
    assert rows.count() == 2
    rows.filter(has_text="+44 ••• ••• 123").get_by_role("link").click()
    page.wait_for_url("**/conversations/P-*/")
    transcript = page.url

    # Tag one patient message.
    message = page.locator(".line.patient").filter(has_text="fell off a ladder")
    message.get_by_text("Tag this message").click()
    message.get_by_label("Tags for this message").fill("Fall, Follow-up")
    message.get_by_role("button", name="Add tags").click()
    page.wait_for_load_state()
    assert "Tagged message" in page.get_by_role("status").first.inner_text()
    message = page.locator(".line.patient").filter(has_text="fell off a ladder")
    assert message.locator(".tag-name").all_inner_texts() == ["fall", "follow-up"]
    summary = page.locator("#tags")
    assert "1 message tagged" in summary.inner_text()
    assert "follow-up × 1" in summary.inner_text()
    summary.locator(".message-tag-counts li").filter(has_text="follow-up").get_by_role(
        "link"
    ).click()
    event_id = message.get_attribute("data-event")
    page.wait_for_url(f"**#message-{event_id}")

    # A private note, then the reviewed mark.
    page.get_by_label("New note").fill(NOTE)
    page.get_by_role("button", name="Add the note").click()
    page.wait_for_load_state()
    notes = page.locator("#notes")
    assert NOTE in notes.inner_text() and "dr_jones" in notes.inner_text()
    page.get_by_role("button", name="Mark reviewed").click()
    page.wait_for_load_state()
    assert "Reviewed by dr_jones" in page.locator(".reviewed").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-review-tools-transcript.png"), full_page=True)

    # Filter the list by the tag and the reviewed state; save it; apply it again.
    page.goto(url + "/conversations/")
    page.get_by_label("Tag (conversation or message)").fill("FOLLOW-UP")
    page.get_by_label("Reviewed", exact=True).select_option("yes")
    page.get_by_role("button", name="Show conversations").click()
    page.wait_for_url("**reviewed=yes**")
    assert page.locator("tbody tr[data-conversation]").count() == 1
    page.get_by_label("Save the current filter as").fill("Follow-ups reviewed")
    page.get_by_role("button", name="Save the filter").click()
    page.wait_for_load_state()
    assert "Filter “Follow-ups reviewed” saved." in page.get_by_role("status").first.inner_text()

    page.goto(url + "/conversations/")
    assert page.locator("tbody tr[data-conversation]").count() == 2
    page.locator(".saved-filters").get_by_role("link", name="Follow-ups reviewed").click()
    page.wait_for_url("**tag=follow-up**")
    rows = page.locator("tbody tr[data-conversation]")
    assert rows.count() == 1
    assert "+44 ••• ••• 123" in rows.inner_text() and "Reviewed by dr_jones" in rows.inner_text()
    assert "follow-up" in rows.locator(".tags").inner_text()
    applied = page.locator('.saved-filters a[aria-current="true"]')
    assert applied.inner_text() == "Follow-ups reviewed"
    page.screenshot(path=str(SHOTS / "console-review-tools-saved-filter.png"), full_page=True)
    rows.get_by_role("link").click()
    page.wait_for_url(transcript)
    assert all(request.startswith(url) for request in requests), requests
    page.close()

    with sqlite3.connect(db) as connection:
        audited = connection.execute(
            "SELECT kind, detail FROM console_audit_event WHERE kind IN"
            " ('conversation_tag', 'conversation_note', 'conversation_review', 'saved_filter')"
            " ORDER BY id"
        ).fetchall()
    assert [kind for kind, _ in audited] == [
        "conversation_tag",
        "conversation_note",
        "conversation_review",
        "saved_filter",
    ]
    for _, detail in audited:
        assert "follow" not in detail and "GP" not in detail and "ladder" not in detail
