"""The patient's plans and check-ins beside the transcript: read from the bot's stores."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection

from console.transcripts.plans import patient_plans
from tests.console.conftest import T0
from tests.console.transcripts.conftest import SENDER_WITH_PLANS as SENDER
from tests.console.transcripts.conftest import TS, slot


def test_pacing_plans_most_recent_first(plan_tables):
    add_pacing, _ = plan_tables
    add_pacing("walking", current_week=2, updated=T0)
    add_pacing("sitting", current_week=9, updated=T0 + timedelta(days=1))
    add_pacing("gardening", sender="someone-else")
    plans = patient_plans(SENDER)
    assert [plan.activity for plan in plans.pacing] == ["sitting", "walking"]
    walking = plans.pacing[1]
    assert (walking.week_number, walking.this_week, walking.weeks) == (3, 16, (12, 14, 16, 18))
    assert (walking.goal, walking.unit, walking.good_day) == (30, "minutes", 20)
    assert walking.updated_at == T0
    # A week past the end is shown as the last week.
    assert (plans.pacing[0].week_number, plans.pacing[0].this_week) == (4, 18)


def test_the_flare_up_plan_in_the_patients_words(plan_tables):
    _, add_flare = plan_tables
    add_flare(helps="<b>heat</b> & rest")
    plans = patient_plans(SENDER)
    assert plans.flare[0] == ("Likely triggers", "long drives")
    assert ("What helps", "<b>heat</b> & rest") in plans.flare
    assert len(plans.flare) == 5 and plans.flare_updated_at == T0


def test_checkins_from_the_slots(events_table):
    for event in [
        slot("peg_pain", 7, at=TS),
        slot("peg_enjoyment", 6, at=TS + 1),
        slot("peg_activity", 5, at=TS + 2),
        slot("peg_last_score", 6.0, at=TS + 3),
        slot("peg_pain", None, at=TS + 3),
        slot("pacing_activity", "walking", at=TS + 4),
        slot("peg_pain", 4, at=TS + 7 * 86400),
        slot("peg_enjoyment", 4, at=TS + 7 * 86400),
        slot("peg_activity", 3, at=TS + 7 * 86400),
        slot("peg_last_score", 3.7, at=TS + 7 * 86400 + 1),
        slot("peg_last_score", None, at=TS + 8 * 86400),
    ]:
        events_table(SENDER, event)
    checkins = patient_plans(SENDER).checkins
    assert [(c.score, c.pain, c.enjoyment, c.activity) for c in checkins] == [
        ("6", 7, 6, 5),
        ("3.7", 4, 4, 3),
    ]
    assert checkins[0].at.timestamp() == TS + 3


def test_nothing_when_the_stores_do_not_exist_yet(events_table):
    assert "pacing_plans" not in connection.introspection.table_names()
    plans = patient_plans(SENDER)
    assert plans.empty
    assert (plans.pacing, plans.flare, plans.checkins) == ([], [], [])
