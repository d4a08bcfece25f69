"""Reading a programme choice and a day's exercise log from what patients type."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from actions.exercises.library import get_library
from actions.exercises.messages import aliases, get_programme_content, starter_set
from actions.exercises.parsing import (
    MAX_DAYS_AGO,
    Choice,
    ChoiceProblem,
    LogEntry,
    LogReport,
    log_entry,
    normalise,
    read_choice,
    read_log,
)

CONTENT = get_programme_content()
LIBRARY = get_library()
IDS = LIBRARY.ids()
ALIASES = aliases(CONTENT, LIBRARY)
STARTER = starter_set(CONTENT)
TODAY = date(2026, 11, 28)


def choose(text: str) -> Choice | ChoiceProblem:
    return read_choice(text, IDS, ALIASES, STARTER)


# --- choosing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("1, 4 and 6", (1, 4, 6)),
        ("1 4 6", (1, 4, 6)),
        ("2,3,5,7,12", (2, 3, 5, 7, 12)),
        ("one, three and five", (1, 3, 5)),
        ("I'd like 12, 11 and 10 please", (12, 11, 10)),
        ("4 4 5 6", (4, 5, 6)),  # a number said twice is one choice
    ],
)
def test_numbers_pick_from_the_list_in_its_order(text, numbers):
    assert choose(text) == Choice(tuple(IDS[n - 1] for n in numbers))


@pytest.mark.parametrize(
    ("text", "chosen"),
    [
        ("bridge, cat cow and bird dog", ("bridge", "cat_cow", "bird_dog")),
        ("Bottom lift, knee to chest, walking", ("bridge", "knee_to_chest", "walking_programme")),
        (
            "arm and leg reach lying on your back, sit to stand and the clam 10",
            ("dead_bug", "sit_to_stand", "side_lying_clam"),
        ),
        ("pelvic tilt and 2 and 3", ("pelvic_tilt", IDS[1], IDS[2])),
    ],
)
def test_names_and_numbers_may_be_mixed(text, chosen):
    assert choose(text) == Choice(chosen)


@pytest.mark.parametrize("text", ["starter set", "the short starter set please", "you choose"])
def test_the_starter_set(text):
    assert choose(text) == Choice(STARTER, starter=True)


def test_start_is_not_the_starter_set():
    assert choose("start with 1 2 3") == Choice(IDS[:3])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 and 2", "too_few"),
        ("bridge", "too_few"),
        ("1 2 3 4 5 6", "too_many"),
        ("13 1 2", "unknown"),
        ("0 1 2", "unknown"),
        ("hello", "unknown"),
        ("", "unknown"),
    ],
)
def test_a_choice_that_cannot_be_used_says_why(text, reason):
    assert choose(text) == ChoiceProblem(reason)


def test_every_exercise_can_be_chosen_by_its_short_name():
    short = CONTENT.texts("sms_names")
    for a, b, c in itertools.combinations(IDS, 3):
        assert choose(f"{short[a]}, {short[b]} and {short[c]}") == Choice((a, b, c)), (a, b, c)


# --- logging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("did my exercises", LogReport()),
        ("I did my exercises today", LogReport()),
        ("done my exercises", LogReport()),
        ("/log_exercises", LogReport()),
        ("did 2 of 4", LogReport(done=2, planned=4)),
        ("I did 2 of my 4 exercises", LogReport(done=2, planned=4)),
        ("did two out of four", LogReport(done=2, planned=4)),
        ("3/5 today", LogReport(done=3, planned=5)),
        ("managed 2 of the exercises", LogReport(done=2)),
        ("only did 1 of them", LogReport(done=1)),
        ("did half my exercises", LogReport(half=True)),
        ("skipped today, it hurt", LogReport(done=0, reason="hurt")),
        ("Skipped today. It hurt!", LogReport(done=0, reason="hurt")),
        ("no exercises today, too sore", LogReport(done=0, reason="hurt")),
        ("didn't do my exercises today", LogReport(done=0)),
        ("did 0 of 4, my back was sore", LogReport(done=0, planned=4, reason="hurt")),
        ("did them yesterday", LogReport(days_ago=1)),
        ("did 2 of 4 yesterday", LogReport(days_ago=1, done=2, planned=4)),
        ("missed them yesterday, I forgot", LogReport(days_ago=1, done=0, reason="forgot")),
        ("I forgot to do my exercises", LogReport(done=0, reason="forgot")),
        ("forgot them today", LogReport(done=0, reason="forgot")),
        ("it slipped my mind yesterday", LogReport(days_ago=1, done=0, reason="forgot")),
        ("did 2 of 4, forgot the rest", LogReport(done=2, planned=4, reason="forgot")),
        ("forgot, and it hurt anyway", LogReport(done=0, reason="hurt")),  # hurt comes first
        ("forgot to log it, did them all yesterday", LogReport(days_ago=1)),  # the log, not them
        ("the day before yesterday I skipped", LogReport(days_ago=2, done=0)),
        ("3 days ago did 3", LogReport(days_ago=3, done=3)),
        ("did them but it hurt a bit", LogReport(reason="hurt")),
    ],
)
def test_log_messages_say_the_day_the_count_and_the_reason(text, report):
    assert read_log(text) == report


@pytest.mark.parametrize(
    "text",
    [
        "I'll do them tomorrow",
        "going to do them tonight",
        "did 5 of 4",
        "did 30",
        f"did them {MAX_DAYS_AGO + 1} days ago",
    ],
)
def test_what_is_not_a_log_of_a_past_day(text):
    assert read_log(text) is None


@pytest.mark.parametrize(
    ("report", "size", "entry"),
    [
        (LogReport(), 4, LogEntry(TODAY, 4, 4)),
        (LogReport(), None, LogEntry(TODAY, 1, None)),
        (LogReport(done=2, planned=4), 3, LogEntry(TODAY, 2, 4)),
        (LogReport(done=2), 3, LogEntry(TODAY, 2, 3)),
        (LogReport(half=True), 4, LogEntry(TODAY, 2, 4)),
        (LogReport(half=True), 3, LogEntry(TODAY, 1, 3)),
        (LogReport(half=True), None, LogEntry(TODAY, 1, None)),
        (LogReport(done=0, reason="hurt"), 3, LogEntry(TODAY, 0, 3, "hurt")),
        (LogReport(days_ago=1), 3, LogEntry(date(2026, 11, 27), 3, 3)),
        # Across a month and a year end.
        (LogReport(days_ago=2), 3, LogEntry(date(2025, 12, 30), 3, 3)),
    ],
)
def test_log_entry_is_one_row_for_the_patients_day(report, size, entry):
    today = date(2026, 1, 1) if entry.day.year == 2025 else TODAY
    assert log_entry(report, today, size) == entry


def test_log_entries_never_claim_more_than_planned_or_a_future_day():
    # An invariant over many generated messages, not a handful of scripted ones.
    days = ["", "today", "yesterday", "2 days ago", "tomorrow", "last night"]
    counts = ["did my exercises", "did 2 of 4", "did 4 of 2", "did 3", "skipped", "half", "0 of 3"]
    tails = ["", "it hurt", "forgot", "!!!", "\u2019"]
    for day, count, tail in itertools.product(days, counts, tails):
        text = f"{count} {day} {tail}"
        report = read_log(text)
        if report is None:
            continue
        for size in (None, 1, 3, 5):
            entry = log_entry(report, TODAY, size)
            assert entry.day <= TODAY, text
            assert entry.done >= 0, text
            if entry.planned is not None:
                assert entry.done <= entry.planned, (text, size)


def test_normalise_keeps_apostrophes_and_reads_number_words():
    assert normalise("Didn\u2019t do TWO, it HURT!") == "didn't do 2 it hurt"


def test_a_count_above_the_programme_is_capped_at_the_programme():
    assert log_entry(LogReport(done=3), TODAY, 2) == LogEntry(TODAY, 2, 2)
