"""The outcomes page in real headless Chromium, for a seeded patient, with screenshots.

The real ``python -m console serve`` (waitress) over a fresh SQLite file holding the
bot's own tables (Rasa's ``events``, the outbox, the plans, the exercise log and the
STarT Back results, each created from its owner's definition) and the seeded patient of
:mod:`tests.console.outcomes.seeding`, dated up to today. A clinician signs in with the
keyboard, opens the conversation from the list, follows the transcript's link to the
outcomes and sees the chart drawn: its points, markers, labels and the table beside it.
Screenshots (desktop and phone) go to ``var/artifacts/console/``.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine

from actions.exercises.store import metadata as exercise_metadata
from actions.pacing.store import metadata as plans_metadata
from actions.start_back.store import metadata as start_back_metadata
from bot.alerts.outbox import metadata as outbox_metadata
from bot.db import utcnow
from tests.console.outcomes.seeding import SENDER, patient_rows
from tests.console.serving import console_env, create_users, running_console, sign_in_by_keyboard
from tests.fakes.browser import ARTIFACTS, DESKTOP, PHONE, chromium

pytestmark = pytest.mark.browser
PASSWORD = "calm-river-lantern-42"
SHOTS = ARTIFACTS / "console"


def seed(db):
    engine = create_engine(f"sqlite:///{db}")
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    for metadata in (outbox_metadata, plans_metadata, exercise_metadata, start_back_metadata):
        metadata.create_all(engine)
    engine.dispose()
    events, statements = patient_rows(SENDER, utcnow().date())
    rows = []
    for event in events:
        data = event.as_dict()
        rows.append(
            (
                SENDER,
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
        for sql, params in statements:
            connection.execute(sql.replace("%s", "?"), params)


@pytest.fixture(scope="module")
def console_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outcomes_browser")
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


def test_the_chart_renders_for_a_seeded_patient(console_url, browser):
    page = browser.new_page(viewport=DESKTOP)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(console_url + "/conversations/")
    sign_in_by_keyboard(page, "dr_jones", PASSWORD)
    page.wait_for_url(console_url + "/conversations/")
    page.locator("tbody tr").first.get_by_role("link").click()
    page.wait_for_url("**/conversations/P-*/")
    page.get_by_role("link", name="PEG chart, STarT Back, pacing and exercise").click()
    page.wait_for_url("**/conversations/P-*/outcomes/")

    assert page.get_by_role("heading", name="Pain and its impact over time").is_visible()
    chart = page.locator("svg.peg-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 250
    # Screen readers get the chart's name and description; everyone gets the table.
    assert page.get_by_role("img", name="PEG score over time").count() == 1
    assert chart.locator(".peg-point").count() == 8
    assert chart.locator(".peg-value").all_text_contents()[-1] == "4"
    assert chart.locator(".marker.flare-up").count() == 2
    assert chart.locator(".marker.red-flag .marker-label").text_content() == "Red flag: urgent"
    assert chart.locator(".axis-label").all_text_contents() == [
        "PEG score (0 to 10, lower is better)",
        "Date (UTC)",
    ]
    # Every label is inside the drawing, not cut off at its edges.
    for label in chart.locator("text").all():
        inner = label.bounding_box()
        assert inner is not None
        assert (
            box["x"] - 1 <= inner["x"]
            and inner["x"] + inner["width"] <= box["x"] + box["width"] + 1
        )
        assert (
            box["y"] - 1 <= inner["y"]
            and inner["y"] + inner["height"] <= box["y"] + box["height"] + 1
        )
    table = page.get_by_role("table", name="Check-ins, flare-ups and red flags, oldest first")
    assert table.locator("tbody tr").count() == 11
    assert "Medium risk" in page.locator(".start-back").inner_text()
    assert "week 5 of 11" in page.locator(".pacing-progress").inner_text()
    assert page.locator("svg.exercise-chart .week").count() >= 5
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "outcomes.png"), full_page=True)
    chart.screenshot(path=str(SHOTS / "outcomes-peg-chart.png"))
    assert all(url.startswith(console_url) for url in requests), requests

    # On a phone the chart keeps readable text and scrolls sideways inside its own box;
    # no section of the page is wider than the screen.
    signed_in = browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())
    phone = signed_in.new_page()
    phone.goto(page.url)
    scroller = phone.locator(".chart-scroll").first.bounding_box()
    assert scroller is not None and scroller["x"] + scroller["width"] <= PHONE["width"]
    assert phone.locator("svg.peg-chart").bounding_box()["width"] >= 500
    for section in phone.locator(".outcomes-section").all():
        edge = section.bounding_box()
        assert edge is not None and edge["x"] + edge["width"] <= PHONE["width"]
    phone.screenshot(path=str(SHOTS / "outcomes-phone.png"), full_page=True)
    signed_in.close()
    page.close()
