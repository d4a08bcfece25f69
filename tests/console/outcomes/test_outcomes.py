"""Gathering a patient's outcomes from the bot's stores: what each part reads, and nothing else."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from actions.exercises.parsing import LogEntry
from console.outcomes.chart import FLARE_UP, RED_FLAG
from console.outcomes.outcomes import adherence_weeks, patient_outcomes
from tests.console.outcomes.conftest import TODAY, seed
from tests.console.outcomes.seeding import SENDER, start_of

MONDAY = date(2027, 1, 4)


def test_check_ins_flare_ups_and_red_flags_in_time_order(seeded):
    outcomes = patient_outcomes(SENDER)
    assert [c.score for c in outcomes.checkins] == [
        "7.3",
        "7",
        "6.7",
        "7.7",
        "6",
        "5.3",
        "4.7",
        "4",
    ]
    start = start_of(TODAY)
    assert [at.date() for at in outcomes.flare_ups] == [
        (start + timedelta(days=17.6)).date(),
        (start + timedelta(days=38.6)).date(),
    ]
    (flag,) = outcomes.red_flags
    assert (flag.tier, flag.flags, flag.label) == (
        "urgent",
        ("fever_infection",),
        "Red flag: urgent",
    )
    assert [m.kind for m in outcomes.markers] == [FLARE_UP, FLARE_UP, RED_FLAG]
    kinds = [row.kind for row in outcomes.timeline]
    assert kinds.count("Check-in") == 8 and kinds.index("Red flag") == 6
    assert [row.at for row in outcomes.timeline] == sorted(row.at for row in outcomes.timeline)
    assert outcomes.timeline[0].text == "PEG 7.3 (pain 8, enjoyment 7, activity 7)"


def test_the_change_since_the_first_check_in(seeded):
    change = patient_outcomes(SENDER).peg_change
    assert (change.first.score, change.latest.score) == ("7.3", "4")
    assert (change.percent, change.verdict) == (-45, "better")
    assert "meaningful improvement" in change.words


def test_start_back_latest_group_and_its_answers(seeded):
    outcomes = patient_outcomes(SENDER)
    assert [r.group for r in outcomes.start_back] == ["high", "medium"]
    latest = outcomes.start_back_latest
    assert (latest.group_label, latest.total, latest.psychosocial) == ("Medium risk", 5, 2)
    assert latest.matched_care == "physiotherapy"
    assert latest.at == start_of(TODAY) + timedelta(days=45, hours=1)
    assert [a.answer for a in latest.answers] == ["Agree", "Disagree", "Agree", "Agree", "Disagree", "Agree", "Disagree", "Disagree", "Very much"]  # fmt: skip
    assert latest.answers[0].item.startswith("My back pain has spread down my leg(s)")


def test_pacing_from_the_plans_store(seeded):
    (plan,) = patient_outcomes(SENDER).pacing
    assert (plan.activity, plan.week_number, plan.this_week, plan.weeks[0]) == (
        "walking",
        5,
        17,
        12,
    )


def test_exercise_days_per_week(seeded):
    weeks = patient_outcomes(SENDER).adherence
    assert weeks[0].start.weekday() == 0 and weeks[-1].start == date(2027, 1, 11)
    assert weeks[-1].so_far and weeks[-1].days_counted == 4  # Monday to Thursday
    assert all(0 <= w.days_done <= w.days_counted for w in weeks)
    assert sum(w.hurt_days for w in weeks) == 1


def test_another_patients_rows_are_not_shown(seeded):
    seed("web-someone-else")
    outcomes = patient_outcomes(SENDER)
    assert len(outcomes.checkins) == 8 and len(outcomes.red_flags) == 1
    assert len(outcomes.start_back) == 2 and len(outcomes.pacing) == 1


def test_a_new_install_without_the_action_servers_tables_reads_as_empty(events_table, frozen_today):
    tables = connection.introspection.table_names()
    assert "start_back_results" not in tables and "exercise_logs" not in tables
    outcomes = patient_outcomes(SENDER)
    assert (outcomes.start_back, outcomes.adherence, outcomes.pacing) == ([], [], [])
    assert not outcomes.charted and outcomes.peg_change is None


def log(day: date, done: int = 3, reason: str | None = None) -> LogEntry:
    return LogEntry(day, done, 3, reason)


def test_adherence_weeks_from_the_first_logged_week_to_today():
    entries = [
        log(date(2026, 12, 22)),  # Tuesday of the week of 21 Dec
        log(date(2026, 12, 23), 0, "hurt"),
        log(date(2026, 12, 30)),
        log(date(2027, 1, 5)),
        log(date(2027, 1, 6)),
    ]
    weeks = adherence_weeks(entries, date(2027, 1, 6))
    assert [(w.start, w.days_done, w.days_counted) for w in weeks] == [
        (date(2026, 12, 21), 1, 7),
        (date(2026, 12, 28), 1, 7),
        (MONDAY, 2, 3),
    ]
    assert (weeks[0].days_skipped, weeks[0].hurt_days) == (1, 1)
    assert [w.so_far for w in weeks] == [False, False, True]
    assert adherence_weeks([], date(2027, 1, 6)) == []


def test_adherence_shows_the_latest_weeks_only():
    entries = [log(date(2026, 1, 5))]
    weeks = adherence_weeks(entries, date(2027, 1, 6), weeks=4)
    assert [w.start for w in weeks][-1] == MONDAY and len(weeks) == 4
