"""One patient with eight weeks of outcomes, as the bot and the action server write them.

Shared by the outcomes page's Django tests (through Django's cursor) and its browser test
(through ``sqlite3`` on the file the real console serves): Rasa events for the
conversation (a greeting, eight weekly PEG check-ins as the check-in's slots, two
flare-ups, a red-flag message), one red-flag alert in the outbox (its case), two STarT
Back results (high, then medium), a walking pacing plan and five weeks of exercise log::

    events, statements = patient_rows(SENDER, today)
    for event in events: write_event(SENDER, event)
    for sql, params in statements: cursor.execute(sql, params)   # "%s" placeholders
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from rasa.shared.core.events import Event, SlotSet

from tests.console.transcripts.conftest import bot, red_flag, user

SENDER = "+447700900456"
# Each week's PEG answers (pain, enjoyment, activity): 7.3 falling to 4, a flare-up in week 4.
PEG_ANSWERS = [
    (8, 7, 7),
    (7, 7, 7),
    (7, 7, 6),
    (8, 8, 7),
    (6, 6, 6),
    (6, 5, 5),
    (5, 5, 4),
    (4, 4, 4),
]
HIGH_ANSWERS = [1, 1, 1, 1, 1, 1, 1, 0, 3]  # total 8, psychosocial 4: high
MEDIUM_ANSWERS = [1, 0, 1, 1, 0, 1, 0, 0, 3]  # total 5, psychosocial 2: medium
Statement = tuple[str, list[Any]]


def start_of(today: date) -> datetime:
    """Return when the seeded patient's first visit was: 50 days before ``today``, 18:00 UTC."""
    return datetime.combine(today - timedelta(days=50), time(18, 0), tzinfo=timezone.utc)


def patient_rows(sender: str, today: date) -> tuple[list[Event], list[Statement]]:
    """Return the patient's events and the SQL for the other stores' rows."""
    start = start_of(today)
    at = start.timestamp()
    day = 86400.0
    events: list[Event] = [
        user("hello", "greet", at=at, channel="twilio", message_id=f"{sender}-hello"),
        bot("Hi, I'm BackCare.", at=at + 1, response="utter_greet"),
    ]
    for week, (pain, enjoyment, activity) in enumerate(PEG_ANSWERS):
        moment = at + 3600 + week * 7 * day
        events += [
            user("weekly check in", "start_checkin", at=moment, channel="twilio",
                 message_id=f"{sender}-checkin-{week}"),
            SlotSet("peg_pain", pain, timestamp=moment + 10),
            SlotSet("peg_enjoyment", enjoyment, timestamp=moment + 20),
            SlotSet("peg_activity", activity, timestamp=moment + 30),
            SlotSet("peg_last_score", round((pain + enjoyment + activity) / 3, 1),
                    timestamp=moment + 31),
            SlotSet("peg_pain", None, timestamp=moment + 31),
        ]  # fmt: skip
    for offset in (17.6, 38.6):
        events.append(
            user("my back has flared up again", "report_flare_up", at=at + offset * day,
                 channel="twilio", message_id=f"{sender}-flare-{offset}")
        )  # fmt: skip
    alerted = start + timedelta(days=29, hours=3, minutes=10)
    events.append(
        red_flag(
            "I've got a fever and the shivers with my back",
            "fever",
            flag="fever_infection",
            tier="urgent",
            at=alerted.timestamp(),
            channel="twilio",
            message_id=f"{sender}-fever",
        )
    )
    statements: list[Statement] = [
        (
            "INSERT INTO care_team_outbox (kind, priority, conversation_id, channel, tier,"
            " flag_ids, message, created_at, status, attempts, next_attempt_at)"
            " VALUES ('red_flag', 2, %s, 'twilio', 'urgent', %s, %s, %s, 'delivered', 1, %s)",
            [
                sender,
                json.dumps(["fever_infection"]),
                "I've got a fever and the shivers with my back",
                alerted,
                alerted,
            ],
        )
    ]
    for answers, total, psychosocial, group, when in (
        (HIGH_ANSWERS, 8, 4, "high", start + timedelta(minutes=30)),
        (MEDIUM_ANSWERS, 5, 2, "medium", start + timedelta(days=45, hours=1)),
    ):
        statements.append(
            (
                "INSERT INTO start_back_results (sender_id, answers, total, psychosocial,"
                " risk_group, completed_at) VALUES (%s, %s, %s, %s, %s, %s)",
                [sender, json.dumps(answers), total, psychosocial, group, when],
            )
        )
    statements.append(
        (
            "INSERT INTO pacing_plans (sender_id, activity, unit, good_day, bad_day,"
            " increase_pct, goal, start, step, weeks, current_week, created_at, updated_at)"
            " VALUES (%s, 'walking', 'minutes', 20, 10, 10, 30, 12, 1, %s, 4, %s, %s)",
            [
                sender,
                json.dumps([12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 30]),
                start + timedelta(days=3),
                start + timedelta(days=48),
            ],
        )
    )
    first_log = start.date() + timedelta(days=14)
    for offset in range((today - first_log).days):
        logged = first_log + timedelta(days=offset)
        hurt = logged == start.date() + timedelta(days=17)
        if offset % 7 in (2, 5) and not hurt:
            continue  # days with nothing logged
        statements.append(
            (
                "INSERT INTO exercise_logs (sender_id, day, done, planned, reason, updated_at)"
                " VALUES (%s, %s, %s, 4, %s, %s)",
                [sender, logged, 0 if hurt else 4, "hurt" if hurt else None, start],
            )
        )
    return events, statements
