"""The review in real headless Chromium: the queue, a missed red flag marked, seen in the export.

The real ``python -m console serve`` over a fresh SQLite database whose ``events`` table is
Rasa's own, written with Rasa's events as the tracker store writes them. A clinician opens
the review queue, finds the conversation listed for its clinical words, opens it, marks the
message "should have escalated" (urgent, with a note) by keyboard, and downloads the export:
the message is there under ``urgent``, in the patient's words. A screenshot of the queue
and the marked transcript go to ``var/artifacts/``.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine

from tests.console.serving import (
    console_env,
    create_users,
    running_console,
    sign_in_by_keyboard,
)
from tests.console.transcripts.conftest import TS, bot, user
from tests.fakes.browser import ARTIFACTS, DESKTOP, chromium

pytestmark = pytest.mark.browser
PASSWORD = "calm-river-lantern-42"
MISSED = "Since Sunday I've been shivery & hot, 38.6 tonight, and my back's <worse>"


def seed(db):
    engine = create_engine(f"sqlite:///{db}")
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    engine.dispose()
    conversation = {
        "web-shivery": [
            user("hello", "greet", at=TS),
            bot("Hello, I am BackCare.", at=TS + 1, response="utter_greet"),
            user(MISSED, "ask_flare_up", at=TS + 60, message_id="m-shivery"),
            bot("Flare-ups usually settle.", at=TS + 61, content_id="flare.intro"),
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
def console_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review_browser")
    db = folder / "backcare.db"
    env = console_env(folder, f"sqlite:///{db}")
    env["BACKCARE_REVIEW_SAMPLE_RATE"] = "0"
    seed(db)
    create_users(env, {"dr_jones": "clinician"}, PASSWORD)
    with running_console(folder, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_mark_a_missed_red_flag_and_find_it_in_the_export(console_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(console_url + "/review/")
    assert "/login/" in page.url
    sign_in_by_keyboard(page, "dr_jones", PASSWORD)
    page.wait_for_url(console_url + "/review/")
    assert page.get_by_role("heading", name="Review for missed red flags").is_visible()
    rows = page.locator("tbody tr[data-conversation]")
    assert rows.count() == 1
    assert "clinical words" in rows.inner_text() and "\u201cshiver\u201d" in rows.inner_text()
    assert "No verdicts yet." in page.inner_text("main")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-review-queue.png"), full_page=True)

    rows.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/conversations/P-*/")
    message = page.locator(".line.patient").filter(has_text="38.6 tonight")
    assert MISSED in message.locator(".message-text").inner_text()  # shown as text
    message.locator("summary", has_text="Review this message").focus()
    page.keyboard.press("Enter")  # open "Review this message"
    message.get_by_label("Should have escalated, tier").focus()
    page.keyboard.press("ArrowDown")  # emergency -> urgent
    message.get_by_label("Category note (optional)").focus()
    page.keyboard.type("fever with back pain")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Marked should have escalated (urgent)." in page.get_by_role("status").first.inner_text()
    marked = page.locator(".line.patient").filter(has_text="38.6 tonight")
    assert "Clinician verdict: should have escalated (tier: urgent)" in marked.inner_text()
    assert "by dr_jones" in marked.inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-review-verdict.png"), full_page=True)

    page.goto(console_url + "/review/")
    counts = page.locator("table.review-counts tbody tr")
    assert "model-2026-11-20" in counts.inner_text() and "urgent 1" in counts.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the verdicts as a safety-suite batch (YAML)").click()
    with open(download.value.path(), encoding="utf-8") as file:
        exported = yaml.safe_load(file)
    assert exported["urgent"] == [
        {"text": MISSED, "category": "clinician review: fever with back pain"}
    ]
    assert exported["emergency"] == exported["traps"] == exported["conversations"] == []
    assert all(url.startswith(console_url) for url in requests), requests
    page.close()
